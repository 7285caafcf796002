import type { ModelCase, ModelCaseKind } from '#root/domain/model-case.js'
import type { Actor, TicketStatus } from '#root/domain/ticket.js'
import type { Database } from '#root/store/database.js'
import { DomainError } from '#root/domain/errors.js'
import { MODEL_CASE_TICKET_STATUSES } from '#root/domain/model-case.js'

export interface MarkModelCase {
  reason: string
  actor: Actor & { name: string }
  at: Date
}

export interface ModelCaseStore {
  /**
   * Marks a resolved or closed ticket as a model case, with a 'model_case' event on its history, in one transaction.
   * Throws DomainError NOT_FOUND, INVALID_TRANSITION (not resolved) or ALREADY_DONE (marked before).
   */
  markTicket: (ticketId: number, input: MarkModelCase) => Promise<ModelCase>
  /** Marks a saved visit as a model case. Throws DomainError NOT_FOUND or ALREADY_DONE. */
  markVisit: (visitId: number, input: MarkModelCase) => Promise<ModelCase>
  /** The model case of a subject, if marked. */
  find: (kind: ModelCaseKind, id: number) => Promise<ModelCase | null>
  /** The cases marked in `[from, to)`, oldest first. */
  listMarked: (range: { from: Date, to: Date }) => Promise<ModelCase[]>
}

type ModelCaseRow = Awaited<ReturnType<Database['prisma']['modelCase']['create']>>

export function createModelCaseStore(db: Database): ModelCaseStore {
  const { prisma } = db

  async function withSubjects(rows: ModelCaseRow[]): Promise<ModelCase[]> {
    const ticketIds = rows.flatMap(r => r.ticketId === null ? [] : [r.ticketId])
    const visitIds = rows.flatMap(r => r.visitId === null ? [] : [r.visitId])
    const [tickets, visits] = await Promise.all([
      ticketIds.length === 0
        ? []
        : prisma.ticket.findMany({
            where: { id: { in: ticketIds } },
            select: { id: true, number: true, summary: true, departmentId: true, areaName: true, status: true },
          }),
      visitIds.length === 0
        ? []
        : prisma.visit.findMany({
            where: { id: { in: visitIds } },
            select: { id: true, areaId: true, visitedOn: true, heard: true, cadreName: true },
          }),
    ])
    const ticketById = new Map(tickets.map(t => [t.id, t]))
    const visitById = new Map(visits.map(v => [v.id, v]))
    return rows.flatMap((row): ModelCase[] => {
      const base = { id: row.id, reason: row.reason, markedBy: Number(row.markedBy), markedName: row.markedName, markedAt: row.markedAt }
      if (row.ticketId !== null) {
        const t = ticketById.get(row.ticketId)
        // A ticket deleted since leaves nothing to show.
        return t
          ? [{ ...base, kind: 'ticket', subject: { kind: 'ticket', ticketId: t.id, number: t.number, summary: t.summary, departmentId: t.departmentId, areaName: t.areaName, status: t.status as TicketStatus } }]
          : []
      }
      const v = row.visitId === null ? undefined : visitById.get(row.visitId)
      return v
        ? [{ ...base, kind: 'visit', subject: { kind: 'visit', visitId: v.id, areaId: v.areaId, visitedOn: v.visitedOn, heard: v.heard, cadreName: v.cadreName } }]
        : []
    })
  }

  async function one(row: ModelCaseRow): Promise<ModelCase> {
    const [found] = await withSubjects([row])
    if (!found)
      throw new DomainError('NOT_FOUND', 'the model case\'s subject is gone')
    return found
  }

  function alreadyMarked(error: unknown): boolean {
    return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002'
  }

  return {
    async markTicket(ticketId, { reason, actor, at }) {
      let row: ModelCaseRow
      try {
        row = await prisma.$transaction(async (tx) => {
          const ticket = await tx.ticket.findUnique({ where: { id: ticketId }, select: { status: true } })
          if (!ticket)
            throw new DomainError('NOT_FOUND', `no ticket ${ticketId}`)
          if (await tx.modelCase.findUnique({ where: { ticketId } }))
            throw new DomainError('ALREADY_DONE', 'the ticket is a model case already')
          // The status is checked where it is written: a ticket reopened meanwhile is not marked.
          const touched = await tx.ticket.updateMany({
            where: { id: ticketId, status: { in: [...MODEL_CASE_TICKET_STATUSES] } },
            data: { updatedAt: at },
          })
          if (touched.count === 0)
            throw new DomainError('INVALID_TRANSITION', 'only a resolved or closed ticket can be a model case', { status: ticket.status })
          const created = await tx.modelCase.create({
            data: { kind: 'ticket', ticketId, reason, markedBy: BigInt(actor.id), markedName: actor.name, markedAt: at },
          })
          await tx.ticketEvent.create({
            data: {
              ticketId,
              type: 'model_case',
              actorId: BigInt(actor.id),
              actorRole: actor.role,
              note: reason,
              data: JSON.stringify({ modelCaseId: created.id, actorName: actor.name }),
              createdAt: at,
            },
          })
          return created
        })
      }
      catch (error) {
        if (alreadyMarked(error))
          throw new DomainError('ALREADY_DONE', 'the ticket is a model case already')
        throw error
      }
      return one(row)
    },

    async markVisit(visitId, { reason, actor, at }) {
      if (!await prisma.visit.findUnique({ where: { id: visitId }, select: { id: true } }))
        throw new DomainError('NOT_FOUND', `no visit ${visitId}`)
      let row: ModelCaseRow
      try {
        row = await prisma.modelCase.create({
          data: { kind: 'visit', visitId, reason, markedBy: BigInt(actor.id), markedName: actor.name, markedAt: at },
        })
      }
      catch (error) {
        if (alreadyMarked(error))
          throw new DomainError('ALREADY_DONE', 'the visit is a model case already')
        throw error
      }
      return one(row)
    },

    async find(kind, id) {
      const row = await prisma.modelCase.findUnique({ where: kind === 'ticket' ? { ticketId: id } : { visitId: id } })
      return row ? (await withSubjects([row]))[0] ?? null : null
    },

    async listMarked({ from, to }) {
      const rows = await prisma.modelCase.findMany({ where: { markedAt: { gte: from, lt: to } }, orderBy: [{ markedAt: 'asc' }, { id: 'asc' }] })
      return withSubjects(rows)
    },
  }
}
