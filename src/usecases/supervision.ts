import type { ChasePolicy } from '#root/domain/deadlines.js'
import type { OutboxDraft } from '#root/domain/outbox.js'
import type { Ticket, TicketEvent } from '#root/domain/ticket.js'
import type { Logger } from '#root/logger.js'
import type { TicketActionDependencies } from '#root/usecases/act-on-ticket.js'
import { chaseStepOfLevel, dueChaseLevel } from '#root/domain/deadlines.js'
import { DomainError } from '#root/domain/errors.js'
import { actOnTicket, placeChatsFor } from '#root/usecases/act-on-ticket.js'
import { cardDrafts, formatDueTime } from '#root/usecases/notifications.js'

export interface SupervisionDependencies extends TicketActionDependencies {
  logger: Logger
  timezone: string
  policy: ChasePolicy
  /** How long a resolved ticket waits for the reporter's rating before it closes as "no response". */
  followUpTimeoutMs: number
}

const BATCH = 100

/**
 * One round of the chase ladder: every open ticket whose deadline is near or past takes the steps now due, each once
 * (the store's conditional write decides, also between two bot processes). After downtime a ticket takes only what is
 * still meaningful: a reminder is skipped once the deadline has passed; the messages go out at the outbox's pace.
 */
export async function chaseDeadlines(deps: SupervisionDependencies, now: Date): Promise<number> {
  let taken = 0
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

function chaseDrafts(deps: SupervisionDependencies, ticket: Ticket, event: TicketEvent, chatIds: readonly number[]): OutboxDraft[] {
  const step = String(event.data?.step)
  const catalog = deps.texts.catalog()
  const department = catalog.departments.find(d => d.id === ticket.departmentId)?.nameZh ?? deps.texts.translate('zh', 'department-unknown')
  const text = deps.texts.translate('zh', `chase-${step}`, {
    number: ticket.number,
    department,
    summary: ticket.summary,
    due: formatDueTime(ticket.resolveDueAt!, deps.timezone),
  })
  return [...new Set(chatIds)].map(chatId => ({
    dedupKey: `event:${event.id}:chase:${chatId}`,
    ticketId: ticket.id,
    chatId,
    payload: { kind: 'message' as const, text },
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
