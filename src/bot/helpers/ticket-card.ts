import type { Catalog } from '#root/domain/catalog.js'
import type { ChatBinding } from '#root/domain/chat-binding.js'
import type { OutboxMessage } from '#root/domain/outbox.js'
import type { Ticket, TicketEvent } from '#root/domain/ticket.js'
import type { TicketVisibility } from '#root/privacy/visibility.js'
import type { Translate } from '#root/usecases/notifications.js'
import type { InlineKeyboardMarkup } from 'grammy/types'
import { categoryName, departmentName } from '#root/bot/helpers/names.js'
import { dueLines, formatTime } from '#root/bot/helpers/ticket-view.js'
import { availableActions } from '#root/domain/lifecycle.js'
import { fitText, MESSAGE_LIMIT } from '#root/domain/message-length.js'
import { isOpen } from '#root/domain/ticket.js'
import { visibleOriginal, visibleText } from '#root/privacy/visibility.js'
import { fmt, FormattedString } from '@grammyjs/parse-mode'
import { InlineKeyboard } from 'grammy'

// Parts of a card a person wrote are cut to these lengths; the original text takes what is left of the message.
const CARD_SUMMARY_MAX = 200
const CARD_PLACE_MAX = 200
const CARD_NOTE_MAX = 1000

/** Callback data of a card's buttons: `h:<ticket id>:<action>[:<department id>]`. */
export const HANDLER_CALLBACK_PATTERN = /^h:(\d+):([a-z-]+)(?::([\w-]+))?$/

export function handlerCallback(ticketId: number, action: string, departmentId?: string): string {
  return `h:${ticketId}:${action}${departmentId ? `:${departmentId}` : ''}`
}

/** Whether this chat is where the ticket is worked now (not a group it moved away from). */
export function isCurrentPlace(ticket: Ticket, binding: ChatBinding | null): boolean {
  if (!binding)
    return false
  if (binding.kind === 'admins')
    return ticket.status === 'needs_triage' || !ticket.departmentId
  return binding.kind === 'handlers' && binding.departmentId === ticket.departmentId && ticket.status !== 'needs_triage'
}

export interface CardInput {
  ticket: Ticket
  events: TicketEvent[]
  outbox: OutboxMessage[]
  binding: ChatBinding | null
  catalog: Catalog
  timezone: string
  translate: Translate
  /** What the chat the card goes to may see (`src/privacy/visibility.ts`). */
  visibility: TicketVisibility
  /** Characters the whole card may take: a message's limit, less whatever is appended to it. */
  budget?: number
  /** The time the time left is counted from; now by default. */
  now?: Date
}

/**
 * A ticket's card in a handlers' or admins' group: what, where, when, how urgent, the latest step and who took it,
 * and the buttons of the actions the status allows. The phone number appears only when the reporter allowed contact
 * and the visibility rule lets this chat see it; free text is redacted where the rule says so. The card always fits
 * in one message: the original text is cut to what the other lines leave.
 */
