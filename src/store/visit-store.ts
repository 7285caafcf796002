import type { NewVisit, Visit, VisitGoal } from '#root/domain/visit.js'
import type { VisitProblem as VisitProblemRow, Visit as VisitRow } from '#root/generated/prisma-sqlite/client.js'
import type { Database } from '#root/store/database.js'
import { addVisit } from '#root/store/coverage-summary.js'
import { sqlPlaceholder } from '#root/store/sql-placeholder.js'

export interface VisitStore {
  /** Stores a visit with its problems in one transaction; idempotent by intake key (a press handled twice stores once). */
  create: (visit: NewVisit) => Promise<Visit>
  findById: (id: number) => Promise<Visit | null>
  /** Records the ticket a problem became; false when it already has one. */
  linkTicket: (problemId: number, ticketId: number) => Promise<boolean>
  listByCadre: (cadreId: number, limit?: number) => Promise<Visit[]>
  /** One row per problem heard (one per visit without problems), joined with its entity and ticket, for CSV export. */
  exportRows: (areaIds: readonly string[], period: { from: string, to: string }) => Promise<VisitExportRow[]>
}

export interface VisitExportRow {
  visitId: number
  visitedOn: string
  areaId: string
  cadreName: string
  entityName: string | null
  entityKind: string | null
  place: string | null
  metWith: string | null
  heard: string
  goals: string
  problem: string | null
  ticketNumber: string | null
  ticketStatus: string | null
}

export function createVisitStore(db: Database): VisitStore {
  const { prisma } = db
  const p = (n: number) => sqlPlaceholder(db.provider, n)
  return {
    async exportRows(areaIds, period) {
      if (areaIds.length === 0)
        return []
      const rows = await prisma.$queryRawUnsafe<(Omit<VisitExportRow, 'visitId'> & { visitId: unknown })[]>(
        `SELECT v."id" AS "visitId", v."visitedOn" AS "visitedOn", v."areaId" AS "areaId", v."cadreName" AS "cadreName",
           e."name" AS "entityName", e."kind" AS "entityKind", v."place" AS "place", v."metWith" AS "metWith",
           v."heard" AS "heard", v."goals" AS "goals", pr."text" AS "problem", t."number" AS "ticketNumber", t."status" AS "ticketStatus"
         FROM "Visit" v
         LEFT JOIN "RegistryEntity" e ON e."id" = v."entityId"
         LEFT JOIN "VisitProblem" pr ON pr."visitId" = v."id"
         LEFT JOIN "Ticket" t ON t."id" = pr."ticketId"
         WHERE v."visitedOn" >= ${p(1)} AND v."visitedOn" <= ${p(2)} AND v."areaId" IN (${areaIds.map((_, i) => p(i + 3)).join(', ')})
         ORDER BY v."visitedOn", v."id", pr."position"`,
        period.from,
        period.to,
        ...areaIds,
      )
      return rows.map(r => ({ ...r, visitId: Number(r.visitId) }))
    },
    async create(visit) {
      const { problems, ...fields } = visit
      const found = await prisma.visit.findUnique({ where: { intakeKey: visit.intakeKey }, include: { problems: true } })
      if (found)
        return toVisit(found)
      const row = await prisma.$transaction(async (tx) => {
        // Two visits of one entity at once must not both count it as newly visited (SQLite serialises writers).
        if (db.provider === 'postgresql' && fields.entityId !== null)
          await tx.$executeRawUnsafe(`SELECT 1 FROM "RegistryEntity" WHERE "id" = ${p(1)} FOR UPDATE`, fields.entityId)
        const created = await tx.visit.create({
          data: {
            ...fields,
            cadreId: BigInt(fields.cadreId),
            chatId: BigInt(fields.chatId),
            goals: JSON.stringify(fields.goals),
            problems: { create: problems.map((text, position) => ({ position, text })) },
          },
          include: { problems: true },
        })
        await addVisit(tx, db.provider, { entityId: fields.entityId, areaId: fields.areaId, visitedOn: fields.visitedOn, problems: problems.length })
        return created
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
    audioFileId: row.audioFileId,
    goals: JSON.parse(row.goals) as VisitGoal[],
    extractor: row.extractor,
    createdAt: row.createdAt,
    problems: [...row.problems].sort((a, b) => a.position - b.position).map(p => ({ id: p.id, position: p.position, text: p.text, ticketId: p.ticketId })),
  }
}
