import type { Area } from '#root/domain/area.js'
import { readFile } from 'node:fs/promises'
import { AREA_LEVELS } from '#root/domain/area.js'
import { z } from 'zod'

const ID_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/

const areaEntry = z.strictObject({
  id: z.string().max(64).regex(ID_PATTERN, 'must be a lowercase ascii slug such as "xc-huangdai"'),
  name: z.string().trim().min(1, 'must not be empty').max(40, 'must be at most 40 characters'),
  level: z.enum(AREA_LEVELS),
  parentId: z.string().nullable(),
  seriousPetitions: z.boolean().optional(),
})

/** The areas file (`prisma/areas.json` by default): every parent listed, names and ids unique, no cycles. */
export const areaFileSchema = z
  .strictObject({
    $comment: z.string().optional(),
    areas: z.array(areaEntry).min(1, 'must list at least one area'),
  })
  .superRefine((file, ctx) => {
    const ids = new Map<string, z.infer<typeof areaEntry>>()
    const names = new Set<string>()
    file.areas.forEach((area, index) => {
      if (ids.has(area.id))
        ctx.addIssue({ code: 'custom', path: ['areas', index, 'id'], message: `duplicate area id "${area.id}"` })
      if (names.has(area.name))
        ctx.addIssue({ code: 'custom', path: ['areas', index, 'name'], message: `duplicate area name "${area.name}"` })
      ids.set(area.id, area)
      names.add(area.name)
    })
    file.areas.forEach((area, index) => {
      if (area.parentId !== null && !ids.has(area.parentId))
        ctx.addIssue({ code: 'custom', path: ['areas', index, 'parentId'], message: `parent "${area.parentId}" is not in "areas"` })
      const seen = new Set<string>()
      for (let at: z.infer<typeof areaEntry> | undefined = area; at?.parentId; at = ids.get(at.parentId)) {
        if (seen.has(at.id)) {
          ctx.addIssue({ code: 'custom', path: ['areas', index, 'parentId'], message: `"${area.id}" is its own ancestor` })
          break
        }
        seen.add(at.id)
      }
    })
  })

export function parseAreaFile(json: unknown, source = 'areas file'): Area[] {
  const parsed = areaFileSchema.safeParse(json)
  if (!parsed.success) {
    const problems = parsed.error.issues.map(issue => `${issue.path.join('.')}: ${issue.message}`).join('; ')
    throw new Error(`${source} is invalid: ${problems}`)
  }
  return parsed.data.areas.map(({ id, name, level, parentId, seriousPetitions }) => ({ id, name, level, parentId, ...(seriousPetitions ? { seriousPetitions } : {}) }))
}

export async function loadAreaFile(path: string): Promise<Area[]> {
  let json: unknown
  try {
    json = JSON.parse(await readFile(path, 'utf8'))
  }
  catch (error) {
    throw new Error(`cannot read the areas file ${path}: ${(error as Error).message}`, { cause: error })
  }
  return parseAreaFile(json, path)
}
