import type { OutboxDraft } from '#root/domain/outbox.js'
import type { NewTicketFollower, TicketFollower } from '#root/domain/ticket-follower.js'
import type { Actor, ChatType, Ticket, TicketEvent, TicketEventType, TicketStatus } from '#root/domain/ticket.js'
import type { Prisma, TicketFollower as TicketFollowerRow } from '#root/generated/prisma-sqlite/client.js'
import type { Database } from '#root/store/database.js'
import type { OutboxForChange } from '#root/store/ticket-store.js'
import { DomainError } from '#root/domain/errors.js'
import { OPEN_STATUSES } from '#root/domain/ticket.js'
import { enqueueDrafts } from '#root/store/outbox-store.js'
import { withRetry } from '#root/store/retry.js'
import { toTicket, toTicketEvent } from '#root/store/ticket-store.js'

export type JoinOutcome
  = | { kind: 'joined', ticket: Ticket, event: TicketEvent }
    /** They had joined already (a second press, a replayed update): nothing changed. */
    | { kind: 'already', ticket: Ticket }
    /** It is their own ticket. */
    | { kind: 'own', ticket: Ticket }
    /** The ticket is no longer open (resolved, merged…) or does not exist. */
    | { kind: 'closed', ticket: Ticket | null }

/** Both sides of a merge or a split, after it, with the event each got. */
export interface MergeResult {
  target: Ticket
  source: Ticket
  targetEvent: TicketEvent
  sourceEvent: TicketEvent
  /** The people who came to the target with the source (merge) or left it with the source (split). */
  people: TicketFollower[]
  /** Everyone the source speaks for: its reporter and its own followers (they are told of the merge or split). */
  sourcePeople: TicketFollower[]
}

export type OutboxForMerge = (result: MergeResult) => OutboxDraft[]

export interface HotProblem {
  ticket: Ticket
  /** People who reported it within the period: its reporter if they reported then, and its followers. */
  reporters: number
}

export interface TicketFollowerStore {
  /** Open tickets of a category and area (null matches tickets without one) reported since `since`, newest first. */
  listDuplicateCandidates: (input: { categoryId: string, areaName: string | null, since: Date, limit: number }) => Promise<Ticket[]>
  listFollowers: (ticketId: number) => Promise<TicketFollower[]>
  isFollower: (ticketId: number, residentId: number) => Promise<boolean>
  /** The tickets a resident joined, the latest join first. */
  listFollowedBy: (residentId: number, options?: { limit?: number }) => Promise<Ticket[]>
  /** Ids of the tickets a resident follows, among `ticketIds`. */
  followedAmong: (residentId: number, ticketIds: readonly number[]) => Promise<Set<number>>
  /**
   * Records a resident as a follower of an open ticket, its 'joined' event and the messages the join causes, in one
   * transaction; idempotent per ticket and resident (a unique key), so concurrent joins are all kept, each once.
   */
  join: (ticketId: number, follower: NewTicketFollower, outbox?: OutboxForChange) => Promise<JoinOutcome>
  /**
   * 并案: `source` goes into `target`. The source ends as 'merged' (its former status kept for a split); its reporter
   * and followers become followers of the target; both get an event; one transaction.
   */
  merge: (targetId: number, sourceId: number, actor: Actor, outbox?: OutboxForMerge) => Promise<MergeResult>
  /** Undoes a merge: the source gets its former status back and its people leave the target; both get an event. */
  split: (sourceId: number, actor: Actor, outbox?: OutboxForMerge) => Promise<MergeResult>
  /**
   * A follower's rating (回访) of a resolved ticket: a 'follower_rated' event, once per resolution and person. It
   * closes nothing: only the reporter's rating does.
   */
  recordRating: (ticketId: number, rater: Actor, satisfaction: string, outbox?: OutboxForChange) => Promise<{ kind: 'rated', ticket: Ticket, event: TicketEvent } | { kind: 'already' | 'not_resolved' }>
  /** Tickets with at least two reporters within the period, most reporters first; merged tickets left out. */
  listHot: (since: Date, options?: { areaName?: string, limit?: number }) => Promise<HotProblem[]>
}

type Transaction = Prisma.TransactionClient

/** The followers of a ticket as a change inside `tx` sees them. */
export async function followersIn(tx: Transaction, ticketId: number): Promise<TicketFollower[]> {
  const rows = await tx.ticketFollower.findMany({ where: { ticketId }, orderBy: { id: 'asc' } })
  return rows.map(toFollower)
}

