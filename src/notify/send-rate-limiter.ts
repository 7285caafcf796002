/** Telegram's published flood limits for bots. */
export interface SendLimits {
  /** Messages per second over all chats. */
  globalPerSecond: number
  /** Messages per second into one private chat. */
  privatePerSecond: number
  /** Messages per minute into one group. */
  groupPerMinute: number
}

/**
 * {@link acquire} counts a message before it leaves, Telegram when it arrives a little later: counted from the
 * departure, a group's window would free its oldest slot just before Telegram's does (a 429 at the edge of the
 * minute, seen with 30 residents reporting at once in one group). So a group message is counted as a second later.
 */
const GROUP_DEPARTURE_MARGIN_MS = 1000

const PRUNE_EVERY = 1000

export const TELEGRAM_SEND_LIMITS: SendLimits = { globalPerSecond: 30, privatePerSecond: 1, groupPerMinute: 20 }

/** Time as the limiter sees it; tests pass their own. */
export interface LimiterClock {
  now: () => number
  sleep: (ms: number) => Promise<void>
}

const REAL_CLOCK: LimiterClock = {
  now: () => Date.now(),
  sleep: ms => new Promise(resolve => setTimeout(resolve, ms)),
}

/**
 * Sliding windows over the times of recent sends: globally, and per chat (groups have negative ids). Exact rather
 * than bursty, so that the bot stays inside the limits instead of learning them from 429 answers.
 *
 * One limiter is shared by everything that writes to Telegram, so that a group's 20 messages a minute are one budget
 * whoever spends them. The outbox worker asks {@link delayFor} and reschedules what must wait; other senders
 * {@link acquire} and wait their turn. A message of several items (an album of N photos) counts N.
 */
export class SendRateLimiter {
  private readonly global: number[] = []
  private readonly perChat = new Map<number, number[]>()
  private readonly queues = new Map<number, Promise<void>>()
  /** Messages waiting in {@link acquire} per chat, for {@link estimateWaitMs}. */
  private readonly waiting = new Map<number, number>()
  private pausedUntil = 0
  private recorded = 0

  constructor(
    private readonly limits: SendLimits = TELEGRAM_SEND_LIMITS,
    private readonly clock: LimiterClock = REAL_CLOCK,
  ) {}

  /** Milliseconds until `count` messages to `chatId` may go; 0 when they may go now. */
  delayFor(chatId: number, now: number, count = 1): number {
    const chat = this.windowOf(chatId)
    const [chatLimit, chatWindow] = chatId < 0 ? [this.limits.groupPerMinute, 60_000] : [this.limits.privatePerSecond, 1000]
    return Math.max(
      this.pausedUntil - now,
      waitIn(this.global, this.limits.globalPerSecond, 1000, now, count),
      waitIn(chat, chatLimit, chatWindow, now, count),
    )
  }

  record(chatId: number, now: number, count = 1): void {
    const window = this.windowOf(chatId)
    for (let i = 0; i < count; i++) {
      this.global.push(now)
      window.push(now)
    }
    // Forget chats whose windows have passed, so that a bot writing to many people does not hold them all forever.
    this.recorded += count
    if (this.recorded >= PRUNE_EVERY) {
      this.recorded = 0
      for (const [id, chatWindow] of this.perChat) {
        if ((chatWindow.length === 0 || chatWindow.at(-1)! <= now - 60_000) && !this.queues.has(id))
          this.perChat.delete(id)
      }
    }
  }

  /** Counts messages that left at `departedAt` (a predecessor's, say) the way {@link acquire} counts its own. */
  recordDeparted(chatId: number, departedAt: number, count = 1): void {
    this.record(chatId, departedAt + (chatId < 0 ? GROUP_DEPARTURE_MARGIN_MS : 0), count)
  }

  /**
   * Waits until `count` messages may go into `chatId`, then records them: the caller sends right after. Callers for
   * one chat are served in the order they asked (first come, first served), so a busy group queues its messages
   * instead of provoking 429s, and nobody is overtaken for ever by later, smaller requests.
   */
  acquire(chatId: number, count = 1): Promise<void> {
    const previous = this.queues.get(chatId) ?? Promise.resolve()
    this.waiting.set(chatId, (this.waiting.get(chatId) ?? 0) + count)
    const turn = previous.then(async () => {
      for (;;) {
        const wait = this.delayFor(chatId, this.clock.now(), count)
        if (wait <= 0)
          break
        await this.clock.sleep(wait)
      }
      this.recordDeparted(chatId, this.clock.now(), count)
    }).finally(() => {
      const left = (this.waiting.get(chatId) ?? count) - count
      if (left > 0)
        this.waiting.set(chatId, left)
      else
        this.waiting.delete(chatId)
    })
    const tail = turn.catch(() => undefined)
    this.queues.set(chatId, tail)
    void tail.then(() => {
      if (this.queues.get(chatId) === tail)
        this.queues.delete(chatId)
    })
    return turn
  }

  /**
   * About how long a message asked for now would wait for its turn in the chat, counting the messages already
   * waiting there: what a person is told while a busy group's messages queue.
   */
  estimateWaitMs(chatId: number, now = this.clock.now()): number {
    const [limit, length] = chatId < 0 ? [this.limits.groupPerMinute, 60_000] : [this.limits.privatePerSecond, 1000]
    const window = this.windowOf(chatId)
    waitIn(window, limit, length, now, 0)
    const overflow = window.length + (this.waiting.get(chatId) ?? 0) - limit
    if (overflow < 0)
      return 0
    // The first `window.length` to wait go out as the window's own messages expire; the rest a whole window later each.
    if (overflow < window.length)
      return window[overflow]! + length - now
    return (Math.floor((overflow - window.length) / limit) + 1) * length
  }

  /** How many chats the limiter keeps windows for. */
  get trackedChats(): number {
    return this.perChat.size
  }

  /** After a 429: nothing goes out until Telegram's retry_after has passed. */
  pause(untilMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, untilMs)
  }

  private windowOf(chatId: number): number[] {
    let window = this.perChat.get(chatId)
    if (!window) {
      window = []
      this.perChat.set(chatId, window)
    }
    return window
  }
}

/** How long until `count` more fit in a window of `length` ms that holds at most `limit`. */
function waitIn(window: number[], limit: number, length: number, now: number, count: number): number {
  while (window.length > 0 && window[0]! <= now - length)
    window.shift()
  // More than the limit at once can never fit: such a request waits for an empty window and then goes.
  const excess = window.length + Math.min(count, limit) - limit
  return excess <= 0 ? 0 : window[excess - 1]! + length - now
}
