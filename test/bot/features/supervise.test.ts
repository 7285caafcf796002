import type { App } from '#root/app.js'
import type { Chat, User } from 'grammy/types'
import type { FakeTelegram } from '../../fakes/telegram-server.js'
import type { ScratchDatabase } from '../../helpers/database.js'
import { parseSuperviseCommand } from '#root/bot/features/supervise.js'
import { planTransition } from '#root/domain/lifecycle.js'
import { createTicketStore } from '#root/store/ticket-store.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeTelegram } from '../../fakes/telegram-server.js'
import { createScratchDatabase, describeEachProvider } from '../../helpers/database.js'
import { bindSupervisionGroups, createSupervisionGroups, movableClock, STREETLIGHT } from '../../helpers/supervision-world.js'
import { startTestApp, TestResident } from '../../helpers/test-app.js'

const HOUR = 3_600_000
const MINUTE = 60_000

describe('parseSuperviseCommand', () => {
  it.each([
    ['HY-20261203-0001 请今天内答复群众', { number: 'HY-20261203-0001', reason: '请今天内答复群众' }],
    ['  hy202612030001   再不处理就约谈 ', { number: 'HY-20261203-0001', reason: '再不处理就约谈' }],
    ['HY-20261203-0001', { number: 'HY-20261203-0001', reason: '' }],
    ['请今天内答复', null],
    ['', null],
  ])('%j', (text, expected) => {
    expect(parseSuperviseCommand(text)).toEqual(expected)
  })
})

