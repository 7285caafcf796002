import type { App } from '#root/app.js'
import type { Chat } from 'grammy/types'
import type { AddressInfo } from 'node:net'
import type { FakeOpenAi } from '../fakes/openai-server.js'
import type { ScratchDatabase } from '../helpers/database.js'
import { createServer } from 'node:net'
import { FatalReceiveError } from '#root/runtime/telegram-link.js'
import { pino } from 'pino'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeOpenAi } from '../fakes/openai-server.js'
import { FakeTelegram, startFakeTelegram } from '../fakes/telegram-server.js'
import { createScratchDatabase } from '../helpers/database.js'
import { startTestApp, TestResident, until } from '../helpers/test-app.js'

const DESCRIPTIONS = [
  '小区门口的路灯坏了一个星期，晚上很黑，老人出门不方便',
  '楼下工地每天晚上十一点以后还在施工，噪音很大，影响休息',
  '路边的下水道井盖丢了，很危险，小孩容易掉下去',
  '垃圾桶三天没人清理，臭味很大，苍蝇很多',
  '小区里的健身器材坏了，螺丝松了，老人用着很危险',
  '菜市场门口经常有人乱停车，堵住了消防通道',
  '楼道里的声控灯不亮了，晚上上下楼很不安全',
  '自来水最近有一股怪味，颜色也发黄，不敢喝',
  '公交站的站牌被撞歪了，一直没有人来修',
  '公园里的路面坑坑洼洼，下雨以后全是积水',
]

let telegram: FakeTelegram
let database: ScratchDatabase
let openai: FakeOpenAi | undefined
let app: App | undefined

beforeEach(async () => {
  telegram = await startFakeTelegram()
  database = await createScratchDatabase('sqlite')
})

afterEach(async () => {
  await app?.stop()
  app = undefined
  await openai?.close()
  openai = undefined
  await telegram.close()
  await database.drop()
})

/** A logger whose lines the test reads. */
function capturingLogger() {
  const lines: Array<{ level: number, msg: string, [key: string]: unknown }> = []
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) })
  return { logger, lines }
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  await new Promise(resolve => server.close(resolve))
  return port
}

describe('handling updates concurrently', () => {
  it('answers ten residents in ten groups who report at once, with an LLM taking 2 s each', async () => {
    openai = await startFakeOpenAi({ slowMs: 2000 })
    app = await startTestApp({ telegram, databaseUrl: database.url, openai, env: { OPENAI_TIMEOUT_MS: '10000' } })
    const residents = DESCRIPTIONS.map((_, i) => {
      const group: Chat = telegram.createGroup({ title: `第${i + 1}社区居民群`, quiet: true })
      return new TestResident(telegram, telegram.createUser({ first_name: `居民${i + 1}` }), group, 30_000)
    })
    await Promise.all(residents.map(resident => resident.startReport()))

    // Classification follows each description; each takes the LLM 2 s, and nobody waits for the others'.
    openai.setMode('slow')
    const mark = telegram.mark()
    residents.forEach((resident, i) => resident.send({ text: DESCRIPTIONS[i]! }))
    await Promise.all(residents.map(resident => resident.expectBot('请核对', 60_000)))
    const pressIds = residents.map(resident => resident.press('确认提交'))
    await Promise.all(residents.map(resident => resident.expectBot('已登记', 60_000)))

    const answers = telegram.calls.filter(c => c.index >= mark && c.method === 'answerCallbackQuery' && pressIds.includes(c.params.callback_query_id as string))
    expect(answers.map(c => c.response?.ok)).toEqual(pressIds.map(() => true))
    expect(openai.requests.length).toBeGreaterThanOrEqual(10)
    // Nobody was told something went wrong.
    expect(telegram.calls.filter(c => c.index >= mark && /出了点问题/.test(String(c.params.text ?? '')))).toEqual([])
  }, 120_000)
})

