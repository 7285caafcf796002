import type { BotContext } from '#root/bot/context.js'
import type { ErrorHandler } from 'grammy'
import { currentAttempt, failCurrentUpdate } from '#root/bot/update-scope.js'
import { isTransientError } from '#root/runtime/transient-error.js'

/**
 * Logs what failed (ids, never message text) and marks the update failed, so that none of its state changes are
 * kept. A passing failure is tried again by the dispatcher without a word to the person; otherwise they are told,
 * truthfully, that what they entered so far is kept and they can try again.
 */
export const errorHandler: ErrorHandler<BotContext> = async (error) => {
  const { ctx } = error
  failCurrentUpdate(error.error)
  const attempt = currentAttempt()
  const willRetry = attempt !== undefined && !attempt.lastAttempt && isTransientError(error.error)
  const logger = ctx.logger ?? ctx.deps?.logger
  if (willRetry) {
    logger?.warn({ err: error.error, update_id: ctx.update.update_id, attempt: attempt.attempt }, 'update failed for a passing reason; it will be tried again')
    if (ctx.callbackQuery)
      await ctx.answerCallbackQuery({ text: ctx.t('error-retrying') }).catch(() => undefined)
    return
  }
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
