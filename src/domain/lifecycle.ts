import type { ActorRole, TicketEventType, TicketStatus } from '#root/domain/ticket.js'
import { DomainError } from '#root/domain/errors.js'

/**
 * What a person can do to a ticket. Each action is one row of the transition table.
 * 交办 assign · 受理 accept · 承办 start · 办结 resolve · 退回 return · 转派 reassign · 不予受理 reject ·
 * 回访满意 close · 重办 reopen.
 */
export const TICKET_ACTIONS = ['assign', 'accept', 'start', 'resolve', 'return', 'reassign', 'reject', 'close', 'reopen'] as const
export type TicketAction = (typeof TICKET_ACTIONS)[number]

export interface TransitionRule {
  from: readonly TicketStatus[]
  to: TicketStatus
  /** A note is the reason or the answer: the reporter reads it. */
  needsNote: boolean
  /** The action moves the ticket to a (new) department. */
  needsDepartment: boolean
  roles: readonly ActorRole[]
}

const STAFF: readonly ActorRole[] = ['handler', 'admin']

export const TRANSITIONS: Readonly<Record<TicketAction, TransitionRule>> = {
  assign: { from: ['needs_triage'], to: 'assigned', needsNote: false, needsDepartment: true, roles: ['admin', 'system'] },
  accept: { from: ['assigned'], to: 'accepted', needsNote: false, needsDepartment: false, roles: STAFF },
  start: { from: ['assigned', 'accepted'], to: 'in_progress', needsNote: false, needsDepartment: false, roles: STAFF },
  resolve: { from: ['accepted', 'in_progress'], to: 'resolved', needsNote: true, needsDepartment: false, roles: STAFF },
  return: { from: ['assigned', 'accepted', 'in_progress'], to: 'needs_triage', needsNote: true, needsDepartment: false, roles: STAFF },
  reassign: { from: ['needs_triage', 'assigned', 'accepted', 'in_progress'], to: 'assigned', needsNote: true, needsDepartment: true, roles: STAFF },
  reject: { from: ['needs_triage', 'assigned', 'accepted'], to: 'rejected', needsNote: true, needsDepartment: false, roles: STAFF },
  close: { from: ['resolved'], to: 'closed', needsNote: false, needsDepartment: false, roles: ['reporter', 'admin', 'system'] },
  reopen: { from: ['resolved'], to: 'in_progress', needsNote: true, needsDepartment: false, roles: ['reporter', 'admin'] },
}

export interface TransitionRequest {
  status: TicketStatus
  departmentId: string | null
  action: TicketAction
  role: ActorRole
  note?: string | null
  departmentIdTo?: string | null
  /** Facts the event records besides the note, e.g. the reporter's satisfaction at follow-up. */
  details?: Record<string, unknown>
}

export interface PlannedTransition {
  from: TicketStatus
  to: TicketStatus
  eventType: TicketEventType
  note: string | null
  departmentIdTo: string | null
  details?: Record<string, unknown>
}

/** 回访: what the reporter says of a resolved ticket. Not satisfied reopens it for rework (重办). */
export const SATISFACTIONS = ['satisfied', 'partly_satisfied', 'not_satisfied'] as const
export type Satisfaction = (typeof SATISFACTIONS)[number]

/**
 * Decides whether an action may happen to a ticket in its current state, and what it changes.
 * Pure: the store applies the plan only if the ticket is still in `status` when it writes,
 * so that of two handlers pressing at once exactly one wins.
 */
export function planTransition(request: TransitionRequest): PlannedTransition {
  const rule = assertActionPossible(request)
  const note = request.note?.trim() || null
  const departmentIdTo = request.departmentIdTo ?? null
  if (rule.needsNote && !note)
    throw new DomainError('NOTE_REQUIRED', `${request.action} needs a note`, { action: request.action })
  if (rule.needsDepartment && !departmentIdTo)
    throw new DomainError('DEPARTMENT_REQUIRED', `${request.action} needs a department`, { action: request.action })
  if (request.action === 'reassign' && departmentIdTo === request.departmentId)
    throw new DomainError('SAME_DEPARTMENT', 'the ticket is already with that department', { departmentId: departmentIdTo })

  return {
    from: request.status,
    to: rule.to,
    eventType: rule.needsDepartment ? 'reassigned' : 'status_changed',
    note,
    departmentIdTo: rule.needsDepartment ? departmentIdTo : null,
    ...(request.details ? { details: request.details } : {}),
  }
}

/**
 * Whether this role may take this action in this status at all, before anyone is asked for a note or a department:
 * the check a button runs first. Returns the rule; throws the DomainError that explains a refusal.
 */
export function assertActionPossible(request: Pick<TransitionRequest, 'status' | 'action' | 'role'>): TransitionRule {
  const rule = TRANSITIONS[request.action]
  if (!rule.roles.includes(request.role))
    throw new DomainError('FORBIDDEN', `a ${request.role} may not ${request.action} a ticket`, { action: request.action })
  if (!rule.from.includes(request.status)) {
    // Pressing the same button twice lands here: say it is done already rather than "not allowed".
    const alreadyDone = request.status === rule.to && request.action !== 'reassign'
    throw new DomainError(
      alreadyDone ? 'ALREADY_DONE' : 'INVALID_TRANSITION',
      alreadyDone
        ? `the ticket is already ${request.status}`
        : `cannot ${request.action} a ticket that is ${request.status}`,
      { action: request.action, status: request.status },
    )
  }
  return rule
}

/** The actions a person in this role could take on a ticket in this status: what buttons to show. */
export function availableActions(status: TicketStatus, role: ActorRole): TicketAction[] {
  return TICKET_ACTIONS.filter(action => TRANSITIONS[action].from.includes(status) && TRANSITIONS[action].roles.includes(role))
}

/** The status a new ticket starts in: with a department when the classifier was sure enough, else in triage. */
export function initialStatus(departmentId: string | null, confidence: number, minConfidence: number): TicketStatus {
  return departmentId && confidence >= minConfidence ? 'assigned' : 'needs_triage'
}
