import type { App } from '#root/app.js'
import type { Catalog } from '#root/domain/catalog.js'
import type { Database } from '#root/store/database.js'
import type { Chat, User } from 'grammy/types'
import type { FakeTelegram } from '../fakes/telegram-server.js'
import type { ScratchDatabase } from '../helpers/database.js'
import { createI18n } from '#root/bot/i18n.js'
import { createChatStore } from '#root/store/chat-store.js'
import { createOutboxStore } from '#root/store/outbox-store.js'
import { createTicketStore } from '#root/store/ticket-store.js'
import { chaseDeadlines } from '#root/usecases/supervision.js'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { startFakeTelegram } from '../fakes/telegram-server.js'
import { createScratchDatabase, describeEachProvider, testLogger } from '../helpers/database.js'
import { bindSupervisionGroups, createSupervisionGroups, movableClock, STREETLIGHT } from '../helpers/supervision-world.js'
import { startTestApp, TestResident } from '../helpers/test-app.js'

const HOUR = 3_600_000
const i18n = createI18n()

describeEachProvider('deadlines and the chase ladder, end to end', (provider) => {
  let telegram: FakeTelegram
  let database: ScratchDatabase
  let app: App | undefined
  let residents: Chat
  let handlers: Chat
  let admins: Chat
  let admin: User
  const clock = movableClock(new Date('2026-12-02T10:00:00+08:00'))
  const now = clock.now
  const setClock = clock.set

  async function start() {
    app = await startTestApp({
      telegram,
      databaseUrl: database.url,
      adminIds: [admin.id],
      now,
      // Rounds run when the test says so (and once at each start).
      env: { CLASSIFY_MIN_CONFIDENCE: '0.01', SCHEDULER_INTERVAL_SECONDS: '3600', CHASE_REMINDER_HOURS: '4', ESCALATION_DELAY_HOURS: '24' },
    })
  }

  beforeEach(async () => {
    setClock(new Date('2026-12-02T10:00:00+08:00'))
    telegram = await startFakeTelegram()
    database = await createScratchDatabase(provider)
    ;({ residents, handlers, admins, admin } = createSupervisionGroups(telegram))
    await start()
    await bindSupervisionGroups(app!, { residents, handlers, admins, admin })
  })

  afterEach(async () => {
    await app?.stop()
    app = undefined
    await telegram.close()
    await database.drop()
  })

  const sentTo = (chat: Chat, text: string) => telegram.sentMessages(chat).filter(m => m.text?.includes(text))

  it('sends exactly one reminder, one 催办 and one escalation, across a restart and with a second process on the same database', async () => {
    const wang = new TestResident(telegram, telegram.createUser({ first_name: '王阿姨', language_code: 'zh' }), residents)
    const number = await wang.reportProblem(STREETLIGHT)
    const store = () => createTicketStore(app!.database, { timezone: 'Asia/Shanghai' })
    const ticket = (await store().findByNumber(number))!
    expect(ticket.acceptDueAt).toBeInstanceOf(Date)
    expect(ticket.resolveDueAt!.getTime()).toBeGreaterThan(now().getTime())
    const due = ticket.resolveDueAt!
    await telegram.waitForMessage({ chatId: handlers.id, textIncludes: number, from: 0 })
    // Acceptance within 1 working day: by the end of Thursday 3 December. A complaint has 10 working days:
    // Wednesday 2 December counts from Thursday, so it ends on Wednesday 16th.
    expect(telegram.sentMessages(handlers).at(-1)!.text).toMatch(/受理时限：2026\/12\/04 00:00（剩余 1天1[34]小时）/)
    expect(telegram.sentMessages(handlers).at(-1)!.text).toMatch(/办结时限：2026\/12\/17 00:00（剩余 14天1[34]小时）/)

    // Nothing before the reminder window.
    setClock(new Date(due.getTime() - 5 * HOUR))
    await app!.superviseNow()
    setClock(new Date(due.getTime() - 1 * HOUR))
    await app!.superviseNow()
    await app!.superviseNow()
    await telegram.waitForMessage({ chatId: handlers.id, textIncludes: '到期提醒', from: 0 })

    // Down across the deadline: the restarted bot sends the 催办 once, and no late reminder.
    await app!.stop()
    setClock(new Date(due.getTime() + 2 * HOUR))
    await start()
    await app!.superviseNow()
    await telegram.waitForMessage({ chatId: handlers.id, textIncludes: '催办', from: 0 })

    // A second bot process on the same database runs its round at the same moment as this one.
    setClock(new Date(due.getTime() + 25 * HOUR))
    const second: Database = await database.open()
    const secondDeps = {
      tickets: createTicketStore(second, { timezone: 'Asia/Shanghai', now }),
      chats: createChatStore(second),
      texts: { translate: (locale: 'zh' | 'en', key: string, variables?: Record<string, string | number>) => i18n.t(locale, key, variables), catalog: (): Catalog => app!.catalog },
      wakeOutbox: () => {},
      logger: testLogger,
      timezone: 'Asia/Shanghai',
      policy: { reminderBeforeMs: 4 * HOUR, escalationAfterMs: 24 * HOUR },
      followUpTimeoutMs: 72 * HOUR,
    }
    await Promise.all([app!.superviseNow(), chaseDeadlines(secondDeps, now())])
    await app!.superviseNow()
    const events = (await store().listEvents(ticket.id)).filter(e => e.type === 'chase')
    // Nobody accepted it either: one 催签收 came first, when its acceptance deadline passed.
    expect(events.map(e => e.data?.step)).toEqual(['accept_overdue', 'reminder', 'overdue', 'escalation'])
    await telegram.waitForMessage({ chatId: admins.id, textIncludes: '督办：', from: 0 })
    expect(sentTo(admins, '督办：')).toHaveLength(1)
    // A supervisor presses 督办 right under the escalation: the handlers hear it.
    const supervised = await pressButton(telegram, admins, admin, '督办：', `督办 ${number}`)
    await telegram.waitFor(c => c.method === 'answerCallbackQuery' && c.params.callback_query_id === supervised, 5000, 0)
    expect((await telegram.waitForMessage({ chatId: handlers.id, textIncludes: '🚩 督办', from: 0 })).text).toContain('超期未办结')

    expect(sentTo(handlers, '到期提醒')).toHaveLength(1)
    expect(sentTo(handlers, '催办：')).toHaveLength(1)
    expect(sentTo(handlers, '催签收')).toHaveLength(1)
    // The calendar lacks 2027: the admins' group heard it once, across the restart and every round.
    expect(sentTo(admins, '节假日安排缺少 2027 年')).toHaveLength(1)
    expect(await chaseMessages(app!.database, ticket.id)).toBe(4)
    // /overdue in the admins' group lists it under its department.
    telegram.sendMessage({ chat: admins, from: admin, text: '/overdue' })
    const list = await telegram.waitForMessage({ chatId: admins.id, textIncludes: '超期工单（1）' })
    expect(list.text).toMatch(new RegExp(`【城市管理和综合执法局】\\n· ${number} · 已交办 · 超期 1天1小时`))

    // The card in the handlers' group shows the overdue time, refreshed by the chase steps.
    await telegram.waitForMessage({ chatId: handlers.id, textIncludes: /办结时限.*已超期/, edits: true, from: 0 })

    // Past the deadline an extension can no longer be asked for.
    const press = await pressButton(telegram, handlers, admin, '原文', '申请延期')
    await telegram.waitFor(c => c.method === 'answerCallbackQuery' && c.params.callback_query_id === press, 5000, 0)
    expect(telegram.callbackAnswers.find(a => a.callbackQueryId === press)!.text).toContain('已过办结时限')
  })

  it('closes a resolved ticket the reporter did not rate in time as "no response", once', async () => {
    const handler = telegram.createUser({ first_name: '张科长' })
    telegram.setChatMember(handlers, handler, 'member')
    const wang = new TestResident(telegram, telegram.createUser({ first_name: '王阿姨', language_code: 'zh' }), residents)
    const number = await wang.reportProblem(STREETLIGHT)
    await telegram.waitForMessage({ chatId: handlers.id, textIncludes: '办结时限', from: 0 })
    await pressButton(telegram, handlers, handler, '原文', '受理')
    await wang.expectBot('已由')
    await telegram.waitForMessage({ chatId: handlers.id, textIncludes: /已受理 · 张科长/, edits: true, from: 0 })
    await pressButton(telegram, handlers, handler, '原文', '办结')
    const prompt = await telegram.waitForMessage({ chatId: handlers.id, textIncludes: '办结说明' })
    telegram.sendMessage({ chat: handlers, from: handler, text: '已更换路灯灯泡', replyTo: prompt.message_id })
    await wang.expectBot('」办结')
    const store = () => createTicketStore(app!.database, { timezone: 'Asia/Shanghai' })
    const resolved = (await store().findByNumber(number))!
    expect(resolved.resolvedAt).toBeInstanceOf(Date)

    setClock(new Date(resolved.resolvedAt!.getTime() + 71 * HOUR))
    await app!.superviseNow()
    expect((await store().findById(resolved.id))!.status).toBe('resolved')

    setClock(new Date(resolved.resolvedAt!.getTime() + 73 * HOUR))
    await Promise.all([app!.superviseNow(), app!.superviseNow()])
    const closed = (await store().findById(resolved.id))!
    expect(closed.status).toBe('closed')
    const events = await store().listEvents(resolved.id)
    expect(events.filter(e => e.toStatus === 'closed')).toHaveLength(1)
    expect(events.at(-1)).toMatchObject({ actorRole: 'system', data: { satisfaction: 'no_response' } })
    await telegram.waitForMessage({ chatId: handlers.id, textIncludes: '未评价', edits: true, from: 0 })
  })

  it('moves the deadline when a supervisor approves a handler\'s extension request, and tells the reporter', async () => {
    const handler = telegram.createUser({ first_name: '张科长' })
    telegram.setChatMember(handlers, handler, 'member')
    const wang = new TestResident(telegram, telegram.createUser({ first_name: '王阿姨', language_code: 'zh' }), residents)
    const number = await wang.reportProblem(STREETLIGHT)
    const store = () => createTicketStore(app!.database, { timezone: 'Asia/Shanghai' })
    const before = (await store().findByNumber(number))!
    await telegram.waitForMessage({ chatId: handlers.id, textIncludes: '办结时限', from: 0 })

    await pressButton(telegram, handlers, handler, '原文', '申请延期')
    const prompt = await telegram.waitForMessage({ chatId: handlers.id, textIncludes: '延期的工作日数' })
    telegram.sendMessage({ chat: handlers, from: handler, text: '5 需要等待配件到货', replyTo: prompt.message_id })
    await telegram.waitForMessage({ chatId: admins.id, textIncludes: '延期申请' })
    expect((await store().findById(before.id))!.extensionRequestId).not.toBeNull()

    await pressButton(telegram, admins, admin, '延期申请', '同意延期')
    // Five more working days from Thursday 17 December 00:00: 17, 18, 21, 22, 23 → the end of Wednesday 23rd.
    const told = await wang.expectBot('办理时限已延长至')
    expect(told.text).toContain('2026/12/24 00:00')
    const after = (await store().findById(before.id))!
    expect(after.resolveDueAt!.toISOString()).toBe(new Date('2026-12-24T00:00:00+08:00').toISOString())
    expect(after).toMatchObject({ chaseLevel: 0, extensionRequestId: null })
    expect((await store().listEvents(before.id)).map(e => e.type)).toEqual(['created', 'extension_requested', 'extension_approved'])
    // The handlers' card shows the new deadline and the time left.
    await telegram.waitForMessage({ chatId: handlers.id, textIncludes: /办结时限：2026\/12\/24 00:00（剩余 \d+天/, edits: true, from: 0 })
    // /status shows the reporter the new deadline and the time left.
    wang.command(`/status ${number}`)
    expect((await wang.expectBot(/办结时限：2026\/12\/24 00:00（剩余/)).text).toContain(number)

    // A second press changes nothing.
    const again = await pressButton(telegram, admins, admin, '延期申请', '同意延期').catch(() => null)
    expect(again === null || (await store().listEvents(before.id)).length === 3).toBe(true)
  })
})

