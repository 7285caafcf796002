import { fitLatestLines, fitText } from '#root/domain/message-length.js'
import { describe, expect, it } from 'vitest'

describe('fitText', () => {
  it('keeps short texts and cuts long ones with an ellipsis, never inside an emoji', () => {
    expect(fitText('路灯坏了', 10)).toBe('路灯坏了')
    expect(fitText('路灯坏了很久了', 5)).toBe('路灯坏了…')
    const cut = fitText(`ab${'😀'.repeat(5)}`, 4)
    expect(cut.length).toBeLessThanOrEqual(4)
    expect(cut).toBe('ab…')
  })
})

describe('fitLatestLines', () => {
  const omitted = (count: number) => `…以及更早的 ${count} 条记录`

  it('keeps every entry that fits', () => {
    expect(fitLatestLines(['a', 'b'], 100, omitted)).toEqual(['a', 'b'])
  })

  it('keeps the latest entries and says how many earlier ones are left out', () => {
    const entries = Array.from({ length: 5 }, (_, i) => `${i + 1}:${'x'.repeat(998)}`)
    const kept = fitLatestLines(entries, 3000, omitted)
    expect(kept[0]).toBe(omitted(3))
    expect(kept.slice(1).map(e => e.split(':')[0])).toEqual(['4', '5'])
    expect(kept.join('\n').length).toBeLessThanOrEqual(3000)
  })

  it('says so even when not one entry fits', () => {
    expect(fitLatestLines(['x'.repeat(50)], 20, omitted)).toEqual([omitted(1)])
  })
})
