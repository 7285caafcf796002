import { readFileSync } from 'node:fs'
import { deadlineRulesSchema, dueChaseLevel, dueTimes, extendDue, limitsFor, timeLeft } from '#root/domain/deadlines.js'
import { addWorkingDays, calendarYearsNeeded, createWorkingCalendar, localDay, startOfLocalDay, uncoveredYears, workingCalendarSchema } from '#root/domain/working-calendar.js'
import { describe, expect, it } from 'vitest'

const calendar = createWorkingCalendar(workingCalendarSchema.parse(JSON.parse(readFileSync('prisma/working-calendar.json', 'utf8'))))
const rules = deadlineRulesSchema.parse(JSON.parse(readFileSync('prisma/deadlines.json', 'utf8')))
const SHANGHAI = 'Asia/Shanghai'

describe('working calendar', () => {
  it.each([
    ['2026-12-02', true, 'a Wednesday'],
    ['2026-12-05', false, 'a Saturday'],
    ['2026-10-01', false, 'National Day'],
    ['2026-10-10', true, 'a Saturday worked for National Day (调休)'],
    ['2026-02-14', true, 'a Saturday worked for the Spring Festival (调休)'],
    ['2026-02-23', false, 'a Monday of the Spring Festival holiday'],
    ['2026-01-04', true, 'a Sunday worked for New Year'],
    ['2027-01-04', true, 'a Monday of a year without published data'],
    ['2027-01-01', false, 'New Year\'s Day of a year without published data: fixed by law'],
    ['2027-05-03', true, 'a Monday after Labour Day in a year without data: only 1-2 May are fixed by law'],
    ['2027-10-01', false, 'National Day of a year without published data: 1-3 October are fixed by law'],
    ['2027-10-04', true, 'a Monday after National Day in a year without data: the rest comes with the notice'],
    ['2027-02-08', true, 'the Monday after 2027\'s Spring Festival (6 February): lunar, a day off only once the notice is in the data'],
  ])('%s is a working day: %s (%s)', (day, working) => {
    expect(calendar.isWorkingDay(day)).toBe(working)
  })
})

describe('years the calendar must cover', () => {
  it.each([
    ['mid-year: this year only', '2026-06-15T12:00:00+08:00', [2026], []],
    ['early October: this year only', '2026-10-01T12:00:00+08:00', [2026], []],
    ['from mid-October on, the next year too', '2026-10-20T12:00:00+08:00', [2026, 2027], [2027]],
    ['today, 3 December 2026: 2027 is needed and missing', '2026-12-03T09:00:00+08:00', [2026, 2027], [2027]],
    ['half past midnight on 1 January 2027 in Shanghai, still 31 December in UTC: 2027 only', '2026-12-31T16:30:00Z', [2027], [2027]],
  ])('%s', (_name, at, needed, missing) => {
    expect(calendarYearsNeeded(new Date(at), SHANGHAI)).toEqual(needed)
    expect(uncoveredYears(calendar, new Date(at), SHANGHAI)).toEqual(missing)
  })
})

