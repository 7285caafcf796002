import type { Chat, Message, Update, User } from 'grammy/types'
import type { ApiCall, FakeTelegram } from '../test/fakes/telegram-server.js'
import type { Latency } from './lib/workload.js'
/**
 * Throughput of the full intake path against a bare grammY bot, on the same fake Telegram server:
 *
 *   npm run bench:intake -- [--residents 200] [--groups 20] [--db sqlite|postgresql|both] [--concurrency 50]
 *                           [--warmup 20] [--repeat 3] [--max-seconds 300] [--seed 1] [--texts auto|generated]
 *                           [--profile] [--json]
 *
 * For each database the benchmark runs two phases, each in a fresh Node process of its own (so that peak RSS,
 * JIT and GC state belong to that phase alone), one after the other and never at the same time:
 *
 * - intake: the fake Telegram Bot API server (no call recording), a fresh scratch database, and the real app from
 *   src/app.ts (createApp + start: long polling, offline classifier, no LLM), configured as in production except the
 *   API root. N residents spread over M residents' groups each walk a complete report: /report → description (a
 *   reply to the bot's question, the place written in it) → the summary's contact toggle (the summary is edited in
 *   place) → confirm, and receive their ticket number (the summary edited into the registration by the outbox).
 * - bare: the same fake server kind and the same updates in number and shape (2 messages, the second a reply to
 *   the bot, and 2 callback presses per resident, same texts, same groups) to a bare grammY bot on `bot.start()`
 *   that answers every message with `ctx.reply('ok')` and every callback query with `answerCallbackQuery()`.
 *
 * Measured per phase: updates the bot handled and updates/s over the run (first update queued → last reply
 * received); latency per update (from the test side queueing it to the fake server answering the bot's reply to
 * it: the next question, the summary, its edit or the ticket number for the intake, 'ok' or the callback answer for
 * the bare bot),
 * p50/p95/p99; peak RSS (sampled every 50 ms during the run, and the process's lifetime maximum); CPU time;
 * and for the intake, tickets stored against tickets expected. The goal (issue): intake ≥ 40% of bare throughput.
 *
 * Texts: real residents' messages (title + body of ../shared/data/messages_with_votes.jsonl, relative to the
 * repository root, read at run time and never written anywhere) when that file exists, otherwise texts generated
 * here (or always, with --texts generated). Everything runs on 127.0.0.1: the fake server, and PostgreSQL at
 * TEST_POSTGRES_URL (default 127.0.0.1:5432), skipped with a message when it does not answer or is elsewhere.
 *
 * Before measuring, each phase walks --warmup residents of its own (unmeasured, same groups), so that JIT, connections
 * and caches are warm in both phases: the bare phase lasts about a second and would otherwise measure mostly warm-up.
 * The two phases alternate --repeat times per database and the tables show the median run of each (the machine may be
 * shared: the 1-minute load average is reported with every phase, and CPU time per update, which other load disturbs
 * far less than wall-clock throughput). --max-seconds bounds the whole run: each phase gets a share of it and stops
 * starting residents when that is used up.
 *
 * --profile records a V8 CPU profile of each intake phase's measured run (node:inspector, in process) and prints
 * where its time went: self time by layer, by package or source file, and the top functions.
 *
 * Exit codes: 0 measured (whatever the ratio), 1 failed (bad arguments, a phase crashed, timed out or lost tickets).
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { areaName, fitDescription, placeIn, random, REPO_ROOT, reportTexts, residentName, summarize } from './lib/workload.js'

const SCRIPT = fileURLToPath(import.meta.url)
const GOAL_RATIO = 0.4
const STEP_TIMEOUT_MS = 60_000
const USAGE = 'usage: npm run bench:intake -- [--residents N] [--groups M] [--db sqlite|postgresql|both] '
  + '[--concurrency C] [--warmup W] [--repeat R] [--max-seconds S] [--seed N] [--texts auto|generated] [--profile] [--json]'

type Provider = 'sqlite' | 'postgresql'
type PhaseKind = 'intake' | 'bare'

interface Options {
  residents: number
  /** Residents walked through first, unmeasured, so that both bots are warm (JIT, connections, caches). */
  warmup: number
  groups: number
  databases: Provider[]
  concurrency: number
  maxSeconds: number
  /** Intake and bare phases alternate this many times per database; the tables show the median runs. */
  repeat: number
  seed: number
  /** 'auto': the real messages when the data file exists, else generated; 'generated': always generated. */
  texts: 'auto' | 'generated'
  profile: boolean
  json: boolean
}

interface PhaseResult {
  phase: PhaseKind
  db: Provider
  residents: number
  groups: number
  concurrency: number
  textSource: string
  updatesQueued: number
  updatesHandled: number
  /** First update queued → last reply received. */
  wallMs: number
  updatesPerSecond: number
  latencyMs: Latency
  /** Bot API calls the fake server answered during the measured run, by method (the bot's and any other client's). */
  apiCalls: Record<string, number>
  /** Time inside bot.handleUpdate per kind of update (mean ms): where the bot's own time goes. */
  handleMsByStep: Record<string, { count: number, meanMs: number }>
  /** Process CPU time during the run, as a share of one core. */
  cpuShare: number
  /** Process CPU time per update handled. */
  cpuMsPerUpdate: number
  /** 1-minute load average of the machine when the phase started and ended. */
  load: [number, number]
  rssBaselineMb: number
  rssPeakMb: number
  maxRssMb: number
  residentsCompleted: number
  tickets?: { expected: number, announced: number, stored: number, lost: number, mismatched: number }
  failures: string[]
  timedOut: boolean
  profile?: string
}

// ------------------------------------------------------------------------------------------------ arguments

class UsageError extends Error {}

function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined)
    return fallback
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new UsageError(`--${name} must be a positive integer, not "${value}"`)
  return Number(value)
}

function parseOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      'residents': { type: 'string' },
      'warmup': { type: 'string' },
      'groups': { type: 'string' },
      'db': { type: 'string' },
      'concurrency': { type: 'string' },
      'max-seconds': { type: 'string' },
      'repeat': { type: 'string' },
      'seed': { type: 'string' },
      'texts': { type: 'string' },
      'profile': { type: 'boolean', default: false },
      'json': { type: 'boolean', default: false },
      'help': { type: 'boolean', default: false },
      // Internal: one phase in a child process.
      'phase': { type: 'string' },
      'deadline': { type: 'string' },
      'result-file': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  })
  if (values.help)
    throw new UsageError('')
  const residents = positiveInt(values.residents, 'residents', 200)
  const db = values.db ?? 'both'
  if (!['sqlite', 'postgresql', 'both'].includes(db))
    throw new UsageError(`--db must be sqlite, postgresql or both, not "${db}"`)
  const warmup = values.warmup === '0' ? 0 : positiveInt(values.warmup, 'warmup', Math.min(20, residents))
  const texts = values.texts ?? 'auto'
  if (texts !== 'auto' && texts !== 'generated')
    throw new UsageError(`--texts must be auto or generated, not "${texts}"`)
  const options: Options = {
    residents,
    warmup,
    groups: Math.min(positiveInt(values.groups, 'groups', 20), residents),
    databases: db === 'both' ? ['sqlite', 'postgresql'] : [db as Provider],
    concurrency: Math.min(positiveInt(values.concurrency, 'concurrency', 50), residents),
    maxSeconds: positiveInt(values['max-seconds'], 'max-seconds', 300),
    repeat: positiveInt(values.repeat, 'repeat', 3),
    seed: positiveInt(values.seed, 'seed', 1),
    texts,
    profile: values.profile,
    json: values.json,
  }
  return { options, phase: values.phase, deadline: values.deadline, resultFile: values['result-file'] }
}

// ------------------------------------------------------------------------------------------------ workload

interface Workload {
  textSource: string
  groups: Array<{ title: string, area: string }>
  /** The warm-up residents first (options.warmup of them), then the measured ones. */
  residents: Array<{ name: string, group: number, description: string }>
}

function buildWorkload(options: Options): Workload {
  const rng = random(options.seed)
  const count = options.warmup + options.residents
  const { texts, source } = reportTexts(count, rng, { source: options.texts })
  const groups = Array.from({ length: options.groups }, (_, i) => ({ area: areaName(i), title: `${areaName(i)}居民群` }))
  // The place goes into the description, as the bot's one question asks for it.
  const residents = Array.from({ length: count }, (_, i) => ({
    name: residentName(rng),
    group: i % options.groups,
    description: fitDescription(`${placeIn(rng, groups[i % options.groups]!.area)}：${texts[i]!}`),
  }))
  return { textSource: source, groups, residents }
}

// ------------------------------------------------------------------------------------------------ measuring

/** Samples RSS every 50 ms until stopped. */
function rssSampler() {
  let peak = process.memoryUsage.rss()
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss())
  }, 50)
  timer.unref()
  return {
    stop() {
      clearInterval(timer)
      return Math.max(peak, process.memoryUsage.rss())
    },
  }
}

const MB = 1024 * 1024

/** Counts and times the updates a bot handles, by kind (the step of the report they belong to). */
function instrumentHandleUpdate(bot: { handleUpdate: (update: Update, ...rest: never[]) => Promise<void> }) {
  const byStep = new Map<string, { count: number, totalMs: number }>()
  let handled = 0
  const original = bot.handleUpdate.bind(bot)
  bot.handleUpdate = async (update: Update, ...rest: never[]) => {
    const start = performance.now()
    try {
      return await original(update, ...rest)
    }
    finally {
      handled++
      const step = stepOf(update)
      const entry = byStep.get(step) ?? { count: 0, totalMs: 0 }
      entry.count++
      entry.totalMs += performance.now() - start
      byStep.set(step, entry)
    }
  }
  return {
    get handled() {
      return handled
    },
    reset() {
      handled = 0
      byStep.clear()
    },
    summary(): Record<string, { count: number, meanMs: number }> {
      return Object.fromEntries([...byStep].map(([step, { count, totalMs }]) => [step, { count, meanMs: totalMs / count }]))
    },
  }
}

/** Walks the warm-up residents (unmeasured), waits for the bot to be idle, and clears the bot's counters. */
async function warmUp(options: Options, counter: { handled: number, reset: () => void }, router: ReplyRouter, deadline: number, walk: (index: number, record: (t0: number, t1: number) => void) => Promise<string | void>): Promise<DriveResult> {
  const warm = await drive(0, options.warmup, options.concurrency, deadline, walk)
  await idle(counter, warm.queued)
  if (warm.failures.length > 0)
    throw new Error(`the warm-up failed: ${warm.failures.join('; ')}`)
  counter.reset()
  router.calls = new Map()
  return warm
}

/** Waits (up to 10 s) until the bot has finished handling every update queued. */
async function idle(counter: { handled: number }, queued: number): Promise<void> {
  const until = performance.now() + 10_000
  while (counter.handled < queued && performance.now() < until)
    await new Promise(resolve => setTimeout(resolve, 5))
}

const STEP_ORDER = ['1 /report', '2 description', '3 contact toggle', '4 confirm']

function stepOf(update: Update): string {
  if (update.callback_query) {
    const action = update.callback_query.data?.split(':').at(-1) ?? '?'
    return { 'toggle-contact': '3 contact toggle', 'confirm': '4 confirm' }[action] ?? `callback ${action}`
  }
  const message = update.message
  if (!message)
    return Object.keys(update).find(k => k !== 'update_id') ?? '?'
  return messageSteps.get(update.update_id) ?? (message.text?.startsWith('/') ? '1 /report' : 'other message')
}

/** Which step each message update the driver queued belongs to (callback presses carry their step in their data). */
const messageSteps = new Map<number, string>()

function sendAs(telegram: FakeTelegram, step: string, options: Parameters<FakeTelegram['sendMessage']>[0]): Message {
  const { message, update } = telegram.sendMessage(options)
  if (update)
    messageSteps.set(update.update_id, step)
  return message
}

