import type { MonthlyFiguresSource } from '#root/domain/monthly-figures.js'
import type { FiguresRequest } from '#root/store/figures-worker.js'
import type { StatsStore } from '#root/store/stats-store.js'
import { createQueryWorker } from '#root/store/query-worker.js'

export interface ThreadedFiguresStore extends StatsStore, MonthlyFiguresSource {
  /** Closes the worker's connection and ends the worker. */
  close: () => Promise<void>
}

/** Distributes a request over its own id; a union stays a union. */
type Request = FiguresRequest extends infer R ? R extends FiguresRequest ? Omit<R, 'id'> : never : never

/**
 * `/stats` and the monthly figures run in a worker thread with its own SQLite connection (WAL lets it read while
 * the bot writes): a month's aggregate at a million tickets takes longer than a chat should wait for another's
 * report. The area tree is read from the store there.
 */
export function createThreadedFiguresStore(databaseUrl: string, options: { timezone: string }): ThreadedFiguresStore {
  const worker = createQueryWorker<Request>(new URL('./figures-worker.mjs', import.meta.url), { databaseUrl, timezone: options.timezone }, 'figures')
  const ask = worker.ask
  return {
    ticketStats: range => ask({ kind: 'stats', from: range.from.toISOString(), to: range.to.toISOString() }),
    monthFigures: (month, unit) => ask({ kind: 'month', month, unit }),
    close: () => worker.close(),
  }
}
