import type { AreaTree } from '#root/domain/area.js'
import type { MonthKey, MonthlyFiguresSource, ReportUnit, UnitKind, UnitMonthFigures } from '#root/domain/monthly-figures.js'
import type { Database } from '#root/store/database.js'
import { emptyFigures, UNASSIGNED_UNIT } from '#root/domain/monthly-figures.js'
import { sqlPlaceholder } from '#root/store/sql-placeholder.js'
import { startOfLocalDay } from '#root/usecases/ticket-stats.js'

export interface MonthlyFiguresStoreOptions {
  /** The deployment's time zone: a month runs from local midnight of its first day to that of the next month's. */
  timezone: string
  /** The area tree: district names, and which district a visit's area lies in. */
  areas: () => AreaTree
}

/** The unit of tickets with no district (an unknown area) or no department (still in triage). */

/** Ratings that count as satisfied (满意 and 基本满意), as a 12345 bulletin counts its satisfaction rate. */
const SATISFIED = `'satisfied', 'partly_satisfied'`
const RATED = `'satisfied', 'partly_satisfied', 'not_satisfied'`

/** The figure kinds of the one statement below, each from its own column and covering index. */
type Figure = 'received' | 'acceptDue' | 'resolveDue' | 'overdue' | 'extensions' | 'resolved' | 'rated'

interface FigureRow {
  figure: Figure
  unit: string | null
  a: unknown
  b: unknown
  c: unknown
}

/**
 * The month's counts per district or department, each a GROUP BY over one figure column of the ticket table: the
 * tickets whose instant (creation, a deadline, going overdue, first resolution, follow-up) falls in the month,
 * read from an index on that instant that also holds the unit, never the event history. Extensions are the month's
 * `extension_approved` events, found through the index on event type and time. Visits and coverage come from the
 * coverage summary (districts only).
 */
