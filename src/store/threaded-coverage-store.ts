import type { AreaFigures, CoverageRows, CoverageStore } from '#root/store/coverage-store.js'
import type { CoverageRequest } from '#root/store/coverage-worker.js'
import { createQueryWorker } from '#root/store/query-worker.js'

export interface ThreadedCoverageStore extends CoverageStore {
  /** Closes the worker's connection and ends the worker. */
  close: () => Promise<void>
}

interface CoverageAnswer {
  byArea: [string, AreaFigures][]
  cadres: CoverageRows['cadres']
}

/**
 * The coverage store run in a worker thread with its own SQLite connection, so that a long report never holds the
 * thread every chat is served on.
 */
export function createThreadedCoverageStore(databaseUrl: string): ThreadedCoverageStore {
  const worker = createQueryWorker<Omit<CoverageRequest, 'id'>>(new URL('./coverage-worker.mjs', import.meta.url), { databaseUrl }, 'coverage')
  return {
    async figures(period, areaIds) {
      const rows = await worker.ask<CoverageAnswer>({ period, areaIds: areaIds === null ? null : [...areaIds] })
      return { byArea: new Map(rows.byArea), cadres: rows.cadres }
    },
    close: () => worker.close(),
  }
}
