import { textSimilarity } from '#root/classify/duplicate-similarity.js'

export interface ScoredPair {
  score: number
  duplicate: boolean
}

export interface PrecisionRecall {
  threshold: number
  truePositives: number
  falsePositives: number
  falseNegatives: number
  precision: number
  recall: number
  f1: number
}

/** A message of a board export as the duplicate check reads it: its title and its body. */
export interface BoardMessage {
  id: string
  title: string
  body: string
}

/** The text of a message as a report: the title plays the summary, the body the description. */
export function messageText(message: BoardMessage): string {
  return `${message.title}\n${message.body}`
}

/** Scores labelled pairs of messages, each given by its 1-based line in the export. */
export function scorePairs(
  messages: readonly BoardMessage[],
  pairs: readonly { lineA: number, idA: string, lineB: number, idB: string, duplicate: boolean }[],
): ScoredPair[] {
  return pairs.map((pair) => {
    const a = messages[pair.lineA - 1]
    const b = messages[pair.lineB - 1]
    if (!a || !b || a.id !== pair.idA || b.id !== pair.idB)
      throw new Error(`the pair at lines ${pair.lineA}/${pair.lineB} does not match ids ${pair.idA}/${pair.idB}: the data file changed`)
    return { score: textSimilarity(messageText(a), messageText(b)), duplicate: pair.duplicate }
  })
}

/** Precision and recall of "duplicate when the score is at least `threshold`". */
export function precisionRecall(pairs: readonly ScoredPair[], threshold: number): PrecisionRecall {
  let truePositives = 0
  let falsePositives = 0
  let falseNegatives = 0
  for (const pair of pairs) {
    const predicted = pair.score >= threshold
    if (predicted && pair.duplicate)
      truePositives++
    else if (predicted)
      falsePositives++
    else if (pair.duplicate)
      falseNegatives++
  }
  const precision = truePositives + falsePositives === 0 ? 1 : truePositives / (truePositives + falsePositives)
  const recall = truePositives + falseNegatives === 0 ? 1 : truePositives / (truePositives + falseNegatives)
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
  return { threshold, truePositives, falsePositives, falseNegatives, precision, recall, f1 }
}
