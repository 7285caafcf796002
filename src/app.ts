import type { BotContext } from '#root/bot/context.js'
import type { SendBudget } from '#root/bot/telegram-fetch.js'
import type { Classifier } from '#root/classify/classification.js'
import type { CorrectionMemory } from '#root/classify/correction-memory.js'
import type { Config } from '#root/config.js'
import type { AreaTree } from '#root/domain/area.js'
import type { Catalog } from '#root/domain/catalog.js'
import type { TicketStatus } from '#root/domain/ticket.js'
import type { Logger } from '#root/logger.js'
import type { OutboxWorker } from '#root/notify/outbox-worker.js'
import type { HttpServer } from '#root/runtime/http-server.js'
import type { Receiver, UpdateType } from '#root/runtime/long-polling.js'
import type { UpdateHandler } from '#root/runtime/update-dispatcher.js'
import type { Database } from '#root/store/database.js'
import type { NotificationTexts } from '#root/usecases/notifications.js'
import type { Bot } from 'grammy'
import type { Update, UserFromGetMe } from 'grammy/types'
import { createDeliver } from '#root/bot/delivery.js'
import { createI18n } from '#root/bot/i18n.js'
import { createBot } from '#root/bot/index.js'
import { createPacedFetch } from '#root/bot/telegram-fetch.js'
import { createScopedStorage, handleUpdateInScope } from '#root/bot/update-scope.js'
import { createCampaign } from '#root/campaign.js'
import { loadCatalogFile } from '#root/catalog/catalog-file.js'
import { loadDeadlineRules, loadWorkingCalendar } from '#root/catalog/deadline-files.js'
import { loadScoreWeights } from '#root/catalog/monthly-weights-file.js'
import { createCorrectionMemory } from '#root/classify/correction-memory.js'
import { createFallbackClassifier } from '#root/classify/fallback-classifier.js'
import { createCategoryChooser, createOfflineClassifier } from '#root/classify/offline-classifier.js'
import { createOpenAiClassifier } from '#root/classify/openai-classifier.js'
import { loadPrompt } from '#root/classify/prompts.js'
import { districtOf } from '#root/domain/area.js'
import { dueTimes, extendDue } from '#root/domain/deadlines.js'
import { createWorkingCalendar, uncoveredYears } from '#root/domain/working-calendar.js'
import { loadNotoSansSc } from '#root/monthly/cjk-font.js'
import { createOutboxWorker, SEND_TIMEOUT_MS } from '#root/notify/outbox-worker.js'
import { createPeriodicTask } from '#root/notify/periodic-task.js'
import { openSendJournal, sendJournalPathFor } from '#root/notify/send-journal.js'
import { SendRateLimiter } from '#root/notify/send-rate-limiter.js'
import { createHealthCheck } from '#root/runtime/health.js'
import { startHttpServer } from '#root/runtime/http-server.js'
import { startLongPolling } from '#root/runtime/long-polling.js'
import { callUntilAnswered, createTelegramLink } from '#root/runtime/telegram-link.js'
import { createUpdateDispatcher } from '#root/runtime/update-dispatcher.js'
import { createFileUpdateInbox } from '#root/runtime/update-inbox.js'
import { createCatalogStore } from '#root/store/catalog-store.js'
import { createChatStore } from '#root/store/chat-store.js'
import { createConversationStorage } from '#root/store/conversation-storage.js'
import { openDatabase } from '#root/store/database.js'
import { createModelCaseStore } from '#root/store/model-case-store.js'
import { createMonthlyFiguresStore } from '#root/store/monthly-figures-store.js'
import { createOutboxStore } from '#root/store/outbox-store.js'
import { createFileReportSpool } from '#root/store/report-spool.js'
import { createResidentStore } from '#root/store/resident-store.js'
import { withRetry } from '#root/store/retry.js'
import { createRoutingCorrectionStore } from '#root/store/routing-correction-store.js'
import { createStatsStore } from '#root/store/stats-store.js'
import { createThreadedFiguresStore } from '#root/store/threaded-figures-store.js'
import { createTicketFollowerStore } from '#root/store/ticket-follower-store.js'
import { createTicketStore } from '#root/store/ticket-store.js'
import { addTicketEvent, routeNewTicket } from '#root/usecases/act-on-ticket.js'
import { createSpoolDrainer, drainReportSpool } from '#root/usecases/drain-report-spool.js'
import { createRoutingLearner } from '#root/usecases/learn-from-corrections.js'
import { logRoutingGaps } from '#root/usecases/routing-gaps.js'
import { createSubmitReport, storeReport } from '#root/usecases/submit-report.js'
import { chaseDeadlines, closeUnrated, warnUncoveredCalendar } from '#root/usecases/supervision.js'
import { Api } from 'grammy'
import OpenAI from 'openai'

