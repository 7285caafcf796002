import type { SpotCheck, SpotCheckOutcome } from '#root/domain/spot-check.js'
import type { EntityKind } from '#root/domain/visit.js'
import type { SpotCheckItem as SpotCheckItemRow, SpotCheck as SpotCheckRow } from '#root/generated/prisma-sqlite/client.js'
import type { Database } from '#root/store/database.js'
import { sqlPlaceholder } from '#root/store/sql-placeholder.js'

export interface SpotCheckStore {
  /** Ids of entities of a kind in the given areas that have at least one visit recorded in the period. */
  visitedEntityIds: (areaIds: readonly string[], kind: EntityKind, period: { from: string, to: string }) => Promise<number[]>
  create: (check: { districtId: string, seed: string, drawnBy: number, entityIds: number[] }) => Promise<SpotCheck>
  find: (id: number) => Promise<SpotCheck | null>
  assign: (id: number, inspector: { id: number, name: string }) => Promise<SpotCheck | null>
  record: (id: number, position: number, outcome: SpotCheckOutcome, note: string | null) => Promise<boolean>
  /** Outcomes per district (spot checks are drawn per district), counted by the database. */
  outcomes: (districtIds: readonly string[]) => Promise<Map<string, Partial<Record<SpotCheckOutcome | 'pending', number>>>>
}

export function createSpotCheckStore(db: Database): SpotCheckStore {
  const { prisma } = db
  const include = { items: { orderBy: { position: 'asc' as const } } }
  return {
    async visitedEntityIds(areaIds, kind, period) {
      const visits = await prisma.visit.findMany({
        where: { areaId: { in: [...areaIds] }, entityId: { not: null }, visitedOn: { gte: period.from, lte: period.to } },
        select: { entityId: true },
        distinct: ['entityId'],
      })
      const rows = await prisma.registryEntity.findMany({ where: { id: { in: visits.map(v => v.entityId!) }, kind }, select: { id: true } })
      return rows.map(r => r.id)
    },
    async create(check) {
      const row = await prisma.spotCheck.create({
        data: {
          districtId: check.districtId,
          seed: check.seed,
          drawnBy: BigInt(check.drawnBy),
          items: { create: check.entityIds.map((entityId, position) => ({ entityId, position })) },
        },
        include,
      })
      return toSpotCheck(row)
    },
    async find(id) {
      const row = await prisma.spotCheck.findUnique({ where: { id }, include })
      return row ? toSpotCheck(row) : null
    },
    async assign(id, inspector) {
      const updated = await prisma.spotCheck.updateMany({ where: { id }, data: { inspectorId: BigInt(inspector.id), inspectorName: inspector.name } })
      return updated.count > 0 ? this.find(id) : null
    },
    async record(id, position, outcome, note) {
      const updated = await prisma.spotCheckItem.updateMany({ where: { spotCheckId: id, position }, data: { outcome, note, recordedAt: new Date() } })
      return updated.count > 0
    },
    async outcomes(districtIds) {
      const out = new Map<string, Partial<Record<SpotCheckOutcome | 'pending', number>>>()
      if (districtIds.length === 0)
        return out
      const p = (n: number) => sqlPlaceholder(db.provider, n)
      const rows = await prisma.$queryRawUnsafe<{ districtId: string, outcome: string | null, n: unknown }[]>(
        `SELECT c."districtId" AS "districtId", i."outcome" AS "outcome", COUNT(*) AS "n"
         FROM "SpotCheckItem" i JOIN "SpotCheck" c ON c."id" = i."spotCheckId"
         WHERE c."districtId" IN (${districtIds.map((_, i) => p(i + 1)).join(', ')})
         GROUP BY c."districtId", i."outcome"`,
        ...districtIds,
      )
      for (const row of rows) {
        const counts = out.get(row.districtId) ?? {}
        counts[(row.outcome ?? 'pending') as SpotCheckOutcome | 'pending'] = Number(row.n)
        out.set(row.districtId, counts)
      }
      return out
    },
  }
}

function toSpotCheck(row: SpotCheckRow & { items: SpotCheckItemRow[] }): SpotCheck {
  return {
    id: row.id,
    districtId: row.districtId,
    seed: row.seed,
    drawnBy: Number(row.drawnBy),
    inspectorId: row.inspectorId === null ? null : Number(row.inspectorId),
    inspectorName: row.inspectorName,
    items: row.items.map(i => ({ id: i.id, position: i.position, entityId: i.entityId, outcome: i.outcome as SpotCheckOutcome | null, note: i.note })),
  }
}
