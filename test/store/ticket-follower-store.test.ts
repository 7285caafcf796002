import type { Catalog } from '#root/domain/catalog.js'
import type { NewTicketFollower } from '#root/domain/ticket-follower.js'
import { DomainError } from '#root/domain/errors.js'
import { planTransition } from '#root/domain/lifecycle.js'
import { createCatalogStore } from '#root/store/catalog-store.js'
import { createOutboxStore } from '#root/store/outbox-store.js'
import { createTicketFollowerStore } from '#root/store/ticket-follower-store.js'
import { createTicketStore } from '#root/store/ticket-store.js'
import { expect, it } from 'vitest'
import { describeEachDatabase } from '../helpers/database.js'
import { sampleClassification, sampleReport } from '../helpers/fixtures.js'

const catalog: Catalog = {
  departments: [{ id: 'city', nameZh: '城管局', nameEn: 'City Management' }],
  categories: [{ id: 'streetlights', nameZh: '路灯', nameEn: 'Street lights', departmentId: 'city', keywords: ['路灯'] }],
}

const REPORTER = 5_000_000_001

function resident(id: number): NewTicketFollower {
  return { residentId: id, residentName: `居民${id}`, language: 'zh', chatId: -1_001_234_567_890, chatType: 'supergroup', messageId: id % 1000, replyPrivately: false }
}