// ------------------------------------------------------------------------------------------------ driving

interface Expectation {
  resolve: (value: { message: Message, at: number }) => void
  reject: (error: Error) => void
  pattern?: string
  timer: NodeJS.Timeout
}

/**
 * Sees every Bot API call the fake server completes (one permanent waiter of the public waitFor hook, so that it
 * works with call recording off) and hands each reply to the resident waiting for it.
 */
class ReplyRouter {
  /** Intake: the next bot message addressed to a user in a chat (a reply to them or a mention of them). */
  private readonly addressed = new Map<string, Expectation>()
  /** Bare bot: 'ok' replies in a chat, in order (the bot handles updates one at a time, in order). */
  private readonly inChat = new Map<number, Expectation[]>()
  /** Bare bot: callback answers by query id. */
  private readonly answers = new Map<string, Expectation>()
  /** Bot API calls answered, by method. */
  calls = new Map<string, number>()

  constructor(telegram: FakeTelegram) {
    telegram.waitFor((call) => {
      try {
        this.route(call)
      }
      catch {
        // never let the router break the fake server
      }
      return false
    }, 24 * 3600_000).catch(() => undefined)
  }

  private route(call: ApiCall): void {
    this.calls.set(call.method, (this.calls.get(call.method) ?? 0) + 1)
    const response = call.response
    if (!response?.ok)
      return
    const at = performance.now()
    const method = call.method.toLowerCase()
    if (method === 'answercallbackquery') {
      const id = String(call.params.callback_query_id)
      const waiting = this.answers.get(id)
      if (waiting) {
        this.answers.delete(id)
        clearTimeout(waiting.timer)
        waiting.resolve({ message: undefined as unknown as Message, at })
      }
      return
    }
    // The intake answers a press on the summary, and the confirmation, by editing the summary in place.
    if (method !== 'sendmessage' && method !== 'editmessagetext')
      return
    const message = response.result as Message
    const queue = this.inChat.get(message.chat.id)
    if (queue && queue.length > 0) {
      const waiting = queue.shift()!
      clearTimeout(waiting.timer)
      waiting.resolve({ message, at })
      return
    }
    const users = new Set<number>()
    if (message.reply_to_message?.from)
      users.add(message.reply_to_message.from.id)
    for (const entity of message.entities ?? []) {
      if (entity.type === 'text_mention')
        users.add(entity.user.id)
    }
    for (const userId of users) {
      const key = `${message.chat.id}:${userId}`
      const waiting = this.addressed.get(key)
      if (!waiting)
        continue
      this.addressed.delete(key)
      clearTimeout(waiting.timer)
      if (waiting.pattern === undefined || (message.text ?? '').includes(waiting.pattern))
        waiting.resolve({ message, at })
      else
        waiting.reject(new Error(`expected a message containing "${waiting.pattern}", the bot said: ${(message.text ?? '').slice(0, 120)}`))
    }
  }

  private expectation<T>(register: (e: Expectation) => void, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const e: Expectation = {
        resolve: resolve as Expectation['resolve'],
        reject,
        timer: setTimeout(() => reject(new Error(`no reply within ${STEP_TIMEOUT_MS} ms: ${what}`)), STEP_TIMEOUT_MS),
      }
      register(e)
    })
  }

  /** Register BEFORE queueing the update: the reply can come back before the next line runs. */
  addressedTo(chatId: number, userId: number, pattern: string): Promise<{ message: Message, at: number }> {
    return this.expectation(e => this.addressed.set(`${chatId}:${userId}`, { ...e, pattern }), `"${pattern}" for user ${userId}`)
  }

  nextInChat(chatId: number): Promise<{ message: Message, at: number }> {
    return this.expectation((e) => {
      const queue = this.inChat.get(chatId) ?? []
      queue.push(e)
      this.inChat.set(chatId, queue)
    }, `a reply in chat ${chatId}`)
  }

  callbackAnswer(id: string): Promise<{ message: Message, at: number }> {
    return this.expectation(e => this.answers.set(id, e), `answer to callback ${id}`)
  }

  /** Callback ids are known only once the press is queued; the answer cannot come before the next turn. */
  answerFor(press: () => string): Promise<{ message: Message, at: number }> {
    return this.callbackAnswer(press())
  }
}

interface DriveResult {
  latencies: number[]
  queued: number
  firstAt: number
  lastAt: number
  completed: number
  announced: Map<number, string>
  failures: string[]
  timedOut: boolean
}

/**
 * Runs residents `from` to `to - 1` through `walk`, `concurrency` at a time, each one sequentially, until done or
 * the deadline.
 */
async function drive(from: number, to: number, concurrency: number, deadline: number, walk: (index: number, record: (t0: number, t1: number) => void) => Promise<string | void>): Promise<DriveResult> {
  const result: DriveResult = { latencies: [], queued: 0, firstAt: Number.POSITIVE_INFINITY, lastAt: 0, completed: 0, announced: new Map(), failures: [], timedOut: false }
  const record = (t0: number, t1: number) => {
    result.queued++
    result.latencies.push(t1 - t0)
    result.firstAt = Math.min(result.firstAt, t0)
    result.lastAt = Math.max(result.lastAt, t1)
  }
  let next = from
  const worker = async () => {
    for (;;) {
      if (performance.now() > deadline) {
        result.timedOut = next < to
        return
      }
      const index = next++
      if (index >= to)
        return
      try {
        const ticket = await walk(index, record)
        result.completed++
        if (ticket)
          result.announced.set(index, ticket)
      }
      catch (error) {
        if (result.failures.length < 10)
          result.failures.push(`resident ${index}: ${(error as Error).message}`)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, to - from) }, worker))
  return result
}

interface World {
  telegram: FakeTelegram
  chats: Chat[]
  users: User[]
}

