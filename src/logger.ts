import { pino } from 'pino'
import type { Config } from '#root/config.js'

export type Logger = pino.Logger

/**
 * Paths that may carry secrets or residents' personal data. Report text, phone numbers and names
 * never reach the log at any level; ids and ticket numbers do, so that a problem can still be traced.
 */
export const REDACTED_PATHS = [
  'botToken',
  'apiKey',
  'token',
  'config.botToken',
  'config.openai.apiKey',
  'headers.authorization',
  '*.text',
  '*.caption',
  '*.description',
  '*.contactPhone',
  '*.phone_number',
  '*.first_name',
  '*.last_name',
  '*.username',
  'report.*',
  'update.message',
  'update.callback_query.message',
  // A failed Bot API call carries what was sent (a report, a reply to a resident) in its payload.
  'err.payload',
  '*.err.payload',
  'err.cause.payload',
]

export function createLogger(config: Pick<Config, 'logLevel' | 'logPretty'>): Logger {
  return pino({
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(config.logPretty ? { transport: { target: 'pino-pretty', options: { colorize: true } } } : {}),
  })
}
