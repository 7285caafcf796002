import type { Logger } from '#root/logger.js'
import type { ReportSpool } from '#root/store/report-spool.js'
import type { NotificationTexts } from '#root/usecases/notifications.js'
import type { SubmitReportDependencies } from '#root/usecases/submit-report.js'
import { reporterAddress, reporterLocale } from '#root/usecases/notifications.js'
import { storeReport } from '#root/usecases/submit-report.js'

export interface DrainReportSpoolDependencies extends Pick<SubmitReportDependencies, 'tickets' | 'catalog' | 'minConfidence' | 'route' | 'adminIds' | 'wakeOutbox'> {
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

export interface SpoolDrainer {
  /** Drains now, then keeps draining on its own schedule until {@link stop}. */
  start: () => Promise<void>
  /** A report was just spooled: try again soon rather than at the next idle round. */
  wake: () => void
  /** Stops the schedule and waits for a round in progress. */
  stop: () => Promise<void>
}

export interface SpoolDrainerOptions {
  /** Between rounds while the spool is empty (default 30 s). */
  idleMs?: number
  /** After a round that left reports behind, the first wait; it doubles up to {@link maxRetryMs} (default 1 s). */
  retryMs?: number
  maxRetryMs?: number
}

/**
 * Runs {@link drainReportSpool} on a schedule that follows the database: while spooled reports wait, it tries again
 * within seconds (1 s, doubling up to 5 s), so they become tickets soon after the database answers again; once the
 * spool is empty it looks every 30 s. Rounds never overlap.
 */
export function createSpoolDrainer(
  drain: () => Promise<{ remaining: number }>,
  logger: Logger,
  { idleMs = 30_000, retryMs = 1_000, maxRetryMs = 5_000 }: SpoolDrainerOptions = {},
): SpoolDrainer {
  let timer: NodeJS.Timeout | undefined
  let nextAt = Number.POSITIVE_INFINITY
  let running: Promise<void> | undefined
  let stopped = true
  let backoff = retryMs
  let wokenDuringRound = false

  const schedule = (delay: number) => {
    if (stopped || running)
      return
    if (timer && Date.now() + delay >= nextAt)
      return
    clearTimeout(timer)
    nextAt = Date.now() + delay
    timer = setTimeout(round, delay)
    timer.unref()
  }
  const round = () => {
    timer = undefined
    nextAt = Number.POSITIVE_INFINITY
    running = (async () => {
      let remaining = 0
      try {
        remaining = (await drain()).remaining
      }
      catch (error) {
        logger.error({ err: error }, 'draining the report spool failed')
        remaining = 1
      }
      running = undefined
      if (wokenDuringRound) {
        wokenDuringRound = false
        backoff = retryMs
        schedule(retryMs)
      }
      else if (remaining > 0) {
        schedule(backoff)
        backoff = Math.min(maxRetryMs, backoff * 2)
      }
      else {
        backoff = retryMs
        schedule(idleMs)
      }
    })()
    return running
  }

  return {
    async start() {
      stopped = false
      await round()
    },
    wake() {
      if (running) {
        wokenDuringRound = true
        return
      }
      backoff = retryMs
      schedule(retryMs)
    },
    async stop() {
      stopped = true
      clearTimeout(timer)
      timer = undefined
      await running
    },
  }
}
