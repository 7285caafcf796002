import type { Area } from '#root/domain/area.js'
import type { Database } from '#root/store/database.js'
/**
 * The figures at a year's scale: `npm run bench:monthly -- [--tickets 1000000] [--db sqlite,postgresql] [--runs 5]`.
 *
 * Builds a year (2026, Asia/Shanghai) of tickets with their events in a fresh scratch database (an SQLite file; a
 * temporary database on TEST_POSTGRES_URL), by bulk SQL inserts: 16 departments and their categories from
 * prisma/catalog.json, an area tree of 10 districts, 100 streets and 3,000 villages; every ticket accepted (most
 * within a day), most resolved within their five-day limit, 5% extended, 6% reworked, 70% of follow-ups rated and the
 * rest closed as no response, 1% stuck open and overdue; about 5 events per ticket, with their figure columns as the
 * ticket store writes them. PostgreSQL is then VACUUM ANALYZEd (as autovacuum would); SQLite is left as the bot
 * leaves it (no ANALYZE).
 *
 * Then, "now" being 31 December 20:00 local (the month's end, its busiest figures), each run median of --runs:
 * `/stats` of the month (the store's queries), the monthly figures by district and by department, `/overdue`'s and
 * `/queue`'s reads; beside each the best hand-written SQL for the same answer on the same database, run through the
 * same client (statement text in this file); the plans of the list queries; the old way of `/stats` (grouping the
 * month's events per ticket) once; and how long a one-row lookup waits when issued while the monthly figures run
 * (what another chat feels). On SQLite the figures run as the bot runs them, in a worker thread with a connection of
 * its own.
 */
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import process from 'node:process'
import { parseArgs } from 'node:util'
import { createAreaTree } from '#root/domain/area.js'
import { OPEN_STATUSES } from '#root/domain/ticket.js'
import { createAreaStore } from '#root/store/area-store.js'
import { createCatalogStore } from '#root/store/catalog-store.js'
import { openDatabase } from '#root/store/database.js'
import { createMonthlyFiguresStore } from '#root/store/monthly-figures-store.js'
import { createStatsStore } from '#root/store/stats-store.js'
import { createThreadedFiguresStore } from '#root/store/threaded-figures-store.js'
import { createTicketStore } from '#root/store/ticket-store.js'
import { statsPeriods } from '#root/usecases/ticket-stats.js'
import { pino } from 'pino'
import { createScratchDatabase, isPostgresAvailable } from '../test/helpers/database.js'

const { values } = parseArgs({ options: {
  'tickets': { type: 'string', default: '1000000' },
  'db': { type: 'string', default: 'sqlite,postgresql' },
  'runs': { type: 'string', default: '5' },
  // An SQLite file to seed once and keep: later runs with the same path measure without seeding again.
  'sqlite-file': { type: 'string' },
} })
const TICKETS = Number(values.tickets)
const RUNS = Number(values.runs)
const providers = values.db!.split(',') as ('sqlite' | 'postgresql')[]
const TIMEZONE = 'Asia/Shanghai'
const YEAR_START = Date.parse('2025-12-31T16:00:00Z')
const NOW = new Date('2026-12-31T12:00:00Z')
const MONTH = '2026-12'
const HOUR = 3_600_000
const DAY = 24 * HOUR
const CHUNK = 2_000

interface CatalogFile { departments: { id: string }[], categories: { id: string, departmentId: string }[] }
const catalogFile = JSON.parse(readFileSync('prisma/catalog.json', 'utf8')) as CatalogFile & Parameters<ReturnType<typeof createCatalogStore>['sync']>[0]

function areaTree(): Area[] {
  const areas: Area[] = []
  for (let d = 0; d < 10; d++) {
    areas.push({ id: `d${d}`, name: `区${d}`, level: 'district', parentId: null })
    for (let s = 0; s < 10; s++) {
      areas.push({ id: `d${d}-s${s}`, name: `区${d}街道${s}`, level: 'street', parentId: `d${d}` })
      for (let v = 0; v < 30; v++) areas.push({ id: `d${d}-s${s}-v${v}`, name: `区${d}街道${s}村${v}`, level: 'village', parentId: `d${d}-s${s}` })
    }
  }
  return areas
}

