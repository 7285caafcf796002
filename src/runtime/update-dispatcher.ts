import type { Logger } from '#root/logger.js'
import type { Update } from 'grammy/types'
import { chatUserKey } from '#root/bot/chat-user-key.js'
import { isTransientError } from '#root/runtime/transient-error.js'

/** What the handler is told about the attempt it is making. */
export interface AttemptInfo {
  /** 1 for the first attempt. */
  attempt: number
  /** No retry follows if this attempt fails. */
  lastAttempt: boolean
}

export type UpdateHandler = (update: Update, info: AttemptInfo) => Promise<unknown>

export interface Timers {
  setTimeout: (callback: () => void, ms: number) => unknown
  clearTimeout: (timer: unknown) => void
}

export interface UpdateDispatcherOptions {
  handle: UpdateHandler
  /** Called once an update is finished with (handled, or given up on); the key's next update waits for it. */
  onFinished: (update: Update) => Promise<void>
  /** How many updates are handled at once, across keys. */
  concurrency: number
  logger: Logger
  /** Attempts per update when its failures are transient. */
  maxAttempts?: number
  /** Wait before attempt `attempt + 1`. */
  retryDelayMs?: (attempt: number) => number
  isTransient?: (error: unknown) => boolean
  keyOf?: (update: Update) => string
  timers?: Timers
}

export interface UpdateDispatcher {
  /** Queues an update behind the earlier ones of its key. */
  push: (update: Update) => void
  /** Updates being handled right now. */
  readonly inFlight: number
  /** Updates queued, being handled or waiting for a retry. */
  readonly backlog: number
  /** Resolves when nothing is queued, being handled or waiting for a retry. */
  idle: () => Promise<void>
  /**
   * Starts nothing new and waits up to `timeoutMs` for the updates in hand; resolves with whether they finished.
   * What is left is not marked finished, so the inbox hands it over again at the next start.
   */
  stop: (timeoutMs: number) => Promise<boolean>
}

export const DEFAULT_MAX_ATTEMPTS = 24
const MAX_RETRY_DELAY_MS = 5_000

/**
 * 0.5 s, 1 s, 2 s, 4 s, then every 5 s for about two minutes in all, with jitter so that updates failing together do
 * not retry together. A person is waiting on each of these updates: once the database or Telegram is back, their
 * answer should follow within seconds, not after a doubling wait has grown past a minute.
 */
export function backoffDelayMs(attempt: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, 500 * 2 ** (attempt - 1)) * (0.75 + Math.random() / 4)
}

/**
 * The key whose updates must be handled one after the other: the chat and user, as the conversation storage keys
 * a conversation, so a resident's updates stay in order while other residents and chats go on meanwhile.
 */
export function sequenceKey(update: Update): string {
  const payload = Object.entries(update).find(([name]) => name !== 'update_id')?.[1] as
    | { chat?: { id: number }, message?: { chat?: { id: number } }, from?: { id: number }, user?: { id: number } }
    | undefined
  const chat = payload?.chat ?? payload?.message?.chat
  const from = payload?.from ?? payload?.user
  if (chat && from)
    return chatUserKey(chat.id, from.id)
  if (chat)
    return `${chat.id}`
  if (from)
    return `user:${from.id}`
  return 'global'
}

interface Lane {
  updates: Update[]
  attempts: number
  state: 'ready' | 'running' | 'waiting'
  timer?: unknown
}

/**
 * Handles updates concurrently across keys and strictly in order within a key, at most `concurrency` at a time.
 * An update whose handler fails for a passing reason is tried again after a backoff while the later updates of
 * its key wait behind it (those of other keys go on); any other failure, or the last attempt's, is logged and the
 * update is finished with.
 */
export function createUpdateDispatcher(options: UpdateDispatcherOptions): UpdateDispatcher {
  const {
    handle,
    onFinished,
    concurrency,
    logger,
    maxAttempts = DEFAULT_MAX_ATTEMPTS,
    retryDelayMs = backoffDelayMs,
    isTransient = isTransientError,
    keyOf = sequenceKey,
    timers = { setTimeout: (callback, ms) => setTimeout(callback, ms).unref(), clearTimeout: timer => clearTimeout(timer as NodeJS.Timeout) },
  } = options
  const lanes = new Map<string, Lane>()
  const ready: string[] = []
  let running = 0
  let queued = 0
  let stopping = false
  const listeners = new Set<() => void>()

  function notify(): void {
    for (const listener of listeners) listener()
  }

  function until(condition: () => boolean): Promise<void> {
    if (condition())
      return Promise.resolve()
    return new Promise((resolve) => {
      const listener = () => {
        if (condition()) {
          listeners.delete(listener)
          resolve()
        }
      }
      listeners.add(listener)
    })
  }

  function pump(): void {
    while (!stopping && running < concurrency && ready.length > 0) {
      const key = ready.shift()!
      void run(key, lanes.get(key)!)
    }
  }

  async function run(key: string, lane: Lane): Promise<void> {
    lane.state = 'running'
    running++
    const update = lane.updates[0]!
    const attempt = ++lane.attempts
    const lastAttempt = attempt >= maxAttempts
    let retry = false
    try {
      await handle(update, { attempt, lastAttempt })
    }
    catch (error) {
      const log = logger.child({ update_id: update.update_id, attempt })
      if (!lastAttempt && isTransient(error)) {
        retry = true
        log.warn({ err: error }, 'handling an update failed for a passing reason; it will be tried again')
      }
      else {
        log.error({ err: error }, isTransient(error) ? 'handling an update failed on its last attempt; given up' : 'handling an update failed; given up')
      }
    }
    if (retry) {
      running--
      lane.state = 'waiting'
      if (!stopping) {
        lane.timer = timers.setTimeout(() => {
          lane.timer = undefined
          lane.state = 'ready'
          ready.push(key)
          pump()
        }, retryDelayMs(attempt))
      }
      pump()
      notify()
      return
    }
    try {
      await onFinished(update)
    }
    catch (error) {
      // Still unfinished on disk: handled again at the next start, which is better than never.
      logger.error({ err: error, update_id: update.update_id }, 'could not record an update as handled')
    }
    lane.updates.shift()
    lane.attempts = 0
    queued--
    running--
    if (lane.updates.length > 0) {
      lane.state = 'ready'
      ready.push(key)
    }
    else {
      lanes.delete(key)
    }
    pump()
    notify()
  }

  return {
    push(update) {
      const key = keyOf(update)
      queued++
      const lane = lanes.get(key)
      if (lane) {
        lane.updates.push(update)
        return
      }
      lanes.set(key, { updates: [update], attempts: 0, state: 'ready' })
      ready.push(key)
      pump()
    },
    get inFlight() {
      return running
    },
    get backlog() {
      return queued
    },
    idle: () => until(() => queued === 0),
    async stop(timeoutMs) {
      stopping = true
      for (const lane of lanes.values()) {
        if (lane.timer !== undefined)
          timers.clearTimeout(lane.timer)
      }
      let timer: NodeJS.Timeout | undefined
      const finished = await Promise.race([
        until(() => running === 0).then(() => true),
        new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs) }),
      ])
      clearTimeout(timer)
      return finished
    },
  }
}
