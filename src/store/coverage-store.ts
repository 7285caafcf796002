import type { EntityKind } from '#root/domain/visit.js'
import type { Database } from '#root/store/database.js'
import { bucketOfPeriod } from '#root/store/coverage-summary.js'
import { sqlPlaceholder } from '#root/store/sql-placeholder.js'

/** Days compared as text, YYYY-MM-DD, both ends included. */
export interface Period {
  from: string
  to: string
}

export interface EntityCounts {
  registered: number
  /** Households in difficulty and enterprises above designated size: what the four full coverages count. */
  priority: number
  visited: number
  priorityVisited: number
}

export interface AreaFigures {
  entities: Partial<Record<EntityKind, EntityCounts>>
  visits: number
  problems: number
  ticketsOpened: number
  ticketsResolved: number
}

export interface CoverageRows {
  /** Per area, the figures of that area alone (not rolled up). */
  byArea: Map<string, AreaFigures>
  cadres: { cadreId: number, cadreName: string, visits: number }[]
}

export interface CoverageStore {
  /**
   * Aggregates computed by the database: a few rows per area, never the entities or visits themselves. `areaIds`
   * limits them to those areas (one street and what lies under it); null counts every area (the city).
   */
  figures: (period: Period, areaIds: readonly string[] | null) => Promise<CoverageRows>
}

/** The figures counted from the rows themselves, whatever the period: what the summary must always agree with. */
export interface CheckedCoverageStore extends CoverageStore {
  figuresFromRows: CoverageStore['figures']
}

