import type { App } from '#root/app.js'
import type { Chat } from 'grammy/types'
import type { FakeTelegram, FakeTelegramOptions } from '../../fakes/telegram-server.js'
import type { ScratchDatabase } from '../../helpers/database.js'
import type { TestAppOptions } from '../../helpers/test-app.js'
import { createChatStore } from '#root/store/chat-store.js'
import { createTicketStore } from '#root/store/ticket-store.js'
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeTelegram } from '../../fakes/telegram-server.js'
import { createScratchDatabase } from '../../helpers/database.js'
import { startTestApp, TestResident, ticketNumberIn } from '../../helpers/test-app.js'

const STREETLIGHT = '小区门口的路灯坏了一个星期，晚上很黑，老人出门不方便'

let telegram: FakeTelegram | undefined
let database: ScratchDatabase | undefined
let app: App | undefined

afterEach(async () => {
  await app?.stop()
  app = undefined
  await telegram?.close()
  await database?.drop()
})

async function world(options: FakeTelegramOptions = {}) {
  telegram = await startFakeTelegram(options)
  database = await createScratchDatabase('sqlite')
  return telegram
}

async function start(options: Partial<TestAppOptions> = {}) {
  app = await startTestApp({ telegram: telegram!, databaseUrl: database!.url, ...options })
  // Every deployment has an admins' group, where tickets wait for triage.
  const admins = telegram!.createGroup({ title: '管理员群', quiet: true })
  await createChatStore(app.database).bind({ chatId: admins.id, kind: 'admins', title: '管理员群', areaName: null, departmentId: null, boundBy: 1 })
  return app
}

function resident(name: string, chat: Chat) {
  return new TestResident(telegram!, telegram!.createUser({ first_name: name, language_code: 'zh' }), chat)
}

const tickets = () => createTicketStore(app!.database, { timezone: 'Asia/Shanghai' })

