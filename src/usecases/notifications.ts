import type { Catalog } from '#root/domain/catalog.js'
import type { Satisfaction } from '#root/domain/lifecycle.js'
import type { OutboxDraft } from '#root/domain/outbox.js'
import type { TicketFollower } from '#root/domain/ticket-follower.js'
import type { Report, Ticket, TicketEvent } from '#root/domain/ticket.js'
import { SATISFACTIONS } from '#root/domain/lifecycle.js'
import { fitText } from '#root/domain/message-length.js'
import { ticketVisibility, visibleText } from '#root/privacy/visibility.js'

/** A note or a reply quoted in a notification is cut here, so the message stays far below Telegram's limit. */
const QUOTED_TEXT_MAX = 1500

export type Locale = 'zh' | 'en'
export type Translate = (locale: Locale, key: string, variables?: Record<string, string | number>) => string

export interface NotificationTexts {
  translate: Translate
  catalog: () => Catalog
}

/** The reporter's language, as far as the bot knows it. */
export function reporterLocale(ticket: Pick<Ticket, 'reporterLanguage'>): Locale {
  return ticket.reporterLanguage.toLowerCase().startsWith('en') ? 'en' : 'zh'
}

/** Events the reporter hears about: every status change, every note and question meant for them. */
const TOLD_TO_REPORTER = new Set<TicketEvent['type']>(['status_changed', 'reassigned', 'note', 'question'])

/**
 * The message that tells the reporter about an event, in their language, where they chose to hear: privately, or
 * as a reply to their own report in the chat they reported from. A private message to someone who never opened the
 * private chat falls back to that reply.
 */
export function reporterDrafts(ticket: Ticket, event: TicketEvent, texts: NotificationTexts): OutboxDraft[] {
  if (!isToldToResidents(event))
    return []
  const address = reporterAddress(ticket)
  // A message that goes, or may fall back, to a group is read there by everyone: the group's visibility applies.
  const reachesGroup = address.chatId !== ticket.reporterId || address.delivery.fallback !== undefined
  return [{
    dedupKey: `event:${event.id}:reporter`,
    ticketId: ticket.id,
    chatId: address.chatId,
    payload: { ...residentMessage(ticket, event, texts, reporterLocale(ticket), reachesGroup), ...address.delivery },
  }]
}

/** What the reporter did themselves (rating, reopening) is answered on the spot, not echoed back. */
function isToldToResidents(event: TicketEvent): boolean {
  return TOLD_TO_REPORTER.has(event.type) && event.actorRole !== 'reporter'
}

/** The text and buttons that tell a resident who reported the ticket about one of its events, in `locale`. */
function residentMessage(ticket: Ticket, event: TicketEvent, texts: NotificationTexts, locale: Locale, reachesGroup: boolean): Omit<Extract<OutboxDraft['payload'], { kind: 'message' }>, 'replyToMessageId' | 'fallback'> {
  const t = (key: string, variables?: Record<string, string | number>) => texts.translate(locale, key, variables)
  const catalog = texts.catalog()
  const department = catalog.departments.find(d => d.id === ticket.departmentId)
  const departmentName = department ? (locale === 'en' ? department.nameEn : department.nameZh) : t('department-unknown')
  const lines: string[] = []
  if (event.type === 'note')
    lines.push(t('notify-note', { number: ticket.number }))
  else if (event.type === 'question')
    lines.push(t('notify-question', { number: ticket.number }))
  else
    lines.push(t(`notify-${event.toStatus}`, { number: ticket.number, department: departmentName }))
  const visibility = ticketVisibility(reachesGroup ? { chat: 'residents', viewer: 'reporter' } : { chat: 'private', viewer: 'reporter' })
  if (event.note)
    lines.push(`${t(event.type === 'question' ? 'notify-question-label' : 'notify-note-label')}${fitText(visibleText(visibility, event.note), QUOTED_TEXT_MAX)}`)
  const followUp = event.toStatus === 'resolved'
  if (followUp)
    lines.push(t('followup-ask'))
  lines.push(t(event.type === 'question' ? 'notify-question-how' : 'notify-check', { number: ticket.number }))
  return {
    kind: 'message',
    text: lines.join('\n'),
    ...(event.type === 'question' ? { question: true } : {}),
    ...(followUp ? { buttons: [SATISFACTIONS.map(s => ({ text: t(`followup-${s}`), data: followUpCallback(ticket.id, s) }))] } : {}),
  }
}

