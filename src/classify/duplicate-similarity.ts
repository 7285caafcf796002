import { removePersonalData } from '#root/privacy/personal-data.js'

/**
 * Whether two reports describe the same problem, by the character bigrams of their texts.
 *
 * Chinese is written without spaces, so words are approximated by overlapping pairs of characters: "路灯坏了" gives
 * 路灯 · 灯坏 · 坏了. Personal data is removed first (a phone number shared by chance says nothing, and the text is
 * kept nowhere), then everything but letters, digits and Han characters. The score is the Dice coefficient of the two
 * sets of bigrams, 2·|A∩B| / (|A| + |B|): 1 for the same text, 0 for texts with no pair of characters in common.
 * A short repeat of a long post scores lower than the long post against itself, which is the point: a resident who
 * adds different details may well be reporting a different problem.
 *
 * The threshold is chosen on hand-labelled pairs of real repeat posts (test/classify/duplicate-pairs.ts; figures in
 * the README, `npm run eval:duplicates`).
 */

/** At or above this score a new report is offered the open ticket as the same problem. */
export const DUPLICATE_THRESHOLD = 0.4

export type BigramSet = ReadonlySet<string>

const NOT_KEPT = /[^\p{L}\p{N}]+/gu

/** The text as it is compared: personal data removed, width and case folded, punctuation and spaces dropped. */
export function comparableText(text: string): string {
  return removePersonalData(text).normalize('NFKC').toLowerCase().replace(NOT_KEPT, ' ')
}

/** The character bigrams of a text; a pair never spans a removed stretch (punctuation, a phone number). */
export function bigramsOf(text: string): Set<string> {
  const result = new Set<string>()
  for (const run of comparableText(text).split(' ')) {
    const chars = [...run]
    if (chars.length === 1)
      result.add(chars[0]!)
    for (let i = 0; i + 1 < chars.length; i++)
      result.add(chars[i]! + chars[i + 1]!)
  }
  return result
}

/** Dice coefficient of two bigram sets, in [0, 1]; 0 when either is empty. */
export function diceSimilarity(a: BigramSet, b: BigramSet): number {
  if (a.size === 0 || b.size === 0)
    return 0
  const [small, large] = a.size <= b.size ? [a, b] : [b, a]
  let shared = 0
  for (const gram of small) {
    if (large.has(gram))
      shared++
  }
  return (2 * shared) / (a.size + b.size)
}

/** How alike two texts are, from 0 (nothing in common) to 1 (the same words). */
export function textSimilarity(a: string, b: string): number {
  return diceSimilarity(bigramsOf(a), bigramsOf(b))
}

export interface DuplicateCandidate<T> {
  item: T
  score: number
}

/**
 * The candidates at or above `threshold`, best first (ties: the order given, so callers pass the oldest first and
 * the original report wins over its own repeats).
 */
export function rankDuplicates<T>(text: string, candidates: readonly T[], textOf: (item: T) => string, threshold = DUPLICATE_THRESHOLD): DuplicateCandidate<T>[] {
  const grams = bigramsOf(text)
  return candidates
    .map((item, index) => ({ item, score: diceSimilarity(grams, bigramsOf(textOf(item))), index }))
    .filter(c => c.score >= threshold)
    .sort((x, y) => y.score - x.score || x.index - y.index)
    .map(({ item, score }) => ({ item, score }))
}
