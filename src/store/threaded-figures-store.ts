import type { MonthlyFiguresSource } from '#root/domain/monthly-figures.js'
import type { FiguresRequest } from '#root/store/figures-worker.js'
import type { StatsStore } from '#root/store/stats-store.js'
import { Worker } from 'node:worker_threads'

export interface ThreadedFiguresStore extends StatsStore, MonthlyFiguresSource {
  /** Closes the worker's connection and ends the worker. */
  close: () => Promise<void>
}

type Answer = { id: number, result: unknown } | { id: number, error: string }

/** Distributes a request over its own id; a union stays a union. */
type Request = FiguresRequest extends infer R ? R extends FiguresRequest ? Omit<R, 'id'> : never : never

/**
 * `/stats` and the monthly figures run in a worker thread with its own SQLite connection (WAL lets it read while
 * the bot writes): a month's aggregate at a million tickets takes longer than a chat should wait for another's
 * report. Started at the first request; the area tree is read from the store there.
 */
export function createThreadedFiguresStore(databaseUrl: string, options: { timezone: string }): ThreadedFiguresStore {
  let worker: Worker | undefined
  let nextId = 1
  const pending = new Map<number, { resolve: (result: unknown) => void, reject: (error: Error) => void }>()

  function start(): Worker {
    const started = new Worker(new URL('./figures-worker.mjs', import.meta.url), { workerData: { databaseUrl, timezone: options.timezone } })
    started.on('message', (answer: Answer) => {
      const waiting = pending.get(answer.id)
      pending.delete(answer.id)
      if (pending.size === 0)
        started.unref()
      if (!waiting)
        return
      if ('error' in answer)
        waiting.reject(new Error(`figures query failed: ${answer.error}`))
      else
        waiting.resolve(answer.result)
    })
    const fail = (error: Error) => {
      for (const waiting of pending.values()) waiting.reject(error)
      pending.clear()
      worker = undefined
    }
    started.on('error', fail)
    started.on('exit', code => fail(new Error(`the figures worker exited (code ${code})`)))
    started.unref()
    return started
  }

  function ask<T>(request: Request): Promise<T> {
    worker ??= start()
    const id = nextId++
    const answer = new Promise<T>((resolve, reject) => pending.set(id, { resolve: resolve as (result: unknown) => void, reject }))
    // Referenced while a request is in flight, so that waiting for it keeps the process alive.
    worker.ref()
    worker.postMessage({ ...request, id })
    return answer
  }

  return {
    ticketStats: range => ask({ kind: 'stats', from: range.from.toISOString(), to: range.to.toISOString() }),
    monthFigures: (month, unit) => ask({ kind: 'month', month, unit }),
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
