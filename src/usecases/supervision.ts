import type { ChasePolicy } from '#root/domain/deadlines.js'
import type { OutboxDraft } from '#root/domain/outbox.js'
import type { Actor, Ticket, TicketEvent } from '#root/domain/ticket.js'
import type { WorkingCalendar } from '#root/domain/working-calendar.js'
import type { Logger } from '#root/logger.js'
import type { OutboxStore } from '#root/store/outbox-store.js'
import type { TicketActionDependencies } from '#root/usecases/act-on-ticket.js'
import { chaseStepOfLevel, dueChaseLevel } from '#root/domain/deadlines.js'
import { DomainError } from '#root/domain/errors.js'
import { isOpen } from '#root/domain/ticket.js'
import { uncoveredYears } from '#root/domain/working-calendar.js'
import { actOnTicket, cardChatsFor, placeChatsFor } from '#root/usecases/act-on-ticket.js'
import { cardDrafts, formatDueTime } from '#root/usecases/notifications.js'

export interface SupervisionDependencies extends TicketActionDependencies {
  logger: Logger
  timezone: string
  policy: ChasePolicy
  /** How long a resolved ticket waits for the reporter's rating before it closes as "no response". */
  followUpTimeoutMs: number
}

const BATCH = 100

/** Callback data of a 督办 button (under `/overdue` and an escalation): `sv:<ticket id>`. */
export const SUPERVISE_CALLBACK_PATTERN = /^sv:(\d+)$/

export function superviseCallback(ticketId: number): string {
  return `sv:${ticketId}`
}

/**
 * One round of the chase ladder: every open ticket whose deadline is near or past takes the steps now due, each once
 * (the store's conditional write decides, also between two bot processes). After downtime a ticket takes only what is
 * still meaningful: a reminder is skipped once the deadline has passed; the messages go out at the outbox's pace.
 */
export async function chaseDeadlines(deps: SupervisionDependencies, now: Date): Promise<number> {
  let taken = await chaseAcceptance(deps, now)
  const until = new Date(now.getTime() + deps.policy.reminderBeforeMs)
  for (;;) {
    const due = await deps.tickets.listChaseDue(until, { limit: BATCH })
    let progressed = 0
    for (const ticket of due) {
      const steps = await takeDueSteps(deps, ticket, now)
      taken += steps
      progressed += steps
    }
    if (due.length < BATCH || progressed === 0)
      break
  }
  if (taken > 0)
    deps.wakeOutbox()
  return taken
}

/**
 * 催签收: a ticket still waiting to be accepted when its acceptance deadline passes gets one notice in its handlers'
 * groups. It has a level of its own, so that the completion ladder (restarted by an extension) never repeats it.
 */
async function chaseAcceptance(deps: SupervisionDependencies, now: Date): Promise<number> {
  let taken = 0
  for (;;) {
    const due = await deps.tickets.listAcceptChaseDue(now, { limit: BATCH })
    let progressed = 0
    for (const ticket of due) {
      const acceptDueAt = ticket.acceptDueAt!
      const handlers = await placeChatsFor(deps, ticket)
      const applied = await deps.tickets.takeAcceptChase(ticket.id, { acceptDueAt, event: { type: 'chase', note: null, data: { step: 'accept_overdue', dueAt: acceptDueAt.toISOString() } } }, (changed, event) => [
        ...chaseDrafts(deps, changed, event, handlers, acceptDueAt),
        ...cardDrafts(changed, `event:${event.id}`, handlers),
      ])
      if (applied)
        progressed++
    }
    taken += progressed
    if (due.length < BATCH || progressed === 0)
      break
  }
  return taken
}

async function takeDueSteps(deps: SupervisionDependencies, ticket: Ticket, now: Date): Promise<number> {
  const dueAt = ticket.resolveDueAt
  if (!dueAt)
    return 0
  const target = dueChaseLevel(dueAt, now, deps.policy)
  let taken = 0
  for (let level = (ticket.chaseLevel ?? 0) + 1; level <= target; level++) {
    if (level === 1 && target >= 2)
      continue
    const step = chaseStepOfLevel(level)
    const handlers = await placeChatsFor(deps, ticket)
    const supervisors = step === 'escalation' ? (await deps.chats.list('admins')).map(c => c.chatId) : []
    const recipients = step === 'escalation' ? supervisors : handlers
    const applied = await deps.tickets.takeChaseStep(ticket.id, { level, dueAt, event: { type: 'chase', note: null, data: { step, dueAt: dueAt.toISOString() } } }, (changed, event) => [
      ...chaseDrafts(deps, changed, event, recipients),
      ...cardDrafts(changed, `event:${event.id}`, handlers),
    ])
    if (applied)
      taken++
  }
  return taken
}