/** Where a resident who joined a ticket hears about it: as its reporter would, from the chat they reported in. */
export function followerAddress(follower: TicketFollower): ReturnType<typeof reporterAddress> {
  return reporterAddress({
    reporterId: follower.residentId,
    sourceChatId: follower.chatId,
    sourceChatType: follower.chatType,
    sourceMessageId: follower.messageId,
    replyPrivately: follower.replyPrivately,
  })
}

/**
 * Residents who joined the ticket ("me too") hear what its reporter hears but the handlers' questions, the follow-up
 * question included, with dedup
 * keys of their own. Those who hear privately get a message each; those who hear in a group share one message per
 * group (a group takes only 20 bot messages a minute), threaded under the first of their reports there. Their rating
 * is recorded, but only the reporter's closes or reopens the ticket (README, "Duplicates").
 */
export function followerDrafts(ticket: Ticket, event: TicketEvent, followers: readonly TicketFollower[], texts: NotificationTexts): OutboxDraft[] {
  // A handler's question is for the reporter: their answer comes back onto the ticket.
  if (!isToldToResidents(event) || event.type === 'question')
    return []
  return messagesToFollowers(ticket, `event:${event.id}`, followers, texts, (locale, reachesGroup) => residentMessage(ticket, event, texts, locale, reachesGroup))
}

type ResidentMessage = Omit<Extract<OutboxDraft['payload'], { kind: 'message' }>, 'replyToMessageId' | 'fallback'>

/**
 * One message about the ticket to each follower who hears privately, and one per group to those who hear in a group,
 * under the first of their reports there. `cause` makes the dedup keys (`event:<id>` for an event's message).
 */
export function messagesToFollowers(
  ticket: Ticket,
  cause: string,
  followers: readonly TicketFollower[],
  texts: NotificationTexts,
  message: (locale: Locale, reachesGroup: boolean) => ResidentMessage,
): OutboxDraft[] {
  const drafts: OutboxDraft[] = []
  const inGroups = new Map<number, TicketFollower[]>()
  for (const follower of followers) {
    const address = followerAddress(follower)
    if (address.chatId !== follower.residentId) {
      inGroups.set(address.chatId, [...inGroups.get(address.chatId) ?? [], follower])
      continue
    }
    drafts.push({
      dedupKey: `${cause}:follower:${follower.residentId}`,
      ticketId: ticket.id,
      chatId: address.chatId,
      payload: { ...message(localeOf(follower.language), address.delivery.fallback !== undefined), ...address.delivery },
    })
  }
  for (const [chatId, group] of inGroups) {
    const locale = group.every(f => localeOf(f.language) === 'en') ? 'en' : 'zh'
    const shared = message(locale, true)
    const replyTo = group.find(f => f.messageId !== null)?.messageId
    drafts.push({
      dedupKey: `${cause}:followers:${chatId}`,
      ticketId: ticket.id,
      chatId,
      payload: {
        ...shared,
        text: `${texts.translate(locale, 'notify-followers', { count: group.length })}\n${shared.text}`,
        ...(replyTo ? { replyToMessageId: replyTo } : {}),
      },
    })
  }
  return drafts
}

function localeOf(language: string): Locale {
  return reporterLocale({ reporterLanguage: language })
}

/**
 * A merge (并案) or a split told to everyone the merged ticket spoke for (its reporter and its followers), where they
 * hear about it: merged, their report is handled as the other ticket and they hear its progress from now on; split,
 * it is handled on its own again. As with followerDrafts, one message each privately, one per group otherwise.
 */
