import { formatTicketNumber, parseTicketNumber, ticketDay } from '#root/domain/ticket-number.js'
import { describe, expect, it } from 'vitest'

describe('ticket numbers', () => {
  it('uses the local day of the deployment', () => {
    // 2026-11-25 20:30 UTC is already the 26th in Shanghai.
    const at = new Date('2026-11-25T20:30:00Z')
    expect(ticketDay(at, 'Asia/Shanghai')).toBe('20261126')
    expect(ticketDay(at, 'UTC')).toBe('20261125')
  })

  it('pads the sequence to four digits and grows past it', () => {
    expect(formatTicketNumber('20261126', 1)).toBe('HY-20261126-0001')
    expect(formatTicketNumber('20261126', 12345)).toBe('HY-20261126-12345')
  })

  it('reads numbers as residents type them', () => {
    expect(parseTicketNumber('HY-20261126-0001')).toBe('HY-20261126-0001')
    expect(parseTicketNumber(' hy-20261126-0001 ')).toBe('HY-20261126-0001')
    expect(parseTicketNumber('ＨＹ－２０２６１１２６－０００１')).toBe('HY-20261126-0001')
    expect(parseTicketNumber('hy202611260001')).toBe('HY-20261126-0001')
    expect(parseTicketNumber('HY 20261126 0001')).toBe('HY-20261126-0001')
  })

  it('rejects what is not a ticket number', () => {
    expect(parseTicketNumber('')).toBeNull()
    expect(parseTicketNumber('20261126-0001')).toBeNull()
    expect(parseTicketNumber('HY-2026112-0001')).toBeNull()
    expect(parseTicketNumber('HY-20261126-01')).toBeNull()
  })
})
