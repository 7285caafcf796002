import type { OutboxDraft, OutboxMessage, OutboxPayload, OutboxStatus } from '#root/domain/outbox.js'
import type { OutboxMessage as OutboxRow, Prisma } from '#root/generated/prisma-sqlite/client.js'
import type { Database } from '#root/store/database.js'
import { randomUUID } from 'node:crypto'
import { isTransientDatabaseError } from '#root/store/database.js'
import { withRetry } from '#root/store/retry.js'

/** A claimed message: only the holder of the claim may settle it. */
export interface ClaimedMessage extends OutboxMessage {
  claimToken: string
}

export interface OutboxStore {
  /** Messages due now, claimed for `leaseMs`; a claim left by a crashed sender is taken over once it expires. */
  claim: (options: { limit: number, now: Date, leaseMs: number }) => Promise<ClaimedMessage[]>
  markSent: (message: ClaimedMessage, sentMessageId: number | null, at: Date) => Promise<void>
  /**
   * Records a step of a message that takes several sends (an album, then its card) while the claim is held, so that
   * a retry resumes after it instead of sending it again.
   */
  saveProgress: (message: ClaimedMessage, payload: OutboxPayload) => Promise<void>
  /** Back to the queue at `at`; `countAttempt` is false when the wait was ours (rate limits), not a failure. */
  reschedule: (message: ClaimedMessage, at: Date, options: { error?: string, countAttempt: boolean, payload?: OutboxPayload, chatId?: number }) => Promise<void>
  markFailed: (message: ClaimedMessage, reason: string, error: string) => Promise<void>
  /** The earliest time a pending message falls due, to sleep until then. */
  nextDue: () => Promise<Date | null>
  listForTicket: (ticketId: number) => Promise<OutboxMessage[]>
  /** The message the bot sent as `messageId` in `chatId`, when it came from the outbox. */
  findSent: (chatId: number, messageId: number) => Promise<OutboxMessage | null>
  counts: () => Promise<Record<OutboxStatus, number>>
  /**
   * Messages sent since `since`, oldest first: a bot that starts again learns what its predecessor spent of each chat's
   * budget in the last minute. Read through the (status, due time) index: a message sent recently fell due recently.
   */
  recentSends: (since: Date) => Promise<{ chatId: number, sentAt: Date }[]>
  /** Queues messages that belong to no ticket's change (a notice to the admins); a key in the ledger is skipped. */
  enqueue: (drafts: readonly OutboxDraft[], at: Date) => Promise<void>
}

/** Writes drafts inside a transaction of the caller's; a draft whose key is in the ledger already is skipped. */
export async function enqueueDrafts(tx: Prisma.TransactionClient, drafts: readonly OutboxDraft[], at: Date): Promise<void> {
  for (const draft of drafts) {
    const exists = await tx.outboxMessage.findUnique({ where: { dedupKey: draft.dedupKey }, select: { id: true } })
    if (exists)
      continue
    await tx.outboxMessage.create({
      data: {
        dedupKey: draft.dedupKey,
        ticketId: draft.ticketId,
        kind: draft.payload.kind,
        chatId: BigInt(draft.chatId),
        payload: JSON.stringify(draft.payload),
        nextAttemptAt: at,
        createdAt: at,
      },
    })
  }
}

