import { drawSample, seededRandom } from '#root/domain/spot-check.js'
import { describe, expect, it } from 'vitest'

describe('drawing a spot-check sample', () => {
  it('draws the same sample from the same seed, whatever order the ids come in, and another from another seed', () => {
    const ids = Array.from({ length: 200 }, (_, i) => i * 7 + 3)
    const one = drawSample(ids, 10, seededRandom('xiangcheng|2026-11'))
    const again = drawSample([...ids].reverse(), 10, seededRandom('xiangcheng|2026-11'))
    const other = drawSample(ids, 10, seededRandom('xiangcheng|2026-12'))
    expect(again).toEqual(one)
    expect(other).not.toEqual(one)
    expect(new Set(one).size).toBe(10)
    expect(one.every(id => ids.includes(id))).toBe(true)
  })

  it('takes everything there is when asked for more, and nothing from nothing', () => {
    expect(drawSample([5, 1, 3], 10, seededRandom('s')).sort()).toEqual([1, 3, 5])
    expect(drawSample([], 3, seededRandom('s'))).toEqual([])
  })

  it('spreads the draw evenly', () => {
    const counts = new Map<number, number>()
    const random = seededRandom('spread')
    for (let round = 0; round < 4000; round++) {
      for (const id of drawSample([1, 2, 3, 4], 1, random)) counts.set(id, (counts.get(id) ?? 0) + 1)
    }
    for (const id of [1, 2, 3, 4]) expect(counts.get(id)!).toBeGreaterThan(850)
  })
})
