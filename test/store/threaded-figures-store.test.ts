import type { ThreadedFiguresStore } from '#root/store/threaded-figures-store.js'
import type { ScratchDatabase } from '../helpers/database.js'
import { createAreaTree, districtOf } from '#root/domain/area.js'
import { planTransition } from '#root/domain/lifecycle.js'
import { createAreaStore } from '#root/store/area-store.js'
import { createCatalogStore } from '#root/store/catalog-store.js'
import { createMonthlyFiguresStore } from '#root/store/monthly-figures-store.js'
import { createStatsStore } from '#root/store/stats-store.js'
import { createThreadedFiguresStore } from '#root/store/threaded-figures-store.js'
import { createTicketStore } from '#root/store/ticket-store.js'
import { statsPeriods } from '#root/usecases/ticket-stats.js'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { createScratchDatabase } from '../helpers/database.js'
import { sampleClassification, sampleReport } from '../helpers/fixtures.js'

const TIMEZONE = 'Asia/Shanghai'
const NOW = new Date('2026-11-26T04:00:00Z')
const areas = [
  { id: 'sip', name: '苏州工业园区', level: 'district' as const, parentId: null },
  { id: 'sip-jinjihu', name: '金鸡湖社区', level: 'community' as const, parentId: 'sip' },
]

let scratch: ScratchDatabase
let threaded: ThreadedFiguresStore | undefined

beforeEach(async () => {
  scratch = await createScratchDatabase('sqlite')
})
afterEach(async () => {
  await threaded?.close()
  await scratch.drop()
})

it('answers /stats and the monthly figures in a worker thread exactly as on the bot\'s thread, and reads what the bot writes later', async () => {
  const db = await scratch.open()
  await createAreaStore(db).sync(areas)
  await createCatalogStore(db).sync({ departments: [{ id: 'city', nameZh: '城管局', nameEn: 'City Management' }], categories: [] })
  const tree = createAreaTree(areas)
  let clock = NOW
  const tickets = createTicketStore(db, { timezone: TIMEZONE, now: () => clock, districtOf: name => districtOf(tree, name) })
  const create = (key: string) => tickets.createTicket({
    intakeKey: key,
    report: sampleReport(),
    classification: sampleClassification({ departmentId: null, categoryId: null }),
    status: 'needs_triage',
    actor: { id: 1, role: 'reporter' },
  })
  await create('a')
  threaded = createThreadedFiguresStore(scratch.url, { timezone: TIMEZONE })
  const { month } = statsPeriods(NOW, TIMEZONE)
  expect((await threaded.ticketStats(month)).total).toBe(1)

  const { ticket } = await create('b')
  clock = new Date(NOW.getTime() + 3_600_000)
  await tickets.applyTransition(ticket.id, planTransition({ status: 'needs_triage', departmentId: null, action: 'assign', role: 'admin', departmentIdTo: 'city' }), { id: 9, role: 'admin' })
  const direct = { stats: createStatsStore(db), monthly: createMonthlyFiguresStore(db, { timezone: TIMEZONE, areas: () => tree }) }
  expect(await threaded.ticketStats(month)).toEqual(await direct.stats.ticketStats(month))
  for (const unit of ['district', 'department'] as const)
    expect(await threaded.monthFigures('2026-11', unit)).toEqual(await direct.monthly.monthFigures('2026-11', unit))
  expect((await threaded.monthFigures('2026-11', 'district')).map(f => [f.unit.id, f.received])).toEqual([['sip', 2]])
  await expect(threaded.monthFigures('2026-13', 'district')).rejects.toThrow(/YYYY-MM/)
})
