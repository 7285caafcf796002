/** Telegram's published flood limits for bots. */
export interface SendLimits {
  /** Messages per second over all chats. */
  globalPerSecond: number
  /** Messages per second into one private chat. */
  privatePerSecond: number
  /** Messages per minute into one group. */
  groupPerMinute: number
}

const PRUNE_EVERY = 1000

export const TELEGRAM_SEND_LIMITS: SendLimits = { globalPerSecond: 30, privatePerSecond: 1, groupPerMinute: 20 }

/**
 * Sliding windows over the times of recent sends: globally, and per chat (groups have negative ids). Exact rather
 * than bursty, so that the bot stays inside the limits instead of learning them from 429 answers.
 */
export class SendRateLimiter {
  private readonly global: number[] = []
  private readonly perChat = new Map<number, number[]>()
  private pausedUntil = 0
  private recorded = 0

  constructor(private readonly limits: SendLimits = TELEGRAM_SEND_LIMITS) {}

  /** Milliseconds until a message to `chatId` may go; 0 when it may go now. */
  delayFor(chatId: number, now: number): number {
    const chat = this.windowOf(chatId)
    const [chatLimit, chatWindow] = chatId < 0 ? [this.limits.groupPerMinute, 60_000] : [this.limits.privatePerSecond, 1000]
    return Math.max(
      this.pausedUntil - now,
      waitIn(this.global, this.limits.globalPerSecond, 1000, now),
      waitIn(chat, chatLimit, chatWindow, now),
    )
  }

  record(chatId: number, now: number): void {
    this.global.push(now)
    this.windowOf(chatId).push(now)
    // Forget chats whose windows have passed, so that a bot writing to many people does not hold them all forever.
    if (++this.recorded % PRUNE_EVERY === 0) {
      for (const [id, window] of this.perChat) {
        if (window.length === 0 || window.at(-1)! <= now - 60_000)
          this.perChat.delete(id)
      }
    }
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

function waitIn(window: number[], limit: number, length: number, now: number): number {
  while (window.length > 0 && window[0]! <= now - length)
    window.shift()
  return window.length < limit ? 0 : window[0]! + length - now
}