async function setUpWorld(workload: Workload): Promise<World> {
  const { startFakeTelegram } = await import('../test/fakes/telegram-server.js')
  const telegram = await startFakeTelegram({ recordCalls: false })
  const chats = workload.groups.map(g => telegram.createGroup({ title: g.title, quiet: true }))
  const users = workload.residents.map(r => telegram.createUser({ first_name: r.name, language_code: 'zh-hans' }))
  return { telegram, chats, users }
}

function buttonData(message: Message, label: string): string {
  const button = (message.reply_markup?.inline_keyboard ?? []).flat().find(b => b.text.includes(label))
  if (!button || !('callback_data' in button) || !button.callback_data)
    throw new Error(`no button "${label}" on message ${message.message_id}`)
  return button.callback_data
}

// ------------------------------------------------------------------------------------------------ phases

async function runIntakePhase(options: Options, db: Provider, deadline: number): Promise<PhaseResult> {
  const workload = buildWorkload(options)
  const [{ createApp }, { createConfig }, { createLogger }, { createChatStore }, { createScratchDatabase }] = await Promise.all([
    import('#root/app.js'),
    import('#root/config.js'),
    import('#root/logger.js'),
    import('#root/store/chat-store.js'),
    import('../test/helpers/database.js'),
  ])
  const world = await setUpWorld(workload)
  const { telegram } = world
  const scratch = await createScratchDatabase(db)
  const spoolDir = mkdtempSync(join(tmpdir(), 'huiyin-bench-spool-'))
  // As in production, but for the API root; warnings and errors still reach stderr.
  const config = createConfig({
    BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    DATABASE_URL: scratch.url,
    CATALOG_FILE: join(REPO_ROOT, 'prisma/catalog.json'),
    SPOOL_FILE: join(spoolDir, 'spool.jsonl'),
    INBOX_FILE: join(spoolDir, 'inbox.jsonl'),
    LOG_LEVEL: 'warn',
  })
  const app = await createApp(config, { logger: createLogger(config), botInfo: telegram.botInfo })
  const adminId = 7_000_000_009
  const chatStore = createChatStore(app.database)
  for (const [i, chat] of world.chats.entries())
    await chatStore.bind({ chatId: chat.id, kind: 'residents', title: workload.groups[i]!.title, areaName: workload.groups[i]!.area, departmentId: null, boundBy: adminId })
  const counter = instrumentHandleUpdate(app.bot as never)
  const router = new ReplyRouter(telegram)
  await app.start()

  const walk = async (index: number, record: (t0: number, t1: number) => void): Promise<string> => {
    const resident = workload.residents[index]!
    const user = world.users[index]!
    const chat = world.chats[resident.group]!
    const step = async (pattern: string, act: () => void): Promise<Message> => {
      const reply = router.addressedTo(chat.id, user.id, pattern)
      const t0 = performance.now()
      act()
      const { message, at } = await reply
      record(t0, at)
      return message
    }
    const question = await step('描述', () => sendAs(telegram, '1 /report', { chat, from: user, text: '/report' }))
    let summary = await step('请核对', () => sendAs(telegram, '2 description', { chat, from: user, text: resident.description, replyTo: question.message_id }))
    for (const [label, nextPattern] of [['可以联系我', '请核对'], ['确认提交', '已登记']] as const) {
      const on = summary
      summary = await step(nextPattern, () => telegram.clickButton({ chat, from: user, message: on, data: buttonData(on, label) }))
    }
    const number = /HY-\d{8}-\d{4,}/.exec(summary.text ?? '')?.[0]
    if (!number)
      throw new Error(`no ticket number in: ${question.text}`)
    return number
  }
  const warm = await warmUp(options, counter, router, deadline, walk)

  const profiler = options.profile ? await startProfiler() : undefined
  const load = loadavg()[0]!
  const rssBaseline = process.memoryUsage.rss()
  const sampler = rssSampler()
  const cpu0 = process.cpuUsage()
  const driven = await drive(options.warmup, options.warmup + options.residents, options.concurrency, deadline, walk)
  const cpu = process.cpuUsage(cpu0)
  const profile = await profiler?.stop()
  // The reply to an update goes out before its handling ends (the conversation state is saved after it).
  await idle(counter, driven.queued)
  const rssPeak = sampler.stop()

  // Every resident's ticket, stored once, with their own text.
  const rows = await app.database.prisma.ticket.findMany({ select: { number: true, reporterId: true, description: true, locationText: true } })
  const byNumber = new Map(rows.map(r => [r.number, r]))
  let mismatched = 0
  for (const [index, number] of driven.announced) {
    const row = byNumber.get(number)
    const resident = workload.residents[index]!
    if (row && (Number(row.reporterId) !== world.users[index]!.id || row.description !== resident.description))
      mismatched++
  }
  const ticketsOf = new Map<number, number>()
  for (const row of rows)
    ticketsOf.set(Number(row.reporterId), (ticketsOf.get(Number(row.reporterId)) ?? 0) + 1)
  const measured = world.users.slice(options.warmup)
  const lost = measured.filter(u => !ticketsOf.has(u.id)).length
  const storedMeasured = measured.reduce((sum, u) => sum + (ticketsOf.get(u.id) ?? 0), 0)
  if (rows.length !== storedMeasured + warm.completed)
    driven.failures.push(`${rows.length} tickets in the database, expected ${storedMeasured + warm.completed} (${warm.completed} from the warm-up)`)
  const handled = counter.handled
  const stepSummary = counter.summary()

  await app.stop()
  await telegram.close()
  await scratch.drop()
  rmSync(spoolDir, { recursive: true, force: true })

  return phaseResult('intake', db, options, workload, driven, {
    handled,
    stepSummary,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssBaseline,
    rssPeak,
    load,
    apiCalls: router.calls,
    tickets: { expected: options.residents, announced: driven.announced.size, stored: storedMeasured, lost, mismatched },
    ...(profile ? { profile: summarizeProfile(profile) } : {}),
  })
}

