import type { Logger } from '#root/logger.js'

/** Where the bot's messages wait for their turn within Telegram's flood limits (shared with the outbox). */
export interface SendBudget {
  /** Resolves when `count` more messages may go into the chat, and counts them. */
  acquire: (chatId: number, count: number) => Promise<void>
  /** After a 429: nothing goes out until Telegram's retry_after has passed. */
  pause: (untilMs: number) => void
}

/** Methods that put messages into a chat, with how many each puts there (an album counts each item). */
const MESSAGES_SENT: Record<string, (payload: Record<string, unknown>) => number> = {
  sendMessage: () => 1,
  sendPhoto: () => 1,
  sendDocument: () => 1,
  sendLocation: () => 1,
  sendVenue: () => 1,
  sendContact: () => 1,
  sendSticker: () => 1,
  sendVoice: () => 1,
  sendAudio: () => 1,
  sendVideo: () => 1,
  sendAnimation: () => 1,
  copyMessage: () => 1,
  forwardMessage: () => 1,
  sendMediaGroup: payload => (Array.isArray(payload.media) ? payload.media.length : 1),
}

export interface PacedFetchOptions {
  budget: SendBudget
  logger: Logger
  /** Tries of one call that keeps meeting 429s, 5xx answers or network failures. */
  maxAttempts?: number
  /** A retry_after longer than this fails the call instead of holding it. */
  maxRetryAfterSeconds?: number
  fetch?: typeof fetch
}

/**
 * The HTTP client of every Bot API call the bot makes while handling updates. Working at this level, below grammY's
 * transformers, it also governs the Api the conversations plugin builds for each update, and runs only for calls
 * that really go out (a conversation's replayed calls never reach it, so they neither wait nor count twice):
 * - every send waits for room in its chat's budget instead of provoking a 429, so a busy group queues the bot's
 *   messages, the conversations' and the outbox's alike;
 * - a 429 is waited out for its retry_after, and 5xx answers and network failures are tried again with backoff,
 *   so that Telegram's limits cost time, never a step;
 * - Telegram refuses to answer a button press older than about 15 s (after a restart or a backlog); that refusal
 *   reads as answered, because the press itself is still handled and must not fail its step.
 */
export function createPacedFetch(options: PacedFetchOptions): typeof fetch {
  const { budget, logger } = options
  const maxAttempts = options.maxAttempts ?? 6
  const maxRetryAfterSeconds = options.maxRetryAfterSeconds ?? 120
  const baseFetch = options.fetch ?? fetch

  return async (input, init) => {
    const method = String(input instanceof Request ? input.url : input).split('/').pop() ?? ''
    const body = init?.body
    // File uploads stream their body once; they are sent as they are (the bot sends photos by file id).
    const replayable = typeof body === 'string'
    const payload = replayable ? parseJson(body) : null
    const chatId = payload?.chat_id
    const count = MESSAGES_SENT[method]
    const signal = init?.signal ?? undefined

    for (let attempt = 1; ; attempt++) {
      if (count && typeof chatId === 'number')
        await budget.acquire(chatId, count(payload!))
      let response: Response
      try {
        response = await baseFetch(input, init)
      }
      catch (error) {
        if (!replayable || attempt >= maxAttempts || signal?.aborted)
          throw error
        await sleep(backoffMs(attempt), signal)
        continue
      }
      if (response.status === 429 && replayable && attempt < maxAttempts) {
        const retryAfter = Number((await response.clone().json().catch(() => ({})) as { parameters?: { retry_after?: number } }).parameters?.retry_after ?? 1)
        if (retryAfter <= maxRetryAfterSeconds) {
          logger.warn({ method, chat_id: chatId, retry_after: retryAfter }, 'Telegram asked to slow down; waiting')
          if (typeof chatId === 'number')
            budget.pause(Date.now() + retryAfter * 1000)
          await sleep(retryAfter * 1000, signal)
          continue
        }
      }
      if (response.status >= 500 && replayable && attempt < maxAttempts) {
        await sleep(backoffMs(attempt), signal)
        continue
      }
      if (method === 'answerCallbackQuery' && response.status === 400) {
        const description = String((await response.clone().json().catch(() => ({})) as { description?: string }).description)
        if (/query is too old|query ID is invalid/i.test(description))
          return new Response(JSON.stringify({ ok: true, result: true }), { status: 200, headers: { 'content-type': 'application/json' } })
      }
      return response
    }
  }
}

function parseJson(body: string): Record<string, unknown> | null {
  try {
    const parsed = JSON.parse(body) as unknown
    return parsed && typeof parsed === 'object' ? parsed as Record<string, unknown> : null
  }
  catch {
    return null
  }
}

const backoffMs = (attempt: number) => Math.min(500 * 2 ** (attempt - 1), 15_000)

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason)
      return
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal!.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
