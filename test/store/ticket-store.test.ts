import type { Catalog } from '#root/domain/catalog.js'
import type { NewTicket } from '#root/store/ticket-store.js'
import { DomainError } from '#root/domain/errors.js'
import { planTransition } from '#root/domain/lifecycle.js'
import { createCatalogStore } from '#root/store/catalog-store.js'
import { createChatStore } from '#root/store/chat-store.js'
import { createConversationStorage } from '#root/store/conversation-storage.js'
import { createResidentStore } from '#root/store/resident-store.js'
import { createTicketStore } from '#root/store/ticket-store.js'
import { expect, it } from 'vitest'
import { describeEachDatabase } from '../helpers/database.js'
import { sampleClassification, sampleReport } from '../helpers/fixtures.js'

const catalog: Catalog = {
  departments: [
    { id: 'city', nameZh: '城管局', nameEn: 'City Management' },
    { id: 'transport', nameZh: '交通运输局', nameEn: 'Transport' },
  ],
  categories: [
    { id: 'streetlights', nameZh: '路灯', nameEn: 'Street lights', departmentId: 'city', keywords: ['路灯', '不亮'] },
    { id: 'buses', nameZh: '公交', nameEn: 'Buses', departmentId: 'transport', keywords: ['公交'] },
  ],
}

const report = sampleReport({
  latitude: 31.3,
  longitude: 120.7,
  photoFileIds: ['photo-a', 'photo-b'],
  contactAllowed: true,
  contactPhone: '13800138000',
})

const classification = sampleClassification({
  urgency: 'urgent',
  summary: '小区门口路灯损坏',
  extractedLocation: '星湖街 8 号',
  confidence: 0.92,
  classifier: 'llm',
  classifierModel: 'qwen-plus',
  promptVersion: 'classify-report@1',
})

function newTicket(intakeKey: string, overrides: Partial<NewTicket> = {}): NewTicket {
  return {
    intakeKey,
    report,
    classification,
    status: 'assigned',
    actor: { id: report.reporterId, role: 'reporter' },
    ...overrides,
  }
}

