import type { BotContext } from '#root/bot/context.js'
import type { ChatBinding } from '#root/domain/chat-binding.js'
import { localeOf } from '#root/bot/helpers/locale.js'
import { departmentName } from '#root/bot/helpers/names.js'
import { isAdmin } from '#root/bot/helpers/roles.js'
import { findRoutingGaps } from '#root/usecases/routing-gaps.js'
import { Composer, InlineKeyboard } from 'grammy'

const BIND_DEPARTMENT_CALLBACK = /^bind:handlers:([\w-]+)$/
const AREA_MAX_LENGTH = 60

/** Admins bind groups to their role: a residents' group of an area, a department's handlers' group, the admins' group. */
export function createAdminFeature() {
  const feature = new Composer<BotContext>()
  const locale = localeOf

  feature.command(['bind', 'unbind', 'departments'], async (ctx, next) => {
    if (isAdmin(ctx))
      return next()
    await ctx.reply(ctx.t('admin-only'))
  })

  feature.command('departments', async (ctx) => {
    const lang = await locale(ctx)
    const lines = ctx.deps.catalog().departments.map(d => `${d.id} — ${lang === 'en' ? d.nameEn : d.nameZh}`)
    await ctx.reply(`${ctx.t('departments-title')}\n${lines.join('\n')}`)
  })

  feature.command('bind', async (ctx) => {
    const adminId = ctx.from?.id ?? 0
    if (ctx.chat.type === 'private') {
      await ctx.reply(ctx.t('bind-group-only'))
      return
    }
    const [kind = '', ...rest] = ctx.match.trim().split(/\s+/)
    const argument = rest.join(' ').trim()
    const base = { chatId: ctx.chat.id, title: ctx.chat.title, boundBy: adminId }

    if (kind === 'residents') {
      if (!argument || [...argument].length > AREA_MAX_LENGTH) {
        await ctx.reply(ctx.t('bind-need-area'))
        return
      }
      await ctx.deps.chats.bind({ ...base, kind: 'residents', areaName: argument, departmentId: null })
      await ctx.reply(ctx.t('bind-done-residents', { area: argument }))
      return
    }
    if (kind === 'cadres') {
      const area = ctx.deps.campaign?.areas().find(argument)
      if (!area) {
        await ctx.reply(ctx.t('bind-unknown-area', { area: argument }))
        return
      }
      await ctx.deps.chats.bind({ ...base, kind: 'cadres', areaName: area.name, departmentId: null })
      await ctx.reply(ctx.t('bind-done-cadres', { area: area.name }))
      return
    }
    if (kind === 'admins') {
      await ctx.deps.chats.bind({ ...base, kind: 'admins', areaName: null, departmentId: null })
      await ctx.reply(`${ctx.t('bind-done-admins')}\n${await missingHandlersLine(ctx)}`)
      return
    }
    if (kind === 'handlers') {
      const catalog = ctx.deps.catalog()
      if (!argument) {
        const keyboard = new InlineKeyboard()
        const lang = await locale(ctx)
        for (const d of catalog.departments)
          keyboard.text(lang === 'en' ? d.nameEn : d.nameZh, `bind:handlers:${d.id}`).row()
        await ctx.reply(`${ctx.t('bind-choose-department')}\n${await missingHandlersLine(ctx)}`, { reply_markup: keyboard })
        return
      }
      const department = catalog.departments.find(d => d.id === argument || d.nameZh === argument || d.nameEn === argument)
      if (!department) {
        await ctx.reply(ctx.t('bind-unknown-department', { id: argument }))
        return
      }
      await bindHandlers(ctx, { ...base, kind: 'handlers', areaName: null, departmentId: department.id })
      return
    }
    await ctx.reply(`${ctx.t('bind-usage')}\n${await missingHandlersLine(ctx)}`)
  })

  feature.callbackQuery(BIND_DEPARTMENT_CALLBACK, async (ctx) => {
    const adminId = ctx.from.id
    if (!isAdmin(ctx) || !ctx.chat || ctx.chat.type === 'private') {
      await ctx.answerCallbackQuery({ text: ctx.t('admin-only'), show_alert: true })
      return
    }
    const departmentId = ctx.match[1]!
    if (!ctx.deps.catalog().departments.some(d => d.id === departmentId)) {
      await ctx.answerCallbackQuery({ text: ctx.t('bind-unknown-department', { id: departmentId }), show_alert: true })
      return
    }
    await ctx.answerCallbackQuery()
    await ctx.editMessageReplyMarkup().catch(() => undefined)
    await bindHandlers(ctx, {
      chatId: ctx.chat.id,
      title: ctx.chat.title,
      boundBy: adminId,
      kind: 'handlers',
      areaName: null,
      departmentId,
    })
  })

  feature.command('unbind', async (ctx) => {
    const removed = await ctx.deps.chats.unbind(ctx.chat.id)
    await ctx.reply(ctx.t(removed ? 'unbind-done' : 'unbind-none'))
  })

  async function bindHandlers(ctx: BotContext, binding: ChatBinding): Promise<void> {
    await ctx.deps.chats.bind(binding)
    const name = departmentName(ctx.deps.catalog(), binding.departmentId, await locale(ctx))
    await ctx.reply(`${ctx.t('bind-done-handlers', { department: name })}\n${await missingHandlersLine(ctx)}`)
  }

  /** Which departments still have no handlers' group, so that binding them one by one shows what is left. */
  async function missingHandlersLine(ctx: BotContext): Promise<string> {
    const { departmentsWithoutGroup } = await findRoutingGaps({ chats: ctx.deps.chats, catalog: ctx.deps.catalog })
    if (departmentsWithoutGroup.length === 0)
      return ctx.t('bind-missing-none')
    const lang = await locale(ctx)
    return ctx.t('bind-missing-handlers', { departments: departmentsWithoutGroup.map(d => `${lang === 'en' ? d.nameEn : d.nameZh} (${d.id})`).join(lang === 'en' ? ', ' : '、') })
  }

  return feature
}
