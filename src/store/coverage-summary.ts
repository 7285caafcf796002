import type { Period } from '#root/store/coverage-store.js'
import type { DatabaseProvider } from '#root/store/database.js'
import { sqlPlaceholder } from '#root/store/sql-placeholder.js'

/**
 * The coverage summary tables (CoverageEntityCount, CoverageVisitedCount, CoverageVisitCount): per area, kind and
 * bucket ('' all time, '2026' a year, '2026-11' a month), what a report counts. Every write of a registry row or a
 * visit updates them in its own transaction, so that a report of a whole bucket reads a few rows per area.
 */

/** What the helpers need of a Prisma client or of an interactive transaction's client. */
export interface RawExecutor {
  $executeRawUnsafe: (query: string, ...values: unknown[]) => Promise<number>
}

const PRIORITY = `CASE WHEN e."inDifficulty" OR e."aboveDesignatedSize" THEN 1 ELSE 0 END`

/** The buckets a day falls in, each with the period it stands for. */
export function bucketsOf(day: string): { bucket: string, period: Period }[] {
  const year = day.slice(0, 4)
  const month = day.slice(0, 7)
  const lastDay = new Date(Date.UTC(Number(year), Number(day.slice(5, 7)), 0)).getUTCDate()
  return [
    { bucket: '', period: { from: '0000-01-01', to: '9999-12-31' } },
    { bucket: year, period: { from: `${year}-01-01`, to: `${year}-12-31` } },
    { bucket: month, period: { from: `${month}-01`, to: `${month}-${String(lastDay).padStart(2, '0')}` } },
  ]
}

/** The bucket a period is exactly (all time, a whole year, a whole month), or null when the summary cannot answer it. */
export function bucketOfPeriod(period: Period): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(period.from))
    return null
  return bucketsOf(period.from).find(b => b.period.from === period.from && b.period.to === period.to)?.bucket ?? null
}

function upsert(table: string, keys: string[], counts: string[]): string {
  return `ON CONFLICT (${keys.map(k => `"${k}"`).join(', ')}) DO UPDATE SET ${counts.map(c => `"${c}" = "${table}"."${c}" + excluded."${c}"`).join(', ')}`
}
const ENTITY_UPSERT = upsert('CoverageEntityCount', ['areaId', 'kind'], ['registered', 'priority'])
const VISITED_UPSERT = upsert('CoverageVisitedCount', ['areaId', 'kind', 'bucket'], ['visited', 'priorityVisited'])
const VISIT_UPSERT = upsert('CoverageVisitCount', ['areaId', 'bucket'], ['visits', 'problems'])

/** Entities visited, once per entity and bucket: the three buckets of every day it was visited on. */
function visitedBuckets(where: string): string {
  return ['CAST(\'\' AS TEXT)', 'SUBSTR("visitedOn", 1, 4)', 'SUBSTR("visitedOn", 1, 7)']
    .map(bucket => `SELECT DISTINCT "entityId", ${bucket} AS "bucket" FROM "Visit" WHERE "entityId" IS NOT NULL ${where}`)
    .join(' UNION ALL ')
}

/**
 * Adds (sign 1) or removes (sign -1) what the given entities count for, as they are stored now: registered, and
 * visited in each bucket they were visited in. An update of an entity's area, kind or flags is a removal before it
 * and an addition after it.
 */
export async function shiftEntities(tx: RawExecutor, provider: DatabaseProvider, ids: readonly number[], sign: 1 | -1): Promise<void> {
  if (ids.length === 0)
    return
  const list = ids.map((_, i) => sqlPlaceholder(provider, i + 1)).join(', ')
  await tx.$executeRawUnsafe(
    `INSERT INTO "CoverageEntityCount" ("areaId", "kind", "registered", "priority")
     SELECT e."areaId", e."kind", ${sign} * COUNT(*), ${sign} * SUM(${PRIORITY}) FROM "RegistryEntity" e
     WHERE e."id" IN (${list}) GROUP BY e."areaId", e."kind" ${ENTITY_UPSERT}`,
    ...ids,
  )
  await tx.$executeRawUnsafe(
    `INSERT INTO "CoverageVisitedCount" ("areaId", "kind", "bucket", "visited", "priorityVisited")
     SELECT e."areaId", e."kind", b."bucket", ${sign} * COUNT(*), ${sign} * SUM(${PRIORITY})
     FROM "RegistryEntity" e JOIN (${visitedBuckets(`AND "entityId" IN (${list})`)}) b ON b."entityId" = e."id"
     WHERE 1 = 1 GROUP BY e."areaId", e."kind", b."bucket" ${VISITED_UPSERT}`,
    ...ids,
  )
}

