import type { ResidentOutcome, ResidentStep } from './lib/simulated-users.js'
import type { Latency } from './lib/workload.js'
/**
 * The report path under a realistic load, against a Telegram that enforces its limits and an LLM that takes its time:
 *
 *   npm run bench:load -- [--quick] [--residents 300] [--groups 30] [--handler-groups 10] [--arrival-seconds 300]
 *                         [--think-seconds 4] [--one-message-share 0.3] [--toggle-share 0.5] [--llm-ms 2000,5000]
 *                         [--max-seconds S] [--seed 1] [--texts auto|generated] [--json]
 *
 * For each LLM delay (--llm-ms, one phase each, one after the other) the script sets up a fresh world and measures:
 *
 * - Telegram: the project's fake Bot API (test/fakes/telegram-server.ts) in this process with `rateLimits: true`
 *   (20 messages a minute into one group, about 1 a second into a private chat, 30 a second overall, answered with
 *   429 + retry_after) and Telegram's 15 s to answer a button press. It holds --groups residents' groups bound to
 *   their area, --handler-groups handlers' groups bound to the catalog's first departments, and an admins' group.
 * - The LLM: the fake OpenAI server (test/fakes/openai-server.ts, mode `slow`) answering every classification after
 *   exactly the phase's delay, with a keyword classification.
 * - The bot: `src/main.ts` in a child process of its own (the real app, as `npm start` runs it), on a throwaway
 *   SQLite file, with the LLM configured and its log at warn level.
 * - The residents: --residents of them, spread round-robin over the groups, arriving as a seeded Poisson process over
 *   --arrival-seconds. Each walks a whole report as a person does (scripts/lib/simulated-users.ts): `/report`, the
 *   description as a reply to the bot's question (place included in the text), a look at the summary (a share presses
 *   the contact toggle first), then 确认提交, until the summary is edited into "已登记 ✅ 编号 …". A share reports in
 *   one message (`/report <description>`). Each pauses --think-seconds (±50 %) before each answer, and does a step
 *   again when the bot has not answered it in 60 s.
 *
 * Printed per phase: completed and lost reports (a report is lost when the resident got no number before
 * --max-seconds); tickets stored once per resident; reports per minute per group (the busiest minute of the busiest
 * group, and the median group's busiest minute) against the bound the group limit allows (20 sends/min ÷ group sends
 * per report); group messages per report (sends and edits apart); the bot's answer time per step from the resident's
 * action to the fake receiving the answer, p50/p99, for steps that need no LLM (goal < 1 s) and those that do; 429s
 * in residents' groups (goal 0: the group budget is planned) and elsewhere; presses whose answer came too late
 * (answerCallbackQuery refused; goal 0). Traffic stays on 127.0.0.1.
 *
 * Texts: real residents' messages (title + body of ../shared/data/messages_with_votes.jsonl, read at run time, never
 * written anywhere) when present, otherwise generated. Exit codes: 0 measured, 1 bad arguments or a phase failed to run.
 */
