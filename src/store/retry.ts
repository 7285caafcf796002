import { isTransientDatabaseError } from '#root/store/database.js'

export interface RetryOptions {
  attempts?: number
  baseDelayMs?: number
  maxDelayMs?: number
  isRetryable?: (error: unknown) => boolean
  onRetry?: (error: unknown, attempt: number) => void
}

/**
 * Runs a database operation again when it failed for a passing reason (a locked SQLite file, a PostgreSQL
 * serialization failure, a dropped connection), with exponential backoff and jitter.
 */
export async function withRetry<T>(operation: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { attempts = 5, baseDelayMs = 100, maxDelayMs = 3_000, isRetryable = isTransientDatabaseError, onRetry } = options
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation()
    }
    catch (error) {
      if (attempt >= attempts || !isRetryable(error))
        throw error
      onRetry?.(error, attempt)
      const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2)
      await new Promise(resolve => setTimeout(resolve, delay))
    }
  }
}
