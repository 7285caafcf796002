import type { OutboxDraft } from '#root/domain/outbox.js'
import type { Database } from '#root/store/database.js'
import type { ClaimedMessage } from '#root/store/outbox-store.js'
import { createOutboxStore, enqueueDrafts } from '#root/store/outbox-store.js'
import { expect, it } from 'vitest'
import { createScratchDatabase, describeEachDatabase } from '../helpers/database.js'

const T0 = new Date('2026-11-26T02:00:00.000Z')
const at = (ms: number) => new Date(T0.getTime() + ms)

function draft(key: string, chatId = 5_000_000_001, text = `message ${key}`): OutboxDraft {
  return {
    dedupKey: key,
    // No ticket: the foreign key would need one, and nothing here depends on it.
    ticketId: null,
    chatId,
    payload: { kind: 'message', text },
  }
}

async function enqueue(db: Database, drafts: readonly OutboxDraft[], when = T0): Promise<void> {
  await db.prisma.$transaction(tx => enqueueDrafts(tx, drafts, when))
}

async function rowOf(db: Database, id: number) {
  return db.prisma.outboxMessage.findUniqueOrThrow({ where: { id } })
}

describeEachDatabase('outbox store', (getDb, provider) => {
  it('enqueues drafts inside the caller\'s transaction and skips a key that is in the ledger already', async () => {
    const db = getDb()
    const outbox = createOutboxStore(db)
    await enqueue(db, [draft('t1:status:1:chat', 11, 'first'), draft('t1:status:1:chat', 11, 'again, same transaction')])
    await enqueue(db, [draft('t1:status:1:chat', 11, 'again, later'), draft('t1:status:2:chat', 11, 'second event')], at(5))

    const rows = await db.prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } })
    expect(rows.map(r => [r.dedupKey, JSON.parse(r.payload).text])).toEqual([
      ['t1:status:1:chat', 'first'],
      ['t1:status:2:chat', 'second event'],
    ])
    expect(rows[0]).toMatchObject({ status: 'pending', attempts: 0, chatId: 11n, kind: 'message', nextAttemptAt: T0, createdAt: T0 })
    expect(await outbox.counts()).toEqual({ pending: 2, sending: 0, sent: 0, failed: 0 })
  })

  it('enqueues nothing when the caller\'s transaction rolls back', async () => {
    const db = getDb()
    await expect(db.prisma.$transaction(async (tx) => {
      await enqueueDrafts(tx, [draft('rolled-back')], T0)
      throw new Error('the status change failed')
    })).rejects.toThrow('the status change failed')
    expect(await createOutboxStore(db).counts()).toEqual({ pending: 0, sending: 0, sent: 0, failed: 0 })
  })

  it('claims due messages only, oldest due first, and keeps a chat id above 2^32 exact', async () => {
    const db = getDb()
    const outbox = createOutboxStore(db)
    await enqueue(db, [draft('late', 7_100_000_001)], at(10_000))
    await enqueue(db, [draft('b', 7_100_000_002)], at(2_000))
    await enqueue(db, [draft('a', -1_002_100_000_001)], at(1_000))
    await enqueue(db, [draft('c', 7_100_000_003)], at(2_000))

    const claimed = await outbox.claim({ limit: 10, now: at(5_000), leaseMs: 60_000 })
    expect(claimed.map(m => m.dedupKey)).toEqual(['a', 'b', 'c'])
    expect(claimed[0]).toMatchObject({ chatId: -1_002_100_000_001, status: 'sending', payload: { kind: 'message', text: 'message a' } })
    expect(new Set(claimed.map(m => m.claimToken)).size).toBe(1)
    expect(await outbox.claim({ limit: 10, now: at(5_000), leaseMs: 60_000 })).toEqual([])
    expect(await outbox.counts()).toEqual({ pending: 1, sending: 3, sent: 0, failed: 0 })
  })

  it('claims at most `limit` messages', async () => {
    const db = getDb()
    const outbox = createOutboxStore(db)
    await enqueue(db, Array.from({ length: 7 }, (_, i) => draft(`m${i}`)))
    const first = await outbox.claim({ limit: 3, now: T0, leaseMs: 60_000 })
    const second = await outbox.claim({ limit: 3, now: T0, leaseMs: 60_000 })
    expect(first.map(m => m.dedupKey)).toEqual(['m0', 'm1', 'm2'])
    expect(second.map(m => m.dedupKey)).toEqual(['m3', 'm4', 'm5'])
  })

  it('never gives one message to two concurrent claimers (5 claimers, each on a connection of its own, 200 messages)', async () => {
    // Connections of their own, so that on SQLite the claimers really contend for the file's write lock, as
    // separate processes would; PostgreSQL's pool already runs them on separate connections.
    const scratch = await createScratchDatabase(provider)
    try {
      const first = await scratch.open()
      const others = await Promise.all(Array.from({ length: 4 }, () => scratch.open({ migrate: false })))
      const stores = [first, ...others].map(createOutboxStore)
      await enqueue(first, Array.from({ length: 200 }, (_, i) => draft(`race-${i}`, 7_100_000_000 + i)))

      const claimedBy = new Map<number, string[]>()
      const claimer = async (store: ReturnType<typeof createOutboxStore>, name: string) => {
        for (let round = 0; round < 500; round++) {
          const batch = await store.claim({ limit: 7, now: T0, leaseMs: 60_000 })
          for (const message of batch)
            claimedBy.set(message.id, [...(claimedBy.get(message.id) ?? []), name])
          if (batch.length === 0 && (await store.counts()).pending === 0)
            return
        }
        throw new Error(`${name} did not finish`)
      }
      await Promise.all(stores.map((store, i) => claimer(store, `claimer ${i}`)))

      const twice = [...claimedBy].filter(([, names]) => names.length > 1)
      expect(twice).toEqual([])
      expect(claimedBy.size).toBe(200)
      expect(await stores[0]!.counts()).toEqual({ pending: 0, sending: 200, sent: 0, failed: 0 })
    }
    finally {
      await scratch.drop()
    }
  }, 60_000)

  it('takes over a claim whose lease has expired, not a live one, and settles only with the new claim', async () => {
    const db = getDb()
    const outbox = createOutboxStore(db)
    await enqueue(db, [draft('leased')])
    const [crashed] = await outbox.claim({ limit: 10, now: T0, leaseMs: 30_000 })
    expect(crashed).toBeDefined()

    expect(await outbox.claim({ limit: 10, now: at(29_999), leaseMs: 30_000 })).toEqual([])
    expect(await outbox.nextDue()).toEqual(at(30_000))
    const [taken] = await outbox.claim({ limit: 10, now: at(30_001), leaseMs: 30_000 })
    expect(taken).toMatchObject({ id: crashed!.id, status: 'sending' })
    expect(taken!.claimToken).not.toBe(crashed!.claimToken)

    // The sender that lost its claim comes back: whatever it says is ignored.
    await outbox.markSent(crashed!, 999, at(30_002))
    await outbox.markFailed(crashed!, 'blocked', 'late')
    await outbox.reschedule(crashed!, at(90_000), { countAttempt: true, error: 'late' })
    expect(await rowOf(db, crashed!.id)).toMatchObject({ status: 'sending', claimToken: taken!.claimToken, attempts: 0, sentMessageId: null, failReason: null, lastError: null })

    await outbox.markSent(taken!, 41, at(30_003))
    expect(await rowOf(db, crashed!.id)).toMatchObject({ status: 'sent', sentMessageId: 41, sentAt: at(30_003), attempts: 1, claimToken: null, lockedUntil: null })
  })

  it('marks a message sent or failed only with the claim token that holds it', async () => {
    const db = getDb()
    const outbox = createOutboxStore(db)
    await enqueue(db, [draft('s'), draft('f')])
    const [s, f] = await outbox.claim({ limit: 10, now: T0, leaseMs: 60_000 })
    const forged = (m: ClaimedMessage): ClaimedMessage => ({ ...m, claimToken: 'not-the-token' })

    await outbox.markSent(forged(s!), 1, at(1))
    await outbox.markFailed(forged(f!), 'blocked', 'forged')
    expect(await outbox.counts()).toEqual({ pending: 0, sending: 2, sent: 0, failed: 0 })

    await outbox.markSent(s!, 77, at(2))
    await outbox.markFailed(f!, 'blocked', `Forbidden: bot was blocked by the user ${'x'.repeat(600)}`)
    expect(await rowOf(db, s!.id)).toMatchObject({ status: 'sent', sentMessageId: 77, sentAt: at(2), attempts: 1, claimToken: null })
    const failed = await rowOf(db, f!.id)
    expect(failed).toMatchObject({ status: 'failed', failReason: 'blocked', attempts: 1, claimToken: null, lockedUntil: null })
    expect(failed.lastError).toHaveLength(500)
    expect(await outbox.counts()).toEqual({ pending: 0, sending: 0, sent: 1, failed: 1 })
    // Settled messages are never claimed again, however late it is.
    expect(await outbox.claim({ limit: 10, now: at(86_400_000), leaseMs: 60_000 })).toEqual([])
  })

  it('reschedules with or without counting an attempt, and can redirect the message', async () => {
    const db = getDb()
    const outbox = createOutboxStore(db)
    await enqueue(db, [draft('r', 7_100_000_001)])

    const [first] = await outbox.claim({ limit: 1, now: T0, leaseMs: 60_000 })
    await outbox.reschedule(first!, at(1_000), { countAttempt: false })
    expect(await rowOf(db, first!.id)).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: at(1_000), lastError: null, claimToken: null, lockedUntil: null })
    expect(await outbox.claim({ limit: 1, now: at(999), leaseMs: 60_000 })).toEqual([])

    const [second] = await outbox.claim({ limit: 1, now: at(1_000), leaseMs: 60_000 })
    expect(second).toMatchObject({ attempts: 0 })
    await outbox.reschedule(second!, at(5_000), { countAttempt: true, error: 'Internal Server Error' })
    expect(await rowOf(db, first!.id)).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: at(5_000), lastError: 'Internal Server Error' })

    const [third] = await outbox.claim({ limit: 1, now: at(5_000), leaseMs: 60_000 })
    expect(third).toMatchObject({ attempts: 1 })
    const payload = { kind: 'message' as const, text: 'in the group instead', replyToMessageId: 17 }
    await outbox.reschedule(third!, at(5_000), { countAttempt: false, error: 'Forbidden: bot can\'t initiate conversation with a user', payload, chatId: -1_002_100_000_001 })
    const [redirected] = await outbox.claim({ limit: 1, now: at(5_000), leaseMs: 60_000 })
    expect(redirected).toMatchObject({ id: first!.id, chatId: -1_002_100_000_001, payload, attempts: 1, lastError: 'Forbidden: bot can\'t initiate conversation with a user' })
  })

  it('tells when the next pending message falls due', async () => {
    const db = getDb()
    const outbox = createOutboxStore(db)
    expect(await outbox.nextDue()).toBeNull()
    await enqueue(db, [draft('later')], at(20_000))
    await enqueue(db, [draft('sooner')], at(8_000))
    expect(await outbox.nextDue()).toEqual(at(8_000))

    const [sooner] = await outbox.claim({ limit: 1, now: at(8_000), leaseMs: 5_000 })
    // A claimed message falls due again when its lease runs out.
    expect(await outbox.nextDue()).toEqual(at(13_000))
    await outbox.markSent(sooner!, 1, at(8_001))
    expect(await outbox.nextDue()).toEqual(at(20_000))

    const [later] = await outbox.claim({ limit: 1, now: at(20_000), leaseMs: 5_000 })
    await outbox.markFailed(later!, 'blocked', 'Forbidden: bot was blocked by the user')
    expect(await outbox.nextDue()).toBeNull()
  })

  it('finds the outbox message behind a message the bot sent', async () => {
    const db = getDb()
    const outbox = createOutboxStore(db)
    await enqueue(db, [draft('q1', 7_100_000_001), draft('q2', 7_100_000_002), draft('q3', 7_100_000_001)])
    const [q1, q2] = await outbox.claim({ limit: 2, now: T0, leaseMs: 60_000 })
    await outbox.markSent(q1!, 300, at(1))
    await outbox.markSent(q2!, 300, at(1))

    expect(await outbox.findSent(7_100_000_001, 300)).toMatchObject({ id: q1!.id, dedupKey: 'q1', status: 'sent', sentMessageId: 300 })
    expect(await outbox.findSent(7_100_000_002, 300)).toMatchObject({ dedupKey: 'q2' })
    expect(await outbox.findSent(7_100_000_001, 301)).toBeNull()
    expect(await outbox.findSent(7_100_000_003, 300)).toBeNull()
  })

  it('lists what was sent since a moment, oldest first, for a restarted bot\'s send budget', async () => {
    const db = getDb()
    const outbox = createOutboxStore(db)
    await enqueue(db, [draft('r1', -1001), draft('r2', -1002), draft('r3', -1001), draft('r4', -1001)])
    const [r1, r2, r3] = await outbox.claim({ limit: 3, now: T0, leaseMs: 60_000 })
    await outbox.markSent(r1!, 1, at(1_000))
    await outbox.markSent(r2!, 2, at(70_000))
    await outbox.markSent(r3!, 3, at(65_000))

    expect(await outbox.recentSends(at(60_000))).toEqual([
      { chatId: -1001, sentAt: at(65_000) },
      { chatId: -1002, sentAt: at(70_000) },
    ])
  })

  it('counts messages by status', async () => {
    const db = getDb()
    const outbox = createOutboxStore(db)
    expect(await outbox.counts()).toEqual({ pending: 0, sending: 0, sent: 0, failed: 0 })
    await enqueue(db, Array.from({ length: 6 }, (_, i) => draft(`n${i}`)))
    const [a, b, c] = await outbox.claim({ limit: 3, now: T0, leaseMs: 60_000 })
    await outbox.markSent(a!, 1, at(1))
    await outbox.markFailed(b!, 'chat_not_found', 'Bad Request: chat not found')
    expect(c).toBeDefined()
    expect(await outbox.counts()).toEqual({ pending: 3, sending: 1, sent: 1, failed: 1 })
  })
})