import { cpus, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { numberOptions, runScript, textsOption, UsageError } from './lib/cli.js'
import { createLoadWorld } from './lib/load-world.js'
import { RESIDENT_STEPS, SimulatedResident } from './lib/simulated-users.js'
import { arrivals, fmt, maxInWindow, percentile, placeIn, random, reportTexts, residentName, sleep, summarize } from './lib/workload.js'

const GROUP_SENDS_PER_MINUTE = 20
const GOAL_MS = 1000
const USAGE = 'usage: npm run bench:load -- [--quick] [--residents N] [--groups M] [--handler-groups H] [--arrival-seconds S] '
  + '[--think-seconds T] [--one-message-share F] [--toggle-share F] [--llm-ms 2000,5000] [--max-seconds S] [--seed N] '
  + '[--texts auto|generated] [--json]'

interface Options {
  residents: number
  groups: number
  handlerGroups: number
  arrivalSeconds: number
  thinkSeconds: number
  oneMessageShare: number
  toggleShare: number
  llmDelays: number[]
  /** Per phase: residents still without a number then are lost. */
  maxSeconds: number
  seed: number
  texts: 'auto' | 'generated'
  json: boolean
  quick: boolean
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      'quick': { type: 'boolean', default: false },
      'residents': { type: 'string' },
      'groups': { type: 'string' },
      'handler-groups': { type: 'string' },
      'arrival-seconds': { type: 'string' },
      'think-seconds': { type: 'string' },
      'one-message-share': { type: 'string' },
      'toggle-share': { type: 'string' },
      'llm-ms': { type: 'string' },
      'max-seconds': { type: 'string' },
      'seed': { type: 'string' },
      'texts': { type: 'string' },
      'json': { type: 'boolean', default: false },
      'help': { type: 'boolean', default: false },
    },
    strict: true,
  })
  if (values.help)
    throw new UsageError('')
  const quick = values.quick
  const number = numberOptions(values)
  const residents = Math.round(number('residents', quick ? 12 : 300, 1))
  const arrivalSeconds = number('arrival-seconds', quick ? 10 : 300, 0)
  const thinkSeconds = number('think-seconds', quick ? 1 : 4, 0)
  const llmDelays = (values['llm-ms'] ?? '2000,5000').split(',').map(s => Number(s.trim()))
  if (llmDelays.some(d => !Number.isFinite(d) || d < 0))
    throw new UsageError(`--llm-ms must be a list of milliseconds, not "${values['llm-ms']}"`)
  const texts = textsOption(values.texts)
  return {
    residents,
    groups: Math.min(residents, Math.round(number('groups', quick ? 3 : 30, 1))),
    handlerGroups: Math.round(number('handler-groups', quick ? 2 : 10, 0)),
    arrivalSeconds,
    thinkSeconds,
    oneMessageShare: number('one-message-share', 0.3, 0, 1),
    toggleShare: number('toggle-share', 0.5, 0, 1),
    llmDelays,
    // Long enough for the last arrival to walk its report at a normal pace, plus the LLM's time.
    maxSeconds: number('max-seconds', quick ? 45 : arrivalSeconds + 240, 10),
    seed: Math.round(number('seed', 1, 0)),
    texts,
    json: values.json,
    quick,
  }
}

interface PhaseResult {
  llmMs: number
  residents: number
  completed: number
  lost: number
  /** Of the lost: confirmed (and stored) but not yet told their number when the phase ended. */
  confirmedUntold: number
  lostExamples: string[]
  resends: number
  ticketsStored: number
  residentsWithDuplicateTickets: number
  announcedNotStored: number
  /** Busiest 60 s of any one group, and of the median group. */
  reportsPerMinutePerGroup: { busiest: number, median: number }
  groupSendsPerReport: number
  groupSends: number
  groupEdits: number
  groupEditsPerReport: number
  boundPerMinutePerGroup: number
  latency: Record<string, Latency & { llm: boolean }>
  noLlmLatency: Latency
  status429: Record<string, number>
  expiredPresses: number
  llmCalls: number
  wallSeconds: number
  load: [number, number]
  textSource: string
}

