import { evaluate, selectScorableRows } from '#root/classify/evaluation.js'
import { describe, expect, it } from 'vitest'

const pairs = (...items: [string, string][]) => items.map(([truth, predicted]) => ({ truth, predicted }))

describe('evaluate', () => {
  // A: 3 true, 3 predicted, 2 right. B: 2 true, 2 predicted, 1 right. C: 1 true, never predicted.
  const items = pairs(['A', 'A'], ['A', 'A'], ['A', 'B'], ['B', 'B'], ['B', 'A'], ['C', '(none)'])

  it('computes accuracy over every item', () => {
    const result = evaluate(items)
    expect(result.n).toBe(6)
    expect(result.correct).toBe(3)
    expect(result.accuracy).toBe(0.5)
  })

  it('computes per-label precision, recall and F1 by hand', () => {
    const [a, b, c] = evaluate(items).perLabel
    expect(a).toEqual({ label: 'A', precision: 2 / 3, recall: 2 / 3, f1: expect.closeTo(2 / 3, 12), support: 3, predicted: 3 })
    expect(b).toEqual({ label: 'B', precision: 0.5, recall: 0.5, f1: 0.5, support: 2, predicted: 2 })
    expect(c).toEqual({ label: 'C', precision: 0, recall: 0, f1: 0, support: 1, predicted: 0 })
  })

  it('averages F1 over labels without weighting by support', () => {
    expect(evaluate(items).macroF1).toBeCloseTo((2 / 3 + 1 / 2 + 0) / 3, 12)
  })

  it('builds the confusion matrix with predictions outside the label space as extra columns', () => {
    expect(evaluate(items).confusion).toEqual({
      rows: ['A', 'B', 'C'],
      columns: ['A', 'B', 'C', '(none)'],
      counts: [
        [2, 1, 0, 0],
        [1, 1, 0, 0],
        [0, 0, 0, 1],
      ],
    })
  })

  it('orders labels by support, then by name, unless told', () => {
    expect(evaluate(pairs(['y', 'y'], ['x', 'x'], ['z', 'z'], ['z', 'z'])).confusion.rows).toEqual(['z', 'x', 'y'])
    expect(evaluate(items, { labels: ['C', 'B', 'A'] }).confusion.rows).toEqual(['C', 'B', 'A'])
  })

  it('computes asymmetric precision and recall', () => {
    // A predicted 4 times, right 3 times; A true 3 times. B true twice, found once.
    const [a, b] = evaluate(pairs(['A', 'A'], ['A', 'A'], ['A', 'A'], ['B', 'A'], ['B', 'B'])).perLabel
    expect(a).toMatchObject({ precision: 0.75, recall: 1 })
    expect(a!.f1).toBeCloseTo(2 * 0.75 * 1 / 1.75, 12)
    expect(b).toMatchObject({ precision: 1, recall: 0.5 })
    expect(b!.f1).toBeCloseTo(2 / 3, 12)
  })

  it('counts a label of the given space that never occurs as F1 0', () => {
    const result = evaluate(pairs(['A', 'A']), { labels: ['A', 'Z'] })
    expect(result.macroF1).toBe(0.5)
    expect(result.confusion.counts).toEqual([[1, 0], [0, 0]])
  })

  it('keeps items whose truth is outside the given space in the accuracy but not in the matrix', () => {
    const result = evaluate(pairs(['A', 'A'], ['Q', 'A']), { labels: ['A'] })
    expect(result.accuracy).toBe(0.5)
    expect(result.confusion.counts).toEqual([[1]])
    expect(result.perLabel[0]).toMatchObject({ precision: 0.5, recall: 1 })
  })

  it('scores a perfect run as 1 and an empty one as 0', () => {
    const perfect = evaluate(pairs(['A', 'A'], ['B', 'B']))
    expect([perfect.accuracy, perfect.macroF1]).toEqual([1, 1])
    const empty = evaluate([])
    expect([empty.n, empty.accuracy, empty.macroF1, empty.perLabel]).toEqual([0, 0, 0, []])
  })
})

describe('selectScorableRows', () => {
  it('drops rows the dataset flags as conflicting', () => {
    const rows = [
      { id: '1', label: 'A', flags: ['duplicate_id', 'conflicting_label_same_id'] },
      { id: '1', label: 'B', flags: ['duplicate_id', 'conflicting_label_same_id'] },
      { id: '2', label: 'A', flags: [] },
    ]
    const selection = selectScorableRows(rows)
    expect(selection.kept.map(r => r.id)).toEqual(['2'])
    expect(selection.droppedFlagged).toBe(2)
  })

  it('drops every copy of an id that carries two labels even when not flagged', () => {
    const selection = selectScorableRows([
      { id: '7', label: 'A' },
      { id: '8', label: 'B' },
      { id: '7', label: 'C' },
    ])
    expect(selection.kept.map(r => r.id)).toEqual(['8'])
    expect(selection.droppedConflicting).toBe(2)
  })

  it('keeps the first of repeated ids with one label', () => {
    const rows = [{ id: '3', label: 'A', n: 1 }, { id: '3', label: 'A', n: 2 }, { id: '4', label: 'B', n: 3 }]
    const selection = selectScorableRows(rows)
    expect(selection.kept.map(r => r.n)).toEqual([1, 3])
    expect(selection.droppedDuplicate).toBe(1)
  })
})
