import type { OutboxDraft, OutboxPayload } from '#root/domain/outbox.js'
import type { Deliver, OutboxWorker, OutboxWorkerDependencies } from '#root/notify/outbox-worker.js'
import type { Database } from '#root/store/database.js'
import type { OutboxStore } from '#root/store/outbox-store.js'
import type { User } from 'grammy/types'
import type { ApiCall, FakeTelegram, FakeTelegramOptions } from '../fakes/telegram-server.js'
import type { ScratchDatabase } from '../helpers/database.js'
import { createOutboxWorker } from '#root/notify/outbox-worker.js'
import { createOutboxStore, enqueueDrafts } from '#root/store/outbox-store.js'
import { Api } from 'grammy'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { startFakeTelegram } from '../fakes/telegram-server.js'
import { createScratchDatabase, testLogger, truncateAll } from '../helpers/database.js'

/**
 * The worker against the fake Telegram over real HTTP and a real SQLite file: a plain grammY `Api` without the
 * auto-retry plugin, so every retry seen here is the worker's own. Each message's text carries its dedup key in
 * brackets, so that what Telegram received can be counted per key.
 */

let scratch: ScratchDatabase
let db: Database
let outbox: OutboxStore
let fake: FakeTelegram | undefined
const workers: OutboxWorker[] = []

beforeAll(async () => {
  scratch = await createScratchDatabase('sqlite')
  db = await scratch.open()
})
afterAll(async () => {
  await scratch.drop()
})
beforeEach(async () => {
  await truncateAll(db)
  outbox = createOutboxStore(db)
})
afterEach(async () => {
  for (const worker of workers.splice(0))
    await worker.stop()
  await fake?.close()
  fake = undefined
})

async function startTelegram(options: FakeTelegramOptions = {}): Promise<{ telegram: FakeTelegram, api: Api }> {
  fake = await startFakeTelegram(options)
  return { telegram: fake, api: new Api(fake.token, { apiRoot: fake.apiRoot }) }
}

/** The simplest real delivery: a text message, as a reply when the payload says so. */
function deliverWith(api: Api): Deliver {
  return async (message) => {
    if (message.payload.kind !== 'message')
      throw new Error('cards are not rendered in this test')
    const { text, replyToMessageId } = message.payload
    const sent = await api.sendMessage(message.chatId, text, replyToMessageId ? { reply_parameters: { message_id: replyToMessageId } } : {})
    return { messageId: sent.message_id }
  }
}

function worker(deps: Partial<OutboxWorkerDependencies> & Pick<OutboxWorkerDependencies, 'deliver'>): OutboxWorker {
  const created = createOutboxWorker({ outbox, logger: testLogger, ...deps })
  workers.push(created)
  return created
}

function message(key: string, chatId: number, extra: Partial<Extract<OutboxPayload, { kind: 'message' }>> = {}): OutboxDraft {
  return {
    dedupKey: key,
    ticketId: null,
    chatId,
    payload: { kind: 'message', text: `工单状态已更新 [${key}]`, ...extra },
  }
}

async function enqueue(drafts: readonly OutboxDraft[]): Promise<void> {
  await db.prisma.$transaction(tx => enqueueDrafts(tx, drafts, new Date()))
}

/** Residents who have opened the bot. */
function startedUsers(telegram: FakeTelegram, count: number): User[] {
  return Array.from({ length: count }, (_, i) => {
    const user = telegram.createUser({ first_name: `居民${i}` })
    telegram.startPrivateChat(user)
    return user
  })
}

/** How many messages the fake received per dedup key (read from the marker in the text). */
function receivedByKey(telegram: FakeTelegram): Map<string, number> {
  const counts = new Map<string, number>()
  for (const sent of telegram.sentMessages()) {
    const key = /\[([^\]]+)\]$/.exec(sent.text ?? '')?.[1]
    if (key)
      counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return counts
}

const sendCalls = (telegram: FakeTelegram): ApiCall[] => telegram.calls.filter(c => c.method === 'sendMessage' && c.done)

async function waitUntil(what: string, predicate: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await predicate())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting until ${what}; outbox: ${JSON.stringify(await outbox.counts())}${fake ? `\n${fake.dump()}` : ''}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

const rows = () => db.prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } })

