import OpenAI from 'openai'
import { Api } from 'grammy'
import type { Bot } from 'grammy'
import type { UserFromGetMe } from 'grammy/types'
import type { Config } from '#root/config.js'
import type { Logger } from '#root/logger.js'
import type { BotContext } from '#root/bot/context.js'
import { createBot } from '#root/bot/index.js'
import { createDeliver } from '#root/bot/delivery.js'
import { createI18n } from '#root/bot/i18n.js'
import { loadCatalogFile } from '#root/catalog/catalog-file.js'
import type { Classifier } from '#root/classify/classification.js'
import { createFallbackClassifier } from '#root/classify/fallback-classifier.js'
import { createCorrectionMemory } from '#root/classify/correction-memory.js'
import type { CorrectionMemory } from '#root/classify/correction-memory.js'
import { createCategoryChooser, createOfflineClassifier } from '#root/classify/offline-classifier.js'
import { createOpenAiClassifier } from '#root/classify/openai-classifier.js'
import { loadPrompt } from '#root/classify/prompts.js'
import type { Catalog } from '#root/domain/catalog.js'
import type { TicketStatus } from '#root/domain/ticket.js'
import { createCatalogStore } from '#root/store/catalog-store.js'
import { createChatStore } from '#root/store/chat-store.js'
import { createConversationStorage } from '#root/store/conversation-storage.js'
import { openDatabase } from '#root/store/database.js'
import type { Database } from '#root/store/database.js'
import { SEND_TIMEOUT_MS, createOutboxWorker } from '#root/notify/outbox-worker.js'
import type { OutboxWorker } from '#root/notify/outbox-worker.js'
import { createOutboxStore } from '#root/store/outbox-store.js'
import { createFileReportSpool } from '#root/store/report-spool.js'
import { createResidentStore } from '#root/store/resident-store.js'
import { createRoutingCorrectionStore } from '#root/store/routing-correction-store.js'
import { createStatsStore } from '#root/store/stats-store.js'
import { createTicketStore } from '#root/store/ticket-store.js'
import { drainReportSpool } from '#root/usecases/drain-report-spool.js'
import { addTicketEvent, placeChatsFor } from '#root/usecases/act-on-ticket.js'
import type { NotificationTexts } from '#root/usecases/notifications.js'
import { createRoutingLearner } from '#root/usecases/learn-from-corrections.js'
import { createSubmitReport } from '#root/usecases/submit-report.js'

export const SPOOL_DRAIN_INTERVAL_MS = 30_000

export interface App {
  bot: Bot<BotContext>
  database: Database
  catalog: Catalog
  /** Starts long polling; resolves once the bot is receiving updates. */
  start(): Promise<void>
  /** Stops polling after the update in hand, then closes the database. */
  stop(): Promise<void>
}

export interface AppOptions {
  logger: Logger
  /** Skips getMe; for tests and benchmarks against a fake Bot API. */
  botInfo?: UserFromGetMe
  /** False keeps queued messages in the outbox (a test standing in for a crash before they were sent). */
  deliver?: boolean
}

/**
 * The composition root: configuration in, a running bot out. Every dependency is built here and passed down,
 * so tests run exactly this against fake Telegram and LLM servers.
 */
export async function createApp(config: Config, { logger, botInfo, deliver = true }: AppOptions): Promise<App> {
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
    const tickets = createTicketStore(database, { timezone: config.timezone })
    const chats = createChatStore(database)
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
      cardChats: (departmentId: string | null, status: TicketStatus) => placeChatsFor({ chats }, { departmentId, status }),
      wakeOutbox,
    }
    const submitReport = createSubmitReport(intake)

    // The outbox sends with an Api of its own, without auto-retry: it schedules retries itself and must not block.
    // Its timeout stays below the outbox lease, so a message is never claimed again while its send may still land.
    const outboxApi = new Api(config.botToken, { apiRoot: config.telegramApiRoot, timeoutSeconds: SEND_TIMEOUT_MS / 1000 })
    const outboxWorker: OutboxWorker = createOutboxWorker({
      outbox,
      logger,
      deliver: createDeliver({ api: outboxApi, tickets, chats, outbox, catalog: () => catalog, translate: texts.translate, timezone: config.timezone }),
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
      stats: createStatsStore(database),
      texts,
      wakeOutbox,
      routing: createRoutingLearner({ store: routingCorrections, memory: corrections, catalog: () => catalog, chooseCategory: createCategoryChooser(catalog), logger }),
      residents: createResidentStore(database),
      catalog: () => catalog,
      classifier,
      submitReport,
      conversationStorage: createConversationStorage(database),
    }, { apiRoot: config.telegramApiRoot, ...(botInfo ? { botInfo } : {}) })

    const drain = () => drainReportSpool({ ...intake, texts }).catch(error => logger.error({ err: error }, 'draining the report spool failed'))

    let drainTimer: NodeJS.Timeout | undefined
    let polling: Promise<void> | undefined

    return {
      bot,
      database,
      catalog,
      async start() {
        await bot.init()
        await setCommands(bot, logger)
        await drain()
        drainTimer = setInterval(drain, SPOOL_DRAIN_INTERVAL_MS)
        drainTimer.unref()
        if (deliver)
          outboxWorker.start()
        await new Promise<void>((resolve, reject) => {
          polling = bot.start({
            allowed_updates: ['message', 'edited_message', 'callback_query', 'my_chat_member'],
            onStart: (me) => {
              logger.info({ username: me.username }, 'bot is polling')
              resolve()
            },
          }).catch((error) => {
            logger.fatal({ err: error }, 'polling stopped')
            reject(error)
          })
        })
      },
      async stop() {
        clearInterval(drainTimer)
        if (bot.isRunning())
          await bot.stop()
        await outboxWorker.stop()
        await polling?.catch(() => undefined)
        await database.close()
      },
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
    { command: 'cancel', description: '放弃正在填写的内容' },
    { command: 'help', description: '使用说明' },
  ],
  en: [
    { command: 'report', description: 'Report a problem' },
    { command: 'mine', description: 'Problems you reported' },
    { command: 'status', description: 'Check progress: /status NUMBER' },
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
