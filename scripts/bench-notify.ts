import type { OutboxDraft } from '#root/domain/outbox.js'
import type { Deliver } from '#root/notify/outbox-worker.js'
import type { OutboxStore } from '#root/store/outbox-store.js'
import type { ChildProcess } from 'node:child_process'
/**
 * Delivery throughput of the outbox worker against a Telegram that enforces its flood limits:
 *
 *   npm run bench:notify -- [--reporters 10000] [--groups M] [--group-share 0.1] [--db sqlite|postgresql]
 *                           [--batch-size 50] [--max-seconds S] [--json]
 *
 * The scenario of the issue: one status-change notification is queued for each of N reporters at once (as when a
 * department closes a batch of tickets), and the bot has to deliver all of them without being flooded out, losing
 * or doubling any. Telegram allows about 30 messages a second over all chats, 1 a second per private chat and 20 a
 * minute per group; the goal is to deliver at ≥ 90% of the 30/s allowed, with no duplicate and no loss.
 *
 * - Telegram: the fake Bot API server (test/fakes/telegram-server.ts) with `rateLimits: true`, so that it answers
 *   429 + retry_after exactly where Telegram's published limits are exceeded, and no call recording. It runs in a
 *   child process of its own: its CPU and memory are not the bot's, and it judges the limits by its own clock, on
 *   arrival, as Telegram does. Each reporter is a user who has started the bot; with --groups, a share of them
 *   (--group-share, default 0.1) reported in one of M residents' groups and are answered there, as a reply.
 * - The bot side (this process): a fresh scratch database (SQLite file, or a PostgreSQL database on
 *   TEST_POSTGRES_URL), the N notifications queued through `enqueueDrafts` inside transactions as the ticket store
 *   does, then the real `createOutboxWorker` with its `SendRateLimiter`, and a `deliver` that calls
 *   `api.sendMessage` on a plain grammY `Api` (no auto-retry plugin: every retry is the worker's) until the outbox
 *   is drained or --max-seconds have passed.
 *
 * Measured: delivered/s overall (worker start → outbox drained) and in steady state (between the 10th and the
 * 90th percentile of delivery times), against the 30/s allowed; 429s Telegram answered; duplicates (messages the
 * fake received more than once for one dedup key, read from a marker in the text: must be 0); lost (queued but never
 * received: must be 0); time to drain; the most messages the fake accepted in any one second; peak RSS of the bot
 * process (and of the fake's); where the worker's time went (database calls, HTTP round trips, limiter waits).
 * Traffic stays on 127.0.0.1. Exit codes: 0 ran with no duplicate and no loss, 1 otherwise or on bad arguments.
 */
import { spawn } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { maxInWindow, percentile } from './lib/workload.js'

const SCRIPT = fileURLToPath(import.meta.url)
const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url))
const ALLOWED_PER_SECOND = 30
const GROUP_PER_MINUTE = 20
const GOAL_RATIO = 0.9
const ENQUEUE_CHUNK = 500
const MB = 1024 * 1024
const USAGE = 'usage: npm run bench:notify -- [--reporters N] [--groups M] [--group-share F] [--db sqlite|postgresql] '
  + '[--batch-size B] [--max-seconds S] [--json]'

type Provider = 'sqlite' | 'postgresql'

interface Options {
  reporters: number
  groups: number
  groupShare: number
  db: Provider
  batchSize: number
  maxSeconds: number
  json: boolean
}

// ------------------------------------------------------------------------------------------------ arguments

class UsageError extends Error {}

function positiveInt(value: string | undefined, name: string, fallback: number, min = 1): number {
  if (value === undefined)
    return fallback
  if (!/^\d+$/.test(value) || Number(value) < min)
    throw new UsageError(`--${name} must be an integer ≥ ${min}, not "${value}"`)
  return Number(value)
}

