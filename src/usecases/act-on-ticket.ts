import type { TicketAction } from '#root/domain/lifecycle.js'
import type { Actor, Ticket, TicketEvent, TicketStatus } from '#root/domain/ticket.js'
import type { ChatStore } from '#root/store/chat-store.js'
import type { NewEvent, TicketStore } from '#root/store/ticket-store.js'
import type { RoutingLearner } from '#root/usecases/learn-from-corrections.js'
import type { NotificationTexts } from '#root/usecases/notifications.js'
import { DomainError } from '#root/domain/errors.js'
import { planTransition } from '#root/domain/lifecycle.js'
import { cardDrafts, followerDrafts, relayDrafts, reporterDrafts } from '#root/usecases/notifications.js'

export interface TicketActionDependencies {
  tickets: TicketStore
  chats: ChatStore
  texts: NotificationTexts
  /** Tells the outbox worker something was queued. */
  wakeOutbox: () => void
  /** Learns from the routes people decide; absent, nothing is recorded. */
  routing?: RoutingLearner
}

/**
 * The groups where a ticket's card belongs now: its department's handlers' groups, or the admins' groups while it
 * waits for triage. Groups that showed it before get their card refreshed too, so a moved card says where it went.
 */
export async function cardChatsFor(deps: Pick<TicketActionDependencies, 'tickets' | 'chats'>, ticket: Ticket): Promise<number[]> {
  const previous = (await deps.tickets.listCards(ticket.id)).map(c => c.chatId)
  return [...new Set([...previous, ...await placeChatsFor(deps, ticket)])]
}

/**
 * The groups working a ticket now: its department's handlers' groups; the admins' groups while it waits for triage,
 * or when its department has no handlers' group yet (a city binds its departments one by one), so that no ticket
 * sits where nobody sees it. Empty only when there is no admins' group either.
 */
export async function placeChatsFor(deps: Pick<TicketActionDependencies, 'chats'>, ticket: Pick<Ticket, 'status' | 'departmentId'>): Promise<number[]> {
  if (ticket.status !== 'needs_triage' && ticket.departmentId) {
    const handlers = await deps.chats.findHandlersOf(ticket.departmentId)
    if (handlers.length > 0)
      return handlers.map(c => c.chatId)
  }
  return (await deps.chats.list('admins')).map(c => c.chatId)
}

/**
 * Where a new ticket goes, and in which status: a ticket for a department with no handlers' group is not
 * "assigned" to anyone who can see it, so it waits for triage in the admins' group instead (keeping the department
 * the classifier suggested). `chatIds` is empty when there is no admins' group either.
 */
export async function routeNewTicket(
  deps: Pick<TicketActionDependencies, 'chats'>,
  ticket: Pick<Ticket, 'status' | 'departmentId'>,
): Promise<{ status: TicketStatus, chatIds: number[] }> {
  if (ticket.status === 'assigned' && ticket.departmentId) {
    const handlers = await deps.chats.findHandlersOf(ticket.departmentId)
    if (handlers.length > 0)
      return { status: 'assigned', chatIds: handlers.map(c => c.chatId) }
  }
  const status = ticket.status === 'assigned' ? 'needs_triage' : ticket.status
  return { status, chatIds: await placeChatsFor(deps, { status, departmentId: ticket.departmentId }) }
}

export interface ActOnTicketInput {
  ticket: Ticket
  action: TicketAction
  actor: Actor
  note?: string | null
  departmentIdTo?: string | null
  details?: Record<string, unknown>
}

/**
 * Moves a ticket through its lifecycle: the transition table decides, the store writes the change, its event and
 * the messages it causes (to the reporter, and the refreshed cards) in one transaction, and the outbox delivers them.
 */
export async function actOnTicket(deps: TicketActionDependencies, input: ActOnTicketInput): Promise<{ ticket: Ticket, event: TicketEvent }> {
  const { ticket } = input
  const plan = planTransition({
    status: ticket.status,
    departmentId: ticket.departmentId,
    action: input.action,
    role: input.actor.role,
    note: input.note ?? null,
    departmentIdTo: input.departmentIdTo ?? null,
    ...(input.details ? { details: input.details } : {}),
  })
  const after: Ticket = { ...ticket, status: plan.to, departmentId: plan.departmentIdTo ?? ticket.departmentId }
  const targets = await cardChatsFor(deps, after)
  const place = input.actor.role === 'reporter' ? await placeChatsFor(deps, after) : []
  const applied = await deps.tickets.applyTransition(ticket.id, plan, input.actor, (changed, event, followers) => [
    ...reporterDrafts(changed, event, deps.texts),
    ...followerDrafts(changed, event, followers, deps.texts),
    ...relayDrafts(changed, event, place, deps.texts),
    ...cardDrafts(changed, `event:${event.id}`, targets),
  ])
  deps.wakeOutbox()
  await deps.routing?.learn({ ticket: applied.ticket, action: input.action, actorId: input.actor.id })
  return applied
}

/** A note or question for the reporter, or the reporter's answer: recorded on the ticket and delivered. */
export async function addTicketEvent(
  deps: TicketActionDependencies,
  input: { ticket: Ticket, event: NewEvent, actor: Actor },
): Promise<{ ticket: Ticket, event: TicketEvent }> {
  const { ticket } = input
  if (input.event.type !== 'delivery_failed' && !input.event.note?.trim())
    throw new DomainError('NOTE_REQUIRED', `${input.event.type} needs a text`)
  const targets = await cardChatsFor(deps, ticket)
  const place = input.event.type === 'reporter_reply' ? await placeChatsFor(deps, ticket) : []
  const applied = await deps.tickets.addEvent(ticket.id, input.event, input.actor, (changed, event, followers) => [
    ...reporterDrafts(changed, event, deps.texts),
    ...followerDrafts(changed, event, followers, deps.texts),
    ...relayDrafts(changed, event, place, deps.texts),
    ...cardDrafts(changed, `event:${event.id}`, targets),
  ])
  deps.wakeOutbox()
  return applied
}