/** Counts new entities (none of them visited yet) from their fields, without reading them back. */
export async function addNewEntities(tx: RawExecutor, provider: DatabaseProvider, entities: readonly { areaId: string, kind: string, inDifficulty: boolean, aboveDesignatedSize: boolean }[]): Promise<void> {
  const groups = new Map<string, { areaId: string, kind: string, registered: number, priority: number }>()
  for (const e of entities) {
    const key = `${e.areaId}\u0000${e.kind}`
    const group = groups.get(key) ?? { areaId: e.areaId, kind: e.kind, registered: 0, priority: 0 }
    group.registered++
    group.priority += e.inDifficulty || e.aboveDesignatedSize ? 1 : 0
    groups.set(key, group)
  }
  const p = (n: number) => sqlPlaceholder(provider, n)
  for (const g of groups.values()) {
    await tx.$executeRawUnsafe(
      `INSERT INTO "CoverageEntityCount" ("areaId", "kind", "registered", "priority") VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}) ${ENTITY_UPSERT}`,
      g.areaId,
      g.kind,
      g.registered,
      g.priority,
    )
  }
}

/**
 * Counts a visit just inserted (in the same transaction): a visit and its problems in each bucket of its day under
 * its area, and its entity as visited in each bucket where this is the entity's only visit. On PostgreSQL the caller
 * locks the entity's row first, so that two visits of one entity at once count it once.
 */
export async function addVisit(tx: RawExecutor, provider: DatabaseProvider, visit: { entityId: number | null, areaId: string, visitedOn: string, problems: number }): Promise<void> {
  const p = (n: number) => sqlPlaceholder(provider, n)
  for (const { bucket, period } of bucketsOf(visit.visitedOn)) {
    await tx.$executeRawUnsafe(
      `INSERT INTO "CoverageVisitCount" ("areaId", "bucket", "visits", "problems") VALUES (${p(1)}, ${p(2)}, 1, ${p(3)}) ${VISIT_UPSERT}`,
      visit.areaId,
      bucket,
      visit.problems,
    )
    if (visit.entityId === null)
      continue
    await tx.$executeRawUnsafe(
      `INSERT INTO "CoverageVisitedCount" ("areaId", "kind", "bucket", "visited", "priorityVisited")
       SELECT e."areaId", e."kind", ${p(1)}, 1, ${PRIORITY} FROM "RegistryEntity" e
       WHERE e."id" = ${p(2)}
         AND (SELECT COUNT(*) FROM "Visit" v WHERE v."entityId" = e."id" AND v."visitedOn" >= ${p(3)} AND v."visitedOn" <= ${p(4)}) = 1
       ${VISITED_UPSERT}`,
      bucket,
      visit.entityId,
      period.from,
      period.to,
    )
  }
}

/**
 * The statements that compute the summary from scratch: the migration that adds it runs the same, and so does a bulk
 * load that bypasses the stores (the coverage benchmark).
 */
export const REBUILD_SUMMARY: readonly string[] = [
  `DELETE FROM "CoverageEntityCount"`,
  `DELETE FROM "CoverageVisitedCount"`,
  `DELETE FROM "CoverageVisitCount"`,
  `INSERT INTO "CoverageEntityCount" ("areaId", "kind", "registered", "priority")
   SELECT e."areaId", e."kind", COUNT(*), SUM(${PRIORITY}) FROM "RegistryEntity" e GROUP BY e."areaId", e."kind"`,
  `INSERT INTO "CoverageVisitedCount" ("areaId", "kind", "bucket", "visited", "priorityVisited")
   SELECT e."areaId", e."kind", b."bucket", COUNT(*), SUM(${PRIORITY})
   FROM "RegistryEntity" e JOIN (${visitedBuckets('')}) b ON b."entityId" = e."id"
   GROUP BY e."areaId", e."kind", b."bucket"`,
  `INSERT INTO "CoverageVisitCount" ("areaId", "bucket", "visits", "problems")
   SELECT v."areaId", b."bucket", COUNT(*), SUM(COALESCE(pr."n", 0))
   FROM "Visit" v
   JOIN (SELECT "id", CAST('' AS TEXT) AS "bucket" FROM "Visit" UNION ALL SELECT "id", SUBSTR("visitedOn", 1, 4) FROM "Visit"
         UNION ALL SELECT "id", SUBSTR("visitedOn", 1, 7) FROM "Visit") b ON b."id" = v."id"
   LEFT JOIN (SELECT "visitId", COUNT(*) AS "n" FROM "VisitProblem" GROUP BY "visitId") pr ON pr."visitId" = v."id"
   GROUP BY v."areaId", b."bucket"`,
]

export async function rebuildSummary(tx: RawExecutor): Promise<void> {
  for (const statement of REBUILD_SUMMARY) await tx.$executeRawUnsafe(statement)
}
