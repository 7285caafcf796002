import type { DueTimes } from '#root/domain/deadlines.js'
import type { PlannedTransition } from '#root/domain/lifecycle.js'
import type { OutboxDraft } from '#root/domain/outbox.js'
import type { TicketFollower } from '#root/domain/ticket-follower.js'
import type { Actor, ChatType, Report, Ticket, TicketClassification, TicketEvent, TicketEventType, TicketStatus } from '#root/domain/ticket.js'
import type { TicketEvent as TicketEventRow, Ticket as TicketRow } from '#root/generated/prisma-sqlite/client.js'
import type { Database } from '#root/store/database.js'
import { DomainError } from '#root/domain/errors.js'
import { formatTicketNumber, ticketDay } from '#root/domain/ticket-number.js'
import { OPEN_STATUSES, TICKET_STATUSES } from '#root/domain/ticket.js'
import { enqueueDrafts } from '#root/store/outbox-store.js'
import { withRetry } from '#root/store/retry.js'
import { sqlPlaceholder } from '#root/store/sql-placeholder.js'
import { creationFigures, recordChaseFigures, recordTransitionFigures } from '#root/store/ticket-figures.js'
import { followersIn } from '#root/store/ticket-follower-store.js'

export interface NewTicket {
  /** Chosen when the resident confirms: a second attempt with the same key returns the first ticket. */
  intakeKey: string
  report: Report
  classification: TicketClassification
  status: TicketStatus
  actor: Actor
  /** Messages the new ticket causes (its card to the handlers), queued in the same transaction. */
  outbox?: (ticket: Ticket) => OutboxDraft[]
}

/**
 * Messages a change causes, rendered from the changed ticket, its event and the residents who joined it (read in the
 * change's transaction, so that a join and a change never miss each other), queued in the change's transaction.
 */
export type OutboxForChange = (ticket: Ticket, event: TicketEvent, followers: readonly TicketFollower[]) => OutboxDraft[]

export interface NewEvent {
  type: Extract<TicketEventType, 'note' | 'question' | 'reporter_reply' | 'delivery_failed'>
  note: string | null
  data?: Record<string, unknown> | null
}

export interface TicketCardRef {
  chatId: number
  messageId: number
}

export interface AppliedTransition {
  ticket: Ticket
  event: TicketEvent
}

export interface TicketStore {
  /** Stores a confirmed report as a ticket with its 'created' event, in one transaction; idempotent by intake key. */
  createTicket: (input: NewTicket) => Promise<{ ticket: Ticket, created: boolean }>
  findByNumber: (number: string) => Promise<Ticket | null>
  findById: (id: number) => Promise<Ticket | null>
  listByReporter: (reporterId: number, options?: { limit?: number }) => Promise<Ticket[]>
  listEvents: (ticketId: number) => Promise<TicketEvent[]>
  /**
   * Writes a planned status change and its event in one transaction, only if the ticket is still in `plan.from`.
   * Throws DomainError('CONFLICT') when someone else changed it first: of two handlers pressing at once, one wins.
   */
  applyTransition: (ticketId: number, plan: PlannedTransition, actor: Actor, outbox?: OutboxForChange) => Promise<AppliedTransition>
  /** Adds an event that does not change the status (a progress note, a question, the reporter's answer). */
  addEvent: (ticketId: number, event: NewEvent, actor: Actor, outbox?: OutboxForChange) => Promise<AppliedTransition>
  /** Open tickets of a department, or those waiting for triage when `departmentId` is null; oldest first. */
  listOpen: (departmentId: string | null, options?: { limit?: number }) => Promise<Ticket[]>
  recordCard: (ticketId: number, card: TicketCardRef) => Promise<void>
  listCards: (ticketId: number) => Promise<TicketCardRef[]>
  /**
   * Open tickets whose completion deadline falls before `until` and whose chase ladder is not done, earliest first
   * (read through the index on status, chase level and due time).
   */
  listChaseDue: (until: Date, options?: { limit?: number }) => Promise<Ticket[]>
  /**
   * Takes a chase step once: writes the level, its event and its messages in one transaction, only if the ticket is
   * still open, still due at `dueAt` and below `level`. Null when another process (or an earlier run) took it.
   */
  takeChaseStep: (ticketId: number, step: { level: number, dueAt: Date, event: NewEvent | ChaseEvent }, outbox: OutboxForChange) => Promise<AppliedTransition | null>
  /** Tickets still waiting to be accepted past their acceptance deadline at `now` with no 催签收 yet, earliest first. */
  listAcceptChaseDue: (now: Date, options?: { limit?: number }) => Promise<Ticket[]>
  /**
   * Takes the acceptance chase (催签收) once: only if the ticket is still assigned, still due at `acceptDueAt` and not
   * chased for it yet. Null when another process (or an earlier run) took it, or the ticket was accepted meanwhile.
   */
  takeAcceptChase: (ticketId: number, step: { acceptDueAt: Date, event: ChaseEvent }, outbox: OutboxForChange) => Promise<AppliedTransition | null>
  /**
   * Records a supervisor's 督办 on an open ticket, unless one was recorded since `notSince` (the cool-down): one of
   * two presses at once wins. Null when refused; the ticket's `supervisedAt` or status says why.
   */
  supervise: (ticketId: number, input: { note: string, notSince: Date }, actor: Actor, outbox: OutboxForChange) => Promise<AppliedTransition | null>
  /** Open tickets past their completion deadline at `now`, by department, oldest deadline first. */
  listOverdue: (now: Date, options?: { limit?: number }) => Promise<Ticket[]>
  /** Resolved tickets not rated since before `before`, oldest first. */
  listUnrated: (before: Date, options?: { limit?: number }) => Promise<Ticket[]>
  /** Records an extension request (延期) as pending, unless one is pending already. Null when one is. */
  requestExtension: (ticketId: number, request: { note: string, data: Record<string, unknown> }, actor: Actor, outbox: OutboxForChange) => Promise<AppliedTransition | null>
  /**
   * Decides the pending request `requestId` once: approving moves the completion deadline to `newDueAt` and restarts
   * the chase ladder. Null when it was decided already.
   */
  decideExtension: (ticketId: number, decision: { requestId: number, approve: boolean, newDueAt: Date | null }, actor: Actor, outbox: OutboxForChange) => Promise<AppliedTransition | null>
}

