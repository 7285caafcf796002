import type { TicketFollower } from '#root/domain/ticket-follower.js'
import type { Ticket, TicketEvent } from '#root/domain/ticket.js'
import type { NotificationTexts } from '#root/usecases/notifications.js'
import { joinRefreshesCard } from '#root/domain/ticket-follower.js'
import { followerDrafts, mergeDrafts, reporterDrafts } from '#root/usecases/notifications.js'
import { describe, expect, it } from 'vitest'
import { sampleClassification, sampleReport } from '../helpers/fixtures.js'

const GROUP = -1_001_234_567_890
const OTHER_GROUP = -1_009_999_999_999

const texts: NotificationTexts = {
  translate: (locale, key, variables) => `${locale}:${key}${variables ? JSON.stringify(variables) : ''}`,
  catalog: () => ({ departments: [{ id: 'city', nameZh: '城管局', nameEn: 'City' }], categories: [] }),
}

const ticket: Ticket = {
  ...sampleReport(),
  ...sampleClassification(),
  id: 1,
  number: 'HY-20261126-0001',
  status: 'resolved',
  createdAt: new Date('2026-11-26T02:00:00Z'),
  updatedAt: new Date('2026-11-26T02:00:00Z'),
}

function event(overrides: Partial<TicketEvent> = {}): TicketEvent {
  return { id: 40, ticketId: 1, type: 'status_changed', fromStatus: 'in_progress', toStatus: 'resolved', actorId: 9, actorRole: 'handler', note: '已修好，电话13812345678', data: null, createdAt: new Date(), ...overrides }
}

function follower(residentId: number, overrides: Partial<TicketFollower> = {}): TicketFollower {
  return { ticketId: 1, residentId, residentName: `居民${residentId}`, language: 'zh', chatId: GROUP, chatType: 'supergroup', messageId: residentId, replyPrivately: false, viaTicketId: null, reportedAt: new Date(), ...overrides }
}

describe('what residents who joined a ticket hear', () => {
  it('gives each who hears privately a message of their own, and those in one group one shared message, under the first report', () => {
    const people = [
      follower(11, { chatId: 11, chatType: 'private', messageId: null }),
      follower(12, { replyPrivately: true }),
      follower(13, { language: 'en' }),
      follower(14),
      follower(15, { chatId: OTHER_GROUP, messageId: 7, language: 'en' }),
    ]
    const drafts = followerDrafts(ticket, event(), people, texts)
    expect(drafts.map(d => [d.dedupKey, d.chatId])).toEqual([
      ['event:40:follower:11', 11],
      ['event:40:follower:12', 12],
      ['event:40:followers:-1001234567890', GROUP],
      ['event:40:followers:-1009999999999', OTHER_GROUP],
    ])
    const [alone, withFallback, shared, english] = drafts.map(d => d.payload)
    // Heard privately: the note as written. Reaching a group (or falling back to one): redacted.
    expect(alone).toMatchObject({ kind: 'message', text: expect.stringContaining('13812345678') })
    expect(withFallback).toMatchObject({ fallback: { chatId: GROUP, replyToMessageId: 12 } })
    expect(JSON.stringify(withFallback)).not.toContain('13812345678')
    expect(shared).toMatchObject({ replyToMessageId: 13, text: expect.stringMatching(/^zh:notify-followers\{"count":2\}\n/) })
    expect(JSON.stringify(shared)).not.toContain('13812345678')
    expect(english).toMatchObject({ text: expect.stringMatching(/^en:notify-followers/) })
    // Every one of them is asked the follow-up question with the same buttons as the reporter.
    for (const payload of drafts.map(d => d.payload))
      expect(payload).toMatchObject({ buttons: [[{ data: 'f:1:satisfied' }, { data: 'f:1:partly_satisfied' }, { data: 'f:1:not_satisfied' }]] })
    expect(reporterDrafts(ticket, event(), texts)[0]!.dedupKey).toBe('event:40:reporter')
  })

  it('leaves out the handlers\' questions, the reporter\'s own steps and events residents do not hear of', () => {
    const people = [follower(11)]
    expect(followerDrafts(ticket, event({ type: 'question', toStatus: null }), people, texts)).toEqual([])
    expect(followerDrafts(ticket, event({ actorRole: 'reporter', toStatus: 'closed' }), people, texts)).toEqual([])
    expect(followerDrafts(ticket, event({ type: 'joined', toStatus: null }), people, texts)).toEqual([])
    expect(followerDrafts(ticket, event({ type: 'note', toStatus: null }), people, texts)).toHaveLength(1)
    expect(followerDrafts(ticket, event(), [], texts)).toEqual([])
  })

  it('tells everyone a merged ticket spoke for where they hear: once each privately, once per group', () => {
    const source: Ticket = { ...ticket, id: 2, number: 'HY-20261126-0002', status: 'merged' }
    const people = [follower(8), follower(11, { chatId: 11, chatType: 'private' }), follower(12)]
    const drafts = mergeDrafts('merged', { source, target: ticket, sourceEvent: event({ id: 50, ticketId: 2 }), sourcePeople: people }, texts)
    expect(drafts.map(d => [d.dedupKey, d.chatId, d.ticketId])).toEqual([['event:50:merged:11', 11, 2], ['event:50:merged:chat:-1001234567890', GROUP, 2]])
    expect(drafts[1]!.payload).toMatchObject({ replyToMessageId: 8, text: expect.stringContaining('"target":"HY-20261126-0001"') })
  })

  it('refreshes the handlers\' card on a join only at a few counts of reporters', () => {
    const refreshed = Array.from({ length: 60 }, (_, i) => i + 2).filter(joinRefreshesCard)
    expect(refreshed).toEqual([2, 3, 5, 10, 20, 50])
  })
})
