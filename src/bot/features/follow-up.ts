import type { BotContext } from '#root/bot/context.js'
import type { Satisfaction } from '#root/domain/lifecycle.js'
import type { Actor, Ticket } from '#root/domain/ticket.js'
import { HANDLER_NOTE_MAX_LENGTH } from '#root/bot/features/handling.js'
import { displayName } from '#root/bot/helpers/names.js'
import { DomainError } from '#root/domain/errors.js'
import { actOnTicket } from '#root/usecases/act-on-ticket.js'
import { rateAsFollower as recordFollowerRating } from '#root/usecases/duplicates.js'
import { FOLLOW_UP_CALLBACK_PATTERN } from '#root/usecases/notifications.js'
import { fmt, FormattedString } from '@grammyjs/parse-mode'
import { Composer } from 'grammy'

interface PendingReopen {
  ticketId: number
  userId: number
}

const reopenKey = (chatId: number, messageId: number) => `reopen:${chatId}:${messageId}`

/**
 * 回访: under the message that a ticket is resolved, the reporter rates it with one tap. Satisfied or partly
 * satisfied closes it; not satisfied asks what is still wrong and reopens it for rework (重办) with that reason.
 */
export function createFollowUpFeature() {
  const feature = new Composer<BotContext>()

  feature.callbackQuery(FOLLOW_UP_CALLBACK_PATTERN, async (ctx) => {
    const ticket = await ctx.deps.tickets.findById(Number(ctx.match[1]))
    const satisfaction = ctx.match[2] as Satisfaction
    if (ticket && ticket.reporterId !== ctx.from.id && await isFollower(ctx, ticket.id)) {
      await rateAsFollower(ctx, ticket, satisfaction)
      return
    }
    if (!ticket || ticket.reporterId !== ctx.from.id) {
      await ctx.answerCallbackQuery({ text: ctx.t('followup-not-yours'), show_alert: true })
      return
    }
    if (ticket.status !== 'resolved') {
      await ctx.answerCallbackQuery({ text: ctx.t('followup-already', { status: ctx.t(`ticket-status-${ticket.status}`) }), show_alert: true })
      await ctx.editMessageReplyMarkup().catch(() => undefined)
      return
    }
    const actor: Actor = { id: ctx.from.id, role: 'reporter', name: displayName(ctx.from) }
    if (satisfaction === 'not_satisfied') {
      const prompt = fmt`${FormattedString.mentionUser(actor.name!, actor.id)} ${ctx.t('followup-ask-reason', { number: ticket.number })}`
      const sent = await ctx.reply(prompt.text, { entities: prompt.entities, reply_markup: { force_reply: true, selective: true } })
      await ctx.deps.conversationStorage.write(reopenKey(sent.chat.id, sent.message_id), { ticketId: ticket.id, userId: actor.id } satisfies PendingReopen)
      await ctx.answerCallbackQuery()
      return
    }
    try {
      await actOnTicket(ctx.deps, { ticket, action: 'close', actor, details: { satisfaction } })
      await ctx.answerCallbackQuery({ text: ctx.t('followup-thanks') })
      await ctx.editMessageReplyMarkup().catch(() => undefined)
    }
    catch (error) {
      if (!(error instanceof DomainError))
        throw error
      await ctx.answerCallbackQuery({ text: ctx.t('followup-already', { status: ctx.t(`ticket-status-${ticket.status}`) }), show_alert: true })
    }
  })

  feature.on('message', async (ctx, next) => {
    const repliedTo = ctx.msg.reply_to_message
    if (!repliedTo || repliedTo.from?.id !== ctx.me.id)
      return next()
    const key = reopenKey(ctx.chat.id, repliedTo.message_id)
    const pending = await ctx.deps.conversationStorage.read(key) as PendingReopen | undefined
    if (!pending || pending.userId !== ctx.from.id)
      return next()
    const replyTo = { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } }
    const reason = ctx.msg.text?.trim()
    if (!reason) {
      await ctx.reply(ctx.t('handling-need-text'), replyTo)
      return
    }
    const ticket = await ctx.deps.tickets.findById(pending.ticketId)
    await ctx.deps.conversationStorage.delete(key)
    if (!ticket || ticket.status !== 'resolved') {
      await ctx.reply(ctx.t('followup-already', { status: ctx.t(`ticket-status-${ticket?.status ?? 'closed'}`) }), replyTo)
      return
    }
    await actOnTicket(ctx.deps, {
      ticket,
      action: 'reopen',
      actor: { id: ctx.from.id, role: 'reporter', name: displayName(ctx.from) },
      note: reason.slice(0, HANDLER_NOTE_MAX_LENGTH),
      details: { satisfaction: 'not_satisfied' },
    })
    await ctx.reply(ctx.t('followup-reopened', { number: ticket.number }), replyTo)
  })

  return feature
}

async function isFollower(ctx: BotContext, ticketId: number): Promise<boolean> {
  return Boolean(ctx.from && await ctx.deps.duplicates?.followers.isFollower(ticketId, ctx.from.id))
}

/**
 * A resident who joined the ticket rates it: recorded, closing nothing. In a group their buttons may sit on a message
 * shared by the group's co-reporters, so they stay there; privately they go.
 */
async function rateAsFollower(ctx: BotContext & { from: NonNullable<BotContext['from']> }, ticket: Ticket, satisfaction: Satisfaction): Promise<void> {
  const outcome = await recordFollowerRating(ctx.deps.duplicates!, { ticket, actor: { id: ctx.from.id, role: 'reporter', name: displayName(ctx.from) }, satisfaction })
  if (outcome === 'not_resolved') {
    await ctx.answerCallbackQuery({ text: ctx.t('followup-already', { status: ctx.t(`ticket-status-${ticket.status}`) }), show_alert: true })
    return
  }
  await ctx.answerCallbackQuery({ text: ctx.t(outcome === 'rated' ? 'followup-follower-thanks' : 'followup-follower-already'), show_alert: true })
  if (ctx.chat?.type === 'private')
    await ctx.editMessageReplyMarkup().catch(() => undefined)
}
