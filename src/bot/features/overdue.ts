import type { BotContext } from '#root/bot/context.js'
import { departmentName } from '#root/bot/helpers/names.js'
import { isAdmin } from '#root/bot/helpers/roles.js'
import { replyToCommand } from '#root/bot/helpers/view-place.js'
import { timeLeft } from '#root/domain/deadlines.js'
import { fitText, MESSAGE_LIMIT } from '#root/domain/message-length.js'
import { ticketVisibility, visibleText } from '#root/privacy/visibility.js'
import { superviseCallback } from '#root/usecases/supervision.js'
import { Composer, InlineKeyboard } from 'grammy'

const OVERDUE_LISTED = 50
const SUMMARY_MAX = 31
const SUPERVISE_BUTTONS = 10

/**
 * `/overdue` in the admins' group: open tickets past their completion deadline, by department, the longest overdue
 * first, with 督办 buttons for the first of them. Read through the index on status and due time, never the event history.
 */
export function createOverdueFeature() {
  const feature = new Composer<BotContext>()

  feature.command(['overdue', 'chaoqi'], async (ctx) => {
    const replyTo = replyToCommand(ctx)
    const binding = ctx.chat.type === 'private' ? null : await ctx.deps.chats.find(ctx.chat.id)
    if (binding?.kind !== 'admins' && !(ctx.chat.type === 'private' && isAdmin(ctx))) {
      await ctx.reply(ctx.t('overdue-not-here'), replyTo)
      return
    }
    const now = (ctx.deps.now ?? (() => new Date()))()
    const overdue = await ctx.deps.tickets.listOverdue(now, { limit: OVERDUE_LISTED })
    if (overdue.length === 0) {
      await ctx.reply(ctx.t('overdue-none'), replyTo)
      return
    }
    const catalog = ctx.deps.catalog()
    const visibility = ticketVisibility({ chat: 'admins', viewer: 'admin', workedHere: true })
    const lines: string[] = [ctx.t('overdue-title', { count: overdue.length })]
    let department: string | null | undefined
    for (const ticket of overdue) {
      if (ticket.departmentId !== department) {
        department = ticket.departmentId
        lines.push(`【${departmentName(catalog, department, 'zh')}】`)
      }
      const late = timeLeft(ticket.resolveDueAt!, now)
      lines.push(ctx.t('overdue-line', {
        number: ticket.number,
        status: ctx.t(`ticket-status-${ticket.status}`),
        days: late.days,
        hours: late.hours,
        summary: fitText(visibleText(visibility, ticket.summary), SUMMARY_MAX),
      }))
    }
    // A 督办 button for the longest overdue of each department first, as far as a keyboard stays readable.
    const keyboard = new InlineKeyboard()
    for (const [index, ticket] of overdue.slice(0, SUPERVISE_BUTTONS).entries()) {
      keyboard.text(ctx.t('btn-supervise', { number: ticket.number }), superviseCallback(ticket.id))
      if (index % 2 === 1)
        keyboard.row()
    }
    await ctx.reply(fitText(lines.join('\n'), MESSAGE_LIMIT), { ...replyTo, reply_markup: keyboard })
  })

  return feature
}
