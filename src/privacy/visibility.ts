import type { ChatKind } from '#root/domain/chat-binding.js'
import { redactPersonalData } from '#root/privacy/personal-data.js'

/** Where a ticket would be shown: a private chat, a bound group of some kind, or a group the bot has no role for. */
export type ViewChat = 'private' | ChatKind | 'unbound_group'

/**
 * Who asks, relative to the ticket: its reporter, a handler of its current department, an admin, or anyone else.
 * In a group what counts is the group, not who typed the command: everyone in it reads the answer.
 */
export type ViewerRelation = 'reporter' | 'handler' | 'admin' | 'other'

export interface ViewPlace {
  chat: ViewChat
  viewer: ViewerRelation
  /** For a handlers' or admins' group: the ticket is worked there now (its department's group, or triage). */
  workedHere?: boolean
  /** For a handlers' group: the ticket was worked there before it moved (the group holds its card). */
  workedBefore?: boolean
}

export interface TicketVisibility {
  /** Whether the ticket may be shown here at all. */
  show: boolean
  /** The report's original text: as written, with personal data replaced by placeholders, or not at all. */
  originalText: 'full' | 'redacted' | 'hidden'
  /** Every other text that came from a person (summary, place, notes, replies): as written or redacted. */
  freeText: 'full' | 'redacted'
  /** The reporter's name and phone number, when the reporter allowed contact. */
  contact: boolean
}

const HIDDEN: TicketVisibility = { show: false, originalText: 'hidden', freeText: 'redacted', contact: false }

/**
 * Who sees what of a ticket, written once. Every view of a ticket (cards, `/ticket`, `/queue`, `/status`, `/mine`,
 * notifications) asks this function and shows no more than it allows:
 *
 * | Where | Original text | Other free text | Reporter's contact |
 * |---|---|---|---|
 * | private chat, handler of the current department or admin | full | full | if allowed |
 * | private chat, the reporter | full | full | yes (their own) |
 * | handlers' or admins' group where the ticket is worked | redacted | redacted | if allowed |
 * | handlers' group the ticket moved away from (its card) | redacted | redacted | no |
 * | residents', cadres' or unbound group, the reporter's own ticket | hidden | redacted | no |
 * | anywhere else (another department's group, someone else's ticket) | not shown | | |
 *
 * Someone else's ticket offered to join or listed as a hot problem shows only its public summary (PUBLIC_SUMMARY).
 */
export function ticketVisibility(place: ViewPlace): TicketVisibility {
  switch (place.chat) {
    case 'private':
      if (place.viewer === 'other')
        return HIDDEN
      return { show: true, originalText: 'full', freeText: 'full', contact: true }
    case 'handlers':
    case 'admins':
      if (!place.workedHere && !place.workedBefore)
        return HIDDEN
      return { show: true, originalText: 'redacted', freeText: 'redacted', contact: place.workedHere === true }
    case 'residents':
    case 'cadres':
    case 'unbound_group':
      if (place.viewer !== 'reporter')
        return HIDDEN
      return { show: true, originalText: 'hidden', freeText: 'redacted', contact: false }
  }
}

/**
 * What anyone may see of someone else's ticket where a resident is offered to join it ("me too") or hot problems are
 * listed, in any chat: its number, category, status and summary with personal data redacted. Never the original text,
 * the place as written, the reporter's name or contact: a residents' group sees no more of a neighbour's ticket.
 */
export const PUBLIC_SUMMARY: TicketVisibility = { show: true, originalText: 'hidden', freeText: 'redacted', contact: false }

/** A person's text as this place may see it. */
export function visibleText(visibility: Pick<TicketVisibility, 'freeText'>, text: string): string {
  return visibility.freeText === 'full' ? text : redactPersonalData(text)
}

/** The report's original text as this place may see it, or null when it must not appear. */
export function visibleOriginal(visibility: Pick<TicketVisibility, 'originalText'>, text: string): string | null {
  if (visibility.originalText === 'hidden')
    return null
  return visibility.originalText === 'full' ? text : redactPersonalData(text)
}
