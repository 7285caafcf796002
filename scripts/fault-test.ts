import type { BotProcess } from './lib/load-world.js'
import type { ResidentOutcome } from './lib/simulated-users.js'
/**
 * Crash safety of the report path: the bot killed with SIGKILL at random moments while residents report and handlers
 * act, restarted each time, and then checked for what a resident or a handler would notice.
 *
 *   npm run test:faults -- [--quick] [--residents 300] [--groups 30] [--handler-groups 10] [--kills 12]
 *                          [--arrival-seconds 180] [--llm-ms 300] [--window-ms 2000] [--limits on|off]
 *                          [--max-seconds 540] [--seed 1] [--texts auto|generated]
 *
 * - Telegram: the fake Bot API (test/fakes/telegram-server.ts) in this process, with Telegram's limits on by default
 *   and its 15 s to answer a press; it keeps the updates the bot has not confirmed and hands them out again after a
 *   restart, as Telegram does. The LLM: the fake OpenAI server answering after --llm-ms.
 * - The bot: `src/main.ts` (what `npm start` runs) as a child process on a throwaway SQLite file, killed with SIGKILL
 *   --kills times at seeded random moments while reports are under way (after each kill it is restarted at once), then
 *   stopped with SIGTERM once everyone is done.
 * - Residents (scripts/lib/simulated-users.ts) arrive over --arrival-seconds in --groups residents' groups and walk a
 *   whole report; a resident whose step got no answer within 30 s does it again, at most 8 times. Handlers, one per
 *   handlers' group, take each new card through 受理 → 承办 → 办结 (with a note) as it arrives.
 *
 * Checks (exit code 1 when one fails): every resident who started got a number (0 reports in progress lost); every
 * number announced is stored exactly once, for that resident; no resident has more than one ticket (each confirmation
 * stored once); every notification (cards in handlers' and admins' groups, messages to residents) delivered once and
 * none left undelivered. A copy of a notification sent again after a kill that came within --window-ms of the first
 * copy being accepted is the one window the Bot API cannot close (accepted by Telegram, killed before recording it):
 * those are counted and printed apart and do not fail the run. Everything runs on 127.0.0.1.
 */
import { parseArgs } from 'node:util'
import { numberOptions, runScript, textsOption, UsageError } from './lib/cli.js'
import { createLoadWorld } from './lib/load-world.js'
import { SimulatedHandler, SimulatedResident } from './lib/simulated-users.js'
import { arrivals, fmt, placeIn, random, reportTexts, residentName, sleep } from './lib/workload.js'

const USAGE = 'usage: npm run test:faults -- [--quick] [--residents N] [--groups M] [--handler-groups H] [--kills K] '
  + '[--arrival-seconds S] [--llm-ms MS] [--window-ms MS] [--limits on|off] [--max-seconds S] [--seed N] [--texts auto|generated]'
const TICKET_NUMBER = /HY-\d{8}-\d{4,}/

interface Options {
  residents: number
  groups: number
  handlerGroups: number
  kills: number
  arrivalSeconds: number
  llmMs: number
  windowMs: number
  limits: boolean
  maxSeconds: number
  seed: number
  texts: 'auto' | 'generated'
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      'quick': { type: 'boolean', default: false },
      'residents': { type: 'string' },
      'groups': { type: 'string' },
      'handler-groups': { type: 'string' },
      'kills': { type: 'string' },
      'arrival-seconds': { type: 'string' },
      'llm-ms': { type: 'string' },
      'window-ms': { type: 'string' },
      'limits': { type: 'string' },
      'max-seconds': { type: 'string' },
      'seed': { type: 'string' },
      'texts': { type: 'string' },
      'help': { type: 'boolean', default: false },
    },
    strict: true,
  })
  if (values.help)
    throw new UsageError('')
  const quick = values.quick
  const number = numberOptions(values)
  const limits = values.limits ?? 'on'
  if (limits !== 'on' && limits !== 'off')
    throw new UsageError(`--limits must be on or off, not "${limits}"`)
  const texts = textsOption(values.texts)
  const residents = Math.round(number('residents', quick ? 50 : 300, 1))
  return {
    residents,
    groups: Math.min(residents, Math.round(number('groups', quick ? 6 : 30, 1))),
    handlerGroups: Math.round(number('handler-groups', quick ? 3 : 10, 0)),
    kills: Math.round(number('kills', quick ? 10 : 12, 0)),
    arrivalSeconds: number('arrival-seconds', quick ? 35 : 180),
    llmMs: number('llm-ms', 300),
    windowMs: number('window-ms', 2000),
    limits: limits === 'on',
    maxSeconds: number('max-seconds', quick ? 130 : 540, 30),
    seed: Math.round(number('seed', 1)),
    texts,
  }
}

