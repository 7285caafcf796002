import type { TicketStatus } from '#root/domain/ticket.js'
import type { Database } from '#root/store/database.js'
import { TICKET_STATUSES } from '#root/domain/ticket.js'

/** A half-open range of instants `[from, to)`. */
export interface TimeRange {
  from: Date
  to: Date
}

export interface CountOf<K> {
  key: K
  count: number
}

/** The median of a set of durations, and how many tickets it was taken over. */
export interface MedianDuration {
  /** Milliseconds; null when no ticket qualifies. */
  medianMs: number | null
  count: number
}

/** Figures about the tickets created in a time range, each counted under its current status, department and category. */
export interface TicketStats {
  total: number
  /** In lifecycle order; statuses without tickets left out. */
  byStatus: CountOf<TicketStatus>[]
  /** Most tickets first; null: no department yet. */
  byDepartment: CountOf<string | null>[]
  /** Most tickets first; null: unclassified. */
  byCategory: CountOf<string | null>[]
  /** Creation → first acceptance (受理), over the tickets of the range accepted so far. */
  toAccept: MedianDuration
  /** Creation → first resolution (办结), over the tickets of the range resolved so far. */
  toResolve: MedianDuration
  /** Tickets the classifier routed without a person, and how many of those kept their first department. */
  routing: { automatic: number, stood: number }
}

export interface StatsStore {
  ticketStats: (range: TimeRange) => Promise<TicketStats>
}

/**
 * A handler takes a ticket on by accepting it, or by starting on it straight away (assigned → in_progress skips
 * 已受理): whichever comes first is the acceptance.
 */
const ACCEPTING_STATUSES: readonly TicketStatus[] = ['accepted', 'in_progress']
const RESOLVED_STATUS: TicketStatus = 'resolved'

export function createStatsStore(db: Database): StatsStore {
  const { prisma } = db
  return {
    async ticketStats(range) {
      const created = { createdAt: { gte: range.from, lt: range.to } }
      const [groups, firsts, overturned] = await Promise.all([
        // One group per (status, department, category) present: a few dozen rows however many tickets there are.
        prisma.ticket.groupBy({
          by: ['status', 'departmentId', 'categoryId'],
          where: created,
          _count: { _all: true },
        }),
        // The earliest event of each kind per ticket, computed by the database. The 'created' event is written in
        // the ticket's own transaction with the ticket's createdAt, so it gives the start without a second query.
        prisma.ticketEvent.groupBy({
          by: ['ticketId', 'type', 'toStatus'],
          where: {
            ticket: created,
            OR: [{ type: 'created' }, { toStatus: { in: [...ACCEPTING_STATUSES, RESOLVED_STATUS] } }],
          },
          _min: { createdAt: true },
        }),
        prisma.routingCorrection.count({ where: { ticket: created, firstRouteAutomatic: true, overturned: true } }),
      ])

      const byStatus = new Map<TicketStatus, number>()
      const byDepartment = new Map<string | null, number>()
      const byCategory = new Map<string | null, number>()
      let total = 0
      for (const group of groups) {
        const count = group._count._all
        total += count
        add(byStatus, toStatus(group.status), count)
        add(byDepartment, group.departmentId, count)
        add(byCategory, group.categoryId, count)
      }

      const tickets = new Map<number, { createdAt?: number, acceptedAt?: number, resolvedAt?: number }>()
      let automatic = 0
      for (const row of firsts) {
        if (row.type === 'created' && row.toStatus === 'assigned')
          automatic++
        const at = row._min.createdAt?.getTime()
        if (at === undefined)
          continue
        const ticket = tickets.get(row.ticketId) ?? {}
        tickets.set(row.ticketId, ticket)
        if (row.type === 'created')
          ticket.createdAt = earliest(ticket.createdAt, at)
        if (row.toStatus && (ACCEPTING_STATUSES as readonly string[]).includes(row.toStatus))
          ticket.acceptedAt = earliest(ticket.acceptedAt, at)
        if (row.toStatus === RESOLVED_STATUS)
          ticket.resolvedAt = earliest(ticket.resolvedAt, at)
      }
      const toAccept: number[] = []
      const toResolve: number[] = []
      for (const ticket of tickets.values()) {
        if (ticket.createdAt === undefined)
          continue
        if (ticket.acceptedAt !== undefined)
          toAccept.push(ticket.acceptedAt - ticket.createdAt)
        if (ticket.resolvedAt !== undefined)
          toResolve.push(ticket.resolvedAt - ticket.createdAt)
      }

      return {
        total,
        byStatus: TICKET_STATUSES.filter(s => byStatus.has(s)).map(s => ({ key: s, count: byStatus.get(s)! })),
        byDepartment: mostFirst(byDepartment),
        byCategory: mostFirst(byCategory),
        toAccept: { medianMs: median(toAccept), count: toAccept.length },
        toResolve: { medianMs: median(toResolve), count: toResolve.length },
        routing: { automatic, stood: automatic - overturned },
      }
    },
  }
}

function add<K>(counts: Map<K, number>, key: K, count: number): void {
  counts.set(key, (counts.get(key) ?? 0) + count)
}

function earliest(current: number | undefined, at: number): number {
  return current === undefined ? at : Math.min(current, at)
}

/** Most tickets first; ties by id, with "none" (null) last, so that the order is stable between calls. */
function mostFirst(counts: Map<string | null, number>): CountOf<string | null>[] {
  return [...counts]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count
      || (a.key === null ? 1 : 0) - (b.key === null ? 1 : 0)
      || (a.key ?? '').localeCompare(b.key ?? ''))
}

/** The middle value; the mean of the two middle values for an even count. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0)
    return null
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

function toStatus(value: string): TicketStatus {
  if ((TICKET_STATUSES as readonly string[]).includes(value))
    return value as TicketStatus
  throw new Error(`unknown ticket status in the store: ${value}`)
}
