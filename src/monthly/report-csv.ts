import type { UnitMonthFigures } from '#root/domain/monthly-figures.js'
import type { KindReport, UnitRates } from '#root/domain/monthly-report.js'
import type { MonthlyBulletin } from '#root/usecases/monthly-report.js'
import { formatRate, NO_BASE } from '#root/monthly/report-format.js'
import { toCsv } from '#root/registry/registry-csv.js'

/** One row per unit, districts then departments, each kind closed by its total; Chinese headers, as bulletins have. */
export const UNIT_COLUMNS = [
  '月份',
  '类别',
  '排名',
  '单位',
  '综合得分',
  '上月排名',
  '排名变化',
  '得分变化',
  '受理量',
  '应签收',
  '按时签收',
  '按时签收率',
  '应办结',
  '按时办结',
  '按时办结率',
  '超期',
  '延期',
  '办结',
  '重办',
  '重办率',
  '回访评价',
  '满意',
  '满意率',
  '未回应',
  '回访应答率',
  '走访次数',
  '覆盖率',
] as const

export const MODEL_CASE_COLUMNS = ['月份', '类型', '编号', '单位', '内容摘要（已脱敏）', '入选理由', '标记人', '标记时间'] as const

const KIND_ZH = { district: '区县', department: '部门' } as const

type Cell = string | number | null

/**
 * The month's report as a CSV for spreadsheets: UTF-8 with a BOM and CRLF (Excel reads Chinese right), numbers as
 * numbers, rates as percentages ("98.5%"), "—" where a rate has no base. The model cases follow after a blank line
 * under their own header.
 */
export function monthlyReportCsv(bulletin: MonthlyBulletin, timezone: string): Buffer {
  const { report } = bulletin
  const rows: Cell[][] = [[...UNIT_COLUMNS]]
  for (const kind of [report.districts, report.departments])
    rows.push(...kindRows(report.month, kind))
  rows.push([])
  rows.push([...MODEL_CASE_COLUMNS])
  const time = new Intl.DateTimeFormat('sv-SE', { timeZone: timezone, dateStyle: 'short', timeStyle: 'short' })
  for (const c of bulletin.modelCases) {
    rows.push([
      report.month,
      c.kind === 'ticket' ? '工单' : '走访',
      c.kind === 'ticket' ? c.reference : `走访 #${c.reference}（${c.visitedOn}）`,
      c.unitZh,
      c.summary,
      c.reason,
      c.markedBy,
      time.format(c.markedAt),
    ])
  }
  if (bulletin.modelCases.length === 0)
    rows.push([report.month, '（本月无典型案例）'])
  return toCsv(rows)
}

function kindRows(month: string, kind: KindReport): Cell[][] {
  const rows = kind.units.map(u => [
    month,
    KIND_ZH[kind.kind],
    u.rank ?? NO_BASE,
    u.unit.nameZh,
    u.score ?? NO_BASE,
    u.previous?.rank ?? NO_BASE,
    u.rank === null ? NO_BASE : u.previous?.rank == null ? '新' : u.rankChange,
    u.scoreChange ?? NO_BASE,
    ...counts(u.figures, u.rates),
  ])
  rows.push([month, KIND_ZH[kind.kind], null, '合计', null, null, null, null, ...counts(kind.totals, kind.totalRates)])
  return rows
}

function counts(f: UnitMonthFigures, rates: UnitRates): Cell[] {
  return [
    f.received,
    f.acceptDue,
    f.acceptedOnTime,
    formatRate(rates.onTimeAcceptance),
    f.resolveDue,
    f.resolvedOnTime,
    formatRate(rates.onTimeCompletion),
    f.overdue,
    f.extensions,
    f.resolved,
    f.reworked,
    formatRate(rates.rework),
    f.rated,
    f.satisfied,
    formatRate(rates.satisfaction),
    f.unrated,
    formatRate(rates.response),
    f.visits ?? NO_BASE,
    formatRate(rates.coverage),
  ]
}
