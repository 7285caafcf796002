/**
 * Human-readable ticket numbers: HY-<local date>-<sequence of the day>, e.g. HY-20261126-0001.
 * The day is the deployment's local day, because that is the date residents and handlers see.
 */
const dayFormats = new Map<string, Intl.DateTimeFormat>()

export function ticketDay(at: Date, timezone: string): string {
  let format = dayFormats.get(timezone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' })
    dayFormats.set(timezone, format)
  }
  const parts = format.formatToParts(at)
  const get = (type: string) => parts.find(p => p.type === type)?.value ?? ''
  return `${get('year')}${get('month')}${get('day')}`
}

export function formatTicketNumber(day: string, sequence: number): string {
  return `HY-${day}-${String(sequence).padStart(4, '0')}`
}

/** Reads a ticket number as residents type it: any case, full-width characters, spaces or no dashes. */
export function parseTicketNumber(input: string): string | null {
  const normalized = input
    .normalize('NFKC')
    .trim()
    .toUpperCase()
    .replace(/[\s_—–]+/g, '-')
  const compact = normalized.replace(/-/g, '')
  const match = /^HY(\d{8})(\d{4,})$/.exec(compact)
  return match ? `HY-${match[1]}-${match[2]}` : null
}
