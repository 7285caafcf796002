import type { AreaFigures, CoverageRows, CoverageStore } from '#root/store/coverage-store.js'
import { Worker } from 'node:worker_threads'

export interface ThreadedCoverageStore extends CoverageStore {
  /** Closes the worker's connection and ends the worker. */
  close: () => Promise<void>
}

type Answer = { id: number, rows: { byArea: [string, AreaFigures][], cadres: CoverageRows['cadres'] } } | { id: number, error: string }

/**
 * The coverage store run in a worker thread with its own SQLite connection (WAL lets it read while the bot writes),
 * so that a long report never holds the thread every chat is served on. Started at the first report.
 */
export function createThreadedCoverageStore(databaseUrl: string): ThreadedCoverageStore {
  let worker: Worker | undefined
  let nextId = 1
  const pending = new Map<number, { resolve: (rows: CoverageRows) => void, reject: (error: Error) => void }>()

  function start(): Worker {
    // The worker is TypeScript like the rest: its entry registers tsx in the new thread first.
    const started = new Worker(new URL('./coverage-worker.mjs', import.meta.url), { workerData: { databaseUrl } })
    started.on('message', (answer: Answer) => {
      const waiting = pending.get(answer.id)
      pending.delete(answer.id)
      if (pending.size === 0)
        started.unref()
      if (!waiting)
        return
      if ('error' in answer)
        waiting.reject(new Error(`coverage query failed: ${answer.error}`))
      else
        waiting.resolve({ byArea: new Map(answer.rows.byArea), cadres: answer.rows.cadres })
    })
    const fail = (error: Error) => {
      for (const waiting of pending.values()) waiting.reject(error)
      pending.clear()
      worker = undefined
    }
    started.on('error', fail)
    started.on('exit', code => fail(new Error(`the coverage worker exited (code ${code})`)))
    started.unref()
    return started
  }

  return {
    figures(period, areaIds) {
      worker ??= start()
      const id = nextId++
      const answer = new Promise<CoverageRows>((resolve, reject) => pending.set(id, { resolve, reject }))
      // Referenced while a report is in flight, so that waiting for it keeps the process alive.
      worker.ref()
      worker.postMessage({ id, period, areaIds: areaIds === null ? null : [...areaIds] })
      return answer
    },
    async close() {
      const running = worker
      worker = undefined
      if (!running)
        return
      const exited = new Promise(resolve => running.once('exit', resolve))
      running.postMessage('close')
      await Promise.race([exited, new Promise(resolve => setTimeout(resolve, 2000))])
      await running.terminate()
    },
  }
}
