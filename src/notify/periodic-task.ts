import type { Logger } from '#root/logger.js'

export interface PeriodicTask {
  start: () => void
  /** Waits for a round in progress, then stops. */
  stop: () => Promise<void>
  /** Runs one round now (after the one in progress); resolves when it is done. */
  runNow: () => Promise<void>
}

/** Runs `round` every `intervalMs`, one round at a time; a failed round is logged and the next one comes as usual. */
export function createPeriodicTask(name: string, round: () => Promise<void>, options: { intervalMs: number, logger: Logger }): PeriodicTask {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> = Promise.resolve()
  let stopped = true

  const run = () => {
    running = running.then(async () => {
      try {
        await round()
      }
      catch (error) {
        options.logger.error({ err: error, task: name }, 'a scheduled round failed; the next one tries again')
      }
    })
    return running
  }
  const schedule = () => {
    if (stopped)
      return
    timer = setTimeout(() => {
      void run().then(schedule)
    }, options.intervalMs)
    timer.unref()
  }

  return {
    start() {
      if (!stopped)
        return
      stopped = false
      void run().then(schedule)
    },
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
    },
    runNow: run,
  }
}
