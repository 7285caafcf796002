import type { OutboxDraft } from '#root/domain/outbox.js'
import type { TicketFollower } from '#root/domain/ticket-follower.js'
import type { Actor, Ticket, TicketEvent } from '#root/domain/ticket.js'
import type { TicketActionDependencies } from '#root/usecases/act-on-ticket.js'
import type { Locale } from '#root/usecases/notifications.js'
import { DomainError } from '#root/domain/errors.js'
import { isOpen } from '#root/domain/ticket.js'
import { cardChatsFor } from '#root/usecases/act-on-ticket.js'
import { cardDrafts, formatDueTime, messagesToFollowers, reporterAddress, reporterLocale } from '#root/usecases/notifications.js'

/** The most working days one extension may add. */
export const EXTENSION_MAX_DAYS = 30

export interface ExtensionDependencies extends TicketActionDependencies {
  timezone: string
  /** The due time `workingDays` working days after `dueAt`, by the working calendar. */
  extendDeadline: (dueAt: Date, workingDays: number) => Date
  now: () => Date
}

/** Callback data of a supervisor's decision: `x:<ticket id>:<request event id>:<approve|refuse>`. */
export const EXTENSION_CALLBACK_PATTERN = /^x:(\d+):(\d+):(approve|refuse)$/

/** `5 需要等待配件`: working days, then the reason. */
export function parseExtensionRequest(text: string): { days: number, reason: string } | null {
  const match = /^\s*(\d{1,3})(?:\s*(?:个工作日|工作日|天|days?))?[\s,，:：]*([^\s,，:：][\s\S]*)$/.exec(text)
  if (!match)
    return null
  const days = Number(match[1])
  if (days < 1 || days > EXTENSION_MAX_DAYS)
    return null
  return { days, reason: match[2]!.trim() }
}

/**
 * A handler asks to move the completion deadline (延期) with a reason, before it passes. The request goes to the
 * admins' groups with approve and refuse buttons; one request may wait at a time.
 */
export async function requestExtension(
  deps: ExtensionDependencies,
  input: { ticket: Ticket, days: number, reason: string, actor: Actor },
): Promise<{ ticket: Ticket, event: TicketEvent }> {
  const { ticket } = input
  if (!isOpen(ticket.status) || !ticket.resolveDueAt)
    throw new DomainError('INVALID_TRANSITION', 'only an open ticket with a deadline can be extended', { status: ticket.status })
  if (deps.now() >= ticket.resolveDueAt)
    throw new DomainError('EXTENSION_TOO_LATE', 'an extension is asked for before the deadline passes')
  const proposedDueAt = deps.extendDeadline(ticket.resolveDueAt, input.days)
  const supervisors = (await deps.chats.list('admins')).map(c => c.chatId)
  const targets = await cardChatsFor(deps, ticket)
  const applied = await deps.tickets.requestExtension(ticket.id, {
    note: input.reason,
    data: { days: input.days, proposedDueAt: proposedDueAt.toISOString() },
  }, input.actor, (changed, event) => [
    ...supervisors.map(chatId => ({
      dedupKey: `event:${event.id}:extension:${chatId}`,
      ticketId: changed.id,
      chatId,
      payload: {
        kind: 'message' as const,
        text: deps.texts.translate('zh', 'extension-request', {
          number: changed.number,
          days: input.days,
          due: formatDueTime(changed.resolveDueAt!, deps.timezone),
          proposed: formatDueTime(proposedDueAt, deps.timezone),
          reason: input.reason,
          actor: input.actor.name ?? '',
        }),
        buttons: [[
          { text: deps.texts.translate('zh', 'btn-extension-approve'), data: `x:${changed.id}:${event.id}:approve` },
          { text: deps.texts.translate('zh', 'btn-extension-refuse'), data: `x:${changed.id}:${event.id}:refuse` },
        ]],
      },
    })),
    ...cardDrafts(changed, `event:${event.id}`, targets),
  ])
  if (!applied)
    throw new DomainError('EXTENSION_PENDING', 'an extension request is waiting for a decision already')
  deps.wakeOutbox()
  return applied
}

/**
 * A supervisor approves or refuses a pending request, once. Approving moves the completion deadline and restarts the
 * chase ladder; the reporter is told the new date. Either way the handlers' card shows the decision.
 */
export async function decideExtension(
  deps: ExtensionDependencies,
  input: { ticket: Ticket, requestId: number, approve: boolean, actor: Actor },
): Promise<{ ticket: Ticket, event: TicketEvent }> {
  const request = (await deps.tickets.listEvents(input.ticket.id)).find(e => e.id === input.requestId && e.type === 'extension_requested')
  if (!request)
    throw new DomainError('NOT_FOUND', 'no such extension request')
  const proposed = typeof request.data?.proposedDueAt === 'string' ? new Date(request.data.proposedDueAt) : null
  const targets = await cardChatsFor(deps, input.ticket)
  const applied = await deps.tickets.decideExtension(input.ticket.id, { requestId: input.requestId, approve: input.approve, newDueAt: proposed }, input.actor, (changed, event, followers) => [
    ...(input.approve ? reporterExtensionDrafts(deps, changed, event, followers) : []),
    ...cardDrafts(changed, `event:${event.id}`, targets),
  ])
  if (!applied)
    throw new DomainError('ALREADY_DONE', 'the request was decided already', { status: input.ticket.status })
  deps.wakeOutbox()
  return applied
}

/** The new date, told to the reporter and to everyone who joined the ticket ("me too"). */
function reporterExtensionDrafts(deps: ExtensionDependencies, ticket: Ticket, event: TicketEvent, followers: readonly TicketFollower[]): OutboxDraft[] {
  const due = formatDueTime(ticket.resolveDueAt!, deps.timezone)
  const text = (locale: Locale) => deps.texts.translate(locale, 'notify-extended', { number: ticket.number, due })
  const address = reporterAddress(ticket)
  return [
    { dedupKey: `event:${event.id}:reporter`, ticketId: ticket.id, chatId: address.chatId, payload: { kind: 'message', text: text(reporterLocale(ticket)), ...address.delivery } },
    ...messagesToFollowers(ticket, `event:${event.id}`, followers, deps.texts, locale => ({ kind: 'message', text: text(locale) })),
  ]
}
