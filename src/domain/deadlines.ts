import type { RequestType, Urgency } from '#root/classify/classification.js'
import type { WorkingCalendar } from '#root/domain/working-calendar.js'
import { REQUEST_TYPES, URGENCIES } from '#root/classify/classification.js'
import { addWorkingDays } from '#root/domain/working-calendar.js'
import { z } from 'zod'

const HOUR_MS = 3_600_000

/** A time limit: working days (the usual 时限), or clock hours for what cannot wait for a working day. */
const limitSchema = z.union([
  z.object({ workingDays: z.number().int().min(1) }).strict(),
  z.object({ hours: z.number().positive() }).strict(),
])
export type TimeLimit = z.infer<typeof limitSchema>

const partialRuleSchema = z.object({ accept: limitSchema.optional(), resolve: limitSchema.optional() }).strict()

/** Time limits for acceptance (受理) and completion (办结): a default, by request type, and by urgency (which wins). */
export const deadlineRulesSchema = z.object({
  default: z.object({ accept: limitSchema, resolve: limitSchema }).strict(),
  byRequestType: z.partialRecord(z.enum(REQUEST_TYPES), partialRuleSchema).default({}),
  byUrgency: z.partialRecord(z.enum(URGENCIES), partialRuleSchema).default({}),
})
export type DeadlineRules = z.infer<typeof deadlineRulesSchema>

export interface DueTimes {
  acceptDueAt: Date
  resolveDueAt: Date
}

export function limitsFor(rules: DeadlineRules, ticket: { requestType: RequestType, urgency: Urgency }): { accept: TimeLimit, resolve: TimeLimit } {
  const byType = rules.byRequestType[ticket.requestType] ?? {}
  const byUrgency = rules.byUrgency[ticket.urgency] ?? {}
  return {
    accept: byUrgency.accept ?? byType.accept ?? rules.default.accept,
    resolve: byUrgency.resolve ?? byType.resolve ?? rules.default.resolve,
  }
}

export function dueAfter(from: Date, limit: TimeLimit, calendar: WorkingCalendar, timezone: string): Date {
  return 'hours' in limit ? new Date(from.getTime() + limit.hours * HOUR_MS) : addWorkingDays(from, limit.workingDays, calendar, timezone)
}

/** When a ticket arriving at `at` is due to be accepted and to be resolved. */
export function dueTimes(
  ticket: { requestType: RequestType, urgency: Urgency },
  at: Date,
  context: { rules: DeadlineRules, calendar: WorkingCalendar, timezone: string },
): DueTimes {
  const limits = limitsFor(context.rules, ticket)
  return {
    acceptDueAt: dueAfter(at, limits.accept, context.calendar, context.timezone),
    resolveDueAt: dueAfter(at, limits.resolve, context.calendar, context.timezone),
  }
}

/**
 * The chase ladder of an open ticket against its completion deadline: a reminder before it, a 催办 notice when it
 * passes, a 督办 escalation to the supervisors a while after. Each step is a level, taken once and in order.
 */
export const CHASE_STEPS = ['reminder', 'overdue', 'escalation'] as const
export type ChaseStep = (typeof CHASE_STEPS)[number]

export interface ChasePolicy {
  reminderBeforeMs: number
  escalationAfterMs: number
}

/** The highest step due at `now` (null: none yet). Catching up after downtime jumps to it, skipping what it outdates. */
export function dueChaseLevel(resolveDueAt: Date, now: Date, policy: ChasePolicy): number {
  const due = resolveDueAt.getTime()
  const at = now.getTime()
  if (at >= due + policy.escalationAfterMs)
    return 3
  if (at >= due)
    return 2
  if (at >= due - policy.reminderBeforeMs)
    return 1
  return 0
}

export function chaseStepOfLevel(level: number): ChaseStep {
  return CHASE_STEPS[level - 1]!
}

/** Time left until a due time, in whole hours and days for a card ("2天3小时"); negative when overdue. */
export function timeLeft(dueAt: Date, now: Date): { overdue: boolean, days: number, hours: number, minutes: number } {
  const ms = dueAt.getTime() - now.getTime()
  const abs = Math.abs(ms)
  const totalMinutes = Math.floor(abs / 60_000)
  return { overdue: ms < 0, days: Math.floor(totalMinutes / 1440), hours: Math.floor(totalMinutes % 1440 / 60), minutes: totalMinutes % 60 }
}

/**
 * A due time `workingDays` working days later (an approved extension, 延期). A due time at local midnight ends the
 * day before it, so the days are counted from that day.
 */
export function extendDue(dueAt: Date, workingDays: number, calendar: WorkingCalendar, timezone: string): Date {
  return addWorkingDays(new Date(dueAt.getTime() - 1), workingDays, calendar, timezone)
}
