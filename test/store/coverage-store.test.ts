import type { Area } from '#root/domain/area.js'
import type { NewVisit } from '#root/domain/visit.js'
import { createAreaTree } from '#root/domain/area.js'
import { planTransition } from '#root/domain/lifecycle.js'
import { createAreaStore } from '#root/store/area-store.js'
import { createCatalogStore } from '#root/store/catalog-store.js'
import { createCoverageStore } from '#root/store/coverage-store.js'
import { createRegistryStore } from '#root/store/registry-store.js'
import { createTicketStore } from '#root/store/ticket-store.js'
import { createVisitStore } from '#root/store/visit-store.js'
import { ALL_TIME, cityCoverage, coverageReport, parsePeriod, renderCoverage } from '#root/usecases/coverage.js'
import { expect, it } from 'vitest'
import { describeEachDatabase } from '../helpers/database.js'
import { sampleClassification, sampleReport } from '../helpers/fixtures.js'

const AREAS: Area[] = [
  { id: 'd1', name: '甲区', level: 'district', parentId: null },
  { id: 't1', name: '一镇', level: 'town', parentId: 'd1' },
  { id: 'v1', name: '东村', level: 'village', parentId: 't1' },
  { id: 'v2', name: '西村', level: 'village', parentId: 't1' },
  { id: 'd2', name: '乙区', level: 'district', parentId: null },
]

function entity(key: string, kind: 'household' | 'enterprise', areaId: string, flag = false) {
  return {
    externalKey: key,
    kind,
    name: key,
    areaId,
    address: null,
    inDifficulty: kind === 'household' && flag,
    difficultyKind: null,
    sizeClass: null,
    aboveDesignatedSize: kind === 'enterprise' && flag,
  }
}

function visit(key: string, entityId: number | null, areaId: string, cadreId: number, visitedOn: string, problems: string[] = []): NewVisit {
  return {
    intakeKey: key,
    entityId,
    areaId,
    cadreId,
    cadreName: `干部${cadreId}`,
    chatId: -100,
    chatType: 'supergroup',
    messageId: 1,
    visitedOn,
    place: null,
    metWith: null,
    heard: problems.join('；'),
    note: 'note',
    audioFileId: null,
    goals: ['opinion'],
    extractor: 'offline',
    problems,
  }
}