export function createOutboxStore(db: Database): OutboxStore {
  const { prisma } = db
  const due = (now: Date) => ({
    OR: [
      { status: 'pending', nextAttemptAt: { lte: now } },
      { status: 'sending', lockedUntil: { lt: now } },
    ],
  })
  const settle = async (message: ClaimedMessage, data: Prisma.OutboxMessageUpdateManyMutationInput) => {
    await prisma.outboxMessage.updateMany({ where: { id: message.id, claimToken: message.claimToken }, data })
  }

  return {
    async claim({ limit, now, leaseMs }) {
      const candidates = await prisma.outboxMessage.findMany({
        where: due(now),
        orderBy: [{ nextAttemptAt: 'asc' }, { id: 'asc' }],
        take: limit,
        select: { id: true },
      })
      if (candidates.length === 0)
        return []
      const claimToken = randomUUID()
      // The condition is checked again row by row in the update, so two senders never claim the same message.
      await prisma.outboxMessage.updateMany({
        where: { id: { in: candidates.map(c => c.id) }, ...due(now) },
        data: { status: 'sending', claimToken, lockedUntil: new Date(now.getTime() + leaseMs) },
      })
      const rows = await prisma.outboxMessage.findMany({ where: { claimToken }, orderBy: [{ nextAttemptAt: 'asc' }, { id: 'asc' }] })
      return rows.map(row => ({ ...toOutboxMessage(row), claimToken }))
    },
    async markSent(message, sentMessageId, at) {
      await settle(message, { status: 'sent', sentMessageId, sentAt: at, lockedUntil: null, claimToken: null, attempts: { increment: 1 } })
    },
    async saveProgress(message, payload) {
      // Retried: a passing database error here would otherwise cost a second album.
      await withRetry(() => settle(message, { payload: JSON.stringify(payload) }))
      message.payload = payload
    },
    async reschedule(message, at, { error, countAttempt, payload, chatId }) {
      await settle(message, {
        status: 'pending',
        nextAttemptAt: at,
        lockedUntil: null,
        claimToken: null,
        ...(countAttempt ? { attempts: { increment: 1 } } : {}),
        ...(error ? { lastError: error.slice(0, 500) } : {}),
        ...(payload ? { payload: JSON.stringify(payload), kind: payload.kind } : {}),
        ...(chatId !== undefined ? { chatId: BigInt(chatId) } : {}),
      })
    },
    async markFailed(message, reason, error) {
      await settle(message, { status: 'failed', failReason: reason, lastError: error.slice(0, 500), lockedUntil: null, claimToken: null, attempts: { increment: 1 } })
    },
    async nextDue() {
      const row = await prisma.outboxMessage.findFirst({ where: { status: { in: ['pending', 'sending'] } }, orderBy: { nextAttemptAt: 'asc' }, select: { nextAttemptAt: true, lockedUntil: true, status: true } })
      if (!row)
        return null
      return row.status === 'sending' && row.lockedUntil ? row.lockedUntil : row.nextAttemptAt
    },
    async listForTicket(ticketId) {
      const rows = await prisma.outboxMessage.findMany({ where: { ticketId }, orderBy: { id: 'asc' } })
      return rows.map(toOutboxMessage)
    },
    async findSent(chatId, messageId) {
      const row = await prisma.outboxMessage.findFirst({ where: { chatId: BigInt(chatId), sentMessageId: messageId, status: 'sent' } })
      return row ? toOutboxMessage(row) : null
    },
    async enqueue(drafts, at) {
      // Another process queueing the same key at the same moment trips the unique key: its row is in the ledger,
      // so trying again skips it.
      await withRetry(() => prisma.$transaction(tx => enqueueDrafts(tx, drafts, at)), {
        isRetryable: error => isTransientDatabaseError(error) || (error as { code?: string }).code === 'P2002',
      })
    },

    async recentSends(since) {
      const rows = await prisma.outboxMessage.findMany({
        where: { status: 'sent', nextAttemptAt: { gte: new Date(since.getTime() - RECENTLY_DUE_MS) }, sentAt: { gte: since } },
        select: { chatId: true, sentAt: true },
        orderBy: { sentAt: 'asc' },
      })
      return rows.map(row => ({ chatId: Number(row.chatId), sentAt: row.sentAt! }))
    },
    async counts() {
      const groups = await prisma.outboxMessage.groupBy({ by: ['status'], _count: { _all: true } })
      const counts: Record<OutboxStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0 }
      for (const g of groups)
        counts[g.status as OutboxStatus] = g._count._all
      return counts
    },
  }
}

/** How long before its send a message may have fallen due (waiting for its chat's budget, retries) and still be seen. */
const RECENTLY_DUE_MS = 15 * 60_000

function toOutboxMessage(row: OutboxRow): OutboxMessage {
  return {
    id: row.id,
    dedupKey: row.dedupKey,
    ticketId: row.ticketId,
    chatId: Number(row.chatId),
    payload: JSON.parse(row.payload) as OutboxPayload,
    status: row.status as OutboxStatus,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    lastError: row.lastError,
    failReason: row.failReason,
    sentMessageId: row.sentMessageId,
    createdAt: row.createdAt,
    sentAt: row.sentAt,
  }
}
