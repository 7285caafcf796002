import type { ClassificationResult } from '#root/classify/classification.js'
import type { Catalog } from '#root/domain/catalog.js'
import type { OutboxDraft } from '#root/domain/outbox.js'
import type { Ticket } from '#root/domain/ticket.js'
import type { NewTicket, TicketStore } from '#root/store/ticket-store.js'
import type { NotificationTexts } from '#root/usecases/notifications.js'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createFileReportSpool } from '#root/store/report-spool.js'
import { drainReportSpool } from '#root/usecases/drain-report-spool.js'
import { createSubmitReport, toTicketClassification } from '#root/usecases/submit-report.js'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { sampleReport } from '../helpers/fixtures.js'

const logger = pino({ level: 'silent' })
const texts: NotificationTexts = {
  translate: (locale, key, variables) => `${locale}:${key}:${Object.values(variables ?? {}).join(',')}`,
  catalog: () => catalog,
}

const catalog: Catalog = {
  departments: [{ id: 'city', nameZh: '城管局', nameEn: 'City Management' }],
  categories: [{ id: 'streetlights', nameZh: '路灯', nameEn: 'Street lights', departmentId: 'city', keywords: ['路灯'] }],
}

const report = sampleReport()

const classification: ClassificationResult = {
  categoryId: 'streetlights',
  departmentId: 'city',
  urgency: 'normal',
  requestType: 'complaint',
  summary: '小区门口路灯损坏',
  location: '星湖街 8 号',
  confidence: 0.9,
  isReport: true,
  notReportReason: null,
  classifier: 'llm',
  model: 'test-model',
  promptVersion: 'classify-report@1',
  fallbackReason: null,
}

/** A ticket store that fails the first `failures` attempts, then stores in memory, idempotent by intake key. */
function flakyStore(failures: number): TicketStore & { created: NewTicket[], queued: OutboxDraft[] } {
  let remaining = failures
  const byKey = new Map<string, Ticket>()
  const created: NewTicket[] = []
  const queued: OutboxDraft[] = []
  const store = {
    created,
    queued,
    async createTicket(input: NewTicket) {
      if (remaining-- > 0)
        throw new Error('database is down')
      const existing = byKey.get(input.intakeKey)
      if (existing)
        return { ticket: existing, created: false }
      created.push(input)
      const ticket = { ...input.report, id: created.length, number: `HY-20261126-000${created.length}`, status: input.status, departmentId: input.classification.departmentId } as Ticket
      byKey.set(input.intakeKey, ticket)
      queued.push(...(input.outbox?.(ticket) ?? []))
      return { ticket, created: true }
    },
  }
  return store as unknown as TicketStore & { created: NewTicket[], queued: OutboxDraft[] }
}

async function tempSpool() {
  const dir = await mkdtemp(join(tmpdir(), 'huiyin-spool-'))
  return { path: join(dir, 'spool.jsonl'), spool: createFileReportSpool(join(dir, 'spool.jsonl')) }
}

describe('submitReport', () => {
  it('stores the ticket as assigned when the classifier is confident', async () => {
    const tickets = flakyStore(0)
    const { spool } = await tempSpool()
    const submit = createSubmitReport({ tickets, spool, catalog: () => catalog, minConfidence: 0.5, logger })
    const outcome = await submit({ intakeKey: 'k1', report, classification })
    expect(outcome).toMatchObject({ kind: 'stored', created: true, ticket: { number: 'HY-20261126-0001', status: 'assigned', departmentId: 'city' } })
    expect(tickets.created[0]!.classification).toMatchObject({ classifier: 'llm', classifierModel: 'test-model', promptVersion: 'classify-report@1' })
  })

  it('sends an unsure or failed classification to triage', async () => {
    const tickets = flakyStore(0)
    const { spool } = await tempSpool()
    const submit = createSubmitReport({ tickets, spool, catalog: () => catalog, minConfidence: 0.5, logger })
    const unsure = await submit({ intakeKey: 'k1', report, classification: { ...classification, confidence: 0.2 } })
    const failed = await submit({ intakeKey: 'k2', report, classification: null })
    expect(unsure).toMatchObject({ kind: 'stored', ticket: { status: 'needs_triage' } })
    expect(failed).toMatchObject({ kind: 'stored', ticket: { status: 'needs_triage', departmentId: null } })
    expect(tickets.created[1]!.classification.classifierNote).toBe('classification_failed')
  })

  it('keeps a report the database refused in the spool, and stores it once when the database is back', async () => {
    const tickets = flakyStore(1)
    const { spool, path } = await tempSpool()
    const submit = createSubmitReport({ tickets, spool, catalog: () => catalog, minConfidence: 0.5, logger })
    expect(await submit({ intakeKey: 'k1', report, classification })).toEqual({ kind: 'queued' })
    expect((await readFile(path, 'utf8')).trim().split('\n')).toHaveLength(1)

    const drained = await drainReportSpool({ tickets, spool, catalog: () => catalog, minConfidence: 0.5, logger, texts })
    expect(drained).toEqual({ stored: 1, remaining: 0 })
    expect(await spool.list()).toEqual([])
    // The reporter is told the number later, under their report in the group, through the outbox.
    expect(tickets.queued).toEqual([{
      dedupKey: 'ticket:1:stored-late',
      ticketId: 1,
      chatId: report.sourceChatId,
      payload: { kind: 'message', text: 'zh:report-queued-stored:HY-20261126-0001', replyToMessageId: report.sourceMessageId },
    }])

    // Draining again (say, after a crash before the spool was rewritten) creates nothing twice.
    await spool.append({ intakeKey: 'k1', report, classification, spooledAt: new Date().toISOString() })
    await drainReportSpool({ tickets, spool, catalog: () => catalog, minConfidence: 0.5, logger, texts })
    expect(tickets.created).toHaveLength(1)
    expect(tickets.queued).toHaveLength(1)
  })

  it('leaves the spool alone while the database is still down', async () => {
    const tickets = flakyStore(10)
    const { spool } = await tempSpool()
    await spool.append({ intakeKey: 'k1', report, classification, spooledAt: new Date().toISOString() })
    const drained = await drainReportSpool({ tickets, spool, catalog: () => catalog, minConfidence: 0.5, logger, texts })
    expect(drained).toEqual({ stored: 0, remaining: 1 })
    expect(await spool.list()).toHaveLength(1)
  })
})

describe('toTicketClassification', () => {
  it('drops ids the catalog no longer has, so the ticket goes to triage instead of nowhere', () => {
    const stale = toTicketClassification({ ...classification, categoryId: 'removed' }, report.description, catalog)
    expect(stale.categoryId).toBeNull()
    expect(stale.departmentId).toBeNull()
    expect(stale.confidence).toBe(0)
  })

  it('records the fallback reason of the classifier', () => {
    const fallback = toTicketClassification({ ...classification, classifier: 'offline', fallbackReason: 'llm_timeout' }, report.description, catalog)
    expect(fallback.classifierNote).toBe('llm_timeout')
    expect(fallback.classifier).toBe('offline')
  })
})