export function createCoverageStore(db: Database): CheckedCoverageStore {
  const { prisma } = db
  const p = (n: number) => sqlPlaceholder(db.provider, n)
  const num = (v: unknown) => Number(v ?? 0)

  return {
    figures: (period, areaIds) => {
      const bucket = bucketOfPeriod(period)
      return bucket === null ? fromRows(period, areaIds) : fromSummary(bucket, period, areaIds)
    },
    figuresFromRows: fromRows,
  }

  /** A whole month, year or all time: the summary tables, plus the few problems that became tickets. */
  async function fromSummary(bucket: string, period: Period, areaIds: readonly string[] | null): Promise<CoverageRows> {
    const inAreas = (column: string, first: number) => (areaIds === null ? '' : `AND ${column} IN (${areaIds.map((_, i) => p(i + first)).join(', ')})`)
    const areaValues = areaIds ?? []
    const [registered, visited, visits, tickets] = await Promise.all([
      prisma.$queryRawUnsafe<{ areaId: string, kind: string, registered: unknown, priority: unknown }[]>(
        `SELECT "areaId" AS "areaId", "kind" AS "kind", "registered" AS "registered", "priority" AS "priority"
         FROM "CoverageEntityCount" WHERE "registered" > 0 ${inAreas('"areaId"', 1)}`,
        ...areaValues,
      ),
      prisma.$queryRawUnsafe<{ areaId: string, kind: string, visited: unknown, priorityVisited: unknown }[]>(
        `SELECT "areaId" AS "areaId", "kind" AS "kind", "visited" AS "visited", "priorityVisited" AS "priorityVisited"
         FROM "CoverageVisitedCount" WHERE "bucket" = ${p(1)} ${inAreas('"areaId"', 2)}`,
        bucket,
        ...areaValues,
      ),
      prisma.$queryRawUnsafe<{ areaId: string, visits: unknown, problems: unknown }[]>(
        `SELECT "areaId" AS "areaId", "visits" AS "visits", "problems" AS "problems"
         FROM "CoverageVisitCount" WHERE "bucket" = ${p(1)} AND "visits" > 0 ${inAreas('"areaId"', 2)}`,
        bucket,
        ...areaValues,
      ),
      // Only problems that became tickets: few beside all problems heard, found through the ticket index (CROSS JOIN
      // keeps SQLite from starting at the visits instead).
      prisma.$queryRawUnsafe<{ areaId: string, opened: unknown, resolved: unknown }[]>(
        `SELECT v."areaId" AS "areaId", COUNT(*) AS "opened",
           SUM(CASE WHEN t."status" IN ('resolved', 'closed') THEN 1 ELSE 0 END) AS "resolved"
         FROM "VisitProblem" pr
         CROSS JOIN "Visit" v
         LEFT JOIN "Ticket" t ON t."id" = pr."ticketId"
         WHERE v."id" = pr."visitId" AND pr."ticketId" IS NOT NULL AND v."visitedOn" >= ${p(1)} AND v."visitedOn" <= ${p(2)} ${inAreas('v."areaId"', 3)}
         GROUP BY v."areaId"`,
        period.from,
        period.to,
        ...areaValues,
      ),
    ])
    const byArea = new Map<string, AreaFigures>()
    const visitedOf = new Map(visited.map(r => [`${r.areaId}\u0000${r.kind}`, r]))
    for (const row of registered) {
      const seen = visitedOf.get(`${row.areaId}\u0000${row.kind}`)
      figuresAt(byArea, row.areaId).entities[row.kind as EntityKind] = {
        registered: num(row.registered),
        priority: num(row.priority),
        visited: num(seen?.visited),
        priorityVisited: num(seen?.priorityVisited),
      }
    }
    for (const row of visits) {
      const figures = figuresAt(byArea, row.areaId)
      figures.visits = num(row.visits)
      figures.problems = num(row.problems)
    }
    for (const row of tickets) {
      const figures = figuresAt(byArea, row.areaId)
      figures.ticketsOpened = num(row.opened)
      figures.ticketsResolved = num(row.resolved)
    }
    return { byArea, cadres: await cadresOf(period, areaIds) }
  }

  async function cadresOf(period: Period, areaIds: readonly string[] | null): Promise<CoverageRows['cadres']> {
    // Visits per cadre only for a part of the city: city-wide, tens of thousands of cadres are no list to read.
    if (areaIds === null)
      return []
    const cadres = await prisma.$queryRawUnsafe<{ cadreId: unknown, cadreName: string, visits: unknown }[]>(
      `SELECT "cadreId" AS "cadreId", MAX("cadreName") AS "cadreName", COUNT(*) AS "visits" FROM "Visit"
       WHERE "visitedOn" >= ${p(1)} AND "visitedOn" <= ${p(2)} AND "areaId" IN (${areaIds.map((_, i) => p(i + 3)).join(', ')})
       GROUP BY "cadreId" ORDER BY COUNT(*) DESC, "cadreId" LIMIT 20`,
      period.from,
      period.to,
      ...areaIds,
    )
    return cadres.map(c => ({ cadreId: num(c.cadreId), cadreName: c.cadreName, visits: num(c.visits) }))
  }

  /** Any other period: counted from the rows themselves. */
  async function fromRows(period: Period, areaIds: readonly string[] | null): Promise<CoverageRows> {
    const priority = `(e."inDifficulty" OR e."aboveDesignatedSize")`
    // One probe of the (entityId, visitedOn) index per entity counted: one street's report reads that street only.
    const visited = `EXISTS (SELECT 1 FROM "Visit" v WHERE v."entityId" = e."id" AND v."visitedOn" >= ${p(1)} AND v."visitedOn" <= ${p(2)})`
    // Placeholders 1 and 2 are the period; the areas follow.
    const inAreas = (column: string) => (areaIds === null ? '' : `AND ${column} IN (${areaIds.map((_, i) => p(i + 3)).join(', ')})`)
    const areaValues = areaIds ?? []
    const [entities, visits, problems] = await Promise.all([
      prisma.$queryRawUnsafe<{ areaId: string, kind: string, registered: unknown, priority: unknown, visited: unknown, priorityVisited: unknown }[]>(
        `SELECT e."areaId" AS "areaId", e."kind" AS "kind", COUNT(*) AS "registered",
           SUM(CASE WHEN ${priority} THEN 1 ELSE 0 END) AS "priority",
           SUM(CASE WHEN ${visited} THEN 1 ELSE 0 END) AS "visited",
           SUM(CASE WHEN ${visited} AND ${priority} THEN 1 ELSE 0 END) AS "priorityVisited"
         FROM "RegistryEntity" e
         WHERE 1 = 1 ${inAreas('e."areaId"')}
         GROUP BY e."areaId", e."kind"`,
        period.from,
        period.to,
        ...areaValues,
      ),
      prisma.$queryRawUnsafe<{ areaId: string, visits: unknown }[]>(
        `SELECT "areaId" AS "areaId", COUNT(*) AS "visits" FROM "Visit"
         WHERE "visitedOn" >= ${p(1)} AND "visitedOn" <= ${p(2)} ${inAreas('"areaId"')} GROUP BY "areaId"`,
        period.from,
        period.to,
        ...areaValues,
      ),
      prisma.$queryRawUnsafe<{ areaId: string, problems: unknown, opened: unknown, resolved: unknown }[]>(
        `SELECT v."areaId" AS "areaId", COUNT(pr."id") AS "problems", COUNT(pr."ticketId") AS "opened",
           SUM(CASE WHEN t."status" IN ('resolved', 'closed') THEN 1 ELSE 0 END) AS "resolved"
         FROM "VisitProblem" pr
         JOIN "Visit" v ON v."id" = pr."visitId"
         LEFT JOIN "Ticket" t ON t."id" = pr."ticketId"
         WHERE v."visitedOn" >= ${p(1)} AND v."visitedOn" <= ${p(2)} ${inAreas('v."areaId"')}
         GROUP BY v."areaId"`,
        period.from,
        period.to,
        ...areaValues,
      ),
    ])
    const byArea = new Map<string, AreaFigures>()
    const at = (areaId: string) => figuresAt(byArea, areaId)
    for (const row of entities) {
      at(row.areaId).entities[row.kind as EntityKind] = {
        registered: num(row.registered),
        priority: num(row.priority),
        visited: num(row.visited),
        priorityVisited: num(row.priorityVisited),
      }
    }
    for (const row of visits) at(row.areaId).visits = num(row.visits)
    for (const row of problems) {
      const figures = at(row.areaId)
      figures.problems = num(row.problems)
      figures.ticketsOpened = num(row.opened)
      figures.ticketsResolved = num(row.resolved)
    }
    return { byArea, cadres: await cadresOf(period, areaIds) }
  }
}

function figuresAt(byArea: Map<string, AreaFigures>, areaId: string): AreaFigures {
  let figures = byArea.get(areaId)
  if (!figures) {
    figures = { entities: {}, visits: 0, problems: 0, ticketsOpened: 0, ticketsResolved: 0 }
    byArea.set(areaId, figures)
  }
  return figures
}
