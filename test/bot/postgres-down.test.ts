import type { App } from '#root/app.js'
import type { FakeTelegram } from '../fakes/telegram-server.js'
import { createTicketStore } from '#root/store/ticket-store.js'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { startFakeTelegram } from '../fakes/telegram-server.js'
import { startTestApp, TestResident, ticketNumberIn } from '../helpers/test-app.js'
import { useThrowawayPostgres } from '../helpers/throwaway-postgres.js'

const STREETLIGHT = '小区门口的路灯坏了一个星期，晚上很黑，老人出门不方便'

const throwaway = useThrowawayPostgres('the PostgreSQL-down test')
let telegram: FakeTelegram | undefined
let app: App | undefined

afterEach(async () => {
  await app?.stop()
  await telegram?.close()
})

describe('postgreSQL down while a resident confirms', () => {
  it('spools the report, says so truthfully, and sends the number once the server is back', async (ctx) => {
    const server = throwaway()
    if (!server)
      return ctx.skip()
    telegram = await startFakeTelegram()
    app = await startTestApp({ telegram, databaseUrl: server.url })
    const residents = telegram.createGroup({ title: '居民群', quiet: true })
    const wang = new TestResident(telegram, telegram.createUser({ first_name: '王阿姨' }), residents, 15_000)
    await wang.startReport()
    await wang.describe(STREETLIGHT)
    const summary = await wang.givePlace('星湖街 8 号')
    // The summary's step is saved once its update has been handled.
    await vi.waitFor(() => expect(telegram!.pendingUpdates()).toBe(0), { timeout: 15_000 })
    await app.idle()

    await server.stop()
    wang.press('确认提交')
    await wang.expectBot('已收到')
    await server.start()

    const number = ticketNumberIn(await wang.expectBot('已登记', 30_000))
    const ticket = await createTicketStore(app.database, { timezone: 'Asia/Shanghai' }).findByNumber(number)
    expect(ticket).toMatchObject({ description: STREETLIGHT })
    // The summary's button pressed again once the database is back (a client still showing it, a redelivered press):
    // the conversation ended, nothing is stored twice.
    const confirm = (summary.reply_markup?.inline_keyboard ?? []).flat().find(b => b.text.includes('确认提交')) as { callback_data: string }
    telegram.clickButton({ chat: residents, from: wang.user, message: summary, data: confirm.callback_data, unchecked: true })
    await vi.waitFor(() => expect(telegram!.pendingUpdates()).toBe(0), { timeout: 15_000 })
    await app.idle()
    expect(await app.database.prisma.ticket.count()).toBe(1)
    expect(telegram.sentMessages(residents).filter(m => m.text?.includes('出了点问题'))).toEqual([])
  }, 120_000)
})
