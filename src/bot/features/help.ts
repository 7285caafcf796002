import type { BotContext } from '#root/bot/context.js'
import { REPORT_START_CALLBACK } from '#root/bot/features/report.js'
import { localeOf } from '#root/bot/helpers/locale.js'
import { departmentName } from '#root/bot/helpers/names.js'
import { Composer, InlineKeyboard } from 'grammy'

/** `/help` and `/start`: says what this chat is for, with a button to report. */
export function createHelpFeature() {
  const feature = new Composer<BotContext>()

  feature.command(['help', 'bangzhu'], ctx => sendHelp(ctx))
  feature.command('start', async (ctx, next) => {
    // Deep links (t.me/bot?start=report) are handled by the report feature.
    if (ctx.match === 'report')
      return next()
    return sendHelp(ctx)
  })

  // Added to a group: say what the bot is for and how an admin gives the group its role.
  feature.on('my_chat_member', async (ctx) => {
    const { old_chat_member: before, new_chat_member: after } = ctx.myChatMember
    const joined = ['left', 'kicked'].includes(before.status) && ['member', 'administrator'].includes(after.status)
    if (joined && ctx.chat.type !== 'private' && ctx.chat.type !== 'channel')
      await sendHelp(ctx)
  })

  return feature
}

export async function sendHelp(ctx: BotContext): Promise<void> {
  const chat = ctx.chat
  if (!chat)
    return
  const keyboard = new InlineKeyboard().text(ctx.t('btn-report'), REPORT_START_CALLBACK)
  if (chat.type === 'private') {
    await ctx.reply(ctx.t('help-private'), { reply_markup: keyboard })
    return
  }
  const binding = await ctx.deps.chats.find(chat.id)
  const locale = await localeOf(ctx)
  if (binding?.kind === 'handlers') {
    await ctx.reply(ctx.t('help-handlers', { department: departmentName(ctx.deps.catalog(), binding.departmentId, locale) }))
    return
  }
  if (binding?.kind === 'cadres') {
    await ctx.reply(ctx.t('help-cadres', { area: binding.areaName ?? '' }))
    return
  }
  if (binding?.kind === 'admins') {
    await ctx.reply(ctx.t('help-admins'))
    return
  }
  if (ctx.me.username)
    keyboard.url(ctx.t('btn-report-private'), `https://t.me/${ctx.me.username}?start=report`)
  const text = binding?.kind === 'residents'
    ? ctx.t('help-residents', { area: binding.areaName ?? chat.title })
    : ctx.t('help-unbound')
  await ctx.reply(text, { reply_markup: keyboard })
}
