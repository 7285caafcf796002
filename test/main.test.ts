import type { Message } from 'grammy/types'
import type { ChildProcess } from 'node:child_process'
import type { FakeTelegram } from './fakes/telegram-server.js'
import type { ScratchDatabase } from './helpers/database.js'
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadCatalogFile } from '#root/catalog/catalog-file.js'
import { createOfflineClassifier } from '#root/classify/offline-classifier.js'
import { createChatStore } from '#root/store/chat-store.js'
import { openDatabase } from '#root/store/database.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeTelegram } from './fakes/telegram-server.js'
import { createScratchDatabase, testLogger } from './helpers/database.js'
import { temporaryInboxFile, TestResident, until } from './helpers/test-app.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const STREETLIGHT = '小区门口的路灯坏了一个星期，晚上很黑，老人出门不方便'

let telegram: FakeTelegram
let database: ScratchDatabase
let child: ChildProcess | undefined
/** Shared by the restarts within a test, as a deployment's data folder is. */
let inboxFile: string

beforeEach(async () => {
  telegram = await startFakeTelegram()
  database = await createScratchDatabase('sqlite')
  inboxFile = temporaryInboxFile()
})

afterEach(async () => {
  child?.kill('SIGKILL')
  child = undefined
  await telegram.close()
  await database.drop()
})

/** Runs the bot exactly as `npm start` does, in its own process, so that it can be killed outright. */
async function startBot(env: Record<string, string> = {}): Promise<ChildProcess> {
  const mark = telegram.mark()
  const bot = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      DATABASE_URL: database.url,
      SPOOL_FILE: join(mkdtempSync(join(tmpdir(), 'huiyin-spool-')), 'spool.jsonl'),
      INBOX_FILE: inboxFile,
      CLASSIFY_MIN_CONFIDENCE: '0.01',
      LOG_LEVEL: 'silent',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  bot.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  // The bot deletes any webhook right before it starts long polling.
  await telegram.waitFor(c => c.method === 'deleteWebhook', 45_000, mark).catch((error: Error) => {
    throw new Error(`the bot did not start: ${stderr}\n${error.message}`)
  })
  return bot
}

function stopped(bot: ChildProcess): Promise<void> {
  return new Promise(resolve => (bot.exitCode !== null || bot.signalCode !== null ? resolve() : bot.once('exit', () => resolve())))
}

describe('the bot as `npm start` runs it', () => {
  it('stops with one readable message naming every configuration problem', async () => {
    const bot = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, BOT_TOKEN: 'nonsense', DATABASE_URL: 'mysql://db', ADMIN_IDS: 'me' },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    bot.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    const code = await new Promise<number | null>(resolve => bot.once('exit', resolve))
    expect(code).toBe(1)
    expect(stderr).toMatch(/^Invalid configuration:/)
    for (const name of ['BOT_TOKEN', 'DATABASE_URL', 'ADMIN_IDS'])
      expect(stderr).toContain(name)
    expect(stderr).not.toMatch(/\n\s+at /) // no stack trace
  })

  it('tells the reporter once when it was killed between the status change and the send', async () => {
    const residents = telegram.createGroup({ title: '居民群', quiet: true })
    const handlers = telegram.createGroup({ title: '承办群', quiet: true })
    const handler = telegram.createUser({ first_name: '张科长' })
    telegram.setChatMember(handlers, handler, 'member')
    const catalog = await loadCatalogFile(join(ROOT, 'prisma/catalog.json'))
    const { departmentId } = await createOfflineClassifier(catalog).classify({ text: STREETLIGHT, locationText: '星湖街' })

    child = await startBot()
    const db = await openDatabase(database.url, { logger: testLogger })
    await createChatStore(db).bind({ chatId: handlers.id, kind: 'handlers', title: '承办群', areaName: null, departmentId, boundBy: 1 })
    await db.close()

    const wang = new TestResident(telegram, telegram.createUser({ first_name: '王阿姨' }), residents, 20_000)
    const number = await wang.reportProblem(STREETLIGHT, '星湖街')
    const card = await telegram.waitForMessage({ chatId: handlers.id, textIncludes: number, from: 0 }, 20_000)

    // The reporter's message fails on the way out; the bot is killed before it retries.
    telegram.failNetworkNext('sendMessage', { when: 'before' })
    const button = (card.reply_markup?.inline_keyboard ?? []).flat().find(b => b.text === '受理')!
    telegram.clickButton({ chat: handlers, from: handler, message: card, data: (button as { callback_data: string }).callback_data })
    await telegram.waitFor(c => c.method === 'sendMessage' && c.injected === 'network-before', 20_000)
    child.kill('SIGKILL')
    await stopped(child)
    const told = (m: Message) => m.chat.id === residents.id && (m.text ?? '').includes(`（${number}）已由`)
    expect(telegram.sentMessages(residents).filter(told)).toHaveLength(0)

    // Restarted, the bot takes the message over once the dead process's claim on it has expired.
    child = await startBot()
    await telegram.waitForMessage({ chatId: residents.id, textIncludes: `（${number}）已由` }, 45_000)
    // A further restart sends nothing again: the ledger says it was delivered.
    child.kill('SIGTERM')
    await stopped(child)
    child = await startBot()
    await new Promise(resolve => setTimeout(resolve, 1500))
    expect(telegram.sentMessages(residents).filter(told)).toHaveLength(1)
  }, 180_000)

  it('exits with an error, for a supervisor to restart it, when Telegram refuses the token', async () => {
    child = await startBot()
    telegram.failNext('getUpdates', { error_code: 401, description: 'Unauthorized' })
    // Ends the poll in progress, so that the next one meets the refusal.
    telegram.startPrivateChat(telegram.createUser({ first_name: '李大爷' }))
    const bot = child
    const code = await new Promise<number | null>(resolve => (bot.exitCode !== null ? resolve(bot.exitCode) : bot.once('exit', resolve)))
    expect(code).toBe(1)
  }, 60_000)

  it('handles, once, after a restart an update it had received but not finished when it was killed', async () => {
    child = await startBot()
    const user = telegram.createUser({ first_name: '李大爷' })
    // Telegram holds the bot's answer: the update is received and being handled when the bot is killed.
    telegram.setDelay('sendMessage', 120_000)
    const mark = telegram.mark()
    telegram.startPrivateChat(user)
    await until('the answer is on its way', () => telegram.calls.some(c => c.index >= mark && c.method === 'sendMessage' && !c.done), 20_000)
    // Fetching ahead, the bot has already confirmed the update: Telegram will not send it again.
    await until('the update is confirmed to Telegram', () => telegram.pendingUpdates() === 0, 20_000)
    child.kill('SIGKILL')
    await stopped(child)
    telegram.setDelay('sendMessage', 0)
    expect(telegram.sentMessages(user.id)).toHaveLength(0)

    child = await startBot()
    await telegram.waitForMessage({ chatId: user.id, textIncludes: '/report', from: mark }, 45_000)
    // The resident's next message is handled after the kept one: nothing more of it can still come.
    telegram.sendMessage({ chat: user.id, from: user, text: '/mine' })
    await telegram.waitForMessage({ chatId: user.id }, 20_000)
    expect(telegram.sentMessages(user.id).filter(m => (m.text ?? '').includes('/help — '))).toHaveLength(1)
  }, 120_000)
})
