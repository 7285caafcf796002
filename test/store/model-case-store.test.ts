import type { Catalog } from '#root/domain/catalog.js'
import { DomainError } from '#root/domain/errors.js'
import { createCatalogStore } from '#root/store/catalog-store.js'
import { createModelCaseStore } from '#root/store/model-case-store.js'
import { createTicketStore } from '#root/store/ticket-store.js'
import { createVisitStore } from '#root/store/visit-store.js'
import { expect, it } from 'vitest'
import { describeEachDatabase } from '../helpers/database.js'
import { sampleClassification, sampleReport } from '../helpers/fixtures.js'

const catalog: Catalog = {
  departments: [{ id: 'city', nameZh: '城管局', nameEn: 'City Management' }],
  categories: [{ id: 'streetlights', nameZh: '路灯', nameEn: 'Street lights', departmentId: 'city', keywords: ['路灯'] }],
}
const ADMIN = { id: 7, role: 'admin' as const, name: '督查组 李' }
const NOV = new Date('2026-11-20T02:00:00Z')

describeEachDatabase('model cases in the store', (getDb) => {
  async function setup() {
    await createCatalogStore(getDb()).sync(catalog)
    const tickets = createTicketStore(getDb(), { timezone: 'Asia/Shanghai' })
    const ticket = async (key: string, status: string) => {
      const { ticket } = await tickets.createTicket({
        intakeKey: key,
        report: sampleReport(),
        classification: sampleClassification({ categoryId: 'streetlights', departmentId: 'city', summary: `路灯不亮 ${key}` }),
        status: 'assigned',
        actor: { id: 1, role: 'reporter' },
      })
      await getDb().prisma.ticket.update({ where: { id: ticket.id }, data: { status } })
      return ticket
    }
    return { tickets, ticket, modelCases: createModelCaseStore(getDb()) }
  }

  it('marks a resolved ticket once, with an event on its history in the same step', async () => {
    const { tickets, ticket, modelCases } = await setup()
    const resolved = await ticket('a', 'resolved')
    const marked = await modelCases.markTicket(resolved.id, { reason: '当天修复，群众点赞', actor: ADMIN, at: NOV })
    expect(marked).toMatchObject({ kind: 'ticket', reason: '当天修复，群众点赞', markedBy: 7, markedName: '督查组 李', markedAt: NOV, subject: { kind: 'ticket', number: resolved.number, departmentId: 'city', status: 'resolved' } })
    const events = await tickets.listEvents(resolved.id)
    expect(events.at(-1)).toMatchObject({ type: 'model_case', note: '当天修复，群众点赞', actorId: 7, actorRole: 'admin', data: { modelCaseId: marked.id } })

    const again = modelCases.markTicket(resolved.id, { reason: '再来一次', actor: ADMIN, at: NOV })
    await expect(again).rejects.toMatchObject({ code: 'ALREADY_DONE' })
    expect((await tickets.listEvents(resolved.id)).filter(e => e.type === 'model_case')).toHaveLength(1)
    expect(await modelCases.find('ticket', resolved.id)).toMatchObject({ reason: '当天修复，群众点赞' })
  })

  it('refuses open tickets and tickets that do not exist, and writes nothing then', async () => {
    const { tickets, ticket, modelCases } = await setup()
    const open = await ticket('b', 'in_progress')
    await expect(modelCases.markTicket(open.id, { reason: '理由', actor: ADMIN, at: NOV })).rejects.toMatchObject({ code: 'INVALID_TRANSITION' })
    await expect(modelCases.markTicket(9999, { reason: '理由', actor: ADMIN, at: NOV })).rejects.toBeInstanceOf(DomainError)
    expect((await tickets.listEvents(open.id)).some(e => e.type === 'model_case')).toBe(false)
    expect(await modelCases.find('ticket', open.id)).toBeNull()
  })

  it('marks a visit once, and lists the cases marked in a month, oldest first', async () => {
    const { ticket, modelCases } = await setup()
    const visit = await createVisitStore(getDb()).create({
      intakeKey: 'v1',
      entityId: null,
      areaId: 'gusu',
      cadreId: 5,
      cadreName: '张干部',
      chatId: -100,
      chatType: 'supergroup',
      messageId: 1,
      visitedOn: '2026-11-03',
      place: null,
      metWith: '王师傅',
      heard: '企业用工难，已对接人社部门',
      note: '走访李记五金厂',
      audioFileId: null,
      goals: ['innovation'],
      extractor: 'offline',
      problems: [],
    })
    await expect(modelCases.markVisit(visit.id + 100, { reason: '理由', actor: ADMIN, at: NOV })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    const closed = await ticket('c', 'closed')
    await modelCases.markVisit(visit.id, { reason: '走访解决用工难', actor: ADMIN, at: new Date('2026-11-25T00:00:00Z') })
    await modelCases.markTicket(closed.id, { reason: '回访满意', actor: ADMIN, at: NOV })
    await modelCases.markTicket((await ticket('d', 'closed')).id, { reason: '十二月的', actor: ADMIN, at: new Date('2026-12-01T00:00:00Z') })
    await expect(modelCases.markVisit(visit.id, { reason: '又一次', actor: ADMIN, at: NOV })).rejects.toMatchObject({ code: 'ALREADY_DONE' })

    const november = await modelCases.listMarked({ from: new Date('2026-10-31T16:00:00Z'), to: new Date('2026-11-30T16:00:00Z') })
    expect(november.map(c => c.reason)).toEqual(['回访满意', '走访解决用工难'])
    expect(november[1]!.subject).toEqual({ kind: 'visit', visitId: visit.id, areaId: 'gusu', visitedOn: '2026-11-03', heard: '企业用工难，已对接人社部门', cadreName: '张干部' })
  })
})