describe('addWorkingDays', () => {
  // Each row: created at (an instant), working days, due (the local midnight that ends the last working day), time zone.
  it.each([
    ['Wednesday + 1 ends Thursday', '2026-12-02T10:00:00+08:00', 1, '2026-12-04T00:00:00+08:00', SHANGHAI],
    ['Friday + 1 skips the weekend', '2026-12-04T16:00:00+08:00', 1, '2026-12-08T00:00:00+08:00', SHANGHAI],
    ['Saturday + 1 ends Monday', '2026-12-05T09:00:00+08:00', 1, '2026-12-08T00:00:00+08:00', SHANGHAI],
    ['month end: Monday 30 Nov + 3', '2026-11-30T09:00:00+08:00', 3, '2026-12-04T00:00:00+08:00', SHANGHAI],
    ['year end: Wednesday 30 Dec 2026 + 2 crosses into 2027, skipping New Year\'s Day', '2026-12-30T09:00:00+08:00', 2, '2027-01-05T00:00:00+08:00', SHANGHAI],
    ['National Day: 30 Sep + 1 skips 1-7 Oct, ends 8 Oct', '2026-09-30T09:00:00+08:00', 1, '2026-10-09T00:00:00+08:00', SHANGHAI],
    ['调休: Friday 9 Oct + 1 ends on the worked Saturday 10 Oct', '2026-10-09T09:00:00+08:00', 1, '2026-10-11T00:00:00+08:00', SHANGHAI],
    ['Spring Festival: Friday 13 Feb + 1 ends on the worked Saturday 14 Feb', '2026-02-13T09:00:00+08:00', 1, '2026-02-15T00:00:00+08:00', SHANGHAI],
    ['Spring Festival: Saturday 14 Feb + 1 skips 15-23 Feb', '2026-02-14T09:00:00+08:00', 1, '2026-02-25T00:00:00+08:00', SHANGHAI],
    ['Labour Day: 30 Apr + 5 skips 1-5 May, counts the worked Saturday 9 May, ends Monday 11 May', '2026-04-30T09:00:00+08:00', 5, '2026-05-12T00:00:00+08:00', SHANGHAI],
    ['the local day counts, not the UTC one: 23:30 in Shanghai is Thursday', '2026-12-03T15:30:00Z', 1, '2026-12-05T00:00:00+08:00', SHANGHAI],
    ['another time zone: Europe/Berlin in winter', '2026-12-04T23:30:00+01:00', 1, '2026-12-08T00:00:00+01:00', 'Europe/Berlin'],
    ['a daylight-saving change in the span: New York, November', '2026-10-30T12:00:00-04:00', 2, '2026-11-04T00:00:00-05:00', 'America/New_York'],
  ])('%s', (_name, from, days, due, timezone) => {
    expect(addWorkingDays(new Date(from), days, calendar, timezone).toISOString()).toBe(new Date(due).toISOString())
  })

  it('finds local days and midnights on both sides of UTC', () => {
    expect(localDay(new Date('2026-12-31T16:00:00Z'), SHANGHAI)).toBe('2027-01-01')
    expect(startOfLocalDay('2027-01-01', SHANGHAI).toISOString()).toBe('2026-12-31T16:00:00.000Z')
    expect(startOfLocalDay('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z')
  })
})

describe('deadline rules', () => {
  it.each([
    [{ requestType: 'consultation', urgency: 'normal' }, { accept: { workingDays: 1 }, resolve: { workingDays: 3 } }],
    [{ requestType: 'complaint', urgency: 'low' }, { accept: { workingDays: 1 }, resolve: { workingDays: 10 } }],
    [{ requestType: 'complaint', urgency: 'urgent' }, { accept: { hours: 2 }, resolve: { workingDays: 2 } }],
    [{ requestType: 'help_request', urgency: 'critical' }, { accept: { hours: 1 }, resolve: { hours: 24 } }],
  ] as const)('%o has limits %o (urgency wins over type, type over default)', (ticket, limits) => {
    expect(limitsFor(rules, ticket)).toEqual(limits)
  })

  it('counts clock hours for a critical ticket, over weekends and holidays', () => {
    const due = dueTimes({ requestType: 'help_request', urgency: 'critical' }, new Date('2026-10-01T10:00:00+08:00'), { rules, calendar, timezone: SHANGHAI })
    expect(due.acceptDueAt.toISOString()).toBe(new Date('2026-10-01T11:00:00+08:00').toISOString())
    expect(due.resolveDueAt.toISOString()).toBe(new Date('2026-10-02T10:00:00+08:00').toISOString())
  })

  it('extends a due time at midnight from the day it ends, and one within a day from that day', () => {
    // Due at the end of Wednesday 16 December: 3 more working days are Thursday, Friday and Monday.
    expect(extendDue(new Date('2026-12-17T00:00:00+08:00'), 3, calendar, SHANGHAI).toISOString()).toBe(new Date('2026-12-22T00:00:00+08:00').toISOString())
    expect(extendDue(new Date('2026-12-17T15:00:00+08:00'), 1, calendar, SHANGHAI).toISOString()).toBe(new Date('2026-12-19T00:00:00+08:00').toISOString())
  })

  it('refuses a rule file with an unknown request type', () => {
    expect(deadlineRulesSchema.safeParse({ default: { accept: { workingDays: 1 }, resolve: { workingDays: 5 } }, byRequestType: { gossip: {} } }).success).toBe(false)
  })
})

describe('chase ladder', () => {
  const due = new Date('2026-12-10T00:00:00Z')
  const policy = { reminderBeforeMs: 4 * 3_600_000, escalationAfterMs: 24 * 3_600_000 }
  it.each([
    ['2026-12-09T19:59:59Z', 0],
    ['2026-12-09T20:00:00Z', 1],
    ['2026-12-10T00:00:00Z', 2],
    ['2026-12-10T23:59:59Z', 2],
    ['2026-12-11T00:00:00Z', 3],
  ])('at %s the level due is %i', (now, level) => {
    expect(dueChaseLevel(due, new Date(now), policy)).toBe(level)
  })

  it('says how much time is left, or how long overdue', () => {
    expect(timeLeft(due, new Date('2026-12-08T21:30:00Z'))).toEqual({ overdue: false, days: 1, hours: 2, minutes: 30 })
    expect(timeLeft(due, new Date('2026-12-10T05:00:00Z'))).toEqual({ overdue: true, days: 0, hours: 5, minutes: 0 })
  })
})
