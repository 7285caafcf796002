/** What an inspector found on a spot visit. */
export const SPOT_CHECK_OUTCOMES = ['confirmed', 'not_visited', 'unresolved', 'unaware'] as const
export type SpotCheckOutcome = (typeof SPOT_CHECK_OUTCOMES)[number]

export const SPOT_CHECK_OUTCOME_NAMES: Record<SpotCheckOutcome, string> = {
  confirmed: '走访属实',
  not_visited: '未走访',
  unresolved: '问题仍未解决',
  unaware: '群众不知情',
}

export interface SpotCheckItem {
  id: number
  position: number
  entityId: number
  outcome: SpotCheckOutcome | null
  note: string | null
}

export interface SpotCheck {
  id: number
  districtId: string
  seed: string
  drawnBy: number
  inspectorId: number | null
  inspectorName: string | null
  items: SpotCheckItem[]
}

/** A small, fast, seeded generator (mulberry32): the same seed gives the same sample on every machine. */
export function seededRandom(seed: string): () => number {
  let h = 1779033703 ^ seed.length
  for (const ch of seed) {
    h = Math.imul(h ^ ch.codePointAt(0)!, 3432918353)
    h = (h << 13) | (h >>> 19)
  }
  let state = h >>> 0
  return () => {
    state = (state + 0x6D2B79F5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** `count` ids drawn without replacement from `ids` (sorted first, so the order the store returned them in is moot). */
export function drawSample(ids: readonly number[], count: number, random: () => number): number[] {
  const pool = [...ids].sort((a, b) => a - b)
  // Partial Fisher–Yates: the first `count` places are the sample.
  for (let i = 0; i < Math.min(count, pool.length); i++) {
    const j = i + Math.floor(random() * (pool.length - i))
    ;[pool[i], pool[j]] = [pool[j]!, pool[i]!]
  }
  return pool.slice(0, Math.min(count, pool.length))
}
