import type { Logger } from '#root/logger.js'
import type { ReportSpool } from '#root/store/report-spool.js'
import { reporterAddress, reporterLocale } from '#root/usecases/notifications.js'
import type { NotificationTexts } from '#root/usecases/notifications.js'
import type { SubmitReportDependencies } from '#root/usecases/submit-report.js'
import { storeReport } from '#root/usecases/submit-report.js'

export interface DrainReportSpoolDependencies extends Pick<SubmitReportDependencies, 'tickets' | 'catalog' | 'minConfidence' | 'cardChats' | 'wakeOutbox'> {
  spool: ReportSpool
  logger: Logger
  texts: NotificationTexts
}

/**
 * Moves spooled reports into the case store, each with the message that tells the reporter their number, queued in
 * the same transaction. Stops at the first failure, to try again later.
 */
export async function drainReportSpool(deps: DrainReportSpoolDependencies): Promise<{ stored: number, remaining: number }> {
  const entries = await deps.spool.list()
  const done: string[] = []
  for (const entry of entries) {
    try {
      await storeReport(deps, entry, (ticket) => {
        const address = reporterAddress(ticket)
        const text = deps.texts.translate(reporterLocale(ticket), 'report-queued-stored', { number: ticket.number })
        return [{ dedupKey: `ticket:${ticket.id}:stored-late`, ticketId: ticket.id, chatId: address.chatId, payload: { kind: 'message', text, ...address.delivery } }]
      })
      done.push(entry.intakeKey)
    }
    catch (error) {
      deps.logger.warn({ err: error, intakeKey: entry.intakeKey }, 'spooled report still cannot be stored')
      break
    }
  }
  if (done.length > 0) {
    await deps.spool.remove(done)
    deps.logger.info({ stored: done.length }, 'stored spooled reports')
  }
  return { stored: done.length, remaining: entries.length - done.length }
}
