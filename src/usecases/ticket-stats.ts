import type { TimeRange } from '#root/store/stats-store.js'

/** The periods `/stats` reports on: the deployment's local today and local this month, as UTC instants. */
export interface StatsPeriods {
  today: TimeRange
  month: TimeRange
}

interface LocalDate {
  year: number
  /** 1–12 */
  month: number
  day: number
}

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS
const DAY_MS = 24 * HOUR_MS

// Building an Intl.DateTimeFormat costs far more than using one; a deployment has one timezone.
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    })
    formatters.set(timezone, formatter)
  }
  return formatter
}

/** The wall-clock reading of an instant in a timezone, as if that reading were UTC (milliseconds since the epoch). */
function wallClock(at: number, timezone: string): number {
  const parts = formatterFor(timezone).formatToParts(new Date(at))
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find(p => p.type === type)?.value ?? 0)
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
}

/** How far the timezone's clocks are ahead of UTC at an instant (negative west of Greenwich). */
function offsetAt(at: number, timezone: string): number {
  // The formatter shows whole seconds: compare with the instant's whole second.
  return wallClock(at, timezone) - (at - (((at % 1000) + 1000) % 1000))
}

function localDateOf(at: number, timezone: string): LocalDate {
  const wall = new Date(wallClock(at, timezone))
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() }
}

/**
 * The first instant of a local calendar day. Usually local midnight; where a DST change skips midnight (as in
 * America/Santiago, whose clocks jump from 24:00 to 01:00), the moment the clocks jump; where the day was skipped
 * altogether (Pacific/Apia on 30 December 2011), the start of the next day that exists.
 * Out-of-range day or month numbers roll over as in Date.UTC (day 32 of January is 1 February).
 */
export function startOfLocalDay(date: LocalDate, timezone: string): Date {
  const asUtc = Date.UTC(date.year, date.month - 1, date.day)
  const wanted = dateKey(normalize(date))
  // Midnight local is asUtc minus the offset in force then. That offset is one of those in force around the day,
  // so trying each of them (and the offset at each guess) finds it even when the offset changes on that very day.
  const candidates = new Set<number>()
  for (const probe of [asUtc - DAY_MS, asUtc, asUtc + DAY_MS]) {
    const guess = asUtc - offsetAt(probe, timezone)
    candidates.add(guess)
    candidates.add(asUtc - offsetAt(guess, timezone))
  }
  // A guess made with the wrong offset lands an hour or so off midnight: on the day (a skipped midnight) or on
  // the day before, which is why the earliest guess that is not before the day is the start.
  const starts = [...candidates].filter(at => dateKey(localDateOf(at, timezone)) >= wanted).sort((a, b) => a - b)
  // Never empty for real timezones; the plain guess keeps this total rather than throwing on an unforeseen one.
  return new Date(starts[0] ?? asUtc - offsetAt(asUtc, timezone))
}

function dateKey(date: LocalDate): number {
  return date.year * 10_000 + date.month * 100 + date.day
}

function normalize(date: LocalDate): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day))
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }
}

/**
 * Today and this month in the deployment's timezone, each as a half-open range `[from, to)` of instants: a report
 * made at 00:30 in Shanghai belongs to that Shanghai day although it is still the day before in UTC.
 */
export function statsPeriods(now: Date, timezone: string): StatsPeriods {
  const today = localDateOf(now.getTime(), timezone)
  return {
    today: {
      from: startOfLocalDay(today, timezone),
      to: startOfLocalDay({ ...today, day: today.day + 1 }, timezone),
    },
    month: {
      from: startOfLocalDay({ ...today, day: 1 }, timezone),
      to: startOfLocalDay({ ...today, month: today.month + 1, day: 1 }, timezone),
    },
  }
}

/** A duration cut to the two units a person reads at a glance: days and hours, hours and minutes, or minutes. */
export type DurationParts
  = | { unit: 'days', days: number, hours: number }
    | { unit: 'hours', hours: number, minutes: number }
    | { unit: 'minutes', minutes: number }
    | { unit: 'under-a-minute' }

export function durationParts(ms: number): DurationParts {
  const safe = Math.max(0, ms)
  // A day or more: minutes are noise, so round to the hour; otherwise round to the minute.
  if (Math.round(safe / HOUR_MS) >= 24) {
    const hours = Math.round(safe / HOUR_MS)
    return { unit: 'days', days: Math.floor(hours / 24), hours: hours % 24 }
  }
  const minutes = Math.round(safe / MINUTE_MS)
  if (minutes >= 60)
    return { unit: 'hours', hours: Math.floor(minutes / 60), minutes: minutes % 60 }
  if (minutes >= 1)
    return { unit: 'minutes', minutes }
  return { unit: 'under-a-minute' }
}
