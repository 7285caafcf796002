import type { ScoreWeights, UnitReport } from '#root/domain/monthly-report.js'
import { RATE_KEYS } from '#root/domain/monthly-report.js'

/** What a rate with a zero base shows: not 0, not 100%. */
export const NO_BASE = '—'

/** 0.9876 → "98.8%"; null → "—". */
export function formatRate(rate: number | null): string {
  return rate === null ? NO_BASE : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`
}

export function formatScore(score: number | null): string {
  return score === null ? NO_BASE : score.toFixed(1)
}

/** Places gained since last month: "↑2", "↓1", "→" (same place), "新" (not ranked last month), "—" (not ranked now). */
export function formatRankChange(unit: Pick<UnitReport, 'rank' | 'previous' | 'rankChange'>, words: { new: string } = { new: '新' }): string {
  if (unit.rank === null)
    return NO_BASE
  if (unit.previous?.rank == null)
    return words.new
  const change = unit.rankChange ?? 0
  return change > 0 ? `↑${change}` : change < 0 ? `↓${-change}` : '→'
}

/** Score points since last month: "+3.1", "-0.5", "±0"; "—" without both scores. */
export function formatScoreChange(change: number | null): string {
  if (change === null)
    return NO_BASE
  return change > 0 ? `+${change.toFixed(1)}` : change < 0 ? change.toFixed(1) : '±0'
}

export const RATE_NAMES_ZH: Record<(typeof RATE_KEYS)[number], string> = {
  onTimeAcceptance: '按时签收率',
  onTimeCompletion: '按时办结率',
  rework: '(1−重办率)',
  satisfaction: '满意率',
  response: '回访应答率',
  coverage: '覆盖率',
}

/** "按时签收率×20 + 按时办结率×30 + …": the weights in force, in the words of the bulletin. */
export function weightsFormulaZh(weights: ScoreWeights): string {
  return RATE_KEYS.filter(key => weights[key] > 0).map(key => `${RATE_NAMES_ZH[key]}×${weights[key]}`).join(' + ')
}
