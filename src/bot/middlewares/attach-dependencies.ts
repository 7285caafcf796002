import type { BotContext, BotDependencies } from '#root/bot/context.js'
import type { MiddlewareFn } from 'grammy'

/** Gives each update the dependencies and a child logger that names the update, chat and user (ids only). */
export function attachDependencies(deps: BotDependencies): MiddlewareFn<BotContext> {
  return (ctx, next) => {
    ctx.deps = deps
    ctx.logger = deps.logger.child({ update_id: ctx.update.update_id, chat_id: ctx.chat?.id, user_id: ctx.from?.id })
    return next()
  }
}
