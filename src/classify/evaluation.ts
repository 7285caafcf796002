/** One scored item: the dataset's label and the classifier's prediction mapped into the dataset's label space. */
export interface LabelledPrediction {
  truth: string
  predicted: string
}

/** Precision, recall and F1 of one label, with how often it is true (support) and predicted. */
export interface LabelMetrics {
  label: string
  precision: number
  recall: number
  f1: number
  support: number
  predicted: number
}

/** Counts of (true label, predicted label): rows are the label space, columns add any other prediction. */
export interface ConfusionMatrix {
  rows: string[]
  columns: string[]
  /** counts[row][column] */
  counts: number[][]
}

export interface Evaluation {
  n: number
  correct: number
  accuracy: number
  /** Unweighted mean of the per-label F1 over the label space, so small classes weigh as much as large ones. */
  macroF1: number
  perLabel: LabelMetrics[]
  confusion: ConfusionMatrix
}

function ratio(numerator: number, denominator: number): number {
  // An empty denominator (a label never predicted, or never true) scores 0, as scikit-learn does by default.
  return denominator === 0 ? 0 : numerator / denominator
}

/**
 * Accuracy, macro-F1, per-label metrics and the confusion matrix.
 * @param items the predictions with their true labels.
 * @param options what to score against.
 * @param options.labels the label space, in display order; default: the true labels, most frequent first.
 * Predictions outside it (such as "(none)" for a category with no counterpart) count as wrong and get their
 * own columns in the confusion matrix, but no F1 of their own.
 */
export function evaluate(items: readonly LabelledPrediction[], options: { labels?: readonly string[] } = {}): Evaluation {
  const labels = options.labels ? [...options.labels] : labelsBySupport(items)
  const extraColumns = [...new Set(items.map(i => i.predicted).filter(p => !labels.includes(p)))].sort()
  const columns = [...labels, ...extraColumns]
  const rowIndex = new Map(labels.map((label, index) => [label, index]))
  const columnIndex = new Map(columns.map((label, index) => [label, index]))

  const counts = labels.map(() => columns.map(() => 0))
  let correct = 0
  for (const item of items) {
    if (item.truth === item.predicted)
      correct++
    const row = rowIndex.get(item.truth)
    if (row === undefined)
      continue
    const column = columnIndex.get(item.predicted) as number
    const cells = counts[row] as number[]
    cells[column] = (cells[column] ?? 0) + 1
  }

  const perLabel = labels.map((label): LabelMetrics => {
    const truePositives = items.filter(i => i.truth === label && i.predicted === label).length
    const support = items.filter(i => i.truth === label).length
    const predicted = items.filter(i => i.predicted === label).length
    const precision = ratio(truePositives, predicted)
    const recall = ratio(truePositives, support)
    return { label, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support, predicted }
  })

  return {
    n: items.length,
    correct,
    accuracy: ratio(correct, items.length),
    macroF1: ratio(perLabel.reduce((sum, m) => sum + m.f1, 0), perLabel.length),
    perLabel,
    confusion: { rows: labels, columns, counts },
  }
}

function labelsBySupport(items: readonly LabelledPrediction[]): string[] {
  const support = new Map<string, number>()
  for (const item of items)
    support.set(item.truth, (support.get(item.truth) ?? 0) + 1)
  return [...support.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([label]) => label)
}

/** A labelled row as read from a dataset file. */
export interface LabelledRow {
  id: string
  label: string
  flags?: readonly string[]
}

/** What `selectScorableRows` kept and why it dropped the rest. */
export interface RowSelection<T> {
  kept: T[]
  /** Rows flagged `conflicting_label_same_id` by the dataset. */
  droppedFlagged: number
  /** Rows whose id appears again with a different label: both copies go, as neither label can be trusted. */
  droppedConflicting: number
  /** Repeats of an id with the same label: kept once, so one report is not scored twice. */
  droppedDuplicate: number
}

/** The rows fit for scoring: no flagged conflicts, no id with two labels, each id once. Order is kept. */
export function selectScorableRows<T extends LabelledRow>(rows: readonly T[]): RowSelection<T> {
  const labelsById = new Map<string, Set<string>>()
  for (const row of rows) {
    const set = labelsById.get(row.id) ?? new Set<string>()
    set.add(row.label)
    labelsById.set(row.id, set)
  }
  const kept: T[] = []
  const seen = new Set<string>()
  let droppedFlagged = 0
  let droppedConflicting = 0
  let droppedDuplicate = 0
  for (const row of rows) {
    if (row.flags?.includes('conflicting_label_same_id'))
      droppedFlagged++
    else if ((labelsById.get(row.id)?.size ?? 0) > 1)
      droppedConflicting++
    else if (seen.has(row.id))
      droppedDuplicate++
    else
      kept.push(row)
    seen.add(row.id)
  }
  return { kept, droppedFlagged, droppedConflicting, droppedDuplicate }
}
