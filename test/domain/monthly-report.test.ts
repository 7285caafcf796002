import type { UnitMonthFigures } from '#root/domain/monthly-figures.js'
import type { ScoreWeights, UnitRates } from '#root/domain/monthly-report.js'
import { readFileSync } from 'node:fs'
import { loadScoreWeights } from '#root/catalog/monthly-weights-file.js'
import { buildMonthlyReport, chooseMonth, DEFAULT_SCORE_WEIGHTS, previousMonth, rankUnits, ratio, scoreWeightsSchema, unitRates, weightedScore, weightsFileSchema } from '#root/domain/monthly-report.js'
import { describe, expect, it } from 'vitest'
import { figures } from '../helpers/monthly.js'

const NONE: UnitRates = { onTimeAcceptance: null, onTimeCompletion: null, rework: null, satisfaction: null, response: null, coverage: null }

describe('rates', () => {
  it.each([
    [3, 4, 0.75],
    [0, 4, 0],
    [4, 4, 1],
    [0, 0, null],
  ])('ratio(%i, %i) = %s', (part, base, expected) => {
    expect(ratio(part, base)).toBe(expected)
  })

  it.each<[string, Partial<UnitMonthFigures>, Partial<UnitRates>]>([
    ['no base anywhere: every rate is "—", not 0 and not 100%', {}, NONE],
    ['按时签收率 = acceptedOnTime / acceptDue', { acceptDue: 8, acceptedOnTime: 6 }, { onTimeAcceptance: 0.75 }],
    ['按时办结率 = resolvedOnTime / resolveDue', { resolveDue: 5, resolvedOnTime: 5 }, { onTimeCompletion: 1 }],
    ['重办率 = reworked / resolved', { resolved: 10, reworked: 1 }, { rework: 0.1 }],
    ['满意率 = satisfied / rated; 回访应答率 = rated / (rated + unrated)', { rated: 4, satisfied: 3, unrated: 4 }, { satisfaction: 0.75, response: 0.5 }],
    ['only unanswered follow-ups: response 0, satisfaction undefined', { unrated: 3 }, { satisfaction: null, response: 0 }],
    ['coverage as kept, held to [0, 1]', { coverage: 1.2 }, { coverage: 1 }],
  ])('%s', (_, counts, expected) => {
    expect(unitRates(figures('u', counts))).toEqual({ ...NONE, ...expected })
  })
})

describe('weighted score', () => {
  const equal: ScoreWeights = { onTimeAcceptance: 1, onTimeCompletion: 1, rework: 1, satisfaction: 1, response: 0, coverage: 0 }
  it.each<[string, Partial<UnitRates>, ScoreWeights, number | null]>([
    ['all perfect', { onTimeAcceptance: 1, onTimeCompletion: 1, rework: 0, satisfaction: 1 }, equal, 100],
    ['rework counts reversed', { rework: 0.25 }, equal, 75],
    ['a missing rate leaves its weight out', { onTimeAcceptance: 1, onTimeCompletion: 0.5 }, equal, 75],
    ['nothing to score: null, never 0', {}, equal, null],
    ['a rate weighted 0 does not count', { response: 0.1, onTimeAcceptance: 0.9 }, equal, 90],
    ['weights in points', { onTimeAcceptance: 1, satisfaction: 0 }, { ...equal, onTimeAcceptance: 30, satisfaction: 10 }, 75],
    ['rounded to one decimal', { onTimeAcceptance: 2 / 3 }, equal, 66.7],
  ])('%s', (_, rates, weights, expected) => {
    expect(weightedScore({ ...NONE, ...rates }, weights)).toBe(expected)
  })

  it('has documented defaults that add up to 100 points', () => {
    expect(DEFAULT_SCORE_WEIGHTS).toEqual({ onTimeAcceptance: 20, onTimeCompletion: 30, rework: 15, satisfaction: 30, response: 0, coverage: 5 })
    expect(Object.values(DEFAULT_SCORE_WEIGHTS).reduce((a, b) => a + b)).toBe(100)
  })

  it.each<[Record<string, number>, string]>([
    [{ onTimeAcceptance: -1 }, 'negative'],
    [{ onTimeAcceptance: 0, onTimeCompletion: 0, rework: 0, satisfaction: 0, response: 0, coverage: 0 }, 'all zero'],
    [{ speed: 3 }, 'unknown rate'],
  ])('refuses weights %j (%s)', (weights, _) => {
    expect(scoreWeightsSchema.safeParse(weights).success).toBe(false)
  })

  it('reads the shipped weights file, which holds the defaults', async () => {
    expect(await loadScoreWeights('prisma/monthly-weights.json')).toEqual(DEFAULT_SCORE_WEIGHTS)
    expect(weightsFileSchema.safeParse(JSON.parse(readFileSync('prisma/monthly-weights.json', 'utf8'))).success).toBe(true)
    await expect(loadScoreWeights('prisma/deadlines.json')).rejects.toThrow(/monthly weights file prisma\/deadlines.json is not valid/)
  })
})

