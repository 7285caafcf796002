import type { DeadlineRules } from '#root/domain/deadlines.js'
import type { WorkingCalendarData } from '#root/domain/working-calendar.js'
import type { z } from 'zod'
import { readFile } from 'node:fs/promises'
import { deadlineRulesSchema } from '#root/domain/deadlines.js'
import { workingCalendarSchema } from '#root/domain/working-calendar.js'

/** Reads a JSON data file against its schema; the error names the file and every problem in it. */
async function loadJsonFile<T>(path: string, schema: z.ZodType<T>, what: string): Promise<T> {
  let data: unknown
  try {
    data = JSON.parse((await readFile(path, 'utf8')).replace(/^\uFEFF/, ''))
  }
  catch (error) {
    throw new Error(`${what} ${path}: ${(error as Error).message}`)
  }
  const parsed = schema.safeParse(data)
  if (!parsed.success)
    throw new Error(`${what} ${path} is not valid:\n${parsed.error.issues.map(i => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`)
  return parsed.data
}

export const loadDeadlineRules = (path: string): Promise<DeadlineRules> => loadJsonFile(path, deadlineRulesSchema, 'the deadline rules file')
export const loadWorkingCalendar = (path: string): Promise<WorkingCalendarData> => loadJsonFile(path, workingCalendarSchema, 'the working calendar file')
