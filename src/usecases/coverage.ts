import type { Area, AreaTree } from '#root/domain/area.js'
import type { EntityKind } from '#root/domain/visit.js'
import type { AreaFigures, CoverageRows, CoverageStore, EntityCounts, Period } from '#root/store/coverage-store.js'
import { ENTITY_KINDS } from '#root/domain/visit.js'

export interface CoverageReport {
  area: Area
  period: Period
  /** The area rolled up (itself and every area under it). */
  total: AreaFigures
  /** Each child area rolled up. */
  children: { area: Area, figures: AreaFigures }[]
  cadres: CoverageRows['cadres']
}

export const ALL_TIME: Period = { from: '0000-01-01', to: '9999-12-31' }

/**
 * Reads a period as people type it: nothing (all records), `2026-11` (a month), `2026` (a year), `2026-11-03` (a
 * day), `2026-11-01..2026-11-15` (a range), or 本月/上月/今年. Null when it reads as none of these.
 */
export function parsePeriod(text: string, today: string): Period | null {
  const value = text.trim()
  if (value === '' || value === 'all' || value === '全部')
    return ALL_TIME
  const [year, month] = today.split('-').map(Number) as [number, number]
  const monthOf = (y: number, m: number): Period => {
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
    const mm = String(m).padStart(2, '0')
    return { from: `${y}-${mm}-01`, to: `${y}-${mm}-${String(last).padStart(2, '0')}` }
  }
  if (value === '本月' || value === 'month')
    return monthOf(year, month)
  if (value === '上月' || value === 'last-month')
    return month === 1 ? monthOf(year - 1, 12) : monthOf(year, month - 1)
  if (value === '今年' || value === 'year')
    return { from: `${year}-01-01`, to: `${year}-12-31` }
  let m = /^(\d{4})$/.exec(value)
  if (m)
    return { from: `${m[1]}-01-01`, to: `${m[1]}-12-31` }
  m = /^(\d{4})-(\d{1,2})$/.exec(value)
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12)
    return monthOf(Number(m[1]), Number(m[2]))
  const day = /^\d{4}-\d{2}-\d{2}$/
  if (day.test(value))
    return { from: value, to: value }
  const range = value.split('..')
  if (range.length === 2 && day.test(range[0]!) && day.test(range[1]!) && range[0]! <= range[1]!)
    return { from: range[0]!, to: range[1]! }
  return null
}

const emptyFigures = (): AreaFigures => ({ entities: {}, visits: 0, problems: 0, ticketsOpened: 0, ticketsResolved: 0 })

function add(into: AreaFigures, from: AreaFigures | undefined): void {
  if (!from)
    return
  into.visits += from.visits
  into.problems += from.problems
  into.ticketsOpened += from.ticketsOpened
  into.ticketsResolved += from.ticketsResolved
  for (const kind of ENTITY_KINDS) {
    const counts = from.entities[kind]
    if (!counts)
      continue
    const target: EntityCounts = into.entities[kind] ?? { registered: 0, priority: 0, visited: 0, priorityVisited: 0 }
    target.registered += counts.registered
    target.priority += counts.priority
    target.visited += counts.visited
    target.priorityVisited += counts.priorityVisited
    into.entities[kind] = target
  }
}

export async function coverageReport(deps: { coverage: CoverageStore, areas: () => AreaTree }, areaId: string, period: Period): Promise<CoverageReport> {
  const tree = deps.areas()
  const area = tree.byId(areaId)
  if (!area)
    throw new Error(`unknown area ${areaId}`)
  const subtree = tree.subtree(areaId)
  const rows = await deps.coverage.figures(period, subtree.map(a => a.id))
  const rolled = (id: string) => {
    const figures = emptyFigures()
    for (const a of tree.subtree(id)) add(figures, rows.byArea.get(a.id))
    return figures
  }
  return {
    area,
    period,
    total: rolled(areaId),
    children: tree.children(areaId).map(child => ({ area: child, figures: rolled(child.id) })),
    cadres: rows.cadres,
  }
}

