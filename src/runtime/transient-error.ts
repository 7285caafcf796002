import { isTransientDatabaseError } from '#root/store/database.js'
import { BotError, GrammyError, HttpError } from 'grammy'

/** Prisma's codes for an unreachable server, a timeout, a dropped connection, a full pool, a write conflict. */
const TRANSIENT_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2034'])
/** Network failures as Node and node-postgres report them. */
const TRANSIENT_SYSTEM_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT'])
/** PostgreSQL: serialization failure, deadlock, server shutting down or restarting, connection exceptions. */
const TRANSIENT_POSTGRES_CODES = new Set(['40001', '40P01', '57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006'])
const TRANSIENT_MESSAGES = /database is locked|SQLITE_BUSY|Operation has timed out|Connection terminated unexpectedly|timed out|timeout exceeded/i

/**
 * Whether an error is likely to go away by itself, so the work that failed is worth doing again later: Telegram's
 * 429 and 5xx answers, network failures and timeouts, a database that is busy, restarting or out of reach.
 * Everything else (a bad request, a bug, a user who blocked the bot) fails the same way every time.
 */
export function isTransientError(error: unknown): boolean {
  const seen = new Set<unknown>()
  let current: unknown = error
  while (current !== null && typeof current === 'object' && !seen.has(current)) {
    seen.add(current)
    if (current instanceof BotError) {
      current = current.error
      continue
    }
    if (current instanceof GrammyError)
      return current.error_code === 429 || current.error_code >= 500
    if (current instanceof HttpError)
      return true
    if (isTransientDatabaseError(current))
      return true
    const e = current as { code?: unknown, errorCode?: unknown, name?: unknown, message?: unknown, cause?: unknown, meta?: { driverAdapterError?: unknown } }
    // PrismaClientInitializationError names its code `errorCode`.
    for (const code of [e.code, e.errorCode]) {
      if (typeof code === 'string' && (TRANSIENT_PRISMA_CODES.has(code) || TRANSIENT_SYSTEM_CODES.has(code) || TRANSIENT_POSTGRES_CODES.has(code)))
        return true
    }
    if (e.name === 'TimeoutError' || e.name === 'ConnectionTimeoutError')
      return true
    if (typeof e.message === 'string' && TRANSIENT_MESSAGES.test(e.message))
      return true
    current = e.meta?.driverAdapterError ?? e.cause
  }
  return false
}