function parseOptions(argv: string[]): Options & { fakeServer: boolean, help: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      'reporters': { type: 'string' },
      'groups': { type: 'string' },
      'group-share': { type: 'string' },
      'db': { type: 'string' },
      'batch-size': { type: 'string' },
      'max-seconds': { type: 'string' },
      'json': { type: 'boolean', default: false },
      'help': { type: 'boolean', default: false },
      // Internal: this process is the fake Telegram of a run.
      'fake-server': { type: 'boolean', default: false },
    },
    strict: true,
  })
  const reporters = positiveInt(values.reporters, 'reporters', 10_000)
  const groups = positiveInt(values.groups, 'groups', 0, 0)
  const share = values['group-share'] === undefined ? (groups > 0 ? 0.1 : 0) : Number(values['group-share'])
  if (!Number.isFinite(share) || share < 0 || share > 1)
    throw new UsageError(`--group-share must be between 0 and 1, not "${values['group-share']}"`)
  if (share > 0 && groups === 0)
    throw new UsageError('--group-share needs --groups M (M ≥ 1)')
  const db = values.db ?? 'sqlite'
  if (db !== 'sqlite' && db !== 'postgresql')
    throw new UsageError(`--db must be sqlite or postgresql, not "${db}"`)
  // Twice the ideal drain time plus a margin: a run that slow has failed its goal anyway, and it must end.
  const ideal = reporters / ALLOWED_PER_SECOND
  return {
    reporters,
    groups,
    groupShare: share,
    db,
    batchSize: positiveInt(values['batch-size'], 'batch-size', 50),
    maxSeconds: positiveInt(values['max-seconds'], 'max-seconds', Math.ceil(ideal * 2 + 120)),
    json: values.json,
    help: values.help,
    fakeServer: values['fake-server'],
  }
}

// ------------------------------------------------------------------------------------------------ the fake Telegram (child process)

/** Messages between the bot side and the fake's process. */
type ToFake
  = | { type: 'setup', reporters: number, groups: number, groupReporters: number }
    | { type: 'stats' }
    | { type: 'close' }

interface FakeReady {
  type: 'ready'
  apiRoot: string
  token: string
  /** Private chat of each reporter (the user id). */
  reporters: number[]
  /** For the reporters answered in a group: the group and their report there, by reporter index. */
  groupReports: Array<{ reporter: number, chatId: number, messageId: number }>
}

interface FakeStats {
  type: 'stats'
  /** sendMessage calls answered, by outcome ('ok', '429', '403', …). */
  outcomes: Record<string, number>
  /** Messages received per dedup key, for keys received more than once. */
  duplicates: Array<[string, number]>
  /** Every dedup key received at least once. */
  receivedKeys: string[]
  /** The most messages accepted in any 1000 ms, over all chats. */
  maxPerSecond: number
  /** The most messages accepted in any 60 s in one group. */
  maxPerGroupMinute: number
  maxRssMb: number
}

const MARKER = /\[bench:([^\]]+)\]$/

async function runFakeServer(): Promise<void> {
  const { startFakeTelegram } = await import('../test/fakes/telegram-server.js')
  const { ApiError } = await import('../test/fakes/telegram/api-error.js')
  const telegram = await startFakeTelegram({ rateLimits: true, recordCalls: false })
  const outcomes: Record<string, number> = {}
  const accepted: number[] = []
  const acceptedPerGroup = new Map<number, number[]>()
  // Counted around the world's own method, since no calls are recorded: what Telegram decided, when it decided it.
  const invoke = telegram.invoke.bind(telegram)
  telegram.invoke = (method, params, signal) => {
    const counted = method.toLowerCase() === 'sendmessage'
    try {
      const result = invoke(method, params, signal)
      if (counted) {
        const time = Date.now()
        outcomes.ok = (outcomes.ok ?? 0) + 1
        accepted.push(time)
        const chatId = Number(params.string('chat_id'))
        if (chatId < 0) {
          const times = acceptedPerGroup.get(chatId) ?? []
          times.push(time)
          acceptedPerGroup.set(chatId, times)
        }
      }
      return result
    }
    catch (error) {
      if (counted) {
        const code = error instanceof ApiError ? String(error.errorCode) : 'exception'
        outcomes[code] = (outcomes[code] ?? 0) + 1
      }
      throw error
    }
  }

  const send = (message: FakeReady | FakeStats | { type: 'listening' | 'closed' }) => new Promise<void>((resolve, reject) =>
    process.send!(message, error => (error ? reject(error) : resolve())))

  process.on('message', (raw) => {
    const message = raw as ToFake
    void (async () => {
      if (message.type === 'setup') {
        const users = Array.from({ length: message.reporters }, (_, i) => {
          const user = telegram.createUser({ first_name: `居民${i}`, language_code: 'zh-hans' })
          telegram.startPrivateChat(user)
          return user
        })
        const groups = Array.from({ length: message.groups }, (_, i) => telegram.createGroup({ title: `居民群 ${i + 1}`, quiet: true }))
        // Spread evenly over the reporters, and round-robin over the groups.
        const step = message.groupReporters > 0 ? message.reporters / message.groupReporters : 0
        const groupReports = Array.from({ length: message.groupReporters }, (_, k) => {
          const reporter = Math.floor(k * step)
          const group = groups[k % groups.length]!
          const report = telegram.sendMessage({ chat: group, from: users[reporter]!, text: `/report 路灯不亮 ${k}` }).message
          return { reporter, chatId: group.id, messageId: report.message_id }
        })
        await send({ type: 'ready', apiRoot: telegram.apiRoot, token: telegram.token, reporters: users.map(u => u.id), groupReports })
      }
      else if (message.type === 'stats') {
        const perKey = new Map<string, number>()
        for (const sent of telegram.sentMessages()) {
          const key = MARKER.exec(sent.text ?? '')?.[1]
          if (key !== undefined)
            perKey.set(key, (perKey.get(key) ?? 0) + 1)
        }
        await send({
          type: 'stats',
          outcomes,
          duplicates: [...perKey].filter(([, n]) => n > 1),
          receivedKeys: [...perKey.keys()],
          maxPerSecond: maxInWindow(accepted, 1000),
          maxPerGroupMinute: Math.max(0, ...[...acceptedPerGroup.values()].map(times => maxInWindow(times, 60_000))),
          maxRssMb: process.resourceUsage().maxRSS / 1024,
        })
      }
      else {
        await telegram.close()
        await send({ type: 'closed' })
        process.exit(0)
      }
    })().catch((error: unknown) => {
      console.error('fake Telegram failed:', error)
      process.exit(1)
    })
  })
  // The bot side going away (crash, Ctrl-C) takes the fake with it.
  process.on('disconnect', () => process.exit(0))
  await send({ type: 'listening' })
}

