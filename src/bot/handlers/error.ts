import type { ErrorHandler } from 'grammy'
import type { BotContext } from '#root/bot/context.js'

/** Logs what failed (ids, never message text) and tells the person; the bot keeps running. */
export const errorHandler: ErrorHandler<BotContext> = async (error) => {
  const { ctx } = error
  const logger = ctx.logger ?? ctx.deps?.logger
  logger?.error({ err: error.error, update_id: ctx.update.update_id }, 'update failed')
  try {
    if (ctx.callbackQuery)
      await ctx.answerCallbackQuery({ text: ctx.t('error-generic'), show_alert: true })
    else if (ctx.chat && ctx.msg)
      await ctx.reply(ctx.t('error-generic'), { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } })
  }
  catch (replyError) {
    logger?.warn({ err: replyError }, 'could not tell the user about the failure')
  }
}
