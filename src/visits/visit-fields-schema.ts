import { ENTITY_KINDS, VISIT_GOALS } from '#root/domain/visit.js'
import { z } from 'zod'

export const PROBLEMS_MAX = 10
export const PROBLEM_MAX_LENGTH = 200

/**
 * What the LLM must answer for one visit note: the same zod object describes the output to the model (as JSON
 * schema) and checks what comes back. Nullable rather than optional, so that strict structured output accepts it.
 */
export const visitFieldsSchema = z.strictObject({
  entityName: z.string().max(60).nullable().describe('whom the visit was to, as written in the note: an enterprise, a head of household, a project, a village or community; null if the note names none'),
  entityKind: z.enum(ENTITY_KINDS).nullable(),
  visitedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable().describe('the day of the visit, YYYY-MM-DD; null if the note does not say'),
  place: z.string().max(80).nullable(),
  metWith: z.string().max(40).nullable().describe('who was met, as written (老板, 王阿姨)'),
  heard: z.string().max(400).describe('what was heard, in brief'),
  goals: z.array(z.enum(VISIT_GOALS)).max(VISIT_GOALS.length),
  problems: z.array(z.string().min(1).max(PROBLEM_MAX_LENGTH)).max(PROBLEMS_MAX).describe('each problem heard as its own item, in the note\'s words'),
})
