import type { AreaTree } from '#root/domain/area.js'
import type { Catalog } from '#root/domain/catalog.js'
import type { ModelCase } from '#root/domain/model-case.js'
import type { MonthKey, MonthlyFiguresSource } from '#root/domain/monthly-figures.js'
import type { MonthlyReport, ScoreWeights } from '#root/domain/monthly-report.js'
import type { ModelCaseStore } from '#root/store/model-case-store.js'
import { buildMonthlyReport, parseMonthKey, previousMonth } from '#root/domain/monthly-report.js'
import { redactPersonalData } from '#root/privacy/personal-data.js'
import { startOfLocalDay } from '#root/usecases/ticket-stats.js'

/** What the month's report needs, wherever it is made (the bot's `/monthly`, the CLI). */
export interface MonthlyReportDependencies {
  figures: MonthlyFiguresSource
  modelCases: Pick<ModelCaseStore, 'listMarked'>
  weights: ScoreWeights
  catalog: () => Catalog
  /** The area tree of the visit campaign, for the names of visits' areas; absent without a campaign. */
  areas?: () => AreaTree
  timezone: string
}

/** A model case as a bulletin lists it: names resolved, the person's text redacted (the bulletin is passed on). */
export interface ModelCaseLine {
  kind: 'ticket' | 'visit'
  /** The ticket number, or the visit's id. */
  reference: string
  /** The ticket's department, or the visit's area. */
  unitZh: string
  unitEn: string
  /** The ticket's summary or what was heard on the visit, with personal data replaced by placeholders. */
  summary: string
  reason: string
  markedBy: string
  markedAt: Date
  /** The visit's day (YYYY-MM-DD); null for tickets. */
  visitedOn: string | null
}

/** The month's report with its model cases: what the message, the CSV and the chart are rendered from. */
export interface MonthlyBulletin {
  report: MonthlyReport
  modelCases: ModelCaseLine[]
}

/** The month as a half-open range of instants, in the deployment's time zone. */
export function monthRange(month: MonthKey, timezone: string): { from: Date, to: Date } {
  const parsed = parseMonthKey(month)
  if (!parsed)
    throw new Error(`not a month: ${month}`)
  return {
    from: startOfLocalDay({ year: parsed.year, month: parsed.month, day: 1 }, timezone),
    to: startOfLocalDay({ year: parsed.year, month: parsed.month + 1, day: 1 }, timezone),
  }
}

/** Gathers the month's and the month before's counts and the month's model cases, and ranks. */
export async function monthlyBulletin(deps: MonthlyReportDependencies, month: MonthKey): Promise<MonthlyBulletin> {
  const before = previousMonth(month)
  const [district, department, previousDistrict, previousDepartment, cases] = await Promise.all([
    deps.figures.monthFigures(month, 'district'),
    deps.figures.monthFigures(month, 'department'),
    deps.figures.monthFigures(before, 'district'),
    deps.figures.monthFigures(before, 'department'),
    deps.modelCases.listMarked(monthRange(month, deps.timezone)),
  ])
  const report = buildMonthlyReport({
    month,
    weights: deps.weights,
    current: { district, department },
    previous: { district: previousDistrict, department: previousDepartment },
  })
  return { report, modelCases: cases.map(c => modelCaseLine(deps, c)) }
}

export function modelCaseLine(deps: Pick<MonthlyReportDependencies, 'catalog' | 'areas'>, modelCase: ModelCase): ModelCaseLine {
  const base = { reason: modelCase.reason, markedBy: modelCase.markedName, markedAt: modelCase.markedAt }
  const subject = modelCase.subject
  if (subject.kind === 'ticket') {
    const department = deps.catalog().departments.find(d => d.id === subject.departmentId)
    return {
      ...base,
      kind: 'ticket',
      reference: subject.number,
      unitZh: department?.nameZh ?? subject.departmentId ?? '未分派',
      unitEn: department?.nameEn ?? subject.departmentId ?? 'Unassigned',
      summary: redactPersonalData(subject.summary),
      visitedOn: null,
    }
  }
  const area = deps.areas?.().byId(subject.areaId)
  return {
    ...base,
    kind: 'visit',
    reference: String(subject.visitId),
    unitZh: area?.name ?? subject.areaId,
    unitEn: area?.name ?? subject.areaId,
    summary: redactPersonalData(subject.heard),
    visitedOn: subject.visitedOn,
  }
}
