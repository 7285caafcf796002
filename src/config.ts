import { DUPLICATE_THRESHOLD } from '#root/classify/duplicate-similarity.js'
import { z } from 'zod'

/** Chosen from the offline classifier's confidence curve (README, "Evaluation"). */
export const DEFAULT_CLASSIFY_MIN_CONFIDENCE = 0.48
const DEFAULT_DATABASE_URL = 'file:./data/huiyin.db'
const DEFAULT_HTTP_PORT = 8080
const HOUR_MS = 3_600_000

const optionalString = z.preprocess(v => (v === '' ? undefined : v), z.string().optional())

const idList = z
  .string()
  .default('')
  .transform((value, ctx) => {
    const ids: number[] = []
    for (const part of value.split(',').map(s => s.trim()).filter(Boolean)) {
      if (!/^-?\d+$/.test(part)) {
        ctx.addIssue({ code: 'custom', message: `"${part}" is not a numeric Telegram user id` })
        continue
      }
      ids.push(Number(part))
    }
    return ids
  })

function urlString(what: string) {
  return z.string().refine(v => URL.canParse(v), { message: `must be a URL (${what})` })
}

function isWebhookUrl(value: string): boolean {
  if (!URL.canParse(value))
    return false
  const url = new URL(value)
  return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
}

/** One schema over the environment: every variable the bot reads, with its default. */
export const configSchema = z.object({
  BOT_TOKEN: z
    .string({ error: 'is required: the token @BotFather gave your bot' })
    .regex(/^\d+:[\w-]{20,}$/, 'does not look like a bot token (digits, a colon, then at least 20 characters)'),
  TELEGRAM_API_ROOT: urlString('the Bot API server').default('https://api.telegram.org'),
  DATABASE_URL: z
    .string()
    .default(DEFAULT_DATABASE_URL)
    .refine(v => v.startsWith('file:') || /^postgres(ql)?:\/\//.test(v), {
      message: 'must be an SQLite "file:" URL or a "postgresql://" URL',
    }),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: z.preprocess(v => (v === '' ? undefined : v), urlString('an OpenAI-compatible endpoint').optional()),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  OPENAI_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  OPENAI_RESPONSE_FORMAT: z.enum(['json_schema', 'json_object', 'none']).default('json_schema'),
  OPENAI_TRANSCRIBE_MODEL: optionalString,
  CLASSIFY_MIN_CONFIDENCE: z.coerce.number().min(0).max(1).default(DEFAULT_CLASSIFY_MIN_CONFIDENCE),
  CATALOG_FILE: z.string().min(1).default('prisma/catalog.json'),
  AREAS_FILE: z.string().min(1).default('prisma/areas.json'),
  SPOOL_FILE: z.string().min(1).default('./data/unsaved-reports.jsonl'),
  INBOX_FILE: z.string().min(1).default('./data/inbox.jsonl'),
  BOT_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(32),
  WEBHOOK_URL: z.preprocess(v => (v === '' ? undefined : v), z.string().refine(isWebhookUrl, {
    message: 'must be the public https:// URL Telegram posts updates to (http:// only on this machine, for a local Bot API server)',
  }).optional()),
  WEBHOOK_SECRET: z.preprocess(v => (v === '' ? undefined : v), z.string().regex(/^[\w-]{1,256}$/, {
    message: 'must be 1 to 256 characters A-Z, a-z, 0-9, _ and - (Telegram\'s rule for a secret token)',
  }).optional()),
  WEBHOOK_PATH: z.preprocess(v => (v === '' ? undefined : v), z.string().startsWith('/', { message: 'must start with /' }).optional()),
  HTTP_PORT: z.preprocess(v => (v === '' ? undefined : v), z.coerce.number().int().min(0).max(65535).optional()),
  ADMIN_IDS: idList,
  TIMEZONE: z
    .string()
    .default('Asia/Shanghai')
    .refine((tz) => {
      try {
        return Boolean(new Intl.DateTimeFormat('en', { timeZone: tz }))
      }
      catch {
        return false
      }
    }, { message: 'is not an IANA time zone (for example Asia/Shanghai)' }),
  DEADLINE_RULES_FILE: z.string().min(1).default('prisma/deadlines.json'),
  WORKING_CALENDAR_FILE: z.string().min(1).default('prisma/working-calendar.json'),
  CHASE_REMINDER_HOURS: z.coerce.number().min(0).default(4),
  ESCALATION_DELAY_HOURS: z.coerce.number().min(0).default(24),
  FOLLOW_UP_TIMEOUT_HOURS: z.coerce.number().positive().default(72),
  SUPERVISE_REPEAT_MINUTES: z.coerce.number().min(0).default(60),
  SCHEDULER_INTERVAL_SECONDS: z.coerce.number().positive().default(60),
  DUPLICATE_THRESHOLD: z.coerce.number().gt(0).max(1).default(DUPLICATE_THRESHOLD),
  DUPLICATE_WINDOW_DAYS: z.coerce.number().positive().default(30),
  MONTHLY_WEIGHTS_FILE: z.string().min(1).default('prisma/monthly-weights.json'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: z.stringbool().default(false),
})

