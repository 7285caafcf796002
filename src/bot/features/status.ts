import { Composer } from 'grammy'
import type { BotContext } from '#root/bot/context.js'
import type { Locale } from '#root/bot/helpers/names.js'
import { formatTime, ticketStatusView } from '#root/bot/helpers/ticket-view.js'
import { parseTicketNumber } from '#root/domain/ticket-number.js'

const SUMMARY_IN_LIST = 30

/** `/status NUMBER` and `/mine`: a resident sees their own tickets only; a group never shows contact data. */
export function createStatusFeature() {
  const feature = new Composer<BotContext>()

  feature.command(['status', 'chaxun'], async (ctx) => {
    const replyTo = ctx.chat.type !== 'private' ? { reply_parameters: { message_id: ctx.msg.message_id } } : {}
    const number = parseTicketNumber(ctx.match)
    if (!number) {
      await ctx.reply(ctx.t('status-usage'), replyTo)
      return
    }
    const ticket = await ctx.deps.tickets.findByNumber(number)
    const isAdmin = ctx.deps.config.adminIds.includes(ctx.from?.id ?? 0)
    // Someone else's ticket is answered like a missing one, so numbers cannot be probed.
    if (!ticket || (ticket.reporterId !== ctx.from?.id && !isAdmin)) {
      await ctx.reply(ctx.t('status-not-found', { number }), replyTo)
      return
    }
    const events = await ctx.deps.tickets.listEvents(ticket.id)
    const locale: Locale = (await ctx.i18n.getLocale()) === 'en' ? 'en' : 'zh'
    const view = ticketStatusView(ticket, events, {
      t: ctx.t.bind(ctx),
      catalog: ctx.deps.catalog(),
      timezone: ctx.deps.config.timezone,
      locale,
      showContact: ctx.chat.type === 'private' && ticket.reporterId === ctx.from?.id,
    })
    await ctx.reply(view.text, { entities: view.entities, ...replyTo })
  })

  feature.command(['mine', 'wode'], async (ctx) => {
    const replyTo = ctx.chat.type !== 'private' ? { reply_parameters: { message_id: ctx.msg.message_id } } : {}
    const tickets = await ctx.deps.tickets.listByReporter(ctx.from?.id ?? 0, { limit: 10 })
    if (tickets.length === 0) {
      await ctx.reply(ctx.t('mine-empty'), replyTo)
      return
    }
    const locale: Locale = (await ctx.i18n.getLocale()) === 'en' ? 'en' : 'zh'
    const lines = tickets.map((ticket) => {
      const summary = ticket.summary.length > SUMMARY_IN_LIST ? `${ticket.summary.slice(0, SUMMARY_IN_LIST)}…` : ticket.summary
      const when = formatTime(ticket.createdAt, ctx.deps.config.timezone, locale)
      return `${ticket.number} · ${ctx.t(`ticket-status-${ticket.status}`)} · ${when}\n  ${summary}`
    })
    await ctx.reply(`${ctx.t('mine-title')}\n${lines.join('\n')}`, replyTo)
  })

  return feature
}
