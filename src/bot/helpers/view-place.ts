import type { BotContext } from '#root/bot/context.js'
import type { Ticket } from '#root/domain/ticket.js'
import type { ViewerRelation, ViewPlace } from '#root/privacy/visibility.js'
import type { FormattedString } from '@grammyjs/parse-mode'
import type { InlineKeyboard } from 'grammy'
import { isCurrentPlace } from '#root/bot/helpers/ticket-card.js'
import { GrammyError } from 'grammy'

/** The chat a command was typed in, as the visibility rule sees it. */
export async function viewPlaceOf(ctx: BotContext, ticket: Ticket, viewer: ViewerRelation): Promise<ViewPlace> {
  if (ctx.chat?.type === 'private')
    return { chat: 'private', viewer }
  const binding = ctx.chat ? await ctx.deps.chats.find(ctx.chat.id) : null
  return { chat: binding?.kind ?? 'unbound_group', viewer, workedHere: isCurrentPlace(ticket, binding) }
}

/** Replies that stay visible when the command message is gone: a reply to a deleted message still goes out. */
export function replyToCommand(ctx: BotContext): { reply_parameters?: { message_id: number, allow_sending_without_reply: true } } {
  return ctx.chat?.type !== 'private' && ctx.msg
    ? { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } }
    : {}
}

/**
 * A view this group may not read, asked for by someone who may: sent to them privately, and the group told so
 * (or told where to ask, when the person never opened a private chat with the bot).
 */
export async function answerPrivately(ctx: BotContext, view: Pick<FormattedString, 'text' | 'entities'>, keyboard?: InlineKeyboard): Promise<void> {
  const userId = ctx.from?.id
  try {
    if (userId === undefined)
      throw new Error('no sender to answer privately')
    await ctx.api.sendMessage(userId, view.text, { entities: view.entities, ...(keyboard ? { reply_markup: keyboard } : {}) })
    await ctx.reply(ctx.t('answered-privately'), replyToCommand(ctx))
  }
  catch (error) {
    if (userId !== undefined && !(error instanceof GrammyError && (error.error_code === 403 || error.error_code === 400)))
      throw error
    await ctx.reply(ctx.t('ask-privately', { bot: ctx.me.username }), replyToCommand(ctx))
  }
}