describeEachProvider('a refused extension, end to end', (provider) => {
  let telegram: FakeTelegram
  let database: ScratchDatabase
  let app: App | undefined

  afterEach(async () => {
    await app?.stop()
    app = undefined
    await telegram.close()
    await database.drop()
  })

  it('leaves the deadline where it was and tells the reporter nothing', async () => {
    telegram = await startFakeTelegram()
    database = await createScratchDatabase(provider)
    const { residents, handlers, admins, admin } = createSupervisionGroups(telegram)
    const handler = telegram.createUser({ first_name: '张科长' })
    telegram.setChatMember(handlers, handler, 'member')
    app = await startTestApp({ telegram, databaseUrl: database.url, adminIds: [admin.id], env: { CLASSIFY_MIN_CONFIDENCE: '0.01', SCHEDULER_INTERVAL_SECONDS: '3600' } })
    await bindSupervisionGroups(app, { residents, handlers, admins, admin })

    const wang = new TestResident(telegram, telegram.createUser({ first_name: '王阿姨', language_code: 'zh' }), residents)
    const number = await wang.reportProblem(STREETLIGHT)
    const store = createTicketStore(app.database, { timezone: 'Asia/Shanghai' })
    const before = (await store.findByNumber(number))!
    await telegram.waitForMessage({ chatId: handlers.id, textIncludes: '办结时限', from: 0 })
    await pressButton(telegram, handlers, handler, '原文', '申请延期')
    const prompt = await telegram.waitForMessage({ chatId: handlers.id, textIncludes: '延期的工作日数' })
    telegram.sendMessage({ chat: handlers, from: handler, text: '3 等待配件', replyTo: prompt.message_id })
    await telegram.waitForMessage({ chatId: admins.id, textIncludes: '延期申请' })
    const press = await pressButton(telegram, admins, admin, '延期申请', '不同意')
    await telegram.waitFor(c => c.method === 'answerCallbackQuery' && c.params.callback_query_id === press, 5000, 0)
    await telegram.waitForMessage({ chatId: handlers.id, textIncludes: /最近：不同意延期 · Admin/, edits: true, from: 0 })

    const after = (await store.findById(before.id))!
    expect(after.resolveDueAt!.toISOString()).toBe(before.resolveDueAt!.toISOString())
    expect(after.extensionRequestId).toBeNull()
    expect((await store.listEvents(before.id)).map(e => e.type)).toEqual(['created', 'extension_requested', 'extension_refused'])
    expect(telegram.sentMessages(residents).filter(m => m.text?.includes('办理时限已延长'))).toHaveLength(0)
  })
})

async function pressButton(telegram: FakeTelegram, chat: Chat, user: User, textIncludes: string, label: string): Promise<string> {
  const message = [...telegram.sentMessages(chat)].reverse().find(m => telegram.getMessage(chat, m.message_id)?.text?.includes(textIncludes))!
  const current = telegram.getMessage(chat, message.message_id)!
  const button = (current.reply_markup?.inline_keyboard ?? []).flat().find(b => b.text.includes(label))
  if (!button || !('callback_data' in button))
    throw new Error(`no button ${label}: ${JSON.stringify(current.reply_markup)}`)
  return telegram.clickButton({ chat, from: user, message: current, data: button.callback_data! })
}

async function chaseMessages(db: Database, ticketId: number): Promise<number> {
  return (await createOutboxStore(db).listForTicket(ticketId)).filter(m => m.dedupKey.includes(':chase:')).length
}
