import type { Area, AreaLevel } from '#root/domain/area.js'
import type { Database } from '#root/store/database.js'

export interface AreaStore {
  /** Makes the store match the areas file: areas are created or updated, none deleted (visits still point at them). */
  sync: (areas: readonly Area[]) => Promise<{ areas: number }>
  load: () => Promise<Area[]>
}

export function createAreaStore(db: Database): AreaStore {
  const { prisma } = db
  return {
    async sync(areas) {
      await prisma.$transaction(async (tx) => {
        for (const [index, area] of areas.entries()) {
          const data = { name: area.name, level: area.level, parentId: area.parentId, sortOrder: index, seriousPetitions: area.seriousPetitions ?? false }
          // A renamed area frees its old name first, so two areas swapping names do not collide on the unique name.
          await tx.area.deleteMany({ where: { name: area.name, id: { not: area.id } } })
          await tx.area.upsert({ where: { id: area.id }, create: { id: area.id, ...data }, update: data })
        }
      })
      return { areas: areas.length }
    },
    async load() {
      const rows = await prisma.area.findMany({ orderBy: { sortOrder: 'asc' } })
      return rows.map(r => ({ id: r.id, name: r.name, level: r.level as AreaLevel, parentId: r.parentId, ...(r.seriousPetitions ? { seriousPetitions: true } : {}) }))
    },
  }
}
