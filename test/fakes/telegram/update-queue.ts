import type { Update } from 'grammy/types'
import { ApiError } from './api-error.js'

/** Update types Telegram delivers when `allowed_updates` is empty or was never set. */
const OPT_IN_TYPES = new Set(['chat_member', 'message_reaction', 'message_reaction_count'])

interface Poller {
  limit: number
  resolve: (updates: Update[]) => void
  reject: (error: ApiError) => void
  timer: NodeJS.Timeout
}

function updateType(update: Update): string {
  for (const key in update) {
    if (key !== 'update_id')
      return key
  }
  return 'unknown'
}

/**
 * The bot's pending updates and the long polls waiting for them, with getUpdates' semantics: `offset` confirms
 * everything before it, `limit` caps a batch, `allowed_updates` filters what gets queued from then on, and a poll
 * waits up to `timeout` seconds and wakes as soon as something arrives.
 */
export class UpdateQueue {
  private updates: Update[] = []
  // Telegram starts a bot's update ids at an arbitrary large number; a bot that assumes they start at 1 is wrong.
  private nextId = 483_000_001
  private allowed: Set<string> | undefined
  private poller: Poller | undefined
  private wakeScheduled = false

  /** Updates queued and not yet confirmed by an `offset`. */
  get pending(): number {
    return this.updates.length
  }

  /** The pending updates, oldest first. */
  peek(): readonly Update[] {
    return this.updates
  }

  /** Queues an update unless `allowed_updates` excludes its type; returns it with its id, or `undefined`. */
  push(payload: Omit<Update, 'update_id'>): Update | undefined {
    const update = { update_id: this.nextId, ...payload } as Update
    const type = updateType(update)
    if (this.allowed === undefined ? OPT_IN_TYPES.has(type) : !this.allowed.has(type))
      return undefined
    this.nextId++
    this.updates.push(update)
    this.scheduleWake()
    return update
  }

  /**
   * Answers a getUpdates call. Resolves at once if updates are ready or `timeout` is 0, otherwise when one arrives or
   * the timeout passes. `signal` is the client going away. A newer poll ends an older one with 409, as Telegram does
   * when two instances of a bot poll at once.
   */
  poll(
    options: { offset?: number, limit?: number, timeout?: number, allowedUpdates?: string[] },
    signal: AbortSignal,
  ): Promise<Update[]> {
    if (options.allowedUpdates !== undefined) {
      this.allowed = options.allowedUpdates.length === 0 ? undefined : new Set(options.allowedUpdates)
    }
    this.confirm(options.offset ?? 0)
    const limit = Math.min(100, Math.max(1, options.limit ?? 100))
    const timeoutMs = Math.max(0, options.timeout ?? 0) * 1000
    if (this.poller !== undefined) {
      const previous = this.poller
      this.poller = undefined
      clearTimeout(previous.timer)
      previous.reject(
        new ApiError(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'),
      )
    }
    if (this.updates.length > 0 || timeoutMs === 0)
      return Promise.resolve(this.updates.slice(0, limit))
    return new Promise((resolve, reject) => {
      const poller: Poller = {
        limit,
        resolve,
        reject,
        timer: setTimeout(() => this.finish(poller, []), timeoutMs),
      }
      this.poller = poller
      signal.addEventListener('abort', () => this.finish(poller, []), { once: true })
    })
  }

  /** Forgets all pending updates (deleteWebhook with drop_pending_updates). */
  clear(): void {
    this.updates = []
  }

  /** Ends any waiting poll with an empty batch (used when the server shuts down). */
  close(): void {
    if (this.poller !== undefined)
      this.finish(this.poller, [])
  }

  private finish(poller: Poller, updates: Update[]): void {
    if (this.poller !== poller)
      return
    this.poller = undefined
    clearTimeout(poller.timer)
    poller.resolve(updates)
  }

  private confirm(offset: number): void {
    if (offset < 0) {
      // A negative offset keeps only the last -offset updates and forgets the rest.
      this.updates = this.updates.slice(offset)
      return
    }
    if (this.updates.length === 0 || this.updates[0]!.update_id >= offset)
      return
    let confirmed = 0
    while (confirmed < this.updates.length && this.updates[confirmed]!.update_id < offset) confirmed++
    this.updates = this.updates.slice(confirmed)
  }

  /** Wakes the waiting poll on the next turn, so that updates pushed in one synchronous burst go out as one batch. */
  private scheduleWake(): void {
    if (this.wakeScheduled || this.poller === undefined)
      return
    this.wakeScheduled = true
    setImmediate(() => {
      this.wakeScheduled = false
      const poller = this.poller
      if (poller !== undefined && this.updates.length > 0)
        this.finish(poller, this.updates.slice(0, poller.limit))
    })
  }
}