/** The bot side's handle on the fake's process: one request, one answer, in order. */
class FakeProcess {
  private readonly inbox: unknown[] = []
  private waiting: ((message: unknown) => void) | undefined

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message) => {
      if (this.waiting) {
        const resolve = this.waiting
        this.waiting = undefined
        resolve(message)
      }
      else {
        this.inbox.push(message)
      }
    })
  }

  static async start(): Promise<FakeProcess> {
    const child = spawn(process.execPath, [...process.execArgv, SCRIPT, '--fake-server'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: process.env,
    })
    const fake = new FakeProcess(child)
    const exited = new Promise<never>((_, reject) => child.once('exit', code => reject(new Error(`the fake Telegram exited (${code})`))))
    exited.catch(() => {})
    // Its first word, once it listens.
    await Promise.race([fake.next(), exited])
    return fake
  }

  private next(): Promise<unknown> {
    const queued = this.inbox.shift()
    if (queued !== undefined)
      return Promise.resolve(queued)
    return new Promise((resolve) => {
      this.waiting = resolve
    })
  }

  async request<T>(message: ToFake): Promise<T> {
    this.child.send(message)
    return (await this.next()) as T
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || !this.child.connected)
      return
    const exited = new Promise(resolve => this.child.once('exit', resolve))
    await this.request({ type: 'close' })
    await exited
  }

  kill(): void {
    if (this.child.exitCode === null)
      this.child.kill()
  }
}

// ------------------------------------------------------------------------------------------------ the bot side

interface Timing { calls: number, ms: number }

interface Result {
  method: string
  db: Provider
  reporters: number
  groups: number
  groupReplies: number
  batchSize: number
  messages: number
  enqueueMs: number
  /** Worker start → outbox drained (or the deadline). */
  drainMs: number
  delivered: number
  deliveredPerSecond: { overall: number, steady: number }
  allowedPerSecond: number
  ratio: { overall: number, steady: number }
  /** The shortest possible drain given the limits (global, and each group's 20/min). */
  idealDrainMs: number
  telegram: { outcomes: Record<string, number>, status429: number, maxPerSecond: number, maxPerGroupMinute: number }
  duplicates: number
  duplicateExamples: Array<[string, number]>
  lost: number
  lostExamples: string[]
  outbox: Record<string, number>
  undeliverable: number
  timedOut: boolean
  /** RSS when the worker started (modules, database client, the queued drafts) and its peak during the run. */
  rssBaselineMb: number
  rssPeakMb: number
  maxRssMb: number
  fakeMaxRssMb: number
  /** Where the worker's time went. */
  time: { store: Record<string, Timing>, http: Timing & { p50: number, p99: number, max: number } }
  deliverErrors: Record<string, number>
}

