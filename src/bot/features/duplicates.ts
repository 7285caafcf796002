import type { BotContext } from '#root/bot/context.js'
import type { Actor, Ticket } from '#root/domain/ticket.js'
import type { DuplicateDependencies } from '#root/usecases/duplicates.js'
import { localeOf } from '#root/bot/helpers/locale.js'
import { categoryName, displayName } from '#root/bot/helpers/names.js'
import { isAdmin } from '#root/bot/helpers/roles.js'
import { replyToCommand } from '#root/bot/helpers/view-place.js'
import { DomainError } from '#root/domain/errors.js'
import { fitText, MESSAGE_LIMIT } from '#root/domain/message-length.js'
import { parseTicketNumber } from '#root/domain/ticket-number.js'
import { PUBLIC_SUMMARY, visibleText } from '#root/privacy/visibility.js'
import { hotProblems, mergeTickets, splitTicket } from '#root/usecases/duplicates.js'
import { Composer } from 'grammy'

/** Hot problems listed per area. */
const HOT_PER_AREA = 5
const HOT_SUMMARY_MAX = 40

/**
 * Duplicates (重复件): `/merge A B` merges ticket B into A (并案) and `/split B` undoes it, in the handlers' group of
 * the tickets' department or by an admin; `/hot [area]` lists the problems most people reported in the last 7 days,
 * in any chat, each ticket shown only as its public summary (number, category, status, redacted summary).
 */
export function createDuplicatesFeature(duplicates: DuplicateDependencies) {
  const feature = new Composer<BotContext>()

  /**
   * Who merges: an admin (named in the configuration, or in the admins' group), or a handler in the handlers' group of
   * the department every ticket concerned belongs to. Typing the command in the group shows they are its member.
   */
  async function mergerFor(ctx: BotContext, tickets: readonly Ticket[]): Promise<{ actor: Actor } | { refusal: string }> {
    const user = ctx.from!
    const name = displayName(user)
    if (isAdmin(ctx))
      return { actor: { id: user.id, role: 'admin', name } }
    const binding = ctx.chat?.type === 'private' ? null : await ctx.deps.chats.find(ctx.chat!.id)
    if (binding?.kind === 'admins')
      return { actor: { id: user.id, role: 'admin', name } }
    if (binding?.kind !== 'handlers')
      return { refusal: ctx.t('merge-not-here') }
    const foreign = tickets.find(t => t.departmentId !== binding.departmentId || t.status === 'needs_triage')
    if (foreign)
      return { refusal: ctx.t('merge-not-allowed', { number: foreign.number }) }
    return { actor: { id: user.id, role: 'handler', name } }
  }

  function explain(ctx: BotContext, error: unknown): string {
    if (!(error instanceof DomainError))
      throw error
    const status = typeof error.details.status === 'string' ? ctx.t(`ticket-status-${error.details.status}`) : ''
    return ctx.t(`handling-error-${error.code}`, { status })
  }

  feature.command(['merge', 'bingan'], async (ctx) => {
    const replyTo = replyToCommand(ctx)
    const numbers = ctx.match.trim().split(/\s+/).map(parseTicketNumber)
    if (numbers.length !== 2 || numbers.includes(null)) {
      await ctx.reply(ctx.t('merge-usage'), replyTo)
      return
    }
    const [target, source] = await Promise.all(numbers.map(n => ctx.deps.tickets.findByNumber(n!)))
    if (!target || !source) {
      await ctx.reply(ctx.t('status-not-found', { number: (target ? numbers[1] : numbers[0])! }), replyTo)
      return
    }
    const allowed = await mergerFor(ctx, [target, source])
    if ('refusal' in allowed) {
      await ctx.reply(allowed.refusal, replyTo)
      return
    }
    try {
      const merged = await mergeTickets(duplicates, { target, source, actor: allowed.actor })
      ctx.logger.info({ target: target.number, source: source.number, people: merged.people.length }, 'tickets merged')
      await ctx.reply(ctx.t('merge-done', { source: source.number, target: target.number, people: merged.people.length }), replyTo)
    }
    catch (error) {
      await ctx.reply(explain(ctx, error), replyTo)
    }
  })

  feature.command(['split', 'chaian'], async (ctx) => {
    const replyTo = replyToCommand(ctx)
    const number = parseTicketNumber(ctx.match)
    if (!number) {
      await ctx.reply(ctx.t('split-usage'), replyTo)
      return
    }
    const source = await ctx.deps.tickets.findByNumber(number)
    if (!source) {
      await ctx.reply(ctx.t('status-not-found', { number }), replyTo)
      return
    }
    if (source.status !== 'merged' || !source.mergedIntoId) {
      await ctx.reply(ctx.t('handling-error-NOT_MERGED'), replyTo)
      return
    }
    const target = await ctx.deps.tickets.findById(source.mergedIntoId)
    // Either department may undo it: the one that merged, or the one whose ticket went in by mistake.
    const byTarget = await mergerFor(ctx, [target ?? source])
    const allowed = 'refusal' in byTarget ? await mergerFor(ctx, [source]) : byTarget
    if ('refusal' in allowed) {
      await ctx.reply(allowed.refusal, replyTo)
      return
    }
    try {
      const split = await splitTicket(duplicates, { source, actor: allowed.actor })
      ctx.logger.info({ target: split.target.number, source: split.source.number, people: split.people.length }, 'merge split')
      await ctx.reply(ctx.t('split-done', {
        source: split.source.number,
        target: split.target.number,
        status: ctx.t(`ticket-status-${split.source.status}`),
        people: split.people.length,
      }), replyTo)
    }
    catch (error) {
      await ctx.reply(explain(ctx, error), replyTo)
    }
  })

  feature.command(['hot', 'redian'], async (ctx) => {
    const replyTo = replyToCommand(ctx)
    const binding = ctx.chat.type === 'private' ? null : await ctx.deps.chats.find(ctx.chat.id)
    const asked = ctx.match.trim()
    // A residents' group asks about its own area unless it names another.
    const areaName = asked || (binding?.kind === 'residents' ? binding.areaName ?? undefined : undefined)
    const areas = await hotProblems(duplicates, { ...(areaName ? { areaName } : {}), perArea: HOT_PER_AREA })
    if (areas.length === 0) {
      await ctx.reply(ctx.t('hot-empty'), replyTo)
      return
    }
    const locale = await localeOf(ctx)
    const catalog = ctx.deps.catalog()
    const blocks = areas.map(({ areaName: area, problems }) => [
      area ? ctx.t('hot-area', { area }) : ctx.t('hot-area-none'),
      ...problems.map(({ ticket, reporters }, index) => `${ctx.t('hot-line', {
        rank: index + 1,
        number: ticket.number,
        category: categoryName(catalog, ticket.categoryId, locale),
        status: ctx.t(`ticket-status-${ticket.status}`),
        reporters,
      })}\n  ${fitText(visibleText(PUBLIC_SUMMARY, ticket.summary), HOT_SUMMARY_MAX)}`),
    ].join('\n'))
    await ctx.reply(fitText(`${ctx.t('hot-title')}\n\n${blocks.join('\n\n')}`, MESSAGE_LIMIT), replyTo)
  })

  return feature
}
