import type { UnitMonthFigures } from '#root/domain/monthly-figures.js'

/** A unit's month with the counts given and zero elsewhere. */
export function figures(id: string, counts: Partial<Omit<UnitMonthFigures, 'unit'>> = {}, kind: 'district' | 'department' = 'department'): UnitMonthFigures {
  return {
    unit: { kind, id, nameZh: id, nameEn: id },
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
    visits: kind === 'district' ? 0 : null,
    coverage: null,
    ...counts,
  }
}