export function createMonthlyFiguresStore(db: Database, options: MonthlyFiguresStoreOptions): MonthlyFiguresSource & {
  /** The month's `[from, to)` instants in the deployment's time zone. */
  monthRange: (month: MonthKey) => { from: Date, to: Date }
} {
  const { prisma } = db
  const p = (n: number) => sqlPlaceholder(db.provider, n)

  function monthRange(month: MonthKey): { from: Date, to: Date } {
    const match = /^(\d{4})-(\d{2})$/.exec(month)
    if (!match)
      throw new Error(`a month is YYYY-MM, not ${month}`)
    const year = Number(match[1])
    const number = Number(match[2])
    if (number < 1 || number > 12)
      throw new Error(`a month is YYYY-MM, not ${month}`)
    return {
      from: startOfLocalDay({ year, month: number, day: 1 }, options.timezone),
      to: startOfLocalDay({ year, month: number + 1, day: 1 }, options.timezone),
    }
  }

  async function ticketFigures(kind: UnitKind, from: Date, to: Date): Promise<FigureRow[]> {
    const unit = kind === 'district' ? '"districtId"' : '"departmentId"'
    const within = (column: string) => `${column} >= ${p(1)} AND ${column} < ${p(2)}`
    const figure = (name: Figure, column: string, a: string, b = '0', c = '0') =>
      `SELECT '${name}' AS "figure", ${unit} AS "unit", ${a} AS "a", ${b} AS "b", ${c} AS "c" FROM "Ticket" WHERE ${within(column)} GROUP BY ${unit}`
    const onTime = (done: string, due: string) => `SUM(CASE WHEN ${done} <= ${due} THEN 1 ELSE 0 END)`
    return prisma.$queryRawUnsafe<FigureRow[]>(
      [
        figure('received', '"createdAt"', 'COUNT(*)'),
        figure('acceptDue', '"acceptDueAt"', 'COUNT(*)', onTime('"firstAcceptedAt"', '"acceptDueAt"')),
        figure('resolveDue', '"resolveDueAt"', 'COUNT(*)', onTime('"firstResolvedAt"', '"resolveDueAt"')),
        figure('overdue', '"overdueAt"', 'COUNT(*)'),
        figure('resolved', '"firstResolvedAt"', 'COUNT(*)', 'SUM(CASE WHEN "reworkCount" > 0 THEN 1 ELSE 0 END)'),
        figure(
          'rated',
          '"ratedAt"',
          `SUM(CASE WHEN "satisfaction" IN (${RATED}) THEN 1 ELSE 0 END)`,
          `SUM(CASE WHEN "satisfaction" IN (${SATISFIED}) THEN 1 ELSE 0 END)`,
          `SUM(CASE WHEN "satisfaction" = 'no_response' THEN 1 ELSE 0 END)`,
        ),
        `SELECT 'extensions' AS "figure", t.${unit} AS "unit", COUNT(*) AS "a", 0 AS "b", 0 AS "c"
         FROM "TicketEvent" e JOIN "Ticket" t ON t."id" = e."ticketId"
         WHERE e."type" = 'extension_approved' AND ${within('e."createdAt"')} GROUP BY t.${unit}`,
      ].join(' UNION ALL '),
      from,
      to,
    )
  }

  return {
    monthRange,
    async monthFigures(month, kind) {
      const { from, to } = monthRange(month)
      const tree = options.areas()
      const [rows, names, visits] = await Promise.all([
        ticketFigures(kind, from, to),
        kind === 'department'
          ? prisma.department.findMany({ select: { id: true, nameZh: true, nameEn: true } })
          : Promise.resolve([]),
        kind === 'district' ? districtVisits(month, tree) : Promise.resolve(new Map<string, { visits: number, coverage: number | null }>()),
      ])
      const departments = new Map(names.map(d => [d.id, d]))
      const units = new Map<string, UnitMonthFigures>()
      const unitFigures = (id: string): UnitMonthFigures => {
        let figures = units.get(id)
        if (!figures) {
          figures = emptyFigures(unitOf(kind, id, tree, departments))
          units.set(id, figures)
        }
        return figures
      }
      for (const row of rows) {
        const figures = unitFigures(row.unit ?? UNASSIGNED_UNIT)
        const a = Number(row.a ?? 0)
        const b = Number(row.b ?? 0)
        const c = Number(row.c ?? 0)
        switch (row.figure) {
          case 'received': figures.received += a
            break
          case 'acceptDue': figures.acceptDue += a
            figures.acceptedOnTime += b
            break
          case 'resolveDue': figures.resolveDue += a
            figures.resolvedOnTime += b
            break
          case 'overdue': figures.overdue += a
            break
          case 'extensions': figures.extensions += a
            break
          case 'resolved': figures.resolved += a
            figures.reworked += b
            break
          case 'rated': figures.rated += a
            figures.satisfied += b
            figures.unrated += c
            break
        }
      }
      for (const [districtId, figures] of visits) {
        // A district with visits but no ticket still has a row; one with neither is left out.
        if (figures.visits === 0 && !units.has(districtId))
          continue
        const unit = unitFigures(districtId)
        unit.visits = figures.visits
        unit.coverage = figures.coverage
      }
      return [...units.values()].filter(hasAnything).sort(byUnit(tree))
    },
  }

  /** Per district: visit notes of the month, and the share of registered entities visited in the month's year. */
  async function districtVisits(month: MonthKey, tree: AreaTree): Promise<Map<string, { visits: number, coverage: number | null }>> {
    const [visits, registered, visited] = await Promise.all([
      prisma.coverageVisitCount.findMany({ where: { bucket: month }, select: { areaId: true, visits: true } }),
      prisma.coverageEntityCount.findMany({ select: { areaId: true, registered: true } }),
      prisma.coverageVisitedCount.findMany({ where: { bucket: month.slice(0, 4) }, select: { areaId: true, visited: true } }),
    ])
    const districts = new Map<string, { visits: number, registered: number, visited: number }>()
    const at = (areaId: string) => {
      const district = tree.path(areaId).find(a => a.level === 'district')?.id
      if (!district)
        return null
      let figures = districts.get(district)
      if (!figures) {
        figures = { visits: 0, registered: 0, visited: 0 }
        districts.set(district, figures)
      }
      return figures
    }
    for (const row of visits) {
      const figures = at(row.areaId)
      if (figures)
        figures.visits += row.visits
    }
    for (const row of registered) {
      const figures = at(row.areaId)
      if (figures)
        figures.registered += row.registered
    }
    for (const row of visited) {
      const figures = at(row.areaId)
      if (figures)
        figures.visited += row.visited
    }
    return new Map([...districts].map(([id, f]) => [id, { visits: f.visits, coverage: f.registered > 0 ? f.visited / f.registered : null }]))
  }
}

function unitOf(kind: UnitKind, id: string, tree: AreaTree, departments: Map<string, { nameZh: string, nameEn: string }>): ReportUnit {
  if (id === UNASSIGNED_UNIT) {
    return kind === 'district'
      ? { kind, id, nameZh: '区域不明', nameEn: 'Area unknown' }
      : { kind, id, nameZh: '待分派', nameEn: 'Not yet assigned' }
  }
  if (kind === 'district') {
    const area = tree.byId(id)
    return { kind, id, nameZh: area?.name ?? id, nameEn: area?.name ?? id }
  }
  const department = departments.get(id)
  return { kind, id, nameZh: department?.nameZh ?? id, nameEn: department?.nameEn ?? id }
}

function hasAnything(figures: UnitMonthFigures): boolean {
  return figures.received + figures.acceptDue + figures.resolveDue + figures.overdue + figures.extensions
    + figures.resolved + figures.rated + figures.unrated + (figures.visits ?? 0) > 0
}

/** Districts in the order of the area file, departments by id; the unassigned last. */
function byUnit(tree: AreaTree): (a: UnitMonthFigures, b: UnitMonthFigures) => number {
  const order = new Map(tree.areas.map((area, index) => [area.id, index]))
  const rank = (figures: UnitMonthFigures) =>
    figures.unit.id === UNASSIGNED_UNIT ? Number.MAX_SAFE_INTEGER : figures.unit.kind === 'district' ? order.get(figures.unit.id) ?? Number.MAX_SAFE_INTEGER - 1 : 0
  return (a, b) => rank(a) - rank(b) || a.unit.id.localeCompare(b.unit.id)
}