export function mergeDrafts(kind: 'merged' | 'split', result: { source: Ticket, target: Ticket, sourceEvent: TicketEvent, sourcePeople: readonly TicketFollower[] }, texts: NotificationTexts): OutboxDraft[] {
  const text = (locale: Locale) => texts.translate(locale, `notify-${kind}`, {
    number: result.source.number,
    target: result.target.number,
    status: texts.translate(locale, `ticket-status-${result.source.status}`),
  })
  const drafts: OutboxDraft[] = []
  const inGroups = new Map<number, TicketFollower[]>()
  for (const person of result.sourcePeople) {
    const address = followerAddress(person)
    if (address.chatId !== person.residentId) {
      inGroups.set(address.chatId, [...inGroups.get(address.chatId) ?? [], person])
      continue
    }
    drafts.push({
      dedupKey: `event:${result.sourceEvent.id}:${kind}:${person.residentId}`,
      ticketId: result.source.id,
      chatId: address.chatId,
      payload: { kind: 'message', text: text(localeOf(person.language)), ...address.delivery },
    })
  }
  for (const [chatId, group] of inGroups) {
    const replyTo = group.find(p => p.messageId !== null)?.messageId
    drafts.push({
      dedupKey: `event:${result.sourceEvent.id}:${kind}:chat:${chatId}`,
      ticketId: result.source.id,
      chatId,
      payload: { kind: 'message', text: text(group.every(p => localeOf(p.language) === 'en') ? 'en' : 'zh'), ...(replyTo ? { replyToMessageId: replyTo } : {}) },
    })
  }
  return drafts
}

/**
 * Where the reporter hears about their ticket: privately when they chose so or reported privately (falling back to
 * a reply in the group when they never opened the private chat), else as a reply to their report in its group.
 */
export function reporterAddress(report: Pick<Report, 'reporterId' | 'sourceChatId' | 'sourceChatType' | 'sourceMessageId' | 'replyPrivately'>): {
  chatId: number
  delivery: { replyToMessageId?: number, fallback?: { chatId: number, replyToMessageId?: number } }
} {
  const inGroup = report.sourceChatType !== 'private'
  const reply = report.sourceMessageId ? { replyToMessageId: report.sourceMessageId } : {}
  if (!inGroup)
    return { chatId: report.reporterId, delivery: {} }
  if (report.replyPrivately)
    return { chatId: report.reporterId, delivery: { fallback: { chatId: report.sourceChatId, ...reply } } }
  return { chatId: report.sourceChatId, delivery: reply }
}

/** Callback data of the follow-up buttons under a "resolved" message: `f:<ticket id>:<satisfaction>`. */
export const FOLLOW_UP_CALLBACK_PATTERN = /^f:(\d+):(satisfied|partly_satisfied|not_satisfied)$/

export function followUpCallback(ticketId: number, satisfaction: Satisfaction): string {
  return `f:${ticketId}:${satisfaction}`
}

/**
 * What the reporter said or did, told to the groups working the ticket (a card edit makes no sound in Telegram):
 * their answer to a question, their rating, their reason for reopening.
 */
export function relayDrafts(ticket: Ticket, event: TicketEvent, chatIds: readonly number[], texts: NotificationTexts): OutboxDraft[] {
  if (event.actorRole !== 'reporter')
    return []
  const t = (key: string, variables?: Record<string, string | number>) => texts.translate('zh', key, variables)
  // Relayed into handlers' and admins' groups: the reporter's words as a group may see them.
  const quoted = fitText(visibleText(ticketVisibility({ chat: 'handlers', viewer: 'other', workedHere: true }), event.note ?? ''), QUOTED_TEXT_MAX)
  let text: string
  if (event.type === 'reporter_reply')
    text = t('relay-reporter-reply', { number: ticket.number, text: quoted })
  else if (event.toStatus === 'closed')
    text = t('relay-closed', { number: ticket.number, satisfaction: t(`followup-${String(event.data?.satisfaction ?? 'satisfied')}`) })
  else if (event.toStatus === 'in_progress')
    text = t('relay-reopened', { number: ticket.number, text: quoted })
  else
    return []
  return [...new Set(chatIds)].map(chatId => ({
    dedupKey: `event:${event.id}:relay:${chatId}`,
    ticketId: ticket.id,
    chatId,
    payload: { kind: 'message' as const, text },
  }))
}

/** One card refresh (or first card) per chat: the card is rendered when it is sent, so it shows the latest state. */
export function cardDrafts(ticket: Ticket, cause: string, chatIds: readonly number[]): OutboxDraft[] {
  return [...new Set(chatIds)].map(chatId => ({
    dedupKey: `${cause}:card:${chatId}`,
    ticketId: ticket.id,
    chatId,
    payload: { kind: 'card' as const, ticketId: ticket.id, ...(ticket.photoFileIds.length > 0 ? { photos: ticket.photoFileIds.length } : {}) },
  }))
}

/** A due time as the texts show it, in the deployment's time zone. */
export function formatDueTime(at: Date, timezone: string): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(at)
}
