import type { BotContext } from '#root/bot/context.js'
import { HANDLER_NOTE_MAX_LENGTH } from '#root/bot/features/handling.js'
import { addTicketEvent } from '#root/usecases/act-on-ticket.js'
import { Composer } from 'grammy'

/** A reporter's reply to a question the department asked through the bot: it goes onto the ticket and to the handlers. */
export function createReporterRepliesFeature() {
  const feature = new Composer<BotContext>()
  feature.on('message:text', async (ctx, next) => {
    const repliedTo = ctx.msg.reply_to_message
    if (!repliedTo || repliedTo.from?.id !== ctx.me.id)
      return next()
    const question = await ctx.deps.outbox.findSent(ctx.chat.id, repliedTo.message_id)
    if (!question || question.payload.kind !== 'message' || !question.payload.question || question.ticketId === null)
      return next()
    const ticket = await ctx.deps.tickets.findById(question.ticketId)
    if (!ticket || ticket.reporterId !== ctx.from.id)
      return next()
    const text = ctx.msg.text.trim().slice(0, HANDLER_NOTE_MAX_LENGTH)
    await addTicketEvent(ctx.deps, { ticket, event: { type: 'reporter_reply', note: text }, actor: { id: ctx.from.id, role: 'reporter' } })
    await ctx.reply(ctx.t('reporter-reply-relayed'), { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } })
  })
  return feature
}