describe('ranking', () => {
  const unit = (id: string, score: number | null) => ({ unit: { kind: 'department' as const, id, nameZh: id, nameEn: id }, score })
  it.each<[string, Array<[string, number | null]>, Array<[string, number | null]>]>([
    ['best first', [['a', 80], ['b', 90], ['c', 70]], [['b', 1], ['a', 2], ['c', 3]]],
    ['ties share a place and the next counts both (1, 2, 2, 4)', [['a', 90], ['b', 80], ['c', 80], ['d', 70]], [['a', 1], ['b', 2], ['c', 2], ['d', 4]]],
    ['a tie at the top', [['b', 90], ['a', 90]], [['a', 1], ['b', 1]]],
    ['unscored units last, without a rank', [['x', null], ['a', 50]], [['a', 1], ['x', null]]],
    ['the unassigned never ranked, whatever its score', [['unassigned', 99], ['a', 50], ['b', null]], [['a', 1], ['b', null], ['unassigned', null]]],
    ['nobody scored', [['b', null], ['a', null]], [['a', null], ['b', null]]],
    ['empty', [], []],
  ])('%s', (_, input, expected) => {
    expect(rankUnits(input.map(([id, score]) => unit(id, score))).map(u => [u.unit.id, u.rank])).toEqual(expected)
  })
})

describe('the report', () => {
  const weights: ScoreWeights = { onTimeAcceptance: 0, onTimeCompletion: 1, rework: 0, satisfaction: 0, response: 0, coverage: 0 }
  const report = buildMonthlyReport({
    month: '2026-11',
    weights,
    current: {
      department: [
        figures('water', { received: 10, resolveDue: 10, resolvedOnTime: 9 }),
        figures('roads', { received: 5, resolveDue: 4, resolvedOnTime: 4, overdue: 1 }),
        figures('parks', { received: 2 }),
        figures('new', { resolveDue: 2, resolvedOnTime: 1 }),
      ],
      district: [figures('gusu', { received: 3, visits: 7, coverage: 0.5 }, 'district')],
    },
    previous: {
      department: [
        figures('water', { resolveDue: 10, resolvedOnTime: 10 }),
        figures('roads', { resolveDue: 10, resolvedOnTime: 5 }),
        figures('parks', { resolveDue: 1, resolvedOnTime: 1 }),
      ],
      district: [],
    },
  })

  it('compares each unit with its own last month: rank gained and score points', () => {
    expect(report.previousMonth).toBe('2026-10')
    expect(report.departments.units.map(u => ({ id: u.unit.id, score: u.score, rank: u.rank, previous: u.previous, rankChange: u.rankChange, scoreChange: u.scoreChange }))).toEqual([
      { id: 'roads', score: 100, rank: 1, previous: { rank: 3, score: 50 }, rankChange: 2, scoreChange: 50 },
      { id: 'water', score: 90, rank: 2, previous: { rank: 1, score: 100 }, rankChange: -1, scoreChange: -10 },
      { id: 'new', score: 50, rank: 3, previous: null, rankChange: null, scoreChange: null },
      // No deadline fell due: no score this month, so no change either, though it ranked last month.
      { id: 'parks', score: null, rank: null, previous: { rank: 1, score: 100 }, rankChange: null, scoreChange: null },
    ])
  })

  it('adds the kind up, with its rates taken from the sums', () => {
    expect(report.departments.totals).toMatchObject({ received: 17, resolveDue: 16, resolvedOnTime: 14, overdue: 1, visits: null })
    expect(report.departments.totalRates.onTimeCompletion).toBe(14 / 16)
    expect(report.districts.totals).toMatchObject({ received: 3, visits: 7, coverage: null })
    expect(report.districts.units[0]!.rates.coverage).toBe(0.5)
  })
})

describe('months', () => {
  it.each<[string | undefined, string, ReturnType<typeof chooseMonth>]>([
    [undefined, '2026-12-03', { ok: true, month: '2026-11' }],
    ['', '2026-01-01', { ok: true, month: '2025-12' }],
    ['2026-11', '2026-12-03', { ok: true, month: '2026-11' }],
    [' 2025-02 ', '2026-12-03', { ok: true, month: '2025-02' }],
    ['2026-12', '2026-12-03', { ok: true, month: '2026-12' }],
    ['2027-01', '2026-12-03', { ok: false, reason: 'future' }],
    ['2026-13', '2026-12-03', { ok: false, reason: 'format' }],
    ['2026-00', '2026-12-03', { ok: false, reason: 'format' }],
    ['2026-1', '2026-12-03', { ok: false, reason: 'format' }],
    ['11月', '2026-12-03', { ok: false, reason: 'format' }],
    ['2026/11', '2026-12-03', { ok: false, reason: 'format' }],
  ])('%j on %s', (text, today, expected) => {
    expect(chooseMonth(text, today)).toEqual(expected)
  })

  it.each([['2026-11', '2026-10'], ['2026-01', '2025-12'], ['2000-03', '2000-02']])('before %s comes %s', (month, before) => {
    expect(previousMonth(month)).toBe(before)
  })
})
