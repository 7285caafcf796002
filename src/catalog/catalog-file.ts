import type { Catalog } from '#root/domain/catalog.js'
import { readFile } from 'node:fs/promises'
import { z } from 'zod'

// Ids end up in ticket rows, callback data and URLs: short lowercase slugs keep them safe everywhere.
const ID_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/
const ID_MAX_LENGTH = 32

const id = z
  .string()
  .max(ID_MAX_LENGTH, `must be at most ${ID_MAX_LENGTH} characters`)
  .regex(ID_PATTERN, 'must be a lowercase ascii slug such as "street-order"')

const name = z.string().trim().min(1, 'must not be empty').max(60, 'must be at most 60 characters')

const departmentEntry = z.strictObject({
  id,
  nameZh: name,
  nameEn: name,
})

const categoryEntry = z.strictObject({
  id,
  nameZh: name,
  nameEn: name,
  departmentId: id,
  keywords: z.array(z.string().trim().min(1, 'must not be empty').max(40, 'must be at most 40 characters')),
})

/**
 * The catalog file as a deployment edits it (`prisma/catalog.json` by default). Objects are strict, so that a
 * misspelt field ("keyword", "department") is reported rather than silently ignored. `$comment` is allowed
 * at the top because JSON has no comments and editors want to leave a note.
 */
export const catalogFileSchema = z
  .strictObject({
    $comment: z.string().optional(),
    departments: z.array(departmentEntry).min(1, 'must list at least one department'),
    categories: z.array(categoryEntry).min(1, 'must list at least one category'),
  })
  .superRefine((file, ctx) => {
    const departmentIds = new Set<string>()
    file.departments.forEach((department, index) => {
      if (departmentIds.has(department.id))
        ctx.addIssue({ code: 'custom', path: ['departments', index, 'id'], message: `duplicate department id "${department.id}"` })
      departmentIds.add(department.id)
    })

    const categoryIds = new Set<string>()
    file.categories.forEach((category, index) => {
      if (categoryIds.has(category.id))
        ctx.addIssue({ code: 'custom', path: ['categories', index, 'id'], message: `duplicate category id "${category.id}"` })
      categoryIds.add(category.id)

      if (!departmentIds.has(category.departmentId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['categories', index, 'departmentId'],
          message: `department "${category.departmentId}" is not in "departments"`,
        })
      }

      // A repeated keyword would silently count twice in the offline classifier's score.
      const seen = new Set<string>()
      category.keywords.forEach((keyword, keywordIndex) => {
        const key = keyword.toLowerCase()
        if (seen.has(key))
          ctx.addIssue({ code: 'custom', path: ['categories', index, 'keywords', keywordIndex], message: `duplicate keyword "${keyword}"` })
        seen.add(key)
      })
    })
  })

export type CatalogFile = z.infer<typeof catalogFileSchema>

/** A catalog file that cannot be used; `problems` names each wrong entry, e.g. `categories[3] "wages".departmentId: …`. */
export class CatalogFileError extends Error {
  constructor(readonly source: string, readonly problems: string[]) {
    super(`Invalid catalog ${source}:\n${problems.map(p => `  - ${p}`).join('\n')}`)
    this.name = 'CatalogFileError'
  }
}

/**
 * Renders an issue path with the id of the entry it points into, because "categories[17]" alone makes the
 * editor count array entries by hand.
 */
function describePath(path: readonly PropertyKey[], data: unknown): string {
  let text = ''
  let node: unknown = data
  for (const key of path) {
    if (typeof key === 'number') {
      text += `[${key}]`
      node = Array.isArray(node) ? node[key] : undefined
      const entryId = typeof node === 'object' && node !== null ? (node as { id?: unknown }).id : undefined
      if (typeof entryId === 'string')
        text += ` "${entryId}"`
    }
    else {
      text += text ? `.${String(key)}` : String(key)
      node = typeof node === 'object' && node !== null ? (node as Record<PropertyKey, unknown>)[key] : undefined
    }
  }
  return text || '(file)'
}

/**
 * Validates parsed JSON as a catalog. Pure, so tests and an admin upload can use it without a file.
 * @param data the parsed JSON.
 * @param source what to call the data in error messages, e.g. its path.
 * @throws CatalogFileError listing every problem found.
 */
export function parseCatalog(data: unknown, source = 'catalog'): Catalog {
  const parsed = catalogFileSchema.safeParse(data)
  if (!parsed.success) {
    throw new CatalogFileError(
      source,
      parsed.error.issues.map(issue => `${describePath(issue.path, data)}: ${issue.message}`),
    )
  }
  return {
    departments: parsed.data.departments.map(d => ({ id: d.id, nameZh: d.nameZh, nameEn: d.nameEn })),
    categories: parsed.data.categories.map(c => ({
      id: c.id,
      nameZh: c.nameZh,
      nameEn: c.nameEn,
      departmentId: c.departmentId,
      keywords: [...c.keywords],
    })),
  }
}

/**
 * Reads and validates a catalog file. Meant to run at start-up so that a broken catalog stops the bot
 * before it takes reports.
 * @throws CatalogFileError when the file is missing, is not JSON, or has wrong entries.
 */
export async function loadCatalogFile(path: string): Promise<Catalog> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  }
  catch (error) {
    throw new CatalogFileError(path, [`cannot read the file: ${(error as Error).message}`])
  }
  let data: unknown
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''))
  }
  catch (error) {
    throw new CatalogFileError(path, [`is not valid JSON: ${(error as Error).message}`])
  }
  return parseCatalog(data, path)
}
