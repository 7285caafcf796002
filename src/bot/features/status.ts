import type { BotContext } from '#root/bot/context.js'
import type { TicketEventType } from '#root/domain/ticket.js'
import { localeOf } from '#root/bot/helpers/locale.js'
import { isAdmin } from '#root/bot/helpers/roles.js'
import { formatTime, ticketStatusView } from '#root/bot/helpers/ticket-view.js'
import { answerPrivately, replyToCommand, viewPlaceOf } from '#root/bot/helpers/view-place.js'
import { fitText, MESSAGE_LIMIT } from '#root/domain/message-length.js'
import { parseTicketNumber } from '#root/domain/ticket-number.js'
import { PUBLIC_SUMMARY, ticketVisibility, visibleText } from '#root/privacy/visibility.js'
import { Composer } from 'grammy'

const SUMMARY_IN_LIST = 30
const FOLLOWERS_EVENTS = new Set<TicketEventType>(['joined', 'merge_received', 'split_released', 'follower_rated'])

/**
 * `/status NUMBER` and `/mine`: a resident sees their own tickets only. What each chat may see is the visibility
 * rule's: a group never shows contact data or unredacted text, and a view a group may not read goes privately.
 */
export function createStatusFeature() {
  const feature = new Composer<BotContext>()

  feature.command(['status', 'chaxun'], async (ctx) => {
    const replyTo = replyToCommand(ctx)
    const number = parseTicketNumber(ctx.match)
    if (!number) {
      await ctx.reply(ctx.t('status-usage'), replyTo)
      return
    }
    const ticket = await ctx.deps.tickets.findByNumber(number)
    const admin = isAdmin(ctx)
    const follower = Boolean(ticket && ctx.from && ticket.reporterId !== ctx.from.id && !admin
      && await ctx.deps.duplicates?.followers.isFollower(ticket.id, ctx.from.id))
    // Someone else's ticket is answered like a missing one, so numbers cannot be probed.
    if (!ticket || (ticket.reporterId !== ctx.from?.id && !admin && !follower)) {
      await ctx.reply(ctx.t('status-not-found', { number }), replyTo)
      return
    }
    const events = await ctx.deps.tickets.listEvents(ticket.id)
    if (follower) {
      // A resident who joined sees the ticket as anyone may (its public summary) and the handlers' steps, never the
      // reporter's own words or replies.
      const view = ticketStatusView(ticket, events.filter(e => e.actorRole !== 'reporter' && !FOLLOWERS_EVENTS.has(e.type)), {
        t: ctx.t.bind(ctx),
        catalog: ctx.deps.catalog(),
        timezone: ctx.deps.config.timezone,
        locale: await localeOf(ctx),
        visibility: PUBLIC_SUMMARY,
      })
      await ctx.reply(view.text, { entities: view.entities, ...replyTo })
      return
    }
    const locale = await localeOf(ctx)
    const viewer = ticket.reporterId === ctx.from?.id ? 'reporter' : 'admin'
    const here = ticketVisibility(await viewPlaceOf(ctx, ticket, viewer))
    // Neighbours joining and their ratings are the handlers' business; the reporter's history keeps to their ticket's steps.
    const view = ticketStatusView(ticket, events.filter(e => !FOLLOWERS_EVENTS.has(e.type)), {
      t: ctx.t.bind(ctx),
      catalog: ctx.deps.catalog(),
      timezone: ctx.deps.config.timezone,
      locale,
      visibility: here.show ? here : ticketVisibility({ chat: 'private', viewer }),
    })
    if (!here.show) {
      await answerPrivately(ctx, view)
      return
    }
    await ctx.reply(view.text, { entities: view.entities, ...replyTo })
  })

  feature.command(['mine', 'wode'], async (ctx) => {
    const replyTo = replyToCommand(ctx)
    const tickets = await ctx.deps.tickets.listByReporter(ctx.from?.id ?? 0, { limit: 10 })
    const joined = await ctx.deps.duplicates?.followers.listFollowedBy(ctx.from?.id ?? 0, { limit: 10 }) ?? []
    if (tickets.length === 0 && joined.length === 0) {
      await ctx.reply(ctx.t('mine-empty'), replyTo)
      return
    }
    const locale = await localeOf(ctx)
    // The list is the reporter's own; a group sees it as it sees any of their tickets, a handlers' group not at all.
    const places = await Promise.all(tickets.map(ticket => viewPlaceOf(ctx, ticket, 'reporter')))
    const visibilities = places.map(place => ticketVisibility(place))
    const privately = visibilities.some(v => !v.show)
    const lines = tickets.map((ticket, index) => {
      const visibility = privately ? ticketVisibility({ chat: 'private', viewer: 'reporter' }) : visibilities[index]!
      const summary = fitText(visibleText(visibility, ticket.summary), SUMMARY_IN_LIST + 1)
      const when = formatTime(ticket.createdAt, ctx.deps.config.timezone, locale)
      return `${ticket.number} · ${ctx.t(`ticket-status-${ticket.status}`)} · ${when}\n  ${summary}`
    })
    // Tickets they joined ("me too") are someone else's: shown as anyone may see them, in any chat.
    const joinedLines = joined.map(ticket => `${ticket.number} · ${ctx.t(`ticket-status-${ticket.status}`)}\n  ${fitText(visibleText(PUBLIC_SUMMARY, ticket.summary), SUMMARY_IN_LIST + 1)}`)
    const text = fitText([
      ...(lines.length > 0 ? [`${ctx.t('mine-title')}\n${lines.join('\n')}`] : []),
      ...(joinedLines.length > 0 ? [`${ctx.t('mine-joined-title')}\n${joinedLines.join('\n')}`] : []),
    ].join('\n\n'), MESSAGE_LIMIT)
    if (privately) {
      await answerPrivately(ctx, { text, entities: [] })
      return
    }
    await ctx.reply(text, replyTo)
  })

  return feature
}