async function runBarePhase(options: Options, db: Provider, deadline: number): Promise<PhaseResult> {
  const workload = buildWorkload(options)
  const { Bot } = await import('grammy')
  const world = await setUpWorld(workload)
  const { telegram } = world
  const bot = new Bot(telegram.token, { botInfo: telegram.botInfo, client: { apiRoot: telegram.apiRoot } })
  bot.on('message', ctx => ctx.reply('ok'))
  bot.on('callback_query', ctx => ctx.answerCallbackQuery())
  bot.catch(error => console.error('bare bot error:', error.message))
  const counter = instrumentHandleUpdate(bot as never)
  const router = new ReplyRouter(telegram)
  let polling: Promise<void> | undefined
  await new Promise<void>((resolve, reject) => {
    polling = bot.start({
      allowed_updates: ['message', 'edited_message', 'callback_query', 'my_chat_member'],
      onStart: () => resolve(),
    }).catch(reject)
  })

  const walk = async (index: number, record: (t0: number, t1: number) => void): Promise<void> => {
    const resident = workload.residents[index]!
    const user = world.users[index]!
    const chat = world.chats[resident.group]!
    const say = async (step: string, text: string, replyTo?: number): Promise<Message> => {
      const reply = router.nextInChat(chat.id)
      const t0 = performance.now()
      sendAs(telegram, step, { chat, from: user, text, ...(replyTo ? { replyTo } : {}) })
      const { message, at } = await reply
      record(t0, at)
      return message
    }
    const first = await say('1 /report', '/report')
    const second = await say('2 description', resident.description, first.message_id)
    const nonce = index.toString(36).padStart(6, '0')
    for (const action of ['toggle-contact', 'confirm']) {
      const t0 = performance.now()
      const { at } = await router.answerFor(() =>
        telegram.clickButton({ chat, from: user, message: second, data: `r:${user.id}:${nonce}:${action}`, unchecked: true }))
      record(t0, at)
    }
  }
  await warmUp(options, counter, router, deadline, walk)

  const load = loadavg()[0]!
  const rssBaseline = process.memoryUsage.rss()
  const sampler = rssSampler()
  const cpu0 = process.cpuUsage()
  const driven = await drive(options.warmup, options.warmup + options.residents, options.concurrency, deadline, walk)
  const cpu = process.cpuUsage(cpu0)
  await idle(counter, driven.queued)
  const rssPeak = sampler.stop()
  const handled = counter.handled
  const stepSummary = counter.summary()
  await bot.stop()
  await polling
  await telegram.close()
  return phaseResult('bare', db, options, workload, driven, {
    handled,
    stepSummary,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssBaseline,
    rssPeak,
    load,
    apiCalls: router.calls,
  })
}

function phaseResult(
  phase: PhaseKind,
  db: Provider,
  options: Options,
  workload: Workload,
  driven: DriveResult,
  extra: { handled: number, stepSummary: PhaseResult['handleMsByStep'], cpuMs: number, rssBaseline: number, rssPeak: number, tickets?: PhaseResult['tickets'], profile?: string, load: number, apiCalls: Map<string, number> },
): PhaseResult {
  const wallMs = Math.max(0, driven.lastAt - driven.firstAt)
  return {
    phase,
    db,
    residents: options.residents,
    groups: options.groups,
    concurrency: options.concurrency,
    textSource: workload.textSource,
    updatesQueued: driven.queued,
    updatesHandled: extra.handled,
    wallMs,
    updatesPerSecond: wallMs > 0 ? extra.handled / (wallMs / 1000) : 0,
    latencyMs: summarize(driven.latencies),
    apiCalls: Object.fromEntries([...extra.apiCalls].sort((a, b) => b[1] - a[1])),
    handleMsByStep: extra.stepSummary,
    cpuShare: wallMs > 0 ? extra.cpuMs / wallMs : 0,
    cpuMsPerUpdate: extra.handled > 0 ? extra.cpuMs / extra.handled : Number.NaN,
    load: [extra.load, loadavg()[0]!],
    rssBaselineMb: extra.rssBaseline / MB,
    rssPeakMb: extra.rssPeak / MB,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    residentsCompleted: driven.completed,
    ...(extra.tickets ? { tickets: extra.tickets } : {}),
    ...(extra.profile ? { profile: extra.profile } : {}),
    failures: driven.failures,
    timedOut: driven.timedOut,
  }
}

// ------------------------------------------------------------------------------------------------ child side

async function runChild(options: Options, phase: string, db: string, deadlineArg: string | undefined, resultFile: string | undefined): Promise<void> {
  if ((phase !== 'intake' && phase !== 'bare') || (db !== 'sqlite' && db !== 'postgresql') || !resultFile)
    throw new UsageError('internal: --phase intake|bare, a single --db and --result-file are required')
  const deadline = performance.now() + Number(deadlineArg ?? 120) * 1000
  const result = phase === 'intake' ? await runIntakePhase(options, db, deadline) : await runBarePhase(options, db, deadline)
  const { writeFileSync } = await import('node:fs')
  writeFileSync(resultFile, JSON.stringify(result))
}

// ------------------------------------------------------------------------------------------------ parent side

function childArgs(options: Options): string[] {
  return [
    '--residents',
    String(options.residents),
    '--warmup',
    String(options.warmup),
    '--groups',
    String(options.groups),
    '--concurrency',
    String(options.concurrency),
    '--seed',
    String(options.seed),
    '--texts',
    options.texts,
    ...(options.profile ? ['--profile'] : []),
  ]
}

/** Why the PostgreSQL phases cannot run (no server answering on the loopback interface), or null. */
async function postgresProblem(): Promise<string | null> {
  const { TEST_POSTGRES_URL } = await import('../test/helpers/database.js')
  const url = new URL(TEST_POSTGRES_URL)
  if (url.password)
    url.password = '***'
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
    return `${url.href} is not on this machine, and the benchmark keeps its traffic on 127.0.0.1 (set TEST_POSTGRES_URL)`
  const { default: pg } = await import('pg')
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 2_000 })
  try {
    await client.connect()
    await client.query('SELECT 1')
    return null
  }
  catch (error) {
    return `no server answered at ${url.href} (${(error as { code?: string }).code ?? (error as Error).message}; set TEST_POSTGRES_URL)`
  }
  finally {
    await client.end().catch(() => undefined)
  }
}

