/** A report whose route a person decided: the final category and department, as this deployment routes it. */
export interface RoutingExample {
  text: string
  categoryId: string
  departmentId: string
}

export interface SimilarExample {
  example: RoutingExample
  /** Cosine similarity of the two texts' character n-gram profiles, 0..1. */
  similarity: number
}

/**
 * The deployment's own labelled examples, grown from every correction, searched by resemblance.
 * Kept in memory (loaded from the store at start, added to live); a few thousand examples search in well under
 * a millisecond through an inverted index.
 */
export interface CorrectionMemory {
  readonly size: number
  add: (example: RoutingExample) => void
  /** The `limit` most similar examples at or above `minSimilarity`, most similar first. */
  nearest: (text: string, options?: { limit?: number, minSimilarity?: number }) => SimilarExample[]
}

const MAX_TEXT_CHARS = 2_000

/**
 * Character bigrams and trigrams of Han text and words of other scripts: no word segmentation is needed, and a typo
 * costs only the grams it touches.
 */
export function characterGrams(text: string): Map<string, number> {
  const grams = new Map<string, number>()
  const normalized = text.normalize('NFKC').toLowerCase().slice(0, MAX_TEXT_CHARS)
  const count = (gram: string) => grams.set(gram, (grams.get(gram) ?? 0) + 1)
  for (const run of normalized.match(/\p{Script=Han}+/gu) ?? []) {
    const chars = Array.from(run)
    if (chars.length === 1)
      count(run)
    for (let i = 0; i + 1 < chars.length; i++) {
      count(`${chars[i]}${chars[i + 1]}`)
      if (i + 2 < chars.length)
        count(`${chars[i]}${chars[i + 1]}${chars[i + 2]}`)
    }
  }
  for (const word of normalized.match(/[a-z0-9]{2,}/g) ?? [])
    count(`w:${word}`)
  return grams
}

interface Entry {
  example: RoutingExample
  weights: Map<string, number>
  norm: number
  /** The memory's size when `norm` was computed: the idf, and so the norm, moves as examples arrive. */
  normAt: number
}

/** Creates an empty memory, or one holding `examples`. */
export function createCorrectionMemory(examples: readonly RoutingExample[] = []): CorrectionMemory {
  const entries: Entry[] = []
  const postings = new Map<string, number[]>()
  const documentFrequency = new Map<string, number>()

  // Sublinear term frequency; the idf is applied at query time, so adding an example never rewrites the others.
  const idf = (gram: string) => Math.log(1 + (entries.length + 1) / ((documentFrequency.get(gram) ?? 0) + 1))

  function add(example: RoutingExample): void {
    const grams = characterGrams(example.text)
    if (grams.size === 0)
      return
    const weights = new Map<string, number>()
    for (const [gram, count] of grams)
      weights.set(gram, 1 + Math.log(count))
    const index = entries.length
    entries.push({ example, weights, norm: 0, normAt: -1 })
    for (const gram of weights.keys()) {
      documentFrequency.set(gram, (documentFrequency.get(gram) ?? 0) + 1)
      const list = postings.get(gram) ?? []
      list.push(index)
      postings.set(gram, list)
    }
  }

  function nearest(text: string, options: { limit?: number, minSimilarity?: number } = {}): SimilarExample[] {
    const { limit = 5, minSimilarity = 0 } = options
    if (entries.length === 0)
      return []
    const grams = characterGrams(text)
    const query = new Map<string, number>()
    let queryNorm = 0
    for (const [gram, count] of grams) {
      if (!postings.has(gram))
        continue
      const weight = (1 + Math.log(count)) * idf(gram)
      query.set(gram, weight)
    }
    for (const [gram, count] of grams) {
      const weight = (1 + Math.log(count)) * idf(gram)
      queryNorm += weight * weight
    }
    if (query.size === 0 || queryNorm === 0)
      return []
    const dots = new Map<number, number>()
    for (const [gram, weight] of query) {
      const g = idf(gram)
      for (const index of postings.get(gram) as number[]) {
        const entryWeight = (entries[index] as Entry).weights.get(gram) as number
        dots.set(index, (dots.get(index) ?? 0) + weight * entryWeight * g)
      }
    }
    const results: SimilarExample[] = []
    for (const [index, dot] of dots) {
      const entry = entries[index] as Entry
      const similarity = dot / (Math.sqrt(queryNorm) * entryNorm(entry))
      if (similarity >= minSimilarity)
        results.push({ example: entry.example, similarity })
    }
    results.sort((a, b) => b.similarity - a.similarity)
    return results.slice(0, limit)
  }

  function entryNorm(entry: Entry): number {
    if (entry.normAt !== entries.length) {
      let sum = 0
      for (const [gram, weight] of entry.weights) {
        const w = weight * idf(gram)
        sum += w * w
      }
      entry.norm = Math.sqrt(sum) || 1
      entry.normAt = entries.length
    }
    return entry.norm
  }

  for (const example of examples)
    add(example)
  return {
    get size() {
      return entries.length
    },
    add,
    nearest,
  }
}
