import type { NewVisit, Visit, VisitGoal } from '#root/domain/visit.js'
import type { Database } from '#root/store/database.js'
import type { Visit as VisitRow, VisitProblem as VisitProblemRow } from '#root/generated/prisma-sqlite/client.js'

export interface VisitStore {
  /** Stores a visit with its problems in one transaction; idempotent by intake key (a press handled twice stores once). */
  create(visit: NewVisit): Promise<Visit>
  findById(id: number): Promise<Visit | null>
  /** Records the ticket a problem became; false when it already has one. */
  linkTicket(problemId: number, ticketId: number): Promise<boolean>
  listByCadre(cadreId: number, limit?: number): Promise<Visit[]>
}

export function createVisitStore(db: Database): VisitStore {
  const { prisma } = db
  return {
    async create(visit) {
      const { problems, ...fields } = visit
      const found = await prisma.visit.findUnique({ where: { intakeKey: visit.intakeKey }, include: { problems: true } })
      if (found)
        return toVisit(found)
      const row = await prisma.visit.create({
        data: {
          ...fields,
          cadreId: BigInt(fields.cadreId),
          chatId: BigInt(fields.chatId),
          goals: JSON.stringify(fields.goals),
          problems: { create: problems.map((text, position) => ({ position, text })) },
        },
        include: { problems: true },
      })
      return toVisit(row)
    },
    async findById(id) {
      const row = await prisma.visit.findUnique({ where: { id }, include: { problems: true } })
      return row ? toVisit(row) : null
    },
    async linkTicket(problemId, ticketId) {
      const updated = await prisma.visitProblem.updateMany({ where: { id: problemId, ticketId: null }, data: { ticketId } })
      return updated.count > 0
    },
    async listByCadre(cadreId, limit = 10) {
      const rows = await prisma.visit.findMany({
        where: { cadreId: BigInt(cadreId) },
        include: { problems: true },
        orderBy: { id: 'desc' },
        take: limit,
      })
      return rows.map(toVisit)
    },
  }
}

function toVisit(row: VisitRow & { problems: VisitProblemRow[] }): Visit {
  return {
    id: row.id,
    intakeKey: row.intakeKey,
    entityId: row.entityId,
    areaId: row.areaId,
    cadreId: Number(row.cadreId),
    cadreName: row.cadreName,
    chatId: Number(row.chatId),
    chatType: row.chatType,
    messageId: row.messageId,
    visitedOn: row.visitedOn,
    place: row.place,
    metWith: row.metWith,
    heard: row.heard,
    note: row.note,
    goals: JSON.parse(row.goals) as VisitGoal[],
    extractor: row.extractor,
    createdAt: row.createdAt,
    problems: [...row.problems].sort((a, b) => a.position - b.position).map(p => ({ id: p.id, position: p.position, text: p.text, ticketId: p.ticketId })),
  }
}
