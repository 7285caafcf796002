import type { Locale } from '#root/bot/helpers/names.js'
import type { Catalog } from '#root/domain/catalog.js'
import type { Ticket, TicketEvent } from '#root/domain/ticket.js'
import type { TicketVisibility } from '#root/privacy/visibility.js'
import type { I18nFlavor } from '@grammyjs/i18n'
import { categoryName, departmentName } from '#root/bot/helpers/names.js'
import { timeLeft } from '#root/domain/deadlines.js'
import { fitLatestLines, fitText, MESSAGE_LIMIT } from '#root/domain/message-length.js'
import { isOpen } from '#root/domain/ticket.js'
import { visibleText } from '#root/privacy/visibility.js'
import { fmt, FormattedString } from '@grammyjs/parse-mode'

export function formatTime(at: Date, timezone: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(at)
}

/**
 * The time limits of an open ticket with the time left ("剩余 2天3小时") or how long it is overdue: acceptance while
 * it waits to be accepted, and completion. Empty for a ticket without them, or no longer open.
 */
export function dueLines(t: (key: string, variables?: Record<string, string | number>) => string, ticket: Ticket, now: Date, timezone: string, locale: Locale): string[] {
  if (!isOpen(ticket.status))
    return []
  const lines: string[] = []
  if (ticket.status === 'assigned' && ticket.acceptDueAt) {
    const accept = timeLeft(ticket.acceptDueAt, now)
    lines.push(t(accept.overdue ? 'due-line-accept-overdue' : 'due-line-accept', { due: formatTime(ticket.acceptDueAt, timezone, locale), span: span(t, accept) }))
  }
  if (ticket.resolveDueAt) {
    const left = timeLeft(ticket.resolveDueAt, now)
    lines.push(t(left.overdue ? 'due-line-overdue' : 'due-line', { due: formatTime(ticket.resolveDueAt, timezone, locale), span: span(t, left) }))
  }
  return lines
}

function span(t: (key: string, variables?: Record<string, string | number>) => string, left: ReturnType<typeof timeLeft>): string {
  return left.days > 0
    ? t('due-span-days', { days: left.days, hours: left.hours })
    : t('due-span-hours', { hours: left.hours, minutes: left.minutes })
}

export interface TicketViewOptions {
  t: I18nFlavor['t']
  catalog: Catalog
  timezone: string
  locale: Locale
  /** What this chat may see (`src/privacy/visibility.ts`): contact data and unredacted text only privately. */
  visibility: TicketVisibility
  /** The time the time left is counted from; now by default. */
  now?: Date
}

/**
 * A resident's view of their ticket: status, classification, times and what happened so far. It always fits in one
 * message: a long history keeps its latest entries and says how many earlier ones are left out.
 */
export function ticketStatusView(ticket: Ticket, events: TicketEvent[], options: TicketViewOptions): FormattedString {
  const { t, catalog, timezone, locale, visibility } = options
  const lines: string[] = [
    t('status-line-status', { status: t(`ticket-status-${ticket.status}`) }),
    t('status-line-category', {
      category: categoryName(catalog, ticket.categoryId, locale),
      department: departmentName(catalog, ticket.departmentId, locale),
    }),
    `${t('report-summary-description')} ${fitText(visibleText(visibility, ticket.summary), 200)}`,
    ...(ticket.locationText ? [`${t('report-summary-location')} ${fitText(visibleText(visibility, ticket.locationText), 200)}`] : []),
    ...(visibility.contact && ticket.contactAllowed && ticket.contactPhone
      ? [t('report-summary-contact-phone', { phone: ticket.contactPhone })]
      : []),
    t('status-line-created', { time: formatTime(ticket.createdAt, timezone, locale) }),
    t('status-line-updated', { time: formatTime(ticket.updatedAt, timezone, locale) }),
  ]
  lines.push(...dueLines(t, ticket, options.now ?? new Date(), timezone, locale))
  const title = t('status-title', { number: ticket.number })
  const heading = t('status-history')
  // What went wrong delivering messages, and a supervisor's words to the handlers (督办), are the handlers' business,
  // not the resident's history.
  const entries = events.filter(event => event.type !== 'delivery_failed' && event.type !== 'supervised').map((event) => {
    const status = event.toStatus ? t(`ticket-status-${event.toStatus}`) : ''
    const note = event.note ? ` — ${visibleText(visibility, event.note)}` : ''
    return `· ${formatTime(event.createdAt, timezone, locale)} ${status}${note}`
  })
  const budget = MESSAGE_LIMIT - title.length - lines.join('\n').length - heading.length - 4
  const history = fitLatestLines(entries, budget, count => t('history-earlier', { count }))
  return fmt`${FormattedString.bold(title)}
${lines.join('\n')}

${FormattedString.bold(heading)}
${history.join('\n')}`
}