function chaseDrafts(deps: SupervisionDependencies, ticket: Ticket, event: TicketEvent, chatIds: readonly number[], dueAt = ticket.resolveDueAt!): OutboxDraft[] {
  const step = String(event.data?.step)
  const catalog = deps.texts.catalog()
  const department = catalog.departments.find(d => d.id === ticket.departmentId)?.nameZh ?? deps.texts.translate('zh', 'department-unknown')
  const text = deps.texts.translate('zh', `chase-${step}`, {
    number: ticket.number,
    department,
    summary: ticket.summary,
    due: formatDueTime(dueAt, deps.timezone),
  })
  // The supervisors can press 督办 right under the escalation.
  const buttons = step === 'escalation' ? [[{ text: deps.texts.translate('zh', 'btn-supervise', { number: ticket.number }), data: superviseCallback(ticket.id) }]] : undefined
  return [...new Set(chatIds)].map(chatId => ({
    dedupKey: `event:${event.id}:chase:${chatId}`,
    ticketId: ticket.id,
    chatId,
    payload: { kind: 'message' as const, text, ...(buttons ? { buttons } : {}) },
  }))
}

/** Closes resolved tickets whose reporter did not rate them in time, as "no response" (a system event). */
export async function closeUnrated(deps: SupervisionDependencies, now: Date): Promise<number> {
  const before = new Date(now.getTime() - deps.followUpTimeoutMs)
  let closed = 0
  for (;;) {
    const unrated = await deps.tickets.listUnrated(before, { limit: BATCH })
    for (const ticket of unrated) {
      try {
        await actOnTicket(deps, { ticket, action: 'close', actor: { id: 0, role: 'system' }, details: { satisfaction: 'no_response' } })
        closed++
      }
      catch (error) {
        // The reporter rated it, or another process closed it, in the meantime.
        if (!(error instanceof DomainError))
          throw error
      }
    }
    if (unrated.length < BATCH)
      break
  }
  return closed
}

export interface SuperviseDependencies extends TicketActionDependencies {
  /** A second 督办 on the same ticket within this time is refused: the handlers heard it already. */
  repeatAfterMs: number
  now: () => Date
}

/**
 * A supervisor's own 督办 on an open ticket, with a reason: recorded as an event, told to the handlers' groups and shown
 * on the card. Refused (DomainError SUPERVISED_RECENTLY) within the cool-down, so that pressing twice is no spam.
 */
export async function superviseTicket(
  deps: SuperviseDependencies,
  input: { ticket: Ticket, reason: string, actor: Actor },
): Promise<{ ticket: Ticket, event: TicketEvent }> {
  const { ticket } = input
  if (!isOpen(ticket.status))
    throw new DomainError('INVALID_TRANSITION', 'only an open ticket can be supervised', { status: ticket.status })
  const handlers = await placeChatsFor(deps, ticket)
  const targets = await cardChatsFor(deps, ticket)
  const notSince = new Date(deps.now().getTime() - deps.repeatAfterMs)
  const applied = await deps.tickets.supervise(ticket.id, { note: input.reason, notSince }, input.actor, (changed, event) => [
    ...[...new Set(handlers)].map(chatId => ({
      dedupKey: `event:${event.id}:supervised:${chatId}`,
      ticketId: changed.id,
      chatId,
      payload: {
        kind: 'message' as const,
        text: deps.texts.translate('zh', 'supervise-notice', {
          number: changed.number,
          summary: changed.summary,
          reason: input.reason,
          actor: input.actor.name ?? deps.texts.translate('zh', 'role-admin'),
        }),
      },
    })),
    ...cardDrafts(changed, `event:${event.id}`, targets),
  ])
  if (!applied) {
    const current = await deps.tickets.findById(ticket.id)
    if (current && !isOpen(current.status))
      throw new DomainError('INVALID_TRANSITION', 'only an open ticket can be supervised', { status: current.status })
    throw new DomainError('SUPERVISED_RECENTLY', 'a supervisor pressed 督办 on it a short while ago', { at: current?.supervisedAt?.toISOString() ?? null })
  }
  deps.wakeOutbox()
  return applied
}

export interface CalendarWarningDependencies {
  chats: TicketActionDependencies['chats']
  outbox: Pick<OutboxStore, 'enqueue'>
  texts: TicketActionDependencies['texts']
  wakeOutbox: () => void
  calendar: WorkingCalendar
  calendarFile: string
  timezone: string
}

/**
 * Tells the admins' groups, once per year and group (the outbox's ledger keeps it once across restarts and processes),
 * that the working calendar lacks a year the deadlines need: until the year is added, its lunar holidays and 清明 count
 * as working days and its 调休 weekends as days off. Returns the years missing.
 */
export async function warnUncoveredCalendar(deps: CalendarWarningDependencies, now: Date): Promise<number[]> {
  const years = uncoveredYears(deps.calendar, now, deps.timezone)
  if (years.length === 0)
    return years
  const admins = (await deps.chats.list('admins')).map(c => c.chatId)
  const drafts: OutboxDraft[] = years.flatMap(year => admins.map(chatId => ({
    dedupKey: `calendar-uncovered:${year}:${chatId}`,
    ticketId: null,
    chatId,
    payload: { kind: 'message' as const, text: deps.texts.translate('zh', 'calendar-uncovered', { year: String(year), file: deps.calendarFile }) },
  })))
  if (drafts.length > 0) {
    await deps.outbox.enqueue(drafts, now)
    deps.wakeOutbox()
  }
  return years
}
