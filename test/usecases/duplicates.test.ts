import type { Ticket } from '#root/domain/ticket.js'
import type { TicketFollowerStore } from '#root/store/ticket-follower-store.js'
import { findDuplicateOffer } from '#root/usecases/duplicates.js'
import { describe, expect, it } from 'vitest'
import { sampleClassification, sampleReport } from '../helpers/fixtures.js'

const NOW = new Date('2026-11-26T02:00:00Z')

function ticket(id: number, overrides: Partial<Ticket> = {}): Ticket {
  return {
    ...sampleReport(),
    ...sampleClassification(),
    id,
    number: `HY-20261126-000${id}`,
    status: 'assigned',
    createdAt: new Date(NOW.getTime() - id * 60_000),
    updatedAt: NOW,
    ...overrides,
  }
}

/** The store as the duplicate check reads it: open tickets newest first, and who follows what. */
function store(open: Ticket[], followed: Record<number, number[]> = {}): { store: TicketFollowerStore, asked: unknown[] } {
  const asked: unknown[] = []
  return {
    asked,
    store: {
      listDuplicateCandidates: async (input) => {
        asked.push(input)
        return [...open].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      },
      followedAmong: async (residentId, ids) => new Set(ids.filter(id => followed[residentId]?.includes(id))),
    } as TicketFollowerStore,
  }
}

const input = { description: '小区门口的路灯坏了好几天了，晚上很黑', summary: '小区门口路灯坏了', categoryId: 'streetlights', areaName: '金鸡湖社区', residentId: 7 }
const deps = (followers: TicketFollowerStore) => ({ followers, threshold: 0.4, windowMs: 30 * 86_400_000, now: () => NOW })

describe('finding the open ticket a new report looks like', () => {
  it('asks for open tickets of the report\'s category and area within the window, and offers the most alike as anyone may see it', async () => {
    const { store: followers, asked } = store([
      ticket(1, { summary: '垃圾桶满了', description: '小区门口垃圾桶满了没人清运' }),
      ticket(2, { summary: '小区门口路灯坏了，电话13812345678', description: '小区门口的路灯坏了一个星期，晚上很黑', followerCount: 2 }),
    ])
    const offer = await findDuplicateOffer(deps(followers), input)
    expect(asked).toEqual([{ categoryId: 'streetlights', areaName: '金鸡湖社区', since: new Date(NOW.getTime() - 30 * 86_400_000), limit: 200 }])
    expect(offer).toMatchObject({ ticketId: 2, number: 'HY-20261126-0002', status: 'assigned', reporters: 3 })
    expect(offer!.summary).not.toContain('13812345678')
    expect(offer!.score).toBeGreaterThanOrEqual(0.4)
  })

  it('offers the original rather than its own repeats, and never the resident\'s own ticket or one they joined', async () => {
    const lamp = { summary: '小区门口路灯坏了', description: '小区门口的路灯坏了好几天了，晚上很黑' }
    // 3 is the oldest of three identical tickets.
    const open = [ticket(1, lamp), ticket(2, lamp), ticket(3, lamp)]
    expect((await findDuplicateOffer(deps(store(open).store), input))!.ticketId).toBe(3)
    expect((await findDuplicateOffer(deps(store([ticket(3, { ...lamp, reporterId: 7 }), ticket(2, lamp)]).store), input))!.ticketId).toBe(2)
    expect((await findDuplicateOffer(deps(store(open, { 7: [3, 2] }).store), input))!.ticketId).toBe(1)
    expect(await findDuplicateOffer(deps(store(open, { 7: [1, 2, 3] }).store), input)).toBeNull()
  })

  it('offers nothing below the threshold or for a report without a category', async () => {
    const open = [ticket(1, { summary: '垃圾桶满了', description: '小区门口垃圾桶满了没人清运' })]
    expect(await findDuplicateOffer(deps(store(open).store), input)).toBeNull()
    expect(await findDuplicateOffer(deps(store([ticket(2)]).store), { ...input, categoryId: null })).toBeNull()
  })
})