/** How long stopping waits for the updates in hand; what is left is handled again at the next start. */
export const STOP_WAIT_MS = 8_000
/** How long the first call to Telegram may take before the log says it cannot be reached. */
const STARTUP_PROBE_TIMEOUT_MS = 5_000
const ALLOWED_UPDATES: UpdateType[] = ['message', 'edited_message', 'callback_query', 'my_chat_member']

export interface App {
  bot: Bot<BotContext>
  database: Database
  catalog: Catalog
  /**
   * Handles what the inbox kept from before, then receives updates (long polling, or a webhook when configured);
   * resolves once receiving. Waits as long as Telegram cannot be reached, saying so once in the log.
   */
  start: () => Promise<void>
  /** Resolves when every update received so far has been handled (for tests and benchmarks). */
  idle: () => Promise<void>
  /** Settles when receiving ends: rejects when it failed for good (the process should exit non-zero). */
  readonly receiving: Promise<void>
  /** The port of the HTTP server (webhook and /healthz), when there is one. */
  readonly httpPort: number | undefined
  /** Stops receiving, lets the updates in hand finish (for a bounded time), stops the outbox, closes the database. */
  stop: () => Promise<void>
  /** Runs a round of the deadline scheduler now (chase steps, unrated tickets); resolves when it is done. */
  superviseNow: () => Promise<void>
}

export interface AppOptions {
  logger: Logger
  /** Skips getMe; for tests and benchmarks against a fake Bot API. */
  botInfo?: UserFromGetMe
  /** False keeps queued messages in the outbox (a test standing in for a crash before they were sent). */
  deliver?: boolean
  /** The clock of deadlines and the scheduler; tests move it. */
  now?: () => Date
}

/**
 * The composition root: configuration in, a running bot out. Every dependency is built here and passed down,
 * so tests run exactly this against fake Telegram and LLM servers.
 */
