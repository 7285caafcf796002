import type { TicketStatus } from '#root/domain/ticket.js'
import type { Database } from '#root/store/database.js'
import { TICKET_STATUSES } from '#root/domain/ticket.js'
import { sqlPlaceholder } from '#root/store/sql-placeholder.js'

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

/** 回访 and 重办: how the follow-ups of the range's tickets ended so far, each ticket by its latest follow-up. */
export interface FollowUpCounts {
  /** Tickets resolved (办结) at least once. */
  resolved: number
  /** Rated by the reporter (satisfied, partly satisfied or not satisfied), and of those satisfied or partly so. */
  rated: number
  satisfied: number
  /** Closed with no answer from the reporter (no response). */
  unrated: number
  /** Reopened for rework (重办) at least once. */
  reworked: number
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
  followUp: FollowUpCounts
}

export interface StatsStore {
  ticketStats: (range: TimeRange) => Promise<TicketStats>
}

/** Ratings that count as satisfied (满意 and 基本满意), as a 12345 bulletin counts its satisfaction rate. */
const SATISFIED = `'satisfied', 'partly_satisfied'`
const RATED = `'satisfied', 'partly_satisfied', 'not_satisfied'`

interface GroupRow {
  status: string
  departmentId: string | null
  categoryId: string | null
  total: unknown
  automatic: unknown
  accepted: unknown
  resolved: unknown
  rated: unknown
  satisfied: unknown
  unrated: unknown
  reworked: unknown
}

/**
 * The figures are SQL aggregates over the columns a ticket keeps for them (first acceptance and resolution, the
 * latest follow-up, rework): one GROUP BY over the range's tickets, found through the index on creation time, and
 * a median per duration taken by the database (percentile_cont on PostgreSQL, one row at the middle offset on
 * SQLite). No event is read.
 */
export function createStatsStore(db: Database): StatsStore {
  const { prisma } = db
  const p = (n: number) => sqlPlaceholder(db.provider, n)
  const within = `"createdAt" >= ${p(1)} AND "createdAt" < ${p(2)}`
  const sum = (condition: string) => `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`
  const millisBetween = (start: string, end: string) => db.provider === 'postgresql'
    ? `EXTRACT(EPOCH FROM (${end} - ${start})) * 1000`
    : `(julianday(${end}) - julianday(${start})) * 86400000.0`

  /** The median of `end - start` over the range's tickets that have `end`, given how many they are. */
  async function medianMs(range: TimeRange, end: string, count: number): Promise<number | null> {
    if (count === 0)
      return null
    const duration = millisBetween('"createdAt"', end)
    if (db.provider === 'postgresql') {
      const [row] = await prisma.$queryRawUnsafe<{ median: unknown }[]>(
        `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ${duration}) AS "median" FROM "Ticket" WHERE ${within} AND ${end} IS NOT NULL`,
        range.from,
        range.to,
      )
      return Math.round(Number(row!.median))
    }
    // The middle row, or the two middle rows of an even count: the database keeps only that many while it sorts.
    const rows = await prisma.$queryRawUnsafe<{ ms: unknown }[]>(
      `SELECT ${duration} AS "ms" FROM "Ticket" WHERE ${within} AND ${end} IS NOT NULL ORDER BY 1 LIMIT ${count % 2 === 1 ? 1 : 2} OFFSET ${Math.floor((count - 1) / 2)}`,
      range.from,
      range.to,
    )
    const values = rows.map(r => Math.round(Number(r.ms)))
    return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length
  }

  return {
    async ticketStats(range) {
      const [groups, overturned] = await Promise.all([
        // One group per (status, department, category) present: a few dozen rows however many tickets there are.
        prisma.$queryRawUnsafe<GroupRow[]>(
          `SELECT "status" AS "status", "departmentId" AS "departmentId", "categoryId" AS "categoryId", COUNT(*) AS "total",
             ${sum('"autoRouted"')} AS "automatic",
             ${sum('"firstAcceptedAt" IS NOT NULL')} AS "accepted",
             ${sum('"firstResolvedAt" IS NOT NULL')} AS "resolved",
             ${sum(`"satisfaction" IN (${RATED})`)} AS "rated",
             ${sum(`"satisfaction" IN (${SATISFIED})`)} AS "satisfied",
             ${sum(`"satisfaction" = 'no_response'`)} AS "unrated",
             ${sum('"reworkCount" > 0')} AS "reworked"
           FROM "Ticket" WHERE ${within} GROUP BY "status", "departmentId", "categoryId"`,
          range.from,
          range.to,
        ),
        prisma.routingCorrection.count({ where: { ticket: { createdAt: { gte: range.from, lt: range.to } }, firstRouteAutomatic: true, overturned: true } }),
      ])

      const byStatus = new Map<TicketStatus, number>()
      const byDepartment = new Map<string | null, number>()
      const byCategory = new Map<string | null, number>()
      const totals = { total: 0, automatic: 0, accepted: 0, resolved: 0, rated: 0, satisfied: 0, unrated: 0, reworked: 0 }
      for (const group of groups) {
        const count = Number(group.total)
        add(byStatus, toStatus(group.status), count)
        add(byDepartment, group.departmentId, count)
        add(byCategory, group.categoryId, count)
        for (const key of Object.keys(totals) as (keyof typeof totals)[])
          totals[key] += Number(group[key] ?? 0)
      }
      // One after the other: SQLite has one connection, and PostgreSQL answers each in a few milliseconds.
      const toAccept = await medianMs(range, '"firstAcceptedAt"', totals.accepted)
      const toResolve = await medianMs(range, '"firstResolvedAt"', totals.resolved)

      return {
        total: totals.total,
        byStatus: TICKET_STATUSES.filter(s => byStatus.has(s)).map(s => ({ key: s, count: byStatus.get(s)! })),
        byDepartment: mostFirst(byDepartment),
        byCategory: mostFirst(byCategory),
        toAccept: { medianMs: toAccept, count: totals.accepted },
        toResolve: { medianMs: toResolve, count: totals.resolved },
        routing: { automatic: totals.automatic, stood: totals.automatic - overturned },
        followUp: { resolved: totals.resolved, rated: totals.rated, satisfied: totals.satisfied, unrated: totals.unrated, reworked: totals.reworked },
      }
    },
  }
}

function add<K>(counts: Map<K, number>, key: K, count: number): void {
  counts.set(key, (counts.get(key) ?? 0) + count)
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