export function renderCard(input: CardInput): { text: string, entities: FormattedString['entities'], keyboard: InlineKeyboardMarkup | undefined } {
  const { ticket, events, catalog, timezone, visibility } = input
  const t = (key: string, variables?: Record<string, string | number>) => input.translate('zh', key, variables)
  const shown = (text: string, max: number) => fitText(visibleText(visibility, text), max)
  const status = t(`ticket-status-${ticket.status}`)
  const lines = [
    t('card-classification', {
      category: categoryName(catalog, ticket.categoryId, 'zh'),
      department: departmentName(catalog, ticket.departmentId, 'zh'),
      urgency: t(`urgency-${ticket.urgency}`),
      type: t(`request-type-${ticket.requestType}`),
    }),
    t('card-summary', { summary: shown(ticket.summary, CARD_SUMMARY_MAX) }),
  ]
  const place = ticket.locationText ?? ticket.extractedLocation
  if (place)
    lines.push(t('card-location', { location: shown(place, CARD_PLACE_MAX) }))
  if (ticket.latitude !== null && ticket.longitude !== null)
    lines.push(`📍 https://maps.google.com/?q=${ticket.latitude},${ticket.longitude}`)
  if (ticket.areaName)
    lines.push(t('card-area', { area: ticket.areaName }))
  lines.push(...duplicateLines(ticket, events, t))
  lines.push(t('card-time', { time: formatTime(ticket.createdAt, timezone, 'zh') }))
  lines.push(...dueLines(t, ticket, input.now ?? new Date(), timezone, 'zh'))
  if (ticket.photoFileIds.length > 0)
    lines.push(t('card-photos', { count: ticket.photoFileIds.length }))
  lines.push(!ticket.contactAllowed
    ? t('card-contact-none')
    : !visibility.contact
        ? t('card-contact-hidden')
        : ticket.contactPhone
          ? t('card-contact-phone', { name: ticket.reporterName, phone: ticket.contactPhone })
          : t('card-contact-chat', { name: ticket.reporterName }))

  const last = [...events].reverse().find(e => e.type !== 'created' && e.type !== 'delivery_failed')
  if (last) {
    const actor = typeof last.data?.actorName === 'string' ? last.data.actorName : t(`role-${last.actorRole}`)
    const rated = typeof last.data?.satisfaction === 'string' ? `（${t(`followup-${last.data.satisfaction}`)}）` : ''
    const step = last.type === 'chase' ? `-${String(last.data?.step)}` : ''
    const what = (last.toStatus ? t(`ticket-status-${last.toStatus}`) : t(`event-${last.type}${step}`)) + rated
    lines.push(t('card-last', { what, actor, time: formatTime(last.createdAt, timezone, 'zh') }) + (last.note ? `：${shown(last.note, CARD_NOTE_MAX)}` : ''))
  }
  const failed = input.outbox.filter(m => m.status === 'failed' && m.payload.kind === 'message')
  if (failed.length > 0)
    lines.push(t('card-undeliverable', { count: failed.length, reason: t(`undeliverable-${failed.at(-1)!.failReason ?? 'rejected'}`) }))

  const current = isCurrentPlace(ticket, input.binding)
  if (!current && ticket.departmentId && input.binding && input.binding.departmentId !== ticket.departmentId)
    lines.push(t('card-moved', { department: departmentName(catalog, ticket.departmentId, 'zh') }))

  const title = t('card-title', { number: ticket.number, status })
  const original = visibleOriginal(visibility, ticket.description)
  const head = fmt`${FormattedString.bold(title)}
${lines.join('\n')}`
  const heading = t('card-description')
  const room = (input.budget ?? MESSAGE_LIMIT) - head.text.length - heading.length - 3
  const card = original === null
    ? head
    : fmt`${head}

${FormattedString.bold(heading)}
${fitText(original, room)}`
  return { text: card.text, entities: card.entities, keyboard: current ? cardKeyboard(ticket, input.binding!, t) : undefined }
}

/** How many people the ticket speaks for, and where it stands in merges (并案), read from its own events. */
function duplicateLines(ticket: Ticket, events: readonly TicketEvent[], t: (key: string, variables?: Record<string, string | number>) => string): string[] {
  const lines: string[] = []
  if ((ticket.followerCount ?? 0) > 0)
    lines.push(t('card-reporters', { count: 1 + ticket.followerCount! }))
  if (ticket.status === 'merged') {
    const merged = events.findLast(e => e.type === 'merged')
    lines.push(t('card-merged-into', { number: String(merged?.data?.intoNumber ?? '') }))
  }
  const mergedHere = new Set<string>()
  for (const event of events) {
    if (event.type === 'merge_received')
      mergedHere.add(String(event.data?.fromNumber))
    else if (event.type === 'split_released')
      mergedHere.delete(String(event.data?.number))
  }
  if (mergedHere.size > 0)
    lines.push(t('card-merged-from', { numbers: [...mergedHere].join('、') }))
  return lines
}

function cardKeyboard(ticket: Ticket, binding: ChatBinding, t: (key: string) => string): InlineKeyboardMarkup | undefined {
  const keyboard = new InlineKeyboard()
  const role = binding.kind === 'admins' ? 'admin' : 'handler'
  const actions = availableActions(ticket.status, role).filter(a => a !== 'close' && a !== 'reopen')
  for (const [index, action] of actions.entries()) {
    keyboard.text(t(`btn-action-${action}`), handlerCallback(ticket.id, action))
    if (index % 3 === 2)
      keyboard.row()
  }
  if (isOpen(ticket.status)) {
    keyboard.row()
    keyboard.text(t('btn-action-note'), handlerCallback(ticket.id, 'note'))
    keyboard.text(t('btn-action-ask'), handlerCallback(ticket.id, 'ask'))
    if (ticket.resolveDueAt && !ticket.extensionRequestId)
      keyboard.text(t('btn-action-extend'), handlerCallback(ticket.id, 'extend'))
  }
  const rows = keyboard.inline_keyboard.filter(row => row.length > 0)
  return rows.length > 0 ? { inline_keyboard: rows } : undefined
}
