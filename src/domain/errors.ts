/** What went wrong, in terms a handler of the bot can map to a message. */
export type DomainErrorCode
  = | 'NOT_FOUND'
    | 'INVALID_TRANSITION'
    | 'ALREADY_DONE'
    | 'NOTE_REQUIRED'
    | 'DEPARTMENT_REQUIRED'
    | 'SAME_DEPARTMENT'
    | 'FORBIDDEN'
    | 'CONFLICT'
    | 'EXTENSION_TOO_LATE'
    | 'EXTENSION_PENDING'
    | 'SUPERVISED_RECENTLY'
    | 'SAME_TICKET'
    | 'NOT_OPEN'
    | 'NOT_MERGED'

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message)
    this.name = 'DomainError'
  }
}