export interface Config {
  botToken: string
  telegramApiRoot: string
  databaseUrl: string
  openai: {
    apiKey: string
    baseUrl: string | undefined
    model: string
    timeoutMs: number
    responseFormat: 'json_schema' | 'json_object' | 'none'
    /** Voice notes are transcribed with this model when set (the endpoint must offer /audio/transcriptions). */
    transcribeModel: string | null
  } | null
  classifyMinConfidence: number
  catalogFile: string
  /** The area tree cadres are bound to and coverage rolls up through. */
  areasFile: string
  spoolFile: string
  inboxFile: string
  /** Updates handled at once, across chats and users. */
  concurrency: number
  /** Set: updates arrive by webhook. Null: long polling. */
  webhook: { url: string, secret: string, path: string } | null
  /** Port of the webhook and /healthz; null: no HTTP server (long polling without health checks). */
  httpPort: number | null
  adminIds: number[]
  timezone: string
  deadlines: {
    rulesFile: string
    calendarFile: string
    /** How long before the completion deadline the handlers are reminded. */
    reminderBeforeMs: number
    /** How long after the deadline an overdue ticket is escalated to the supervisors (督办). */
    escalationAfterMs: number
    /** How long a resolved ticket waits for a rating before it closes as "no response". */
    followUpTimeoutMs: number
    /** A supervisor's 督办 on a ticket is refused when another was recorded this recently. */
    superviseRepeatAfterMs: number
    /** How often the scheduler looks for steps that fell due. */
    intervalMs: number
  }
  duplicates: {
    /** A new report is offered an open ticket of its category and area whose text is at least this alike (0–1). */
    threshold: number
    /** How far back open tickets are looked at. */
    windowMs: number
  }
  /** The weights of the monthly report's score (月度通报综合得分). */
  monthlyWeightsFile: string
  logLevel: z.infer<typeof configSchema>['LOG_LEVEL']
  logPretty: boolean
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map(p => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

/** Builds the configuration from an environment; pure, so tests pass their own. Throws ConfigError naming every problem. */
export function createConfig(env: Record<string, string | undefined>): Config {
  const parsed = configSchema.safeParse(env)
  const problems = parsed.success ? [] : parsed.error.issues.map(issue => `${issue.path.join('.') || 'environment'} ${issue.message}`)
  if (env.WEBHOOK_URL && !env.WEBHOOK_SECRET)
    problems.push('WEBHOOK_SECRET is required with WEBHOOK_URL: Telegram sends it with every update, so that nobody else can post updates')
  if (!parsed.success || problems.length > 0)
    throw new ConfigError(problems)
  const e = parsed.data
  return {
    botToken: e.BOT_TOKEN,
    telegramApiRoot: e.TELEGRAM_API_ROOT,
    databaseUrl: e.DATABASE_URL,
    openai: e.OPENAI_API_KEY
      ? {
          apiKey: e.OPENAI_API_KEY,
          baseUrl: e.OPENAI_BASE_URL,
          model: e.OPENAI_MODEL,
          timeoutMs: e.OPENAI_TIMEOUT_MS,
          responseFormat: e.OPENAI_RESPONSE_FORMAT,
          transcribeModel: e.OPENAI_TRANSCRIBE_MODEL ?? null,
        }
      : null,
    classifyMinConfidence: e.CLASSIFY_MIN_CONFIDENCE,
    catalogFile: e.CATALOG_FILE,
    areasFile: e.AREAS_FILE,
    spoolFile: e.SPOOL_FILE,
    inboxFile: e.INBOX_FILE,
    concurrency: e.BOT_CONCURRENCY,
    webhook: e.WEBHOOK_URL !== undefined
      ? { url: e.WEBHOOK_URL, secret: e.WEBHOOK_SECRET!, path: e.WEBHOOK_PATH ?? new URL(e.WEBHOOK_URL).pathname }
      : null,
    httpPort: e.HTTP_PORT ?? (e.WEBHOOK_URL !== undefined ? DEFAULT_HTTP_PORT : null),
    adminIds: e.ADMIN_IDS,
    timezone: e.TIMEZONE,
    deadlines: {
      rulesFile: e.DEADLINE_RULES_FILE,
      calendarFile: e.WORKING_CALENDAR_FILE,
      reminderBeforeMs: e.CHASE_REMINDER_HOURS * HOUR_MS,
      escalationAfterMs: e.ESCALATION_DELAY_HOURS * HOUR_MS,
      followUpTimeoutMs: e.FOLLOW_UP_TIMEOUT_HOURS * HOUR_MS,
      superviseRepeatAfterMs: e.SUPERVISE_REPEAT_MINUTES * 60_000,
      intervalMs: e.SCHEDULER_INTERVAL_SECONDS * 1000,
    },
    duplicates: {
      threshold: e.DUPLICATE_THRESHOLD,
      windowMs: e.DUPLICATE_WINDOW_DAYS * 24 * HOUR_MS,
    },
    monthlyWeightsFile: e.MONTHLY_WEIGHTS_FILE,
    logLevel: e.LOG_LEVEL,
    logPretty: e.LOG_PRETTY,
  }
}

/** The only place that reads process.env. Loads ./.env first when present. */
export function loadConfigFromEnvironment(): Config {
  try {
    process.loadEnvFile()
  }
  catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw error
  }
  return createConfig(process.env)
}
