import type { BotContext, BotDependencies, ConversationContext } from '#root/bot/context.js'
import type { KeyValueStorage } from '#root/store/conversation-storage.js'
import type { ConversationData, VersionedState } from '@grammyjs/conversations'
import type { UserFromGetMe } from 'grammy/types'
import { chatUserKey } from '#root/bot/chat-user-key.js'
import { createAdminFeature } from '#root/bot/features/admin.js'
import { createDuplicatesFeature } from '#root/bot/features/duplicates.js'
import { createExtensionFeature } from '#root/bot/features/extension.js'
import { createFollowUpFeature } from '#root/bot/features/follow-up.js'
import { createHandlingFeature } from '#root/bot/features/handling.js'
import { createHelpFeature } from '#root/bot/features/help.js'
import { createMonthlyFeature } from '#root/bot/features/monthly.js'
import { createOverdueFeature } from '#root/bot/features/overdue.js'
import { createCancelFeature, createReportFeature } from '#root/bot/features/report.js'
import { createReporterRepliesFeature } from '#root/bot/features/reporter-replies.js'
import { createStatsFeature } from '#root/bot/features/stats.js'
import { createStatusFeature } from '#root/bot/features/status.js'
import { createSuperviseFeature } from '#root/bot/features/supervise.js'
import { createUnhandledFeature } from '#root/bot/features/unhandled.js'
import { createVisitsFeature } from '#root/bot/features/visits.js'
import { errorHandler } from '#root/bot/handlers/error.js'
import { createI18n } from '#root/bot/i18n.js'
import { attachDependencies } from '#root/bot/middlewares/attach-dependencies.js'
import { rememberResidents } from '#root/bot/middlewares/remember-residents.js'
import { conversations } from '@grammyjs/conversations'
import { Bot } from 'grammy'

/** Bump when the report conversation's steps change: stored half-finished reports of another version are dropped. */
export const CONVERSATION_STORAGE_VERSION = 3

export interface CreateBotOptions {
  apiRoot?: string
  /** Skips getMe at start; tests and benchmarks pass the fake server's. */
  botInfo?: UserFromGetMe
  /**
   * The HTTP client of the bot's calls (see telegram-fetch.ts): sends paced within Telegram's limits, 429s waited
   * out. Given in the client options, it applies inside conversations too, whose plugin builds an Api per update.
   */
  fetch?: typeof fetch
}

/**
 * Builds the bot. The middleware order is the whole story of an update, read top to bottom. Around it (app.ts):
 * 1. receiving (src/runtime): every update is written to the inbox on disk before Telegram is told it arrived;
 * 2. sequentializing: the dispatcher handles updates concurrently (BOT_CONCURRENCY) across people and chats and one
 *    after the other for each person in each chat, trying an update again when it failed for a passing reason;
 * 3. per update (src/bot/update-scope.ts): conversation state is kept only if the whole update succeeded;
 * 4. throttling (src/bot/telegram-fetch.ts): every call to Telegram waits for its chat's send budget and waits out
 *    429s, inside conversations too.
 */
export function createBot(token: string, deps: BotDependencies, options: CreateBotOptions = {}): Bot<BotContext> {
  const bot = new Bot<BotContext>(token, {
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
    client: {
      ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    },
  })

  bot.use(attachDependencies(deps))
  const protectedBot = bot.errorBoundary(errorHandler)
  protectedBot.use(createI18n<BotContext>())
  protectedBot.use(rememberResidents())
  protectedBot.use(conversations<BotContext, ConversationContext>({
    storage: {
      type: 'key',
      version: CONVERSATION_STORAGE_VERSION,
      // Per chat AND user: two residents reporting at once in one group must never share a conversation.
      // The dispatcher handles updates in order by the same key (src/runtime/update-dispatcher.ts).
      getStorageKey: ctx => (ctx.chat && ctx.from ? chatUserKey(ctx.chat.id, ctx.from.id) : undefined),
      prefix: 'conversation:',
      adapter: deps.conversationStorage as KeyValueStorage<VersionedState<ConversationData>>,
    },
    plugins: [
      (ctx, next) => {
        ctx.deps = deps
        ctx.logger = deps.logger
        return next()
      },
      createI18n<ConversationContext>(),
    ],
  }))

  // Commands that work at any step of a report come before the conversation.
  protectedBot.use(createCancelFeature())
  protectedBot.use(createHelpFeature())
  protectedBot.use(createStatusFeature())
  protectedBot.use(createAdminFeature())
  protectedBot.use(createStatsFeature())
  if (deps.duplicates)
    protectedBot.use(createDuplicatesFeature(deps.duplicates))
  // Before the report: its catch-all for stale report buttons would otherwise take the visit dialog's presses.
  if (deps.campaign)
    protectedBot.use(createVisitsFeature(deps.campaign, { timezone: deps.config.timezone }))
  // The report conversation takes replies to its own questions; replies to other bot messages (a handler's prompt, a
  // department's question, the follow-up) pass on to the features that sent them.
  protectedBot.use(createReportFeature(deps))
  protectedBot.use(createHandlingFeature())
  protectedBot.use(createExtensionFeature())
  protectedBot.use(createOverdueFeature())
  protectedBot.use(createSuperviseFeature())
  if (deps.monthly)
    protectedBot.use(createMonthlyFeature(deps.monthly))
  protectedBot.use(createReporterRepliesFeature())
  protectedBot.use(createFollowUpFeature())
  protectedBot.use(createUnhandledFeature())
  return bot
}