describeEachDatabase('ticket store', (getDb) => {
  const setup = async (now = () => new Date('2026-11-26T02:00:00Z')) => {
    await createCatalogStore(getDb()).sync(catalog)
    return createTicketStore(getDb(), { timezone: 'Asia/Shanghai', now })
  }

  it('stores a ticket with every field and its created event, and reads it back', async () => {
    const tickets = await setup()
    const { ticket, created } = await tickets.createTicket(newTicket('k1'))
    expect(created).toBe(true)
    expect(ticket).toMatchObject({ ...report, ...classification, number: 'HY-20261126-0001', status: 'assigned' })
    expect(await tickets.findByNumber('HY-20261126-0001')).toEqual(ticket)
    const events = await tickets.listEvents(ticket.id)
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ type: 'created', fromStatus: null, toStatus: 'assigned', actorId: report.reporterId, actorRole: 'reporter' })
    expect(events[0]!.data).toMatchObject({ categoryId: 'streetlights', classifier: 'llm' })
  })

  it('numbers tickets per local day, and concurrent reports never share a number', async () => {
    let now = new Date('2026-11-26T02:00:00Z')
    const tickets = await setup(() => now)
    const numbers = await Promise.all(Array.from({ length: 8 }, (_, i) => tickets.createTicket(newTicket(`k${i}`)).then(r => r.ticket.number)))
    expect(new Set(numbers).size).toBe(8)
    expect(numbers.sort()).toEqual(Array.from({ length: 8 }, (_, i) => `HY-20261126-000${i + 1}`))
    now = new Date('2026-11-26T16:30:00Z') // 00:30 on the 27th in Shanghai
    expect((await tickets.createTicket(newTicket('next-day'))).ticket.number).toBe('HY-20261127-0001')
  })

  it('returns the first ticket when the same confirmed report is stored again', async () => {
    const tickets = await setup()
    const first = await tickets.createTicket(newTicket('same'))
    const [again, raced] = await Promise.all([tickets.createTicket(newTicket('same')), tickets.createTicket(newTicket('same'))])
    expect(again.ticket.number).toBe(first.ticket.number)
    expect(raced.ticket.number).toBe(first.ticket.number)
    expect(again.created).toBe(false)
    expect(await tickets.listByReporter(report.reporterId)).toHaveLength(1)
  })

  it('does not keep a phone number the reporter did not allow to be used', async () => {
    const tickets = await setup()
    const { ticket } = await tickets.createTicket(newTicket('k', { report: { ...report, contactAllowed: false } }))
    expect(ticket.contactPhone).toBeNull()
  })

  it('lists a reporter\'s own tickets, newest first', async () => {
    let minute = 0
    const tickets = await setup(() => new Date(Date.UTC(2026, 10, 26, 2, minute++)))
    await tickets.createTicket(newTicket('a'))
    await tickets.createTicket(newTicket('b', { report: { ...report, reporterId: 7 } }))
    await tickets.createTicket(newTicket('c'))
    const mine = await tickets.listByReporter(report.reporterId)
    expect(mine.map(t => t.number)).toEqual(['HY-20261126-0003', 'HY-20261126-0001'])
    expect(await tickets.listByReporter(999)).toEqual([])
  })

  it('writes a status change and its event together, and lets exactly one of two racing handlers win', async () => {
    const tickets = await setup()
    const { ticket } = await tickets.createTicket(newTicket('k'))
    const plan = planTransition({ status: ticket.status, departmentId: ticket.departmentId, action: 'accept', role: 'handler' })
    const results = await Promise.allSettled([
      tickets.applyTransition(ticket.id, plan, { id: 1, role: 'handler' }),
      tickets.applyTransition(ticket.id, plan, { id: 2, role: 'handler' }),
    ])
    const won = results.filter(r => r.status === 'fulfilled')
    const lost = results.filter(r => r.status === 'rejected')
    expect(won).toHaveLength(1)
    expect(lost).toHaveLength(1)
    expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(DomainError)
    expect(((lost[0] as PromiseRejectedResult).reason as DomainError).code).toBe('CONFLICT')
    expect((await tickets.findById(ticket.id))!.status).toBe('accepted')
    const events = await tickets.listEvents(ticket.id)
    expect(events.map(e => [e.type, e.fromStatus, e.toStatus])).toEqual([['created', null, 'assigned'], ['status_changed', 'assigned', 'accepted']])
  })

  it('moves the department with a reassignment and records where to', async () => {
    const tickets = await setup()
    const { ticket } = await tickets.createTicket(newTicket('k'))
    const plan = planTransition({ status: 'assigned', departmentId: 'city', action: 'reassign', role: 'handler', note: '属于公交线路问题', departmentIdTo: 'transport' })
    const { ticket: moved, event } = await tickets.applyTransition(ticket.id, plan, { id: 3, role: 'handler' })
    expect(moved.departmentId).toBe('transport')
    expect(event).toMatchObject({ type: 'reassigned', note: '属于公交线路问题', data: { departmentIdTo: 'transport' } })
  })

  it('says NOT_FOUND for a ticket that does not exist', async () => {
    const tickets = await setup()
    const plan = planTransition({ status: 'assigned', departmentId: 'city', action: 'accept', role: 'handler' })
    await expect(tickets.applyTransition(424242, plan, { id: 1, role: 'handler' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })
})

describeEachDatabase('catalog, chats, residents and conversation storage', (getDb) => {
  it('syncs the catalog file and deactivates categories that left it', async () => {
    const store = createCatalogStore(getDb())
    expect(await store.sync(catalog)).toEqual({ departments: 2, categories: 2, deactivated: 0 })
    expect(await store.load()).toEqual(catalog)
    const trimmed = { ...catalog, categories: [{ ...catalog.categories[1]!, nameZh: '公交线路' }] }
    expect(await store.sync(trimmed)).toMatchObject({ deactivated: 1 })
    const loaded = await store.load()
    expect(loaded.categories.map(c => [c.id, c.nameZh])).toEqual([['buses', '公交线路']])
    expect(loaded.departments).toHaveLength(2)
  })

  it('binds, rebinds and unbinds chats', async () => {
    await createCatalogStore(getDb()).sync(catalog)
    const chats = createChatStore(getDb())
    await chats.bind({ chatId: -1_001_000_000_001, kind: 'residents', title: '金鸡湖居民群', areaName: '金鸡湖社区', departmentId: null, boundBy: 1 })
    await chats.bind({ chatId: -1_001_000_000_002, kind: 'handlers', title: '城管承办群', areaName: null, departmentId: 'city', boundBy: 1 })
    expect(await chats.find(-1_001_000_000_001)).toMatchObject({ kind: 'residents', areaName: '金鸡湖社区' })
    expect((await chats.findHandlersOf('city')).map(c => c.chatId)).toEqual([-1_001_000_000_002])
    await chats.bind({ chatId: -1_001_000_000_002, kind: 'admins', title: '管理员群', areaName: null, departmentId: null, boundBy: 2 })
    expect(await chats.findHandlersOf('city')).toEqual([])
    expect((await chats.list('admins')).map(c => c.title)).toEqual(['管理员群'])
    expect(await chats.unbind(-1_001_000_000_002)).toBe(true)
    expect(await chats.unbind(-1_001_000_000_002)).toBe(false)
  })

  it('remembers who opened a private chat, and keeps that when they are seen again elsewhere', async () => {
    const residents = createResidentStore(getDb())
    await residents.remember({ telegramId: 77, name: 'Li', languageCode: 'zh', privateChat: false })
    expect((await residents.find(77))!.privateChatSince).toBeNull()
    await residents.remember({ telegramId: 77, name: 'Li', languageCode: 'zh', privateChat: true })
    await residents.remember({ telegramId: 77, name: 'Li Lei', languageCode: 'en', privateChat: false })
    const resident = await residents.find(77)
    expect(resident).toMatchObject({ name: 'Li Lei', languageCode: 'en' })
    expect(resident!.privateChatSince).toBeInstanceOf(Date)
  })

  it('keeps conversation state as JSON under its key', async () => {
    const storage = createConversationStorage<{ step: number }>(getDb())
    expect(await storage.read('-1:2')).toBeUndefined()
    await storage.write('-1:2', { step: 1 })
    await storage.write('-1:2', { step: 2 })
    expect(await storage.read('-1:2')).toEqual({ step: 2 })
    // Written in SQL directly, the row still reads back through Prisma, time included.
    const row = await getDb().prisma.conversationState.findUnique({ where: { key: '-1:2' } })
    expect(row?.updatedAt).toBeInstanceOf(Date)
    expect(Math.abs(row!.updatedAt.getTime() - Date.now())).toBeLessThan(60_000)
    await storage.delete('-1:2')
    expect(await storage.read('-1:2')).toBeUndefined()
  })
})
