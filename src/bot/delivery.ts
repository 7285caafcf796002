import type { Catalog } from '#root/domain/catalog.js'
import type { Deliver } from '#root/notify/outbox-worker.js'
import type { ChatStore } from '#root/store/chat-store.js'
import type { ClaimedMessage, OutboxStore } from '#root/store/outbox-store.js'
import type { TicketStore } from '#root/store/ticket-store.js'
import type { Translate } from '#root/usecases/notifications.js'
import type { Api } from 'grammy'
import { isCurrentPlace, renderCard } from '#root/bot/helpers/ticket-card.js'
import { ticketVisibility } from '#root/privacy/visibility.js'
import { GrammyError } from 'grammy'

export interface DeliveryDependencies {
  /** An Api without the paced client: the outbox worker waits for the send budget and schedules its own retries. */
  api: Api
  tickets: TicketStore
  chats: ChatStore
  outbox: OutboxStore
  catalog: () => Catalog
  translate: Translate
  timezone: string
  /** The clock a card's time left is counted from. */
  now?: () => Date
}

/** How each kind of outbox message reaches Telegram. */
export function createDeliver(deps: DeliveryDependencies): Deliver {
  const { api } = deps

  async function sendCard(message: ClaimedMessage, sentExtra?: (count: number) => void): ReturnType<Deliver> {
    const { payload } = message
    if (payload.kind !== 'card')
      throw new Error(`not a card: ${payload.kind}`)
    const { ticketId } = payload
    const ticket = await deps.tickets.findById(ticketId)
    if (!ticket)
      return { messageId: null }
    const [events, outbox, binding, cards] = await Promise.all([
      deps.tickets.listEvents(ticket.id),
      deps.outbox.listForTicket(ticket.id),
      deps.chats.find(message.chatId),
      deps.tickets.listCards(ticket.id),
    ])
    const existing = cards.find(c => c.chatId === message.chatId)
    // Cards go only to the groups that work or worked the ticket; a chat rebound to another role since gets none.
    const visibility = ticketVisibility({
      chat: binding?.kind ?? 'unbound_group',
      viewer: 'other',
      workedHere: isCurrentPlace(ticket, binding),
      workedBefore: true,
    })
    if (!visibility.show)
      return { messageId: null }
    const card = renderCard({ ticket, events, outbox, binding, catalog: deps.catalog(), timezone: deps.timezone, translate: deps.translate, visibility, now: (deps.now ?? (() => new Date()))() })
    if (existing) {
      try {
        await api.editMessageText(message.chatId, existing.messageId, card.text, {
          entities: card.entities,
          ...(card.keyboard ? { reply_markup: card.keyboard } : {}),
        })
        return { messageId: existing.messageId, messagesSent: 0 }
      }
      catch (error) {
        if (error instanceof GrammyError && /not modified/i.test(error.description))
          return { messageId: existing.messageId, messagesSent: 0 }
        // A card that can no longer be edited (deleted in the group, refused by Telegram) is posted again rather
        // than left stale, and the ticket records why; only passing failures (429, 5xx, network) are retried.
        if (!(error instanceof GrammyError && error.error_code === 400))
          throw error
        await deps.tickets.addEvent(ticket.id, {
          type: 'delivery_failed',
          note: 'card_not_editable',
          data: { chatId: message.chatId, messageId: existing.messageId, error: error.description },
        }, { id: 0, role: 'system' })
      }
    }
    // The album is a step of its own: once it went out, a retry after a failed card text sends only the text.
    let replyTo = payload.albumMessageId
    if (!existing && replyTo === undefined && ticket.photoFileIds.length > 0) {
      const album = await api.sendMediaGroup(message.chatId, ticket.photoFileIds.map(id => ({ type: 'photo' as const, media: id })))
      sentExtra?.(album.length)
      replyTo = album[0]?.message_id
      if (replyTo !== undefined)
        await deps.outbox.saveProgress(message, { ...payload, albumMessageId: replyTo })
    }
    const sent = await api.sendMessage(message.chatId, card.text, {
      entities: card.entities,
      ...(card.keyboard ? { reply_markup: card.keyboard } : {}),
      ...(replyTo ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {}),
    })
    await deps.tickets.recordCard(ticket.id, { chatId: message.chatId, messageId: sent.message_id })
    return { messageId: sent.message_id }
  }

  return async (message, sentExtra) => {
    const { payload } = message
    if (payload.kind === 'card')
      return sendCard(message, sentExtra)
    if (payload.editMessageId) {
      try {
        await api.editMessageText(message.chatId, payload.editMessageId, payload.text, {
          ...(payload.entities ? { entities: payload.entities } : {}),
          reply_markup: { inline_keyboard: [] },
        })
        return { messageId: payload.editMessageId, messagesSent: 0 }
      }
      catch (error) {
        if (error instanceof GrammyError && /not modified/i.test(error.description))
          return { messageId: payload.editMessageId, messagesSent: 0 }
        // Deleted, or too old to edit: the text goes out as a message of its own.
        if (!(error instanceof GrammyError && error.error_code === 400))
          throw error
      }
    }
    const sent = await api.sendMessage(message.chatId, payload.text, {
      ...(payload.entities ? { entities: payload.entities } : {}),
      // A reply to a deleted message still goes out, just without the reply.
      ...(payload.replyToMessageId ? { reply_parameters: { message_id: payload.replyToMessageId, allow_sending_without_reply: true } } : {}),
      ...(payload.question ? { reply_markup: { force_reply: true, selective: true } } : {}),
      ...(payload.buttons ? { reply_markup: { inline_keyboard: payload.buttons.map(row => row.map(b => ({ text: b.text, callback_data: b.data }))) } } : {}),
    })
    return { messageId: sent.message_id }
  }
}