interface DatabaseResults {
  intakeRuns: PhaseResult[]
  bareRuns: PhaseResult[]
  /** The runs of median throughput. */
  intake?: PhaseResult
  bare?: PhaseResult
  errors: string[]
}

function medianRun(runs: PhaseResult[]): PhaseResult | undefined {
  const sorted = [...runs].sort((a, b) => a.updatesPerSecond - b.updatesPerSecond)
  return sorted[Math.floor((sorted.length - 1) / 2)]
}

async function runPhaseInChild(options: Options, phase: PhaseKind, db: Provider, seconds: number, run: number, log: (line: string) => void): Promise<PhaseResult> {
  const dir = mkdtempSync(join(tmpdir(), 'huiyin-bench-'))
  const resultFile = join(dir, 'result.json')
  const args = [
    ...process.execArgv,
    SCRIPT,
    ...childArgs(options),
    '--phase',
    phase,
    '--db',
    db,
    '--deadline',
    String(seconds),
    '--result-file',
    resultFile,
  ]
  log(`… ${db} ${phase} run ${run + 1}/${options.repeat} (${options.residents} residents × 4 updates, ${options.groups} groups, concurrency ${options.concurrency}, at most ${seconds} s)`)
  try {
    // The child's stdout (the app's log) goes to our stderr, so that --json output stays clean.
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 2, 2], env: process.env })
    const killer = setTimeout(() => child.kill('SIGKILL'), (seconds + 60) * 1000)
    const code = await new Promise<number | null>((resolveExit, reject) => {
      child.once('error', reject)
      child.once('exit', code => resolveExit(code))
    })
    clearTimeout(killer)
    if (code !== 0 || !existsSync(resultFile))
      throw new Error(`${db} ${phase} run ${run + 1} failed (exit code ${code})`)
    const result = JSON.parse(readFileSync(resultFile, 'utf8')) as PhaseResult
    log(`  ${fmt(result.updatesPerSecond, 0)} updates/s, p50 ${fmt(result.latencyMs.p50, 0)} ms, load ${result.load.map(l => l.toFixed(1)).join(' → ')}`)
    return result
  }
  finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

interface CpuProfile {
  nodes: Array<{ id: number, callFrame: { functionName: string, url: string, lineNumber: number }, children?: number[] }>
  samples: number[]
  timeDeltas: number[]
}

/** Samples the CPU of this process (every 200 µs) until stopped. */
async function startProfiler(): Promise<{ stop: () => Promise<CpuProfile> }> {
  const { Session } = await import('node:inspector/promises')
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 200 })
  await session.post('Profiler.start')
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop')
      session.disconnect()
      return profile as unknown as CpuProfile
    },
  }
}

/** Self time by package (or src/ file) and the top functions, from a V8 CPU profile. */
function summarizeProfile(profile: CpuProfile): string {
  const byId = new Map(profile.nodes.map(n => [n.id, n]))
  const self = new Map<number, number>()
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
  const total = [...self.values()].reduce((a, b) => a + b, 0)
  const byPlace = new Map<string, number>()
  const byFunction = new Map<string, number>()
  const byArea = new Map<string, number>()
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame
    const place = placeOf(url, functionName)
    byPlace.set(place, (byPlace.get(place) ?? 0) + us)
    const area = areaOf(place, functionName)
    byArea.set(area, (byArea.get(area) ?? 0) + us)
    const fn = `${functionName || '(anonymous)'} ${place}${url ? `:${lineNumber + 1}` : ''}`
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us)
  }
  const top = (map: Map<string, number>, n: number) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, us]) => `    ${(100 * us / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`)
  return [
    `  CPU profile of the measured intake run (${(total / 1e6).toFixed(1)} s sampled), self time by area:`,
    ...top(byArea, 8),
    '  self time by package or file:',
    ...top(byPlace, 16),
    '  top functions (self time):',
    ...top(byFunction, 20),
  ].join('\n')
}

/** A coarse grouping of self time: which layer of the stack it was spent in. */
function areaOf(place: string, functionName: string): string {
  if (place === '(idle)')
    return 'idle: the thread waiting (database answers, fsync, loopback sockets)'
  if (place === '(garbage collector)')
    return 'garbage collection'
  if (/^@prisma\/|^(@libsql\/|libsql|pg|pg-[a-z]+|postgres-[a-z]+)$/.test(place) || /libsql|sqlite/i.test(functionName))
    return 'database: Prisma client, driver adapter, libSQL/SQLite or node-postgres'
  if (/^(grammy|@grammyjs\/[^/]+|@fluent\/[^/]+|pino|async-mutex)$/.test(place) || place.startsWith('src/'))
    return 'bot: grammY, conversations, i18n/Fluent, the app\'s own code'
  if (place === 'node-fetch' || place.startsWith('test/') || place.startsWith('scripts/'))
    return 'Bot API client (node-fetch), fake server and driver'
  return 'Node internals and native (HTTP, sockets, streams, microtasks)'
}

function placeOf(url: string, functionName: string): string {
  if (!url)
    return functionName.startsWith('(') ? functionName : '(native)'
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (modules)
    return modules[1]!
  if (url.startsWith('node:'))
    return url
  const repo = url.replace(/^file:\/\//, '').replace(REPO_ROOT, '')
  return repo.startsWith('src/') || repo.startsWith('test/') || repo.startsWith('scripts/') ? repo : repo.split('/').slice(-2).join('/')
}

function median(values: number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b)
  if (sorted.length === 0)
    return Number.NaN
  const middle = sorted.length / 2
  return Number.isInteger(middle) ? (sorted[middle - 1]! + sorted[middle]!) / 2 : sorted[Math.floor(middle)]!
}

function fmt(value: number, digits = 0): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '—'
}

