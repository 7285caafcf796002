import type { OutboxPayload } from '#root/domain/outbox.js'
import type { Logger } from '#root/logger.js'
import type { ClaimedMessage, OutboxStore } from '#root/store/outbox-store.js'
import { messagesToSend } from '#root/domain/outbox.js'
import { SendRateLimiter } from '#root/notify/send-rate-limiter.js'
import { GrammyError, HttpError } from 'grammy'

/**
 * Sends one message of the outbox; returns the Telegram message id it produced, if any, and whether it put a new
 * message into the chat (`messagesSent`: 0 for an edit in place, which Telegram's per-chat limits do not count;
 * default 1). A message that goes out as more than one (an album before a card) reports the extra ones through
 * `sentExtra` as each is accepted, so that the send limits count them, even when a later part fails.
 */
export type Deliver = (message: ClaimedMessage, sentExtra?: (count: number) => void) => Promise<{ messageId: number | null, messagesSent?: number }>

export interface OutboxWorkerDependencies {
  outbox: OutboxStore
  deliver: Deliver
  logger: Logger
  limiter?: SendRateLimiter
  /** Told about a message that can never be delivered, with the reason, so the ticket can show it. */
  onUndeliverable?: (message: ClaimedMessage, reason: string) => Promise<void>
  now?: () => number
  /** How long a claim lasts; a crashed sender's messages are taken over after it. Longer than a send may take. */
  leaseMs?: number
  /** How long a send may take (the Api's timeout): a send is not started with less of its claim left. */
  sendTimeoutMs?: number
  batchSize?: number
  /** Attempts before a message that keeps failing for passing reasons is given up. */
  maxAttempts?: number
}

export interface OutboxWorker {
  start: () => void
  /** Finishes the message in hand and stops. */
  stop: () => Promise<void>
  /** Something was queued: look now instead of at the next timer. */
  wake: () => void
  /** Sends everything due now (for tests and benchmarks); resolves when nothing due is left. */
  drain: () => Promise<number>
}

const IDLE_POLL_MS = 1000
/** How long an outbox send may take before the Api gives up on it (app.ts gives its Api this timeout). */
export const SEND_TIMEOUT_MS = 10_000
/** A claim outlives any send that can still succeed: no second sender takes a message while its send may land. */
export const DEFAULT_LEASE_MS = 15_000
const MAX_BACKOFF_MS = 5 * 60_000

/**
 * Delivers the outbox: claims due messages, keeps within Telegram's limits, retries 429s after retry_after and
 * 5xx/network failures with backoff, and marks what can never be delivered (blocked, chat gone) with its reason.
 * Each message is sent once: a message is marked sent right after Telegram accepts it, and claims are exclusive.
 */