describe('outbox worker against the fake Telegram', () => {
  it('delivers every message exactly once, within Telegram\'s limits', async () => {
    const { telegram, api } = await startTelegram({ rateLimits: true })
    const users = startedUsers(telegram, 45)
    const group = telegram.createGroup({ title: '金鸡湖社区居民群', quiet: true })
    const report = telegram.sendMessage({ chat: group, from: users[0]!, text: '路灯坏了' }).message
    const drafts = [
      ...users.map((u, i) => message(`t${i}:status`, u.id)),
      // Three for one resident: one a second into the same private chat.
      message('t0:reply:1', users[0]!.id),
      message('t0:reply:2', users[0]!.id),
      message('g:reply', group.id, { replyToMessageId: report.message_id }),
    ]
    await enqueue(drafts)

    const started = Date.now()
    worker({ deliver: deliverWith(api) }).start()
    await waitUntil('all are sent', async () => (await outbox.counts()).sent === drafts.length)

    const received = receivedByKey(telegram)
    expect(received.size).toBe(drafts.length)
    expect([...received.values()].every(n => n === 1)).toBe(true)
    // The worker kept the limits itself: Telegram never had to refuse anything.
    const calls = sendCalls(telegram)
    expect(calls.filter(c => c.response?.ok !== true)).toEqual([])
    expect(calls).toHaveLength(drafts.length)
    // 48 messages at 30/s take more than a second.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
    const toFirst = calls.filter(c => c.params.chat_id === users[0]!.id).map(c => c.time)
    expect(toFirst).toHaveLength(3)
    expect(toFirst[1]! - toFirst[0]!).toBeGreaterThanOrEqual(990)
    expect(toFirst[2]! - toFirst[1]!).toBeGreaterThanOrEqual(990)

    const groupReply = telegram.sentMessages(group).at(-1)
    expect(groupReply?.reply_to_message?.message_id).toBe(report.message_id)
    const stored = await rows()
    expect(stored.every(r => r.status === 'sent' && r.attempts === 1 && r.sentMessageId !== null)).toBe(true)
    // The stored message id leads back from Telegram's message to the outbox.
    expect(await outbox.findSent(group.id, groupReply!.message_id)).toMatchObject({ dedupKey: 'g:reply' })
  })

  it('waits out a 429 for its retry_after and then delivers the message once', async () => {
    const { telegram, api } = await startTelegram()
    const [first, second] = startedUsers(telegram, 2)
    telegram.failNext('sendMessage', { error_code: 429, retry_after: 1 })
    await enqueue([message('a', first!.id), message('b', second!.id)])

    worker({ deliver: deliverWith(api) }).start()
    await waitUntil('both are sent', async () => (await outbox.counts()).sent === 2)

    const calls = sendCalls(telegram)
    expect(calls.map(c => (c.response?.ok ? 'ok' : c.response?.error_code))).toEqual([429, 'ok', 'ok'])
    // Nothing at all went out before retry_after had passed, not even to the other chat.
    expect(calls[1]!.time - calls[0]!.time).toBeGreaterThanOrEqual(1000)
    expect(calls[2]!.time - calls[0]!.time).toBeGreaterThanOrEqual(1000)
    expect(receivedByKey(telegram)).toEqual(new Map([['a', 1], ['b', 1]]))
    // The wait was Telegram's, not a failure: one attempt, the one that got through.
    expect((await rows()).map(r => [r.dedupKey, r.attempts])).toEqual([['a', 1], ['b', 1]])
  })

  it('retries after a 500 and delivers once, counting the failed attempt', async () => {
    const { telegram, api } = await startTelegram()
    const [user] = startedUsers(telegram, 1)
    telegram.failNext('sendMessage', { error_code: 500 })
    await enqueue([message('five-hundred', user!.id)])

    worker({ deliver: deliverWith(api) }).start()
    await waitUntil('it is sent', async () => (await outbox.counts()).sent === 1)

    const calls = sendCalls(telegram)
    expect(calls.map(c => c.response?.ok ? 'ok' : c.response?.error_code)).toEqual([500, 'ok'])
    // Backed off (1 s ± 25%) rather than hammering a server in trouble.
    expect(calls[1]!.time - calls[0]!.time).toBeGreaterThanOrEqual(700)
    expect(receivedByKey(telegram)).toEqual(new Map([['five-hundred', 1]]))
    const [row] = await rows()
    expect(row).toMatchObject({ status: 'sent', attempts: 2, lastError: expect.stringContaining('Internal Server Error') })
  })

  it('retries after a network failure before the request reached Telegram, and delivers once', async () => {
    const { telegram, api } = await startTelegram()
    const [user] = startedUsers(telegram, 1)
    telegram.failNetworkNext('sendMessage', { when: 'before' })
    await enqueue([message('network', user!.id)])

    worker({ deliver: deliverWith(api) }).start()
    await waitUntil('it is sent', async () => (await outbox.counts()).sent === 1)

    expect(sendCalls(telegram).map(c => c.injected ?? 'ok')).toEqual(['network-before', 'ok'])
    expect(receivedByKey(telegram)).toEqual(new Map([['network', 1]]))
    const [row] = await rows()
    expect(row).toMatchObject({ status: 'sent', attempts: 2 })
    expect(row!.lastError).not.toBeNull()
  })

  it('marks a message to a user who blocked the bot failed as \'blocked\', reports it, and never retries it', async () => {
    const { telegram, api } = await startTelegram()
    const [blocker, other] = startedUsers(telegram, 2)
    telegram.blockBot(blocker!)
    await enqueue([message('to-blocker', blocker!.id), message('to-other', other!.id)])
    const onUndeliverable = vi.fn(async () => {})

    const w = worker({ deliver: deliverWith(api), onUndeliverable })
    expect(await w.drain()).toBe(2)
    expect(await w.drain()).toBe(0)

    expect(onUndeliverable).toHaveBeenCalledTimes(1)
    expect(onUndeliverable).toHaveBeenCalledWith(expect.objectContaining({ dedupKey: 'to-blocker' }), 'blocked')
    expect(sendCalls(telegram).filter(c => c.params.chat_id === blocker!.id)).toHaveLength(1)
    expect(receivedByKey(telegram)).toEqual(new Map([['to-other', 1]]))
    expect((await rows()).map(r => [r.dedupKey, r.status, r.failReason, r.attempts])).toEqual([
      ['to-blocker', 'failed', 'blocked', 1],
      ['to-other', 'sent', null, 1],
    ])
    // A running worker does not pick it up again either.
    w.start()
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(sendCalls(telegram).filter(c => c.params.chat_id === blocker!.id)).toHaveLength(1)
  })

  it('answers in the group, as a reply to the report, when the reporter never opened the bot', async () => {
    const { telegram, api } = await startTelegram()
    const reporter = telegram.createUser({ first_name: '王阿姨' })
    const group = telegram.createGroup({ title: '星湖街居民群', quiet: true })
    const report = telegram.sendMessage({ chat: group, from: reporter, text: '小区门口的路灯坏了' }).message
    await enqueue([message('fallback', reporter.id, { fallback: { chatId: group.id, replyToMessageId: report.message_id } })])
    const onUndeliverable = vi.fn(async () => {})

    await worker({ deliver: deliverWith(api), onUndeliverable }).drain()

    const calls = sendCalls(telegram)
    expect(calls.map(c => [c.params.chat_id, c.response?.ok ? 'ok' : c.response?.description])).toEqual([
      [reporter.id, 'Forbidden: bot can\'t initiate conversation with a user'],
      [group.id, 'ok'],
    ])
    const reply = telegram.sentMessages(group).at(-1)
    expect(reply?.text).toBe('工单状态已更新 [fallback]')
    expect(reply?.reply_to_message?.message_id).toBe(report.message_id)
    expect(telegram.sentMessages(reporter)).toEqual([])
    expect(onUndeliverable).not.toHaveBeenCalled()
    const [row] = await rows()
    expect(row).toMatchObject({ status: 'sent', chatId: BigInt(group.id), sentMessageId: reply!.message_id, attempts: 1 })
    expect(JSON.parse(row!.payload)).toEqual({ kind: 'message', text: '工单状态已更新 [fallback]', replyToMessageId: report.message_id })
  })

  it('marks the message failed when the reporter never opened the bot and there is nowhere else to answer', async () => {
    const { telegram, api } = await startTelegram()
    const stranger = telegram.createUser({ first_name: '李先生' })
    await enqueue([message('no-fallback', stranger.id)])
    const onUndeliverable = vi.fn(async () => {})

    await worker({ deliver: deliverWith(api), onUndeliverable }).drain()

    expect(onUndeliverable).toHaveBeenCalledWith(expect.objectContaining({ dedupKey: 'no-fallback' }), 'private_chat_not_started')
    expect((await rows())[0]).toMatchObject({ status: 'failed', failReason: 'private_chat_not_started' })
  })

  it('after a sender crashes holding claims, another delivers them once when the lease has run out', async () => {
    const { telegram, api } = await startTelegram()
    const users = startedUsers(telegram, 5)
    await enqueue(users.map((u, i) => message(`crash-${i}`, u.id)))

    // The first sender freezes inside its first delivery, before the request, and never settles anything:
    // as far as the database can tell, a process that died holding a batch.
    let frozenAt = 0
    const crashed = createOutboxWorker({
      outbox,
      logger: testLogger,
      leaseMs: 800,
      deliver: () => {
        frozenAt = Date.now()
        return new Promise<never>(() => {})
      },
    })
    crashed.start()
    await waitUntil('the first sender holds the batch', async () => frozenAt > 0 && (await outbox.counts()).sending === 5)

    // The claims run out at their lockedUntil, whenever the frozen sender got to its first delivery.
    const leaseEnds = Math.min(...(await rows()).map(r => r.lockedUntil!.getTime()))
    const successor = worker({ deliver: deliverWith(api) })
    successor.start()

    await waitUntil('the successor has sent them', async () => (await outbox.counts()).sent === 5)
    const calls = sendCalls(telegram)
    expect(calls[0]!.time).toBeGreaterThanOrEqual(leaseEnds)
    expect(receivedByKey(telegram)).toEqual(new Map(users.map((_, i) => [`crash-${i}`, 1])))
    expect(calls).toHaveLength(5)
    // (The frozen worker is left as it is: stopping it would wait for the delivery that never ends.)
  })

  it('does not start a send its claim might not outlast: the rest of the batch is claimed afresh', async () => {
    const { telegram, api } = await startTelegram()
    const users = startedUsers(telegram, 6)
    await enqueue(users.map((u, i) => message(`lease-${i}`, u.id)))
    let claims = 0
    const counting = { ...outbox, claim: (options: Parameters<typeof outbox.claim>[0]) => {
      claims++
      return outbox.claim(options)
    } }
    const send = deliverWith(api)
    const slow = worker({ outbox: counting, leaseMs: 1000, sendTimeoutMs: 500, deliver: async (m) => {
      await new Promise(resolve => setTimeout(resolve, 300))
      return send(m)
    } })
    await slow.drain()
    expect(receivedByKey(telegram)).toEqual(new Map(users.map((_, i) => [`lease-${i}`, 1])))
    // 300 ms a send and 500 ms needed of a 1,000 ms claim: two sends a claim, so three claims for six messages.
    expect(claims).toBeGreaterThanOrEqual(3)
  })

  it('stop() finishes the message in hand and hands the rest of its batch back at once', async () => {
    const { telegram, api } = await startTelegram()
    const users = startedUsers(telegram, 10)
    await enqueue(users.map((u, i) => message(`stop-${i}`, u.id)))
    telegram.setDelay('sendMessage', 150)

    const first = createOutboxWorker({ outbox, logger: testLogger, deliver: deliverWith(api) })
    first.start()
    // Calls are recorded on arrival: this one is in flight for 150 ms.
    await waitUntil('a send is under way', () => telegram.calls.some(c => c.method === 'sendMessage'))
    await first.stop()

    const afterStop = await rows()
    const sent = afterStop.filter(r => r.status === 'sent')
    expect(sent.length).toBeGreaterThanOrEqual(1)
    expect(afterStop.filter(r => r.status === 'sending')).toEqual([])
    expect(afterStop.every(r => r.claimToken === null && r.lockedUntil === null)).toBe(true)
    // Handed back due now, not after the 60 s lease.
    const handedBack = afterStop.filter(r => r.status === 'pending')
    expect(handedBack.length).toBe(10 - sent.length)
    expect(handedBack.every(r => r.nextAttemptAt.getTime() <= Date.now() && r.attempts === 0)).toBe(true)
    const callsAtStop = sendCalls(telegram).length
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(sendCalls(telegram)).toHaveLength(callsAtStop)

    telegram.setDelay('sendMessage', 0)
    await worker({ deliver: deliverWith(api) }).drain()
    expect(receivedByKey(telegram)).toEqual(new Map(users.map((_, i) => [`stop-${i}`, 1])))
  })
})
