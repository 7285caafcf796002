import type { ResponseParameters } from 'grammy/types'

/**
 * A Bot API failure. Handlers throw it; the server turns it into `{ ok: false, error_code, description, parameters }`
 * with the same HTTP status, exactly as api.telegram.org answers.
 */
export class ApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(description)
    this.name = 'ApiError'
  }
}

/** `400 Bad Request: <what>`. */
export function badRequest(what: string): ApiError {
  return new ApiError(400, `Bad Request: ${what}`)
}

/** `403 Forbidden: <what>`. */
export function forbidden(what: string): ApiError {
  return new ApiError(403, `Forbidden: ${what}`)
}

/** `429 Too Many Requests: retry after N` with `parameters.retry_after`. */
export function tooManyRequests(retryAfter: number): ApiError {
  return new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter })
}