function table(results: DatabaseResults): string {
  const { intake, bare } = results
  const runsOf = (r: PhaseResult) => (r.phase === 'intake' ? results.intakeRuns : results.bareRuns)
  const rows: Array<[string, (r: PhaseResult) => string]> = [
    ['updates queued / handled by the bot', r => `${r.updatesQueued} / ${r.updatesHandled}`],
    ['residents completed', r => `${r.residentsCompleted} / ${r.residents}${r.timedOut ? ' (deadline hit)' : ''}`],
    ['wall time (first update → last reply)', r => `${fmt(r.wallMs / 1000, 2)} s`],
    ['throughput (updates/s)', r => fmt(r.updatesPerSecond, 0)],
    ['  every run (updates/s)', r => runsOf(r).map(run => fmt(run.updatesPerSecond, 0)).join(', ')],
    ['Bot API calls per update (w/o getUpdates)', r => fmt(Object.entries(r.apiCalls).reduce((sum, [m, n]) => sum + (m === 'getUpdates' ? 0 : n), 0) / r.updatesHandled, 2)],
    ['latency p50 (ms)', r => fmt(r.latencyMs.p50, 1)],
    ['latency p95 (ms)', r => fmt(r.latencyMs.p95, 1)],
    ['latency p99 (ms)', r => fmt(r.latencyMs.p99, 1)],
    ['latency max (ms)', r => fmt(r.latencyMs.max, 1)],
    ['CPU during run (share of one core)', r => `${fmt(100 * r.cpuShare, 0)}%`],
    ['CPU ms per update (median of runs)', r => fmt(median(runsOf(r).map(run => run.cpuMsPerUpdate)), 2)],
    ['load average at start → end', r => r.load.map(l => l.toFixed(1)).join(' → ')],
    ['RSS before run → peak during run (MB)', r => `${fmt(r.rssBaselineMb, 0)} → ${fmt(r.rssPeakMb, 0)}`],
    ['process max RSS (MB)', r => fmt(r.maxRssMb, 0)],
    ['tickets stored / expected (lost)', r => (r.tickets ? `${r.tickets.stored} / ${r.tickets.expected} (${r.tickets.lost} lost${r.tickets.mismatched ? `, ${r.tickets.mismatched} with wrong content` : ''})` : '—')],
  ]
  const width = Math.max(...rows.map(r => r[0].length)) + 2
  const cell = (r: PhaseResult | undefined, f: (r: PhaseResult) => string) => (r ? f(r) : 'failed').padEnd(22)
  return [
    `  ${''.padEnd(width)}${'full intake'.padEnd(22)}${'bare grammY'.padEnd(22)}`,
    ...rows.map(([label, f]) => `  ${label.padEnd(width)}${cell(intake, f)}${cell(bare, f)}`),
  ].join('\n')
}

function callTable(intake: PhaseResult | undefined, bare: PhaseResult | undefined): string {
  const line = (r: PhaseResult | undefined) => (r
    ? Object.entries(r.apiCalls).map(([method, n]) => `${method} ${fmt(n / r.updatesHandled, 2)}`).join(', ')
    : '—')
  return [
    '  Bot API calls per update handled, by method:',
    `    full intake: ${line(intake)}`,
    `    bare grammY: ${line(bare)}`,
  ].join('\n')
}

function stepTable(intake: PhaseResult | undefined, bare: PhaseResult | undefined): string {
  const steps = [...new Set([...STEP_ORDER, ...Object.keys(intake?.handleMsByStep ?? {}), ...Object.keys(bare?.handleMsByStep ?? {})])]
    .filter(s => intake?.handleMsByStep[s] || bare?.handleMsByStep[s])
  return [
    '  time inside bot.handleUpdate per update, mean ms (intake | bare):',
    ...steps.map(s => `    ${s.padEnd(16)} ${fmt(intake?.handleMsByStep[s]?.meanMs ?? Number.NaN, 2).padStart(8)} | ${fmt(bare?.handleMsByStep[s]?.meanMs ?? Number.NaN, 2).padStart(6)}`),
  ].join('\n')
}

