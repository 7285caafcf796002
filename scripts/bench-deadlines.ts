/**
 * What the deadline scheduler and `/overdue` cost on a large case store:
 *
 *   npx tsx scripts/bench-deadlines.ts [--tickets 100000] [--db sqlite|postgresql] [--runs 7]
 *
 * A fresh scratch database (SQLite file, or a PostgreSQL database on TEST_POSTGRES_URL) gets N tickets through
 * `createMany`: 85% closed, the rest open, with completion deadlines spread over the past and next 60 days and
 * chase levels as the scheduler would have left them (every overdue open ticket escalated already, every assigned one
 * past its acceptance deadline chased for it: the steady state). Then it times, as the median of --runs runs after one
 * warm-up: a scheduler round's reads (`listChaseDue`: what is due within the reminder window and not fully chased;
 * `listAcceptChaseDue`: what waits to be accepted past its acceptance deadline, not chased yet), `/overdue`'s read
 * (`listOverdue`, 50 rows), and the read of unrated resolved tickets (`listUnrated`), and prints the database's query
 * plan for the first three.
 */
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { loadCatalogFile } from '#root/catalog/catalog-file.js'
import { createCatalogStore } from '#root/store/catalog-store.js'
import { createTicketStore } from '#root/store/ticket-store.js'
import { createScratchDatabase, isPostgresAvailable } from '../test/helpers/database.js'

const { values } = parseArgs({ options: { tickets: { type: 'string', default: '100000' }, db: { type: 'string', default: 'sqlite' }, runs: { type: 'string', default: '7' } } })
const count = Number(values.tickets)
const provider = values.db === 'postgresql' ? 'postgresql' : 'sqlite'
const runs = Number(values.runs)
if (provider === 'postgresql' && !await isPostgresAvailable()) {
  console.log('PostgreSQL not reachable: skipped')
  process.exit(0)
}
const DAY = 86_400_000
const HOUR = 3_600_000
const now = new Date('2026-12-02T02:00:00Z')

const scratch = await createScratchDatabase(provider)
try {
  const db = await scratch.open()
  const catalog = await loadCatalogFile('prisma/catalog.json')
  await createCatalogStore(db).sync(catalog)
  const departments = catalog.departments.map(d => d.id)
  const started = performance.now()
  const BATCH = 5000
  for (let from = 0; from < count; from += BATCH) {
    const rows = []
    for (let i = from; i < Math.min(count, from + BATCH); i++) {
      const open = i % 20 < 3
      const due = new Date(now.getTime() + ((i * 7919) % (120 * 24) - 60 * 24) * HOUR)
      const overdueLong = due.getTime() + DAY <= now.getTime()
      const status = open ? (['assigned', 'accepted', 'in_progress'] as const)[i % 3]! : 'closed'
      const acceptDueAt = new Date(due.getTime() - 13 * DAY)
      rows.push({
        number: `HY-BENCH-${i}`,
        intakeKey: `bench-${i}`,
        status,
        reporterId: BigInt(1000 + i),
        reporterName: 'bench',
        reporterLanguage: 'zh',
        sourceChatId: BigInt(1000 + i),
        sourceChatType: 'private',
        description: '路灯不亮',
        departmentId: departments[i % departments.length]!,
        urgency: 'normal',
        requestType: 'complaint',
        summary: '路灯不亮',
        confidence: 0.9,
        classifier: 'offline',
        createdAt: new Date(due.getTime() - 14 * DAY),
        acceptDueAt,
        resolveDueAt: due,
        chaseLevel: open && overdueLong ? 3 : 0,
        acceptChaseLevel: status === 'assigned' && acceptDueAt.getTime() + HOUR <= now.getTime() ? 1 : 0,
      })
    }
    await db.prisma.ticket.createMany({ data: rows })
  }
  console.log(`${provider}: ${count} tickets stored in ${((performance.now() - started) / 1000).toFixed(1)} s`)

  const tickets = createTicketStore(db, { timezone: 'Asia/Shanghai', now: () => now })
  const time = async (name: string, read: () => Promise<unknown[]>) => {
    await read()
    const times: number[] = []
    let rows = 0
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now()
      rows = (await read()).length
      times.push(performance.now() - t0)
    }
    times.sort((a, b) => a - b)
    console.log(`${name}: median ${times[Math.floor(times.length / 2)]!.toFixed(1)} ms (min ${times[0]!.toFixed(1)}, max ${times.at(-1)!.toFixed(1)}; ${runs} runs, ${rows} rows)`)
  }
  await time('scheduler round read (listChaseDue, reminder window 4 h)', () => tickets.listChaseDue(new Date(now.getTime() + 4 * HOUR)))
  await time('scheduler round read (listAcceptChaseDue)', () => tickets.listAcceptChaseDue(now))
  await time('/overdue read (listOverdue, 50 rows)', () => tickets.listOverdue(now, { limit: 50 }))
  await time('unrated resolved (listUnrated)', () => tickets.listUnrated(new Date(now.getTime() - 72 * HOUR)))

  const explain = provider === 'sqlite' ? 'EXPLAIN QUERY PLAN' : 'EXPLAIN'
  const open = `'needs_triage','assigned','accepted','in_progress'`
  for (const sql of [
    `SELECT id FROM "Ticket" WHERE status IN (${open}) AND "chaseLevel" IN (0,1,2) AND "resolveDueAt" <= ${provider === 'sqlite' ? now.getTime() + 4 * HOUR : `'${new Date(now.getTime() + 4 * HOUR).toISOString()}'`} ORDER BY "resolveDueAt" LIMIT 100`,
    `SELECT id FROM "Ticket" WHERE status = 'assigned' AND "acceptChaseLevel" = 0 AND "acceptDueAt" <= ${provider === 'sqlite' ? now.getTime() : `'${now.toISOString()}'`} ORDER BY "acceptDueAt" LIMIT 100`,
    `SELECT id FROM "Ticket" WHERE status IN (${open}) AND "resolveDueAt" < ${provider === 'sqlite' ? now.getTime() : `'${now.toISOString()}'`} ORDER BY "departmentId", "resolveDueAt" LIMIT 50`,
  ]) {
    const plan = await db.prisma.$queryRawUnsafe<Record<string, unknown>[]>(`${explain} ${sql}`)
    console.log(`plan: ${plan.map(r => String(r.detail ?? r['QUERY PLAN'])).join(' | ')}`)
  }
}
finally {
  await scratch.drop()
}