async function runPhase(options: Options, llmMs: number, log: (line: string) => void): Promise<PhaseResult> {
  const rng = random(options.seed)
  const world = await createLoadWorld({ residentGroups: options.groups, handlerGroups: options.handlerGroups, rateLimits: true, llmDelayMs: llmMs })
  let failed = true
  try {
    const { texts, source } = reportTexts(options.residents, rng, { source: options.texts })
    const plans = texts.map((description, i) => {
      const group = world.residentGroups[i % world.residentGroups.length]!
      return {
        group,
        user: world.telegram.createUser({ first_name: residentName(rng), language_code: 'zh-hans' }),
        plan: {
          description,
          oneMessage: rng() < options.oneMessageShare,
          toggleContact: rng() < options.toggleShare,
          place: placeIn(rng, group.area),
          thinkMs: () => options.thinkSeconds * 1000 * (0.5 + rng()),
        },
      }
    })
    const arriveAt = arrivals(rng, plans.length, options.arrivalSeconds * 1000)
    const bot = await world.startBot()
    const load0 = loadavg()[0]!
    const samples = new Map<ResidentStep, number[]>()
    const record = (step: ResidentStep, ms: number) => {
      const list = samples.get(step) ?? []
      list.push(ms)
      samples.set(step, list)
    }
    log(`  bot up (pid ${bot.pid}); ${plans.length} residents arriving over ${options.arrivalSeconds} s, at most ${options.maxSeconds} s`)
    const started = performance.now()
    const deadline = started + options.maxSeconds * 1000
    const progress = setInterval(() => log(`  … ${Math.round((performance.now() - started) / 1000)} s: ${done.filter(o => o?.number).length} numbers announced`), 15_000)
    const done: Array<ResidentOutcome | undefined> = []
    const residents = plans.map(({ group, user }) => new SimulatedResident(world.telegram, world.observer, user, group.chat))
    await Promise.all(plans.map(async ({ plan }, i) => {
      await sleep(arriveAt[i]!)
      done[i] = await residents[i]!.report(plan, { stepTimeoutMs: 60_000, maxResends: 3, giveUpMs: Math.max(1000, deadline - performance.now()) }, record)
    }))
    clearInterval(progress)
    const wallSeconds = (performance.now() - started) / 1000
    const load1 = loadavg()[0]!
    await bot.stop()

    const outcomes = done.map(o => o!)
    const database = await world.openDatabase()
    const rows = await database.prisma.ticket.findMany({ select: { number: true, reporterId: true } })
    await database.close()
    const perReporter = new Map<number, number>()
    for (const row of rows)
      perReporter.set(Number(row.reporterId), (perReporter.get(Number(row.reporterId)) ?? 0) + 1)
    const stored = new Set(rows.map(r => r.number))

    const completedAt = new Map<number, number[]>()
    outcomes.forEach((o, i) => {
      if (o.finishedAt !== null) {
        const chatId = plans[i]!.group.chat.id
        completedAt.set(chatId, [...(completedAt.get(chatId) ?? []), o.finishedAt])
      }
    })
    const busiest = world.residentGroups.map(g => maxInWindow(completedAt.get(g.chat.id) ?? [], 60_000)).sort((a, b) => a - b)
    const completed = outcomes.filter(o => o.number !== null)
    const counts = world.observer.countsBy()
    // The group messages each completed report cost: the bot's messages addressed to its resident, and their edits.
    const costs = outcomes.flatMap((o, i) => (o.number === null ? [] : [residents[i]!.messagesFor()]))
    const sendsPerReport = costs.reduce((sum, c) => sum + c.sends, 0) / Math.max(1, costs.length)
    const latency: PhaseResult['latency'] = {}
    for (const [step, { label, llm }] of Object.entries(RESIDENT_STEPS)) {
      const list = samples.get(step as ResidentStep)
      if (list?.length)
        latency[label] = { ...summarize(list), llm }
    }
    failed = false
    return {
      llmMs,
      residents: plans.length,
      completed: completed.length,
      lost: outcomes.length - completed.length,
      confirmedUntold: outcomes.filter(o => o.number === null && o.confirmed).length,
      lostExamples: outcomes.filter(o => o.number === null).slice(0, 3).map(o => o.failure ?? 'unknown'),
      resends: outcomes.reduce((sum, o) => sum + o.resends, 0),
      ticketsStored: rows.length,
      residentsWithDuplicateTickets: [...perReporter.values()].filter(n => n > 1).length,
      announcedNotStored: completed.filter(o => !stored.has(o.number!)).length,
      reportsPerMinutePerGroup: {
        busiest: busiest.at(-1) ?? 0,
        median: percentile(busiest, 50),
      },
      groupSendsPerReport: sendsPerReport,
      groupSends: counts.residents.sends,
      groupEdits: counts.residents.edits,
      groupEditsPerReport: costs.reduce((sum, c) => sum + c.edits, 0) / Math.max(1, costs.length),
      boundPerMinutePerGroup: GROUP_SENDS_PER_MINUTE / sendsPerReport,
      latency,
      noLlmLatency: summarize([...samples].filter(([step]) => !RESIDENT_STEPS[step].llm).flatMap(([, list]) => list)),
      status429: Object.fromEntries(Object.entries(counts).map(([kind, c]) => [kind, c.status429])),
      expiredPresses: world.observer.expiredPresses,
      llmCalls: world.openai?.calls ?? 0,
      wallSeconds,
      load: [load0, load1],
      textSource: source,
    }
  }
  finally {
    if (failed)
      log(`  the bot's log is kept at ${world.logFile}`)
    await world.close(failed)
  }
}