async function runParent(options: Options): Promise<number> {
  const started = performance.now()
  const log = (line: string) => process.stderr.write(`${line}\n`)
  const grammyVersion = (JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules/grammy/package.json'), 'utf8')) as { version: string }).version
  const cpuList = cpus()
  const machine = `${cpuList.length} cores (${cpuList[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, ${process.platform}/${process.arch}, grammY ${grammyVersion}`

  const databases: Provider[] = []
  const skipped: string[] = []
  for (const db of options.databases) {
    if (db === 'postgresql') {
      const problem = await postgresProblem()
      if (problem !== null) {
        skipped.push(`PostgreSQL SKIPPED: ${problem}`)
        log(`⚠ PostgreSQL SKIPPED: ${problem}`)
        continue
      }
    }
    databases.push(db)
  }

  const results: Record<string, DatabaseResults> = {}
  // Intake and bare alternate, so that both see the same conditions on a machine that may be shared.
  const phases = databases.flatMap(db => Array.from({ length: options.repeat }, (_, run) =>
    (['intake', 'bare'] as const).map(phase => ({ db, phase, run })))).flat()
  // The intake takes several times as long as the bare bot: it gets a bigger share of the time left.
  const weight = (phase: PhaseKind) => (phase === 'intake' ? 4 : 1)
  for (const [i, { db, phase, run }] of phases.entries()) {
    const remaining = options.maxSeconds - (performance.now() - started) / 1000
    const weights = phases.slice(i).reduce((sum, p) => sum + weight(p.phase), 0)
    const seconds = Math.floor(Math.min(180, (remaining * weight(phase)) / weights))
    const entry = results[db] ??= { intakeRuns: [], bareRuns: [], errors: [] }
    if (seconds < 5) {
      entry.errors.push(`${phase} run ${run + 1}: not run, --max-seconds ${options.maxSeconds} used up`)
      continue
    }
    try {
      const result = await runPhaseInChild(options, phase, db, seconds, run, log)
      ;(phase === 'intake' ? entry.intakeRuns : entry.bareRuns).push(result)
    }
    catch (error) {
      entry.errors.push((error as Error).message)
      log(`✗ ${(error as Error).message}`)
    }
  }
  for (const entry of Object.values(results)) {
    entry.intake = medianRun(entry.intakeRuns)
    entry.bare = medianRun(entry.bareRuns)
  }

  const report = {
    method: {
      machine,
      residents: options.residents,
      groups: options.groups,
      concurrency: options.concurrency,
      updatesPerResident: 4,
      warmup: options.warmup,
      repeat: options.repeat,
      textSource: Object.values(results).flatMap(r => [...r.intakeRuns, ...r.bareRuns])[0]?.textSource ?? '',
      seed: options.seed,
    },
    skipped,
    databases: Object.fromEntries(Object.entries(results).map(([db, r]) => [db, {
      ...r,
      ratio: r.intake && r.bare && r.bare.updatesPerSecond > 0 ? r.intake.updatesPerSecond / r.bare.updatesPerSecond : null,
      cpuRatio: r.intake && r.bare ? median(r.bareRuns.map(b => b.cpuMsPerUpdate)) / median(r.intakeRuns.map(i => i.cpuMsPerUpdate)) : null,
    }])),
    goal: GOAL_RATIO,
  }

  let ok = true
  for (const r of Object.values(results)) {
    const runs = [...r.intakeRuns, ...r.bareRuns]
    if (!r.intake || !r.bare || r.errors.length > 0 || runs.some(run => run.failures.length > 0 || run.timedOut)
      || r.intakeRuns.some(run => (run.tickets?.lost ?? 1) > 0 || (run.tickets?.mismatched ?? 0) > 0)) {
      ok = false
    }
  }
  const busiest = Math.max(0, ...Object.values(results).flatMap(r => [...r.intakeRuns, ...r.bareRuns]).flatMap(run => run.load))

  if (options.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
    return ok ? 0 : 1
  }

  const out: string[] = []
  out.push('', '回音 Huiyin — intake throughput benchmark', '')
  out.push('Method')
  out.push(`  machine:      ${machine}`)
  out.push(`  workload:     ${options.residents} residents in ${options.groups} residents' groups (bound to their area), ${options.concurrency} at a time,`)
  out.push(`                after ${options.warmup} unmeasured warm-up residents in the same process;`)
  out.push('                each walking a complete report one step after another: /report → description (reply, place in it) →')
  out.push('                contact toggle on the summary (edited in place) → confirm (4 updates, 2 messages + 2 button presses)')
  out.push(`  texts:        ${report.method.textSource}`)
  out.push('  full intake:  the real app (createApp: long polling into the inbox, concurrent dispatcher, offline classifier, no LLM, conversation state')
  out.push('                and tickets in a fresh scratch database), as in production except the Bot API root')
  out.push('  bare grammY:  new Bot(...) on bot.start(), ctx.reply(\'ok\') per message, answerCallbackQuery per press, same updates')
  out.push('  server:       the project\'s fake Bot API (test/fakes), call recording off, 127.0.0.1, same process as the bot;')
  out.push(`                each phase in a fresh Node process of its own; intake and bare alternate, ${options.repeat} run(s) each`)
  out.push('                per database, and the tables show the run of median throughput of each')
  out.push('  throughput:   updates handled by bot.handleUpdate / (first update queued → last reply received)')
  out.push('  latency:      per update, test side queues it → fake server answers the bot\'s reply to it (next question, summary,')
  out.push('                its edit, or the number; \'ok\' or the callback answer for the bare bot), includes waiting behind other')
  out.push('                residents\' updates')
  out.push('  memory:       RSS sampled every 50 ms during the run; process max RSS from resourceUsage()')
  out.push('  CPU:          process CPU time (user + system) during the run; the PostgreSQL server\'s own CPU is not included')
  for (const message of skipped)
    out.push('', `⚠ ${message}`)
  if (Object.keys(results).length === 0)
    out.push('', 'Nothing was measured.')
  if (busiest > cpuList.length) {
    out.push('', `⚠ The machine was busy with other work (1-minute load average up to ${busiest.toFixed(1)} on ${cpuList.length} cores):`, '  wall-clock figures are noisy; CPU ms per update and the CPU-time ratio are the steadier comparison.')
  }
  for (const [db, r] of Object.entries(results)) {
    out.push('', `${db === 'sqlite' ? 'SQLite (libSQL, WAL)' : 'PostgreSQL (node-postgres)'}`)
    out.push(table(r))
    out.push(callTable(r.intake, r.bare))
    out.push(stepTable(r.intake, r.bare))
    const { ratio, cpuRatio } = report.databases[db]!
    if (ratio !== null) {
      const met = ratio >= GOAL_RATIO
      out.push(`  ratio full intake / bare throughput (medians): ${(100 * ratio).toFixed(1)}%  (goal ≥ ${100 * GOAL_RATIO}%: ${met ? 'MET' : 'NOT MET'})`)
    }
    if (cpuRatio !== null)
      out.push(`  ratio of CPU time per update, bare / full intake (medians): ${(100 * cpuRatio).toFixed(1)}%`)
    for (const error of [...r.errors, ...[...r.intakeRuns, ...r.bareRuns].flatMap(run => run.failures)])
      out.push(`  ✗ ${error}`)
    if (r.intake?.profile)
      out.push(r.intake.profile)
  }
  out.push('', `total ${((performance.now() - started) / 1000).toFixed(0)} s`)
  process.stdout.write(`${out.join('\n')}\n`)
  return ok ? 0 : 1
}

// ------------------------------------------------------------------------------------------------ main

try {
  const { options, phase, deadline, resultFile } = parseOptions(process.argv.slice(2))
  if (phase !== undefined) {
    await runChild(options, phase, options.databases.length === 1 ? options.databases[0]! : '', deadline, resultFile)
    process.exit(0)
  }
  process.exit(await runParent(options))
}
catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message ? `bench-intake: ${error.message}\n` : ''}${USAGE}\n`)
    process.exit(1)
  }
  process.stderr.write(`bench-intake: ${(error as Error).stack ?? error}\n`)
  process.exit(1)
}