/** Wraps every method of the store to add up the calls and the time spent in them. */
function timedStore(store: OutboxStore, timings: Record<string, Timing>): OutboxStore {
  const wrapped = {} as Record<string, unknown>
  for (const [name, fn] of Object.entries(store) as Array<[string, (...args: unknown[]) => Promise<unknown>]>) {
    const timing: Timing = (timings[name] = { calls: 0, ms: 0 })
    wrapped[name] = async (...args: unknown[]) => {
      const start = performance.now()
      try {
        return await fn(...args)
      }
      finally {
        timing.calls++
        timing.ms += performance.now() - start
      }
    }
  }
  return wrapped as unknown as OutboxStore
}

async function runBench(options: Options): Promise<Result> {
  const [{ Api, GrammyError, HttpError }, { pino }, { createOutboxWorker }, { createOutboxStore, enqueueDrafts }, { createScratchDatabase, TEST_POSTGRES_URL, isPostgresAvailable }] = await Promise.all([
    import('grammy'),
    import('pino'),
    import('#root/notify/outbox-worker.js'),
    import('#root/store/outbox-store.js'),
    import('../test/helpers/database.js'),
  ])
  if (options.db === 'postgresql') {
    const host = new URL(TEST_POSTGRES_URL).hostname
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(host))
      throw new UsageError(`TEST_POSTGRES_URL must point at this machine (127.0.0.1), not ${host}`)
    if (!(await isPostgresAvailable()))
      throw new UsageError('PostgreSQL does not answer at TEST_POSTGRES_URL')
  }

  const groupReplies = Math.round(options.reporters * options.groupShare)
  const fake = await FakeProcess.start()
  const scratch = await createScratchDatabase(options.db)
  try {
    const world = await fake.request<FakeReady>({ type: 'setup', reporters: options.reporters, groups: options.groups, groupReporters: groupReplies })
    const db = await scratch.open()

    // One notification per reporter, queued the way a status change queues it: inside a transaction, through the
    // ledger. Chunked, so that queueing 10,000 does not take as long as the run.
    const inGroup = new Map(world.groupReports.map(r => [r.reporter, r]))
    const drafts: OutboxDraft[] = world.reporters.map((chatId, i) => {
      const number = `HY-20261126-${String(i + 1).padStart(5, '0')}`
      const key = `ticket:${i + 1}:status:resolved:reporter`
      const text = `您的工单 ${number} 已办结，感谢您的反映。[bench:${key}]`
      const group = inGroup.get(i)
      return group
        ? { dedupKey: key, ticketId: null, chatId: group.chatId, payload: { kind: 'message', text, replyToMessageId: group.messageId } }
        : { dedupKey: key, ticketId: null, chatId, payload: { kind: 'message', text } }
    })
    const enqueueStart = performance.now()
    const at = new Date()
    for (let i = 0; i < drafts.length; i += ENQUEUE_CHUNK)
      await db.prisma.$transaction(tx => enqueueDrafts(tx, drafts.slice(i, i + ENQUEUE_CHUNK), at), { timeout: 60_000 })
    const enqueueMs = performance.now() - enqueueStart

    const api = new Api(world.token, { apiRoot: world.apiRoot })
    const deliveredAt: number[] = []
    const httpMs: number[] = []
    const deliverErrors: Record<string, number> = {}
    const deliver: Deliver = async (message) => {
      if (message.payload.kind !== 'message')
        throw new Error('only text notifications are queued here')
      const { text, replyToMessageId } = message.payload
      const start = performance.now()
      try {
        const sent = await api.sendMessage(message.chatId, text, replyToMessageId ? { reply_parameters: { message_id: replyToMessageId } } : {})
        deliveredAt.push(performance.now())
        return { messageId: sent.message_id }
      }
      catch (error) {
        const kind = error instanceof GrammyError ? String(error.error_code) : error instanceof HttpError ? 'network' : 'other'
        deliverErrors[kind] = (deliverErrors[kind] ?? 0) + 1
        throw error
      }
      finally {
        httpMs.push(performance.now() - start)
      }
    }

    const timings: Record<string, Timing> = {}
    const outbox = timedStore(createOutboxStore(db), timings)
    let undeliverable = 0
    const worker = createOutboxWorker({
      outbox,
      deliver,
      logger: pino({ level: 'warn' }, pino.destination(2)),
      batchSize: options.batchSize,
      onUndeliverable: async () => {
        undeliverable++
      },
    })

    const rssBaseline = process.memoryUsage.rss()
    let rssPeak = rssBaseline
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage.rss())
    }, 100)
    const plain = createOutboxStore(db) // polled outside the timings, which are the worker's
    const start = performance.now()
    const deadline = start + options.maxSeconds * 1000
    worker.start()
    let timedOut = false
    let lastReport = start
    for (;;) {
      await new Promise(resolve => setTimeout(resolve, 250))
      const counts = await plain.counts()
      if (counts.pending + counts.sending === 0)
        break
      if (performance.now() > deadline) {
        timedOut = true
        break
      }
      if (!options.json && performance.now() - lastReport >= 30_000) {
        lastReport = performance.now()
        const elapsed = (lastReport - start) / 1000
        console.error(`  … ${elapsed.toFixed(0)} s: ${counts.sent} sent, ${counts.pending + counts.sending} to go (${(counts.sent / elapsed).toFixed(1)}/s)`)
      }
    }
    const drainMs = (deliveredAt.at(-1) ?? performance.now()) - start
    await worker.stop()
    clearInterval(sampler)
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss())

    const stats = await fake.request<FakeStats>({ type: 'stats' })
    const received = new Set(stats.receivedKeys)
    const lost = drafts.filter(d => !received.has(d.dedupKey)).map(d => d.dedupKey)
    const outboxCounts = await plain.counts()
    await db.close()

    const sorted = [...deliveredAt].sort((a, b) => a - b)
    const steady = steadyRate(sorted)
    const overall = drainMs > 0 ? deliveredAt.length / (drainMs / 1000) : 0
    const perGroup = options.groups > 0 ? Math.ceil(groupReplies / options.groups) : 0
    const idealDrainMs = Math.max(
      (drafts.length / ALLOWED_PER_SECOND) * 1000,
      perGroup > GROUP_PER_MINUTE ? (Math.ceil(perGroup / GROUP_PER_MINUTE) - 1) * 60_000 : 0,
    )
    const httpSorted = [...httpMs].sort((a, b) => a - b)
    return {
      method: 'fake Telegram with rateLimits: true in a child process; worker + grammY Api (no auto-retry) in this one',
      db: options.db,
      reporters: options.reporters,
      groups: options.groups,
      groupReplies,
      batchSize: options.batchSize,
      messages: drafts.length,
      enqueueMs,
      drainMs,
      delivered: deliveredAt.length,
      deliveredPerSecond: { overall, steady },
      allowedPerSecond: ALLOWED_PER_SECOND,
      ratio: { overall: overall / ALLOWED_PER_SECOND, steady: steady / ALLOWED_PER_SECOND },
      idealDrainMs,
      telegram: { outcomes: stats.outcomes, status429: stats.outcomes['429'] ?? 0, maxPerSecond: stats.maxPerSecond, maxPerGroupMinute: stats.maxPerGroupMinute },
      duplicates: stats.duplicates.reduce((sum, [, n]) => sum + n - 1, 0),
      duplicateExamples: stats.duplicates.slice(0, 5),
      lost: lost.length,
      lostExamples: lost.slice(0, 5),
      outbox: outboxCounts,
      undeliverable,
      timedOut,
      rssBaselineMb: rssBaseline / MB,
      rssPeakMb: rssPeak / MB,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      fakeMaxRssMb: stats.maxRssMb,
      time: {
        store: timings,
        http: {
          calls: httpMs.length,
          ms: httpMs.reduce((sum, x) => sum + x, 0),
          p50: percentile(httpSorted, 50),
          p99: percentile(httpSorted, 99),
          max: httpSorted.at(-1) ?? Number.NaN,
        },
      },
      deliverErrors,
    }
  }
  finally {
    await fake.close().catch(() => fake.kill())
    await scratch.drop().catch(() => {})
  }
}

