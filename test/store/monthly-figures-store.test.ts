import type { Area } from '#root/domain/area.js'
import type { Catalog } from '#root/domain/catalog.js'
import type { TicketAction } from '#root/domain/lifecycle.js'
import type { Ticket } from '#root/domain/ticket.js'
import { createAreaTree, districtOf } from '#root/domain/area.js'
import { planTransition } from '#root/domain/lifecycle.js'
import { emptyFigures } from '#root/domain/monthly-figures.js'
import { createAreaStore } from '#root/store/area-store.js'
import { createCatalogStore } from '#root/store/catalog-store.js'
import { createMonthlyFiguresStore } from '#root/store/monthly-figures-store.js'
import { createTicketStore } from '#root/store/ticket-store.js'
import { expect, it } from 'vitest'
import { describeEachDatabase } from '../helpers/database.js'
import { sampleClassification, sampleReport } from '../helpers/fixtures.js'

const catalog: Catalog = {
  departments: [
    { id: 'city', nameZh: '城管局', nameEn: 'City Management' },
    { id: 'transport', nameZh: '交通运输局', nameEn: 'Transport' },
  ],
  categories: [
    { id: 'streetlights', nameZh: '路灯', nameEn: 'Street lights', departmentId: 'city', keywords: ['路灯'] },
    { id: 'buses', nameZh: '公交', nameEn: 'Buses', departmentId: 'transport', keywords: ['公交'] },
  ],
}

const areas: Area[] = [
  { id: 'gusu', name: '姑苏区', level: 'district', parentId: null },
  { id: 'gs-pingjiang', name: '平江街道', level: 'street', parentId: 'gusu' },
  { id: 'gs-pingjiang-lu', name: '平江路社区', level: 'community', parentId: 'gs-pingjiang' },
  { id: 'sip', name: '苏州工业园区', level: 'district', parentId: null },
  { id: 'sip-jinjihu', name: '金鸡湖街道', level: 'street', parentId: 'sip' },
  { id: 'xiangcheng', name: '相城区', level: 'district', parentId: null },
  { id: 'xc-huangdai', name: '黄埭镇', level: 'town', parentId: 'xiangcheng' },
]
const tree = createAreaTree(areas)

const HOUR = 3_600_000
const DAY = 24 * HOUR
const TIMEZONE = 'Asia/Shanghai'
// November 2026 in Shanghai: 2026-10-31T16:00Z to 2026-11-30T16:00Z.
const NOVEMBER_START = new Date('2026-10-31T16:00:00Z')
const DECEMBER_START = new Date('2026-11-30T16:00:00Z')

