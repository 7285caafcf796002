import type { Locale } from '#root/bot/helpers/names.js'
import type { ClassificationResult } from '#root/classify/classification.js'
import type { Catalog } from '#root/domain/catalog.js'
import type { OutboxDraft } from '#root/domain/outbox.js'
import type { Report, Ticket, TicketClassification, TicketStatus } from '#root/domain/ticket.js'
import type { Logger } from '#root/logger.js'
import type { ReportSpool } from '#root/store/report-spool.js'
import type { TicketStore } from '#root/store/ticket-store.js'
import type { NotificationTexts } from '#root/usecases/notifications.js'
import { safeSummary } from '#root/classify/output-guard.js'
import { initialStatus } from '#root/domain/lifecycle.js'
import { cardDrafts, reporterAddress, reporterLocale } from '#root/usecases/notifications.js'

export interface SubmitReportInput {
  intakeKey: string
  report: Report
  /** Null when classification failed altogether: the ticket then waits in triage. */
  classification: ClassificationResult | null
  /**
   * Where the reporter learns the number: the summary they confirmed is turned into the registration. Queued with
   * the ticket, so a bot stopped right after storing still tells them, and a confirmation handled twice tells once.
   */
  announcement?: { chatId: number, editMessageId: number, locale: Locale }
}

/** Plain data, because conversations keep what a step returned in their replay log. */
export interface StoredTicketSummary {
  id: number
  number: string
  status: TicketStatus
  departmentId: string | null
}

export type SubmitOutcome
  = | { kind: 'stored', ticket: StoredTicketSummary, created: boolean }
    | { kind: 'queued' }

export type SubmitReport = (input: SubmitReportInput) => Promise<SubmitOutcome>

export interface SubmitReportDependencies {
  tickets: TicketStore
  spool: ReportSpool
  catalog: () => Catalog
  minConfidence: number
  logger: Logger
  /**
   * Where a new ticket's card goes and in which status (see routeNewTicket): its department's handlers, or the
   * admins for triage; no chat at all when no group can take it.
   */
  route?: (departmentId: string | null, status: TicketStatus) => Promise<{ status: TicketStatus, chatIds: number[] }>
  /** Told privately, through the outbox, of a ticket no group can see. */
  adminIds?: readonly number[]
  /** Texts of the registration message and of the messages about a ticket no group can see. */
  texts?: NotificationTexts
  /** Tells the outbox worker that a card was queued. */
  wakeOutbox?: () => void
  /** Tells the spool drainer that a report waits in the spool. */
  onSpooled?: () => void
}

/**
 * Turns a confirmed report into a ticket. The store retries passing database errors; when it still fails the
 * report goes to the local spool, to be stored later: a report a resident confirmed is never lost.
 */
export function createSubmitReport(deps: SubmitReportDependencies): SubmitReport {
  return async (input) => {
    try {
      const stored = await storeReport(deps, input, ticket => announcementDrafts(deps, input, ticket))
      deps.logger.info({ ticket: stored.ticket.number, status: stored.ticket.status, department: stored.ticket.departmentId, classifier: input.classification?.classifier ?? null }, 'report stored')
      return { kind: 'stored', ...stored }
    }
    catch (error) {
      deps.logger.error({ err: error, intakeKey: input.intakeKey }, 'storing a confirmed report failed; spooling it')
      await deps.spool.append({ ...input, spooledAt: new Date().toISOString() })
      deps.onSpooled?.()
      return { kind: 'queued' }
    }
  }
}

/** The registration message: the confirmed summary edited into the number and where the report went. */
function announcementDrafts(deps: Pick<SubmitReportDependencies, 'texts' | 'catalog'>, input: SubmitReportInput, ticket: Ticket): OutboxDraft[] {
  const { announcement } = input
  if (!announcement || !deps.texts)
    return []
  const department = deps.catalog().departments.find(d => d.id === ticket.departmentId)
  const text = deps.texts.translate(announcement.locale, ticket.status === 'needs_triage' ? 'report-saved-triage' : 'report-saved', {
    number: ticket.number,
    department: department ? (announcement.locale === 'en' ? department.nameEn : department.nameZh) : '',
  })
  return [{
    dedupKey: `ticket:${ticket.id}:registered`,
    ticketId: ticket.id,
    chatId: announcement.chatId,
    payload: {
      kind: 'message',
      text,
      editMessageId: announcement.editMessageId,
      ...(input.report.sourceMessageId ? { replyToMessageId: input.report.sourceMessageId } : {}),
    },
  }]
}

