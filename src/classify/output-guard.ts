import type { Classification, ClassificationInput, Urgency } from '#root/classify/classification.js'
import type { Catalog } from '#root/domain/catalog.js'
import { SUMMARY_MAX_LENGTH, URGENCIES } from '#root/classify/classification.js'
import { summarize } from '#root/classify/offline-classifier.js'
import { detectUrgency } from '#root/classify/urgency.js'
import { containsPersonalData, PLACEHOLDERS, redactPersonalData, removePersonalData } from '#root/privacy/personal-data.js'

/**
 * Why a field of the LLM's answer was not used; recorded on the ticket (as `llm_rejected_<field>_<why>`) next to the
 * value that replaced it.
 */
export type RejectedField
  = | 'summary_multiline'
    | 'summary_personal_data'
    | 'summary_status_or_contact'
    | 'location_unsupported'
    | 'location_personal_data'
    | 'department_not_allowed'
    | 'urgency_demanded_only'

export interface GuardedClassification {
  value: Classification
  rejected: RejectedField[]
}

// What a card or a status view writes on its own lines: a status name, "状态：", a contact label. A summary holding
// them could pass for such a line (with a line break it would forge one).
const STATUS_OR_CONTACT = /待分派|已交办|已受理|办理中|已办结|已回访|不予受理|无需处理|(?:状态|进度|status)\s*[:：]|(?:联系|电话|手机|微信|邮箱|contact|phone|tel|e-?mail)\s*(?:(?:人|方式|电话|号码)\s*)?(?:[:：]|(?=[\d+[]))/gi
// Words that ask for speed without saying what is dangerous; a report can write them, so they prove nothing.
// The everyday "请尽快处理" is left out: it is how most reports end and says nothing about urgency either way.
const URGENCY_DEMANDS = /十万火急|非常紧急|特别紧急|紧急|特急|加急|火急|很急|急需|立即|立刻|马上|最高优先级?|最高级别|urgent(?:ly)?|emergency|asap|immediately|critical|high priority|urgency/gi
const INSTRUCTION_WORDS = /忽略|指令|提示词|系统提示|ignore|instruction|prompt|system/i
const PLACEHOLDER_TEXT = new RegExp(Object.values(PLACEHOLDERS).map(p => p.replace(/[[\]]/g, '\\$&')).join('|'))

/**
 * The category's department, and any department staff routed a similar report of this category to (the corrected
 * examples the model was shown): beyond those, a department is the handlers' decision, not the report's.
 */
function allowedDepartments(catalog: Catalog, categoryId: string, corrected: readonly CorrectedRoute[]): string[] {
  const category = catalog.categories.find(c => c.id === categoryId)
  if (!category)
    return []
  return [category.departmentId, ...corrected.filter(r => r.categoryId === categoryId).map(r => r.departmentId)]
}

/** A route staff chose for a similar report. */
export interface CorrectedRoute {
  categoryId: string
  departmentId: string
}

/**
 * Treats an LLM's valid answer as data: every field a report could have steered is checked against the report, and
 * a field that fails is replaced (by the offline rules or the category's own department) and named in `rejected`.
 * Run after `checkAgainstCatalog`, so the category is known.
 */
export function guardClassification(value: Classification, input: ClassificationInput, catalog: Catalog, corrected: readonly CorrectedRoute[] = []): GuardedClassification {
  const rejected: RejectedField[] = []
  const result = { ...value }

  const summaryProblem = /[\r\n\u2028\u2029]/.test(value.summary)
    ? 'summary_multiline'
    : containsPersonalData(value.summary) || PLACEHOLDER_TEXT.test(value.summary)
      ? 'summary_personal_data'
      : new RegExp(STATUS_OR_CONTACT.source, 'i').test(value.summary) ? 'summary_status_or_contact' : null
  if (summaryProblem) {
    rejected.push(summaryProblem)
    result.summary = safeSummary(input.text)
  }

  if (value.location !== null) {
    const problem = containsPersonalData(value.location) || PLACEHOLDER_TEXT.test(value.location)
      ? 'location_personal_data'
      : !supportedBy(value.location, [input.text, input.locationText ?? '']) || INSTRUCTION_WORDS.test(value.location)
          ? 'location_unsupported'
          : null
    if (problem) {
      rejected.push(problem)
      result.location = null
    }
  }

  const allowed = allowedDepartments(catalog, value.categoryId, corrected)
  if (allowed.length > 0 && !allowed.includes(value.departmentId)) {
    rejected.push('department_not_allowed')
    result.departmentId = allowed[0]!
  }

  const demands = input.text.match(URGENCY_DEMANDS)
  if (demands && rank(value.urgency) > rank('normal')) {
    const evidence = detectUrgency(input.text.replace(URGENCY_DEMANDS, ' '))
    if (rank(evidence) < rank(value.urgency)) {
      rejected.push('urgency_demanded_only')
      result.urgency = evidence
    }
  }
  return { value: result, rejected }
}

/**
 * A summary that is one line, bounded, free of personal data and of words that could pass for a status or a contact
 * line, from the resident's own text.
 */
export function safeSummary(text: string): string {
  const line = summarize(removePersonalData(text.replace(STATUS_OR_CONTACT, ' '))).replace(/\s+/g, ' ')
  const cleaned = line.replace(STATUS_OR_CONTACT, '').replace(/^[\s\p{P}]+|[\s，,、：:；;]+$/gu, '').trim()
  return (cleaned || '（无文字内容）').slice(0, SUMMARY_MAX_LENGTH)
}

function rank(urgency: Urgency): number {
  return URGENCIES.indexOf(urgency)
}

function bigrams(text: string): string[] {
  const chars = Array.from(text)
  if (chars.length < 2)
    return chars
  return chars.slice(1).map((char, i) => chars[i]! + char)
}

const squash = (text: string) => redactPersonalData(text.normalize('NFKC')).replace(/[\s\p{P}]+/gu, '').toLowerCase()

/** Whether the place is in what the resident wrote: most of its character pairs appear there (a model may drop a 的). */
function supportedBy(location: string, sources: string[]): boolean {
  const place = squash(location)
  if (!place)
    return false
  const source = sources.map(squash).join('|')
  if (source.includes(place))
    return true
  const pairs = bigrams(place)
  const found = pairs.filter(pair => source.includes(pair)).length
  return found / pairs.length >= 0.7
}
