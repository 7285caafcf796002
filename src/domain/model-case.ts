import type { TicketStatus } from '#root/domain/ticket.js'

/**
 * 典型案例: a resolved ticket or a visit a supervisor holds up as an example in the bulletins, with a line of why.
 * A subject is marked once.
 */
export type ModelCaseKind = 'ticket' | 'visit'

/** Tickets that may be held up: only work that is done. */
export const MODEL_CASE_TICKET_STATUSES: readonly TicketStatus[] = ['resolved', 'closed']

/** The reason is one line for a bulletin, not an essay. */
export const MODEL_CASE_REASON_MAX = 200

export interface ModelCase {
  id: number
  kind: ModelCaseKind
  reason: string
  markedBy: number
  markedName: string
  markedAt: Date
  /** What a report shows of the subject: person's texts as stored; the view redacts them where it must. */
  subject: ModelCaseTicket | ModelCaseVisit
}

export interface ModelCaseTicket {
  kind: 'ticket'
  ticketId: number
  number: string
  summary: string
  departmentId: string | null
  areaName: string | null
  status: TicketStatus
}

export interface ModelCaseVisit {
  kind: 'visit'
  visitId: number
  areaId: string
  visitedOn: string
  heard: string
  cadreName: string
}
