import type { MonthKey, ReportUnit, UnitKind, UnitMonthFigures } from '#root/domain/monthly-figures.js'
import { emptyFigures, UNASSIGNED_UNIT } from '#root/domain/monthly-figures.js'
import { z } from 'zod'

/**
 * The monthly supervision report (月度通报): every rate, the weighted score and the ranking of each unit, taken from
 * the month's counts. The message, the CSV and the chart all render this one object.
 */

/** The rates a 12345 bulletin publishes; each is a share in [0, 1], or null when its base is zero. */
export interface UnitRates {
  /** 按时签收率: accepted by the acceptance deadline / acceptance deadlines falling in the month. */
  onTimeAcceptance: number | null
  /** 按时办结率: resolved by the completion deadline / completion deadlines falling in the month. */
  onTimeCompletion: number | null
  /** 重办率: reopened for rework / first resolved in the month. */
  rework: number | null
  /** 满意率: satisfied / rated by the reporter. */
  satisfaction: number | null
  /** 回访应答率: follow-ups the reporter answered / all follow-ups decided (answered or closed unanswered). */
  response: number | null
  /** 覆盖率 (districts): registered entities visited so far, as the store keeps it. */
  coverage: number | null
}

export const RATE_KEYS = ['onTimeAcceptance', 'onTimeCompletion', 'rework', 'satisfaction', 'response', 'coverage'] as const
export type RateKey = (typeof RATE_KEYS)[number]

/**
 * How much each rate weighs in the score (综合得分). A weight is in points; the score is the weighted mean of the
 * unit's rates on a 0–100 scale, over the rates the unit has (a rate with a zero base leaves its weight out, rather
 * than counting as 0 or as 100%). The rework rate counts reversed (1 − 重办率): less rework scores higher.
 */
export const scoreWeightsSchema = z.object({
  onTimeAcceptance: z.number().min(0).default(20),
  onTimeCompletion: z.number().min(0).default(30),
  rework: z.number().min(0).default(15),
  satisfaction: z.number().min(0).default(30),
  response: z.number().min(0).default(0),
  coverage: z.number().min(0).default(5),
}).strict().refine(weights => Object.values(weights).some(w => w > 0), { message: 'at least one weight must be above 0' })

export type ScoreWeights = z.infer<typeof scoreWeightsSchema>

export const DEFAULT_SCORE_WEIGHTS: ScoreWeights = scoreWeightsSchema.parse({})

/** The weights file (`prisma/monthly-weights.json`): the weights, and a note for whoever edits it. */
export const weightsFileSchema = z.object({ note: z.string().optional(), weights: scoreWeightsSchema }).strict()

export interface UnitReport {
  unit: ReportUnit
  figures: UnitMonthFigures
  rates: UnitRates
  /** 0–100, rounded to one decimal; null when the unit has none of the weighted rates. */
  score: number | null
  /** 1 for the best; units with equal scores share a rank (1, 2, 2, 4); null when unscored. */
  rank: number | null
  /** Last month's rank and score of the same unit; null when it was not in last month's report. */
  previous: { rank: number | null, score: number | null } | null
  /** Places gained since last month (positive: up); null when either month has no rank. */
  rankChange: number | null
  /** Score points since last month, rounded to one decimal; null when either month has no score. */
  scoreChange: number | null
}

export interface KindReport {
  kind: UnitKind
  /** Ranked first, best to worst; unscored units last, by name. */
  units: UnitReport[]
  totals: UnitMonthFigures
  totalRates: UnitRates
}

export interface MonthlyReport {
  month: MonthKey
  previousMonth: MonthKey
  weights: ScoreWeights
  districts: KindReport
  departments: KindReport
}

/** A share, or null when the base is zero: "no deadline fell due" is not "0% on time", nor "100%". */
export function ratio(part: number, base: number): number | null {
  return base > 0 ? part / base : null
}

export function unitRates(f: UnitMonthFigures): UnitRates {
  return {
    onTimeAcceptance: ratio(f.acceptedOnTime, f.acceptDue),
    onTimeCompletion: ratio(f.resolvedOnTime, f.resolveDue),
    rework: ratio(f.reworked, f.resolved),
    satisfaction: ratio(f.satisfied, f.rated),
    response: ratio(f.rated, f.rated + f.unrated),
    coverage: f.coverage === null ? null : Math.min(1, Math.max(0, f.coverage)),
  }
}

/** The weighted score on 0–100, rounded to one decimal; null when no weighted rate is defined for the unit. */
export function weightedScore(rates: UnitRates, weights: ScoreWeights): number | null {
  let sum = 0
  let weight = 0
  for (const key of RATE_KEYS) {
    const rate = rates[key]
    const w = weights[key]
    if (rate === null || w <= 0)
      continue
    sum += w * (key === 'rework' ? 1 - rate : rate)
    weight += w
  }
  return weight > 0 ? round1(100 * sum / weight) : null
}

/**
 * Ranks by score, best first, with competition ranking for ties (1, 2, 2, 4): two units with the same score to one
 * decimal share a place, and the next one counts both. Unscored units get no rank. Ties list by name.
 */
