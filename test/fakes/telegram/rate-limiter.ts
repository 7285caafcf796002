/** Telegram's flood limits for sending messages, as documented in the Bot FAQ and observed in practice. */
export interface RateLimitOptions {
  /** Messages per second across all chats (Telegram: about 30). */
  globalPerSecond: number
  /** Sustained messages per second in one private chat (Telegram: 1). */
  privatePerSecond: number
  /** Messages a private chat may take at once before the per-second rate applies (Telegram tolerates short bursts). */
  privateBurst: number
  /** Messages per minute in one group or supergroup (Telegram: 20). */
  groupPerMinute: number
}

/** The limits used when `rateLimits: true`. */
export const TELEGRAM_RATE_LIMITS: RateLimitOptions = {
  globalPerSecond: 30,
  privatePerSecond: 1,
  privateBurst: 3,
  groupPerMinute: 20,
}

/** Timestamps in a sliding window; old ones are dropped from the front, so each check is amortised O(1). */
class SlidingWindow {
  private readonly times: number[] = []
  private head = 0

  constructor(
    private readonly size: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds until `count` more events fit, 0 if they fit now. */
  waitFor(now: number, count: number): number {
    while (this.head < this.times.length && this.times[this.head]! <= now - this.windowMs) this.head++
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head)
      this.head = 0
    }
    const used = this.times.length - this.head
    if (used + count <= this.size)
      return 0
    // The oldest event that has to leave the window before `count` more fit.
    const blocking = this.times[this.head + used + count - this.size - 1]
    return blocking === undefined ? this.windowMs : blocking + this.windowMs - now
  }

  add(now: number, count: number): void {
    for (let i = 0; i < count; i++) this.times.push(now)
  }
}

/** A token bucket: `burst` tokens, refilled at `perSecond`. */
class TokenBucket {
  private tokens: number
  private updated: number

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    now: number,
  ) {
    this.tokens = burst
    this.updated = now
  }

  waitFor(now: number, count: number): number {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updated) / 1000) * this.perSecond)
    this.updated = now
    if (this.tokens >= count)
      return 0
    return ((count - this.tokens) / this.perSecond) * 1000
  }

  take(count: number): void {
    this.tokens -= count
  }
}

/** Decides whether the bot may send `count` messages to a chat now, like Telegram's flood control. */
export class RateLimiter {
  private readonly global: SlidingWindow
  private readonly privateChats = new Map<number, TokenBucket>()
  private readonly groups = new Map<number, SlidingWindow>()

  constructor(private readonly limits: RateLimitOptions) {
    this.global = new SlidingWindow(limits.globalPerSecond, 1000)
  }

  /**
   * Returns `retry_after` in whole seconds (at least 1, as Telegram never says 0) if the send is refused,
   * or `undefined` after counting it.
   */
  take(chatId: number, isPrivate: boolean, count: number, now = Date.now()): number | undefined {
    let wait = this.global.waitFor(now, count)
    let bucket: TokenBucket | undefined
    let window: SlidingWindow | undefined
    if (isPrivate) {
      bucket = this.privateChats.get(chatId)
      if (bucket === undefined) {
        bucket = new TokenBucket(this.limits.privateBurst, this.limits.privatePerSecond, now)
        this.privateChats.set(chatId, bucket)
      }
      wait = Math.max(wait, bucket.waitFor(now, count))
    }
    else {
      window = this.groups.get(chatId)
      if (window === undefined) {
        window = new SlidingWindow(this.limits.groupPerMinute, 60_000)
        this.groups.set(chatId, window)
      }
      wait = Math.max(wait, window.waitFor(now, count))
    }
    if (wait > 0)
      return Math.max(1, Math.ceil(wait / 1000))
    this.global.add(now, count)
    bucket?.take(count)
    window?.add(now, count)
    return undefined
  }
}
