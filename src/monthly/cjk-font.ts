import type { Font } from 'fontkit'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import * as fontkit from 'fontkit'
import wawoff2 from 'wawoff2'

/**
 * Chinese text drawn without any font installed on the machine: outlines come from Noto Sans SC as the npm package
 * `@fontsource-variable/noto-sans-sc` ships it (the variable font cut into about a hundred WOFF2 slices by
 * Unicode range), decoded in process (`wawoff2`, WebAssembly) and read with `fontkit`. Text becomes SVG paths, so
 * the rasterizer needs no font at all and the picture is the same on every machine.
 */

/** One line of text laid out at a size, ready to place in an SVG. */
export interface TextRun {
  /** Advance width in pixels. */
  width: number
  /** SVG path data of the outlines, with the baseline's start at (0, 0). */
  path: string
  /** Characters the font has no glyph for (drawn as empty boxes). */
  missing: string[]
}

export interface GlyphFont {
  /** Loads what `texts` need; call before {@link GlyphFont.layout} with them. */
  prepare: (texts: Iterable<string>) => Promise<void>
  /** Lays out one line at `size` pixels. Characters not prepared, or not in the font, become boxes. */
  layout: (text: string, size: number) => TextRun
}

interface Slice {
  file: string
  ranges: Array<[number, number]>
  font?: Promise<Font | null>
}

const PACKAGE = '@fontsource-variable/noto-sans-sc'
/** The variable font's default instance is its thinnest (100); reports read best at the regular weight. */
const REGULAR = 400

/** Where the font package lies, resolved like an import: from node_modules, never from the network. */
export function notoSansScDirectory(): string {
  // The package exports CSS only; its LICENSE is the one plain file it names.
  return dirname(createRequire(import.meta.url).resolve(`${PACKAGE}/LICENSE`))
}

/**
 * Noto Sans SC from the installed package (or from `directory`, for tests). Slices are read and decoded only when
 * a character in them is first needed, then kept.
 */
export async function loadNotoSansSc(options: { directory?: string, weight?: number } = {}): Promise<GlyphFont> {
  const directory = options.directory ?? notoSansScDirectory()
  const weight = options.weight ?? REGULAR
  const ranges = JSON.parse(await readFile(join(directory, 'unicode.json'), 'utf8')) as Record<string, string>
  const slices: Slice[] = Object.entries(ranges).map(([key, value]) => ({
    file: join(directory, 'files', `noto-sans-sc-${key.replace(/\D/g, '')}-wght-normal.woff2`),
    ranges: parseUnicodeRange(value),
  }))
  const loaded = new Map<Slice, Font | null>()

  const sliceOf = (codePoint: number) => slices.find(s => s.ranges.some(([from, to]) => codePoint >= from && codePoint <= to))

  async function open(slice: Slice): Promise<Font | null> {
    slice.font ??= (async () => {
      try {
        const ttf = await wawoff2.decompress(await readFile(slice.file))
        const font = fontkit.create(Buffer.from(ttf)) as Font
        return font.variationAxes.wght ? font.getVariation({ wght: weight }) : font
      }
      catch {
        // A slice missing or damaged costs its characters, not the chart.
        return null
      }
    })()
    const font = await slice.font
    loaded.set(slice, font)
    return font
  }

  return {
    async prepare(texts) {
      const needed = new Set<Slice>()
      for (const text of texts) {
        for (const char of text) {
          const slice = sliceOf(char.codePointAt(0)!)
          if (slice && !loaded.has(slice))
            needed.add(slice)
        }
      }
      await Promise.all([...needed].map(open))
    },
    layout(text, size) {
      let x = 0
      const parts: string[] = []
      const missing: string[] = []
      for (const char of text) {
        const codePoint = char.codePointAt(0)!
        if (char === ' ') {
          x += size * 0.3
          continue
        }
        const slice = sliceOf(codePoint)
        const font = slice ? loaded.get(slice) : undefined
        const glyph = font && font.hasGlyphForCodePoint(codePoint) ? font.glyphForCodePoint(codePoint) : null
        if (!font || !glyph) {
          missing.push(char)
          parts.push(box(x, size))
          x += size
          continue
        }
        const scale = size / font.unitsPerEm
        const outline = glyph.path.scale(scale, -scale).translate(x, 0).toSVG()
        if (outline)
          parts.push(outline)
        x += glyph.advanceWidth * scale
      }
      return { width: x, path: parts.join(''), missing }
    },
  }
}

/** The empty box a missing character is drawn as (tofu), so that a gap is visible rather than silent. */
function box(x: number, size: number): string {
  const left = x + size * 0.1
  const right = x + size * 0.9
  const top = -size * 0.8
  const bottom = size * 0.05
  const stroke = Math.max(1, size * 0.06)
  const outer = `M${left} ${top}H${right}V${bottom}H${left}Z`
  const inner = `M${left + stroke} ${top + stroke}V${bottom - stroke}H${right - stroke}V${top + stroke}Z`
  return outer + inner
}

/** `U+4e00-4e0f,U+3000` → [[0x4e00, 0x4e0f], [0x3000, 0x3000]] */
export function parseUnicodeRange(text: string): Array<[number, number]> {
  return text.split(',').flatMap((part) => {
    const match = /^\s*U\+([0-9a-f]+)(?:-([0-9a-f]+))?\s*$/i.exec(part)
    if (!match)
      return []
    const from = Number.parseInt(match[1]!, 16)
    return [[from, match[2] ? Number.parseInt(match[2], 16) : from] as [number, number]]
  })
}
