/**
 * What a month's supervision report (月度通报) is made of: counts per unit, read from what the store keeps for
 * them. Rates, scores and rankings are taken from these counts in the domain, so that the message, the CSV and the
 * chart can never disagree.
 */

/** A month as `YYYY-MM`, in the deployment's time zone. */
export type MonthKey = string

export type UnitKind = 'district' | 'department'

/** The unit of tickets with no known district, or no department yet: shown and added up, never ranked. */
export const UNASSIGNED_UNIT = 'unassigned'

export interface ReportUnit {
  kind: UnitKind
  /** An area id (a district of the area tree) or a department id; `unassigned` for tickets with neither. */
  id: string
  nameZh: string
  nameEn: string
}

/** The counts of one unit in one month; every rate in the report is a ratio of two of them. */
export interface UnitMonthFigures {
  unit: ReportUnit
  /** 受理量: tickets created in the month. */
  received: number
  /** Tickets whose acceptance (签收/受理) deadline fell in the month, and how many of them were accepted by it. */
  acceptDue: number
  acceptedOnTime: number
  /** Tickets whose completion (办结) deadline fell in the month, and how many of them were resolved by it. */
  resolveDue: number
  resolvedOnTime: number
  /** Tickets that passed their completion deadline unresolved during the month (超期). */
  overdue: number
  /** Extensions (延期) approved in the month. */
  extensions: number
  /** Tickets first resolved (办结) in the month, and how many of them had been reopened for rework (重办) since. */
  resolved: number
  reworked: number
  /** Follow-ups (回访) decided in the month: rated by the reporter, and of those satisfied; closed with no answer. */
  rated: number
  satisfied: number
  unrated: number
  /** Visit notes (走访) recorded in the month, and the share of registered entities visited so far; districts only. */
  visits: number | null
  coverage: number | null
}

export interface MonthlyFiguresSource {
  /** One row per unit that had any ticket, deadline or visit in the month; units with nothing are left out. */
  monthFigures: (month: MonthKey, kind: UnitKind) => Promise<UnitMonthFigures[]>
}

/** A unit's month with nothing counted yet: what every figure is added to. */
export function emptyFigures(unit: ReportUnit): UnitMonthFigures {
  return {
    unit,
    received: 0,
    acceptDue: 0,
    acceptedOnTime: 0,
    resolveDue: 0,
    resolvedOnTime: 0,
    overdue: 0,
    extensions: 0,
    resolved: 0,
    reworked: 0,
    rated: 0,
    satisfied: 0,
    unrated: 0,
    visits: unit.kind === 'district' ? 0 : null,
    coverage: null,
  }
}