/** A fixed pseudo-random number in [0, 1) for ticket i and draw k: the same year on every run and database. */
function draw(i: number, k: number): number {
  let h = Math.imul(i ^ 0x9E3779B9, 0x85EBCA6B) ^ Math.imul(k + 1, 0xC2B2AE35)
  h = Math.imul(h ^ (h >>> 16), 0x7FEB352D)
  h = Math.imul(h ^ (h >>> 15), 0x846CA68B)
  return ((h ^ (h >>> 16)) >>> 0) / 4_294_967_296
}

interface EventRow { ticketId: number, type: string, from: string | null, to: string | null, at: number, data: string | null }

async function seed(db: Database): Promise<void> {
  const areas = areaTree()
  // Straight in: syncing three thousand areas one upsert at a time outlasts an interactive transaction on PostgreSQL.
  await db.prisma.area.createMany({ data: areas.map((a, sortOrder) => ({ id: a.id, name: a.name, level: a.level, parentId: a.parentId, sortOrder })) })
  await createCatalogStore(db).sync(catalogFile)
  const villages = areas.filter(a => a.level === 'village')
  const departments = catalogFile.departments.map(d => d.id)
  const categoriesOf = new Map(departments.map(id => [id, catalogFile.categories.filter(c => c.departmentId === id).map(c => c.id)]))
  const pg = db.provider === 'postgresql'
  const time = (ms: number | null) => {
    if (ms === null)
      return 'NULL'
    const iso = new Date(ms).toISOString()
    return pg ? `'${iso.slice(0, 23).replace('T', ' ')}'` : `'${iso.slice(0, 23)}+00:00'`
  }
  const text = (value: string | null) => (value === null ? 'NULL' : `'${value}'`)
  const bool = (value: boolean) => (pg ? String(value) : value ? '1' : '0')
  const now = NOW.getTime()
  const span = now - YEAR_START

  let eventId = 0
  for (let at = 0; at < TICKETS; at += CHUNK) {
    const tickets: string[] = []
    const events: EventRow[] = []
    for (let i = at; i < Math.min(at + CHUNK, TICKETS); i++) {
      const id = i + 1
      const created = YEAR_START + Math.floor(i * span / TICKETS)
      const department = departments[i % departments.length]!
      const categories = categoriesOf.get(department)!
      const village = draw(i, 0) < 0.02 ? null : villages[Math.floor(draw(i, 1) * villages.length)]!
      const district = village ? village.parentId!.split('-')[0]! : null
      const acceptDue = created + DAY
      let resolveDue = created + 5 * DAY
      const stuck = draw(i, 2) < 0.01
      const accepted = created + (draw(i, 3) < 0.9 ? 0.5 + draw(i, 4) * 20 : 24 + draw(i, 4) * 48) * HOUR
      const startedStraight = draw(i, 5) < 0.3
      const extended = draw(i, 6) < 0.05
      const extendedAt = created + 3 * DAY
      if (extended)
        resolveDue += 5 * DAY
      const firstResolved = stuck ? null : accepted + (2 + draw(i, 7) * (draw(i, 8) < 0.85 ? 80 : 200)) * HOUR
      const reworked = !stuck && draw(i, 9) < 0.06
      const reopened = reworked ? firstResolved! + DAY : null
      const lastResolved = reworked ? reopened! + 2 * DAY : firstResolved
      const rated = draw(i, 10) < 0.7
      const followUp = lastResolved === null ? null : lastResolved + (rated ? 1 + draw(i, 11) * 47 : 72) * HOUR
      const satisfaction = !rated ? 'no_response' : draw(i, 12) < 0.8 ? 'satisfied' : 'partly_satisfied'
      const seen = (ms: number | null) => (ms !== null && ms <= now ? ms : null)
      const acceptedAt = seen(accepted)
      const firstResolvedAt = seen(firstResolved)
      const reopenedAt = seen(reopened)
      const lastResolvedAt = seen(lastResolved)
      const closedAt = seen(followUp)
      const status = closedAt ? 'closed' : lastResolvedAt ? 'resolved' : reopenedAt ? 'in_progress' : acceptedAt ? (startedStraight ? 'in_progress' : 'accepted') : 'assigned'
      const overdueAt = resolveDue <= now && (firstResolvedAt === null || firstResolvedAt > resolveDue) ? resolveDue : null
      const ratedAt = closedAt ?? reopenedAt
      tickets.push(`(${[
        id,
        text(`HY-${i}`),
        text(`k${i}`),
        text(status),
        String(5_000_000_000 + (i % 200_000)),
        text('居民'),
        text('zh'),
        '-1001',
        text('supergroup'),
        text(village?.name ?? null),
        text('路灯不亮'),
        text(categories[i % categories.length]!),
        text(department),
        text('normal'),
        text('complaint'),
        text('路灯不亮'),
        '0.9',
        text('offline'),
        time(created),
        time(Math.max(created, closedAt ?? lastResolvedAt ?? reopenedAt ?? acceptedAt ?? created)),
        time(acceptDue),
        time(resolveDue),
        overdueAt === null ? '0' : '2',
        time(lastResolvedAt),
        text(district),
        bool(true),
        time(acceptedAt),
        time(firstResolvedAt),
        time(overdueAt),
        String(reopenedAt ? 1 : 0),
        String(extended && extendedAt <= now ? 1 : 0),
        text(ratedAt === null ? null : closedAt ? satisfaction : 'not_satisfied'),
        time(ratedAt),
        time(closedAt),
      ].join(', ')})`)

      const event = (type: string, from: string | null, to: string | null, ms: number | null, data: string | null = null) => {
        if (ms !== null && ms <= now)
          events.push({ ticketId: id, type, from, to, at: ms, data })
      }
      event('created', null, 'assigned', created, '{"classifier":"offline"}')
      event('status_changed', 'assigned', startedStraight ? 'in_progress' : 'accepted', accepted)
      if (extended) {
        event('extension_requested', null, null, extendedAt - HOUR)
        event('extension_approved', null, null, extendedAt)
      }
      if (overdueAt !== null)
        event('chase', null, null, overdueAt, `{"step":"overdue","dueAt":"${new Date(overdueAt).toISOString()}"}`)
      const working = startedStraight ? 'in_progress' : 'accepted'
      event('status_changed', working, 'resolved', firstResolved)
      if (reworked) {
        event('status_changed', 'resolved', 'in_progress', reopened, '{"satisfaction":"not_satisfied"}')
        event('status_changed', 'in_progress', 'resolved', lastResolved)
      }
      event('status_changed', 'resolved', 'closed', followUp, `{"satisfaction":"${satisfaction}"}`)
    }
    await db.prisma.$executeRawUnsafe(`INSERT INTO "Ticket" ("id", "number", "intakeKey", "status", "reporterId", "reporterName", "reporterLanguage",
      "sourceChatId", "sourceChatType", "areaName", "description", "categoryId", "departmentId", "urgency", "requestType", "summary",
      "confidence", "classifier", "createdAt", "updatedAt", "acceptDueAt", "resolveDueAt", "chaseLevel", "resolvedAt", "districtId",
      "autoRouted", "firstAcceptedAt", "firstResolvedAt", "overdueAt", "reworkCount", "extensionCount", "satisfaction", "ratedAt", "closedAt")
      VALUES ${tickets.join(',\n')}`)
    for (let e = 0; e < events.length; e += CHUNK * 3) {
      const rows = events.slice(e, e + CHUNK * 3).map(ev =>
        `(${++eventId}, ${ev.ticketId}, ${text(ev.type)}, ${text(ev.from)}, ${text(ev.to)}, ${ev.type === 'created' ? 1 : ev.type === 'chase' ? 0 : 42}, ${text(ev.type === 'chase' ? 'system' : 'handler')}, ${text(ev.data)}, ${time(ev.at)})`)
      await db.prisma.$executeRawUnsafe(`INSERT INTO "TicketEvent" ("id", "ticketId", "type", "fromStatus", "toStatus", "actorId", "actorRole", "data", "createdAt") VALUES ${rows.join(',\n')}`)
    }
  }
  if (db.provider === 'postgresql') {
    // Explicit ids leave the sequences behind; the bot's own inserts would collide with them.
    await db.prisma.$executeRawUnsafe(`SELECT setval(pg_get_serial_sequence('"Ticket"', 'id'), (SELECT MAX("id") FROM "Ticket"))`)
    await db.prisma.$executeRawUnsafe(`SELECT setval(pg_get_serial_sequence('"TicketEvent"', 'id'), (SELECT MAX("id") FROM "TicketEvent"))`)
    await db.prisma.$executeRawUnsafe('VACUUM ANALYZE')
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
async function timed(run: () => Promise<unknown>, runs = RUNS): Promise<number> {
  await run()
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await run()
    times.push(performance.now() - start)
  }
  return median(times)
}

async function plan(db: Database, sql: string, ...params: unknown[]): Promise<string> {
  const rows = await db.prisma.$queryRawUnsafe<Record<string, unknown>[]>(`${db.provider === 'postgresql' ? 'EXPLAIN' : 'EXPLAIN QUERY PLAN'} ${sql}`, ...params)
  return rows.map(r => String(db.provider === 'postgresql' ? r['QUERY PLAN'] : r.detail)).join('\n    ')
}

async function bench(db: Database, url: string): Promise<void> {
  const seedStart = performance.now()
  if (await db.prisma.ticket.count() === 0)
    await seed(db)
  const seedSeconds = (performance.now() - seedStart) / 1000
  const [{ events }] = await db.prisma.$queryRawUnsafe<{ events: unknown }[]>(`SELECT COUNT(*) AS "events" FROM "TicketEvent"`) as [{ events: unknown }]
  const pg = db.provider === 'postgresql'
  const p = (n: number) => (pg ? `$${n}` : `?${n}`)
  const tree = createAreaTree(await createAreaStore(db).load())
  const options = { timezone: TIMEZONE, areas: () => tree }
  // As the bot does: on SQLite the figures run in a worker thread with a connection of their own.
  const threaded = pg ? null : createThreadedFiguresStore(url, { timezone: TIMEZONE })
  const stats = threaded ?? createStatsStore(db)
  const monthly = threaded ?? createMonthlyFiguresStore(db, options)
  const onThread = { stats: createStatsStore(db), monthly: createMonthlyFiguresStore(db, options) }
  const tickets = createTicketStore(db, { timezone: TIMEZONE })
  const { month } = statsPeriods(NOW, TIMEZONE)
  const range = createMonthlyFiguresStore(db, options).monthRange(MONTH)

  const results: [string, number, number | null, number | null][] = []
  const row = async (name: string, store: () => Promise<unknown>, hand: (() => Promise<unknown>) | null, inline?: () => Promise<unknown>) => {
    results.push([name, await timed(store), inline ? await timed(inline) : null, hand ? await timed(hand) : null])
  }

  const within = (column: string) => `${column} >= ${p(1)} AND ${column} < ${p(2)}`
  const ms = (start: string, end: string) => (pg ? `EXTRACT(EPOCH FROM (${end} - ${start})) * 1000` : `(julianday(${end}) - julianday(${start})) * 86400000.0`)
  const statsCounts = `SELECT "status", "departmentId", "categoryId", COUNT(*), SUM(CASE WHEN "autoRouted" THEN 1 ELSE 0 END),
      COUNT("firstAcceptedAt"), COUNT("firstResolvedAt"),
      SUM(CASE WHEN "satisfaction" IN ('satisfied', 'partly_satisfied', 'not_satisfied') THEN 1 ELSE 0 END),
      SUM(CASE WHEN "satisfaction" IN ('satisfied', 'partly_satisfied') THEN 1 ELSE 0 END),
      SUM(CASE WHEN "satisfaction" = 'no_response' THEN 1 ELSE 0 END), SUM(CASE WHEN "reworkCount" > 0 THEN 1 ELSE 0 END)
    FROM "Ticket" WHERE ${within('"createdAt"')} GROUP BY "status", "departmentId", "categoryId"`
  // The best single statements for the same answer: PostgreSQL's ordered-set aggregate; on SQLite a window count
  // and the middle rows picked by their rank.
  const statsMedians = pg
    ? `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ${ms('"createdAt"', '"firstAcceptedAt"')}) FILTER (WHERE "firstAcceptedAt" IS NOT NULL),
         percentile_cont(0.5) WITHIN GROUP (ORDER BY ${ms('"createdAt"', '"firstResolvedAt"')}) FILTER (WHERE "firstResolvedAt" IS NOT NULL)
       FROM "Ticket" WHERE ${within('"createdAt"')}`
    : ['"firstAcceptedAt"', '"firstResolvedAt"'].map(end => `SELECT AVG(d) FROM (SELECT d FROM (SELECT ${ms('"createdAt"', end)} AS d FROM "Ticket" WHERE ${within('"createdAt"')} AND ${end} IS NOT NULL)
         ORDER BY d LIMIT 2 - (SELECT COUNT(*) FROM "Ticket" WHERE ${within('"createdAt"')} AND ${end} IS NOT NULL) % 2
         OFFSET ((SELECT COUNT(*) FROM "Ticket" WHERE ${within('"createdAt"')} AND ${end} IS NOT NULL) - 1) / 2)`).join(' UNION ALL ')
  await row('/stats (this month)', () => stats.ticketStats(month), async () => {
    await db.prisma.$queryRawUnsafe(statsCounts, month.from, month.to)
    await db.prisma.$queryRawUnsafe(statsMedians, month.from, month.to)
  }, threaded ? () => onThread.stats.ticketStats(month) : undefined)

  const monthlyHand = (unit: string) => [
    `SELECT 'received', ${unit}, COUNT(*), 0, 0 FROM "Ticket" WHERE ${within('"createdAt"')} GROUP BY ${unit}`,
    `SELECT 'acceptDue', ${unit}, COUNT(*), SUM(CASE WHEN "firstAcceptedAt" <= "acceptDueAt" THEN 1 ELSE 0 END), 0 FROM "Ticket" WHERE ${within('"acceptDueAt"')} GROUP BY ${unit}`,
    `SELECT 'resolveDue', ${unit}, COUNT(*), SUM(CASE WHEN "firstResolvedAt" <= "resolveDueAt" THEN 1 ELSE 0 END), 0 FROM "Ticket" WHERE ${within('"resolveDueAt"')} GROUP BY ${unit}`,
    `SELECT 'overdue', ${unit}, COUNT(*), 0, 0 FROM "Ticket" WHERE ${within('"overdueAt"')} GROUP BY ${unit}`,
    `SELECT 'resolved', ${unit}, COUNT(*), SUM(CASE WHEN "reworkCount" > 0 THEN 1 ELSE 0 END), 0 FROM "Ticket" WHERE ${within('"firstResolvedAt"')} GROUP BY ${unit}`,
    `SELECT 'rated', ${unit}, SUM(CASE WHEN "satisfaction" <> 'no_response' THEN 1 ELSE 0 END), SUM(CASE WHEN "satisfaction" IN ('satisfied', 'partly_satisfied') THEN 1 ELSE 0 END),
       SUM(CASE WHEN "satisfaction" = 'no_response' THEN 1 ELSE 0 END) FROM "Ticket" WHERE ${within('"ratedAt"')} GROUP BY ${unit}`,
    `SELECT 'extensions', t.${unit}, COUNT(*), 0, 0 FROM "TicketEvent" e JOIN "Ticket" t ON t."id" = e."ticketId" WHERE e."type" = 'extension_approved' AND ${within('e."createdAt"')} GROUP BY t.${unit}`,
  ].join(' UNION ALL ')
  await row('monthly figures, per district', () => monthly.monthFigures(MONTH, 'district'), () => db.prisma.$queryRawUnsafe(monthlyHand('"districtId"'), range.from, range.to), threaded ? () => onThread.monthly.monthFigures(MONTH, 'district') : undefined)
  await row('monthly figures, per department', () => monthly.monthFigures(MONTH, 'department'), () => db.prisma.$queryRawUnsafe(monthlyHand('"departmentId"'), range.from, range.to), threaded ? () => onThread.monthly.monthFigures(MONTH, 'department') : undefined)

  const open = OPEN_STATUSES.map(s => `'${s}'`).join(', ')
  // Ids from the covering index first: asked for whole rows, PostgreSQL picks a plan that reads every ticket.
  const overdueOrder = `ORDER BY "departmentId", "resolveDueAt", "id"`
  const overdueSql = `SELECT * FROM "Ticket" WHERE "id" IN (SELECT "id" FROM "Ticket" WHERE "status" IN (${open}) AND "resolveDueAt" < ${p(1)} ${overdueOrder} LIMIT 50) ${overdueOrder}`
  await row('/overdue (50 listed)', () => tickets.listOverdue(NOW, { limit: 50 }), () => db.prisma.$queryRawUnsafe(overdueSql, NOW))
  const queueStatuses = OPEN_STATUSES.filter(s => s !== 'needs_triage').map(s => `'${s}'`).join(', ')
  const queueSql = `SELECT * FROM "Ticket" WHERE "departmentId" = ${p(1)} AND "status" IN (${queueStatuses}) ORDER BY "createdAt", "id" LIMIT 20`
  await row('/queue (one department, 20 listed)', () => tickets.listOpen('urban', { limit: 20 }), () => db.prisma.$queryRawUnsafe(queueSql, 'urban'))

  // The old /stats: every event of the month's tickets grouped per ticket in the database, the medians in JavaScript.
  const oldStart = performance.now()
  await db.prisma.ticketEvent.groupBy({
    by: ['ticketId', 'type', 'toStatus'],
    where: { ticket: { createdAt: { gte: month.from, lt: month.to } }, OR: [{ type: 'created' }, { toStatus: { in: ['accepted', 'in_progress', 'resolved'] } }] },
    _min: { createdAt: true },
  })
  const oldStats = performance.now() - oldStart

  // Another chat's one-row lookup, alone and issued while the monthly figures run.
  const lookupAlone = await timed(() => db.prisma.ticket.findUnique({ where: { number: 'HY-12345' } }))
  const waits: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const running = monthly.monthFigures(MONTH, 'department')
    const lookupStart = performance.now()
    await db.prisma.ticket.findUnique({ where: { number: `HY-${12345 + i}` } })
    waits.push(performance.now() - lookupStart)
    await running
  }
  const lookup = median(waits)
  await threaded?.close()

  const [overdueCount] = await db.prisma.$queryRawUnsafe<{ n: unknown }[]>(`SELECT COUNT(*) AS "n" FROM "Ticket" WHERE "status" IN (${open}) AND "resolveDueAt" < ${p(1)}`, NOW)
  const f = (x: number | null) => (x === null ? '—' : `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`)
  console.log(`\n[${db.provider}] ${TICKETS.toLocaleString()} tickets, ${Number(events).toLocaleString()} events, ${Number(overdueCount!.n).toLocaleString()} open and overdue; seeded in ${seedSeconds.toFixed(0)} s`)
  console.log(`| ${db.provider} | as the bot runs it${threaded ? ' (worker thread)' : ''} |${threaded ? ' same, on the calling thread |' : ''} hand-written SQL | ratio |`)
  console.log(`|---|---|${threaded ? '---|' : ''}---|---|`)
  for (const [name, store, inline, hand] of results)
    console.log(`| ${name} | ${f(store)} |${threaded ? ` ${f(inline)} |` : ''} ${f(hand)} | ${hand ? `${(store / hand).toFixed(2)}×` : ''} |`)
  console.log(`old /stats (the month's events grouped per ticket, before the medians in JavaScript): ${f(oldStats)}`)
  console.log(`a one-row lookup takes ${f(lookupAlone)} alone, and ${f(lookup)} when issued while the monthly figures run`)
  console.log(`plan of /overdue:\n    ${await plan(db, overdueSql, NOW)}`)
  console.log(`plan of /queue:\n    ${await plan(db, queueSql, 'urban')}`)
  console.log(`plan of the month's received tickets per district:\n    ${await plan(db, `SELECT "districtId", COUNT(*) FROM "Ticket" WHERE ${within('"createdAt"')} GROUP BY "districtId"`, range.from, range.to)}`)
}

for (const provider of providers) {
  if (provider === 'postgresql' && !(await isPostgresAvailable())) {
    console.log('[postgresql] skipped: no server answers at TEST_POSTGRES_URL')
    continue
  }
  const kept = provider === 'sqlite' ? values['sqlite-file'] : undefined
  if (kept) {
    const url = `file:${kept}`
    const db = await openDatabase(url, { logger: pino({ level: 'silent' }) })
    await bench(db, url)
    await db.close()
    continue
  }
  const scratch = await createScratchDatabase(provider)
  try {
    await bench(await scratch.open(), scratch.url)
  }
  finally {
    await scratch.drop()
  }
}
process.exit(0)
