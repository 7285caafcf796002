import type { Receiver } from '#root/runtime/long-polling.js'
import type { UpdateInbox } from '#root/runtime/update-inbox.js'
import type { Update } from 'grammy/types'
import type { FakeTelegram } from '../fakes/telegram-server.js'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHealthCheck } from '#root/runtime/health.js'
import { startLongPolling } from '#root/runtime/long-polling.js'
import { createTelegramLink } from '#root/runtime/telegram-link.js'
import { createUpdateDispatcher } from '#root/runtime/update-dispatcher.js'
import { createFileUpdateInbox } from '#root/runtime/update-inbox.js'
import { Api } from 'grammy'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeTelegram } from '../fakes/telegram-server.js'
import { testLogger } from '../helpers/database.js'
import { until } from '../helpers/test-app.js'

let telegram: FakeTelegram
let receiver: Receiver | undefined

beforeEach(async () => {
  telegram = await startFakeTelegram()
})

afterEach(async () => {
  await receiver?.stop()
  receiver = undefined
  await telegram.close()
})

/** An inbox whose writes the test lets through one at a time. */
function heldInbox() {
  const appended: Update[][] = []
  const waiting: Array<() => void> = []
  const inbox: UpdateInbox = {
    open: async () => [],
    append: async (updates) => {
      await new Promise<void>(resolve => waiting.push(resolve))
      appended.push([...updates])
      return [...updates]
    },
    markDone: async () => {},
    lastUpdateId: undefined,
    lastReceivedAt: undefined,
    backlog: 0,
    close: async () => {},
  }
  return { inbox, appended, waiting }
}

describe('long polling', () => {
  it('confirms a batch to Telegram only after the inbox has it on disk', async () => {
    const { inbox, appended, waiting } = heldInbox()
    const delivered: number[] = []
    const api = new Api(telegram.token, { apiRoot: telegram.apiRoot })
    receiver = startLongPolling({ api, inbox, deliver: updates => delivered.push(...updates.map(u => u.update_id)), allowedUpdates: ['message'], link: createTelegramLink(testLogger, telegram.apiRoot), logger: testLogger, timeoutSeconds: 1 })
    const user = telegram.createUser({ first_name: '李大爷' })
    const { update } = telegram.startPrivateChat(user)
    await until('the inbox is asked to keep the batch', () => waiting.length === 1)
    // Not yet on disk: still unconfirmed, so Telegram would send it again to a restarted bot.
    const polls = () => telegram.calls.filter(c => c.method === 'getUpdates')
    const pollsBefore = polls().length
    expect(telegram.pendingUpdates()).toBe(1)
    expect(delivered).toEqual([])

    waiting.shift()!()
    await until('the next poll confirms the batch', () => telegram.pendingUpdates() === 0)
    expect(polls()[pollsBefore]!.params.offset).toBe(update!.update_id + 1)
    expect(appended).toEqual([[update]])
    expect(delivered).toEqual([update!.update_id])
  })
})

describe('long polling after a restart', () => {
  it('asks for everything Telegram still holds, whatever ids the inbox has seen, and the inbox drops repeats', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huiyin-inbox-'))
    const inbox = createFileUpdateInbox(join(dir, 'inbox.jsonl'))
    await inbox.open()
    // Seen before the restart: a high id (Telegram numbers the next update at random after a quiet week).
    await inbox.append([{ update_id: 900_000_000 } as Update])
    const delivered: number[] = []
    const api = new Api(telegram.token, { apiRoot: telegram.apiRoot })
    receiver = startLongPolling({ api, inbox, deliver: updates => delivered.push(...updates.map(u => u.update_id)), allowedUpdates: ['message'], link: createTelegramLink(testLogger, telegram.apiRoot), logger: testLogger, timeoutSeconds: 1 })
    const { update } = telegram.startPrivateChat(telegram.createUser({ first_name: '李大爷' }))
    await until('the lower-numbered update is delivered', () => delivered.length === 1)
    expect(telegram.calls.find(c => c.method === 'getUpdates')?.params.offset).toBeUndefined()
    expect(delivered).toEqual([update!.update_id])
    await receiver.stop()
    receiver = undefined
    await inbox.close()
  })
})

describe('the health check', () => {
  it('is unhealthy when the database does not answer in time, or fails', async () => {
    const dispatcher = createUpdateDispatcher({ handle: async () => {}, onFinished: async () => {}, concurrency: 1, logger: testLogger })
    const { inbox } = heldInbox()
    const link = createTelegramLink(testLogger, 'http://127.0.0.1:1')
    const check = (pingDatabase: () => Promise<unknown>) => createHealthCheck({ mode: 'polling', inbox, dispatcher, link, pingDatabase, databaseTimeoutMs: 50 })()
    expect(await check(async () => 1)).toMatchObject({ status: 'ok', database: 'reachable', telegram: 'reachable' })
    expect(await check(() => new Promise(() => {}))).toMatchObject({ status: 'unhealthy', database: 'unreachable' })
    expect(await check(async () => { throw new Error('SQLITE_BUSY') })).toMatchObject({ status: 'unhealthy', database: 'unreachable' })
    link.failed(new Error('ECONNREFUSED'))
    expect(await check(async () => 1)).toMatchObject({ status: 'unhealthy', telegram: 'unreachable' })
  })
})
