import type { OutboxMessage } from '#root/domain/outbox.js'
import type { Ticket, TicketEvent } from '#root/domain/ticket.js'
import type { TicketVisibility } from '#root/privacy/visibility.js'
import { fileURLToPath } from 'node:url'
import { renderCard } from '#root/bot/helpers/ticket-card.js'
import { createI18n } from '#root/bot/i18n.js'
import { loadCatalogFile } from '#root/catalog/catalog-file.js'
import { ticketVisibility } from '#root/privacy/visibility.js'
import { describe, expect, it } from 'vitest'
import { sampleClassification, sampleReport } from '../../helpers/fixtures.js'

const i18n = createI18n()
const catalog = await loadCatalogFile(fileURLToPath(new URL('../../../prisma/catalog.json', import.meta.url)))

/** The longest card the bot can be asked to render: every part a person writes at its limit, in emoji. */
function worstCase(): { ticket: Ticket, events: TicketEvent[], outbox: OutboxMessage[] } {
  const long = (length: number) => '🚧'.repeat(length / 2)
  const ticket: Ticket = {
    ...sampleReport({ description: long(3000), locationText: long(3000), areaName: long(200), reporterName: long(64), contactAllowed: true, contactPhone: '13812345678', photoFileIds: ['a', 'b', 'c', 'd', 'e'], latitude: 31.3, longitude: 120.7 }),
    ...sampleClassification({ summary: long(80) }),
    id: 1,
    number: 'HY-20261126-0001',
    status: 'in_progress',
    createdAt: new Date('2026-11-26T08:00:00Z'),
    updatedAt: new Date('2026-11-26T09:00:00Z'),
  }
  const events: TicketEvent[] = [{
    id: 2,
    ticketId: 1,
    type: 'note',
    fromStatus: null,
    toStatus: null,
    actorId: 9,
    actorRole: 'handler',
    note: long(1000),
    data: { actorName: long(64) },
    createdAt: new Date('2026-11-26T09:00:00Z'),
  }]
  const failed = { id: 3, dedupKey: 'k', ticketId: 1, chatId: 5, payload: { kind: 'message' as const, text: 'x' }, status: 'failed' as const, attempts: 1, nextAttemptAt: new Date(), lastError: null, failReason: 'blocked', sentMessageId: null, createdAt: new Date(), sentAt: null }
  return { ticket, events, outbox: [failed] }
}

describe('renderCard', () => {
  it.each<[string, TicketVisibility]>([
    ['privately', ticketVisibility({ chat: 'private', viewer: 'admin' })],
    ['in the handlers\' group', ticketVisibility({ chat: 'handlers', viewer: 'other', workedHere: true })],
  ])('fits in one Telegram message at worst (%s)', (_where, visibility) => {
    const card = renderCard({ ...worstCase(), binding: null, catalog, timezone: 'Asia/Shanghai', translate: (l, k, v) => i18n.t(l, k, v), visibility })
    expect(card.text.length).toBeLessThanOrEqual(4096)
    expect(card.text).toContain('原文')
    for (const entity of card.entities)
      expect(entity.offset + entity.length).toBeLessThanOrEqual(card.text.length)
  })

  it('shows a declined contact as declined, and an allowed one only where the rule lets it', () => {
    const { ticket, events, outbox } = worstCase()
    const render = (visibility: TicketVisibility) => renderCard({ ticket, events, outbox, binding: null, catalog, timezone: 'Asia/Shanghai', translate: (l, k, v) => i18n.t(l, k, v), visibility }).text
    expect(render(ticketVisibility({ chat: 'handlers', viewer: 'other', workedHere: true }))).toContain('13812345678')
    expect(render(ticketVisibility({ chat: 'handlers', viewer: 'other', workedBefore: true }))).not.toContain('13812345678')
  })
})
