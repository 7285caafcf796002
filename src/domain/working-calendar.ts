import { z } from 'zod'

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day as YYYY-MM-DD')

/** The published holiday schedule: days off, and the weekend days made working days to lengthen a holiday (调休). */
export const workingCalendarSchema = z.object({
  source: z.string().optional(),
  note: z.string().optional(),
  years: z.record(z.string().regex(/^\d{4}$/), z.object({
    holidays: z.array(isoDay),
    workingWeekends: z.array(isoDay),
  })),
})
export type WorkingCalendarData = z.infer<typeof workingCalendarSchema>

export interface WorkingCalendar {
  isWorkingDay: (day: string) => boolean
  /**
   * Whether the schedule of this year is in the data; a missing year counts Monday to Friday less the fixed-date
   * statutory holidays ({@link FIXED_STATUTORY_HOLIDAYS}).
   */
  covers: (year: number) => boolean
}

/**
 * Public holidays fixed by calendar date in 《全国年节及纪念日放假办法》 (as amended in 2024): New Year's Day, 1-2 May and
 * 1-3 October. They are days off in every year, so a year whose schedule is not in the data yet still skips them;
 * the lunar holidays (春节, 端午, 中秋), 清明 and every 调休 come only with the State Council's yearly notice.
 */
export const FIXED_STATUTORY_HOLIDAYS = ['01-01', '05-01', '05-02', '10-01', '10-02', '10-03'] as const

export function createWorkingCalendar(data: WorkingCalendarData): WorkingCalendar {
  const holidays = new Set(Object.values(data.years).flatMap(y => y.holidays))
  const workingWeekends = new Set(Object.values(data.years).flatMap(y => y.workingWeekends))
  const fixed = new Set<string>(FIXED_STATUTORY_HOLIDAYS)
  return {
    isWorkingDay(day) {
      if (workingWeekends.has(day))
        return true
      if (holidays.has(day))
        return false
      if (!(day.slice(0, 4) in data.years) && fixed.has(day.slice(5)))
        return false
      const weekday = new Date(`${day}T00:00:00Z`).getUTCDay()
      return weekday !== 0 && weekday !== 6
    },
    covers: year => String(year) in data.years,
  }
}

/**
 * How far ahead a deadline counted today can fall: the longest time limit (15 working days) plus the longest
 * extension (30 working days), with holidays between, stays within this.
 */
export const CALENDAR_LOOKAHEAD_DAYS = 75

/**
 * The years whose holiday schedule the deadlines counted at `now` may need: this year, and the next once it is within
 * {@link CALENDAR_LOOKAHEAD_DAYS} (from mid-October on; the State Council publishes its notice in October or November).
 */
export function calendarYearsNeeded(now: Date, timezone: string): number[] {
  const ahead = new Date(now.getTime() + CALENDAR_LOOKAHEAD_DAYS * 86_400_000)
  return [...new Set([localDay(now, timezone), localDay(ahead, timezone)].map(day => Number(day.slice(0, 4))))]
}

/** The years among those needed at `now` that the calendar does not cover: their deadlines count Monday to Friday. */
export function uncoveredYears(calendar: WorkingCalendar, now: Date, timezone: string): number[] {
  return calendarYearsNeeded(now, timezone).filter(year => !calendar.covers(year))
}

/** The calendar day (YYYY-MM-DD) an instant falls on in a time zone. */
export function localDay(at: Date, timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at)
  const part = (type: string) => parts.find(p => p.type === type)!.value
  return `${part('year')}-${part('month')}-${part('day')}`
}

/** The day after `day` (YYYY-MM-DD), across month and year ends. */
export function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`)
  date.setUTCDate(date.getUTCDate() + 1)
  return date.toISOString().slice(0, 10)
}

/** The instant a local day begins in a time zone (its midnight there), also where the offset changes that day. */
export function startOfLocalDay(day: string, timezone: string): Date {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`)
  let guess = utcMidnight
  // Two rounds settle it: the offset at the guess may differ from the offset at the true local midnight.
  for (let round = 0; round < 2; round++)
    guess = utcMidnight - offsetMs(new Date(guess), timezone)
  return new Date(guess)
}

function offsetMs(at: Date, timezone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at)
  const part = (type: string) => Number(parts.find(p => p.type === type)!.value)
  const asUtc = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'))
  return asUtc - Math.floor(at.getTime() / 1000) * 1000
}

/**
 * The end of the `days`-th working day after the day `from` falls on (local midnight that ends it), the way a
 * 12345 time limit counts: the day the ticket arrives is not counted, weekends and holidays are skipped, and a
 * weekend day worked for a holiday (调休) counts.
 */
export function addWorkingDays(from: Date, days: number, calendar: WorkingCalendar, timezone: string): Date {
  let day = localDay(from, timezone)
  let left = days
  while (left > 0) {
    day = nextDay(day)
    if (calendar.isWorkingDay(day))
      left--
  }
  return startOfLocalDay(nextDay(day), timezone)
}