describe('long polling', () => {
  it('says once that Telegram cannot be reached, naming the API root, and starts when it answers', async () => {
    const port = await freePort()
    await telegram.close()
    const { logger, lines } = capturingLogger()
    const apiRoot = `http://127.0.0.1:${port}`
    // Telegram is down at start: nothing listens where the bot looks for it.
    const later = new FakeTelegram()
    const starting = startTestApp({ telegram: later, env: { TELEGRAM_API_ROOT: apiRoot }, databaseUrl: database.url, logger, askGetMe: true })
    await until('the log says Telegram cannot be reached', () => lines.some(l => l.msg.includes('cannot reach Telegram')))
    const warning = lines.find(l => l.msg.includes('cannot reach Telegram'))!
    expect(warning.msg).toContain(apiRoot)
    expect(warning.level).toBe(40)

    telegram = later
    await later.listen(port)
    app = await starting
    const user = telegram.createUser({ first_name: '李大爷' })
    telegram.startPrivateChat(user)
    await telegram.waitForMessage({ chatId: user.id, textIncludes: '回音' }, 10_000)
    expect(lines.filter(l => l.msg.includes('cannot reach Telegram'))).toHaveLength(1)
    expect(lines.some(l => l.msg === 'Telegram answers again')).toBe(true)
  }, 60_000)

  it('rides out a network outage with one log line and loses nothing', async () => {
    const { logger, lines } = capturingLogger()
    app = await startTestApp({ telegram, databaseUrl: database.url, logger })
    const user = telegram.createUser({ first_name: '李大爷' })
    telegram.startPrivateChat(user)
    await telegram.waitForMessage({ chatId: user.id, textIncludes: '回音' })

    telegram.failNetworkNext('getUpdates', { times: 2 })
    telegram.failNext('getUpdates', { error_code: 502 })
    // End the poll in progress, so that the next ones meet the outage.
    telegram.sendMessage({ chat: user.id, from: user, text: '/help' })
    await telegram.waitForMessage({ chatId: user.id, textIncludes: '/report' }, 10_000)
    telegram.sendMessage({ chat: user.id, from: user, text: '/mine' })
    await until('the outage has passed', () => lines.some(l => l.msg === 'Telegram answers again'), 30_000)
    await telegram.waitForMessage({ chatId: user.id }, 10_000)
    expect(lines.filter(l => l.msg.includes('cannot reach Telegram'))).toHaveLength(1)
  }, 60_000)

  it.each([
    [401, 'Unauthorized', /token/],
    [409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running', /another instance/],
  ])('stops receiving for good on %i', async (code, description, reason) => {
    app = await startTestApp({ telegram, databaseUrl: database.url })
    telegram.failNext('getUpdates', { error_code: code, description })
    const user = telegram.createUser({ first_name: '李大爷' })
    telegram.startPrivateChat(user)
    const error = await app.receiving.then(() => undefined, (e: unknown) => e)
    expect(error).toBeInstanceOf(FatalReceiveError)
    expect((error as Error).message).toMatch(reason)
  })
})

describe('webhook mode', () => {
  it('takes updates only with the secret, answers /healthz, and handles what Telegram posts', async () => {
    const port = await freePort()
    const url = `http://127.0.0.1:${port}/telegram/hook`
    app = await startTestApp({ telegram, databaseUrl: database.url, env: { WEBHOOK_URL: url, WEBHOOK_SECRET: 'right-secret_1', HTTP_PORT: String(port) } })
    expect(app.httpPort).toBe(port)
    expect(telegram.webhook).toEqual({ url, secret: 'right-secret_1', allowedUpdates: ['message', 'edited_message', 'callback_query', 'my_chat_member'] })

    const update = { update_id: 1, message: { message_id: 1, date: 0, chat: { id: 5, type: 'private', first_name: 'x' }, from: { id: 5, is_bot: false, first_name: 'x' }, text: '/help' } }
    const post = (headers: Record<string, string>) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(update) })
    expect((await post({})).status).toBe(401)
    expect((await post({ 'x-telegram-bot-api-secret-token': 'wrong' })).status).toBe(401)
    expect((await fetch(url)).status).toBe(405)

    const user = telegram.createUser({ first_name: '李大爷' })
    telegram.startPrivateChat(user)
    await telegram.waitForMessage({ chatId: user.id, textIncludes: '回音' }, 10_000)
    expect(telegram.webhookDeliveries.map(d => d.status)).toEqual([200])

    const health = await fetch(`http://127.0.0.1:${port}/healthz`)
    expect(health.status).toBe(200)
    const body = await health.json() as Record<string, unknown>
    expect(body).toMatchObject({ status: 'ok', mode: 'webhook', database: 'reachable', telegram: 'reachable' })
    expect(body.inboxBacklog).toBeTypeOf('number')
    expect(Date.parse(body.lastUpdateAt as string)).not.toBeNaN()
  })

  it('answers /healthz with long polling when a port is given', async () => {
    const port = await freePort()
    app = await startTestApp({ telegram, databaseUrl: database.url, env: { HTTP_PORT: String(port) } })
    const health = await fetch(`http://127.0.0.1:${port}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ status: 'ok', mode: 'polling', lastUpdateAt: null })
    expect((await fetch(`http://127.0.0.1:${port}/telegram/hook`, { method: 'POST' })).status).toBe(404)
  })
})
