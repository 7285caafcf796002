import type { Chat, Message } from 'grammy/types'
import type { FakeTelegram } from '../test/fakes/telegram-server.js'
import type { TestResident } from '../test/helpers/test-app.js'
/**
 * The database stumbles during a stream of reports: the real app against the fake Bot API, and what was lost.
 *
 *   npm run test:faults:db -- [--db sqlite|postgresql|both] [--residents 40] [--fault-seconds 10] [--spacing-ms 300]
 *
 * For each database, in this process: a fake Telegram Bot API server (flood limits off: the database is the subject
 * here), the real app from src/app.ts (createApp + start, offline classifier) on a fresh database, an admins' group
 * and a handlers' group for every department. Residents in residents' groups start a report one every --spacing-ms
 * and walk it (/report → description with the place → the summary's confirm). Three seconds into
 * the stream the fault is injected for --fault-seconds:
 *
 * - sqlite: another process (the sqlite3 shell when installed, else a second libSQL connection) takes the file's
 *   write lock (BEGIN EXCLUSIVE plus a write) and holds it;
 * - postgresql: a throwaway PostgreSQL server this script starts itself (initdb/pg_ctl in a temporary folder on a
 *   free port, never the machine's shared server) is stopped (immediate mode, as in a crash) and started again.
 *
 * A resident whose step goes unanswered for 20 s, or is answered with the generic error, cancels and starts the
 * report over after 3, 6, then 9 s (at most 4 attempts), as a person would; a resident who pressed "confirm" never
 * confirms again. After the stream, the
 * script waits (up to 120 s) for the spool to drain and the outbox to deliver, then prints what it injected and
 * counts: reports acknowledged (a number at once, or "received" and a number later), acknowledged but not stored
 * (lost: the goal is 0), stored twice, acknowledged "received" but never told a number, cards missing or posted
 * twice, and restarts residents needed. Exit code 1 when anything acknowledged was lost or stored twice.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url))
const STEP_TIMEOUT_MS = 20_000
const MAX_ATTEMPTS = 4
const RESTART_PAUSE_MS = 3_000
const FAULT_AFTER_MS = 3_000
const SETTLE_TIMEOUT_MS = 120_000

const PROBLEMS = [
  '小区门口的路灯坏了一个星期，晚上很黑，老人出门不方便',
  '楼下垃圾桶好几天没人清运，味道很大，苍蝇很多',
  '晚上十一点以后工地还在施工，噪音太大影响休息',
  '12 路公交车最近经常不按时刻表发车，等了四十分钟',
  '自来水发黄有异味，已经持续三天了',
  '人行道上的井盖松动，踩上去会晃，怕有人掉下去',
]

const { values: args } = parseArgs({
  options: {
    'db': { type: 'string', default: 'both' },
    'residents': { type: 'string', default: '40' },
    'fault-seconds': { type: 'string', default: '10' },
    'spacing-ms': { type: 'string', default: '300' },
  },
})
const residentsCount = Number(args.residents)
const faultMs = Number(args['fault-seconds']) * 1000
const spacingMs = Number(args['spacing-ms'])

type Provider = 'sqlite' | 'postgresql'

interface Outcome {
  /** The number announced when confirming, or null when the report was acknowledged as spooled. */
  number: string | null
  acknowledged: 'stored' | 'queued' | 'unanswered' | 'gave-up'
  restarts: number
}