export function createOutboxWorker(deps: OutboxWorkerDependencies): OutboxWorker {
  const { outbox, deliver, logger } = deps
  const limiter = deps.limiter ?? new SendRateLimiter()
  const now = deps.now ?? Date.now
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS
  // What must be left of a claim to start a send; a shorter lease (tests) leaves half of itself.
  const sendBudgetMs = Math.min(deps.sendTimeoutMs ?? SEND_TIMEOUT_MS, leaseMs / 2)
  const batchSize = deps.batchSize ?? 50
  const maxAttempts = deps.maxAttempts ?? 12
  let running = false
  let draining = false
  let loop: Promise<void> | undefined
  let wakeUp: (() => void) | undefined
  let pendingWake = false

  const sleep = (ms: number) => new Promise<void>((resolve) => {
    if (pendingWake) {
      pendingWake = false
      resolve()
      return
    }
    const timer = setTimeout(() => {
      wakeUp = undefined
      resolve()
    }, ms)
    wakeUp = () => {
      clearTimeout(timer)
      wakeUp = undefined
      resolve()
    }
  })

  async function sendOne(message: ClaimedMessage): Promise<void> {
    try {
      let messageId: number | null
      let messagesSent = 1
      try {
        ({ messageId, messagesSent = 1 } = await deliver(message, count => limiter.record(message.chatId, now(), count)))
      }
      finally {
        // Counted when Telegram has answered, not when the request left: Telegram counts a message on arrival, before
        // it answers, so windows measured from the answer never run ahead of Telegram's. Counted from the departure,
        // the 31st message of a second left as the 1st dropped out of our window but not yet out of Telegram's: a 429
        // and a whole second's pause every few seconds (22.5/s instead of 30/s in bench:notify).
        limiter.record(message.chatId, now(), messagesSent)
      }
      await outbox.markSent(message, messageId, new Date(now()))
    }
    catch (error) {
      await settleFailure(message, error)
    }
  }

  async function settleFailure(message: ClaimedMessage, error: unknown): Promise<void> {
    const description = error instanceof Error ? error.message : String(error)
    if (error instanceof GrammyError) {
      const retryAfter = error.parameters.retry_after
      if (error.error_code === 429) {
        const until = now() + (retryAfter ?? 1) * 1000
        limiter.pause(until)
        await outbox.reschedule(message, new Date(until), { error: description, countAttempt: false })
        return
      }
      if (error.error_code === 403 && /initiate conversation/i.test(error.description) && message.payload.kind === 'message' && message.payload.fallback) {
        // They never opened a private chat with the bot: answer where they reported instead.
        const { fallback, replyToMessageId: _privateReply, ...rest } = message.payload
        const payload: OutboxPayload = { ...rest, ...(fallback.replyToMessageId ? { replyToMessageId: fallback.replyToMessageId } : {}) }
        await outbox.reschedule(message, new Date(now()), { error: description, countAttempt: false, payload, chatId: fallback.chatId })
        return
      }
      if (error.error_code >= 400 && error.error_code < 500) {
        await giveUp(message, undeliverableReason(error), description)
        return
      }
    }
    else if (!(error instanceof HttpError)) {
      // A bug of ours (rendering, storage): retrying may help if it was passing; the attempt cap stops a loop.
      logger.error({ err: error, outbox_id: message.id }, 'delivering an outbox message failed unexpectedly')
    }
    if (message.attempts + 1 >= maxAttempts) {
      await giveUp(message, 'gave_up', description)
      return
    }
    const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** message.attempts) * (0.75 + Math.random() / 2)
    await outbox.reschedule(message, new Date(now() + backoff), { error: description, countAttempt: true })
  }

  async function giveUp(message: ClaimedMessage, reason: string, description: string): Promise<void> {
    await outbox.markFailed(message, reason, description)
    logger.warn({ outbox_id: message.id, ticket_id: message.ticketId, reason }, 'message cannot be delivered')
    await deps.onUndeliverable?.(message, reason).catch(error =>
      logger.error({ err: error, outbox_id: message.id }, 'recording an undeliverable message failed'))
  }

  /** Sends what is due; returns how many messages were settled (sent, rescheduled or failed). */
  async function runBatch(): Promise<number> {
    const claimedAt = now()
    const batch = await outbox.claim({ limit: batchSize, now: new Date(claimedAt), leaseMs })
    for (const [index, message] of batch.entries()) {
      // A send may take up to the Api's timeout; one that could outlast the claim would race a second sender.
      if (now() + sendBudgetMs > claimedAt + leaseMs) {
        for (const rest of batch.slice(index))
          await outbox.reschedule(rest, new Date(now()), { countAttempt: false })
        return index
      }
      const cost = messagesToSend(message.payload)
      let wait = limiter.delayFor(message.chatId, now(), cost)
      if (wait > 0 && (wait > IDLE_POLL_MS || !(running || draining))) {
        await outbox.reschedule(message, new Date(now() + wait), { countAttempt: false })
        continue
      }
      // Asked again after the wait: a timer may fire a millisecond before the clock the limiter reads says it is
      // time (the event loop's clock lags behind Date.now()), and one message early at the edge of the second is a 429.
      while (wait > 0) {
        await new Promise(resolve => setTimeout(resolve, wait))
        wait = limiter.delayFor(message.chatId, now(), cost)
      }
      if (!running && loop) {
        // Stopping: hand the rest back at once rather than holding their claims until the lease runs out.
        for (const rest of batch.slice(index))
          await outbox.reschedule(rest, new Date(now()), { countAttempt: false })
        return index
      }
      await sendOne(message)
    }
    return batch.length
  }

  async function run(): Promise<void> {
    while (running) {
      try {
        const settled = await runBatch()
        if (settled > 0)
          continue
        const due = await outbox.nextDue()
        const wait = due ? Math.max(10, Math.min(IDLE_POLL_MS, due.getTime() - now())) : IDLE_POLL_MS
        await sleep(wait)
      }
      catch (error) {
        logger.error({ err: error }, 'outbox worker failed; trying again shortly')
        await sleep(IDLE_POLL_MS)
      }
    }
  }

  return {
    start() {
      if (running)
        return
      running = true
      loop = run()
    },
    async stop() {
      running = false
      wakeUp?.()
      await loop
      loop = undefined
    },
    wake() {
      if (wakeUp)
        wakeUp()
      else
        pendingWake = true
    },
    async drain() {
      draining = true
      try {
        let total = 0
        for (;;) {
          const settled = await runBatch()
          total += settled
          if (settled === 0)
            return total
        }
      }
      finally {
        draining = false
      }
    },
  }
}

/** The reason shown on the ticket for a message Telegram refuses for good. */
export function undeliverableReason(error: GrammyError): string {
  const text = error.description.toLowerCase()
  if (text.includes('blocked'))
    return 'blocked'
  if (text.includes('chat not found'))
    return 'chat_not_found'
  if (text.includes('kicked') || text.includes('not a member') || text.includes('deactivated'))
    return 'not_in_chat'
  if (text.includes('initiate conversation'))
    return 'private_chat_not_started'
  return 'rejected'
}