/** Deliveries per second between the 10th and the 90th percentile of delivery times: the run without its ends. */
function steadyRate(sorted: readonly number[]): number {
  if (sorted.length < 20)
    return Number.NaN
  const from = Math.floor(sorted.length * 0.1)
  const to = Math.floor(sorted.length * 0.9)
  const ms = sorted[to]! - sorted[from]!
  return ms > 0 ? ((to - from) / ms) * 1000 : Number.NaN
}

// ------------------------------------------------------------------------------------------------ report

function report(r: Result): string {
  const f = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a')
  const pct = (x: number) => `${f(x * 100)}%`
  const verdict = (ok: boolean) => (ok ? 'ok' : 'FAIL')
  const storeLines = Object.entries(r.time.store)
    .filter(([, t]) => t.calls > 0)
    .map(([name, t]) => `    ${name.padEnd(12)} ${String(t.calls).padStart(7)} calls  ${f(t.ms / 1000)} s  (${f(t.ms / t.calls, 2)} ms each)`)
  const storeMs = Object.values(r.time.store).reduce((sum, t) => sum + t.ms, 0)
  const waitMs = r.drainMs - storeMs - r.time.http.ms
  return [
    `bench:notify (${r.db}) — ${r.messages} notifications, ${r.reporters} reporters${r.groups > 0 ? `, ${r.groupReplies} answered in ${r.groups} groups` : ''}, batch ${r.batchSize}`,
    '',
    `  messages queued          ${r.messages} (in ${f(r.enqueueMs / 1000)} s, through enqueueDrafts in transactions of ${ENQUEUE_CHUNK})`,
    `  delivered                ${r.delivered}`,
    `  time to drain            ${f(r.drainMs / 1000)} s   (ideal at the limits: ${f(r.idealDrainMs / 1000)} s)${r.timedOut ? '   TIMED OUT' : ''}`,
    `  delivered/s, overall     ${f(r.deliveredPerSecond.overall, 2)}   = ${pct(r.ratio.overall)} of the ${r.allowedPerSecond}/s allowed`,
    `  delivered/s, steady      ${f(r.deliveredPerSecond.steady, 2)}   = ${pct(r.ratio.steady)} of the ${r.allowedPerSecond}/s allowed   goal ≥ ${pct(GOAL_RATIO)}: ${verdict(r.ratio.steady >= GOAL_RATIO)}`,
    `  429s received            ${r.telegram.status429}`,
    `  duplicates               ${r.duplicates}   ${verdict(r.duplicates === 0)}${r.duplicateExamples.length > 0 ? `  e.g. ${JSON.stringify(r.duplicateExamples)}` : ''}`,
    `  lost                     ${r.lost}   ${verdict(r.lost === 0)}${r.lostExamples.length > 0 ? `  e.g. ${JSON.stringify(r.lostExamples)}` : ''}`,
    `  undeliverable            ${r.undeliverable}`,
    `  outbox afterwards        ${JSON.stringify(r.outbox)}`,
    `  Telegram's answers       ${JSON.stringify(r.telegram.outcomes)}; most accepted in any 1 s: ${r.telegram.maxPerSecond}${r.groups > 0 ? `; in any 60 s in one group: ${r.telegram.maxPerGroupMinute}` : ''}`,
    `  deliver errors seen      ${JSON.stringify(r.deliverErrors)}`,
    `  peak RSS                 ${f(r.rssPeakMb, 0)} MB sampled every 100 ms (${f(r.rssBaselineMb, 0)} MB when the worker started; process max ${f(r.maxRssMb, 0)} MB); the fake's process: ${f(r.fakeMaxRssMb, 0)} MB`,
    '',
    '  where the worker\'s time went:',
    ...storeLines,
    `    HTTP sendMessage ${String(r.time.http.calls).padStart(7)} calls  ${f(r.time.http.ms / 1000)} s  (p50 ${f(r.time.http.p50, 2)} ms, p99 ${f(r.time.http.p99, 2)} ms, max ${f(r.time.http.max, 0)} ms)`,
    `    waiting (limiter, 429 pauses, idle polls) ≈ ${f(waitMs / 1000)} s`,
    '',
    `  method: ${r.method}. Steady state = deliveries between the 10th and 90th percentile of delivery times.`,
    '  Duplicates and losses are counted on the fake\'s side, by the dedup key in a marker at the end of each text.',
  ].join('\n')
}

// ------------------------------------------------------------------------------------------------ main

async function main(): Promise<number> {
  let options: ReturnType<typeof parseOptions>
  try {
    options = parseOptions(process.argv.slice(2))
  }
  catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`)
    return 1
  }
  if (options.help) {
    console.log(USAGE)
    return 0
  }
  if (options.fakeServer) {
    await runFakeServer()
    return -1 // keeps running until told to close
  }
  if (!options.json)
    console.error(`bench:notify: ${options.reporters} reporters on ${options.db}; at most ${options.maxSeconds} s …`)
  try {
    const result = await runBench(options)
    console.log(options.json ? JSON.stringify(result, null, 2) : report(result))
    return result.duplicates === 0 && result.lost === 0 && !result.timedOut ? 0 : 1
  }
  catch (error) {
    console.error(error instanceof UsageError ? `${error.message}\n${USAGE}` : error)
    return 1
  }
}

const code = await main()
if (code >= 0)
  process.exit(code)