describeEachDatabase('coverage', (getDb) => {
  it('counts entities visited out of registered per kind and priority, visits per cadre, problems and tickets, rolled up', async () => {
    const db = getDb()
    await createCatalogStore(db).sync({
      departments: [{ id: 'city', nameZh: '城管局', nameEn: 'City Management' }],
      categories: [{ id: 'roads', nameZh: '道路', nameEn: 'Roads', departmentId: 'city', keywords: ['路'] }],
    })
    await createAreaStore(db).sync(AREAS)
    const tree = createAreaTree(await createAreaStore(db).load())
    const registry = createRegistryStore(db)
    await registry.importRows([
      entity('h1', 'household', 'v1', true),
      entity('h2', 'household', 'v1', true),
      entity('h3', 'household', 'v2'),
      entity('e1', 'enterprise', 't1', true),
      entity('e2', 'enterprise', 'd2'),
    ])
    const id = async (key: string) => (await registry.searchByName(key, tree.areas.map(a => a.id)))[0]!.entity.id
    const visits = createVisitStore(db)
    await visits.create(visit('a', await id('h1'), 'v1', 1, '2026-11-03', ['屋顶漏水', '想申请临时救助']))
    await visits.create(visit('b', await id('h1'), 'v1', 2, '2026-11-20'))
    await visits.create(visit('c', await id('e1'), 't1', 1, '2026-10-30', ['货车堵路']))
    await visits.create(visit('d', await id('e2'), 'd2', 3, '2026-11-05'))
    // The same intake key stores once.
    await visits.create(visit('a', await id('h1'), 'v1', 1, '2026-11-03', ['屋顶漏水', '想申请临时救助']))

    const tickets = createTicketStore(db, { timezone: 'Asia/Shanghai' })
    const [first] = (await visits.listByCadre(1)).filter(v => v.intakeKey === 'a')
    const made = []
    for (const problem of first!.problems) {
      const { ticket } = await tickets.createTicket({ intakeKey: `visit:${first!.id}:${problem.position}`, report: sampleReport(), classification: sampleClassification({ categoryId: 'roads', departmentId: 'city' }), status: 'assigned', actor: { id: 1, role: 'reporter' } })
      expect(await visits.linkTicket(problem.id, ticket.id)).toBe(true)
      made.push(ticket)
    }
    expect(await visits.linkTicket(first!.problems[0]!.id, made[1]!.id)).toBe(false)
    for (const [action, note] of [['accept', null], ['resolve', '已处理']] as const) {
      const current = (await tickets.findById(made[0]!.id))!
      await tickets.applyTransition(current.id, planTransition({ status: current.status, departmentId: 'city', action, role: 'handler', note }), { id: 9, role: 'handler' })
    }

    const deps = { coverage: createCoverageStore(db), areas: () => tree }
    const november = parsePeriod('2026-11', '2026-11-26')!
    const town = await coverageReport(deps, 't1', november)
    expect(town.total.entities.household).toEqual({ registered: 3, priority: 2, visited: 1, priorityVisited: 1 })
    expect(town.total.entities.enterprise).toEqual({ registered: 1, priority: 1, visited: 0, priorityVisited: 0 })
    expect(town.total).toMatchObject({ visits: 2, problems: 2, ticketsOpened: 2, ticketsResolved: 1 })
    expect(town.children.map(c => [c.area.name, c.figures.visits])).toEqual([['东村', 2], ['西村', 0]])
    expect(town.cadres).toEqual([{ cadreId: 1, cadreName: '干部1', visits: 1 }, { cadreId: 2, cadreName: '干部2', visits: 1 }])
    expect(renderCoverage(town)).toContain('家庭：已走访 1/3（33.3%），其中困难家庭 1/2（50%）')

    const allTime = await coverageReport(deps, 't1', ALL_TIME)
    expect(allTime.total.entities.enterprise!.visited).toBe(1)
    expect(allTime.total.problems).toBe(3)
    const city = await cityCoverage(deps, november)
    expect(city.districts.map(d => [d.area.name, d.figures.visits])).toEqual([['甲区', 2], ['乙区', 1]])
    expect(city.total.entities.enterprise).toEqual({ registered: 2, priority: 1, visited: 1, priorityVisited: 0 })
    expect((await registry.list(['v1', 'v2'], { unvisitedOnly: true })).map(e => e.externalKey)).toEqual(['h2', 'h3'])
  })

  it('keeps the summary equal to the figures counted from the rows through imports, moves and visits', async () => {
    const db = getDb()
    await createAreaStore(db).sync(AREAS)
    const registry = createRegistryStore(db)
    const coverage = createCoverageStore(db)
    const periods = [ALL_TIME, parsePeriod('2026', '2026-11-26')!, parsePeriod('2026-11', '2026-11-26')!, parsePeriod('2026-10', '2026-11-26')!]
    const expectEqual = async () => {
      for (const period of periods) {
        for (const areas of [null, ['t1', 'v1', 'v2']]) {
          const fromSummary = await coverage.figures(period, areas)
          const fromRows = await coverage.figuresFromRows(period, areas)
          expect([...fromSummary.byArea].sort()).toEqual([...fromRows.byArea].sort())
        }
      }
    }
    await registry.importRows([entity('h1', 'household', 'v1', true), entity('h2', 'household', 'v1'), entity('e1', 'enterprise', 't1', true)])
    const byKey = async (key: string) => (await registry.searchByName(key, AREAS.map(a => a.id)))[0]!.entity.id
    const visits = createVisitStore(db)
    await visits.create(visit('a', await byKey('h1'), 'v1', 1, '2026-11-03', ['屋顶漏水']))
    await visits.create(visit('b', await byKey('h1'), 'v1', 2, '2026-11-20'))
    await visits.create(visit('c', await byKey('h1'), 'v1', 2, '2026-10-02', ['路灯', '积水']))
    await visits.create(visit('d', await byKey('e1'), 't1', 1, '2026-10-30'))
    await visits.create(visit('e', null, 'v2', 1, '2026-11-30', ['无名']))
    await expectEqual()
    // A re-import that moves a visited household to another village and takes its flag away, and adds a new row.
    await registry.importRows([entity('h1', 'household', 'v2'), entity('h2', 'household', 'v1'), entity('e2', 'enterprise', 'd2', true)])
    await registry.create(entity('h3', 'household', 'v2', true))
    await visits.create(visit('f', await byKey('h3'), 'v2', 3, '2026-11-04'))
    await expectEqual()
    expect((await coverage.figures(ALL_TIME, ['v2'])).byArea.get('v2')!.entities.household).toEqual({ registered: 2, priority: 1, visited: 2, priorityVisited: 1 })
  })
})

it('reads periods as people type them', () => {
  expect(parsePeriod('', '2026-11-26')).toEqual(ALL_TIME)
  expect(parsePeriod('本月', '2026-02-10')).toEqual({ from: '2026-02-01', to: '2026-02-28' })
  expect(parsePeriod('上月', '2026-01-10')).toEqual({ from: '2025-12-01', to: '2025-12-31' })
  expect(parsePeriod('2026', '2026-11-26')).toEqual({ from: '2026-01-01', to: '2026-12-31' })
  expect(parsePeriod('2026-11-01..2026-11-15', '2026-11-26')).toEqual({ from: '2026-11-01', to: '2026-11-15' })
  expect(parsePeriod('2026-13', '2026-11-26')).toBeNull()
  expect(parsePeriod('黄埭镇', '2026-11-26')).toBeNull()
})