export function rankUnits<T extends { score: number | null, unit: ReportUnit }>(units: readonly T[]): Array<T & { rank: number | null }> {
  // Tickets of no known district or department answer to nobody in particular: no place in a ranking.
  const ranked = (unit: T) => unit.score !== null && unit.unit.id !== UNASSIGNED_UNIT
  const sorted = [...units].sort((a, b) => {
    if (!ranked(a) || !ranked(b))
      return ranked(a) === ranked(b) ? byName(a, b) : ranked(a) ? -1 : 1
    return b.score! - a.score! || byName(a, b)
  })
  let rank = 0
  let lastScore: number | null = null
  return sorted.map((unit, index) => {
    if (!ranked(unit))
      return { ...unit, rank: null }
    if (unit.score !== lastScore) {
      rank = index + 1
      lastScore = unit.score
    }
    return { ...unit, rank }
  })
}

function byName(a: { unit: ReportUnit }, b: { unit: ReportUnit }): number {
  return a.unit.nameZh.localeCompare(b.unit.nameZh, 'zh-CN') || a.unit.id.localeCompare(b.unit.id)
}

/** The ranked units of one kind in one month, without the comparison with the month before. */
function rankMonth(figures: readonly UnitMonthFigures[], weights: ScoreWeights) {
  return rankUnits(figures.map((f) => {
    const rates = unitRates(f)
    return { unit: f.unit, figures: f, rates, score: weightedScore(rates, weights) }
  }))
}

export function kindReport(kind: UnitKind, current: readonly UnitMonthFigures[], previous: readonly UnitMonthFigures[], weights: ScoreWeights): KindReport {
  const before = new Map(rankMonth(previous, weights).map(u => [u.unit.id, u]))
  const units = rankMonth(current, weights).map((u): UnitReport => {
    const last = before.get(u.unit.id)
    return {
      ...u,
      previous: last ? { rank: last.rank, score: last.score } : null,
      rankChange: last?.rank != null && u.rank !== null ? last.rank - u.rank : null,
      scoreChange: last?.score != null && u.score !== null ? round1(u.score - last.score) : null,
    }
  })
  const totals = sumFigures(kind, current)
  return { kind, units, totals, totalRates: unitRates(totals) }
}

/** The whole kind added up (全市合计); coverage is not additive across units and is left out. */
export function sumFigures(kind: UnitKind, figures: readonly UnitMonthFigures[]): UnitMonthFigures {
  const total = emptyFigures({ kind, id: 'total', nameZh: '合计', nameEn: 'Total' })
  for (const f of figures) {
    total.received += f.received
    total.acceptDue += f.acceptDue
    total.acceptedOnTime += f.acceptedOnTime
    total.resolveDue += f.resolveDue
    total.resolvedOnTime += f.resolvedOnTime
    total.overdue += f.overdue
    total.extensions += f.extensions
    total.resolved += f.resolved
    total.reworked += f.reworked
    total.rated += f.rated
    total.satisfied += f.satisfied
    total.unrated += f.unrated
    if (total.visits !== null && f.visits !== null)
      total.visits += f.visits
  }
  return total
}

export function buildMonthlyReport(input: {
  month: MonthKey
  weights: ScoreWeights
  current: { district: readonly UnitMonthFigures[], department: readonly UnitMonthFigures[] }
  previous: { district: readonly UnitMonthFigures[], department: readonly UnitMonthFigures[] }
}): MonthlyReport {
  return {
    month: input.month,
    previousMonth: previousMonth(input.month),
    weights: input.weights,
    districts: kindReport('district', input.current.district, input.previous.district, input.weights),
    departments: kindReport('department', input.current.department, input.previous.department, input.weights),
  }
}

function round1(value: number): number {
  return Math.round(value * 10) / 10
}

// ---------------------------------------------------------------- months

const MONTH_PATTERN = /^(\d{4})-(\d{2})$/

export type MonthInput
  = | { ok: true, month: MonthKey }
    | { ok: false, reason: 'format' | 'future' }

/** `2026-11` → { year: 2026, month: 11 }; null unless a real month written as YYYY-MM. */
export function parseMonthKey(text: string): { year: number, month: number } | null {
  const match = MONTH_PATTERN.exec(text.trim())
  if (!match)
    return null
  const year = Number(match[1])
  const month = Number(match[2])
  if (month < 1 || month > 12 || year < 2000)
    return null
  return { year, month }
}

export function monthKey(year: number, month: number): MonthKey {
  const d = new Date(Date.UTC(year, month - 1, 1))
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`
}

export function previousMonth(month: MonthKey): MonthKey {
  const parsed = parseMonthKey(month)
  if (!parsed)
    throw new Error(`not a month: ${month}`)
  return monthKey(parsed.year, parsed.month - 1)
}

/** The month a local date (YYYY-MM-DD) falls in. */
export function monthOfDay(day: string): MonthKey {
  return day.slice(0, 7)
}

/**
 * The month a `/monthly` asks for: none given, the last complete month before `today` (a local YYYY-MM-DD);
 * a month after the current one is refused. The current month itself is allowed (figures so far).
 */
export function chooseMonth(text: string | undefined, today: string): MonthInput {
  const current = monthOfDay(today)
  if (text === undefined || text.trim() === '')
    return { ok: true, month: previousMonth(current) }
  const parsed = parseMonthKey(text)
  if (!parsed)
    return { ok: false, reason: 'format' }
  const month = monthKey(parsed.year, parsed.month)
  if (month > current)
    return { ok: false, reason: 'future' }
  return { ok: true, month }
}
