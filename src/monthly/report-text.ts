import type { KindReport, UnitReport } from '#root/domain/monthly-report.js'
import type { MonthlyBulletin } from '#root/usecases/monthly-report.js'
import { fitText, MESSAGE_LIMIT } from '#root/domain/message-length.js'
import { RATE_KEYS } from '#root/domain/monthly-report.js'
import { formatRankChange, formatRate, formatScore, formatScoreChange } from '#root/monthly/report-format.js'

export type Translate = (key: string, variables?: Record<string, string | number>) => string

export interface ReportTextOptions {
  t: Translate
  locale: 'zh' | 'en'
  /** The month is still running: the figures are so far. */
  partial?: boolean
}

/** How far the message is cut to fit: every unit with all its rates, one line each, then fewer units. */
interface Detail { rates: 'full' | 'short' | 'none', unitsPerKind: number, modelCases: number }

const DETAILS: Detail[] = [
  { rates: 'full', unitsPerKind: Infinity, modelCases: Infinity },
  { rates: 'short', unitsPerKind: Infinity, modelCases: 20 },
  { rates: 'none', unitsPerKind: Infinity, modelCases: 10 },
  { rates: 'none', unitsPerKind: 30, modelCases: 10 },
  { rates: 'none', unitsPerKind: 15, modelCases: 5 },
  { rates: 'none', unitsPerKind: 8, modelCases: 3 },
]

/**
 * The month's report as one Telegram message: the ranking of districts and of departments with each unit's rates,
 * the totals, the month's model cases and how the score is made. A long report gives up detail step by step (rates
 * first, then the middle of long lists) until it fits in 4,096 characters; the CSV always has everything.
 */
export function monthlyReportText(bulletin: MonthlyBulletin, options: ReportTextOptions): string {
  let text = ''
  for (const detail of DETAILS) {
    text = render(bulletin, options, detail)
    if (text.length <= MESSAGE_LIMIT)
      return text
  }
  return fitText(text, MESSAGE_LIMIT)
}

function render(bulletin: MonthlyBulletin, options: ReportTextOptions, detail: Detail): string {
  const { t } = options
  const { report } = bulletin
  const lines: string[] = [t('monthly-title', { month: monthLabel(report.month, options.locale) })]
  if (options.partial)
    lines.push(t('monthly-partial'))
  for (const [heading, kind] of [['monthly-districts', report.districts], ['monthly-departments', report.departments]] as const) {
    lines.push('', t(heading))
    lines.push(...kindLines(kind, options, detail))
  }
  lines.push('')
  const cases = bulletin.modelCases
  if (cases.length === 0) {
    lines.push(t('monthly-model-cases-none'))
  }
  else {
    lines.push(t('monthly-model-cases', { count: cases.length }))
    for (const c of cases.slice(0, detail.modelCases)) {
      const variables = {
        reference: c.reference,
        unit: options.locale === 'en' ? c.unitEn : c.unitZh,
        summary: fitText(c.summary, 60),
        reason: fitText(c.reason, 80),
        day: c.visitedOn ?? '',
      }
      lines.push(t(c.kind === 'ticket' ? 'monthly-model-case-ticket' : 'monthly-model-case-visit', variables))
    }
    if (cases.length > detail.modelCases)
      lines.push(t('monthly-more', { count: cases.length - detail.modelCases }))
  }
  const formula = RATE_KEYS.filter(key => report.weights[key] > 0).map(key => `${t(`monthly-rate-${key}`)}×${report.weights[key]}`).join(' + ')
  lines.push('', t('monthly-formula', { formula, previous: monthLabel(report.previousMonth, options.locale) }))
  return lines.join('\n')
}

function kindLines(kind: KindReport, options: ReportTextOptions, detail: Detail): string[] {
  const { t } = options
  if (kind.units.length === 0)
    return [t('monthly-none')]
  const shown = pick(kind.units, detail.unitsPerKind)
  const lines: string[] = []
  for (const entry of shown) {
    if (typeof entry === 'number') {
      lines.push(t('monthly-more', { count: entry }))
      continue
    }
    lines.push(...unitLines(entry, options, detail))
  }
  const totals = kind.totals
  const rates = kind.totalRates
  lines.push(t('monthly-total', {
    received: totals.received,
    acceptance: formatRate(rates.onTimeAcceptance),
    completion: formatRate(rates.onTimeCompletion),
    overdue: totals.overdue,
    satisfaction: formatRate(rates.satisfaction),
  }))
  return lines
}

function unitLines(unit: UnitReport, options: ReportTextOptions, detail: Detail): string[] {
  const { t, locale } = options
  const name = locale === 'en' ? unit.unit.nameEn : unit.unit.nameZh
  const change = formatRankChange(unit, { new: t('monthly-new') })
  const scoreChange = formatScoreChange(unit.scoreChange)
  const lines = [unit.score === null
    ? t('monthly-unit-unscored', { name })
    : t('monthly-unit', { rank: unit.rank ?? '—', name, score: formatScore(unit.score), change: unit.scoreChange === null ? change : `${change} (${scoreChange})` })]
  const f = unit.figures
  const r = unit.rates
  if (detail.rates === 'full') {
    lines.push(t('monthly-unit-rates', {
      received: f.received,
      acceptance: formatRate(r.onTimeAcceptance),
      completion: formatRate(r.onTimeCompletion),
      overdue: f.overdue,
      extensions: f.extensions,
      rework: formatRate(r.rework),
      satisfaction: formatRate(r.satisfaction),
      response: formatRate(r.response),
    }))
    if (f.visits !== null)
      lines.push(t('monthly-unit-visits', { visits: f.visits, coverage: formatRate(r.coverage) }))
  }
  else if (detail.rates === 'short') {
    lines.push(t('monthly-unit-rates-short', { completion: formatRate(r.onTimeCompletion), satisfaction: formatRate(r.satisfaction), overdue: f.overdue }))
  }
  return lines
}

/** The head and the tail of a long ranking (the best and those to be called in), with the count left out between. */
function pick(units: readonly UnitReport[], max: number): Array<UnitReport | number> {
  if (units.length <= max)
    return [...units]
  const head = Math.ceil(max / 2)
  const tail = max - head
  return [...units.slice(0, head), units.length - max, ...units.slice(units.length - tail)]
}

/** 2026-11 → 2026年11月, or November 2026. */
export function monthLabel(month: string, locale: 'zh' | 'en'): string {
  const year = Number(month.slice(0, 4))
  const number = Number(month.slice(5, 7))
  if (locale === 'en')
    return new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(year, number - 1, 1)))
  return `${year}年${number}月`
}
