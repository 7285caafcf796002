import type { Catalog } from '#root/domain/catalog.js'
import type { TicketAction } from '#root/domain/lifecycle.js'
import type { Ticket, TicketStatus } from '#root/domain/ticket.js'
import { planTransition } from '#root/domain/lifecycle.js'
import { createCatalogStore } from '#root/store/catalog-store.js'
import { createRoutingCorrectionStore } from '#root/store/routing-correction-store.js'
import { createStatsStore, median } from '#root/store/stats-store.js'
import { createTicketStore } from '#root/store/ticket-store.js'
import { statsPeriods } from '#root/usecases/ticket-stats.js'
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

const report = sampleReport({ sourceChatId: 5_000_000_001, sourceChatType: 'private', sourceMessageId: 1, areaName: null, replyPrivately: true })

const classified = (categoryId: string | null, departmentId: string | null) => sampleClassification({ categoryId, departmentId })

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

// "Now" is 26 November 2026, 20:00 in Shanghai (UTC+8 all year).
const NOW = new Date('2026-11-26T12:00:00Z')
const periods = statsPeriods(NOW, 'Asia/Shanghai')

describeEachDatabase('stats store', (getDb) => {
  const setup = async () => {
    await createCatalogStore(getDb()).sync(catalog)
    let clock = NOW
    const tickets = createTicketStore(getDb(), { timezone: 'Asia/Shanghai', now: () => clock })
    let serial = 0

    /** A ticket created at `createdAt`, then moved by `steps`, each at its offset from the creation. */
    const ticket = async (
      createdAt: string,
      steps: [offsetMs: number, action: TicketAction, details?: Record<string, unknown>][] = [],
      where: { categoryId: string | null, departmentId: string | null } = { categoryId: 'streetlights', departmentId: 'city' },
    ): Promise<Ticket> => {
      const start = new Date(createdAt)
      clock = start
      const status: TicketStatus = where.departmentId ? 'assigned' : 'needs_triage'
      let { ticket: current } = await tickets.createTicket({
        intakeKey: `k${++serial}`,
        report,
        classification: classified(where.categoryId, where.departmentId),
        status,
        actor: { id: report.reporterId, role: 'reporter' },
      })
      for (const [offset, action, details] of steps) {
        clock = new Date(start.getTime() + offset)
        const role = action === 'assign' || action === 'close' || action === 'reopen' ? 'admin' : 'handler'
        const plan = planTransition({
          status: current.status,
          departmentId: current.departmentId,
          action,
          role,
          note: '已处理',
          departmentIdTo: action === 'assign' ? 'city' : action === 'reassign' ? 'transport' : null,
          ...(details ? { details } : {}),
        })
        current = (await tickets.applyTransition(current.id, plan, { id: 42, role })).ticket
      }
      return current
    }
    return { stats: createStatsStore(getDb()), ticket }
  }

  it('counts today\'s and this month\'s tickets by local day and month, with the median times', async () => {
    const { stats, ticket } = await setup()
    // Today in Shanghai runs from 2026-11-25T16:00Z to 2026-11-26T16:00Z.
    await ticket('2026-11-26T01:00:00Z', [[30 * MINUTE, 'accept'], [3 * HOUR + 12 * MINUTE, 'resolve']])
    // 23:59:59 local, still today; started without being accepted first.
    await ticket('2026-11-26T15:59:59Z', [[10 * MINUTE, 'start']])
    // Started, handed back, assigned again and accepted: the first start is when it was taken on.
    await ticket('2026-11-26T03:00:00Z', [[HOUR, 'start'], [2 * HOUR, 'return'], [3 * HOUR, 'assign'], [4 * HOUR, 'accept']])
    // Yesterday 23:59:59 local: this month but not today.
    await ticket('2026-11-25T15:59:59Z', [[2 * HOUR, 'accept'], [2 * DAY + 4 * HOUR, 'resolve'], [3 * DAY, 'close']], { categoryId: 'buses', departmentId: 'transport' })
    // 1 November 00:00 local: the first instant of the month; unclassified, waiting for triage.
    await ticket('2026-10-31T16:00:00Z', [], { categoryId: null, departmentId: null })
    // 27 November 00:00 local: tomorrow, but this month.
    await ticket('2026-11-26T16:00:00Z')
    // 31 October 23:59 local: last month, in neither.
    await ticket('2026-10-31T15:59:00Z', [[MINUTE, 'accept'], [2 * MINUTE, 'resolve']])

    const today = await stats.ticketStats(periods.today)
    expect(today).toEqual({
      total: 3,
      byStatus: [{ key: 'accepted', count: 1 }, { key: 'in_progress', count: 1 }, { key: 'resolved', count: 1 }],
      byDepartment: [{ key: 'city', count: 3 }],
      byCategory: [{ key: 'streetlights', count: 3 }],
      toAccept: { medianMs: 30 * MINUTE, count: 3 }, // 10 min, 30 min, 1 h
      toResolve: { medianMs: 3 * HOUR + 12 * MINUTE, count: 1 },
      routing: { automatic: 3, stood: 3 },
      followUp: { resolved: 1, rated: 0, satisfied: 0, unrated: 0, reworked: 0 },
    })

    const month = await stats.ticketStats(periods.month)
    expect(month).toEqual({
      total: 6,
      byStatus: [
        { key: 'needs_triage', count: 1 },
        { key: 'assigned', count: 1 },
        { key: 'accepted', count: 1 },
        { key: 'in_progress', count: 1 },
        { key: 'resolved', count: 1 },
        { key: 'closed', count: 1 },
      ],
      byDepartment: [{ key: 'city', count: 4 }, { key: 'transport', count: 1 }, { key: null, count: 1 }],
      byCategory: [{ key: 'streetlights', count: 4 }, { key: 'buses', count: 1 }, { key: null, count: 1 }],
      // 10 min, 30 min, 1 h, 2 h: the mean of the middle two.
      toAccept: { medianMs: 45 * MINUTE, count: 4 },
      // 3 h 12 min and 2 d 4 h.
      toResolve: { medianMs: (3 * HOUR + 12 * MINUTE + 2 * DAY + 4 * HOUR) / 2, count: 2 },
      routing: { automatic: 5, stood: 5 },
      followUp: { resolved: 2, rated: 0, satisfied: 0, unrated: 0, reworked: 0 },
    })
  })

  it('reports an empty range as zeros, without medians', async () => {
    const { stats, ticket } = await setup()
    await ticket('2026-10-15T04:00:00Z', [[HOUR, 'accept']])
    expect(await stats.ticketStats(periods.today)).toEqual({
      total: 0,
      byStatus: [],
      byDepartment: [],
      byCategory: [],
      toAccept: { medianMs: null, count: 0 },
      toResolve: { medianMs: null, count: 0 },
      routing: { automatic: 0, stood: 0 },
      followUp: { resolved: 0, rated: 0, satisfied: 0, unrated: 0, reworked: 0 },
    })
  })

  it('tells rated, unrated and reworked tickets apart, each by its latest follow-up', async () => {
    const { stats, ticket } = await setup()
    const resolved: [number, TicketAction][] = [[HOUR, 'accept'], [2 * HOUR, 'resolve']]
    await ticket('2026-11-26T01:00:00Z', [...resolved, [3 * HOUR, 'close', { satisfaction: 'satisfied' }]])
    await ticket('2026-11-26T01:10:00Z', [...resolved, [3 * HOUR, 'close', { satisfaction: 'partly_satisfied' }]])
    await ticket('2026-11-26T01:20:00Z', [...resolved, [3 * HOUR, 'close', { satisfaction: 'no_response' }]])
    // Not satisfied: reopened for rework, resolved again and then rated satisfied; its latest rating counts.
    await ticket('2026-11-26T01:30:00Z', [...resolved, [3 * HOUR, 'reopen', { satisfaction: 'not_satisfied' }], [4 * HOUR, 'resolve'], [5 * HOUR, 'close', { satisfaction: 'satisfied' }]])
    // Reopened and still being reworked.
    await ticket('2026-11-26T01:40:00Z', [...resolved, [3 * HOUR, 'reopen', { satisfaction: 'not_satisfied' }]])
    // Resolved, waiting for the reporter; and one never resolved.
    await ticket('2026-11-26T01:50:00Z', resolved)
    await ticket('2026-11-26T02:00:00Z', [[HOUR, 'accept']])
    const today = await stats.ticketStats(periods.today)
    expect(today.followUp).toEqual({ resolved: 6, rated: 4, satisfied: 3, unrated: 1, reworked: 2 })
    expect(today.toResolve).toEqual({ medianMs: 2 * HOUR, count: 6 })
    expect(today.toAccept).toEqual({ medianMs: HOUR, count: 7 })
  })

  it('lists departments and categories with the most tickets first', async () => {
    const { stats, ticket } = await setup()
    await ticket('2026-11-26T01:00:00Z', [], { categoryId: 'buses', departmentId: 'transport' })
    await ticket('2026-11-26T02:00:00Z', [], { categoryId: 'buses', departmentId: 'transport' })
    await ticket('2026-11-26T03:00:00Z')
    const today = await stats.ticketStats(periods.today)
    expect(today.byDepartment).toEqual([{ key: 'transport', count: 2 }, { key: 'city', count: 1 }])
    expect(today.byCategory).toEqual([{ key: 'buses', count: 2 }, { key: 'streetlights', count: 1 }])
    expect(today.byStatus).toEqual([{ key: 'assigned', count: 3 }])
  })

  it('counts an automatic route as not standing once a person moved the ticket to another department', async () => {
    const { stats, ticket } = await setup()
    const corrections = createRoutingCorrectionStore(getDb())
    const moved = await ticket('2026-11-26T01:00:00Z', [[HOUR, 'reassign']])
    await corrections.record({ ticketId: moved.id, finalCategoryId: 'buses', finalDepartmentId: 'transport', action: 'reassign', actorId: 42 })
    const confirmed = await ticket('2026-11-26T02:00:00Z', [], { categoryId: null, departmentId: null })
    await corrections.record({ ticketId: confirmed.id, finalCategoryId: 'streetlights', finalDepartmentId: 'city', action: 'assign', actorId: 42 })
    await ticket('2026-11-26T03:00:00Z')
    // The triaged ticket was never routed automatically; of the two that were, one kept its department.
    expect((await stats.ticketStats(periods.today)).routing).toEqual({ automatic: 2, stood: 1 })
    expect(await corrections.listExamples()).toEqual([
      { text: report.description, categoryId: 'buses', departmentId: 'transport' },
      { text: report.description, categoryId: 'streetlights', departmentId: 'city' },
    ])
  })
})

it('takes the median of odd and even counts', () => {
  expect(median([])).toBeNull()
  expect(median([5])).toBe(5)
  expect(median([9, 1, 5])).toBe(5)
  expect(median([4, 1, 3, 2])).toBe(2.5)
})
