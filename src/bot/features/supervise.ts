import type { BotContext } from '#root/bot/context.js'
import type { Ticket } from '#root/domain/ticket.js'
import type { SuperviseDependencies } from '#root/usecases/supervision.js'
import { createMembershipCache } from '#root/bot/helpers/membership.js'
import { displayName } from '#root/bot/helpers/names.js'
import { isAdmin } from '#root/bot/helpers/roles.js'
import { replyToCommand } from '#root/bot/helpers/view-place.js'
import { DomainError } from '#root/domain/errors.js'
import { fitText } from '#root/domain/message-length.js'
import { parseTicketNumber } from '#root/domain/ticket-number.js'
import { SUPERVISE_CALLBACK_PATTERN, superviseTicket } from '#root/usecases/supervision.js'
import { Composer } from 'grammy'

/** A reason is quoted in the handlers' notice and on the card: kept short. */
const REASON_MAX = 300
const DEFAULT_REPEAT_AFTER_MS = 3_600_000

/** `HY-20261203-0001 请今天内答复`: the ticket number, then the reason. */
export function parseSuperviseCommand(text: string): { number: string, reason: string } | null {
  const trimmed = text.trim()
  const gap = trimmed.search(/\s/)
  const number = parseTicketNumber(gap < 0 ? trimmed : trimmed.slice(0, gap))
  if (!number)
    return null
  return { number, reason: gap < 0 ? '' : trimmed.slice(gap).trim() }
}

function superviseDependencies(ctx: BotContext): SuperviseDependencies {
  return { ...ctx.deps, repeatAfterMs: ctx.deps.superviseRepeatAfterMs ?? DEFAULT_REPEAT_AFTER_MS, now: ctx.deps.now ?? (() => new Date()) }
}

/**
 * 督办 by a supervisor: `/supervise HY-… reason` in the admins' group (or privately, by an admin named in the
 * configuration), or the 督办 buttons under `/overdue` and under an escalation. The ticket gets a `supervised` event with the reason, its
 * handlers' groups a notice, its card the step; a second 督办 within SUPERVISE_REPEAT_MINUTES is refused.
 */
export function createSuperviseFeature() {
  const feature = new Composer<BotContext>()
  const isMember = createMembershipCache()

  /** The outcome as a short text for the supervisor. */
  async function supervise(ctx: BotContext, ticket: Ticket, reason: string): Promise<{ done: boolean, text: string }> {
    const deps = superviseDependencies(ctx)
    try {
      await superviseTicket(deps, { ticket, reason, actor: { id: ctx.from!.id, role: 'admin', name: displayName(ctx.from!) } })
      return { done: true, text: ctx.t('supervise-done', { number: ticket.number }) }
    }
    catch (error) {
      if (!(error instanceof DomainError))
        throw error
      if (error.code === 'SUPERVISED_RECENTLY') {
        const at = typeof error.details.at === 'string' ? new Date(error.details.at).getTime() : deps.now().getTime()
        const minutes = Math.max(1, Math.ceil((at + deps.repeatAfterMs - deps.now().getTime()) / 60_000))
        return { done: false, text: ctx.t('supervise-too-soon', { number: ticket.number, minutes }) }
      }
      return { done: false, text: ctx.t('supervise-not-open', { number: ticket.number }) }
    }
  }

  feature.command(['supervise', 'duban'], async (ctx) => {
    const replyTo = replyToCommand(ctx)
    const binding = ctx.chat.type === 'private' ? null : await ctx.deps.chats.find(ctx.chat.id)
    if (binding?.kind !== 'admins' && !(ctx.chat.type === 'private' && isAdmin(ctx))) {
      await ctx.reply(ctx.t('supervise-not-allowed'), replyTo)
      return
    }
    const parsed = parseSuperviseCommand(ctx.match)
    if (!parsed || !parsed.reason) {
      await ctx.reply(ctx.t('supervise-usage'), replyTo)
      return
    }
    const ticket = await ctx.deps.tickets.findByNumber(parsed.number)
    if (!ticket) {
      await ctx.reply(ctx.t('supervise-not-found', { number: parsed.number }), replyTo)
      return
    }
    await ctx.reply((await supervise(ctx, ticket, fitText(parsed.reason, REASON_MAX))).text, replyTo)
  })

  feature.callbackQuery(SUPERVISE_CALLBACK_PATTERN, async (ctx) => {
    const [, ticketId] = ctx.match as RegExpMatchArray
    const binding = ctx.chat ? await ctx.deps.chats.find(ctx.chat.id) : null
    const supervisor = isAdmin(ctx) || (binding?.kind === 'admins' && await isMember(ctx.api, binding.chatId, ctx.from.id))
    if (!supervisor) {
      await ctx.answerCallbackQuery({ text: ctx.t('supervise-not-allowed'), show_alert: true })
      return
    }
    const ticket = await ctx.deps.tickets.findById(Number(ticketId))
    if (!ticket) {
      await ctx.answerCallbackQuery({ text: ctx.t('handling-not-found'), show_alert: true })
      return
    }
    const outcome = await supervise(ctx, ticket, ctx.t('supervise-default-reason'))
    // A refused press is answered as an alert, so that the supervisor sees why nothing was sent.
    await ctx.answerCallbackQuery({ text: outcome.text, show_alert: !outcome.done }).catch(() => undefined)
  })

  return feature
}
