import type { BotContext } from '#root/bot/context.js'
import type { TicketAction } from '#root/domain/lifecycle.js'
import type { Actor, Ticket } from '#root/domain/ticket.js'
import { extensionDependencies } from '#root/bot/features/extension.js'
import { createMembershipCache } from '#root/bot/helpers/membership.js'
import { displayName } from '#root/bot/helpers/names.js'
import { isAdmin } from '#root/bot/helpers/roles.js'
import { HANDLER_CALLBACK_PATTERN, handlerCallback, isCurrentPlace, renderCard } from '#root/bot/helpers/ticket-card.js'
import { formatTime } from '#root/bot/helpers/ticket-view.js'
import { answerPrivately, replyToCommand, viewPlaceOf } from '#root/bot/helpers/view-place.js'
import { DomainError } from '#root/domain/errors.js'
import { assertActionPossible, TICKET_ACTIONS } from '#root/domain/lifecycle.js'
import { fitLatestLines, fitText, MESSAGE_LIMIT } from '#root/domain/message-length.js'
import { parseTicketNumber } from '#root/domain/ticket-number.js'
import { isOpen } from '#root/domain/ticket.js'
import { ticketVisibility, visibleText } from '#root/privacy/visibility.js'
import { actOnTicket, addTicketEvent } from '#root/usecases/act-on-ticket.js'
import { EXTENSION_MAX_DAYS, parseExtensionRequest, requestExtension } from '#root/usecases/extension.js'
import { superviseCallback } from '#root/usecases/supervision.js'
import { fmt, FormattedString } from '@grammyjs/parse-mode'
import { Composer, InlineKeyboard } from 'grammy'

export const HANDLER_NOTE_MAX_LENGTH = 1000
const QUEUE_SUMMARY_MAX = 41

/** Actions whose note the reporter or the record needs: asked for with a force_reply prompt. */
const NEEDS_TEXT = new Set(['resolve', 'return', 'reassign', 'reject', 'note', 'ask', 'extend'])

/** What a card's buttons do besides the lifecycle's actions: a note, a question, asking for an extension (延期). */
type CardAction = TicketAction | 'note' | 'ask' | 'extend'
const isEventAction = (action: CardAction): action is 'note' | 'ask' | 'extend' => action === 'note' || action === 'ask' || action === 'extend'

/** A prompt waiting for a handler's reply, kept in the case store so a restart does not lose it. */
interface PendingPrompt {
  ticketId: number
  action: CardAction
  userId: number
  departmentIdTo: string | null
}

const promptKey = (chatId: number, messageId: number) => `prompt:${chatId}:${messageId}`

/**
 * Handlers work tickets from their cards: accept and start with one press; resolve, return, reassign, reject, a
 * progress note or a question for the reporter through a force_reply prompt. Only members of the ticket's current
 * group (asked of Telegram, cached briefly) and admins may act; the transition table decides what is possible.
 */
