import type { KindReport, MonthlyReport } from '#root/domain/monthly-report.js'
import type { GlyphFont } from '#root/monthly/cjk-font.js'
import { formatRankChange, formatScore, weightsFormulaZh } from '#root/monthly/report-format.js'
import { monthLabel } from '#root/monthly/report-text.js'
import { Resvg } from '@resvg/resvg-js'

/**
 * The month's ranking as a picture (PNG): one horizontal bar per unit, the score at its end and the change of rank
 * beside, districts first, then departments. Drawn as SVG with the text as outlines (see cjk-font.ts) and
 * rasterized by resvg: no browser, no network, no font on the machine.
 */

const WIDTH = 1000
const MARGIN = 32
const LABEL_WIDTH = 250
const BAR_LEFT = MARGIN + 40 + LABEL_WIDTH + 12
const BAR_MAX = WIDTH - BAR_LEFT - 150
const ROW = 30
/** Telegram shows a photo whose sides add up to 10,000 px at most; this keeps a long list far inside that. */
export const CHART_ROWS_PER_KIND = 60

const COLORS = {
  text: '#1f2933',
  muted: '#616e7c',
  bar: '#3b6fb6',
  top: '#c0392b',
  grid: '#e4e7eb',
  up: '#1e8e3e',
  down: '#c0392b',
}

interface Piece {
  text: string
  x: number
  y: number
  size: number
  color: string
  anchor?: 'start' | 'end' | 'middle'
  maxWidth?: number
}

/** The chart's SVG, with every text as outlines from `font`. */
export async function reportChartSvg(report: MonthlyReport, font: GlyphFont): Promise<string> {
  const pieces: Piece[] = []
  const shapes: string[] = []
  let y = MARGIN + 28
  pieces.push({ text: `${monthLabel(report.month, 'zh')} 12345 诉求办理综合得分排名`, x: MARGIN, y, size: 28, color: COLORS.text })
  y += 30
  pieces.push({ text: `得分 = ${weightsFormulaZh(report.weights)}（按权重折算为百分制，无基数的项不计）`, x: MARGIN, y, size: 14, color: COLORS.muted, maxWidth: WIDTH - 2 * MARGIN })
  y += 22
  pieces.push({ text: `排名变化对比 ${monthLabel(report.previousMonth, 'zh')}；红色为前三名`, x: MARGIN, y, size: 14, color: COLORS.muted })
  y += 20

  for (const [title, kind] of [['区县', report.districts], ['部门', report.departments]] as const)
    y = section(title, kind, y, pieces, shapes)

  y += 16
  pieces.push({ text: '回音 Huiyin · 数据截至月末，完整数据见 CSV', x: WIDTH - MARGIN, y, size: 12, color: COLORS.muted, anchor: 'end' })
  const height = Math.ceil(y + MARGIN / 2)

  await font.prepare(pieces.map(p => p.text))
  const texts = pieces.map((piece) => {
    let run = font.layout(piece.text, piece.size)
    if (piece.maxWidth !== undefined && run.width > piece.maxWidth)
      run = font.layout(piece.text, piece.size * piece.maxWidth / run.width)
    const x = piece.anchor === 'end' ? piece.x - run.width : piece.anchor === 'middle' ? piece.x - run.width / 2 : piece.x
    return `<path transform="translate(${round(x)} ${round(piece.y)})" fill="${piece.color}" d="${run.path}"/>`
  })
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">`
    + `<rect width="100%" height="100%" fill="#ffffff"/>${shapes.join('')}${texts.join('')}</svg>`
}

function section(title: string, kind: KindReport, top: number, pieces: Piece[], shapes: string[]): number {
  let y = top + 40
  pieces.push({ text: title, x: MARGIN, y, size: 20, color: COLORS.text })
  pieces.push({ text: '综合得分', x: BAR_LEFT, y, size: 13, color: COLORS.muted })
  pieces.push({ text: '较上月排名', x: WIDTH - MARGIN, y, size: 13, color: COLORS.muted, anchor: 'end' })
  shapes.push(`<rect x="${MARGIN}" y="${y + 8}" width="${WIDTH - 2 * MARGIN}" height="1" fill="${COLORS.grid}"/>`)
  y += 16
  if (kind.units.length === 0) {
    pieces.push({ text: '本月无数据', x: MARGIN, y: y + 24, size: 16, color: COLORS.muted })
    return y + 32
  }
  // Gridlines at 0, 50 and 100 points.
  const rows = kind.units.slice(0, CHART_ROWS_PER_KIND)
  const height = rows.length * ROW
  for (const mark of [0, 50, 100]) {
    const x = BAR_LEFT + BAR_MAX * mark / 100
    shapes.push(`<rect x="${round(x)}" y="${y}" width="1" height="${height}" fill="${COLORS.grid}"/>`)
    pieces.push({ text: String(mark), x, y: y + height + 16, size: 12, color: COLORS.muted, anchor: 'middle' })
  }
  for (const unit of rows) {
    const baseline = y + ROW / 2 + 6
    pieces.push({ text: unit.rank === null ? '—' : String(unit.rank), x: MARGIN + 28, y: baseline, size: 16, color: COLORS.muted, anchor: 'end' })
    pieces.push({ text: unit.unit.nameZh, x: MARGIN + 40 + LABEL_WIDTH, y: baseline, size: 16, color: COLORS.text, anchor: 'end', maxWidth: LABEL_WIDTH })
    if (unit.score === null) {
      pieces.push({ text: '无可计分数据', x: BAR_LEFT + 6, y: baseline, size: 14, color: COLORS.muted })
    }
    else {
      const width = Math.max(1, BAR_MAX * unit.score / 100)
      const color = unit.rank !== null && unit.rank <= 3 ? COLORS.top : COLORS.bar
      shapes.push(`<rect x="${BAR_LEFT}" y="${y + 6}" width="${round(width)}" height="${ROW - 12}" rx="3" fill="${color}"/>`)
      pieces.push({ text: formatScore(unit.score), x: BAR_LEFT + width + 8, y: baseline, size: 15, color: COLORS.text })
    }
    const change = formatRankChange(unit)
    pieces.push({
      text: change,
      x: WIDTH - MARGIN,
      y: baseline,
      size: 15,
      color: change.startsWith('↑') ? COLORS.up : change.startsWith('↓') ? COLORS.down : COLORS.muted,
      anchor: 'end',
    })
    y += ROW
  }
  y += 22
  if (kind.units.length > rows.length) {
    pieces.push({ text: `……另有 ${kind.units.length - rows.length} 个单位，见 CSV`, x: MARGIN, y: y + 8, size: 14, color: COLORS.muted })
    y += 22
  }
  return y
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}

export interface RasterImage {
  png: Buffer
  width: number
  height: number
  /** RGBA, row by row. */
  pixels: Buffer
}

/** Rasterizes an SVG whose text is already outlines: system fonts are never looked up. */
export function rasterize(svg: string): RasterImage {
  const image = new Resvg(svg, { font: { loadSystemFonts: false }, background: '#ffffff' }).render()
  return { png: image.asPng(), width: image.width, height: image.height, pixels: image.pixels }
}

/** The chart as a PNG. */
export async function renderReportChart(report: MonthlyReport, font: GlyphFont): Promise<Buffer> {
  return rasterize(await reportChartSvg(report, font)).png
}
