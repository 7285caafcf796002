import type { AttemptInfo, Timers, UpdateDispatcherOptions } from '#root/runtime/update-dispatcher.js'
import type { Update } from 'grammy/types'
import { createUpdateDispatcher, sequenceKey } from '#root/runtime/update-dispatcher.js'
import { describe, expect, it } from 'vitest'
import { testLogger } from '../helpers/database.js'

interface Deferred {
  promise: Promise<void>
  resolve: () => void
  reject: (error: unknown) => void
}

function deferred(): Deferred {
  let resolve!: () => void
  let reject!: (error: unknown) => void
  const promise = new Promise<void>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

let nextId = 1
/** A message from `user` in `chat`. */
function message(chat: number, user: number): Update {
  return { update_id: nextId++, message: { message_id: 1, date: 0, chat: { id: chat, type: 'group', title: 'g' }, from: { id: user, is_bot: false, first_name: 'u' }, text: 'x' } } as Update
}

class TransientError extends Error {}

/** Lets pending promise continuations run (one turn of the event loop; no timer). */
const settle = () => new Promise<void>(resolve => setImmediate(resolve))

/** Timers a test fires by hand: retries happen exactly when the test says so. */
function manualTimers(): Timers & { fire: () => void, scheduled: () => number, delays: number[] } {
  const pending = new Map<number, () => void>()
  const delays: number[] = []
  let next = 1
  return {
    setTimeout(callback, ms) {
      delays.push(ms)
      pending.set(next, callback)
      return next++
    },
    clearTimeout(timer) {
      pending.delete(timer as number)
    },
    fire() {
      const callbacks = [...pending.values()]
      pending.clear()
      for (const callback of callbacks) callback()
    },
    scheduled: () => pending.size,
    delays,
  }
}

/**
 * A dispatcher whose handler waits for the test: each call parks on a deferred the test settles. `until` waits for
 * a condition on what happened, without timers.
 */
function harness(options: Partial<UpdateDispatcherOptions> = {}) {
  const started: Array<{ update: Update, info: AttemptInfo, done: Deferred }> = []
  const finished: number[] = []
  const listeners = new Set<() => void>()
  const changed = () => listeners.forEach(listener => listener())
  const dispatcher = createUpdateDispatcher({
    concurrency: 32,
    logger: testLogger,
    isTransient: error => error instanceof TransientError,
    handle: async (update, info) => {
      const done = deferred()
      started.push({ update, info, done })
      changed()
      await done.promise
    },
    onFinished: async (update) => {
      finished.push(update.update_id)
      changed()
    },
    ...options,
    // Scheduling a retry is something a test waits for too.
    ...(options.timers
      ? {
          timers: {
            setTimeout: (callback: () => void, ms: number) => {
              const timer = options.timers!.setTimeout(callback, ms)
              changed()
              return timer
            },
            clearTimeout: options.timers.clearTimeout,
          },
        }
      : {}),
  })
  const until = (condition: () => boolean) => new Promise<void>((resolve) => {
    if (condition())
      return resolve()
    const listener = () => {
      if (condition()) {
        listeners.delete(listener)
        resolve()
      }
    }
    listeners.add(listener)
  })
  const call = (update: Update, attempt = 1) => started.find(s => s.update === update && s.info.attempt === attempt)
  return { dispatcher, started, finished, until, call }
}

describe('the update dispatcher', () => {
  it('handles the updates of one key strictly in order', async () => {
    const h = harness()
    const [a1, a2, a3] = [message(1, 1), message(1, 1), message(1, 1)]
    for (const u of [a1, a2, a3]) h.dispatcher.push(u)
    expect(h.started.map(s => s.update)).toEqual([a1])
    h.call(a1)!.done.resolve()
    await h.until(() => h.started.length === 2)
    expect(h.started[1]!.update).toBe(a2)
    h.call(a2)!.done.resolve()
    await h.until(() => h.started.length === 3)
    h.call(a3)!.done.resolve()
    await h.dispatcher.idle()
    expect(h.finished).toEqual([a1, a2, a3].map(u => u.update_id))
  })

  it('does not let a slow update of one key delay another key', async () => {
    const h = harness()
    const slow = message(1, 1)
    const other = message(2, 2)
    const sameChatOtherUser = message(1, 3)
    h.dispatcher.push(slow)
    h.dispatcher.push(other)
    h.dispatcher.push(sameChatOtherUser)
    expect(h.started.map(s => s.update)).toEqual([slow, other, sameChatOtherUser])
    h.call(other)!.done.resolve()
    h.call(sameChatOtherUser)!.done.resolve()
    await h.until(() => h.finished.length === 2)
    expect(h.finished).toEqual([other.update_id, sameChatOtherUser.update_id])
    await settle()
    expect(h.dispatcher.inFlight).toBe(1)
    h.call(slow)!.done.resolve()
    await h.dispatcher.idle()
  })

  it('never handles more updates at once than its concurrency', async () => {
    const h = harness({ concurrency: 3 })
    const updates = Array.from({ length: 10 }, (_, i) => message(100 + i, 1))
    for (const u of updates) h.dispatcher.push(u)
    expect(h.started).toHaveLength(3)
    expect(h.dispatcher.inFlight).toBe(3)
    expect(h.dispatcher.backlog).toBe(10)
    let released = 0
    while (released < updates.length) {
      await h.until(() => h.started.length > released)
      expect(h.dispatcher.inFlight).toBeLessThanOrEqual(3)
      h.started[released++]!.done.resolve()
    }
    await h.dispatcher.idle()
    expect(h.finished).toHaveLength(10)
  })

  it('retries a transient failure later while the key\'s next updates wait and other keys go on', async () => {
    const timers = manualTimers()
    const h = harness({ timers, retryDelayMs: attempt => attempt * 1000 })
    const [a1, a2] = [message(1, 1), message(1, 1)]
    const b1 = message(2, 2)
    h.dispatcher.push(a1)
    h.dispatcher.push(a2)
    h.call(a1)!.done.reject(new TransientError('database is locked'))
    await h.until(() => timers.scheduled() === 1)
    expect(timers.delays).toEqual([1000])
    // While a1 waits for its retry, a2 waits behind it; another key is handled.
    h.dispatcher.push(b1)
    h.call(b1)!.done.resolve()
    await h.until(() => h.finished.includes(b1.update_id))
    expect(h.started.map(s => s.update)).toEqual([a1, b1])
    await settle()
    expect(h.dispatcher.inFlight).toBe(0)

    timers.fire()
    await h.until(() => h.call(a1, 2) !== undefined)
    expect(h.call(a1, 2)!.info).toEqual({ attempt: 2, lastAttempt: false })
    h.call(a1, 2)!.done.resolve()
    await h.until(() => h.call(a2) !== undefined)
    h.call(a2)!.done.resolve()
    await h.dispatcher.idle()
    expect(h.finished).toEqual([b1.update_id, a1.update_id, a2.update_id])
  })

  it('gives up after the last attempt, telling the handler which attempt is the last', async () => {
    const timers = manualTimers()
    const h = harness({ timers, maxAttempts: 3 })
    const a = message(1, 1)
    h.dispatcher.push(a)
    for (let attempt = 1; attempt <= 3; attempt++) {
      await h.until(() => h.call(a, attempt) !== undefined)
      expect(h.call(a, attempt)!.info).toEqual({ attempt, lastAttempt: attempt === 3 })
      h.call(a, attempt)!.done.reject(new TransientError('still down'))
      if (attempt < 3) {
        await h.until(() => timers.scheduled() === 1)
        timers.fire()
      }
    }
    await h.dispatcher.idle()
    expect(h.finished).toEqual([a.update_id])
    expect(timers.scheduled()).toBe(0)
  })

  it('drops an update whose failure is permanent and goes on with the key', async () => {
    const timers = manualTimers()
    const h = harness({ timers })
    const [a1, a2] = [message(1, 1), message(1, 1)]
    h.dispatcher.push(a1)
    h.dispatcher.push(a2)
    h.call(a1)!.done.reject(new TypeError('a bug'))
    await h.until(() => h.call(a2) !== undefined)
    expect(timers.scheduled()).toBe(0)
    expect(h.finished).toEqual([a1.update_id])
    h.call(a2)!.done.resolve()
    await h.dispatcher.idle()
    expect(h.finished).toEqual([a1.update_id, a2.update_id])
  })

  it('stops starting updates, waits for those in hand, and leaves the rest unfinished', async () => {
    const h = harness({ concurrency: 1 })
    const [a, b] = [message(1, 1), message(2, 2)]
    h.dispatcher.push(a)
    h.dispatcher.push(b)
    const stopped = h.dispatcher.stop(60_000)
    h.call(a)!.done.resolve()
    expect(await stopped).toBe(true)
    expect(h.finished).toEqual([a.update_id])
    expect(h.started.map(s => s.update)).toEqual([a])
  })

  it('bounds the wait for updates in hand when stopping', async () => {
    const h = harness()
    h.dispatcher.push(message(1, 1))
    expect(await h.dispatcher.stop(1)).toBe(false)
    h.started[0]!.done.resolve()
  })
})

describe('sequenceKey', () => {
  const from = { id: 7, is_bot: false, first_name: 'u' }
  const chat = { id: -100, type: 'group', title: 'g' }
  it.each([
    ['a message', { message: { chat, from } }, '-100:7'],
    ['a button press', { callback_query: { id: '1', from, chat_instance: 'c', message: { chat } } }, '-100:7'],
    ['a press on an inline message', { callback_query: { id: '1', from, chat_instance: 'c' } }, 'user:7'],
    ['a membership change', { my_chat_member: { chat, from } }, '-100:7'],
    ['a channel post', { channel_post: { chat } }, '-100'],
    ['a poll', { poll: { id: 'p' } }, 'global'],
  ])('keys %s', (_name, payload, key) => {
    expect(sequenceKey({ update_id: 1, ...payload } as unknown as Update)).toBe(key)
  })
})