export function createHandlingFeature() {
  const feature = new Composer<BotContext>()
  const isMember = createMembershipCache()

  async function actorFor(ctx: BotContext, ticket: Ticket): Promise<Actor | null> {
    const user = ctx.from
    if (!user)
      return null
    const name = displayName(user)
    if (isAdmin(ctx))
      return { id: user.id, role: 'admin', name }
    const triage = ticket.status === 'needs_triage' || !ticket.departmentId
    const places = triage ? await ctx.deps.chats.list('admins') : await ctx.deps.chats.findHandlersOf(ticket.departmentId!)
    for (const place of places) {
      if (await isMember(ctx.api, place.chatId, user.id))
        return { id: user.id, role: place.kind === 'admins' ? 'admin' : 'handler', name }
    }
    return null
  }

  function explain(ctx: BotContext, error: unknown, ticket: Ticket): string {
    if (error instanceof DomainError)
      return ctx.t(`handling-error-${error.code}`, { status: ctx.t(`ticket-status-${(error.details.status as string | undefined) ?? ticket.status}`) })
    throw error
  }

  feature.callbackQuery(HANDLER_CALLBACK_PATTERN, async (ctx) => {
    const [, id, action, departmentId] = ctx.match as RegExpMatchArray
    const ticket = await ctx.deps.tickets.findById(Number(id))
    if (!ticket) {
      await ctx.answerCallbackQuery({ text: ctx.t('handling-not-found'), show_alert: true })
      return
    }
    const actor = await actorFor(ctx, ticket)
    if (!actor) {
      await ctx.answerCallbackQuery({ text: ctx.t('handling-not-allowed'), show_alert: true })
      return
    }
    const chosen = action as CardAction
    if (!isEventAction(chosen) && !(TICKET_ACTIONS as readonly string[]).includes(chosen)) {
      await ctx.answerCallbackQuery()
      return
    }
    try {
      // Checked before asking for a note, so nobody writes a resolution for a ticket that cannot be resolved.
      if (!isEventAction(chosen))
        assertActionPossible({ status: ticket.status, action: chosen, role: actor.role })
      else if (!isOpen(ticket.status))
        throw new DomainError('INVALID_TRANSITION', `no ${chosen} on a ${ticket.status} ticket`, { status: ticket.status })
      else if (chosen === 'extend' && ticket.resolveDueAt && (ctx.deps.now ?? (() => new Date()))() >= ticket.resolveDueAt)
        throw new DomainError('EXTENSION_TOO_LATE', 'the deadline has passed')
    }
    catch (error) {
      await ctx.answerCallbackQuery({ text: explain(ctx, error, ticket), show_alert: true })
      return
    }

    if ((chosen === 'reassign' || chosen === 'assign') && !departmentId) {
      const keyboard = new InlineKeyboard()
      for (const d of ctx.deps.catalog().departments.filter(d => d.id !== ticket.departmentId || chosen === 'assign'))
        keyboard.text(d.nameZh, handlerCallback(ticket.id, chosen, d.id)).row()
      await ctx.answerCallbackQuery()
      await ctx.reply(ctx.t('handling-choose-department', { number: ticket.number }), { reply_markup: keyboard })
      return
    }
    if (departmentId && !ctx.deps.catalog().departments.some(d => d.id === departmentId)) {
      await ctx.answerCallbackQuery({ text: ctx.t('bind-unknown-department', { id: departmentId }), show_alert: true })
      return
    }
    if (!isEventAction(chosen) && !NEEDS_TEXT.has(chosen)) {
      try {
        const { ticket: changed } = await actOnTicket(ctx.deps, { ticket, action: chosen, actor, departmentIdTo: departmentId ?? null })
        ctx.logger.info({ ticket: changed.number, action: chosen, status: changed.status, actor_role: actor.role }, 'ticket changed')
        await ctx.answerCallbackQuery({ text: ctx.t('handling-done', { number: changed.number, status: ctx.t(`ticket-status-${changed.status}`) }) })
        if (chosen === 'assign')
          await ctx.editMessageReplyMarkup().catch(() => undefined)
      }
      catch (error) {
        await ctx.answerCallbackQuery({ text: explain(ctx, error, ticket), show_alert: true })
      }
      return
    }
    const department = ctx.deps.catalog().departments.find(d => d.id === departmentId)
    const prompt = fmt`${FormattedString.mentionUser(actor.name ?? '', actor.id)} ${ctx.t(`handling-prompt-${chosen}`, { number: ticket.number, department: department?.nameZh ?? '' })}`
    const sent = await ctx.reply(prompt.text, {
      entities: prompt.entities,
      reply_markup: { force_reply: true, selective: true },
      ...(ctx.callbackQuery.message ? { reply_parameters: { message_id: ctx.callbackQuery.message.message_id, allow_sending_without_reply: true } } : {}),
    })
    const pending: PendingPrompt = { ticketId: ticket.id, action: chosen, userId: actor.id, departmentIdTo: departmentId ?? null }
    await ctx.deps.conversationStorage.write(promptKey(sent.chat.id, sent.message_id), pending)
    await ctx.answerCallbackQuery({ text: ctx.t('handling-prompt-sent') })
    if (chosen === 'reassign')
      await ctx.editMessageReplyMarkup().catch(() => undefined)
  })

  // A handler's reply to a prompt: the note that completes the action.
  feature.on('message', async (ctx, next) => {
    const repliedTo = ctx.msg.reply_to_message
    if (!repliedTo || repliedTo.from?.id !== ctx.me.id)
      return next()
    const key = promptKey(ctx.chat.id, repliedTo.message_id)
    const pending = await ctx.deps.conversationStorage.read(key) as PendingPrompt | undefined
    if (!pending)
      return next()
    const replyTo = { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } }
    if (pending.userId !== ctx.from.id) {
      await ctx.reply(ctx.t('handling-prompt-not-yours'), replyTo)
      return
    }
    const text = ctx.msg.text?.trim()
    if (!text) {
      await ctx.reply(ctx.t('handling-need-text'), replyTo)
      return
    }
    if ([...text].length > HANDLER_NOTE_MAX_LENGTH) {
      await ctx.reply(ctx.t('handling-note-too-long', { length: String([...text].length), max: String(HANDLER_NOTE_MAX_LENGTH) }), replyTo)
      return
    }
    const ticket = await ctx.deps.tickets.findById(pending.ticketId)
    const actor = ticket ? await actorFor(ctx, ticket) : null
    if (!ticket || !actor) {
      await ctx.deps.conversationStorage.delete(key)
      await ctx.reply(ctx.t(ticket ? 'handling-not-allowed' : 'handling-not-found'), replyTo)
      return
    }
    try {
      if (pending.action === 'extend') {
        const request = parseExtensionRequest(text)
        if (!request) {
          await ctx.reply(ctx.t('handling-extension-usage', { max: EXTENSION_MAX_DAYS }), replyTo)
          return
        }
        await requestExtension(extensionDependencies(ctx), { ticket, ...request, actor })
        await ctx.reply(ctx.t('handling-extension-sent', { number: ticket.number }), replyTo)
      }
      else if (pending.action === 'note' || pending.action === 'ask') {
        await addTicketEvent(ctx.deps, { ticket, event: { type: pending.action === 'ask' ? 'question' : 'note', note: text }, actor })
        await ctx.reply(ctx.t('handling-note-done', { number: ticket.number }), replyTo)
      }
      else {
        const { ticket: changed } = await actOnTicket(ctx.deps, { ticket, action: pending.action, actor, note: text, departmentIdTo: pending.departmentIdTo })
        ctx.logger.info({ ticket: changed.number, action: pending.action, status: changed.status, actor_role: actor.role }, 'ticket changed')
        await ctx.reply(ctx.t('handling-done', { number: changed.number, status: ctx.t(`ticket-status-${changed.status}`) }), replyTo)
      }
    }
    catch (error) {
      await ctx.reply(explain(ctx, error, ticket), replyTo)
    }
    await ctx.deps.conversationStorage.delete(key)
  })

  feature.command('ticket', async (ctx) => {
    const replyTo = replyToCommand(ctx)
    const number = parseTicketNumber(ctx.match)
    if (!number) {
      await ctx.reply(ctx.t('ticket-usage'), replyTo)
      return
    }
    const ticket = await ctx.deps.tickets.findByNumber(number)
    const actor = ticket ? await actorFor(ctx, ticket) : null
    if (!ticket || !actor) {
      await ctx.reply(ctx.t('status-not-found', { number }), replyTo)
      return
    }
    const viewer = actor.role === 'admin' ? 'admin' : 'handler'
    const here = ticketVisibility(await viewPlaceOf(ctx, ticket, viewer))
    const visibility = here.show ? here : ticketVisibility({ chat: 'private', viewer })
    const [events, outbox] = await Promise.all([ctx.deps.tickets.listEvents(ticket.id), ctx.deps.outbox.listForTicket(ticket.id)])
    const history = events.map((e) => {
      const what = e.toStatus ? ctx.t(`ticket-status-${e.toStatus}`) : ctx.t(`event-${e.type}`)
      const who = typeof e.data?.actorName === 'string' ? e.data.actorName : ctx.t(`role-${e.actorRole}`)
      return `· ${formatTime(e.createdAt, ctx.deps.config.timezone, 'zh')} ${what} · ${who}${e.note ? `：${visibleText(visibility, e.note)}` : ''}`
    })
    const heading = ctx.t('status-history')
    // The card takes at most half the message; the history the rest, latest entries first to stay.
    const card = renderCard({
      ticket,
      events,
      outbox,
      binding: null,
      catalog: ctx.deps.catalog(),
      timezone: ctx.deps.config.timezone,
      translate: ctx.deps.texts.translate,
      visibility,
      budget: MESSAGE_LIMIT / 2,
    })
    const kept = fitLatestLines(history, MESSAGE_LIMIT - card.text.length - heading.length - 3, count => ctx.t('history-earlier', { count }))
    const body = fmt`${card}

${FormattedString.bold(heading)}
${kept.join('\n')}`
    // A supervisor looking at an open ticket can 督办 it from here, as from /overdue.
    const keyboard = actor.role === 'admin' && isOpen(ticket.status)
      ? new InlineKeyboard().text(ctx.t('btn-supervise', { number: ticket.number }), superviseCallback(ticket.id))
      : undefined
    if (!here.show) {
      await answerPrivately(ctx, body, keyboard)
      return
    }
    await ctx.reply(body.text, { entities: body.entities, ...replyTo, ...(keyboard ? { reply_markup: keyboard } : {}) })
  })

  feature.command('queue', async (ctx) => {
    const replyTo = replyToCommand(ctx)
    const binding = ctx.chat.type === 'private' ? null : await ctx.deps.chats.find(ctx.chat.id)
    if (!binding || (binding.kind !== 'handlers' && binding.kind !== 'admins')) {
      await ctx.reply(ctx.t('queue-not-here'), replyTo)
      return
    }
    const open = await ctx.deps.tickets.listOpen(binding.kind === 'admins' ? null : binding.departmentId, { limit: 30 })
    if (open.length === 0) {
      await ctx.reply(ctx.t('queue-empty'), replyTo)
      return
    }
    const lines = open.map((t) => {
      const visibility = ticketVisibility({ chat: binding.kind, viewer: 'other', workedHere: isCurrentPlace(t, binding) })
      const summary = fitText(visibleText(visibility, t.summary), QUEUE_SUMMARY_MAX)
      return `${t.number} · ${ctx.t(`ticket-status-${t.status}`)} · ${ctx.t(`urgency-${t.urgency}`)} · ${formatTime(t.createdAt, ctx.deps.config.timezone, 'zh')}\n  ${summary}`
    })
    await ctx.reply(fitText(`${ctx.t('queue-title')}\n${lines.join('\n')}`, MESSAGE_LIMIT), replyTo)
  })

  return feature
}
