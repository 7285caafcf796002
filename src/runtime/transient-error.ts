import { BotError, GrammyError, HttpError } from 'grammy'

/** Whether trying the same thing again later may succeed: a busy or unreachable service, not a bug or a refusal. */
export function isTransientError(error: unknown): boolean {
  if (error instanceof BotError)
    return isTransientError(error.error)
  if (error instanceof GrammyError)
    return error.error_code === 429 || error.error_code >= 500
  if (error instanceof HttpError)
    return true
  const cause = (error as { cause?: unknown } | null)?.cause
  const code = String((error as { code?: unknown } | null)?.code ?? '')
  const message = error instanceof Error ? error.message : String(error)
  if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|57P01|57P02|57P03|08\d{3}|P1001|P1002|P1008|P1017|P2024|P2034|SQLITE_BUSY|SQLITE_LOCKED)$/.test(code))
    return true
  if (/database is locked|Operation has timed out|Connection terminated|connection refused|timeout exceeded|Can't reach database/i.test(message))
    return true
  return cause !== undefined && cause !== error && isTransientError(cause)
}