/** A chase step's event: written by the system. */
export interface ChaseEvent {
  type: 'chase'
  note: string | null
  data: Record<string, unknown>
}

export interface TicketStoreOptions {
  timezone: string
  now?: () => Date
  /** The time limits of a new ticket, from its request type and urgency and the instant it is stored. */
  dueTimes?: (ticket: Pick<TicketClassification, 'requestType' | 'urgency'>, at: Date) => DueTimes
  /** The district (an area id) an area name lies in, kept on the ticket for the monthly figures; null when unknown. */
  districtOf?: (areaName: string) => string | null
}

export function createTicketStore(db: Database, options: TicketStoreOptions): TicketStore {
  const { prisma } = db
  const now = options.now ?? (() => new Date())
  const openStatuses = [...OPEN_STATUSES]

  /** Writes an event of the system's or a person's that changes no status, with its messages, inside `tx`. */
  async function writeEvent(
    tx: Parameters<Parameters<typeof prisma.$transaction>[0]>[0],
    ticketId: number,
    input: { type: TicketEventType, note: string | null, data?: Record<string, unknown> | null },
    actor: Actor,
    at: Date,
    outbox: OutboxForChange | undefined,
  ): Promise<AppliedTransition> {
    const event = toTicketEvent(await tx.ticketEvent.create({
      data: {
        ticketId,
        type: input.type,
        actorId: BigInt(actor.id),
        actorRole: actor.role,
        note: input.note,
        data: eventData(input.data ?? {}, actor),
        createdAt: at,
      },
    }))
    const ticket = toTicket(await tx.ticket.update({ where: { id: ticketId }, data: { updatedAt: at } }))
    if (outbox)
      await enqueueDrafts(tx, outbox(ticket, event, await followersIn(tx, ticketId)), at)
    return { ticket, event }
  }

  async function insertTicket(input: NewTicket): Promise<TicketRow> {
    return prisma.$transaction(async (tx) => {
      const at = now()
      const day = ticketDay(at, options.timezone)
      const counter = await tx.ticketCounter.upsert({
        where: { day },
        create: { day, last: 1 },
        update: { last: { increment: 1 } },
      })
      const { report, classification } = input
      const row = await tx.ticket.create({
        data: {
          number: formatTicketNumber(day, counter.last),
          intakeKey: input.intakeKey,
          status: input.status,
          reporterId: BigInt(report.reporterId),
          reporterName: report.reporterName,
          reporterLanguage: report.reporterLanguage,
          sourceChatId: BigInt(report.sourceChatId),
          sourceChatType: report.sourceChatType,
          sourceMessageId: report.sourceMessageId,
          areaName: report.areaName,
          description: report.description,
          locationText: report.locationText,
          latitude: report.latitude,
          longitude: report.longitude,
          photoFileIds: JSON.stringify(report.photoFileIds),
          contactAllowed: report.contactAllowed,
          contactPhone: report.contactAllowed ? report.contactPhone : null,
          replyPrivately: report.replyPrivately,
          ...classification,
          ...options.dueTimes?.(classification, at),
          ...creationFigures(input.status, report.areaName ? options.districtOf?.(report.areaName) ?? null : null),
          createdAt: at,
          events: {
            create: {
              type: 'created',
              toStatus: input.status,
              actorId: BigInt(input.actor.id),
              actorRole: input.actor.role,
              data: JSON.stringify({
                categoryId: classification.categoryId,
                departmentId: classification.departmentId,
                classifier: classification.classifier,
                confidence: classification.confidence,
              }),
              createdAt: at,
            },
          },
        },
      })
      if (input.outbox)
        await enqueueDrafts(tx, input.outbox(toTicket(row)), at)
      return row
    })
  }

  return {
    async createTicket(input) {
      const existing = await prisma.ticket.findUnique({ where: { intakeKey: input.intakeKey } })
      if (existing)
        return { ticket: toTicket(existing), created: false }
      try {
        return { ticket: toTicket(await withRetry(() => insertTicket(input))), created: true }
      }
      catch (error) {
        // A concurrent attempt with the same intake key won the race: that ticket is ours.
        const raced = await prisma.ticket.findUnique({ where: { intakeKey: input.intakeKey } })
        if (raced)
          return { ticket: toTicket(raced), created: false }
        throw error
      }
    },

    async findByNumber(number) {
      const row = await prisma.ticket.findUnique({ where: { number } })
      return row ? toTicket(row) : null
    },

    async findById(id) {
      const row = await prisma.ticket.findUnique({ where: { id } })
      return row ? toTicket(row) : null
    },

    async listByReporter(reporterId, { limit = 10 } = {}) {
      const rows = await prisma.ticket.findMany({
        where: { reporterId: BigInt(reporterId) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit,
      })
      return rows.map(toTicket)
    },

    async listEvents(ticketId) {
      const rows = await prisma.ticketEvent.findMany({ where: { ticketId }, orderBy: { id: 'asc' } })
      return rows.map(toTicketEvent)
    },

    async applyTransition(ticketId, plan, actor, outbox) {
      return withRetry(() => prisma.$transaction(async (tx) => {
        const at = now()
        const moved = await tx.ticket.updateMany({
          where: { id: ticketId, status: plan.from },
          data: {
            status: plan.to,
            updatedAt: at,
            ...(plan.to === 'resolved' ? { resolvedAt: at } : {}),
            ...(plan.departmentIdTo ? { departmentId: plan.departmentIdTo } : {}),
          },
        })
        if (moved.count !== 1) {
          const current = await tx.ticket.findUnique({ where: { id: ticketId }, select: { status: true } })
          if (!current)
            throw new DomainError('NOT_FOUND', `ticket ${ticketId} does not exist`)
          throw new DomainError('CONFLICT', `the ticket changed to ${current.status} first`, { status: current.status })
        }
        await recordTransitionFigures(tx, ticketId, plan, at)
        const event = await tx.ticketEvent.create({
          data: {
            ticketId,
            type: plan.eventType,
            fromStatus: plan.from,
            toStatus: plan.to,
            actorId: BigInt(actor.id),
            actorRole: actor.role,
            note: plan.note,
            data: eventData({ ...plan.details, ...(plan.departmentIdTo ? { departmentIdTo: plan.departmentIdTo } : {}) }, actor),
            createdAt: at,
          },
        })
        const ticket = toTicket(await tx.ticket.findUniqueOrThrow({ where: { id: ticketId } }))
        const applied = toTicketEvent(event)
        if (outbox)
          await enqueueDrafts(tx, outbox(ticket, applied, await followersIn(tx, ticketId)), at)
        return { ticket, event: applied }
      }))
    },

    async addEvent(ticketId, input, actor, outbox) {
      return withRetry(() => prisma.$transaction(async (tx) => {
        const at = now()
        const row = await tx.ticket.findUnique({ where: { id: ticketId } })
        if (!row)
          throw new DomainError('NOT_FOUND', `ticket ${ticketId} does not exist`)
        return writeEvent(tx, ticketId, input, actor, at, outbox)
      }))
    },

    async listChaseDue(until, { limit = 100 } = {}) {
      const rows = await prisma.ticket.findMany({
        where: { status: { in: openStatuses }, chaseLevel: { in: [0, 1, 2] }, resolveDueAt: { lte: until } },
        orderBy: [{ resolveDueAt: 'asc' }, { id: 'asc' }],
        take: limit,
      })
      return rows.map(toTicket)
    },

    async takeChaseStep(ticketId, step, outbox) {
      return withRetry(() => prisma.$transaction(async (tx) => {
        const at = now()
        const taken = await tx.ticket.updateMany({
          where: { id: ticketId, status: { in: openStatuses }, resolveDueAt: step.dueAt, chaseLevel: { lt: step.level } },
          data: { chaseLevel: step.level },
        })
        if (taken.count !== 1)
          return null
        await recordChaseFigures(tx, ticketId, step.dueAt, at)
        return writeEvent(tx, ticketId, step.event, { id: 0, role: 'system' }, at, outbox)
      }))
    },

    async listAcceptChaseDue(at, { limit = 100 } = {}) {
      const rows = await prisma.ticket.findMany({
        where: { status: 'assigned', acceptChaseLevel: 0, acceptDueAt: { lte: at } },
        orderBy: [{ acceptDueAt: 'asc' }, { id: 'asc' }],
        take: limit,
      })
      return rows.map(toTicket)
    },

    async takeAcceptChase(ticketId, step, outbox) {
      return withRetry(() => prisma.$transaction(async (tx) => {
        const at = now()
        const taken = await tx.ticket.updateMany({
          where: { id: ticketId, status: 'assigned', acceptDueAt: step.acceptDueAt, acceptChaseLevel: 0 },
          data: { acceptChaseLevel: 1 },
        })
        if (taken.count !== 1)
          return null
        return writeEvent(tx, ticketId, step.event, { id: 0, role: 'system' }, at, outbox)
      }))
    },

    async supervise(ticketId, input, actor, outbox) {
      return withRetry(() => prisma.$transaction(async (tx) => {
        const at = now()
        const taken = await tx.ticket.updateMany({
          where: { id: ticketId, status: { in: openStatuses }, OR: [{ supervisedAt: null }, { supervisedAt: { lte: input.notSince } }] },
          data: { supervisedAt: at },
        })
        if (taken.count !== 1)
          return null
        return writeEvent(tx, ticketId, { type: 'supervised', note: input.note }, actor, at, outbox)
      }))
    },

    async listOverdue(at, { limit = 50 } = {}) {
      // The ids are sorted from the covering index on status, due time, department and id, then only those rows are
      // read. Asked for whole rows at once, PostgreSQL walks a department index through every ticket instead.
      const p = (n: number) => sqlPlaceholder(db.provider, n)
      const order = `ORDER BY "departmentId", "resolveDueAt", "id"`
      const rows = await prisma.$queryRawUnsafe<TicketRow[]>(
        `SELECT * FROM "Ticket" WHERE "id" IN (SELECT "id" FROM "Ticket" WHERE "status" IN (${openStatuses.map((_, i) => p(i + 3)).join(', ')})
         AND "resolveDueAt" < ${p(1)} ${order} LIMIT ${p(2)}) ${order}`,
        at,
        limit,
        ...openStatuses,
      )
      return rows.map(toTicket)
    },

    async listUnrated(before, { limit = 100 } = {}) {
      const rows = await prisma.ticket.findMany({
        where: { status: 'resolved', resolvedAt: { lte: before } },
        orderBy: [{ resolvedAt: 'asc' }, { id: 'asc' }],
        take: limit,
      })
      return rows.map(toTicket)
    },

    async requestExtension(ticketId, request, actor, outbox) {
      return withRetry(() => prisma.$transaction(async (tx) => {
        const at = now()
        const event = await tx.ticketEvent.create({
          data: {
            ticketId,
            type: 'extension_requested',
            actorId: BigInt(actor.id),
            actorRole: actor.role,
            note: request.note,
            data: eventData(request.data, actor),
            createdAt: at,
          },
        })
        const pending = await tx.ticket.updateMany({
          where: { id: ticketId, status: { in: openStatuses }, extensionRequestId: null },
          data: { extensionRequestId: event.id, updatedAt: at },
        })
        if (pending.count !== 1) {
          await tx.ticketEvent.delete({ where: { id: event.id } })
          return null
        }
        const ticket = toTicket(await tx.ticket.findUniqueOrThrow({ where: { id: ticketId } }))
        const applied = toTicketEvent(event)
        await enqueueDrafts(tx, outbox(ticket, applied, await followersIn(tx, ticketId)), at)
        return { ticket, event: applied }
      }))
    },

    async decideExtension(ticketId, decision, actor, outbox) {
      return withRetry(() => prisma.$transaction(async (tx) => {
        const at = now()
        const decided = await tx.ticket.updateMany({
          where: { id: ticketId, extensionRequestId: decision.requestId },
          data: {
            extensionRequestId: null,
            ...(decision.approve && decision.newDueAt ? { resolveDueAt: decision.newDueAt, chaseLevel: 0, extensionCount: { increment: 1 } } : {}),
          },
        })
        if (decided.count !== 1)
          return null
        return writeEvent(tx, ticketId, {
          type: decision.approve ? 'extension_approved' : 'extension_refused',
          note: null,
          data: { requestId: decision.requestId, ...(decision.approve && decision.newDueAt ? { resolveDueAt: decision.newDueAt.toISOString() } : {}) },
        }, actor, at, outbox)
      }))
    },

    async listOpen(departmentId, { limit = 20 } = {}) {
      const rows = await prisma.ticket.findMany({
        where: departmentId === null
          ? { status: 'needs_triage' }
          : { departmentId, status: { in: OPEN_STATUSES.filter(s => s !== 'needs_triage') } },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: limit,
      })
      return rows.map(toTicket)
    },

    async recordCard(ticketId, card) {
      const key = { ticketId_chatId: { ticketId, chatId: BigInt(card.chatId) } }
      await prisma.ticketCard.upsert({
        where: key,
        create: { ticketId, chatId: BigInt(card.chatId), messageId: card.messageId },
        update: { messageId: card.messageId },
      })
    },

    async listCards(ticketId) {
      const rows = await prisma.ticketCard.findMany({ where: { ticketId }, orderBy: { createdAt: 'asc' } })
      return rows.map(r => ({ chatId: Number(r.chatId), messageId: r.messageId }))
    },
  }
}

function eventData(data: Record<string, unknown>, actor: Actor): string | null {
  const withActor = actor.name ? { ...data, actorName: actor.name } : data
  return Object.keys(withActor).length > 0 ? JSON.stringify(withActor) : null
}

export function toStatus(value: string): TicketStatus {
  if ((TICKET_STATUSES as readonly string[]).includes(value))
    return value as TicketStatus
  throw new Error(`unknown ticket status in the store: ${value}`)
}

export function toTicket(row: TicketRow): Ticket {
  return {
    id: row.id,
    number: row.number,
    status: toStatus(row.status),
    reporterId: Number(row.reporterId),
    reporterName: row.reporterName,
    reporterLanguage: row.reporterLanguage,
    sourceChatId: Number(row.sourceChatId),
    sourceChatType: row.sourceChatType as ChatType,
    sourceMessageId: row.sourceMessageId,
    areaName: row.areaName,
    description: row.description,
    locationText: row.locationText,
    latitude: row.latitude,
    longitude: row.longitude,
    photoFileIds: JSON.parse(row.photoFileIds) as string[],
    contactAllowed: row.contactAllowed,
    contactPhone: row.contactPhone,
    replyPrivately: row.replyPrivately,
    categoryId: row.categoryId,
    departmentId: row.departmentId,
    urgency: row.urgency as Ticket['urgency'],
    requestType: row.requestType as Ticket['requestType'],
    summary: row.summary,
    extractedLocation: row.extractedLocation,
    confidence: row.confidence,
    classifier: row.classifier as Ticket['classifier'],
    classifierModel: row.classifierModel,
    promptVersion: row.promptVersion,
    classifierNote: row.classifierNote,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    acceptDueAt: row.acceptDueAt,
    resolveDueAt: row.resolveDueAt,
    chaseLevel: row.chaseLevel,
    acceptChaseLevel: row.acceptChaseLevel,
    supervisedAt: row.supervisedAt,
    extensionRequestId: row.extensionRequestId,
    resolvedAt: row.resolvedAt,
    followerCount: row.followerCount,
    mergedIntoId: row.mergedIntoId,
    statusBeforeMerge: row.statusBeforeMerge ? toStatus(row.statusBeforeMerge) : null,
  }
}

export function toTicketEvent(row: TicketEventRow): TicketEvent {
  return {
    id: row.id,
    ticketId: row.ticketId,
    type: row.type as TicketEventType,
    fromStatus: row.fromStatus ? toStatus(row.fromStatus) : null,
    toStatus: row.toStatus ? toStatus(row.toStatus) : null,
    actorId: Number(row.actorId),
    actorRole: row.actorRole as TicketEvent['actorRole'],
    note: row.note,
    data: row.data ? JSON.parse(row.data) as Record<string, unknown> : null,
    createdAt: row.createdAt,
  }
}
