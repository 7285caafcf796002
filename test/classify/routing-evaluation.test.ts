import { confidenceCurve, kFolds, nonReportFigures, urgencyFigures } from '#root/classify/routing-evaluation.js'
import { describe, expect, it } from 'vitest'

describe('routing evaluation', () => {
  it('computes the routed share and the accuracy of the routed at each threshold', () => {
    const items = [
      { truth: 'a', predicted: 'a', confidence: 0.9 },
      { truth: 'a', predicted: 'b', confidence: 0.6 },
      { truth: 'b', predicted: 'b', confidence: 0.3 },
      { truth: 'b', predicted: 'a', confidence: 0.1 },
    ]
    expect(confidenceCurve(items, [0.5, 0.95])).toEqual([
      { threshold: 0.5, routed: 2, routedShare: 0.5, triageShare: 0.5, routedAccuracy: 0.5 },
      { threshold: 0.95, routed: 0, routedShare: 0, triageShare: 1, routedAccuracy: 0 },
    ])
  })

  it('counts urgent recall and the false-urgent rate', () => {
    expect(urgencyFigures([
      { truth: 'critical', predicted: 'urgent' },
      { truth: 'urgent', predicted: 'normal' },
      { truth: 'normal', predicted: 'urgent' },
      { truth: 'low', predicted: 'low' },
    ])).toEqual({ n: 4, urgentRecall: 0.5, falseUrgentRate: 0.5, criticalRecall: 0, exact: 0.25 })
  })

  it('counts non-reports as the positive class', () => {
    expect(nonReportFigures([
      { isReport: false, predictedReport: false },
      { isReport: false, predictedReport: true },
      { isReport: true, predictedReport: false },
      { isReport: true, predictedReport: true },
    ])).toEqual({ precision: 0.5, recall: 0.5, n: 4 })
  })

  it('splits into disjoint folds covering every index, the same on every run', () => {
    const folds = kFolds(23, 5)
    expect(folds).toHaveLength(5)
    expect(folds.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 23 }, (_, i) => i))
    expect(kFolds(23, 5)).toEqual(folds)
    expect(folds.map(f => f.length).sort()).toEqual([4, 4, 5, 5, 5])
  })
})
