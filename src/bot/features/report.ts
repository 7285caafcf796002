import type { BotContext, BotDependencies, ConversationContext } from '#root/bot/context.js'
import { createReportConversation, REPORT_CONVERSATION, REPORT_IDLE_LIMIT_MS } from '#root/bot/conversations/report.js'
import { parseReportCallback } from '#root/bot/helpers/report-callback.js'
import { createConversation } from '@grammyjs/conversations'
import { Composer } from 'grammy'

export const REPORT_START_CALLBACK = 'report:start'

/** Latin command names Telegram accepts; Chinese words start a report where the bot can see plain text. */
const REPORT_COMMANDS = ['report', 'baoshi']
const REPORT_WORDS = /^\/?(报事|我要报事|反映问题|我要反映|投诉|报修)$/

/** `/cancel`, placed before the conversation so that it works at every step. */
export function createCancelFeature() {
  const feature = new Composer<BotContext>()
  feature.command(['cancel', 'quxiao'], async (ctx) => {
    const active = ctx.conversation.active(REPORT_CONVERSATION)
    if (!active) {
      await ctx.reply(ctx.t('report-nothing-to-cancel'))
      return
    }
    await ctx.conversation.exit(REPORT_CONVERSATION)
    await ctx.reply(ctx.t('report-cancelled'), {
      ...(ctx.chat.type !== 'private' ? { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } } : {}),
    })
  })
  return feature
}

/** The guided report: the conversation itself and the ways into it. */
export function createReportFeature(deps: BotDependencies) {
  const feature = new Composer<BotContext>()
  feature.use(createConversation<BotContext, ConversationContext>(createReportConversation(deps), {
    id: REPORT_CONVERSATION,
    maxMillisecondsToWait: REPORT_IDLE_LIMIT_MS,
  }))

  const enter = async (ctx: BotContext) => {
    if (ctx.conversation.active(REPORT_CONVERSATION)) {
      await ctx.reply(ctx.t('report-already-active'))
      return
    }
    await ctx.conversation.enter(REPORT_CONVERSATION)
  }

  feature.command(REPORT_COMMANDS, enter)
  feature.command('start', (ctx, next) => (ctx.match === 'report' ? enter(ctx) : next()))
  feature.chatType('private').hears(REPORT_WORDS, enter)
  feature.callbackQuery(REPORT_START_CALLBACK, async (ctx) => {
    await ctx.answerCallbackQuery()
    await enter(ctx)
  })

  // Buttons of a report that is no longer waiting for them: someone else's, cancelled, finished or expired.
  feature.callbackQuery(/^r:/, async (ctx) => {
    const parsed = parseReportCallback(ctx.callbackQuery.data)
    const key = parsed && parsed.userId !== ctx.from.id ? 'report-button-not-yours' : 'report-button-ended'
    await ctx.answerCallbackQuery({ text: ctx.t(key), show_alert: true })
  })

  return feature
}
