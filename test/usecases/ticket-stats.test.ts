import { durationParts, startOfLocalDay, statsPeriods } from '#root/usecases/ticket-stats.js'
import { describe, expect, it } from 'vitest'

const HOURS = 3_600_000
const iso = (range: { from: Date, to: Date }) => ({ from: range.from.toISOString(), to: range.to.toISOString() })
const hoursIn = (range: { from: Date, to: Date }) => (range.to.getTime() - range.from.getTime()) / HOURS

describe('statsPeriods in Asia/Shanghai (UTC+8, no DST)', () => {
  it('starts the local day at 16:00 UTC the day before', () => {
    const periods = statsPeriods(new Date('2026-11-26T12:00:00Z'), 'Asia/Shanghai')
    expect(iso(periods.today)).toEqual({ from: '2026-11-25T16:00:00.000Z', to: '2026-11-26T16:00:00.000Z' })
    expect(iso(periods.month)).toEqual({ from: '2026-10-31T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z' })
  })

  it('counts 00:30 local as the new day although UTC is still on the old one', () => {
    const periods = statsPeriods(new Date('2026-11-26T16:30:00Z'), 'Asia/Shanghai')
    expect(iso(periods.today)).toEqual({ from: '2026-11-26T16:00:00.000Z', to: '2026-11-27T16:00:00.000Z' })
  })

  it('keeps 23:59:59 local on the old day', () => {
    const periods = statsPeriods(new Date('2026-11-26T15:59:59Z'), 'Asia/Shanghai')
    expect(iso(periods.today)).toEqual({ from: '2026-11-25T16:00:00.000Z', to: '2026-11-26T16:00:00.000Z' })
  })

  it('rolls over the month and the year on New Year\'s Day local time', () => {
    const periods = statsPeriods(new Date('2026-12-31T16:30:00Z'), 'Asia/Shanghai')
    expect(iso(periods.today)).toEqual({ from: '2026-12-31T16:00:00.000Z', to: '2027-01-01T16:00:00.000Z' })
    expect(iso(periods.month)).toEqual({ from: '2026-12-31T16:00:00.000Z', to: '2027-01-31T16:00:00.000Z' })
  })

  it('knows February of a leap year', () => {
    const periods = statsPeriods(new Date('2028-02-10T04:00:00Z'), 'Asia/Shanghai')
    expect(iso(periods.month)).toEqual({ from: '2028-01-31T16:00:00.000Z', to: '2028-02-29T16:00:00.000Z' })
  })
})

describe('statsPeriods across DST changes', () => {
  it('gives America/New_York a 23-hour day when clocks spring forward and a 25-hour one when they fall back', () => {
    const spring = statsPeriods(new Date('2026-03-08T12:00:00Z'), 'America/New_York')
    expect(iso(spring.today)).toEqual({ from: '2026-03-08T05:00:00.000Z', to: '2026-03-09T04:00:00.000Z' })
    expect(hoursIn(spring.today)).toBe(23)
    // March starts in winter time (UTC−5) and April in summer time (UTC−4).
    expect(iso(spring.month)).toEqual({ from: '2026-03-01T05:00:00.000Z', to: '2026-04-01T04:00:00.000Z' })

    const fall = statsPeriods(new Date('2026-11-01T12:00:00Z'), 'America/New_York')
    expect(iso(fall.today)).toEqual({ from: '2026-11-01T04:00:00.000Z', to: '2026-11-02T05:00:00.000Z' })
    expect(hoursIn(fall.today)).toBe(25)
    expect(iso(fall.month)).toEqual({ from: '2026-11-01T04:00:00.000Z', to: '2026-12-01T05:00:00.000Z' })
  })

  it('starts the day when the clocks jump where DST skips midnight (America/Santiago)', () => {
    // 6 September 2026: clocks go from 24:00 (UTC−4) straight to 01:00 (UTC−3); there is no local midnight.
    const periods = statsPeriods(new Date('2026-09-06T12:00:00Z'), 'America/Santiago')
    expect(iso(periods.today)).toEqual({ from: '2026-09-06T04:00:00.000Z', to: '2026-09-07T03:00:00.000Z' })
    expect(hoursIn(periods.today)).toBe(23)
    // 4 April 2026: clocks go back from 24:00 to 23:00, so the day lasts 25 hours.
    const autumn = statsPeriods(new Date('2026-04-04T12:00:00Z'), 'America/Santiago')
    expect(iso(autumn.today)).toEqual({ from: '2026-04-04T03:00:00.000Z', to: '2026-04-05T04:00:00.000Z' })
  })

  it('finds the start of every day of a decade in zones with DST: the first instant of that local date', () => {
    for (const timezone of ['Europe/Berlin', 'America/Santiago', 'America/Havana', 'Asia/Tehran', 'Australia/Lord_Howe']) {
      const date = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' })
      for (let day = Date.UTC(2020, 0, 1); day < Date.UTC(2030, 0, 1); day += 24 * HOURS) {
        const d = new Date(day)
        const wanted = d.toISOString().slice(0, 10)
        const start = startOfLocalDay({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }, timezone)
        const startDate = date.format(start)
        const minuteBefore = date.format(new Date(start.getTime() - 60_000))
        if (startDate !== wanted || minuteBefore >= wanted)
          expect.fail(`${timezone} ${wanted}: start ${start.toISOString()} is on ${startDate}, the minute before on ${minuteBefore}`)
      }
    }
  })

  it('skips a day that never happened (Pacific/Apia, 30 December 2011)', () => {
    const periods = statsPeriods(new Date('2011-12-29T12:00:00Z'), 'Pacific/Apia')
    // 29 December ended at midnight UTC−10 and the next local day was 31 December, at UTC+14.
    expect(iso(periods.today)).toEqual({ from: '2011-12-29T10:00:00.000Z', to: '2011-12-30T10:00:00.000Z' })
    expect(hoursIn(periods.month)).toBe(30 * 24)
  })
})

describe('durationParts', () => {
  const MINUTES = 60_000
  it('shows minutes below an hour, hours and minutes below a day, days and hours above', () => {
    expect(durationParts(20_000)).toEqual({ unit: 'under-a-minute' })
    expect(durationParts(45 * MINUTES)).toEqual({ unit: 'minutes', minutes: 45 })
    expect(durationParts(3 * HOURS + 12 * MINUTES)).toEqual({ unit: 'hours', hours: 3, minutes: 12 })
    expect(durationParts(2 * 24 * HOURS + 4 * HOURS + 20 * MINUTES)).toEqual({ unit: 'days', days: 2, hours: 4 })
  })

  it('rounds to the nearest unit shown, carrying into the next', () => {
    expect(durationParts(59 * MINUTES + 40_000)).toEqual({ unit: 'hours', hours: 1, minutes: 0 })
    expect(durationParts(24 * HOURS - 10 * MINUTES)).toEqual({ unit: 'days', days: 1, hours: 0 })
    expect(durationParts(1 * 24 * HOURS + 5 * HOURS + 31 * MINUTES)).toEqual({ unit: 'days', days: 1, hours: 6 })
    expect(durationParts(-5)).toEqual({ unit: 'under-a-minute' })
  })
})