export function createTicketFollowerStore(db: Database, options: { now?: () => Date } = {}): TicketFollowerStore {
  const { prisma } = db
  const now = options.now ?? (() => new Date())
  const openStatuses = [...OPEN_STATUSES]

  async function writeEvent(
    tx: Transaction,
    ticketId: number,
    input: { type: TicketEventType, fromStatus?: TicketStatus | null, toStatus?: TicketStatus | null, data: Record<string, unknown> },
    actor: Actor,
    at: Date,
  ): Promise<TicketEvent> {
    return toTicketEvent(await tx.ticketEvent.create({
      data: {
        ticketId,
        type: input.type,
        fromStatus: input.fromStatus ?? null,
        toStatus: input.toStatus ?? null,
        actorId: BigInt(actor.id),
        actorRole: actor.role,
        data: JSON.stringify(actor.name ? { ...input.data, actorName: actor.name } : input.data),
        createdAt: at,
      },
    }))
  }

  async function loadPair(tx: Transaction, targetId: number, sourceId: number) {
    const [target, source] = await Promise.all([
      tx.ticket.findUnique({ where: { id: targetId } }),
      tx.ticket.findUnique({ where: { id: sourceId } }),
    ])
    if (!target || !source)
      throw new DomainError('NOT_FOUND', `ticket ${target ? sourceId : targetId} does not exist`)
    return { target: toTicket(target), source: toTicket(source) }
  }

  /** The source's reporter as a follower of another ticket, reported when they reported. */
  function reporterAsFollower(source: Ticket): TicketFollower {
    return {
      ticketId: source.id,
      residentId: source.reporterId,
      residentName: source.reporterName,
      language: source.reporterLanguage,
      chatId: source.sourceChatId,
      chatType: source.sourceChatType,
      messageId: source.sourceMessageId,
      replyPrivately: source.replyPrivately,
      viaTicketId: null,
      reportedAt: source.createdAt,
    }
  }

  return {
    async listDuplicateCandidates({ categoryId, areaName, since, limit }) {
      const rows = await prisma.ticket.findMany({
        where: { categoryId, status: { in: openStatuses }, createdAt: { gte: since }, areaName },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit,
      })
      return rows.map(toTicket)
    },

    async listFollowers(ticketId) {
      return followersIn(prisma, ticketId)
    },

    async isFollower(ticketId, residentId) {
      const row = await prisma.ticketFollower.findUnique({ where: { ticketId_residentId: { ticketId, residentId: BigInt(residentId) } }, select: { id: true } })
      return row !== null
    },

    async listFollowedBy(residentId, { limit = 10 } = {}) {
      const rows = await prisma.ticketFollower.findMany({
        where: { residentId: BigInt(residentId) },
        orderBy: [{ reportedAt: 'desc' }, { id: 'desc' }],
        take: limit,
        include: { ticket: true },
      })
      return rows.map(row => toTicket(row.ticket))
    },

    async followedAmong(residentId, ticketIds) {
      if (ticketIds.length === 0)
        return new Set()
      const rows = await prisma.ticketFollower.findMany({ where: { residentId: BigInt(residentId), ticketId: { in: [...ticketIds] } }, select: { ticketId: true } })
      return new Set(rows.map(r => r.ticketId))
    },

    async join(ticketId, follower, outbox) {
      const key = { ticketId_residentId: { ticketId, residentId: BigInt(follower.residentId) } }
      const attempt = () => prisma.$transaction(async (tx): Promise<JoinOutcome> => {
        const at = now()
        const current = await tx.ticket.findUnique({ where: { id: ticketId } })
        if (!current)
          return { kind: 'closed', ticket: null }
        if (Number(current.reporterId) === follower.residentId)
          return { kind: 'own', ticket: toTicket(current) }
        if (await tx.ticketFollower.findUnique({ where: key, select: { id: true } }))
          return { kind: 'already', ticket: toTicket(current) }
        // The update locks the ticket's row: a join and a status change are serialized, so the change's messages
        // reach everyone who joined before it, and nobody joins a ticket that was resolved or merged meanwhile.
        const counted = await tx.ticket.updateMany({
          where: { id: ticketId, status: { in: openStatuses } },
          data: { followerCount: { increment: 1 }, updatedAt: at },
        })
        if (counted.count !== 1)
          return { kind: 'closed', ticket: toTicket(current) }
        await tx.ticketFollower.create({ data: { ...followerData(follower), ticketId, viaTicketId: null, reportedAt: at, createdAt: at } })
        const event = await writeEvent(tx, ticketId, { type: 'joined', data: { residentName: follower.residentName } }, { id: follower.residentId, role: 'reporter', name: follower.residentName }, at)
        const ticket = toTicket(await tx.ticket.findUniqueOrThrow({ where: { id: ticketId } }))
        if (outbox)
          await enqueueDrafts(tx, outbox(ticket, event, await followersIn(tx, ticketId)), at)
        return { kind: 'joined', ticket, event }
      })
      try {
        return await withRetry(attempt)
      }
      catch (error) {
        // The same person pressing twice at once: the unique key kept one row, the other transaction rolled back.
        const existing = await prisma.ticketFollower.findUnique({ where: key, include: { ticket: true } })
        if (existing)
          return { kind: 'already', ticket: toTicket(existing.ticket) }
        throw error
      }
    },

    async merge(targetId, sourceId, actor, outbox) {
      if (targetId === sourceId)
        throw new DomainError('SAME_TICKET', 'a ticket cannot be merged into itself')
      return withRetry(() => prisma.$transaction(async (tx) => {
        const at = now()
        const { target, source } = await loadPair(tx, targetId, sourceId)
        for (const ticket of [target, source]) {
          if (!OPEN_STATUSES.includes(ticket.status))
            throw new DomainError('NOT_OPEN', `${ticket.number} is ${ticket.status}`, { number: ticket.number, status: ticket.status })
        }
        const sourceFollowers = await followersIn(tx, source.id)
        const sourcePeople = [reporterAsFollower(source), ...sourceFollowers]
        const present = new Set((await followersIn(tx, target.id)).map(f => f.residentId))
        present.add(target.reporterId)
        const people: TicketFollower[] = []
        for (const person of sourcePeople) {
          if (present.has(person.residentId))
            continue
          present.add(person.residentId)
          people.push({ ...person, ticketId: target.id, viaTicketId: source.id })
        }
        // Both rows change only if still open as read: of a merge and a status change at once, one wins.
        const ended = await tx.ticket.updateMany({
          where: { id: source.id, status: source.status },
          data: { status: 'merged', mergedIntoId: target.id, statusBeforeMerge: source.status, updatedAt: at },
        })
        const grown = await tx.ticket.updateMany({
          where: { id: target.id, status: target.status },
          data: { followerCount: { increment: people.length }, updatedAt: at },
        })
        if (ended.count !== 1 || grown.count !== 1)
          throw new DomainError('CONFLICT', 'one of the tickets changed first')
        if (people.length > 0)
          await tx.ticketFollower.createMany({ data: people.map(p => ({ ...followerData(p), ticketId: target.id, viaTicketId: source.id, reportedAt: p.reportedAt, createdAt: at })) })
        const sourceEvent = await writeEvent(tx, source.id, { type: 'merged', fromStatus: source.status, toStatus: 'merged', data: { intoTicketId: target.id, intoNumber: target.number, people: people.length } }, actor, at)
        const targetEvent = await writeEvent(tx, target.id, { type: 'merge_received', data: { fromTicketId: source.id, fromNumber: source.number, people: people.length } }, actor, at)
        const result: MergeResult = {
          target: toTicket(await tx.ticket.findUniqueOrThrow({ where: { id: target.id } })),
          source: toTicket(await tx.ticket.findUniqueOrThrow({ where: { id: source.id } })),
          targetEvent,
          sourceEvent,
          people,
          sourcePeople,
        }
        if (outbox)
          await enqueueDrafts(tx, outbox(result), at)
        return result
      }))
    },

    async split(sourceId, actor, outbox) {
      return withRetry(() => prisma.$transaction(async (tx) => {
        const at = now()
        const row = await tx.ticket.findUnique({ where: { id: sourceId } })
        if (!row)
          throw new DomainError('NOT_FOUND', `ticket ${sourceId} does not exist`)
        if (row.status !== 'merged' || row.mergedIntoId === null)
          throw new DomainError('NOT_MERGED', `${row.number} is not merged`, { number: row.number, status: row.status })
        const { target, source } = await loadPair(tx, row.mergedIntoId, sourceId)
        const restored = source.statusBeforeMerge ?? 'assigned'
        const leaving = (await followersIn(tx, target.id)).filter(f => f.viaTicketId === source.id)
        const back = await tx.ticket.updateMany({
          where: { id: source.id, status: 'merged', mergedIntoId: target.id },
          data: { status: restored, mergedIntoId: null, statusBeforeMerge: null, updatedAt: at },
        })
        if (back.count !== 1)
          throw new DomainError('CONFLICT', 'the ticket changed first')
        await tx.ticketFollower.deleteMany({ where: { ticketId: target.id, viaTicketId: source.id } })
        await tx.ticket.update({ where: { id: target.id }, data: { followerCount: { decrement: leaving.length }, updatedAt: at } })
        const sourceEvent = await writeEvent(tx, source.id, { type: 'split', fromStatus: 'merged', toStatus: restored, data: { fromTicketId: target.id, fromNumber: target.number, people: leaving.length } }, actor, at)
        const targetEvent = await writeEvent(tx, target.id, { type: 'split_released', data: { ticketId: source.id, number: source.number, people: leaving.length } }, actor, at)
        const changedSource = toTicket(await tx.ticket.findUniqueOrThrow({ where: { id: source.id } }))
        const result: MergeResult = {
          target: toTicket(await tx.ticket.findUniqueOrThrow({ where: { id: target.id } })),
          source: changedSource,
          targetEvent,
          sourceEvent,
          people: leaving,
          sourcePeople: [reporterAsFollower(changedSource), ...await followersIn(tx, source.id)],
        }
        if (outbox)
          await enqueueDrafts(tx, outbox(result), at)
        return result
      }))
    },

    async recordRating(ticketId, rater, satisfaction, outbox) {
      return withRetry(() => prisma.$transaction(async (tx) => {
        const at = now()
        const row = await tx.ticket.findUnique({ where: { id: ticketId } })
        if (!row || row.status !== 'resolved')
          return { kind: 'not_resolved' as const }
        const rated = await tx.ticketEvent.findFirst({
          where: { ticketId, type: 'follower_rated', actorId: BigInt(rater.id), createdAt: { gte: row.resolvedAt ?? new Date(0) } },
          select: { id: true },
        })
        if (rated)
          return { kind: 'already' as const }
        const event = await writeEvent(tx, ticketId, { type: 'follower_rated', data: { satisfaction } }, rater, at)
        const ticket = toTicket(row)
        if (outbox)
          await enqueueDrafts(tx, outbox(ticket, event, await followersIn(tx, ticketId)), at)
        return { kind: 'rated' as const, ticket, event }
      }))
    },

    async listHot(since, { areaName, limit = 10 } = {}) {
      const groups = await prisma.ticketFollower.groupBy({ by: ['ticketId'], where: { reportedAt: { gte: since } }, _count: { _all: true } })
      if (groups.length === 0)
        return []
      const joined = new Map(groups.map(g => [g.ticketId, g._count._all]))
      const rows = await prisma.ticket.findMany({
        where: { id: { in: [...joined.keys()] }, status: { not: 'merged' }, ...(areaName !== undefined ? { areaName } : {}) },
      })
      return rows
        .map(row => ({ ticket: toTicket(row), reporters: joined.get(row.id)! + (row.createdAt >= since ? 1 : 0) }))
        .filter(p => p.reporters >= 2)
        .sort((a, b) => b.reporters - a.reporters || a.ticket.createdAt.getTime() - b.ticket.createdAt.getTime())
        .slice(0, limit)
    },
  }
}

function followerData(follower: NewTicketFollower) {
  return {
    residentId: BigInt(follower.residentId),
    residentName: follower.residentName,
    language: follower.language,
    chatId: BigInt(follower.chatId),
    chatType: follower.chatType,
    messageId: follower.messageId,
    replyPrivately: follower.replyPrivately,
  }
}

function toFollower(row: TicketFollowerRow): TicketFollower {
  return {
    ticketId: row.ticketId,
    residentId: Number(row.residentId),
    residentName: row.residentName,
    language: row.language,
    chatId: Number(row.chatId),
    chatType: row.chatType as ChatType,
    messageId: row.messageId,
    replyPrivately: row.replyPrivately,
    viaTicketId: row.viaTicketId,
    reportedAt: row.reportedAt,
  }
}
