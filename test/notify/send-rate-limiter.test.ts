import type { LimiterClock } from '#root/notify/send-rate-limiter.js'
import { SendRateLimiter, TELEGRAM_SEND_LIMITS } from '#root/notify/send-rate-limiter.js'
import { describe, expect, it } from 'vitest'

/** A clock the test moves by hand; sleepers wake when it passes their time. */
class ManualClock implements LimiterClock {
  private time = 0
  private sleepers: { at: number, wake: () => void }[] = []
  now = () => this.time
  sleep = (ms: number) => new Promise<void>(resolve => this.sleepers.push({ at: this.time + ms, wake: resolve }))
  get sleeping(): number {
    return this.sleepers.length
  }

  /** Moves to `time`, waking every sleeper due by then, and lets what they started run. */
  async advanceTo(time: number): Promise<void> {
    this.time = time
    const due = this.sleepers.filter(s => s.at <= time)
    this.sleepers = this.sleepers.filter(s => s.at > time)
    for (const sleeper of due)
      sleeper.wake()
    await settle()
  }
}

/** Lets every promise chain that can move, move. */
const settle = () => new Promise<void>(resolve => setImmediate(resolve))

// Private chats have positive ids (the user's), groups negative ones.
const user = (n: number) => 7_100_000_000 + n
const GROUP = -1_002_100_000_001
const OTHER_GROUP = -4_100_000_001

