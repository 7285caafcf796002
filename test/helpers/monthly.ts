import type { UnitMonthFigures } from '#root/domain/monthly-figures.js'
import type { ModelCaseLine, MonthlyBulletin } from '#root/usecases/monthly-report.js'
import { emptyFigures } from '#root/domain/monthly-figures.js'
import { buildMonthlyReport, DEFAULT_SCORE_WEIGHTS } from '#root/domain/monthly-report.js'

/** A unit's month with the counts given and zero elsewhere. */
export function figures(id: string, counts: Partial<Omit<UnitMonthFigures, 'unit'>> = {}, kind: 'district' | 'department' = 'department'): UnitMonthFigures {
  return { ...emptyFigures({ kind, id, nameZh: id, nameEn: id }), ...counts }
}

/** A month of a few districts and departments, with last month for the changes, and two model cases. */
export function sampleBulletin(options: { departments?: number, modelCases?: number } = {}): MonthlyBulletin {
  const named = (f: UnitMonthFigures, zh: string, en: string) => ({ ...f, unit: { ...f.unit, nameZh: zh, nameEn: en } })
  const departments = Array.from({ length: options.departments ?? 3 }, (_, i) => named(
    figures(`d${i}`, { received: 10 + i, acceptDue: 10, acceptedOnTime: 10 - (i % 5), resolveDue: 8, resolvedOnTime: 8 - (i % 4), overdue: i % 3, extensions: i % 2, resolved: 8, reworked: i % 2, rated: 6, satisfied: 6 - (i % 3), unrated: 2 }),
    i === 0 ? '市城市管理局' : i === 1 ? '市水务局' : `第${i}部门`,
    i === 0 ? 'City Management' : i === 1 ? 'Water Bureau' : `Department ${i}`,
  ))
  const report = buildMonthlyReport({
    month: '2026-11',
    weights: DEFAULT_SCORE_WEIGHTS,
    current: {
      district: [
        named(figures('gusu', { received: 20, acceptDue: 20, acceptedOnTime: 19, resolveDue: 15, resolvedOnTime: 14, overdue: 1, resolved: 15, reworked: 1, rated: 10, satisfied: 9, unrated: 3, visits: 42, coverage: 0.62 }, 'district'), '姑苏区', 'Gusu'),
        named(figures('wuzhong', { received: 12, acceptDue: 12, acceptedOnTime: 12, resolveDue: 10, resolvedOnTime: 10, resolved: 10, rated: 5, satisfied: 5, visits: 8, coverage: 0.2 }, 'district'), '吴中区', 'Wuzhong'),
        named(figures('xiangcheng', { received: 1 }, 'district'), '相城区', 'Xiangcheng'),
      ],
      department: departments,
    },
    previous: {
      district: [named(figures('gusu', { acceptDue: 4, acceptedOnTime: 4 }, 'district'), '姑苏区', 'Gusu')],
      department: departments.slice(0, 2).map(d => ({ ...d, resolvedOnTime: 0 })),
    },
  })
  const cases: ModelCaseLine[] = [
    { kind: 'ticket', reference: 'HY-20261105-0003', unitZh: '市城市管理局', unitEn: 'City Management', summary: '星湖街路灯不亮，联系人 [手机号]', reason: '当天修复，群众送锦旗', markedBy: '督查组 李', markedAt: new Date('2026-11-20T02:00:00Z'), visitedOn: null },
    { kind: 'visit', reference: '17', unitZh: '姑苏区', unitEn: '姑苏区', summary: '企业用工难，已对接人社部门', reason: '走访中化解用工矛盾', markedBy: '督查组 李', markedAt: new Date('2026-11-25T02:00:00Z'), visitedOn: '2026-11-03' },
  ]
  const count = options.modelCases ?? 2
  return { report, modelCases: Array.from({ length: count }, (_, i) => ({ ...cases[i % 2]!, reference: i < 2 ? cases[i]!.reference : `HY-20261105-${String(i).padStart(4, '0')}` })) }
}