/** All districts at once: the city-wide view. */
export async function cityCoverage(deps: { coverage: CoverageStore, areas: () => AreaTree }, period: Period): Promise<{ period: Period, districts: { area: Area, figures: AreaFigures }[], total: AreaFigures }> {
  const tree = deps.areas()
  const rows = await deps.coverage.figures(period, null)
  const total = emptyFigures()
  const districts = tree.children(null).map((district) => {
    const figures = emptyFigures()
    for (const a of tree.subtree(district.id)) add(figures, rows.byArea.get(a.id))
    add(total, figures)
    return { area: district, figures }
  })
  return { period, districts, total }
}

const KIND_LABEL: Record<EntityKind, { all: string, priority: string | null }> = {
  household: { all: '家庭', priority: '困难家庭' },
  enterprise: { all: '企业', priority: '规上企业' },
  project: { all: '项目', priority: null },
  community: { all: '村/社区', priority: null },
}

const percent = (part: number, whole: number) => (whole === 0 ? '—' : `${Math.round((part / whole) * 1000) / 10}%`)

/** The coverage lines of one area's figures, in Chinese (what cadres and leaders read). */
export function coverageLines(figures: AreaFigures): string[] {
  const lines: string[] = []
  for (const kind of ENTITY_KINDS) {
    const c = figures.entities[kind]
    if (!c)
      continue
    const label = KIND_LABEL[kind]
    lines.push(`${label.all}：已走访 ${c.visited}/${c.registered}（${percent(c.visited, c.registered)}）${
      label.priority && c.priority > 0 ? `，其中${label.priority} ${c.priorityVisited}/${c.priority}（${percent(c.priorityVisited, c.priority)}）` : ''}`)
  }
  lines.push(`走访记录 ${figures.visits} 条；听到问题 ${figures.problems} 个，转为工单 ${figures.ticketsOpened} 件，已办结 ${figures.ticketsResolved} 件`)
  return lines
}

export function periodLabel(period: Period): string {
  if (period.from === ALL_TIME.from && period.to === ALL_TIME.to)
    return '全部时间'
  return period.from === period.to ? period.from : `${period.from} 至 ${period.to}`
}

export function renderCoverage(report: CoverageReport): string {
  const lines = [`📊 「${report.area.name}」走访覆盖（${periodLabel(report.period)}）`, ...coverageLines(report.total)]
  if (report.children.length > 0) {
    lines.push('', '下级：')
    for (const { area, figures } of report.children) {
      const registered = ENTITY_KINDS.reduce((n, k) => n + (figures.entities[k]?.registered ?? 0), 0)
      const visited = ENTITY_KINDS.reduce((n, k) => n + (figures.entities[k]?.visited ?? 0), 0)
      lines.push(`· ${area.name}：已走访 ${visited}/${registered}（${percent(visited, registered)}），记录 ${figures.visits} 条，问题 ${figures.problems} 个`)
    }
  }
  if (report.cadres.length > 0) {
    lines.push('', '干部走访次数：')
    for (const cadre of report.cadres) lines.push(`· ${cadre.cadreName}：${cadre.visits} 次`)
  }
  return lines.join('\n')
}

/**
 * The fourth full coverage: every area with serious petitions (信访突出) under `areaId` (or in the city, for null),
 * each with the leaders covering it. Lines in Chinese; none when no such area lies there.
 */
export async function petitionCoverageLines(deps: { areas: () => AreaTree, leaders: { list: (areaIds: readonly string[]) => Promise<{ areaId: string, leaderName: string }[]> } }, areaId: string | null): Promise<string[]> {
  const tree = deps.areas()
  const flagged = (areaId === null ? tree.areas : tree.subtree(areaId)).filter(a => a.seriousPetitions)
  if (flagged.length === 0)
    return []
  const leaders = await deps.leaders.list(flagged.map(a => a.id))
  const covered = flagged.filter(a => leaders.some(l => l.areaId === a.id)).length
  return [
    `信访突出区域领导包案：${covered}/${flagged.length}（${percent(covered, flagged.length)}）`,
    ...flagged.map((area) => {
      const names = leaders.filter(l => l.areaId === area.id).map(l => l.leaderName)
      return `· ${area.name}：${names.length > 0 ? `已包案（${names.join('、')}）` : '⚠️ 未落实领导包案'}`
    }),
  ]
}
