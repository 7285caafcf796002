import type { Classifier } from '#root/classify/classification.js'
import type { AreaTree } from '#root/domain/area.js'
import type { ChatType, Report } from '#root/domain/ticket.js'
import type { Visit } from '#root/domain/visit.js'
import type { Logger } from '#root/logger.js'
import type { RegistryStore } from '#root/store/registry-store.js'
import type { VisitStore } from '#root/store/visit-store.js'
import type { StoredTicketSummary, SubmitReportInput } from '#root/usecases/submit-report.js'

export interface VisitTicketDependencies {
  visits: VisitStore
  registry: RegistryStore
  classifier: Classifier
  areas: () => AreaTree
  logger: Logger
  /** The resident's path into the case store (classification applied, cards queued): see storeReport. */
  storeTicket: (input: SubmitReportInput) => Promise<{ ticket: StoredTicketSummary, created: boolean }>
}

/**
 * Turns problems heard on a visit into tickets, one per problem, through the same path as a resident's report. The
 * cadre is the reporter: every echo comes back to them, under their note. Idempotent: a problem that already has
 * a ticket keeps it, and a press handled twice stores once (the intake key names the visit and the problem).
 */
export async function openVisitTickets(deps: VisitTicketDependencies, visitId: number, which: number | 'all'): Promise<Visit | null> {
  const visit = await deps.visits.findById(visitId)
  if (!visit)
    return null
  const entity = visit.entityId === null ? null : await deps.registry.findById(visit.entityId)
  const area = deps.areas().byId(visit.areaId)
  // A household's name is personal data: the handlers' card says a household in difficulty was visited, not who.
  const heardAt = entity === null ? '走访时听到' : entity.kind === 'household' ? '走访困难家庭时听到' : `走访${entity.name}时听到`
  for (const problem of visit.problems) {
    if (problem.ticketId !== null || (which !== 'all' && problem.position !== which))
      continue
    const description = `${problem.text}（${heardAt}）`
    const classification = await deps.classifier.classify({ text: description, locationText: visit.place }).catch((error: unknown) => {
      deps.logger.error({ err: error }, 'classifying a visit problem failed; the ticket waits in triage')
      return null
    })
    const report: Report = {
      reporterId: visit.cadreId,
      reporterName: visit.cadreName,
      reporterLanguage: 'zh',
      sourceChatId: visit.chatId,
      sourceChatType: visit.chatType as ChatType,
      sourceMessageId: visit.messageId,
      areaName: area?.name ?? null,
      description,
      locationText: visit.place,
      latitude: null,
      longitude: null,
      photoFileIds: [],
      contactAllowed: false,
      contactPhone: null,
      replyPrivately: false,
    }
    const { ticket } = await deps.storeTicket({ intakeKey: `visit:${visit.id}:${problem.position}`, report, classification })
    await deps.visits.linkTicket(problem.id, ticket.id)
  }
  return deps.visits.findById(visitId)
}
