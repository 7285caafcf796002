import type { Logger } from '#root/logger.js'
import type { ReportSpool, SpooledReport } from '#root/store/report-spool.js'
import type { StoredTicketSummary, SubmitReportDependencies } from '#root/usecases/submit-report.js'
import { storeReport } from '#root/usecases/submit-report.js'

export interface DrainReportSpoolDependencies extends Pick<SubmitReportDependencies, 'tickets' | 'catalog' | 'minConfidence' | 'cardChats' | 'wakeOutbox'> {
  spool: ReportSpool
  logger: Logger
  /** Tells the reporter their number; called only for tickets this drain created. */
  onStored: (entry: SpooledReport, ticket: StoredTicketSummary) => Promise<void>
}

/** Moves spooled reports into the case store; stops at the first failure, to try again later. */
export async function drainReportSpool(deps: DrainReportSpoolDependencies): Promise<{ stored: number, remaining: number }> {
  const entries = await deps.spool.list()
  const done: string[] = []
  for (const entry of entries) {
    try {
      const { ticket, created } = await storeReport(deps, entry)
      done.push(entry.intakeKey)
      if (created) {
        await deps.onStored(entry, ticket).catch(error =>
          deps.logger.warn({ err: error, ticket: ticket.number }, 'telling the reporter about a spooled report failed'))
      }
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
