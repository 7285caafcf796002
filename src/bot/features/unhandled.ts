import type { BotContext } from '#root/bot/context.js'
import { Composer } from 'grammy'

/** Must be the last handler: whatever nobody else took. Groups stay quiet; private chats get a pointer to /help. */
export function createUnhandledFeature() {
  const feature = new Composer<BotContext>()
  const privateChat = feature.chatType('private')
  privateChat.on('message', async (ctx) => {
    await ctx.reply(ctx.t(ctx.msg.text?.startsWith('/') ? 'unknown-command' : 'help-private'))
  })
  feature.on('callback_query', ctx => ctx.answerCallbackQuery())
  return feature
}