interface Kill { at: number, pid: number | undefined, residentsMidReport: number, restartMs: number }

interface Duplicate { chat: string, what: string, copies: number, firstAt: number, inWindow: boolean }

async function run(options: Options, log: (line: string) => void): Promise<boolean> {
  const rng = random(options.seed)
  const world = await createLoadWorld({
    residentGroups: options.groups,
    handlerGroups: options.handlerGroups,
    rateLimits: options.limits,
    llmDelayMs: options.llmMs,
    // Most reports go to a department, so that handlers have cards to act on.
    env: { CLASSIFY_MIN_CONFIDENCE: '0.1' },
  })
  let ok = false
  try {
    const { texts, source } = reportTexts(options.residents, rng, { source: options.texts, maxLength: 600 })
    const residents = texts.map((description, i) => {
      const group = world.residentGroups[i % world.residentGroups.length]!
      const user = world.telegram.createUser({ first_name: residentName(rng), language_code: 'zh-hans' })
      return {
        resident: new SimulatedResident(world.telegram, world.observer, user, group.chat),
        plan: { description, oneMessage: rng() < 0.3, toggleContact: rng() < 0.3, place: placeIn(rng, group.area), thinkMs: () => 300 + 1200 * rng() },
      }
    })
    const arriveAt = arrivals(rng, residents.length, options.arrivalSeconds * 1000)
    // Kills while reports are under way: over the arrivals and a while after, never two during one start-up.
    const killSpanMs = (options.arrivalSeconds + Math.min(60, options.arrivalSeconds)) * 1000
    const killAt = Array.from({ length: options.kills }, () => 2000 + rng() * killSpanMs).sort((a, b) => a - b)
    const restartPause = () => Math.round(200 + 1800 * rng())

    // When each bot message was accepted, for telling duplicates inside the window from the others.
    const acceptedAt = new Map<string, number>()
    world.observer.subscribe((o) => {
      if (!o.edit) {
        for (const m of o.messages) acceptedAt.set(`${m.chat.id}:${m.message_id}`, o.at)
      }
    })

    log(`test:faults: ${options.residents} residents in ${options.groups} groups, ${options.handlerGroups} handlers' groups, ${options.kills} SIGKILLs, limits ${options.limits ? 'on' : 'off'}, at most ${options.maxSeconds} s`)
    let bot: BotProcess = await world.startBot()
    const handlers = world.handlerGroups.map(g => new SimulatedHandler(world.telegram, world.observer, g.handler, g.chat, { stepTimeoutMs: 30_000, maxAttempts: 8, thinkMs: () => 300 + 700 * rng() }))
    for (const handler of handlers)
      handler.start()
    const started = performance.now()
    const deadline = started + options.maxSeconds * 1000
    const outcomes: Array<ResidentOutcome | undefined> = Array.from({ length: residents.length })
    const inProgress = () => outcomes.filter((o, i) => o === undefined && performance.now() - started >= arriveAt[i]!).length

    const kills: Kill[] = []
    const killing = (async () => {
      for (const at of killAt) {
        await sleep(Math.max(0, started + at - performance.now()))
        const pid = bot.pid
        const midReport = inProgress()
        await bot.kill()
        const killedAt = performance.now() - started
        await sleep(restartPause())
        const restarting = performance.now()
        bot = await world.startBot()
        kills.push({ at: killedAt, pid, residentsMidReport: midReport, restartMs: performance.now() - restarting })
        log(`  SIGKILL ${kills.length} at ${fmt(killedAt / 1000, 1)} s (pid ${pid}, ${midReport} reports under way); polling again after ${fmt((performance.now() - restarting) / 1000, 1)} s`)
      }
    })()
    const progress = setInterval(() => log(`  … ${Math.round((performance.now() - started) / 1000)} s: ${outcomes.filter(o => o?.number).length}/${residents.length} numbers, ${handlers.reduce((n, h) => n + h.done.size, 0)} tickets resolved by handlers`), 20_000)
    await Promise.all(residents.map(async ({ resident, plan }, i) => {
      await sleep(arriveAt[i]!)
      outcomes[i] = await resident.report(plan, { stepTimeoutMs: 30_000, maxResends: 8, giveUpMs: Math.max(1000, deadline - performance.now()) }, () => {})
    }))
    await killing

    // Handlers go on until every card is done or the time is nearly up (they are load, not the subject); then they
    // stop pressing and the outbox gets the rest of the time (at least 30 s) to deliver what is queued.
    const reserveMs = Math.min(30_000, options.maxSeconds * 200)
    const cardsSeen = () => handlers.reduce((n, h) => n + h.done.size + h.abandoned.size, 0)
    const cardsPosted = () => new Set(world.handlerGroups.flatMap(g => world.telegram.sentMessages(g.chat).filter(m => m.text?.includes('原文')).map(m => TICKET_NUMBER.exec(m.text ?? '')?.[0]))).size
    while (performance.now() < deadline - reserveMs && cardsSeen() < cardsPosted())
      await sleep(1000)
    for (const handler of handlers)
      handler.stop()
    const drainUntil = Math.max(deadline, performance.now() + 30_000)
    const database = await world.openDatabase()
    const outboxLeft = async () => {
      const rows = await database.prisma.outboxMessage.groupBy({ by: ['status'], _count: { _all: true } })
      return Object.fromEntries(rows.map(r => [r.status, r._count._all])) as Record<string, number>
    }
    let left = await outboxLeft()
    while (performance.now() < drainUntil && (left.pending ?? 0) + (left.sending ?? 0) > 0) {
      await sleep(1000)
      left = await outboxLeft()
    }
    clearInterval(progress)
    await bot.stop()
    left = await outboxLeft()
    const elapsed = (performance.now() - started) / 1000

    // ------------------------------------------------------------------------------------------ checks
    const tickets = await database.prisma.ticket.findMany({ select: { number: true, reporterId: true, status: true } })
    await database.close()
    const byNumber = new Map(tickets.map(t => [t.number, t]))
    const ticketsPerReporter = new Map<number, number>()
    for (const t of tickets)
      ticketsPerReporter.set(Number(t.reporterId), (ticketsPerReporter.get(Number(t.reporterId)) ?? 0) + 1)
    const final = outcomes.map(o => o!)
    const lost = final.flatMap((o, i) => (o.number === null ? [{ i, o }] : []))
    const announced = final.flatMap((o, i) => (o.number === null ? [] : [{ number: o.number, userId: residents[i]!.resident.user.id }]))
    const notStored = announced.filter(a => !byNumber.has(a.number))
    const wrongOwner = announced.filter(a => byNumber.has(a.number) && Number(byNumber.get(a.number)!.reporterId) !== a.userId)
    const announcedTwice = announced.length - new Set(announced.map(a => a.number)).size
    const duplicateTickets = [...ticketsPerReporter.values()].filter(n => n > 1)

    // Notifications: cards in handlers' and admins' groups, messages to residents carrying a ticket number.
    const duplicates: Duplicate[] = []
    const killTimes = kills.map(k => started + k.at)
    const chats = [
      ...world.handlerGroups.map(g => ({ chat: g.chat, kind: 'card' })),
      { chat: world.admins.chat, kind: 'card' },
      ...world.residentGroups.map(g => ({ chat: g.chat, kind: 'message' })),
    ]
    let notifications = 0
    for (const { chat, kind } of chats) {
      const copies = new Map<string, number[]>()
      for (const m of world.telegram.sentMessages(chat)) {
        const text = m.text ?? m.caption ?? ''
        const number = TICKET_NUMBER.exec(text)?.[0]
        // Cards carry the report's text; a resident's notifications name their number. Prompts and the registration
        // (an edit) are not notifications.
        if (!number || text.includes('请回复本消息') || (kind === 'card' && !text.includes('原文')))
          continue
        const key = kind === 'card' ? `card ${number}` : `${m.reply_to_message?.message_id ?? '-'} ${text}`
        copies.set(key, [...(copies.get(key) ?? []), acceptedAt.get(`${chat.id}:${m.message_id}`) ?? Number.NaN])
      }
      notifications += copies.size
      for (const [key, times] of copies) {
        if (times.length < 2)
          continue
        const first = Math.min(...times)
        duplicates.push({
          chat: chat.title ?? String(chat.id),
          what: key.slice(0, 70),
          copies: times.length,
          firstAt: (first - started) / 1000,
          inWindow: killTimes.some(k => k >= first && k - first <= options.windowMs),
        })
      }
    }
    const inWindow = duplicates.filter(d => d.inWindow)
    const outside = duplicates.filter(d => !d.inWindow)
    const undelivered = (left.pending ?? 0) + (left.sending ?? 0)
    const statuses = tickets.reduce<Record<string, number>>((acc, t) => ({ ...acc, [t.status]: (acc[t.status] ?? 0) + 1 }), {})
    const counts = world.observer.countsBy()

    const check = (pass: boolean, line: string) => `  ${pass ? 'ok  ' : 'FAIL'}  ${line}`
    const checks = [
      check(kills.length === options.kills, `SIGKILLs injected: ${kills.length} of ${options.kills}`),
      check(lost.length === 0, `reports in progress lost: ${lost.length} of ${final.length}`),
      check(notStored.length === 0 && wrongOwner.length === 0 && announcedTwice === 0, `numbers announced: ${announced.length}; not stored: ${notStored.length}; stored for someone else: ${wrongOwner.length}; one number told to two residents: ${announcedTwice}`),
      check(duplicateTickets.length === 0, `confirmations stored more than once (residents with 2+ tickets): ${duplicateTickets.length}; tickets ${tickets.length}`),
      check(outside.length === 0, `notifications delivered twice outside the window: ${outside.length} (of ${notifications} notifications)`),
      check(undelivered === 0, `notifications never delivered (outbox pending or sending at the end): ${undelivered}; undeliverable: ${left.failed ?? 0}`),
    ]
    ok = checks.every(line => line.startsWith('  ok'))
    const out = [
      '',
      '回音 Huiyin — fault test: SIGKILLs during reports',
      '',
      'Method',
      `  bot: src/main.ts as a child process (node --import tsx), throwaway SQLite file; fake Bot API with limits ${options.limits ? 'on' : 'off'},`,
      `  presses answerable for 15 s; fake LLM answering after ${options.llmMs} ms; seed ${options.seed}`,
      `  ${options.residents} residents in ${options.groups} groups arriving over ${options.arrivalSeconds} s (30 % /report <text>, 30 % press the contact toggle),`,
      '  re-sending a step unanswered for 30 s (at most 8 times); one handler per handlers\' group taking every card through',
      `  受理 → 承办 → 办结; duplicates within ${options.windowMs} ms before a kill count as the Bot API's window`,
      `  texts: ${source}`,
      '',
      `Injected (${kills.length} SIGKILLs, ${fmt(elapsed, 0)} s in all):`,
      ...kills.map((k, n) => `  ${String(n + 1).padStart(2)}. ${fmt(k.at / 1000, 1).padStart(6)} s  pid ${k.pid}  ${k.residentsMidReport} reports under way  restarted and polling in ${fmt(k.restartMs / 1000, 1)} s`),
      '',
      'Observed',
      `  residents: ${final.length - lost.length} numbers; ${final.reduce((n, o) => n + o.resends, 0)} steps done again by residents`,
      `  handlers: ${handlers.reduce((n, h) => n + h.done.size, 0)} tickets taken to 办结, ${handlers.reduce((n, h) => n + h.abandoned.size, 0)} given up on; tickets by status: ${JSON.stringify(statuses)}`,
      `  outbox at the end: ${JSON.stringify(left)}`,
      `  Bot API: residents' groups ${counts.residents.sends} sends / ${counts.residents.edits} edits / ${counts.residents.status429} 429s; handlers' groups ${counts.handlers.sends} / ${counts.handlers.edits} / ${counts.handlers.status429}; presses answered too late ${world.observer.expiredPresses}`,
      `  duplicates inside the window (accepted by Telegram, killed before recorded): ${inWindow.length}`,
      ...duplicates.map(d => `    ${d.inWindow ? 'window ' : 'OUTSIDE'} ${d.copies}× at ${fmt(d.firstAt, 1)} s in ${d.chat}: ${d.what.replace(/\n/g, ' ')}`),
      ...lost.slice(0, 5).map(({ i, o }) => `  lost: resident ${i}: ${o.failure}`),
      '',
      'Checks',
      ...checks,
    ]
    console.log(out.join('\n'))
    if (!ok)
      log(`the bot's log is kept at ${world.logFile}`)
    return ok
  }
  finally {
    await world.close(!ok)
  }
}

await runScript('fault-test', USAGE, async () => {
  const options = parseOptions(process.argv.slice(2))
  return (await run(options, line => process.stderr.write(`${line}\n`))) ? 0 : 1
})
