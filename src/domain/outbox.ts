import type { MessageEntity } from 'grammy/types'

/**
 * A message to deliver. 'message' carries its rendered text; 'card' names a ticket whose card is rendered when it is
 * sent (or edited in place when the chat already has one), so a card always shows the ticket as it is by then.
 */
export type OutboxPayload
  = | {
    kind: 'message'
    text: string
    entities?: MessageEntity[]
    replyToMessageId?: number
    /**
     * One of the bot's own messages to turn into this one (e.g. a report's summary into its registration), its
     * buttons removed; when it can no longer be edited the text is sent instead.
     */
    editMessageId?: number
    /** A question to the reporter: their reply to it comes back onto the ticket. */
    question?: boolean
    /** Inline buttons (text, callback data), e.g. the follow-up's satisfaction choices. */
    buttons?: { text: string, data: string }[][]
    /** Where to send instead when the bot may not write to the chat privately (the person never opened it). */
    fallback?: { chatId: number, replyToMessageId?: number }
  }
  | {
    kind: 'card'
    ticketId: number
    /** Photos the ticket had when the card was queued: a first card in a chat goes out as an album of them first. */
    photos?: number
    /** Set once the album went out (its first message), so that a retry after a failed card text sends only the text. */
    albumMessageId?: number
  }

/**
 * How many Telegram messages a payload may cost in its chat: a first card with photos is an album of them plus the
 * card (an edit of a card already posted costs less; the limiter then waits a little longer than it had to); a
 * message that edits one of the bot's own in place (a summary turned into its registration) costs none, so it is
 * not held behind a busy group's queue of new messages.
 */
export function messagesToSend(payload: OutboxPayload): number {
  if (payload.kind === 'card' && payload.albumMessageId === undefined)
    return 1 + (payload.photos ?? 0)
  if (payload.kind === 'message' && payload.editMessageId !== undefined)
    return 0
  return 1
}

export interface OutboxDraft {
  /** One key per event and recipient: the ledger that keeps an event from being queued or sent twice. */
  dedupKey: string
  ticketId: number | null
  chatId: number
  payload: OutboxPayload
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed'

export interface OutboxMessage extends OutboxDraft {
  id: number
  status: OutboxStatus
  attempts: number
  nextAttemptAt: Date
  lastError: string | null
  failReason: string | null
  sentMessageId: number | null
  createdAt: Date
  sentAt: Date | null
}
