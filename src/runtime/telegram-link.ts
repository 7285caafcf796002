import type { Logger } from '#root/logger.js'
import type { Api } from 'grammy'
import { isTransientError } from '#root/runtime/transient-error.js'
import { GrammyError } from 'grammy'

/** Receiving updates failed in a way that waiting will not mend: a supervisor should restart the bot. */
export class FatalReceiveError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'FatalReceiveError'
  }
}

/** Whether Telegram answered the last call; logs once when it stops answering and once when it answers again. */
export interface TelegramLink {
  readonly reachable: boolean
  failed: (error: unknown) => void
  answered: () => void
}

export function createTelegramLink(logger: Logger, apiRoot: string): TelegramLink {
  let downSince: number | undefined
  return {
    get reachable() {
      return downSince === undefined
    },
    failed(error) {
      if (downSince !== undefined)
        return
      downSince = Date.now()
      logger.warn({ apiRoot, reason: reasonOf(error) }, `cannot reach Telegram at ${apiRoot}; trying again until it answers`)
    },
    answered() {
      if (downSince === undefined)
        return
      logger.info({ apiRoot, downForMs: Date.now() - downSince }, 'Telegram answers again')
      downSince = undefined
    },
  }
}

/** grammY types its signals with the abort-controller shim's AbortSignal, which Node's own one is at run time. */
export type ApiSignal = NonNullable<Parameters<Api['getMe']>[0]>

export interface CallOptions {
  link: TelegramLink
  /** Aborts the waiting (shutting down). */
  signal: AbortSignal
  /** Gives up on one attempt after this long (for example getMe at start, so that an outage shows at once). */
  attemptTimeoutMs?: number
  /** Longest wait between attempts. */
  maxDelayMs?: number
}

/**
 * Calls Telegram until it answers. Network failures, timeouts and 5xx answers are retried with backoff, a 429 after
 * its `retry_after`; anything else (401: the token was revoked; 409: another instance polls or a webhook is set)
 * cannot heal by waiting and throws {@link FatalReceiveError}.
 */
export async function callUntilAnswered<T>(call: (signal: ApiSignal) => Promise<T>, options: CallOptions): Promise<T> {
  const { link, signal, attemptTimeoutMs, maxDelayMs = 30_000 } = options
  for (let attempt = 1; ; attempt++) {
    signal.throwIfAborted()
    const attemptSignal = attemptTimeoutMs === undefined ? signal : AbortSignal.any([signal, AbortSignal.timeout(attemptTimeoutMs)])
    try {
      const result = await call(attemptSignal as unknown as ApiSignal)
      link.answered()
      return result
    }
    catch (error) {
      signal.throwIfAborted()
      if (!isTransientError(error))
        throw new FatalReceiveError(fatalReason(error), { cause: error })
      link.failed(error)
      const retryAfter = error instanceof GrammyError ? error.parameters.retry_after : undefined
      const delay = retryAfter !== undefined ? retryAfter * 1000 : Math.min(maxDelayMs, 500 * 2 ** Math.min(attempt - 1, 10))
      await sleep(delay, signal)
    }
  }
}

function fatalReason(error: unknown): string {
  if (error instanceof GrammyError) {
    if (error.error_code === 401)
      return `Telegram refused the bot token (401 ${error.description}): was it revoked? Check BOT_TOKEN`
    if (error.error_code === 409)
      return `Telegram reports a conflict (409 ${error.description}): another instance of this bot is receiving updates, or a webhook is set`
    return `Telegram refused ${error.method} (${error.error_code} ${error.description})`
  }
  return `receiving updates failed: ${reasonOf(error)}`
}

function reasonOf(error: unknown): string {
  if (error instanceof GrammyError)
    return `${error.error_code} ${error.description}`
  return error instanceof Error ? error.message : String(error)
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
