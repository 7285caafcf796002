import { describe, expect, it } from 'vitest'
import { SendRateLimiter, TELEGRAM_SEND_LIMITS } from '#root/notify/send-rate-limiter.js'

// Private chats have positive ids (the user's), groups negative ones.
const user = (n: number) => 7_100_000_000 + n
const GROUP = -1_002_100_000_001
const OTHER_GROUP = -4_100_000_001

describe('SendRateLimiter', () => {
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
})