describe('sendRateLimiter', () => {
  it('uses Telegram\'s published limits by default', () => {
    expect(TELEGRAM_SEND_LIMITS).toEqual({ globalPerSecond: 30, privatePerSecond: 1, groupPerMinute: 20 })
  })

  it('lets 30 messages a second through over all chats, and the 31st when the first leaves the window', () => {
    const limiter = new SendRateLimiter()
    for (let i = 0; i < 30; i++) {
      expect(limiter.delayFor(user(i), i * 10)).toBe(0)
      limiter.record(user(i), i * 10)
    }
    // The 31st, to a chat of its own, waits for the send at t=0 to be a full second old.
    expect(limiter.delayFor(user(30), 290)).toBe(710)
    expect(limiter.delayFor(user(30), 999)).toBe(1)
    expect(limiter.delayFor(user(30), 1000)).toBe(0)
    limiter.record(user(30), 1000)
    // The window slides: the next one waits for the send at t=10.
    expect(limiter.delayFor(user(31), 1000)).toBe(10)
    expect(limiter.delayFor(user(31), 1010)).toBe(0)
  })

  it('lets one message a second into a private chat, without holding up other chats', () => {
    const limiter = new SendRateLimiter()
    limiter.record(user(1), 0)
    expect(limiter.delayFor(user(1), 0)).toBe(1000)
    expect(limiter.delayFor(user(1), 400)).toBe(600)
    expect(limiter.delayFor(user(2), 400)).toBe(0)
    expect(limiter.delayFor(user(1), 1000)).toBe(0)
  })

  it('lets 20 messages a minute into a group, each group on its own', () => {
    const limiter = new SendRateLimiter()
    for (let i = 0; i < 20; i++) {
      // Faster than once a second: a group has no per-second limit of its own, only the global one.
      expect(limiter.delayFor(GROUP, i * 100)).toBe(0)
      limiter.record(GROUP, i * 100)
    }
    expect(limiter.delayFor(GROUP, 2_000)).toBe(58_000)
    expect(limiter.delayFor(OTHER_GROUP, 2_000)).toBe(0)
    expect(limiter.delayFor(user(1), 2_000)).toBe(0)
    expect(limiter.delayFor(GROUP, 59_999)).toBe(1)
    expect(limiter.delayFor(GROUP, 60_000)).toBe(0)
    limiter.record(GROUP, 60_000)
    expect(limiter.delayFor(GROUP, 60_000)).toBe(100)
  })

  it('counts group messages against the global limit too', () => {
    const limiter = new SendRateLimiter()
    for (let i = 0; i < 20; i++)
      limiter.record(GROUP, 0)
    for (let i = 0; i < 10; i++)
      limiter.record(user(i), 0)
    expect(limiter.delayFor(user(99), 500)).toBe(500)
  })

  it('holds everything back while paused after a 429, and a shorter pause does not cut a longer one', () => {
    const limiter = new SendRateLimiter()
    limiter.pause(5_000)
    expect(limiter.delayFor(user(1), 1_000)).toBe(4_000)
    expect(limiter.delayFor(GROUP, 1_000)).toBe(4_000)
    limiter.pause(3_000)
    expect(limiter.delayFor(user(1), 2_000)).toBe(3_000)
    expect(limiter.delayFor(user(1), 5_000)).toBe(0)
    // The longer of the pause and the windows wins.
    limiter.record(user(1), 5_000)
    limiter.pause(5_200)
    expect(limiter.delayFor(user(1), 5_100)).toBe(900)
  })

  it('takes other limits', () => {
    const limiter = new SendRateLimiter({ globalPerSecond: 2, privatePerSecond: 2, groupPerMinute: 1 })
    limiter.record(user(1), 0)
    expect(limiter.delayFor(user(1), 0)).toBe(0)
    limiter.record(user(1), 0)
    expect(limiter.delayFor(user(2), 0)).toBe(1000)
    expect(limiter.delayFor(GROUP, 1000)).toBe(0)
    limiter.record(GROUP, 1000)
    expect(limiter.delayFor(GROUP, 1000)).toBe(60_000)
  })

  it('forgets chats whose windows have passed, and keeps the limits of recent ones', () => {
    const limiter = new SendRateLimiter()
    for (let i = 0; i < 999; i++)
      limiter.record(1000 + i, i * 40)
    expect(limiter.trackedChats).toBe(999)
    // The 1,000th send, two minutes on, prunes every chat not written to in the last minute.
    limiter.record(GROUP, 120_000)
    expect(limiter.trackedChats).toBe(1)
    expect(limiter.delayFor(GROUP, 120_000)).toBe(0)
    for (let i = 0; i < 19; i++)
      limiter.record(GROUP, 120_000 + i * 100)
    expect(limiter.delayFor(GROUP, 122_000)).toBeGreaterThan(0)
  })

  it('counts a message of several items (an album) as that many against the group\'s 20 a minute', () => {
    const limiter = new SendRateLimiter()
    limiter.record(GROUP, 0, 5)
    limiter.record(GROUP, 0)
    expect(limiter.delayFor(GROUP, 1_000, 14)).toBe(0)
    // 6 spent: an album of 5 plus its card needs 6 more; 15 would be one too many until the first ones leave.
    expect(limiter.delayFor(GROUP, 1_000, 15)).toBe(59_000)
    limiter.record(GROUP, 1_000, 14)
    expect(limiter.delayFor(GROUP, 1_000)).toBe(59_000)
    expect(limiter.delayFor(GROUP, 60_000, 6)).toBe(0)
    expect(limiter.delayFor(GROUP, 60_000, 7)).toBe(1_000)
  })

  it('never waits for ever for more than the limit at once: it waits for an empty window', () => {
    const limiter = new SendRateLimiter()
    limiter.record(GROUP, 0)
    expect(limiter.delayFor(GROUP, 0, 25)).toBe(60_000)
    expect(limiter.delayFor(GROUP, 60_000, 25)).toBe(0)
  })

  describe('acquire, for senders other than the outbox', () => {
    it('lets a request go at once while the budget allows, and records it', async () => {
      const clock = new ManualClock()
      const limiter = new SendRateLimiter(TELEGRAM_SEND_LIMITS, clock)
      await limiter.acquire(GROUP, 19)
      await limiter.acquire(GROUP)
      // Counted a second after it left: Telegram counts it on arrival, a little later than the limiter lets it go.
      expect(limiter.delayFor(GROUP, 0)).toBe(61_000)
    })

    it('serves one chat\'s callers in the order they asked, each when its count fits', async () => {
      const clock = new ManualClock()
      const limiter = new SendRateLimiter(TELEGRAM_SEND_LIMITS, clock)
      const served: string[] = []
      await limiter.acquire(GROUP, 18)
      const album = limiter.acquire(GROUP, 5).then(() => served.push('album'))
      const text = limiter.acquire(GROUP, 1).then(() => served.push('text'))
      const elsewhere = limiter.acquire(OTHER_GROUP, 1).then(() => served.push('other group'))
      await elsewhere
      await settle()
      // The single message would fit now, but the album asked first.
      expect(served).toEqual(['other group'])
      await clock.advanceTo(60_999)
      expect(served).toEqual(['other group'])
      await clock.advanceTo(61_000)
      await Promise.all([album, text])
      expect(served).toEqual(['other group', 'album', 'text'])
      expect(limiter.delayFor(GROUP, 61_000, 14)).toBe(0)
      expect(limiter.delayFor(GROUP, 61_000, 15)).toBeGreaterThan(0)
    })

    it('shares the budget with the outbox: what one spends the other waits for', async () => {
      const clock = new ManualClock()
      const limiter = new SendRateLimiter(TELEGRAM_SEND_LIMITS, clock)
      limiter.record(GROUP, 0, 20)
      let done = false
      const waiting = limiter.acquire(GROUP).then(() => {
        done = true
      })
      await settle()
      expect(done).toBe(false)
      expect(clock.sleeping).toBe(1)
      await clock.advanceTo(60_000)
      await waiting
      expect(limiter.delayFor(GROUP, 60_000, 19)).toBe(0)
      expect(limiter.delayFor(GROUP, 60_000, 20)).toBeGreaterThan(0)
    })
  })
})

describe('how long a message would wait, as a person is told', () => {
  it('is nothing while the group has room, and grows with the messages queued ahead', async () => {
    const clock = new ManualClock()
    const limiter = new SendRateLimiter(TELEGRAM_SEND_LIMITS, clock)
    const group = -1001
    expect(limiter.estimateWaitMs(group)).toBe(0)
    for (let i = 0; i < 20; i++) {
      await clock.advanceTo(i * 1000)
      await limiter.acquire(group)
    }
    // The window is full: the next message goes when the first of the twenty leaves it, 61 s after it went (a
    // group message is counted a second late, as Telegram counts it on arrival).
    await clock.advanceTo(20_000)
    expect(limiter.estimateWaitMs(group)).toBe(41_000)
    // Five more queued ahead: the sixth waits for the sixth oldest to leave.
    const queued = Array.from({ length: 5 }, () => limiter.acquire(group))
    await settle()
    expect(limiter.estimateWaitMs(group)).toBe(46_000)
    await clock.advanceTo(71_000)
    await Promise.all(queued)
    expect(limiter.estimateWaitMs(group)).toBe(0)
  })
})
