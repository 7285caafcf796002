import type { Database } from '#root/store/database.js'
import type { Chat, User } from 'grammy/types'
import type { ChildProcess } from 'node:child_process'
import type { FakeOpenAi } from '../../test/fakes/openai-server.js'
import type { FakeTelegram } from '../../test/fakes/telegram-server.js'
import { spawn } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadCatalogFile } from '#root/catalog/catalog-file.js'
import { createCatalogStore } from '#root/store/catalog-store.js'
import { createChatStore } from '#root/store/chat-store.js'
import { openDatabase } from '#root/store/database.js'
import { pino } from 'pino'
import { startFakeOpenAi } from '../../test/fakes/openai-server.js'
import { startFakeTelegram } from '../../test/fakes/telegram-server.js'
import { TelegramObserver } from './telegram-observer.js'
import { areaName, REPO_ROOT } from './workload.js'

/**
 * The world the load scripts run the bot in: a fake Telegram (with its limits, or without) holding residents'
 * groups, departments' handlers' groups and an admins' group; a fake LLM; a throwaway SQLite file with the groups
 * bound as an admin would bind them; and the bot itself, `src/main.ts` in a child process of its own, started,
 * killed and restarted at will.
 */

export interface WorldOptions {
  residentGroups: number
  handlerGroups: number
  rateLimits: boolean
  /** The fake LLM's fixed answer time; null runs the bot without an LLM (offline classifier). */
  llmDelayMs: number | null
  /** Extra environment for the bot (CLASSIFY_MIN_CONFIDENCE, …). */
  env?: Record<string, string>
}

export interface LoadWorld {
  telegram: FakeTelegram
  openai: FakeOpenAi | null
  observer: TelegramObserver
  residentGroups: Array<{ chat: Chat, area: string }>
  handlerGroups: Array<{ chat: Chat, departmentId: string, handler: User }>
  admins: { chat: Chat, admin: User }
  databaseUrl: string
  /** Where the bot's log goes (kept after the run when it failed). */
  logFile: string
  /** Opens the bot's database from this process (for checks). */
  openDatabase: () => Promise<Database>
  startBot: () => Promise<BotProcess>
  close: (keepFiles?: boolean) => Promise<void>
}

const quiet = pino({ level: 'silent' })

export async function createLoadWorld(options: WorldOptions): Promise<LoadWorld> {
  const telegram = await startFakeTelegram({ rateLimits: options.rateLimits, recordCalls: false })
  const observer = new TelegramObserver(telegram)
  const openai = options.llmDelayMs === null ? null : await startFakeOpenAi({ mode: 'slow', slowMs: options.llmDelayMs })
  const dir = mkdtempSync(join(tmpdir(), 'huiyin-load-'))
  const databaseUrl = `file:${join(dir, 'huiyin.db')}`
  const logFile = join(dir, 'bot.log')
  const catalog = await loadCatalogFile(join(REPO_ROOT, 'prisma/catalog.json'))

  const residentGroups = Array.from({ length: options.residentGroups }, (_, i) => {
    const area = areaName(i)
    const chat = telegram.createGroup({ title: `${area}居民群`, quiet: true })
    observer.setKind(chat.id, 'residents')
    return { chat, area }
  })
  const departments = catalog.departments.slice(0, options.handlerGroups)
  const handlerGroups = departments.map((department) => {
    const chat = telegram.createGroup({ title: `${department.nameZh}承办群`, quiet: true })
    const handler = telegram.createUser({ first_name: `${department.nameZh}办事员`, language_code: 'zh-hans' })
    telegram.setChatMember(chat, handler, 'member')
    observer.setKind(chat.id, 'handlers')
    return { chat, departmentId: department.id, handler }
  })
  const adminsChat = telegram.createGroup({ title: '管理员群', quiet: true })
  const admin = telegram.createUser({ first_name: '管理员', language_code: 'zh-hans' })
  telegram.setChatMember(adminsChat, admin, 'member')
  observer.setKind(adminsChat.id, 'admins')

  const database = await openDatabase(databaseUrl, { logger: quiet })
  try {
    // As the bot does at start-up: bindings name departments of the stored catalog.
    await createCatalogStore(database).sync(catalog)
    const chats = createChatStore(database)
    for (const { chat, area } of residentGroups)
      await chats.bind({ chatId: chat.id, kind: 'residents', title: chat.title!, areaName: area, departmentId: null, boundBy: admin.id })
    for (const { chat, departmentId } of handlerGroups)
      await chats.bind({ chatId: chat.id, kind: 'handlers', title: chat.title!, areaName: null, departmentId, boundBy: admin.id })
    await chats.bind({ chatId: adminsChat.id, kind: 'admins', title: adminsChat.title!, areaName: null, departmentId: null, boundBy: admin.id })
  }
  finally {
    await database.close()
  }

  const env: Record<string, string> = {
    BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    DATABASE_URL: databaseUrl,
    SPOOL_FILE: join(dir, 'spool.jsonl'),
    INBOX_FILE: join(dir, 'inbox.jsonl'),
    ADMIN_IDS: String(admin.id),
    LOG_LEVEL: 'warn',
    OPENAI_API_KEY: '',
    ...(openai ? { OPENAI_API_KEY: 'sk-load', OPENAI_BASE_URL: openai.baseURL, OPENAI_MODEL: 'fake-model', OPENAI_TIMEOUT_MS: String((options.llmDelayMs ?? 0) + 10_000) } : {}),
    ...options.env,
  }

  return {
    telegram,
    openai,
    observer,
    residentGroups,
    handlerGroups,
    admins: { chat: adminsChat, admin },
    databaseUrl,
    logFile,
    openDatabase: () => openDatabase(databaseUrl, { logger: quiet, migrate: false }),
    startBot: () => BotProcess.start(env, logFile, observer),
    async close(keepFiles = false) {
      await openai?.close()
      await telegram.close()
      if (!keepFiles)
        rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * The bot as production runs it (`npm start` is `tsx src/main.ts`): here `node --import tsx src/main.ts`, the same
 * program in a single process, so that a SIGKILL kills exactly the bot and nothing is left behind.
 */
export class BotProcess {
  readonly exited: Promise<number | null>
  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise(resolve => child.once('exit', code => resolve(code)))
  }

  /** Starts the bot and resolves once it polls for updates (or rejects if it exits first). */
  static async start(env: Record<string, string>, logFile: string, observer: TelegramObserver, timeoutMs = 120_000): Promise<BotProcess> {
    const log = openSync(logFile, 'a')
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', log, log],
    })
    closeSync(log)
    const bot = new BotProcess(child)
    let timer: NodeJS.Timeout | undefined
    try {
      await Promise.race([
        observer.nextPoll(),
        bot.exited.then((code) => {
          throw new Error(`the bot exited (code ${code}) before polling; see ${logFile}`)
        }),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`the bot did not poll within ${timeoutMs / 1000} s; see ${logFile}`)), timeoutMs)
        }),
      ])
    }
    catch (error) {
      bot.child.kill('SIGKILL')
      throw error
    }
    finally {
      clearTimeout(timer)
    }
    return bot
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  /** SIGKILL: the process dies wherever it is, as on a power cut or an OOM kill. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null)
      this.child.kill('SIGKILL')
    await this.exited
  }

  /** SIGTERM and the bot's own shutdown; SIGKILL after `graceMs`. */
  async stop(graceMs = 20_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null)
      return
    this.child.kill('SIGTERM')
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs)
    await this.exited
    clearTimeout(timer)
  }
}