describeEachDatabase('monthly figures store', (getDb) => {
  const setup = async () => {
    await createCatalogStore(getDb()).sync(catalog)
    await createAreaStore(getDb()).sync(areas)
    let clock = NOVEMBER_START
    const tickets = createTicketStore(getDb(), {
      timezone: TIMEZONE,
      now: () => clock,
      // Accept within a day, resolve within three.
      dueTimes: (_ticket, at) => ({ acceptDueAt: new Date(at.getTime() + DAY), resolveDueAt: new Date(at.getTime() + 3 * DAY) }),
      districtOf: name => districtOf(tree, name),
    })
    let serial = 0
    const at = (instant: Date) => {
      clock = instant
    }
    const create = async (createdAt: Date, areaName: string | null, departmentId: string | null = 'city'): Promise<Ticket> => {
      at(createdAt)
      return (await tickets.createTicket({
        intakeKey: `k${++serial}`,
        report: sampleReport({ areaName }),
        classification: sampleClassification({ departmentId, categoryId: departmentId === 'transport' ? 'buses' : departmentId ? 'streetlights' : null }),
        status: departmentId ? 'assigned' : 'needs_triage',
        actor: { id: 1, role: 'reporter' },
      })).ticket
    }
    const act = async (ticket: Ticket, when: Date, action: TicketAction, details?: Record<string, unknown>): Promise<Ticket> => {
      at(when)
      const current = (await tickets.findById(ticket.id))!
      const role = action === 'close' || action === 'reopen' ? 'reporter' : 'handler'
      const plan = planTransition({ status: current.status, departmentId: current.departmentId, action, role, note: '已处理', ...(details ? { details } : {}) })
      return (await tickets.applyTransition(ticket.id, plan, { id: role === 'reporter' ? 1 : 42, role })).ticket
    }
    const figures = createMonthlyFiguresStore(getDb(), { timezone: TIMEZONE, areas: () => tree })
    return { tickets, create, act, at, figures }
  }

  const blank = emptyFigures

  it('counts each figure in the month its instant falls in, per district and per department', async () => {
    const { tickets, create, act, figures } = await setup()
    const nov = (day: number, hour = 10) => new Date(NOVEMBER_START.getTime() + (day - 1) * DAY + hour * HOUR)

    // 姑苏区, city: accepted and resolved on time, rated satisfied.
    const a = await create(nov(2), '平江路社区')
    await act(a, nov(2, 12), 'accept')
    await act(a, nov(3), 'resolve')
    await act(a, nov(4), 'close', { satisfaction: 'satisfied' })
    // 姑苏区, city: accepted late, resolved late (overdue at its deadline), reworked, resolved again, closed unrated.
    const b = await create(nov(5), '平江街道')
    await act(b, nov(7), 'start')
    await act(b, nov(9), 'resolve')
    await act(b, nov(10), 'reopen', { satisfaction: 'not_satisfied' })
    await act(b, nov(11), 'resolve')
    await act(b, nov(20), 'close', { satisfaction: 'no_response' })
    // 苏州工业园区 by the street's name, transport: an extension approved, then a 催办 step after the new deadline.
    const c = await create(nov(10), '金鸡湖街道', 'transport')
    const request = await tickets.requestExtension(c.id, { note: '需要采购', data: {} }, { id: 42, role: 'handler' }, () => [])
    const newDue = new Date(c.resolveDueAt!.getTime() + 5 * DAY)
    await tickets.decideExtension(c.id, { requestId: request!.event.id, approve: true, newDueAt: newDue }, { id: 9, role: 'admin' }, () => [])
    await act(c, nov(25), 'accept')
    await tickets.takeChaseStep(c.id, { level: 2, dueAt: newDue, event: { type: 'chase', note: null, data: { step: 'overdue' } } }, () => [])
    // An area nobody knows, and a ticket waiting for triage: the unassigned units.
    await create(nov(28), '火星社区')
    await create(nov(29), null, null)
    // 31 October 23:59 local (last month) and 1 December 00:00 local (next month): neither is November's.
    await create(new Date(NOVEMBER_START.getTime() - 60_000), '平江街道')
    await create(DECEMBER_START, '平江街道')

    const gusu = { kind: 'district' as const, id: 'gusu', nameZh: '姑苏区', nameEn: '姑苏区' }
    const sip = { kind: 'district' as const, id: 'sip', nameZh: '苏州工业园区', nameEn: '苏州工业园区' }
    const unknownArea = { kind: 'district' as const, id: 'unassigned', nameZh: '区域不明', nameEn: 'Area unknown' }
    const districts = await figures.monthFigures('2026-11', 'district')
    expect(districts).toEqual([
      {
        ...blank(gusu),
        received: 2,
        // a and b were due for acceptance on 3 and 6 November (b was started on the 7th, late), and so was the
        // ticket of 31 October 23:59 on 1 November, which nobody took on.
        acceptDue: 3,
        acceptedOnTime: 1,
        // Completion deadlines: a's on 5 November, b's on the 8th (it went overdue then), October's on the 3rd.
        resolveDue: 3,
        resolvedOnTime: 1,
        overdue: 1,
        resolved: 2,
        reworked: 1,
        rated: 1,
        satisfied: 1,
        unrated: 1,
      },
      {
        ...blank(sip),
        received: 1,
        acceptDue: 1,
        acceptedOnTime: 0,
        // The extended deadline (18 Nov) passed; the 催办 step marked it overdue.
        resolveDue: 1,
        overdue: 1,
        extensions: 1,
      },
      // The unknown area and the ticket with no area at all; the first was due for acceptance on 29 November,
      // the second (created 29 Nov 10:00) on 30 November 10:00 local: both in November.
      { ...blank(unknownArea), received: 2, acceptDue: 2 },
    ])

    const departments = await figures.monthFigures('2026-11', 'department')
    expect(departments.map(d => [d.unit.id, d.unit.nameZh, d.received, d.resolved, d.extensions, d.visits])).toEqual([
      ['city', '城管局', 3, 2, 0, null],
      ['transport', '交通运输局', 1, 0, 1, null],
      ['unassigned', '待分派', 1, 0, 0, null],
    ])

    // October holds only the ticket of its last minute; December the one of its first, and the completion
    // deadlines of that one and of the two unassigned tickets.
    expect((await figures.monthFigures('2026-10', 'district')).map(d => [d.unit.id, d.received])).toEqual([['gusu', 1]])
    expect((await figures.monthFigures('2026-12', 'district')).map(d => [d.unit.id, d.received, d.resolveDue])).toEqual([['gusu', 1, 1], ['unassigned', 0, 2]])
  })

  it('adds the month\'s visits and the year\'s coverage to districts from the coverage summary, even without tickets', async () => {
    const { figures } = await setup()
    const { prisma } = getDb()
    await prisma.coverageEntityCount.createMany({
      data: [
        { areaId: 'gs-pingjiang-lu', kind: 'household', registered: 30, priority: 3 },
        { areaId: 'gs-pingjiang', kind: 'enterprise', registered: 10, priority: 1 },
        { areaId: 'xc-huangdai', kind: 'household', registered: 5, priority: 0 },
      ],
    })
    await prisma.coverageVisitedCount.createMany({
      data: [
        { areaId: 'gs-pingjiang-lu', kind: 'household', bucket: '2026', visited: 12, priorityVisited: 1 },
        { areaId: 'gs-pingjiang', kind: 'enterprise', bucket: '2026', visited: 8, priorityVisited: 1 },
        { areaId: 'gs-pingjiang-lu', kind: 'household', bucket: '2026-11', visited: 4, priorityVisited: 0 },
      ],
    })
    await prisma.coverageVisitCount.createMany({
      data: [
        { areaId: 'gs-pingjiang-lu', bucket: '2026-11', visits: 6, problems: 1 },
        { areaId: 'gs-pingjiang', bucket: '2026-11', visits: 2, problems: 0 },
        { areaId: 'gs-pingjiang', bucket: '2026-10', visits: 9, problems: 0 },
      ],
    })
    const districts = await figures.monthFigures('2026-11', 'district')
    // 姑苏区: 8 visits in November, 20 of 40 entities visited in 2026. 相城区 had no visit and no ticket: left out.
    expect(districts).toEqual([{ ...blank({ kind: 'district', id: 'gusu', nameZh: '姑苏区', nameEn: '姑苏区' }), visits: 8, coverage: 0.5 }])
    expect(await figures.monthFigures('2026-11', 'department')).toEqual([])
  })

  it('refuses a month that is not YYYY-MM', async () => {
    const { figures } = await setup()
    await expect(figures.monthFigures('2026-13', 'district')).rejects.toThrow(/YYYY-MM/)
    await expect(figures.monthFigures('November', 'department')).rejects.toThrow(/YYYY-MM/)
  })
})
