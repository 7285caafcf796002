import type { Catalog } from '#root/domain/catalog.js'
import type { NewTicket, TicketStore } from '#root/store/ticket-store.js'
import { planTransition } from '#root/domain/lifecycle.js'
import { createCatalogStore } from '#root/store/catalog-store.js'
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
    { id: 'streetlights', nameZh: '路灯', nameEn: 'Street lights', departmentId: 'city', keywords: ['路灯'] },
    { id: 'buses', nameZh: '公交', nameEn: 'Buses', departmentId: 'transport', keywords: ['公交'] },
  ],
}
const HOUR = 3_600_000
const NOW = new Date('2026-12-02T02:00:00Z')

function newTicket(intakeKey: string, departmentId = 'city'): NewTicket {
  return {
    intakeKey,
    report: sampleReport(),
    classification: sampleClassification({ categoryId: departmentId === 'city' ? 'streetlights' : 'buses', departmentId }),
    status: 'assigned',
    actor: { id: 1, role: 'reporter' },
  }
}

describeEachDatabase('ticket deadlines in the store', (getDb) => {
  // Each new ticket is due `hoursLeft` hours after it is stored; the test sets hoursLeft before creating it.
  let hoursLeft = 10
  const setup = async (): Promise<TicketStore> => {
    await createCatalogStore(getDb()).sync(catalog)
    return createTicketStore(getDb(), {
      timezone: 'Asia/Shanghai',
      now: () => NOW,
      dueTimes: (_ticket, at) => ({ acceptDueAt: new Date(at.getTime() + HOUR), resolveDueAt: new Date(at.getTime() + hoursLeft * HOUR) }),
    })
  }

  it('stores the due times with the ticket, and takes each chase step once even when tried at once', async () => {
    const tickets = await setup()
    const { ticket } = await tickets.createTicket(newTicket('a'))
    expect(ticket).toMatchObject({ acceptDueAt: new Date(NOW.getTime() + HOUR), resolveDueAt: new Date(NOW.getTime() + 10 * HOUR), chaseLevel: 0 })

    const attempt = (level: number) => tickets.takeChaseStep(ticket.id, { level, dueAt: ticket.resolveDueAt!, event: { type: 'chase', note: null, data: { level } } }, () => [])
    const results = await Promise.all(Array.from({ length: 6 }, () => attempt(2)))
    expect(results.filter(r => r !== null)).toHaveLength(1)
    expect(await attempt(1)).toBeNull()
    expect(await attempt(3)).not.toBeNull()
    expect((await tickets.listEvents(ticket.id)).filter(e => e.type === 'chase').map(e => e.data?.level)).toEqual([2, 3])
    expect(await tickets.listChaseDue(new Date(NOW.getTime() + 100 * HOUR))).toEqual([])
  })

  it('lists chase candidates and overdue tickets through the due time, by department and oldest deadline first', async () => {
    const tickets = await setup()
    hoursLeft = 5
    const cityLate = (await tickets.createTicket(newTicket('c1'))).ticket
    hoursLeft = 3
    const transport = (await tickets.createTicket(newTicket('t1', 'transport'))).ticket
    hoursLeft = 1
    const cityLater = (await tickets.createTicket(newTicket('c2'))).ticket
    hoursLeft = 50
    await tickets.createTicket(newTicket('c3'))
    hoursLeft = 2
    const resolved = (await tickets.createTicket(newTicket('c4'))).ticket
    await tickets.applyTransition(resolved.id, planTransition({ status: 'assigned', departmentId: 'city', action: 'accept', role: 'handler' }), { id: 2, role: 'handler' })
    await tickets.applyTransition(resolved.id, planTransition({ status: 'accepted', departmentId: 'city', action: 'resolve', role: 'handler', note: '修好了' }), { id: 2, role: 'handler' })

    const at = new Date(NOW.getTime() + 10 * HOUR)
    expect((await tickets.listOverdue(at)).map(t => t.number)).toEqual([cityLater.number, cityLate.number, transport.number])
    expect(await tickets.listOverdue(at)).toEqual([await tickets.findById(cityLater.id), await tickets.findById(cityLate.id), await tickets.findById(transport.id)])
    expect(await tickets.listOverdue(at, { limit: 1 })).toEqual([await tickets.findById(cityLater.id)])
    expect((await tickets.listChaseDue(at)).map(t => t.number)).toEqual([cityLater.number, transport.number, cityLate.number])
    expect((await tickets.listUnrated(at)).map(t => t.id)).toEqual([resolved.id])
    expect(await tickets.listUnrated(new Date(NOW.getTime() - HOUR))).toEqual([])
  })

  it('keeps one extension request pending, and decides it once', async () => {
    const tickets = await setup()
    hoursLeft = 10
    const { ticket } = await tickets.createTicket(newTicket('x'))
    const actor = { id: 2, role: 'handler' as const }
    const first = await tickets.requestExtension(ticket.id, { note: '等配件', data: { days: 3 } }, actor, () => [])
    expect(first).not.toBeNull()
    expect(await tickets.requestExtension(ticket.id, { note: '再等等', data: { days: 1 } }, actor, () => [])).toBeNull()
    const moved = new Date(NOW.getTime() + 80 * HOUR)
    const decisions = await Promise.all([1, 2, 3].map(() =>
      tickets.decideExtension(ticket.id, { requestId: first!.event.id, approve: true, newDueAt: moved }, { id: 3, role: 'admin' }, () => [])))
    expect(decisions.filter(d => d !== null)).toHaveLength(1)
    expect(await tickets.findById(ticket.id)).toMatchObject({ resolveDueAt: moved, extensionRequestId: null, chaseLevel: 0 })
    expect((await tickets.listEvents(ticket.id)).map(e => e.type)).toEqual(['created', 'extension_requested', 'extension_approved'])
  })

  it('takes the acceptance chase once, only while the ticket waits to be accepted, apart from the completion ladder', async () => {
    const tickets = await setup()
    hoursLeft = 10
    const waiting = (await tickets.createTicket(newTicket('w'))).ticket
    const accepted = (await tickets.createTicket(newTicket('a'))).ticket
    await tickets.applyTransition(accepted.id, planTransition({ status: 'assigned', departmentId: 'city', action: 'accept', role: 'handler' }), { id: 2, role: 'handler' })

    expect(await tickets.listAcceptChaseDue(new Date(NOW.getTime() + HOUR - 1))).toEqual([])
    const at = new Date(NOW.getTime() + 2 * HOUR)
    expect((await tickets.listAcceptChaseDue(at)).map(t => t.id)).toEqual([waiting.id])
    const attempt = (ticketId: number, acceptDueAt: Date) => tickets.takeAcceptChase(ticketId, { acceptDueAt, event: { type: 'chase', note: null, data: { step: 'accept_overdue' } } }, () => [])
    const results = await Promise.all(Array.from({ length: 6 }, () => attempt(waiting.id, waiting.acceptDueAt!)))
    expect(results.filter(r => r !== null)).toHaveLength(1)
    expect(await attempt(accepted.id, accepted.acceptDueAt!)).toBeNull()
    expect(await tickets.findById(waiting.id)).toMatchObject({ acceptChaseLevel: 1, chaseLevel: 0 })
    expect(await tickets.listAcceptChaseDue(new Date(NOW.getTime() + 100 * HOUR))).toEqual([])
    // The completion ladder is untouched: its first step is still to take.
    expect((await tickets.listChaseDue(new Date(NOW.getTime() + 10 * HOUR))).map(t => t.id)).toEqual([waiting.id, accepted.id])
  })

  it('records one 督办 of two at once, refuses another within the cool-down, and none on a rejected ticket', async () => {
    const tickets = await setup()
    const { ticket } = await tickets.createTicket(newTicket('s'))
    const supervisor = { id: 9, role: 'admin' as const, name: '李主任' }
    const press = (note: string, notSince: Date) => tickets.supervise(ticket.id, { note, notSince }, supervisor, () => [])
    const coolDownFrom = new Date(NOW.getTime() - HOUR)
    const results = await Promise.all([press('请今天答复', coolDownFrom), press('请今天答复', coolDownFrom)])
    expect(results.filter(r => r !== null)).toHaveLength(1)
    expect(await press('再催一次', coolDownFrom)).toBeNull()
    // Once the cool-down has passed (the last 督办 is before `notSince`), it is recorded again.
    expect(await press('再催一次', new Date(NOW.getTime() + 1))).not.toBeNull()
    const events = (await tickets.listEvents(ticket.id)).filter(e => e.type === 'supervised')
    expect(events.map(e => [e.note, e.actorId, e.data?.actorName])).toEqual([['请今天答复', 9, '李主任'], ['再催一次', 9, '李主任']])
    expect((await tickets.findById(ticket.id))!.supervisedAt).toEqual(NOW)

    await tickets.applyTransition(ticket.id, planTransition({ status: 'assigned', departmentId: 'city', action: 'reject', role: 'handler', note: '不属于本部门' }), { id: 2, role: 'handler' })
    expect(await press('请办理', new Date(NOW.getTime() + 1))).toBeNull()
  })
})
