import { GrammyError } from 'grammy'
import type { Api } from 'grammy'
import type { Catalog } from '#root/domain/catalog.js'
import type { ChatStore } from '#root/store/chat-store.js'
import type { ClaimedMessage, OutboxStore } from '#root/store/outbox-store.js'
import type { TicketStore } from '#root/store/ticket-store.js'
import type { Deliver } from '#root/notify/outbox-worker.js'
import { renderCard } from '#root/bot/helpers/ticket-card.js'
import type { Translate } from '#root/usecases/notifications.js'

export interface DeliveryDependencies {
  /** An Api without the auto-retry plugin: the outbox worker schedules its own retries. */
  api: Api
  tickets: TicketStore
  chats: ChatStore
  outbox: OutboxStore
  catalog: () => Catalog
  translate: Translate
  timezone: string
}

/** How each kind of outbox message reaches Telegram. */
export function createDeliver(deps: DeliveryDependencies): Deliver {
  const { api } = deps

  async function sendCard(message: ClaimedMessage, sentExtra?: (count: number) => void): Promise<{ messageId: number | null }> {
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
    const card = renderCard({ ticket, events, outbox, binding, catalog: deps.catalog(), timezone: deps.timezone, translate: deps.translate })
    const existing = cards.find(c => c.chatId === message.chatId)
    if (existing) {
      try {
        await api.editMessageText(message.chatId, existing.messageId, card.text, {
          entities: card.entities,
          ...(card.keyboard ? { reply_markup: card.keyboard } : {}),
        })
        return { messageId: existing.messageId }
      }
      catch (error) {
        if (error instanceof GrammyError && /not modified/i.test(error.description))
          return { messageId: existing.messageId }
        // The card was deleted in the group: post it again rather than lose it.
        if (!(error instanceof GrammyError && /message to edit not found/i.test(error.description)))
          throw error
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
