import type { RoutingExample } from '#root/classify/correction-memory.js'
import type { Database } from '#root/store/database.js'
import { withRetry } from '#root/store/retry.js'

/** A route a person decided for a ticket. */
export interface RoutingDecision {
  ticketId: number
  finalCategoryId: string
  finalDepartmentId: string
  /** The ticket action that decided it: `assign` from triage or `reassign`. */
  action: string
  actorId: number
}

export interface RoutingCorrectionStore {
  /**
   * Records a person's route beside the classifier's (read from the ticket and its `created` event). The first
   * decision for a ticket creates its row; later ones update the final route.
   */
  record: (decision: RoutingDecision) => Promise<void>
  /** Corrected reports with their final route, oldest first, at most `limit` (default 5,000) of the newest. */
  listExamples: (options?: { limit?: number }) => Promise<RoutingExample[]>
}

function parseCreatedData(data: string | null | undefined): { departmentId: string | null } {
  try {
    const parsed: unknown = JSON.parse(data ?? '{}')
    const departmentId = (parsed as { departmentId?: unknown }).departmentId
    return { departmentId: typeof departmentId === 'string' ? departmentId : null }
  }
  catch {
    return { departmentId: null }
  }
}

export function createRoutingCorrectionStore(db: Database): RoutingCorrectionStore {
  const { prisma } = db
  return {
    async record(decision) {
      await withRetry(() => prisma.$transaction(async (tx) => {
        const ticket = await tx.ticket.findUnique({
          where: { id: decision.ticketId },
          select: { classifier: true, categoryId: true, confidence: true },
        })
        if (!ticket)
          return
        const created = await tx.ticketEvent.findFirst({
          where: { ticketId: decision.ticketId, type: 'created' },
          select: { toStatus: true, data: true },
        })
        const classifiedDepartmentId = parseCreatedData(created?.data).departmentId
        const final = {
          finalCategoryId: decision.finalCategoryId,
          finalDepartmentId: decision.finalDepartmentId,
          overturned: decision.finalDepartmentId !== classifiedDepartmentId,
          action: decision.action,
          actorId: BigInt(decision.actorId),
        }
        await tx.routingCorrection.upsert({
          where: { ticketId: decision.ticketId },
          create: {
            ticketId: decision.ticketId,
            classifier: ticket.classifier,
            classifiedCategoryId: ticket.categoryId,
            classifiedDepartmentId,
            firstRouteAutomatic: created?.toStatus === 'assigned',
            ...final,
          },
          update: final,
        })
      }))
    },

    async listExamples({ limit = 5_000 } = {}) {
      const rows = await prisma.routingCorrection.findMany({
        orderBy: [{ updatedAt: 'desc' }, { ticketId: 'desc' }],
        take: limit,
        select: { finalCategoryId: true, finalDepartmentId: true, ticket: { select: { description: true } } },
      })
      return rows.reverse().map(row => ({
        text: row.ticket.description,
        categoryId: row.finalCategoryId,
        departmentId: row.finalDepartmentId,
      }))
    },
  }
}
