import type { App } from '#root/app.js'
import type { OutboxWorker } from '#root/notify/outbox-worker.js'
import type { Chat, Message } from 'grammy/types'
import type { FakeTelegram } from '../fakes/telegram-server.js'
import type { ScratchDatabase } from '../helpers/database.js'
import { createDeliver } from '#root/bot/delivery.js'
import { createI18n } from '#root/bot/i18n.js'
import { createOfflineClassifier } from '#root/classify/offline-classifier.js'
import { createOutboxWorker } from '#root/notify/outbox-worker.js'
import { SendRateLimiter } from '#root/notify/send-rate-limiter.js'
import { createChatStore } from '#root/store/chat-store.js'
import { createOutboxStore } from '#root/store/outbox-store.js'
import { createTicketStore } from '#root/store/ticket-store.js'
import { Api } from 'grammy'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { startFakeTelegram } from '../fakes/telegram-server.js'
import { createScratchDatabase, testLogger } from '../helpers/database.js'
import { startTestApp, TestResident } from '../helpers/test-app.js'

const STREETLIGHT = '小区门口的路灯坏了一个星期，晚上很黑，老人出门不方便'

let telegram: FakeTelegram
let database: ScratchDatabase
let app: App
let handlers: Chat
let limiter: SendRateLimiter
let worker: OutboxWorker

/**
 * The real app stores a report with two photos and queues its card, but does not deliver it (as if it died first);
 * the test then delivers the outbox with the app's own delivery and a limiter it can inspect.
 */
beforeEach(async () => {
  telegram = await startFakeTelegram()
  database = await createScratchDatabase('sqlite')
  app = await startTestApp({ telegram, databaseUrl: database.url, deliverOutbox: false, env: { CLASSIFY_MIN_CONFIDENCE: '0.01' } })
  handlers = telegram.createGroup({ title: '承办群', quiet: true })
  const { departmentId } = await createOfflineClassifier(app.catalog).classify({ text: STREETLIGHT })
  const chats = createChatStore(app.database)
  await chats.bind({ chatId: handlers.id, kind: 'handlers', title: '承办群', areaName: null, departmentId, boundBy: 1 })
  const residents = telegram.createGroup({ title: '居民群', quiet: true })
  const wang = new TestResident(telegram, telegram.createUser({ first_name: '王阿姨' }), residents)
  await wang.startReport()
  await wang.describe(STREETLIGHT)
  await wang.givePlace('星湖街 8 号')
  await wang.givePhotos(2)
  // The registration would come through the outbox, which this app does not deliver: the stored ticket is the sign.
  wang.press('确认提交')
  await vi.waitFor(async () => expect(await app.database.prisma.ticket.count()).toBe(1), { timeout: 10_000 })

  const i18n = createI18n()
  const outbox = createOutboxStore(app.database)
  limiter = new SendRateLimiter()
  worker = createOutboxWorker({
    outbox,
    logger: testLogger,
    limiter,
    deliver: createDeliver({
      api: new Api(telegram.token, { apiRoot: telegram.apiRoot }),
      tickets: createTicketStore(app.database, { timezone: 'Asia/Shanghai' }),
      chats,
      outbox,
      catalog: () => app.catalog,
      translate: (locale, key, variables) => i18n.t(locale, key, variables),
      timezone: 'Asia/Shanghai',
    }),
  })
})

afterEach(async () => {
  await app.stop()
  await telegram.close()
  await database.drop()
})

const albums = () => telegram.calls.filter(c => c.method === 'sendMediaGroup' && c.response?.ok)
/** The first message of the one album sent. */
const albumStart = () => (albums()[0]!.response as { result: Message[] }).result[0]!.message_id
const cards = (): Message[] => telegram.sentMessages(handlers).filter(m => m.text?.includes('原文'))
/** How many more messages the handlers' group may take now. */
function budgetLeft(): number {
  let left = 0
  while (left < 20 && limiter.delayFor(handlers.id, Date.now(), left + 1) === 0)
    left++
  return left
}

describe('a card with photos', () => {
  it('goes out as an album and its card, counted as three messages against the group\'s 20 a minute', async () => {
    await worker.drain()
    expect(albums()).toHaveLength(1)
    expect(cards()).toHaveLength(1)
    expect(cards()[0]!.reply_to_message?.message_id).toBe(albumStart())
    expect(budgetLeft()).toBe(20 - 3)
  })

  it('whose text failed after the album went out: the retry sends only the card, replying to that album', async () => {
    telegram.failNext('sendMessage', { error_code: 500 })
    await worker.drain()
    expect(albums()).toHaveLength(1)
    expect(cards()).toHaveLength(0)

    await vi.waitFor(async () => {
      await worker.drain()
      expect(cards()).toHaveLength(1)
    }, { timeout: 15_000, interval: 200 })
    expect(albums()).toHaveLength(1)
    expect(cards()[0]!.reply_to_message?.message_id).toBe(albumStart())
    // Two photos and the card, plus the refused first try of the card (counted: it may have reached Telegram).
    expect(budgetLeft()).toBe(20 - 4)
  })
})