describeEachDatabase('ticket follower store', (getDb) => {
  let clock = new Date('2026-11-26T02:00:00Z')
  const setup = async () => {
    clock = new Date('2026-11-26T02:00:00Z')
    await createCatalogStore(getDb()).sync(catalog)
    const now = () => clock
    const tickets = createTicketStore(getDb(), { timezone: 'Asia/Shanghai', now })
    const followers = createTicketFollowerStore(getDb(), { now })
    const open = async (key: string, reporterId = REPORTER, overrides: Parameters<typeof sampleReport>[0] = {}) => (await tickets.createTicket({
      intakeKey: key,
      report: sampleReport({ reporterId, ...overrides }),
      classification: sampleClassification(),
      status: 'assigned',
      actor: { id: reporterId, role: 'reporter' },
    })).ticket
    return { tickets, followers, open }
  }

  it('records a join once, with its event and count, and refuses the reporter and closed tickets', async () => {
    const { tickets, followers, open } = await setup()
    const ticket = await open('a')
    const first = await followers.join(ticket.id, resident(7), (changed, event, people) => [{
      dedupKey: `test:${event.id}`,
      ticketId: changed.id,
      chatId: 1,
      payload: { kind: 'message', text: `${people.length}` },
    }])
    expect(first.kind).toBe('joined')
    expect(first.kind === 'joined' && first.ticket.followerCount).toBe(1)
    expect((await followers.join(ticket.id, resident(7))).kind).toBe('already')
    expect((await followers.join(ticket.id, resident(REPORTER))).kind).toBe('own')
    const events = await tickets.listEvents(ticket.id)
    expect(events.map(e => e.type)).toEqual(['created', 'joined'])
    expect(events[1]).toMatchObject({ actorId: 7, actorRole: 'reporter' })
    // The change's messages see the follower written in the same transaction.
    expect((await createOutboxStore(getDb()).listForTicket(ticket.id)).map(m => m.payload)).toEqual([{ kind: 'message', text: '1' }])
    expect(await followers.listFollowers(ticket.id)).toEqual([expect.objectContaining({ residentId: 7, viaTicketId: null, reportedAt: clock })])

    await tickets.applyTransition(ticket.id, planTransition({ status: 'assigned', departmentId: 'city', action: 'reject', role: 'handler', note: '不属于本部门' }), { id: 9, role: 'handler' })
    expect((await followers.join(ticket.id, resident(8))).kind).toBe('closed')
    expect((await followers.join(99_999, resident(8))).kind).toBe('closed')
  })

  it('keeps every one of 30 residents joining at once, and one row for a resident pressing twice at once', async () => {
    const { tickets, followers, open } = await setup()
    const ticket = await open('b')
    const ids = Array.from({ length: 30 }, (_, i) => 100 + i)
    const outcomes = await Promise.all([...ids, 100, 101].map(id => followers.join(ticket.id, resident(id))))
    expect(outcomes.filter(o => o.kind === 'joined')).toHaveLength(30)
    expect(outcomes.filter(o => o.kind === 'already')).toHaveLength(2)
    expect((await followers.listFollowers(ticket.id)).map(f => f.residentId).sort()).toEqual(ids)
    expect((await tickets.findById(ticket.id))!.followerCount).toBe(30)
    expect((await tickets.listEvents(ticket.id)).filter(e => e.type === 'joined')).toHaveLength(30)
  })

  it('hands every follower to a change in its transaction', async () => {
    const { tickets, followers, open } = await setup()
    const ticket = await open('c')
    await followers.join(ticket.id, resident(7))
    let seen: number[] = []
    await tickets.applyTransition(ticket.id, planTransition({ status: 'assigned', departmentId: 'city', action: 'accept', role: 'handler' }), { id: 9, role: 'handler' }, (_changed, _event, people) => {
      seen = people.map(p => p.residentId)
      return []
    })
    expect(seen).toEqual([7])
  })

  it('merges a ticket and its people into another and splits them apart again, both histories told', async () => {
    const { tickets, followers, open } = await setup()
    const target = await open('t', REPORTER)
    await followers.join(target.id, resident(7))
    clock = new Date('2026-11-26T03:00:00Z')
    const source = await open('s', 8)
    await tickets.applyTransition(source.id, planTransition({ status: 'assigned', departmentId: 'city', action: 'accept', role: 'handler' }), { id: 9, role: 'handler' })
    // 7 follows both: they stay on the target as they were; 11 follows only the source.
    await followers.join(source.id, resident(7))
    await followers.join(source.id, resident(11))

    const merged = await followers.merge(target.id, source.id, { id: 9, role: 'handler', name: '张科长' })
    expect(merged.source).toMatchObject({ status: 'merged', mergedIntoId: target.id, statusBeforeMerge: 'accepted' })
    expect(merged.target.followerCount).toBe(3)
    expect(merged.people.map(p => p.residentId)).toEqual([8, 11])
    expect(merged.sourcePeople.map(p => p.residentId)).toEqual([8, 7, 11])
    const onTarget = await followers.listFollowers(target.id)
    expect(onTarget.map(f => [f.residentId, f.viaTicketId])).toEqual([[7, null], [8, source.id], [11, source.id]])
    // The source's reporter reported when their ticket was stored.
    expect(onTarget[1]!.reportedAt).toEqual(source.createdAt)
    expect((await tickets.listEvents(source.id)).at(-1)).toMatchObject({ type: 'merged', fromStatus: 'accepted', toStatus: 'merged', data: { intoNumber: target.number, people: 2, actorName: '张科长' } })
    expect((await tickets.listEvents(target.id)).at(-1)).toMatchObject({ type: 'merge_received', data: { fromNumber: source.number, people: 2 } })
    // A merged ticket can be neither merged again nor joined.
    await expect(followers.merge(target.id, source.id, { id: 9, role: 'handler' })).rejects.toMatchObject({ code: 'NOT_OPEN' })
    expect((await followers.join(source.id, resident(12))).kind).toBe('closed')

    const split = await followers.split(source.id, { id: 9, role: 'handler' })
    expect(split.source).toMatchObject({ status: 'accepted', mergedIntoId: null, statusBeforeMerge: null })
    expect(split.target.followerCount).toBe(1)
    expect(split.people.map(p => p.residentId)).toEqual([8, 11])
    expect((await followers.listFollowers(target.id)).map(f => f.residentId)).toEqual([7])
    expect((await followers.listFollowers(source.id)).map(f => f.residentId)).toEqual([7, 11])
    expect((await tickets.listEvents(source.id)).at(-1)).toMatchObject({ type: 'split', fromStatus: 'merged', toStatus: 'accepted' })
    expect((await tickets.listEvents(target.id)).at(-1)).toMatchObject({ type: 'split_released', data: { number: source.number, people: 2 } })
    await expect(followers.split(source.id, { id: 9, role: 'handler' })).rejects.toMatchObject({ code: 'NOT_MERGED' })
    await expect(followers.merge(target.id, target.id, { id: 9, role: 'handler' })).rejects.toBeInstanceOf(DomainError)
  })

  it('lists the week\'s problems with the most reporters, by area, merged tickets left out', async () => {
    const { followers, open, tickets } = await setup()
    const old = await open('old', 1, { areaName: '金鸡湖社区' })
    clock = new Date('2026-12-05T02:00:00Z')
    const since = new Date('2026-12-01T00:00:00Z')
    const busy = await open('busy', 2, { areaName: '金鸡湖社区' })
    const other = await open('other', 3, { areaName: '独墅湖社区' })
    const lonely = await open('lonely', 4, { areaName: '金鸡湖社区' })
    for (const id of [20, 21, 22])
      await followers.join(busy.id, resident(id))
    await followers.join(other.id, resident(23))
    // An older ticket joined this week counts its new reporters only: 2, not 3.
    await followers.join(old.id, resident(24))
    await followers.join(old.id, resident(25))

    const all = await followers.listHot(since)
    expect(all.map(p => [p.ticket.id, p.reporters])).toEqual([[busy.id, 4], [old.id, 2], [other.id, 2]])
    expect(all.some(p => p.ticket.id === lonely.id)).toBe(false)
    expect((await followers.listHot(since, { areaName: '独墅湖社区' })).map(p => p.ticket.id)).toEqual([other.id])

    await followers.merge(busy.id, other.id, { id: 9, role: 'admin' })
    const afterMerge = await followers.listHot(since)
    expect(afterMerge.map(p => [p.ticket.id, p.reporters])).toEqual([[busy.id, 6], [old.id, 2]])
    expect((await tickets.findById(other.id))!.status).toBe('merged')
  })
})
