import type { App } from '#root/app.js'
import type { Chat, User } from 'grammy/types'
import type { FakeTelegram } from '../fakes/telegram-server.js'
import type { ScratchDatabase } from '../helpers/database.js'
import { createServer } from 'node:net'
import { createOutboxStore } from '#root/store/outbox-store.js'
import { createTicketStore } from '#root/store/ticket-store.js'
import { pino } from 'pino'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startFakeTelegram } from '../fakes/telegram-server.js'
import { createScratchDatabase, isPostgresAvailable } from '../helpers/database.js'
import { bindSupervisionGroups, createSupervisionGroups, movableClock, STREETLIGHT } from '../helpers/supervision-world.js'
import { startTestApp, temporaryInboxFile, TestResident } from '../helpers/test-app.js'

const HOUR = 3_600_000

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/**
 * Two complete bot processes (createApp twice) on one PostgreSQL database, against one fake Telegram, as a deployment
 * behind a load balancer runs them: each takes updates by webhook (Telegram posts to the one that set it last), each
 * runs its own deadline scheduler and outbox. The ladder must still take each step once, and a restarted process must
 * catch up with only the steps still meaningful.
 */
describe('the chase ladder with two bot processes on one PostgreSQL database', () => {
  let postgres = false
  let telegram: FakeTelegram
  let database: ScratchDatabase
  const apps: { a?: App, b?: App } = {}
  // Each test's fake Telegram numbers its updates from the start again: fresh inboxes, or they would look seen.
  let inbox = { a: '', b: '' }
  let residents: Chat
  let handlers: Chat
  let admins: Chat
  let admin: User
  const clock = movableClock(new Date('2026-12-02T10:00:00+08:00'))
  const now = clock.now
  const setClock = clock.set

  beforeAll(async () => {
    postgres = await isPostgresAvailable()
  })

  // A failed scheduler round is only logged: what either process logs at error level fails the test.
  let errors: string[] = []
  const logger = pino({ level: 'error' }, { write: (line: string) => errors.push(line) })

  async function startInstance(name: 'a' | 'b'): Promise<App> {
    const port = await freePort()
    const app = await startTestApp({
      telegram,
      logger,
      databaseUrl: database.url,
      adminIds: [admin.id],
      now,
      inboxFile: inbox[name],
      env: {
        CLASSIFY_MIN_CONFIDENCE: '0.01',
        // Rounds run when the test says so, and once at each start.
        SCHEDULER_INTERVAL_SECONDS: '3600',
        CHASE_REMINDER_HOURS: '4',
        ESCALATION_DELAY_HOURS: '24',
        WEBHOOK_URL: `http://127.0.0.1:${port}/hook`,
        WEBHOOK_SECRET: `secret-${name}`,
        HTTP_PORT: String(port),
      },
    })
    apps[name] = app
    return app
  }

  beforeEach(async (ctx) => {
    if (!postgres)
      ctx.skip('PostgreSQL does not answer: two bot processes on one PostgreSQL database cannot be tried here')
    setClock(new Date('2026-12-02T10:00:00+08:00'))
    inbox = { a: temporaryInboxFile(), b: temporaryInboxFile() }
    errors = []
    telegram = await startFakeTelegram()
    database = await createScratchDatabase('postgresql')
    ;({ residents, handlers, admins, admin } = createSupervisionGroups(telegram))
    const first = await startInstance('a')
    await bindSupervisionGroups(first, { residents, handlers, admins, admin })
    await startInstance('b')
  }, 60_000)

  afterEach(async () => {
    await apps.a?.stop()
    await apps.b?.stop()
    apps.a = undefined
    apps.b = undefined
    if (postgres) {
      await telegram.close()
      await database.drop()
    }
    expect(errors).toEqual([])
  }, 60_000)

  const sentTo = (chat: Chat, text: string) => telegram.sentMessages(chat).filter(m => m.text?.includes(text))
  const store = () => createTicketStore(apps.a?.database ?? apps.b!.database, { timezone: 'Asia/Shanghai' })
  /** Both processes run a scheduler round at the same moment, twice. */
  const bothRounds = async () => {
    await Promise.all([apps.a!.superviseNow(), apps.b!.superviseNow()])
    await Promise.all([apps.a!.superviseNow(), apps.b!.superviseNow()])
  }
  /** Waits until the outbox of the shared database has nothing left to send. */
  const outboxDrained = async () => {
    const outbox = createOutboxStore(apps.a?.database ?? apps.b!.database)
    let counts = await outbox.counts()
    for (let i = 0; i < 250 && (counts.pending > 0 || counts.sending > 0); i++) {
      await new Promise(resolve => setTimeout(resolve, 20))
      counts = await outbox.counts()
    }
    expect(counts).toMatchObject({ pending: 0, sending: 0, failed: 0 })
  }

  async function reportTicket() {
    const wang = new TestResident(telegram, telegram.createUser({ first_name: '王阿姨', language_code: 'zh' }), residents)
    const number = await wang.reportProblem(STREETLIGHT)
    const ticket = (await store().findByNumber(number))!
    await telegram.waitForMessage({ chatId: handlers.id, textIncludes: number, from: 0 })
    return ticket
  }

  it('takes 催签收, the reminder, 催办 and the escalation once each while both schedulers run side by side', async () => {
    const ticket = await reportTicket()
    const due = ticket.resolveDueAt!

    // Past the acceptance deadline (the end of Thursday 3 December), nobody accepted it.
    setClock(new Date(ticket.acceptDueAt!.getTime() + HOUR))
    await bothRounds()
    // The handlers' card shows the step, and that acceptance is overdue.
    await telegram.waitForMessage({ chatId: handlers.id, textIncludes: /受理时限.*已超期[\s\S]*最近：催签收 · 系统/, edits: true, from: 0 })
    setClock(new Date(due.getTime() - HOUR))
    await bothRounds()
    setClock(new Date(due.getTime() + 2 * HOUR))
    await bothRounds()
    setClock(new Date(due.getTime() + 25 * HOUR))
    await bothRounds()
    await outboxDrained()

    const steps = (await store().listEvents(ticket.id)).filter(e => e.type === 'chase').map(e => e.data?.step)
    expect(steps).toEqual(['accept_overdue', 'reminder', 'overdue', 'escalation'])
    expect(sentTo(handlers, '催签收')).toHaveLength(1)
    expect(sentTo(handlers, '到期提醒')).toHaveLength(1)
    expect(sentTo(handlers, '催办：')).toHaveLength(1)
    expect(sentTo(admins, '督办：')).toHaveLength(1)
    expect(await store().findById(ticket.id)).toMatchObject({ chaseLevel: 3, acceptChaseLevel: 1 })
    // 2027's schedule is not in the calendar yet: the admins' group heard it once, not once per process and round.
    expect(sentTo(admins, '节假日安排缺少 2027 年')).toHaveLength(1)
  })

  it('a process restarted after the deadline and the escalation delay catches up without the outdated reminder', async () => {
    const ticket = await reportTicket()
    const due = ticket.resolveDueAt!

    await apps.a!.stop()
    apps.a = undefined
    // The other process sits idle meanwhile (its next round is an hour of real time away).
    setClock(new Date(due.getTime() + 30 * HOUR))
    // Its first round at start takes what is due now: 催签收, 催办 and the escalation; no reminder once overdue.
    await startInstance('a')
    await telegram.waitForMessage({ chatId: admins.id, textIncludes: '督办：', from: 0 })
    await bothRounds()
    await outboxDrained()

    const steps = (await store().listEvents(ticket.id)).filter(e => e.type === 'chase').map(e => e.data?.step)
    expect(steps).toEqual(['accept_overdue', 'overdue', 'escalation'])
    expect(sentTo(handlers, '到期提醒')).toHaveLength(0)
    expect(sentTo(handlers, '催签收')).toHaveLength(1)
    expect(sentTo(handlers, '催办：')).toHaveLength(1)
    expect(sentTo(admins, '督办：')).toHaveLength(1)
    // Every chase message went through the outbox, one row per step and recipient.
    const chaseRows = (await createOutboxStore(apps.a!.database).listForTicket(ticket.id)).filter(m => m.dedupKey.includes(':chase:'))
    expect(chaseRows.map(m => m.status)).toEqual(['sent', 'sent', 'sent'])
  })
})
