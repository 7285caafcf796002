import type { BotContext } from '#root/bot/context.js'
import type { MiddlewareFn } from 'grammy'
import { displayName } from '#root/bot/helpers/names.js'

/**
 * Notes once per process who has opened a private chat with the bot, because only they can be answered privately.
 * Group members are recorded when they report (by the report itself), not on every message.
 */
export function rememberResidents(): MiddlewareFn<BotContext> {
  const known = new Set<number>()
  return async (ctx, next) => {
    const user = ctx.from
    if (ctx.chat?.type === 'private' && user && !user.is_bot && !known.has(user.id)) {
      await ctx.deps.residents.remember({
        telegramId: user.id,
        name: displayName(user),
        languageCode: user.language_code ?? null,
        privateChat: true,
      })
      known.add(user.id)
    }
    return next()
  }
}
