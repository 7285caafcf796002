import type { ChatType } from '#root/domain/ticket.js'

/**
 * A resident who reported the same problem as a ticket's reporter (并案的共同诉求人): they joined it ("me too",
 * 我也遇到了) or a merge brought them. They hear what the reporter hears, where they chose to hear it.
 */
export interface TicketFollower {
  ticketId: number
  residentId: number
  residentName: string
  language: string
  chatId: number
  chatType: ChatType
  /** Their message in `chatId` that a reply threads under (their description), if any. */
  messageId: number | null
  replyPrivately: boolean
  /** The ticket a merge brought them from; null when they joined themselves. */
  viaTicketId: number | null
  reportedAt: Date
}

export type NewTicketFollower = Omit<TicketFollower, 'ticketId' | 'viaTicketId' | 'reportedAt'>

/** The people a ticket speaks for: its reporter and its followers. */
export function reporterCount(ticket: { followerCount?: number }): number {
  return 1 + (ticket.followerCount ?? 0)
}

/**
 * A join refreshes the handlers' card only at these counts of reporters: the card says how many people the ticket
 * speaks for without costing the group a message for every "me too" (Telegram allows a group 20 a minute).
 */
const CARD_REFRESH_COUNTS = new Set([2, 3, 5, 10, 20, 50, 100, 200, 500, 1000])

export function joinRefreshesCard(reporters: number): boolean {
  return CARD_REFRESH_COUNTS.has(reporters)
}