export async function createApp(config: Config, { logger, botInfo, deliver = true, now = () => new Date() }: AppOptions): Promise<App> {
  const database = await openDatabase(config.databaseUrl, { logger })
  try {
    const catalogStore = createCatalogStore(database)
    const synced = await catalogStore.sync(await loadCatalogFile(config.catalogFile))
    logger.info(synced, 'catalog loaded')
    const catalog = await catalogStore.load()

    const routingCorrections = createRoutingCorrectionStore(database)
    const corrections = createCorrectionMemory(await routingCorrections.listExamples())
    logger.info({ examples: corrections.size }, 'routing corrections loaded')
    const classifier = await createClassifier(config, catalog, logger, corrections)
    const deadlineRules = await loadDeadlineRules(config.deadlines.rulesFile)
    const scoreWeights = await loadScoreWeights(config.monthlyWeightsFile)
    const workingCalendar = createWorkingCalendar(await loadWorkingCalendar(config.deadlines.calendarFile))
    const uncovered = uncoveredYears(workingCalendar, now(), config.timezone)
    if (uncovered.length > 0)
      logger.warn({ years: uncovered, file: config.deadlines.calendarFile }, 'the working calendar has no holiday schedule for these years: deadlines count Monday to Friday less the holidays fixed by date')
    // The area tree is loaded with the campaign below; a ticket stored before that keeps no district.
    let areaTree: AreaTree | undefined
    const tickets = createTicketStore(database, {
      timezone: config.timezone,
      now,
      districtOf: areaName => (areaTree ? districtOf(areaTree, areaName) : null),
      dueTimes: (ticket, at) => dueTimes(ticket, at, { rules: deadlineRules, calendar: workingCalendar, timezone: config.timezone }),
    })
    const chats = createChatStore(database)
    await logRoutingGaps({ chats, catalog: () => catalog, logger })
    const outbox = createOutboxStore(database)
    const spool = createFileReportSpool(config.spoolFile)
    const i18n = createI18n<BotContext>()
    const texts: NotificationTexts = {
      translate: (locale, key, variables) => i18n.t(locale, key, variables),
      catalog: () => catalog,
    }
    const wakeOutbox = () => outboxWorker.wake()
    const intake = {
      tickets,
      spool,
      catalog: () => catalog,
      minConfidence: config.classifyMinConfidence,
      logger,
      route: (departmentId: string | null, status: TicketStatus) => routeNewTicket({ chats }, { departmentId, status }),
      adminIds: config.adminIds,
      texts,
      wakeOutbox,
      onSpooled: () => spoolDrainer.wake(),
    }
    const submitReport = createSubmitReport(intake)
    const campaign = await createCampaign(config, database, logger, classifier, input => storeReport(intake, input))
    areaTree = campaign.areas()
    // On SQLite the figures run in a worker thread with a connection of its own: a month's aggregate at a million
    // tickets would otherwise hold the thread every chat is served on.
    const threadedFigures = database.provider === 'sqlite' ? createThreadedFiguresStore(config.databaseUrl, { timezone: config.timezone }) : null
    const conversationStorage = createScopedStorage(createConversationStorage(database, { logger }))
    const monthlyFigures = threadedFigures ?? createMonthlyFiguresStore(database, { timezone: config.timezone, areas: campaign.areas })
    const modelCases = createModelCaseStore(database)
    let chartFont: ReturnType<typeof loadNotoSansSc> | undefined
    const monthly = {
      report: {
        figures: monthlyFigures,
        modelCases,
        weights: scoreWeights,
        catalog: () => catalog,
        areas: campaign.areas,
        timezone: config.timezone,
      },
      modelCases,
      // Loaded at the first /monthly, not at every start.
      font: () => (chartFont ??= loadNotoSansSc()),
    }

    // The outbox sends with an Api of its own, without the paced client: it waits for the send budget and schedules
    // its retries itself, and must not block.
    // Its timeout stays below the outbox lease, so a message is never claimed again while its send may still land.
    const outboxApi = new Api(config.botToken, { apiRoot: config.telegramApiRoot, timeoutSeconds: SEND_TIMEOUT_MS / 1000 })
    // One budget per chat for every sender: a group's 20 messages a minute are shared by the conversations'
    // questions and the outbox's cards and echoes.
    const sendLimiter = new SendRateLimiter()
    const sendJournal = openSendJournal(sendJournalPathFor(config.inboxFile))
    const journalledBudget: SendBudget = {
      async acquire(chatId, count) {
        await sendLimiter.acquire(chatId, count)
        sendJournal.record(chatId, Date.now(), count)
      },
      pause: untilMs => sendLimiter.pause(untilMs),
    }
    const outboxWorker: OutboxWorker = createOutboxWorker({
      outbox,
      logger,
      limiter: sendLimiter,
      deliver: createDeliver({ api: outboxApi, tickets, chats, outbox, catalog: () => catalog, translate: texts.translate, timezone: config.timezone, now }),
      now: () => now().getTime(),
      onUndeliverable: async (message, reason) => {
        if (message.ticketId === null || message.payload.kind !== 'message')
          return
        const ticket = await tickets.findById(message.ticketId)
        if (ticket) {
          await addTicketEvent({ tickets, chats, texts, wakeOutbox }, {
            ticket,
            event: { type: 'delivery_failed', note: reason, data: { outboxId: message.id } },
            actor: { id: 0, role: 'system' },
          })
        }
      },
    })

    const bot = createBot(config.botToken, {
      config,
      logger,
      tickets,
      chats,
      outbox,
      stats: threadedFigures ?? createStatsStore(database),
      monthlyFigures,
      texts,
      wakeOutbox,
      routing: createRoutingLearner({ store: routingCorrections, memory: corrections, catalog: () => catalog, chooseCategory: createCategoryChooser(catalog), logger }),
      residents: createResidentStore(database),
      catalog: () => catalog,
      classifier,
      submitReport,
      conversationStorage,
      campaign,
      estimateSendWaitMs: chatId => sendLimiter.estimateWaitMs(chatId),
      extendDeadline: (dueAt, days) => extendDue(dueAt, days, workingCalendar, config.timezone),
      superviseRepeatAfterMs: config.deadlines.superviseRepeatAfterMs,
      now,
      duplicates: {
        tickets,
        followers: createTicketFollowerStore(database, { now }),
        chats,
        texts,
        wakeOutbox,
        threshold: config.duplicates.threshold,
        windowMs: config.duplicates.windowMs,
        now,
      },
      monthly,
    }, { apiRoot: config.telegramApiRoot, fetch: createPacedFetch({ budget: journalledBudget, logger }), ...(botInfo ? { botInfo } : {}) })

    // The effects of a handled update are out (messages sent); what is left is storing where its conversation
    // stands. Trying that again, rather than the whole update, spares the resident the same question twice.
    const commitState = (writes: Parameters<typeof conversationStorage.commit>[0]) =>
      withRetry(() => conversationStorage.commit(writes), {
        attempts: 8,
        baseDelayMs: 250,
        maxDelayMs: 10_000,
        onRetry: (error, attempt) => logger.warn({ err: error, attempt }, 'storing conversation state failed; trying again'),
      })

    const supervision = {
      tickets,
      chats,
      texts,
      wakeOutbox,
      logger,
      timezone: config.timezone,
      policy: { reminderBeforeMs: config.deadlines.reminderBeforeMs, escalationAfterMs: config.deadlines.escalationAfterMs },
      followUpTimeoutMs: config.deadlines.followUpTimeoutMs,
    }
    const calendarWarning = { chats, outbox, texts, wakeOutbox, calendar: workingCalendar, calendarFile: config.deadlines.calendarFile, timezone: config.timezone }
    const scheduler = createPeriodicTask('deadlines', async () => {
      const at = now()
      await warnUncoveredCalendar(calendarWarning, at)
      const chased = await chaseDeadlines(supervision, at)
      const closed = await closeUnrated(supervision, at)
      if (chased + closed > 0)
        logger.info({ chased, closed }, 'deadline scheduler round')
    }, { intervalMs: config.deadlines.intervalMs, logger })

    const spoolDrainer = createSpoolDrainer(() => drainReportSpool({ ...intake, texts }), logger)

    // Receiving: updates go to the inbox on disk first, then to the dispatcher, which handles them concurrently
    // across chats and users and in order for each. Receiving has an Api of its own, without the paced client: it waits
    // out failures itself and must notice those that cannot heal.
    const receiveApi = new Api(config.botToken, { apiRoot: config.telegramApiRoot })
    const link = createTelegramLink(logger, config.telegramApiRoot)
    const inbox = createFileUpdateInbox(config.inboxFile)
    // An update's conversation state is stored only when the whole update succeeded; a failure comes back to the
    // dispatcher, which tries a passing one again from the same step.
    const handle: UpdateHandler = (update, attempt) => handleUpdateInScope(bot, update, attempt, commitState)
    const dispatcher = createUpdateDispatcher({
      handle,
      onFinished: update => inbox.markDone(update.update_id),
      concurrency: config.concurrency,
      logger,
    })
    const deliverUpdates = (updates: readonly Update[]) => {
      for (const update of updates) dispatcher.push(update)
    }
    const health = createHealthCheck({
      mode: config.webhook ? 'webhook' : 'polling',
      inbox,
      dispatcher,
      link,
      pingDatabase: () => database.prisma.$queryRawUnsafe('SELECT 1'),
    })

    const lifetime = new AbortController()
    let receiver: Receiver | undefined
    let httpServer: HttpServer | undefined
    let inboxOpen = false
    let markReceiving!: (done: Promise<void>) => void
    const receiving = new Promise<void>((resolve) => { markReceiving = done => resolve(done) })

    return {
      bot,
      database,
      catalog,
      receiving,
      idle: () => dispatcher.idle(),
      get httpPort() {
        return httpServer?.port
      },
      async start() {
        const signal = lifetime.signal
        if (!botInfo) {
          bot.botInfo = await callUntilAnswered(s => receiveApi.getMe(s), { link, signal, attemptTimeoutMs: STARTUP_PROBE_TIMEOUT_MS })
        }
        await setCommands(bot, logger)
        await spoolDrainer.start()
        // What a predecessor (stopped or killed) sent in the last minute still counts in Telegram's windows.
        for (const sent of await outbox.recentSends(new Date(Date.now() - 60_000)))
          sendLimiter.record(sent.chatId, sent.sentAt.getTime())
        for (const sent of sendJournal.since(Date.now() - 60_000))
          sendLimiter.recordDeparted(sent.chatId, sent.at, sent.count)
        if (deliver)
          outboxWorker.start()
        scheduler.start()

        const kept = await inbox.open()
        inboxOpen = true
        if (kept.length > 0)
          logger.info({ count: kept.length }, 'handling updates received before the restart')
        deliverUpdates(kept)

        if (config.httpPort !== null) {
          httpServer = await startHttpServer({
            port: config.httpPort,
            logger,
            health,
            ...(config.webhook
              ? {
                  webhook: {
                    path: config.webhook.path,
                    secret: config.webhook.secret,
                    receive: async update => deliverUpdates(await inbox.append([update])),
                  },
                }
              : {}),
          })
        }
        if (config.webhook) {
          const { url, secret } = config.webhook
          await callUntilAnswered(s => receiveApi.setWebhook(url, { secret_token: secret, allowed_updates: ALLOWED_UPDATES }, s), { link, signal })
          logger.info({ username: bot.botInfo.username }, 'bot is receiving updates by webhook')
          markReceiving(new Promise<void>(resolve => signal.addEventListener('abort', () => resolve(), { once: true })))
        }
        else {
          receiver = startLongPolling({ api: receiveApi, inbox, deliver: deliverUpdates, allowedUpdates: ALLOWED_UPDATES, link, logger })
          markReceiving(receiver.done)
        }
      },
      async stop() {
        lifetime.abort()
        await spoolDrainer.stop()
        await receiver?.stop()
        await httpServer?.close()
        if (!await dispatcher.stop(STOP_WAIT_MS))
          logger.warn({ left: dispatcher.inFlight }, 'stopping with updates still in hand; they are handled again at the next start')
        if (inboxOpen)
          await inbox.close()
        await scheduler.stop()
        await outboxWorker.stop()
        await campaign.close?.()
        sendJournal.close()
        await threadedFigures?.close()
        await database.close()
      },
      superviseNow: () => scheduler.runNow(),
    }
  }
  catch (error) {
    await database.close()
    throw error
  }
}

