import type { I18nFlavor } from '@grammyjs/i18n'
import { FormattedString, fmt } from '@grammyjs/parse-mode'
import type { Catalog } from '#root/domain/catalog.js'
import type { Ticket, TicketEvent } from '#root/domain/ticket.js'
import { categoryName, departmentName } from '#root/bot/helpers/names.js'
import type { Locale } from '#root/bot/helpers/names.js'

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

export interface TicketViewOptions {
  t: I18nFlavor['t']
  catalog: Catalog
  timezone: string
  locale: Locale
  /** Contact data appears only where no one else can read it: the reporter's private chat. */
  showContact: boolean
}

/** A resident's view of their ticket: status, classification, times and what happened so far. */
export function ticketStatusView(ticket: Ticket, events: TicketEvent[], options: TicketViewOptions): FormattedString {
  const { t, catalog, timezone, locale } = options
  const lines: string[] = [
    t('status-line-status', { status: t(`ticket-status-${ticket.status}`) }),
    t('status-line-category', {
      category: categoryName(catalog, ticket.categoryId, locale),
      department: departmentName(catalog, ticket.departmentId, locale),
    }),
    `${t('report-summary-description')} ${ticket.summary}`,
    ...(ticket.locationText ? [`${t('report-summary-location')} ${ticket.locationText}`] : []),
    ...(options.showContact && ticket.contactAllowed && ticket.contactPhone
      ? [t('report-summary-contact-phone', { phone: ticket.contactPhone })]
      : []),
    t('status-line-created', { time: formatTime(ticket.createdAt, timezone, locale) }),
    t('status-line-updated', { time: formatTime(ticket.updatedAt, timezone, locale) }),
  ]
  const history = events.map((event) => {
    const status = event.toStatus ? t(`ticket-status-${event.toStatus}`) : ''
    const note = event.note ? ` — ${event.note}` : ''
    return `· ${formatTime(event.createdAt, timezone, locale)} ${status}${note}`
  })
  return fmt`${FormattedString.bold(t('status-title', { number: ticket.number }))}
${lines.join('\n')}

${FormattedString.bold(t('status-history'))}
${history.join('\n')}`
}
