import type { SendBudget } from '#root/bot/telegram-fetch.js'
import { createPacedFetch } from '#root/bot/telegram-fetch.js'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'

const logger = pino({ level: 'silent' })
const API = 'http://127.0.0.1:1/bot123:abc'

/** A budget that records what it was asked for and lets everything through. */
function recordingBudget() {
  const acquired: [number, number][] = []
  const pauses: number[] = []
  const budget: SendBudget = {
    async acquire(chatId, count) {
      acquired.push([chatId, count])
    },
    pause: until => pauses.push(until),
  }
  return { budget, acquired, pauses }
}

/** A Bot API server stand-in answering each call with the next of `answers`. */
function scriptedFetch(answers: { status: number, body: unknown }[]) {
  const calls: string[] = []
  const fetchFn = (async (input: string | URL | Request) => {
    calls.push(String(input).split('/').pop()!)
    const answer = answers.shift() ?? { status: 200, body: { ok: true, result: true } }
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } })
  }) as typeof fetch
  return { fetchFn, calls }
}

const json = (payload: object) => ({ method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } })

describe('the paced Bot API client', () => {
  it('waits out a 429 for its retry_after and sends again, holding the chat\'s budget meanwhile', async () => {
    const { budget, acquired, pauses } = recordingBudget()
    const { fetchFn, calls } = scriptedFetch([
      { status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } } },
      { status: 200, body: { ok: true, result: { message_id: 5 } } },
    ])
    const paced = createPacedFetch({ budget, logger, fetch: fetchFn })
    const started = Date.now()
    const response = await paced(`${API}/sendMessage`, json({ chat_id: -100, text: 'hi' }))
    expect(await response.json()).toEqual({ ok: true, result: { message_id: 5 } })
    expect(calls).toEqual(['sendMessage', 'sendMessage'])
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
    expect(acquired).toEqual([[-100, 1], [-100, 1]])
    expect(pauses).toHaveLength(1)
  })

  it('counts each photo of an album against the chat\'s budget, and leaves alone calls that send nothing', async () => {
    const { budget, acquired } = recordingBudget()
    const { fetchFn } = scriptedFetch([])
    const paced = createPacedFetch({ budget, logger, fetch: fetchFn })
    await paced(`${API}/sendMediaGroup`, json({ chat_id: -7, media: [{}, {}, {}] }))
    await paced(`${API}/getChatMember`, json({ chat_id: -7, user_id: 1 }))
    await paced(`${API}/answerCallbackQuery`, json({ callback_query_id: '1' }))
    expect(acquired).toEqual([[-7, 3]])
  })

  it('reads a refused answer to a press too old to answer as answered, and passes other refusals on', async () => {
    const { budget } = recordingBudget()
    const { fetchFn } = scriptedFetch([
      { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: query is too old and response timeout expired or query ID is invalid' } },
      { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } },
    ])
    const paced = createPacedFetch({ budget, logger, fetch: fetchFn })
    const late = await paced(`${API}/answerCallbackQuery`, json({ callback_query_id: '1' }))
    expect(await late.json()).toEqual({ ok: true, result: true })
    const refused = await paced(`${API}/sendMessage`, json({ chat_id: 1, text: 'x' }))
    expect(refused.status).toBe(400)
  })

  it('tries 5xx answers and network failures again, and gives up after its attempts', async () => {
    const { budget } = recordingBudget()
    const { fetchFn, calls } = scriptedFetch([
      { status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } },
      { status: 200, body: { ok: true, result: true } },
    ])
    const paced = createPacedFetch({ budget, logger, fetch: fetchFn })
    expect((await paced(`${API}/sendMessage`, json({ chat_id: 1, text: 'x' }))).status).toBe(200)
    expect(calls).toHaveLength(2)

    let tries = 0
    const down = (async () => {
      tries++
      throw new TypeError('fetch failed')
    }) as typeof fetch
    const failing = createPacedFetch({ budget, logger, fetch: down, maxAttempts: 2 })
    await expect(failing(`${API}/sendMessage`, json({ chat_id: 1, text: 'x' }))).rejects.toThrow('fetch failed')
    expect(tries).toBe(2)
  })

  it('does not send a streamed upload twice', async () => {
    const { budget } = recordingBudget()
    const { fetchFn, calls } = scriptedFetch([{ status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } }])
    const paced = createPacedFetch({ budget, logger, fetch: fetchFn })
    const stream = new ReadableStream({ start: c => c.close() })
    const response = await paced(`${API}/sendPhoto`, { method: 'POST', body: stream })
    expect(response.status).toBe(502)
    expect(calls).toHaveLength(1)
  })
})
