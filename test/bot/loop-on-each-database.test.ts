import type { App } from '#root/app.js'
import type { FakeTelegram } from '../fakes/telegram-server.js'
import type { ScratchDatabase } from '../helpers/database.js'
import { createOfflineClassifier } from '#root/classify/offline-classifier.js'
import { createChatStore } from '#root/store/chat-store.js'
import { createTicketStore } from '#root/store/ticket-store.js'
import { afterEach, expect, it } from 'vitest'
import { startFakeTelegram } from '../fakes/telegram-server.js'
import { createScratchDatabase, describeEachProvider } from '../helpers/database.js'
import { startTestApp, TestResident } from '../helpers/test-app.js'

const STREETLIGHT = '小区门口的路灯坏了一个星期，晚上很黑，老人出门不方便'

let telegram: FakeTelegram | undefined
let database: ScratchDatabase | undefined
let app: App | undefined

afterEach(async () => {
  await app?.stop()
  await telegram?.close()
  await database?.drop()
  app = telegram = database = undefined
})

// The whole loop once per database: the conversation state, the ticket, the outbox and the card all live there.
describeEachProvider('the loop from report to answer', (provider) => {
  it('stores the report, posts the card, and tells the reporter when a handler accepts it', async () => {
    telegram = await startFakeTelegram()
    database = await createScratchDatabase(provider)
    app = await startTestApp({ telegram, databaseUrl: database.url, env: { CLASSIFY_MIN_CONFIDENCE: '0.01' } })
    const residents = telegram.createGroup({ title: '居民群', quiet: true })
    const handlers = telegram.createGroup({ title: '承办群', quiet: true })
    const handler = telegram.createUser({ first_name: '张科长' })
    telegram.setChatMember(handlers, handler, 'member')
    const { departmentId } = await createOfflineClassifier(app.catalog).classify({ text: STREETLIGHT })
    await createChatStore(app.database).bind({ chatId: handlers.id, kind: 'handlers', title: '承办群', areaName: null, departmentId, boundBy: 1 })

    const wang = new TestResident(telegram, telegram.createUser({ first_name: '王阿姨' }), residents)
    const number = await wang.reportProblem(STREETLIGHT)
    const card = await telegram.waitForMessage({ chatId: handlers.id, textIncludes: number, from: 0 })
    const accept = (card.reply_markup?.inline_keyboard ?? []).flat().find(b => b.text === '受理') as { callback_data: string }
    telegram.clickButton({ chat: handlers, from: handler, message: card, data: accept.callback_data })
    await wang.expectBot(`（${number}）已由`)
    const ticket = await createTicketStore(app.database, { timezone: 'Asia/Shanghai' }).findByNumber(number)
    expect(ticket).toMatchObject({ status: 'accepted', description: STREETLIGHT, departmentId })
  })
})