describeEachProvider('督办 by a supervisor, end to end', (provider) => {
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

  beforeEach(async () => {
    setClock(new Date('2026-12-02T10:00:00+08:00'))
    telegram = await startFakeTelegram()
    database = await createScratchDatabase(provider)
    ;({ residents, handlers, admins, admin } = createSupervisionGroups(telegram))
    app = await startTestApp({
      telegram,
      databaseUrl: database.url,
      adminIds: [admin.id],
      now,
      env: { CLASSIFY_MIN_CONFIDENCE: '0.01', SCHEDULER_INTERVAL_SECONDS: '3600', SUPERVISE_REPEAT_MINUTES: '60' },
    })
    await bindSupervisionGroups(app, { residents, handlers, admins, admin })
  })

  afterEach(async () => {
    await app?.stop()
    app = undefined
    await telegram.close()
    await database.drop()
  })

  const sentTo = (chat: Chat, text: string) => telegram.sentMessages(chat).filter(m => m.text?.includes(text))
  const store = () => createTicketStore(app!.database, { timezone: 'Asia/Shanghai' })

  it('a 督办 button under /overdue tells the handlers once; a second press within the cool-down is refused', async () => {
    const wang = new TestResident(telegram, telegram.createUser({ first_name: '王阿姨', language_code: 'zh' }), residents)
    const number = await wang.reportProblem(STREETLIGHT)
    const ticket = (await store().findByNumber(number))!
    await telegram.waitForMessage({ chatId: handlers.id, textIncludes: number, from: 0 })
    setClock(new Date(ticket.resolveDueAt!.getTime() + 2 * HOUR))

    telegram.sendMessage({ chat: admins, from: admin, text: '/overdue' })
    const list = await telegram.waitForMessage({ chatId: admins.id, textIncludes: '超期工单（1）' })
    const press = () => {
      const button = (list.reply_markup?.inline_keyboard ?? []).flat().find(b => b.text.includes(number))
      if (!button || !('callback_data' in button))
        throw new Error(`no 督办 button for ${number}: ${JSON.stringify(list.reply_markup)}`)
      return telegram.clickButton({ chat: admins, from: admin, message: list, data: button.callback_data! })
    }
    const answered = async (id: string) => {
      await telegram.waitFor(c => c.method === 'answerCallbackQuery' && c.params.callback_query_id === id, 5000, 0)
      return telegram.callbackAnswers.find(a => a.callbackQueryId === id)!
    }

    expect((await answered(press())).text).toContain(`已督办工单 ${number}`)
    const notice = await telegram.waitForMessage({ chatId: handlers.id, textIncludes: '🚩 督办' })
    expect(notice.text).toContain(number)
    expect(notice.text).toContain('超期未办结，请尽快办理')
    // The handlers' card shows the step.
    await telegram.waitForMessage({ chatId: handlers.id, textIncludes: /最近：督办 · Admin.*：超期未办结/, edits: true, from: 0 })

    const again = await answered(press())
    expect(again.text).toContain('刚督办过，请 60 分钟后再督办')
    expect(again.showAlert).toBe(true)
    const events = (await store().listEvents(ticket.id)).filter(e => e.type === 'supervised')
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ actorRole: 'admin', actorId: admin.id, note: '超期未办结，请尽快办理' })
    expect(sentTo(handlers, '🚩 督办')).toHaveLength(1)
  })

  it('an admin\'s /ticket of an open ticket carries a 督办 button, which supervises it; a closed one has none', async () => {
    const wang = new TestResident(telegram, telegram.createUser({ first_name: '王阿姨', language_code: 'zh' }), residents)
    const number = await wang.reportProblem(STREETLIGHT)
    const ticket = (await store().findByNumber(number))!
    await telegram.waitForMessage({ chatId: handlers.id, textIncludes: number, from: 0 })

    // The admins' group sees only what it triages: the full view of a routed ticket comes privately.
    const adminChat = telegram.startPrivateChat(admin).message.chat
    await telegram.waitForMessage({ chatId: adminChat.id })
    telegram.sendMessage({ chat: admins, from: admin, text: `/ticket ${number}` })
    const view = await telegram.waitForMessage({ chatId: adminChat.id, textIncludes: number })
    const button = (view.reply_markup?.inline_keyboard ?? []).flat().find(b => b.text.includes('督办'))
    expect(button && 'callback_data' in button).toBe(true)
    const pressed = telegram.clickButton({ chat: adminChat, from: admin, message: view, data: (button as { callback_data: string }).callback_data })
    await telegram.waitFor(c => c.method === 'answerCallbackQuery' && c.params.callback_query_id === pressed, 5000, 0)
    expect(telegram.callbackAnswers.find(a => a.callbackQueryId === pressed)!.text).toContain(`已督办工单 ${number}`)
    await telegram.waitForMessage({ chatId: handlers.id, textIncludes: '🚩 督办' })
    expect((await store().listEvents(ticket.id)).filter(e => e.type === 'supervised')).toHaveLength(1)

    // Nothing left to chase on a ticket that is no longer open.
    const rejected = planTransition({ status: ticket.status, departmentId: ticket.departmentId, action: 'reject', role: 'admin', note: '不属于受理范围' })
    await store().applyTransition(ticket.id, rejected, { id: admin.id, role: 'admin' })
    telegram.sendMessage({ chat: admins, from: admin, text: `/ticket ${number}` })
    const after = await telegram.waitForMessage({ chatId: adminChat.id, textIncludes: number })
    expect((after.reply_markup?.inline_keyboard ?? []).flat().filter(b => b.text.includes('督办'))).toEqual([])
  })

  it('/supervise records the reason; the cool-down passes; only supervisors may; the reporter does not see it', async () => {
    const wang = new TestResident(telegram, telegram.createUser({ first_name: '王阿姨', language_code: 'zh' }), residents)
    const number = await wang.reportProblem(STREETLIGHT)
    const ticket = (await store().findByNumber(number))!
    await telegram.waitForMessage({ chatId: handlers.id, textIncludes: number, from: 0 })

    telegram.sendMessage({ chat: admins, from: admin, text: `/supervise ${number}` })
    await telegram.waitForMessage({ chatId: admins.id, textIncludes: '用法：/supervise' })

    telegram.sendMessage({ chat: admins, from: admin, text: `/supervise ${number} 群众反映强烈，请今天内答复` })
    await telegram.waitForMessage({ chatId: admins.id, textIncludes: `已督办工单 ${number}` })
    expect((await telegram.waitForMessage({ chatId: handlers.id, textIncludes: '🚩 督办' })).text).toContain('群众反映强烈，请今天内答复')

    setClock(new Date(now().getTime() + 30 * MINUTE))
    telegram.sendMessage({ chat: admins, from: admin, text: `/supervise ${number} 再催一次` })
    await telegram.waitForMessage({ chatId: admins.id, textIncludes: '请 30 分钟后再督办' })

    // Privately, an admin named in the configuration may; a handler may not, anywhere.
    setClock(new Date(now().getTime() + 31 * MINUTE))
    const adminChat = telegram.startPrivateChat(admin).message.chat
    telegram.sendMessage({ chat: adminChat, from: admin, text: `/supervise ${number} 再催一次` })
    await telegram.waitForMessage({ chatId: adminChat.id, textIncludes: `已督办工单 ${number}` })
    const handler = telegram.createUser({ first_name: '张科长' })
    telegram.setChatMember(handlers, handler, 'member')
    telegram.sendMessage({ chat: handlers, from: handler, text: `/supervise ${number} 自己督办自己` })
    await telegram.waitForMessage({ chatId: handlers.id, textIncludes: '只有督办群成员和管理员可以督办' })

    const events = (await store().listEvents(ticket.id)).filter(e => e.type === 'supervised')
    expect(events.map(e => e.note)).toEqual(['群众反映强烈，请今天内答复', '再催一次'])
    expect(sentTo(handlers, '🚩 督办')).toHaveLength(2)

    // The reporter's history has no word of it.
    wang.command(`/status ${number}`)
    const status = await wang.expectBot(number)
    expect(status.text).not.toContain('群众反映强烈')
    expect(status.text).not.toContain('再催一次')
  })

  it('a rejected ticket is not supervised', async () => {
    const handler = telegram.createUser({ first_name: '张科长' })
    telegram.setChatMember(handlers, handler, 'member')
    const wang = new TestResident(telegram, telegram.createUser({ first_name: '王阿姨', language_code: 'zh' }), residents)
    const number = await wang.reportProblem(STREETLIGHT)
    const ticket = (await store().findByNumber(number))!
    const plan = planTransition({ status: ticket.status, departmentId: ticket.departmentId, action: 'reject', role: 'handler', note: '不属于受理范围' })
    await store().applyTransition(ticket.id, plan, { id: handler.id, role: 'handler' })
    telegram.sendMessage({ chat: admins, from: admin, text: `/supervise ${number} 请办理` })
    await telegram.waitForMessage({ chatId: admins.id, textIncludes: '无需督办' })
  })
})