function report(options: Options, results: PhaseResult[]): string {
  const cpu = cpus()
  const out: string[] = ['', '回音 Huiyin — the report path under load', '', 'Method']
  out.push(`  machine:     ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}; load average shown per phase`)
  out.push('  Telegram:    the fake Bot API in this process, rateLimits on (20 msgs/min per group, ~1/s per private chat,')
  out.push('               30/s overall, 429 + retry_after), button presses answerable for 15 s')
  out.push(`  bot:         src/main.ts in a child process, throwaway SQLite file, LLM = fake OpenAI answering after a fixed delay`)
  out.push(`  world:       ${options.residents} residents in ${options.groups} residents' groups, ${options.handlerGroups} handlers' groups bound to departments, 1 admins' group`)
  out.push(`  arrivals:    seeded Poisson process over ${options.arrivalSeconds} s (seed ${options.seed}); think ${options.thinkSeconds} s ±50 % before each answer`)
  out.push(`  each:        /report → question → description as a reply (place in the text) → summary → ${Math.round(options.toggleShare * 100)} % press the contact`)
  out.push(`               toggle → 确认提交 → summary edited into the number; ${Math.round(options.oneMessageShare * 100)} % send /report <text> in one message`)
  out.push('  latency:     resident\'s action (update queued) → the fake receiving the bot\'s answer to it (message, edit, press answer)')
  out.push(`  lost:        no number within ${options.maxSeconds} s of the phase's start (a step unanswered for 60 s is done again, at most 3 times)`)
  out.push(`  texts:       ${results[0]?.textSource ?? ''}`)
  for (const r of results) {
    out.push('', `LLM answering in ${r.llmMs / 1000} s  (${fmt(r.wallSeconds, 0)} s, load average ${r.load.map(l => l.toFixed(1)).join(' → ')}, ${r.llmCalls} LLM calls)`)
    out.push(`  reports completed / lost           ${r.completed} / ${r.lost} of ${r.residents} (lost: no number by the end; ${r.confirmedUntold} of them had confirmed)${r.resends ? `  (${r.resends} steps done again)` : ''}`)
    for (const example of r.lostExamples)
      out.push(`    lost: ${example}`)
    out.push(`  tickets stored                     ${r.ticketsStored}; residents with more than one: ${r.residentsWithDuplicateTickets}; numbers announced but not stored: ${r.announcedNotStored}`)
    out.push(`  group messages per report          ${fmt(r.groupSendsPerReport, 2)} sends + ${fmt(r.groupEditsPerReport, 2)} edits  (the bot's messages to the resident, over completed reports)`)
    out.push(`  residents' groups in all           ${r.groupSends} sends, ${r.groupEdits} edits`)
    out.push(`  reports/min per group              busiest minute ${r.reportsPerMinutePerGroup.busiest} (median group ${fmt(r.reportsPerMinutePerGroup.median, 0)})`)
    out.push(`    bound from the group limit       ${fmt(r.boundPerMinutePerGroup, 1)} (= ${GROUP_SENDS_PER_MINUTE} sends/min ÷ ${fmt(r.groupSendsPerReport, 2)} sends per report)`)
    out.push(`  answer time, steps without LLM     p50 ${fmt(r.noLlmLatency.p50)} ms, p99 ${fmt(r.noLlmLatency.p99)} ms  (goal < ${GOAL_MS} ms: ${r.noLlmLatency.p99 < GOAL_MS ? 'MET' : 'NOT MET'})`)
    for (const [label, l] of Object.entries(r.latency))
      out.push(`    ${label.padEnd(34)} ${l.llm ? 'LLM   ' : 'no LLM'}  n=${String(l.count).padStart(4)}  p50 ${fmt(l.p50).padStart(6)} ms  p99 ${fmt(l.p99).padStart(6)} ms  max ${fmt(l.max).padStart(6)} ms`)
    const elsewhere = Object.entries(r.status429).filter(([kind]) => kind !== 'residents').map(([kind, n]) => `${kind} ${n}`).join(', ')
    out.push(`  429s in residents' groups          ${r.status429.residents} (goal 0)   elsewhere: ${elsewhere}`)
    out.push(`  presses answered too late          ${r.expiredPresses} (goal 0)`)
  }
  return out.join('\n')
}

await runScript('bench-load', USAGE, async () => {
  const options = parseOptions(process.argv.slice(2))
  const log = (line: string) => process.stderr.write(`${line}\n`)
  const results: PhaseResult[] = []
  for (const llmMs of options.llmDelays) {
    log(`bench:load: phase with the LLM at ${llmMs} ms`)
    try {
      results.push(await runPhase(options, llmMs, log))
    }
    catch (error) {
      log(`✗ phase with the LLM at ${llmMs} ms failed: ${(error as Error).stack ?? error}`)
      return 1
    }
  }
  console.log(options.json ? JSON.stringify({ options, results }, null, 2) : report(options, results))
  return 0
})