describe('a report under Telegram\'s rules', () => {
  it('goes on when every button press is too old for Telegram to answer', async () => {
    const fake = await world({ callbackQueryTtlMs: 0 })
    await start()
    const group = fake.createGroup({ title: '居民群', quiet: true })
    const wang = resident('王阿姨', group)
    await wang.startReport()
    await wang.describe(STREETLIGHT)
    await wang.givePlace('星湖街 8 号')
    const number = await wang.confirm()
    expect((await tickets().findByNumber(number))?.description).toBe(STREETLIGHT)
    // Telegram refused each answer; none of them cost the resident a step.
    expect(fake.calls.filter(c => c.method === 'answerCallbackQuery' && c.response?.ok === false).length).toBeGreaterThan(0)
  })

  it('waits out a 429 inside the report instead of ending it', async () => {
    const fake = await world()
    await start()
    const group = fake.createGroup({ title: '居民群', quiet: true })
    const wang = resident('王阿姨', group)
    fake.failNext('sendMessage', { error_code: 429, retry_after: 1 })
    wang.command('/report')
    await wang.expectBot('描述', 10_000)
    await wang.describe(STREETLIGHT)
    const number = await wang.confirm()
    expect(await tickets().findByNumber(number)).not.toBeNull()
  })

  it('takes eight residents reporting at once in one group without a single 429', async () => {
    const fake = await world({ rateLimits: true })
    await start()
    const group = fake.createGroup({ title: '居民群', quiet: true })
    const residents = Array.from({ length: 8 }, (_, i) => resident(`居民${i + 1}`, group))
    for (const r of residents)
      r.command('/report')
    await Promise.all(residents.map(r => r.expectBot('描述', 20_000)))
    for (const [i, r] of residents.entries())
      r.send({ text: `${STREETLIGHT}，在${i + 1}号楼门口` })
    await Promise.all(residents.map(r => r.expectBot('请核对', 20_000)))
    for (const r of residents)
      r.press('确认提交')
    const numbers = await Promise.all(residents.map(async r => ticketNumberIn(await r.expectBot('已登记', 20_000))))
    expect(new Set(numbers).size).toBe(8)
    expect(fake.calls.filter(c => c.response?.ok === false && c.response.error_code === 429)).toEqual([])
  })

  it('tells a resident pressing a button in a group whose budget is spent how long the answer will take', async () => {
    const fake = await world({ rateLimits: true })
    await start()
    const group = fake.createGroup({ title: '居民群', quiet: true })
    const residents = Array.from({ length: 20 }, (_, i) => resident(`居民${i + 1}`, group))
    for (const [i, r] of residents.entries())
      r.command(`/report ${STREETLIGHT}，在${i + 1}号楼门口`)
    await Promise.all(residents.map(r => r.expectBot('请核对', 20_000)))
    // Twenty summaries spent the group's minute: the next question must wait, and the press says so at once.
    const pressed = residents[0]!.press('照片')
    await fake.waitFor(c => c.method === 'answerCallbackQuery' && c.params.callback_query_id === pressed, 5000)
    expect(fake.callbackAnswers.find(a => a.callbackQueryId === pressed)?.text).toMatch(/排队，大约 \d+ 秒后发出/)
    expect(fake.calls.filter(c => c.response?.ok === false && c.response.error_code === 429)).toEqual([])
  })

  it('paces a new resident\'s first messages in a private chat instead of losing the report to a 429', async () => {
    const fake = await world({ rateLimits: true })
    await start()
    const chen = fake.createUser({ first_name: '陈先生', language_code: 'zh' })
    const me = new TestResident(fake, chen, { id: chen.id, type: 'private', first_name: chen.first_name } as Chat)
    fake.startPrivateChat(chen)
    me.command('/help')
    me.command('/help')
    me.command('/report')
    await me.expectBot('请描述', 15_000)
    me.send({ text: STREETLIGHT })
    me.send({ text: '星湖街 8 号' })
    await me.expectBot('请核对', 15_000)
    expect(fake.calls.filter(c => c.response?.ok === false && c.response.error_code === 429)).toEqual([])
  })
})

describe('a confirmation, exactly once', () => {
  it('tells the resident the number after a restart when the bot stopped right after storing', async () => {
    const fake = await world()
    await start({ deliverOutbox: false })
    const group = fake.createGroup({ title: '居民群', quiet: true })
    const wang = resident('王阿姨', group)
    await wang.startReport()
    const summary = await wang.describe(STREETLIGHT)
    wang.press('确认提交')
    await waitUntil(async () => (await tickets().listByReporter(wang.user.id)).length === 1)
    await app!.stop()
    app = undefined

    const mark = fake.mark()
    await start()
    const registration = await fake.waitFor(c => c.method === 'editMessageText' && String(c.params.text).includes('已登记'), 10_000, mark)
    const registered = (registration.response as { result: typeof summary }).result
    expect(registered.message_id).toBe(summary.message_id)
    expect(ticketNumberIn(registered)).toBe((await tickets().listByReporter(wang.user.id))[0]!.number)
  })

  it('stores a report once however often confirm is pressed', async () => {
    const fake = await world()
    await start()
    const group = fake.createGroup({ title: '居民群', quiet: true })
    const wang = resident('王阿姨', group)
    await wang.startReport()
    const summary = await wang.describe(STREETLIGHT)
    wang.press('确认提交', summary)
    const second = wang.press('确认提交', summary)
    await wang.expectBot('已登记')
    await fake.waitFor(c => c.method === 'answerCallbackQuery' && c.params.callback_query_id === second, 5000)
    expect(fake.callbackAnswers.find(a => a.callbackQueryId === second)?.text).toContain('已失效')
    expect(await tickets().listByReporter(wang.user.id)).toHaveLength(1)
    expect(fake.calls.filter(c => c.method === 'editMessageText' && String(c.params.text).includes('已登记'))).toHaveLength(1)
  })
})

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error('condition not met in time')
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}
