import type { Catalog } from '#root/domain/catalog.js'
import { NOT_REPORT_REASONS } from '#root/classify/non-report.js'
import { z } from 'zod'

/** From least to most pressing; see `src/classify/urgency.ts` for what each level means. */
export const URGENCIES = ['low', 'normal', 'urgent', 'critical'] as const
export type Urgency = (typeof URGENCIES)[number]

/** 诉求类型: consultation 咨询 · help request 求助 · complaint 投诉 · tip-off 举报 · suggestion 建议. */
export const REQUEST_TYPES = ['consultation', 'help_request', 'complaint', 'tip_off', 'suggestion'] as const
export type RequestType = (typeof REQUEST_TYPES)[number]

export const SUMMARY_MAX_LENGTH = 80

/**
 * The single description of a classification: what the LLM is asked to produce (as JSON schema),
 * and what every classifier's output is validated against before a ticket stores it.
 * Category and department ids are checked against the configured catalog separately (see `checkAgainstCatalog`).
 */
export const classificationSchema = z.object({
  categoryId: z.string().min(1).describe('id of one category from the list given'),
  departmentId: z.string().min(1).describe('id of the department responsible; normally the category\'s own'),
  urgency: z.enum(URGENCIES).describe('by what is described, not by how loudly it asks: critical 特急 (danger to life or property now); urgent 紧急 (an outage or damage happening now, a hazard that could hurt someone, or vulnerable people harmed); normal 一般; low 不急 (a question or suggestion with nothing pressing)'),
  requestType: z.enum(REQUEST_TYPES).describe('consultation 咨询, help_request 求助, complaint 投诉, tip_off 举报, suggestion 建议'),
  summary: z.string().min(1).max(SUMMARY_MAX_LENGTH).describe('one line in the report\'s language, no personal data'),
  location: z.string().max(120).nullable().describe('the place named in the report, or null'),
  confidence: z.number().min(0).max(1).describe('0..1, how sure the category is right'),
  isReport: z.boolean().describe('false when the message is not a report at all: a greeting, thanks, an advertisement, chatter or a question for the other residents'),
  notReportReason: z.enum(NOT_REPORT_REASONS).nullable().describe('when isReport is false: greeting, thanks, advertisement, chatter or question; otherwise null'),
})

export type Classification = z.infer<typeof classificationSchema>

export type ClassifierKind = 'llm' | 'offline'

/** A classification together with what decided it, as the ticket records it. */
export interface ClassificationResult extends Classification {
  classifier: ClassifierKind
  model: string | null
  promptVersion: string | null
  /** Why the primary classifier was not used (LLM timeout, invalid output…), when a fallback decided. */
  fallbackReason: string | null
}

export interface ClassificationInput {
  text: string
  locationText?: string | null
}

export interface Classifier {
  classify: (input: ClassificationInput, options?: { signal?: AbortSignal }) => Promise<ClassificationResult>
}

/**
 * Checks a classification against the configured catalog. An unknown category makes it invalid;
 * an unknown department falls back to the category's own, since the category is what was judged.
 */
export function checkAgainstCatalog(
  classification: Classification,
  catalog: Catalog,
): { ok: true, value: Classification } | { ok: false, reason: string } {
  const category = catalog.categories.find(c => c.id === classification.categoryId)
  if (!category)
    return { ok: false, reason: `category "${classification.categoryId}" is not in the catalog` }
  const departmentKnown = catalog.departments.some(d => d.id === classification.departmentId)
  return {
    ok: true,
    value: departmentKnown ? classification : { ...classification, departmentId: category.departmentId },
  }
}
