import type { EntityKind, NewRegistryEntity, RegistryEntity } from '#root/domain/visit.js'
import type { RegistryEntity as RegistryEntityRow } from '#root/generated/prisma-sqlite/client.js'
import type { Database } from '#root/store/database.js'
import { addNewEntities, shiftEntities } from '#root/store/coverage-summary.js'

export interface ImportOutcome {
  created: number
  updated: number
  unchanged: number
}

export interface RegistryStore {
  /** Creates rows with new keys and updates rows whose key exists; never duplicates. */
  importRows: (rows: readonly NewRegistryEntity[]) => Promise<ImportOutcome>
  create: (entity: NewRegistryEntity) => Promise<RegistryEntity>
  findById: (id: number) => Promise<RegistryEntity | null>
  /** Entities in the given areas whose name shares characters with `name`, closest first. */
  searchByName: (name: string, areaIds: readonly string[], limit?: number) => Promise<{ entity: RegistryEntity, score: number }[]>
  /** Entities in the given areas, by kind, for a leader's list; optionally only those with no visit yet. */
  list: (areaIds: readonly string[], options?: { kind?: EntityKind, unvisitedOnly?: boolean, limit?: number }) => Promise<RegistryEntity[]>
  count: () => Promise<number>
}

const CHUNK = 500
/** The fields the coverage summary counts by. */
const COUNTED = ['kind', 'areaId', 'inDifficulty', 'aboveDesignatedSize'] as const
const FIELDS = ['kind', 'name', 'areaId', 'address', 'inDifficulty', 'difficultyKind', 'sizeClass', 'aboveDesignatedSize'] as const

export function createRegistryStore(db: Database): RegistryStore {
  const { prisma } = db
  return {
    async importRows(rows) {
      const outcome: ImportOutcome = { created: 0, updated: 0, unchanged: 0 }
      for (let at = 0; at < rows.length; at += CHUNK) {
        const chunk = rows.slice(at, at + CHUNK)
        await prisma.$transaction(async (tx) => {
          const existing = await tx.registryEntity.findMany({ where: { externalKey: { in: chunk.map(r => r.externalKey) } } })
          const byKey = new Map(existing.map(r => [r.externalKey, r]))
          const fresh = chunk.filter(r => !byKey.has(r.externalKey))
          if (fresh.length > 0) {
            outcome.created += (await tx.registryEntity.createMany({ data: fresh.map(r => ({ ...r })) })).count
            await addNewEntities(tx, db.provider, fresh)
          }
          const moved: number[] = []
          const changed: { id: number, row: NewRegistryEntity }[] = []
          for (const row of chunk) {
            const old = byKey.get(row.externalKey)
            if (!old)
              continue
            if (FIELDS.every(f => old[f] === row[f])) {
              outcome.unchanged++
              continue
            }
            changed.push({ id: old.id, row })
            if (COUNTED.some(f => old[f] !== row[f]))
              moved.push(old.id)
          }
          // What a changed row counts for in the coverage summary moves with it: out before, in after.
          await shiftEntities(tx, db.provider, moved, -1)
          for (const { id, row } of changed) {
            await tx.registryEntity.update({ where: { id }, data: Object.fromEntries(FIELDS.map(f => [f, row[f]])) })
            outcome.updated++
          }
          await shiftEntities(tx, db.provider, moved, 1)
        }, { timeout: 60_000 })
      }
      return outcome
    },
    async create(entity) {
      const row = await prisma.$transaction(async (tx) => {
        const found = await tx.registryEntity.findUnique({ where: { externalKey: entity.externalKey } })
        if (found)
          return found
        const created = await tx.registryEntity.create({ data: { ...entity } })
        await addNewEntities(tx, db.provider, [created])
        return created
      })
      return toEntity(row)
    },
    async findById(id) {
      const row = await prisma.registryEntity.findUnique({ where: { id } })
      return row ? toEntity(row) : null
    },
    async searchByName(name, areaIds, limit = 4) {
      const trimmed = name.trim()
      if (!trimmed)
        return []
      // Candidates share the whole name or its first two characters (the distinctive part: 李记, 张阿…); scoring is
      // done on those few rows only.
      const head = [...trimmed].slice(0, 2).join('')
      const rows = await prisma.registryEntity.findMany({
        where: { areaId: { in: [...areaIds] }, OR: [{ name: { contains: trimmed } }, { name: { contains: head } }] },
        take: 50,
      })
      return rows
        .map(row => ({ entity: toEntity(row), score: Math.max(similarity(trimmed, row.name), isSubsequence(trimmed, row.name) ? 0.5 : 0) }))
        .filter(c => c.score >= 0.4)
        .sort((a, b) => b.score - a.score || a.entity.id - b.entity.id)
        .slice(0, limit)
    },
    async list(areaIds, options = {}) {
      const rows = await prisma.registryEntity.findMany({
        where: {
          areaId: { in: [...areaIds] },
          ...(options.kind ? { kind: options.kind } : {}),
          ...(options.unvisitedOnly ? { id: { notIn: await visitedIds(areaIds) } } : {}),
        },
        orderBy: [{ areaId: 'asc' }, { id: 'asc' }],
        take: options.limit ?? 50,
      })
      return rows.map(toEntity)
    },
    count: () => prisma.registryEntity.count(),
  }

  async function visitedIds(areaIds: readonly string[]): Promise<number[]> {
    const visits = await prisma.visit.findMany({ where: { areaId: { in: [...areaIds] }, entityId: { not: null } }, select: { entityId: true }, distinct: ['entityId'] })
    return visits.map(v => v.entityId!)
  }
}

/** Whether every character of `short` appears in `long` in order: 李记厂 in 李记五金厂, a name as cadres shorten it. */
function isSubsequence(short: string, long: string): boolean {
  let at = 0
  for (const ch of long) {
    if (ch === [...short][at])
      at++
  }
  return at === [...short].length
}

/** Dice coefficient over character bigrams (single characters for one-character names): 1 for equal names. */
export function similarity(a: string, b: string): number {
  const grams = (s: string) => {
    const chars = [...s.replace(/\s+/g, '')]
    if (chars.length < 2)
      return chars
    return chars.slice(1).map((c, i) => chars[i]! + c)
  }
  const left = grams(a)
  const right = grams(b)
  if (left.length === 0 || right.length === 0)
    return 0
  const pool = new Map<string, number>()
  for (const g of right) pool.set(g, (pool.get(g) ?? 0) + 1)
  let shared = 0
  for (const g of left) {
    const n = pool.get(g) ?? 0
    if (n > 0) {
      shared++
      pool.set(g, n - 1)
    }
  }
  return (2 * shared) / (left.length + right.length)
}

function toEntity(row: RegistryEntityRow): RegistryEntity {
  return {
    id: row.id,
    externalKey: row.externalKey,
    kind: row.kind as EntityKind,
    name: row.name,
    areaId: row.areaId,
    address: row.address,
    inDifficulty: row.inDifficulty,
    difficultyKind: row.difficultyKind,
    sizeClass: row.sizeClass,
    aboveDesignatedSize: row.aboveDesignatedSize,
  }
}
