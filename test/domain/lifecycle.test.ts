import type { TicketAction } from '#root/domain/lifecycle.js'
import type { ActorRole, TicketStatus } from '#root/domain/ticket.js'
import { DomainError } from '#root/domain/errors.js'
import { availableActions, initialStatus, planTransition, TICKET_ACTIONS } from '#root/domain/lifecycle.js'
import { TICKET_STATUSES } from '#root/domain/ticket.js'
import { describe, expect, it } from 'vitest'

// The lifecycle as the 12345 workflow describes it, written out by hand so the test does not restate the table.
// Row: status; column: action; cell: the status after it, or '-' where the action is not allowed.
const EXPECTED: Record<TicketStatus, Record<TicketAction, TicketStatus | '-'>> = {
  needs_triage: { assign: 'assigned', accept: '-', start: '-', resolve: '-', return: '-', reassign: 'assigned', reject: 'rejected', close: '-', reopen: '-' },
  assigned: { assign: '-', accept: 'accepted', start: 'in_progress', resolve: '-', return: 'needs_triage', reassign: 'assigned', reject: 'rejected', close: '-', reopen: '-' },
  accepted: { assign: '-', accept: '-', start: 'in_progress', resolve: 'resolved', return: 'needs_triage', reassign: 'assigned', reject: 'rejected', close: '-', reopen: '-' },
  in_progress: { assign: '-', accept: '-', start: '-', resolve: 'resolved', return: 'needs_triage', reassign: 'assigned', reject: '-', close: '-', reopen: '-' },
  resolved: { assign: '-', accept: '-', start: '-', resolve: '-', return: '-', reassign: '-', reject: '-', close: 'closed', reopen: 'in_progress' },
  closed: { assign: '-', accept: '-', start: '-', resolve: '-', return: '-', reassign: '-', reject: '-', close: '-', reopen: '-' },
  rejected: { assign: '-', accept: '-', start: '-', resolve: '-', return: '-', reassign: '-', reject: '-', close: '-', reopen: '-' },
  // Merged (并案) ends a ticket into another by /merge, outside the handlers' buttons; a split restores it.
  merged: { assign: '-', accept: '-', start: '-', resolve: '-', return: '-', reassign: '-', reject: '-', close: '-', reopen: '-' },
}

const ROLE_FOR: Record<TicketAction, ActorRole> = {
  assign: 'admin',
  accept: 'handler',
  start: 'handler',
  resolve: 'handler',
  return: 'handler',
  reassign: 'handler',
  reject: 'handler',
  close: 'reporter',
  reopen: 'reporter',
}

function codeOf(fn: () => unknown): string | null {
  try {
    fn()
    return null
  }
  catch (error) {
    expect(error).toBeInstanceOf(DomainError)
    return (error as DomainError).code
  }
}

describe('planTransition, every status × every action', () => {
  for (const status of TICKET_STATUSES) {
    for (const action of TICKET_ACTIONS) {
      const expected = EXPECTED[status][action]
      it(`${action} on ${status} → ${expected}`, () => {
        const request = { status, departmentId: 'housing', action, role: ROLE_FOR[action], note: 'reason', departmentIdTo: 'transport' }
        if (expected === '-') {
          expect(['INVALID_TRANSITION', 'ALREADY_DONE']).toContain(codeOf(() => planTransition(request)))
        }
        else {
          const plan = planTransition(request)
          expect(plan.from).toBe(status)
          expect(plan.to).toBe(expected)
        }
      })
    }
  }
})

describe('planTransition rules', () => {
  it('says a repeated press is already done, not forbidden', () => {
    expect(codeOf(() => planTransition({ status: 'accepted', departmentId: 'x', action: 'accept', role: 'handler' }))).toBe('ALREADY_DONE')
    expect(codeOf(() => planTransition({ status: 'resolved', departmentId: 'x', action: 'resolve', role: 'handler', note: 'ok' }))).toBe('ALREADY_DONE')
  })

  it('refuses to resolve a rejected ticket', () => {
    expect(codeOf(() => planTransition({ status: 'rejected', departmentId: 'x', action: 'resolve', role: 'handler', note: 'done' }))).toBe('INVALID_TRANSITION')
  })

  it('needs a note to resolve, return, reassign, reject and reopen', () => {
    const needs: [TicketAction, TicketStatus][] = [['resolve', 'in_progress'], ['return', 'assigned'], ['reassign', 'assigned'], ['reject', 'assigned'], ['reopen', 'resolved']]
    for (const [action, status] of needs) {
      expect(codeOf(() => planTransition({ status, departmentId: 'a', action, role: ROLE_FOR[action], note: '   ', departmentIdTo: 'b' }))).toBe('NOTE_REQUIRED')
    }
  })

  it('needs a different department to reassign, and records it', () => {
    expect(codeOf(() => planTransition({ status: 'assigned', departmentId: 'a', action: 'reassign', role: 'handler', note: 'wrong unit' }))).toBe('DEPARTMENT_REQUIRED')
    expect(codeOf(() => planTransition({ status: 'assigned', departmentId: 'a', action: 'reassign', role: 'handler', note: 'x', departmentIdTo: 'a' }))).toBe('SAME_DEPARTMENT')
    const plan = planTransition({ status: 'assigned', departmentId: 'a', action: 'reassign', role: 'handler', note: '属地不符', departmentIdTo: 'b' })
    expect(plan).toEqual({ from: 'assigned', to: 'assigned', eventType: 'reassigned', note: '属地不符', departmentIdTo: 'b' })
  })

  it('keeps residents and handlers to their own actions', () => {
    expect(codeOf(() => planTransition({ status: 'assigned', departmentId: 'a', action: 'accept', role: 'reporter' }))).toBe('FORBIDDEN')
    expect(codeOf(() => planTransition({ status: 'resolved', departmentId: 'a', action: 'close', role: 'handler' }))).toBe('FORBIDDEN')
  })

  it('trims notes and drops the department on actions that do not move the ticket', () => {
    const plan = planTransition({ status: 'in_progress', departmentId: 'a', action: 'resolve', role: 'handler', note: '  已修复路灯 ', departmentIdTo: 'b' })
    expect(plan.note).toBe('已修复路灯')
    expect(plan.departmentIdTo).toBeNull()
    expect(plan.eventType).toBe('status_changed')
  })
})

describe('availableActions', () => {
  it('offers a handler the buttons of the current status', () => {
    expect(availableActions('assigned', 'handler')).toEqual(['accept', 'start', 'return', 'reassign', 'reject'])
    expect(availableActions('in_progress', 'handler')).toEqual(['resolve', 'return', 'reassign'])
    expect(availableActions('closed', 'handler')).toEqual([])
    expect(availableActions('resolved', 'reporter')).toEqual(['close', 'reopen'])
  })
})

describe('initialStatus', () => {
  it('assigns when a department is known and the classifier is confident, else triage', () => {
    expect(initialStatus('housing', 0.8, 0.5)).toBe('assigned')
    expect(initialStatus('housing', 0.3, 0.5)).toBe('needs_triage')
    expect(initialStatus(null, 0.9, 0.5)).toBe('needs_triage')
  })
})
