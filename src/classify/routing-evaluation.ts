import type { Urgency } from '#root/classify/classification.js'

/** A scored prediction with the confidence it was given. */
export interface ConfidentPrediction {
  truth: string
  predicted: string
  confidence: number
}

/** At one threshold: the share of reports routed without a person, and how many of those went to the right place. */
export interface ThresholdPoint {
  threshold: number
  routed: number
  routedShare: number
  /** Share of reports left for manual triage. */
  triageShare: number
  routedAccuracy: number
}

/** The trade-off between automatic routing and its accuracy, one point per threshold. */
export function confidenceCurve(items: readonly ConfidentPrediction[], thresholds: readonly number[]): ThresholdPoint[] {
  return thresholds.map((threshold) => {
    const routed = items.filter(i => i.confidence >= threshold)
    const correct = routed.filter(i => i.truth === i.predicted).length
    const routedShare = items.length === 0 ? 0 : routed.length / items.length
    return {
      threshold,
      routed: routed.length,
      routedShare,
      triageShare: items.length === 0 ? 0 : 1 - routedShare,
      routedAccuracy: routed.length === 0 ? 0 : correct / routed.length,
    }
  })
}

const PRESSING: ReadonlySet<Urgency> = new Set(['urgent', 'critical'])

/**
 * Urgent recall: of the cases that warrant urgent or critical, the share marked so. False-urgent rate: of the cases
 * that do not, the share marked urgent or critical anyway. Also the exact-level agreement.
 */
export function urgencyFigures(items: readonly { truth: Urgency, predicted: Urgency }[]): {
  n: number
  urgentRecall: number
  falseUrgentRate: number
  criticalRecall: number
  exact: number
} {
  const pressing = items.filter(i => PRESSING.has(i.truth))
  const calm = items.filter(i => !PRESSING.has(i.truth))
  const critical = items.filter(i => i.truth === 'critical')
  const share = (part: number, whole: number) => whole === 0 ? 0 : part / whole
  return {
    n: items.length,
    urgentRecall: share(pressing.filter(i => PRESSING.has(i.predicted)).length, pressing.length),
    falseUrgentRate: share(calm.filter(i => PRESSING.has(i.predicted)).length, calm.length),
    criticalRecall: share(critical.filter(i => i.predicted === 'critical').length, critical.length),
    exact: share(items.filter(i => i.truth === i.predicted).length, items.length),
  }
}

/** Precision and recall of "not a report", counting a non-report as the positive class. */
export function nonReportFigures(items: readonly { isReport: boolean, predictedReport: boolean }[]): { precision: number, recall: number, n: number } {
  const truePositive = items.filter(i => !i.isReport && !i.predictedReport).length
  const predicted = items.filter(i => !i.predictedReport).length
  const actual = items.filter(i => !i.isReport).length
  return {
    precision: predicted === 0 ? 0 : truePositive / predicted,
    recall: actual === 0 ? 0 : truePositive / actual,
    n: items.length,
  }
}

/**
 * Splits indexes 0..n-1 into `k` folds after a seeded shuffle, so a learning curve is the same on every run.
 */
export function kFolds(n: number, k: number, seed = 1): number[][] {
  const order = Array.from({ length: n }, (_, i) => i)
  let state = seed >>> 0 || 1
  const random = () => {
    // xorshift32: deterministic and good enough to shuffle.
    state ^= state << 13
    state >>>= 0
    state ^= state >>> 17
    state ^= state << 5
    state >>>= 0
    return state / 0x100000000
  }
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const swap = order[i] as number
    order[i] = order[j] as number
    order[j] = swap
  }
  return Array.from({ length: k }, (_, fold) => order.filter((_, position) => position % k === fold))
}