interface Fault {
  description: string
  start: () => Promise<void>
  end: () => Promise<void>
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

async function main(): Promise<void> {
  const providers: Provider[] = args.db === 'both' ? ['sqlite', 'postgresql'] : [args.db as Provider]
  let failed = false
  for (const provider of providers)
    failed = (await runPhase(provider)) || failed
  process.exit(failed ? 1 : 0)
}

/** One database: returns true when something acknowledged was lost or stored twice. */
async function runPhase(provider: Provider): Promise<boolean> {
  const [{ createApp }, { createConfig }, { createLogger }, { createChatStore }, { startFakeTelegram }, { TestResident }, { startThrowawayPostgres }, { holdSqliteWriteLock }] = await Promise.all([
    import('#root/app.js'),
    import('#root/config.js'),
    import('#root/logger.js'),
    import('#root/store/chat-store.js'),
    import('../test/fakes/telegram-server.js'),
    import('../test/helpers/test-app.js'),
    import('../test/helpers/throwaway-postgres.js'),
    import('../test/helpers/database.js'),
  ])
  console.log(`\n== ${provider}: ${residentsCount} residents, one every ${spacingMs} ms; fault after ${FAULT_AFTER_MS / 1000} s for ${faultMs / 1000} s`)

  const dir = mkdtempSync(join(tmpdir(), 'huiyin-faults-'))
  let url: string
  let fault: Fault
  let cleanUp = async () => {}
  if (provider === 'sqlite') {
    url = `file:${join(dir, 'huiyin.db')}`
    fault = sqliteLockFault(join(dir, 'huiyin.db'), url, holdSqliteWriteLock)
  }
  else {
    const server = await startThrowawayPostgres()
    if ('skip' in server) {
      console.log(`SKIPPED: ${server.skip}`)
      return false
    }
    url = server.url
    fault = {
      description: `throwaway PostgreSQL (${server.url}) stopped in immediate mode for ${faultMs / 1000} s, then started`,
      start: () => server.stop(),
      end: () => server.start(),
    }
    cleanUp = () => server.destroy()
  }

  const telegram = await startFakeTelegram()
  const spoolFile = join(dir, 'spool.jsonl')
  const config = createConfig({
    BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    DATABASE_URL: url,
    CATALOG_FILE: join(REPO_ROOT, 'prisma/catalog.json'),
    SPOOL_FILE: spoolFile,
    INBOX_FILE: join(dir, 'inbox.jsonl'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    CLASSIFY_MIN_CONFIDENCE: '0.01',
  })
  const app = await createApp(config, { logger: createLogger(config), botInfo: telegram.botInfo })
  const chats = createChatStore(app.database)
  const staffGroups: Chat[] = []
  const admins = telegram.createGroup({ title: '管理员群', quiet: true })
  staffGroups.push(admins)
  await chats.bind({ chatId: admins.id, kind: 'admins', title: '管理员群', areaName: null, departmentId: null, boundBy: 1 })
  for (const department of app.catalog.departments) {
    const group = telegram.createGroup({ title: department.nameZh, quiet: true })
    staffGroups.push(group)
    await chats.bind({ chatId: group.id, kind: 'handlers', title: department.nameZh, areaName: null, departmentId: department.id, boundBy: 1 })
  }
  const residentGroups = Array.from({ length: Math.ceil(residentsCount / 5) }, (_, i) => telegram.createGroup({ title: `居民群${i + 1}`, quiet: true }))
  for (const group of residentGroups)
    await chats.bind({ chatId: group.id, kind: 'residents', title: group.title ?? '', areaName: group.title ?? '', departmentId: null, boundBy: 1 })
  await app.start()

  const residents = Array.from({ length: residentsCount }, (_, i) =>
    new TestResident(telegram, telegram.createUser({ first_name: `居民${i + 1}` }), residentGroups[i % residentGroups.length]!, STEP_TIMEOUT_MS))
  const started = Date.now()
  const injected: string[] = []
  const faultRun = (async () => {
    await sleep(FAULT_AFTER_MS)
    const from = Date.now()
    await fault.start()
    await sleep(faultMs)
    await fault.end()
    injected.push(`${fault.description}: from t=${((from - started) / 1000).toFixed(1)} s to t=${((Date.now() - started) / 1000).toFixed(1)} s`)
    return Date.now()
  })()
  let spoolPeak = 0
  let spoolLastWaiting: number | null = null
  const sampleSpool = () => {
    const waiting = spoolLines(spoolFile)
    spoolPeak = Math.max(spoolPeak, waiting)
    if (waiting > 0)
      spoolLastWaiting = Date.now()
    return waiting
  }
  const sampler = setInterval(sampleSpool, 100)
  const stopSampling = () => clearInterval(sampler)
  const outcomes = await Promise.all(residents.map(async (resident, i) => {
    await sleep(i * spacingMs)
    return walk(telegram, resident, PROBLEMS[i % PROBLEMS.length]!, (i % 10) * 1_000)
  }))
  const faultEnded = await faultRun

  // Settle: the spool drains, the outbox delivers, every "received" becomes a number.
  const queued = outcomes.filter(o => o.acknowledged === 'queued').length
  const numbersLater = () => residents.filter((r, i) => outcomes[i]!.acknowledged === 'queued' && laterNumber(telegram, r) !== null).length
  const settleStart = Date.now()
  while (Date.now() - settleStart < SETTLE_TIMEOUT_MS) {
    const spooled = sampleSpool()
    const counts = await app.database.prisma.outboxMessage.groupBy({ by: ['status'], _count: { _all: true } }).catch(() => [])
    const unsent = counts.filter(c => c.status === 'pending' || c.status === 'sending').reduce((n, c) => n + c._count._all, 0)
    if (spooled === 0 && unsent === 0 && numbersLater() === queued)
      break
    await sleep(250)
  }

  stopSampling()
  const spoolDrained = spoolLines(spoolFile) === 0

  // Count.
  const tickets = await app.database.prisma.ticket.findMany({ select: { number: true, reporterId: true } })
  const byReporter = new Map<number, string[]>()
  for (const t of tickets)
    byReporter.set(Number(t.reporterId), [...(byReporter.get(Number(t.reporterId)) ?? []), t.number])
  let lost = 0
  let storedTwice = 0
  let neverToldNumber = 0
  for (const [i, resident] of residents.entries()) {
    const outcome = outcomes[i]!
    const stored = byReporter.get(resident.user.id) ?? []
    if (stored.length > 1)
      storedTwice++
    if ((outcome.acknowledged === 'stored' || outcome.acknowledged === 'queued') && stored.length === 0)
      lost++
    if (outcome.acknowledged === 'queued' && laterNumber(telegram, resident) === null)
      neverToldNumber++
  }
  const cardsByNumber = new Map<string, number>()
  for (const group of staffGroups) {
    for (const message of telegram.sentMessages(group)) {
      const number = /HY-\d{8}-\d{4,}/.exec(message.text ?? '')?.[0]
      if (number && message.text?.includes('原文'))
        cardsByNumber.set(number, (cardsByNumber.get(number) ?? 0) + 1)
    }
  }
  const cardsMissing = tickets.filter(t => !cardsByNumber.has(t.number)).length
  const cardsTwice = [...cardsByNumber.values()].filter(n => n > 1).length
  const count = (kind: Outcome['acknowledged']) => outcomes.filter(o => o.acknowledged === kind).length
  const restarts = outcomes.reduce((n, o) => n + o.restarts, 0)

  console.log('injected:')
  for (const line of injected)
    console.log(`  ${line}`)
  console.log('residents:')
  console.log(`  number announced at once          ${count('stored')}`)
  console.log(`  acknowledged as spooled ("已收到")   ${count('queued')}, of whom told their number later: ${numbersLater()}`)
  console.log(`  confirm pressed, no answer         ${count('unanswered')}`)
  console.log(`  gave up before confirming          ${count('gave-up')} (after ${MAX_ATTEMPTS} attempts)`)
  console.log(`  restarts of a report in progress   ${restarts} (a step unanswered for ${STEP_TIMEOUT_MS / 1000} s, or answered with the generic error)`)
  console.log('store and delivery:')
  console.log(`  tickets stored                     ${tickets.length}`)
  console.log(`  acknowledged but not stored (LOST) ${lost}`)
  console.log(`  residents with two tickets         ${storedTwice}`)
  console.log(`  "received" but never told a number ${neverToldNumber}`)
  console.log(`  tickets without a card             ${cardsMissing}; cards posted twice: ${cardsTwice}`)
  const drainedAfter = spoolLastWaiting === null ? 'never used' : `emptied ${((spoolLastWaiting - faultEnded) / 1000).toFixed(1)} s after the fault ended (sampled every 100 ms)`
  console.log(`  spool: at most ${spoolPeak} waiting; ${spoolDrained ? drainedAfter : 'NOT drained within the settle time'}`)

  await app.stop()
  await telegram.close()
  await cleanUp()
  rmSync(dir, { recursive: true, force: true })
  return lost > 0 || storedTwice > 0
}

/** A resident walks a report; a step unanswered or failed before confirming starts it over. */
async function walk(telegram: FakeTelegram, resident: TestResident, description: string, readingMs: number): Promise<Outcome> {
  let restarts = 0
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const step = async (act: () => unknown, answer: string | RegExp): Promise<Message> => {
      const from = telegram.mark()
      act()
      return expectFrom(telegram, resident, answer, from)
    }
    try {
      await step(() => resident.command('/report'), /描述|出了点问题/).then(failIfError)
      await step(() => resident.send({ text: `${description}（星湖街 8 号）` }), /请核对|出了点问题/).then(failIfError)
    }
    catch {
      // As a person would: cancel, wait a little longer each time, start over.
      restarts++
      resident.command('/cancel')
      await sleep(RESTART_PAUSE_MS * attempt)
      continue
    }
    await sleep(readingMs)
    try {
      const answer = await step(() => resident.press('确认提交'), /已登记|已收到/)
      const number = /HY-\d{8}-\d{4,}/.exec(answer.text ?? '')?.[0] ?? null
      return { number, acknowledged: answer.text?.includes('已收到') ? 'queued' : 'stored', restarts }
    }
    catch {
      return { number: null, acknowledged: 'unanswered', restarts }
    }
  }
  return { number: null, acknowledged: 'gave-up', restarts }
}

function failIfError(message: Message): Message {
  if ((message.text ?? '').includes('出了点问题'))
    throw new Error('the bot answered with its generic error')
  return message
}

/** The bot's first message to this resident, after `from`, that matches. */
async function expectFrom(telegram: FakeTelegram, resident: TestResident, text: string | RegExp, from: number): Promise<Message> {
  let found: Message | undefined
  await telegram.waitFor((call) => {
    const result = call.response?.ok ? call.response.result as Message : undefined
    if (!result || typeof result !== 'object' || !('message_id' in result) || result.chat.id !== resident.chat.id || !resident.isFor(result))
      return false
    const body = result.text ?? ''
    if (!(typeof text === 'string' ? body.includes(text) : text.test(body)))
      return false
    found = result
    return true
  }, STEP_TIMEOUT_MS, from)
  return found!
}

/** The number a resident was told after their report was spooled ("您之前反映的问题已登记"). */
function laterNumber(telegram: FakeTelegram, resident: TestResident): string | null {
  const message = telegram.sentMessages(resident.chat).find(m => resident.isFor(m) && m.text?.includes('之前反映的问题已登记'))
  return /HY-\d{8}-\d{4,}/.exec(message?.text ?? '')?.[0] ?? null
}

function spoolLines(path: string): number {
  try {
    return readFileSync(path, 'utf8').split('\n').filter(line => line.trim()).length
  }
  catch {
    return 0
  }
}

/** Another process holds the SQLite file's write lock: the sqlite3 shell where installed, else a libSQL connection. */
function sqliteLockFault(path: string, url: string, holdInProcess: (url: string) => Promise<{ release: () => Promise<void> }>): Fault {
  let release: (() => Promise<void>) | undefined
  const shell = onPath('sqlite3')
  return {
    description: shell
      ? `another process (sqlite3 shell) holding BEGIN EXCLUSIVE plus a write on ${path} for ${faultMs / 1000} s`
      : `a second libSQL connection holding BEGIN IMMEDIATE plus a write on ${path} for ${faultMs / 1000} s`,
    async start() {
      if (!shell) {
        release = (await holdInProcess(url)).release
        return
      }
      const child = spawn('sqlite3', [path], { stdio: ['pipe', 'ignore', 'inherit'] })
      child.stdin.write('BEGIN EXCLUSIVE;\nUPDATE "_prisma_migrations" SET "logs" = "logs" WHERE 0 = 1;\nSELECT 1;\n')
      // The shell answers nothing until it holds the lock; give it a moment to take it.
      await sleep(200)
      release = async () => {
        child.stdin.end('ROLLBACK;\n')
        await new Promise(resolve => child.once('exit', resolve))
      }
    },
    async end() {
      await release?.()
    },
  }
}

function onPath(program: string): boolean {
  return (process.env.PATH ?? '').split(':').some(dir => dir !== '' && existsSync(join(dir, program)))
}

await main()
