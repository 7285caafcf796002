import type { BotContext } from '#root/bot/context.js'
import type { ExtensionDependencies } from '#root/usecases/extension.js'
import { createMembershipCache } from '#root/bot/helpers/membership.js'
import { displayName } from '#root/bot/helpers/names.js'
import { isAdmin } from '#root/bot/helpers/roles.js'
import { DomainError } from '#root/domain/errors.js'
import { decideExtension, EXTENSION_CALLBACK_PATTERN } from '#root/usecases/extension.js'
import { Composer } from 'grammy'

/** What the extension use cases need, from the bot's dependencies. */
export function extensionDependencies(ctx: BotContext): ExtensionDependencies {
  const { extendDeadline, now } = ctx.deps
  if (!extendDeadline)
    throw new Error('extensions need the working calendar (extendDeadline) in the bot\'s dependencies')
  return { ...ctx.deps, timezone: ctx.deps.config.timezone, extendDeadline, now: now ?? (() => new Date()) }
}

/**
 * A supervisor decides an extension request (延期) with the buttons under it in the admins' group: admins named in
 * the configuration and members of that group may. Each request is decided once; the buttons go away after.
 */
export function createExtensionFeature() {
  const feature = new Composer<BotContext>()
  const isMember = createMembershipCache()

  feature.callbackQuery(EXTENSION_CALLBACK_PATTERN, async (ctx) => {
    const [, ticketId, requestId, decision] = ctx.match as RegExpMatchArray
    const user = ctx.from
    const binding = ctx.chat ? await ctx.deps.chats.find(ctx.chat.id) : null
    const supervisor = isAdmin(ctx) || (binding?.kind === 'admins' && await isMember(ctx.api, binding.chatId, user.id))
    if (!supervisor) {
      await ctx.answerCallbackQuery({ text: ctx.t('extension-not-allowed'), show_alert: true })
      return
    }
    const ticket = await ctx.deps.tickets.findById(Number(ticketId))
    if (!ticket) {
      await ctx.answerCallbackQuery({ text: ctx.t('handling-not-found'), show_alert: true })
      return
    }
    try {
      const approve = decision === 'approve'
      await decideExtension(extensionDependencies(ctx), { ticket, requestId: Number(requestId), approve, actor: { id: user.id, role: 'admin', name: displayName(user) } })
      await ctx.answerCallbackQuery({ text: ctx.t(approve ? 'extension-approved' : 'extension-refused', { number: ticket.number }) })
    }
    catch (error) {
      if (!(error instanceof DomainError))
        throw error
      await ctx.answerCallbackQuery({ text: ctx.t('extension-decided-already'), show_alert: true })
    }
    await ctx.editMessageReplyMarkup().catch(() => undefined)
  })

  return feature
}
