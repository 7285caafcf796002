import { Worker } from 'node:worker_threads'

export interface QueryWorker<Request> {
  /** Posts the request with an id of its own; resolves with the worker's answer to it. */
  ask: <Result>(request: Request) => Promise<Result>
  /** Closes the worker's connection and ends the worker. */
  close: () => Promise<void>
}

type Answer = { id: number, result: unknown } | { id: number, error: string }

/**
 * A worker thread with its own SQLite connection (WAL lets it read while the bot writes) for the long reports, so that
 * none holds the thread every chat is served on. Started at the first request; unreferenced while idle, so that an
 * idle worker never keeps the process alive. The worker answers `{ id, result }` or `{ id, error }` and closes its
 * connection on the message `'close'`.
 */
export function createQueryWorker<Request extends object>(entry: URL, workerData: unknown, name: string): QueryWorker<Request> {
  let worker: Worker | undefined
  let nextId = 1
  const pending = new Map<number, { resolve: (result: unknown) => void, reject: (error: Error) => void }>()

  function start(): Worker {
    // The worker is TypeScript like the rest: its entry registers tsx in the new thread first.
    const started = new Worker(entry, { workerData })
    started.on('message', (answer: Answer) => {
      const waiting = pending.get(answer.id)
      pending.delete(answer.id)
      if (pending.size === 0)
        started.unref()
      if (!waiting)
        return
      if ('error' in answer)
        waiting.reject(new Error(`${name} query failed: ${answer.error}`))
      else
        waiting.resolve(answer.result)
    })
    const fail = (error: Error) => {
      for (const waiting of pending.values()) waiting.reject(error)
      pending.clear()
      worker = undefined
    }
    started.on('error', fail)
    started.on('exit', code => fail(new Error(`the ${name} worker exited (code ${code})`)))
    started.unref()
    return started
  }

  return {
    ask<Result>(request: Request) {
      worker ??= start()
      const id = nextId++
      const answer = new Promise<Result>((resolve, reject) => pending.set(id, { resolve: resolve as (result: unknown) => void, reject }))
      // Referenced while a request is in flight, so that waiting for it keeps the process alive.
      worker.ref()
      worker.postMessage({ ...request, id })
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
