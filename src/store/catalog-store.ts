import type { Catalog } from '#root/domain/catalog.js'
import type { Database } from '#root/store/database.js'

export interface CatalogStore {
  /**
   * Makes the store match the catalog file: departments and categories are created or updated; categories no longer
   * in the file are deactivated rather than deleted, because existing tickets still point at them.
   */
  sync: (catalog: Catalog) => Promise<{ departments: number, categories: number, deactivated: number }>
  /** The catalog in force: every department, the active categories in file order. */
  load: () => Promise<Catalog>
}

export function createCatalogStore(db: Database): CatalogStore {
  const { prisma } = db
  return {
    async sync(catalog) {
      return prisma.$transaction(async (tx) => {
        for (const d of catalog.departments) {
          const data = { nameZh: d.nameZh, nameEn: d.nameEn }
          await tx.department.upsert({ where: { id: d.id }, create: { id: d.id, ...data }, update: data })
        }
        for (const [index, c] of catalog.categories.entries()) {
          const data = {
            nameZh: c.nameZh,
            nameEn: c.nameEn,
            departmentId: c.departmentId,
            keywords: JSON.stringify(c.keywords),
            sortOrder: index,
            active: true,
          }
          await tx.category.upsert({ where: { id: c.id }, create: { id: c.id, ...data }, update: data })
        }
        const deactivated = await tx.category.updateMany({
          where: { id: { notIn: catalog.categories.map(c => c.id) }, active: true },
          data: { active: false },
        })
        return { departments: catalog.departments.length, categories: catalog.categories.length, deactivated: deactivated.count }
      })
    },
    async load() {
      const [departments, categories] = await Promise.all([
        prisma.department.findMany({ orderBy: { id: 'asc' } }),
        prisma.category.findMany({ where: { active: true }, orderBy: { sortOrder: 'asc' } }),
      ])
      return {
        departments: departments.map(d => ({ id: d.id, nameZh: d.nameZh, nameEn: d.nameEn })),
        categories: categories.map(c => ({
          id: c.id,
          nameZh: c.nameZh,
          nameEn: c.nameEn,
          departmentId: c.departmentId,
          keywords: JSON.parse(c.keywords) as string[],
        })),
      }
    },
  }
}