export async function storeReport(
  deps: Pick<SubmitReportDependencies, 'tickets' | 'catalog' | 'minConfidence' | 'route' | 'adminIds' | 'texts' | 'wakeOutbox' | 'logger'>,
  input: SubmitReportInput,
  /** Further messages the new ticket causes, queued with it (e.g. telling the reporter the number later). */
  alsoQueue: (ticket: Ticket) => OutboxDraft[] = () => [],
): Promise<{ ticket: StoredTicketSummary, created: boolean }> {
  const classification = toTicketClassification(input.classification, input.report.description, deps.catalog())
  const proposed = initialStatus(classification.departmentId, classification.confidence, deps.minConfidence)
  const { status, chatIds } = deps.route ? await deps.route(classification.departmentId, proposed) : { status: proposed, chatIds: [] }
  const { ticket, created } = await deps.tickets.createTicket({
    intakeKey: input.intakeKey,
    report: input.report,
    classification,
    status,
    actor: { id: input.report.reporterId, role: 'reporter' },
    outbox: created => [
      ...cardDrafts(created, `ticket:${created.id}`, chatIds),
      ...(deps.route && chatIds.length === 0 ? unseenTicketDrafts(created, deps) : []),
      ...alsoQueue(created),
    ],
  })
  if (created && deps.route && chatIds.length === 0)
    deps.logger.warn({ ticket: ticket.number }, 'no group can see the new ticket: bind an admins\' group; admins told privately')
  if (created)
    deps.wakeOutbox?.()
  return {
    ticket: { id: ticket.id, number: ticket.number, status: ticket.status, departmentId: ticket.departmentId },
    created,
  }
}

/**
 * A ticket no group can see (no handlers' group for its department, no admins' group): the reporter is told so
 * honestly, where they hear about their ticket, and every admin privately, so that someone binds a group and
 * triages it.
 */
function unseenTicketDrafts(ticket: Ticket, deps: Pick<SubmitReportDependencies, 'adminIds' | 'texts'>): OutboxDraft[] {
  if (!deps.texts)
    return []
  const { translate, catalog } = deps.texts
  const address = reporterAddress(ticket)
  const department = catalog().departments.find(d => d.id === ticket.departmentId)?.nameZh ?? translate('zh', 'department-unknown')
  return [
    {
      dedupKey: `ticket:${ticket.id}:unseen:reporter`,
      ticketId: ticket.id,
      chatId: address.chatId,
      payload: { kind: 'message', text: translate(reporterLocale(ticket), 'report-unseen', { number: ticket.number }), ...address.delivery },
    },
    ...[...new Set(deps.adminIds ?? [])].map(adminId => ({
      dedupKey: `ticket:${ticket.id}:unseen:admin:${adminId}`,
      ticketId: ticket.id,
      chatId: adminId,
      payload: { kind: 'message' as const, text: translate('zh', 'admin-ticket-unseen', { number: ticket.number, department }) },
    })),
  ]
}

/**
 * What the ticket records of a classification. The catalog may have changed since the resident saw the summary,
 * so ids are checked again; anything unknown leaves the ticket for triage rather than pointing nowhere.
 */
export function toTicketClassification(
  result: ClassificationResult | null,
  description: string,
  catalog: Catalog,
): TicketClassification {
  if (!result) {
    return {
      categoryId: null,
      departmentId: null,
      urgency: 'normal',
      requestType: 'complaint',
      summary: safeSummary(description),
      extractedLocation: null,
      confidence: 0,
      classifier: 'offline',
      classifierModel: null,
      promptVersion: null,
      classifierNote: 'classification_failed',
    }
  }
  const categoryKnown = catalog.categories.some(c => c.id === result.categoryId)
  const departmentKnown = catalog.departments.some(d => d.id === result.departmentId)
  return {
    categoryId: categoryKnown ? result.categoryId : null,
    departmentId: categoryKnown && departmentKnown ? result.departmentId : null,
    urgency: result.urgency,
    requestType: result.requestType,
    summary: result.summary,
    extractedLocation: result.location,
    confidence: categoryKnown ? result.confidence : 0,
    classifier: result.classifier,
    classifierModel: result.model,
    promptVersion: result.promptVersion,
    classifierNote: result.fallbackReason,
  }
}
