import type { PlannedTransition } from '#root/domain/lifecycle.js'
import type { OutboxDraft } from '#root/domain/outbox.js'
import type { Actor, ChatType, Report, Ticket, TicketClassification, TicketEvent, TicketEventType, TicketStatus } from '#root/domain/ticket.js'
import type { TicketEvent as TicketEventRow, Ticket as TicketRow } from '#root/generated/prisma-sqlite/client.js'
import type { Database } from '#root/store/database.js'
import { DomainError } from '#root/domain/errors.js'
import { formatTicketNumber, ticketDay } from '#root/domain/ticket-number.js'
import { OPEN_STATUSES, TICKET_STATUSES } from '#root/domain/ticket.js'
import { enqueueDrafts } from '#root/store/outbox-store.js'
import { withRetry } from '#root/store/retry.js'

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

/** Messages a change causes, rendered from the changed ticket and its event, queued in the change's transaction. */
export type OutboxForChange = (ticket: Ticket, event: TicketEvent) => OutboxDraft[]

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
}

export function createTicketStore(db: Database, options: { timezone: string, now?: () => Date }): TicketStore {
  const { prisma } = db
  const now = options.now ?? (() => new Date())

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
            ...(plan.departmentIdTo ? { departmentId: plan.departmentIdTo } : {}),
          },
        })
        if (moved.count !== 1) {
          const current = await tx.ticket.findUnique({ where: { id: ticketId }, select: { status: true } })
          if (!current)
            throw new DomainError('NOT_FOUND', `ticket ${ticketId} does not exist`)
          throw new DomainError('CONFLICT', `the ticket changed to ${current.status} first`, { status: current.status })
        }
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
          await enqueueDrafts(tx, outbox(ticket, applied), at)
        return { ticket, event: applied }
      }))
    },

    async addEvent(ticketId, input, actor, outbox) {
      return withRetry(() => prisma.$transaction(async (tx) => {
        const at = now()
        const row = await tx.ticket.findUnique({ where: { id: ticketId } })
        if (!row)
          throw new DomainError('NOT_FOUND', `ticket ${ticketId} does not exist`)
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
          await enqueueDrafts(tx, outbox(ticket, event), at)
        return { ticket, event }
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

function toStatus(value: string): TicketStatus {
  if ((TICKET_STATUSES as readonly string[]).includes(value))
    return value as TicketStatus
  throw new Error(`unknown ticket status in the store: ${value}`)
}

function toTicket(row: TicketRow): Ticket {
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
  }
}

function toTicketEvent(row: TicketEventRow): TicketEvent {
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
