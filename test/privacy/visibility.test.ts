import type { TicketVisibility, ViewPlace } from '#root/privacy/visibility.js'
import { PUBLIC_SUMMARY, ticketVisibility, visibleOriginal, visibleText } from '#root/privacy/visibility.js'
import { describe, expect, it } from 'vitest'

const FULL: TicketVisibility = { show: true, originalText: 'full', freeText: 'full', contact: true }
const HIDDEN: TicketVisibility = { show: false, originalText: 'hidden', freeText: 'redacted', contact: false }

describe('ticketVisibility: who sees what, written once', () => {
  it.each<[string, ViewPlace, TicketVisibility]>([
    ['a handler of the department, privately', { chat: 'private', viewer: 'handler' }, FULL],
    ['an admin, privately', { chat: 'private', viewer: 'admin' }, FULL],
    ['the reporter, privately', { chat: 'private', viewer: 'reporter' }, FULL],
    ['anyone else, privately', { chat: 'private', viewer: 'other' }, HIDDEN],
    ['the handlers\' group working it', { chat: 'handlers', viewer: 'other', workedHere: true }, { show: true, originalText: 'redacted', freeText: 'redacted', contact: true }],
    ['the admins\' group triaging it', { chat: 'admins', viewer: 'admin', workedHere: true }, { show: true, originalText: 'redacted', freeText: 'redacted', contact: true }],
    ['the handlers\' group it moved away from', { chat: 'handlers', viewer: 'other', workedBefore: true }, { show: true, originalText: 'redacted', freeText: 'redacted', contact: false }],
    ['another department\'s group, even asked by an admin', { chat: 'handlers', viewer: 'admin' }, HIDDEN],
    ['the residents\' group, the reporter\'s own ticket', { chat: 'residents', viewer: 'reporter' }, { show: true, originalText: 'hidden', freeText: 'redacted', contact: false }],
    ['the residents\' group, asked by a handler', { chat: 'residents', viewer: 'handler' }, HIDDEN],
    ['a group with no role, the reporter\'s own ticket', { chat: 'unbound_group', viewer: 'reporter' }, { show: true, originalText: 'hidden', freeText: 'redacted', contact: false }],
    ['a group with no role, asked by an admin', { chat: 'unbound_group', viewer: 'admin' }, HIDDEN],
  ])('%s', (_where, place, expected) => {
    expect(ticketVisibility(place)).toEqual(expected)
  })

  it('never shows contact data or unredacted text in any group', () => {
    for (const chat of ['residents', 'handlers', 'admins', 'unbound_group'] as const) {
      for (const viewer of ['reporter', 'handler', 'admin', 'other'] as const) {
        for (const workedHere of [true, false]) {
          const seen = ticketVisibility({ chat, viewer, workedHere, workedBefore: true })
          expect(seen.originalText).not.toBe('full')
          expect(seen.freeText).toBe('redacted')
          if (chat === 'residents' || chat === 'unbound_group')
            expect(seen.contact).toBe(false)
        }
      }
    }
  })

  it('applies to texts', () => {
    const group = ticketVisibility({ chat: 'residents', viewer: 'reporter' })
    expect(visibleText(group, '电话13812345678')).toBe('电话[手机号]')
    expect(visibleOriginal(group, '电话13812345678')).toBeNull()
    expect(visibleOriginal(ticketVisibility({ chat: 'handlers', viewer: 'other', workedHere: true }), '电话13812345678')).toBe('电话[手机号]')
    expect(visibleText(FULL, '电话13812345678')).toBe('电话13812345678')
  })
})

describe('someone else\'s ticket offered to join or listed as a hot problem', () => {
  it('shows no more than a residents\' group sees of its reporter\'s own ticket, anywhere: no original text, no contact, redacted', () => {
    expect(PUBLIC_SUMMARY).toEqual(ticketVisibility({ chat: 'residents', viewer: 'reporter' }))
    expect(visibleOriginal(PUBLIC_SUMMARY, '路灯坏了')).toBeNull()
    expect(visibleText(PUBLIC_SUMMARY, '路灯坏了，电话13812345678')).toBe('路灯坏了，电话[手机号]')
  })
})
