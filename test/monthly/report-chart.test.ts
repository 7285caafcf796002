import type { GlyphFont } from '#root/monthly/cjk-font.js'
import { copyFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadNotoSansSc, notoSansScDirectory, parseUnicodeRange } from '#root/monthly/cjk-font.js'
import { rasterize, renderReportChart } from '#root/monthly/report-chart.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { sampleBulletin } from '../helpers/monthly.js'

/** One line of text at 48 px on white, rasterized: the pixels and the share of them inked. */
function draw(font: GlyphFont, text: string) {
  const run = font.layout(text, 48)
  const width = Math.ceil(run.width) + 20
  const image = rasterize(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="70"><path transform="translate(10 55)" d="${run.path}"/></svg>`)
  let inked = 0
  for (let i = 0; i < image.pixels.length; i += 4) {
    if (image.pixels[i]! < 128)
      inked++
  }
  return { run, pixels: image.pixels, coverage: inked / (image.width * image.height) }
}

function pngSize(png: Buffer) {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) }
}

describe('the monthly chart', () => {
  let font: GlyphFont
  /** The same font with every slice file missing: each character comes out as an empty box (tofu). */
  let tofu: GlyphFont

  beforeAll(async () => {
    font = await loadNotoSansSc()
    const empty = mkdtempSync(join(tmpdir(), 'huiyin-no-font-'))
    copyFileSync(join(notoSansScDirectory(), 'unicode.json'), join(empty, 'unicode.json'))
    tofu = await loadNotoSansSc({ directory: empty })
    const labels = ['按时办结率', '区', '县', '姑苏区']
    await font.prepare(labels)
    await tofu.prepare(labels)
  })

  it('is a PNG of a sensible size that grows with the number of units', async () => {
    const small = await renderReportChart(sampleBulletin().report, font)
    expect([...small.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    expect(small.subarray(12, 16).toString('latin1')).toBe('IHDR')
    expect(small.subarray(-8, -4).toString('latin1')).toBe('IEND')
    expect(pngSize(small).width).toBe(1000)
    expect(pngSize(small).height).toBeGreaterThan(400)
    expect(small.length).toBeGreaterThan(10_000)
    expect(small.length).toBeLessThan(1_000_000)
    const large = await renderReportChart(sampleBulletin({ departments: 200 }).report, font)
    // Long lists are cut (60 rows a kind), so Telegram's photo limits hold: sides adding up to 10,000 px at most.
    expect(pngSize(large).height).toBeGreaterThan(pngSize(small).height)
    expect(pngSize(large).width + pngSize(large).height).toBeLessThan(10_000)
  })

  it('has a glyph for every character it writes', async () => {
    const missing: string[] = []
    const watching: GlyphFont = {
      prepare: texts => font.prepare(texts),
      layout: (text, size) => {
        const run = font.layout(text, size)
        missing.push(...run.missing)
        return run
      },
    }
    await renderReportChart(sampleBulletin({ departments: 5 }).report, watching)
    expect(missing).toEqual([])
  })

  it('draws Chinese characters, not boxes: each character its own shape', () => {
    const label = draw(font, '按时办结率')
    const boxes = draw(tofu, '按时办结率')
    expect(label.run.missing).toEqual([])
    expect(boxes.run.missing).toEqual([...'按时办结率'])
    expect(Buffer.compare(label.pixels, boxes.pixels)).not.toBe(0)
    // Strokes ink a fair share of the line, unlike hollow boxes' thin outlines or nothing at all.
    expect(label.coverage).toBeGreaterThan(0.08)
    expect(label.coverage).toBeLessThan(0.6)
    expect(Math.abs(label.coverage - boxes.coverage)).toBeGreaterThan(0.02)
    // Two different characters look different with the font, and exactly alike as tofu.
    expect(Buffer.compare(draw(font, '区').pixels, draw(font, '县').pixels)).not.toBe(0)
    expect(Buffer.compare(draw(tofu, '区').pixels, draw(tofu, '县').pixels)).toBe(0)
  })

  it.each([
    ['U+4e00-4e0f,U+3000', [[0x4E00, 0x4E0F], [0x3000, 0x3000]]],
    ['U+1f1e9-1f1f5, U+20', [[0x1F1E9, 0x1F1F5], [0x20, 0x20]]],
    ['junk', []],
  ])('reads the unicode-range %s', (text, ranges) => {
    expect(parseUnicodeRange(text)).toEqual(ranges)
  })
})