async function createClassifier(config: Config, catalog: Catalog, logger: Logger, corrections: CorrectionMemory): Promise<Classifier> {
  const offline = createOfflineClassifier(catalog, { corrections })
  if (!config.openai) {
    logger.info('no OPENAI_API_KEY: the offline classifier decides')
    return offline
  }
  const primary = createOpenAiClassifier({
    openai: new OpenAI({ apiKey: config.openai.apiKey, baseURL: config.openai.baseUrl, maxRetries: 0 }),
    model: config.openai.model,
    catalog,
    prompt: await loadPrompt('classify-report'),
    timeoutMs: config.openai.timeoutMs,
    structuredOutput: config.openai.responseFormat,
    logger,
    corrections,
  })
  logger.info({ model: config.openai.model }, 'the LLM classifies; the offline classifier stands in when it fails')
  return createFallbackClassifier({ primary, fallback: offline, logger })
}

const COMMANDS = {
  zh: [
    { command: 'report', description: '反映问题（报事）' },
    { command: 'mine', description: '我反映过的问题' },
    { command: 'status', description: '查询办理进度：/status 编号' },
    { command: 'hot', description: '近 7 天热点问题' },
    { command: 'cancel', description: '放弃正在填写的内容' },
    { command: 'help', description: '使用说明' },
  ],
  en: [
    { command: 'report', description: 'Report a problem' },
    { command: 'mine', description: 'Problems you reported' },
    { command: 'status', description: 'Check progress: /status NUMBER' },
    { command: 'hot', description: 'Hot problems of the last 7 days' },
    { command: 'cancel', description: 'Drop what you are filling in' },
    { command: 'help', description: 'How to use the bot' },
  ],
}

/** The command menu in Chinese, and in English for English-speaking clients. Not essential: failures are logged. */
async function setCommands(bot: Bot<BotContext>, logger: Logger): Promise<void> {
  try {
    await bot.api.setMyCommands(COMMANDS.zh)
    await bot.api.setMyCommands(COMMANDS.en, { language_code: 'en' })
  }
  catch (error) {
    logger.warn({ err: error }, 'could not set the command menu')
  }
}
