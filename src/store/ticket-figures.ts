import type { PlannedTransition } from '#root/domain/lifecycle.js'
import type { TicketStatus } from '#root/domain/ticket.js'
import type { PrismaClient } from '#root/store/database.js'

/**
 * The figure columns of a ticket (first acceptance and resolution, overdue, rework, follow-up), written inside the
 * transaction of the change that sets them: reports read them instead of grouping the event history.
 */

type Transaction = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0]

/** A handler takes a ticket on by accepting it or by starting on it straight away: whichever comes first. */
const ACCEPTING: readonly TicketStatus[] = ['accepted', 'in_progress']

/** The figure columns of a new ticket. */
export function creationFigures(status: TicketStatus, districtId: string | null): { districtId: string | null, autoRouted: boolean } {
  return { districtId, autoRouted: status === 'assigned' }
}

/** Sets what a status change decides: each "first" instant only once, counts by one. */
export async function recordTransitionFigures(tx: Transaction, ticketId: number, plan: PlannedTransition, at: Date): Promise<void> {
  if (ACCEPTING.includes(plan.to))
    await tx.ticket.updateMany({ where: { id: ticketId, firstAcceptedAt: null }, data: { firstAcceptedAt: at } })
  if (plan.to === 'resolved') {
    await tx.ticket.updateMany({ where: { id: ticketId, firstResolvedAt: null }, data: { firstResolvedAt: at } })
    // Resolved after the deadline with no 催办 step taken (the scheduler was down): it went overdue at the deadline.
    const due = await tx.ticket.findUnique({ where: { id: ticketId }, select: { resolveDueAt: true, overdueAt: true } })
    if (due?.resolveDueAt && !due.overdueAt && due.resolveDueAt < at)
      await tx.ticket.update({ where: { id: ticketId }, data: { overdueAt: due.resolveDueAt } })
  }
  if (plan.from !== 'resolved')
    return
  const satisfaction = typeof plan.details?.satisfaction === 'string' ? plan.details.satisfaction : null
  await tx.ticket.update({
    where: { id: ticketId },
    data: {
      ...(plan.to === 'closed' ? { closedAt: at } : { reworkCount: { increment: 1 } }),
      ...(satisfaction ? { satisfaction, ratedAt: at } : {}),
    },
  })
}

/** A chase step taken once the completion deadline has passed: the ticket went overdue at that deadline. */
export async function recordChaseFigures(tx: Transaction, ticketId: number, dueAt: Date, at: Date): Promise<void> {
  if (dueAt <= at)
    await tx.ticket.updateMany({ where: { id: ticketId, overdueAt: null }, data: { overdueAt: dueAt } })
}
