import { bigramsOf, comparableText, diceSimilarity, DUPLICATE_THRESHOLD, rankDuplicates, textSimilarity } from '#root/classify/duplicate-similarity.js'
import { describe, expect, it } from 'vitest'

describe('the duplicate check\'s text similarity', () => {
  it('compares texts as overlapping pairs of characters, never across punctuation', () => {
    expect([...bigramsOf('路灯坏了')]).toEqual(['路灯', '灯坏', '坏了'])
    expect([...bigramsOf('路灯，坏了')]).toEqual(['路灯', '坏了'])
    expect([...bigramsOf('灯')]).toEqual(['灯'])
    expect(bigramsOf('，。！').size).toBe(0)
  })

  it('removes personal data, folds width and case before comparing', () => {
    expect(comparableText('电话：13812345678 路灯坏了')).not.toMatch(/\d/)
    expect(textSimilarity('ＡＢＣ小区路灯坏了', 'abc小区路灯坏了')).toBe(1)
    // The same report with two different phone numbers is the same report.
    expect(textSimilarity('星湖街路灯坏了，电话13812345678', '星湖街路灯坏了，电话13987654321')).toBe(1)
  })

  it('is 1 for the same text, 0 for nothing in common, symmetric, and the Dice coefficient in between', () => {
    expect(textSimilarity('小区门口路灯坏了', '小区门口路灯坏了')).toBe(1)
    expect(textSimilarity('小区门口路灯坏了', '医保报销咨询')).toBe(0)
    expect(textSimilarity('', '路灯坏了')).toBe(0)
    const a = '星湖街路灯坏了'
    const b = '星湖街路灯不亮'
    expect(textSimilarity(a, b)).toBe(textSimilarity(b, a))
    // 6 and 6 bigrams, 4 shared (星湖 湖街 街路 路灯): 2·4 / 12.
    expect(textSimilarity(a, b)).toBeCloseTo(8 / 12, 12)
    expect(diceSimilarity(new Set(['ab']), new Set())).toBe(0)
  })

  it('tells a repeat of a report from a report of another problem at the same place', () => {
    const open = '金鸡湖社区星湖街8号门口的路灯坏了一个星期，晚上很黑，老人出门不方便'
    const repeat = '星湖街8号门口路灯坏了好几天了，晚上很黑，老人出门不方便'
    const other = '星湖街8号门口的垃圾桶满了没人清运，气味很大'
    expect(textSimilarity(open, repeat)).toBeGreaterThanOrEqual(DUPLICATE_THRESHOLD)
    expect(textSimilarity(open, other)).toBeLessThan(DUPLICATE_THRESHOLD)
  })

  it('ranks the candidates above the threshold, best first, the older first on a tie', () => {
    const candidates = [
      { id: 1, text: '星湖街垃圾桶满了' },
      { id: 2, text: '星湖街路灯坏了，晚上很黑' },
      { id: 3, text: '星湖街路灯坏了，晚上很黑' },
      { id: 4, text: '星湖街路灯坏了' },
    ]
    const ranked = rankDuplicates('星湖街路灯坏了，晚上很黑', candidates, c => c.text, 0.5)
    expect(ranked.map(r => r.item.id)).toEqual([2, 3, 4])
    expect(ranked[0]!.score).toBe(1)
  })
})
