import type { Config } from '#root/config.js'
import { redactDeep, redactPersonalData } from '#root/privacy/personal-data.js'
import { pino } from 'pino'

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

/**
 * Logger options that keep personal data out of every line: known fields are censored whole, and any other string
 * (a message, an error's text, a field nobody thought of) has phone, ID, card, passport and plate numbers, e-mail
 * addresses and labelled names replaced by placeholders, at every level.
 */
export const PRIVATE_LOG_OPTIONS = {
  redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  formatters: {
    // `err` is left whole for its serializer, which knows errors' own fields (type, cause, a Bot API payload).
    log: (record: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(record).map(([key, value]) => [key, key === 'err' ? value : redactDeep(value)])),
  },
  serializers: { err: (error: Error) => redactDeep(JSON.parse(JSON.stringify(pino.stdSerializers.err(error))) as unknown) },
  hooks: {
    logMethod(this: pino.Logger, args: Parameters<pino.LogFn>, method: pino.LogFn) {
      method.apply(this, args.map(arg => typeof arg === 'string' ? redactPersonalData(arg) : arg) as Parameters<pino.LogFn>)
    },
  },
} satisfies pino.LoggerOptions

export function createLogger(config: Pick<Config, 'logLevel' | 'logPretty'>, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    ...PRIVATE_LOG_OPTIONS,
    ...(config.logPretty && !destination ? { transport: { target: 'pino-pretty', options: { colorize: true } } } : {}),
  }
  return destination ? pino(options, destination) : pino(options)
}
