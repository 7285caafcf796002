import type { Logger } from '#root/logger.js'
import type { Database, DatabaseProvider } from '#root/store/database.js'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '#root/store/database.js'
import pg from 'pg'
import { pino } from 'pino'
import { afterAll, beforeAll, beforeEach, describe } from 'vitest'

/** Server the PostgreSQL variants create their databases on (any database of it; only CREATE/DROP DATABASE are run there). */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'
/** Set to 1 (in CI) to fail instead of skipping when PostgreSQL does not answer. */
const POSTGRES_REQUIRED = process.env.TEST_POSTGRES_REQUIRED === '1'

export const TEST_PROVIDERS: DatabaseProvider[] = ['sqlite', 'postgresql']

/** A quiet logger for store tests; TEST_LOG_LEVEL=debug shows what the store logs. */
export const testLogger: Logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' })

let postgresProbe: Promise<string | null> | undefined

/**
 * Whether the test PostgreSQL server answers. Asked once per test process; the first "no" prints one warning
 * naming the server, so that skipped PostgreSQL variants never pass unnoticed.
 */
export async function isPostgresAvailable(): Promise<boolean> {
  postgresProbe ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 2_000 })
    try {
      await client.connect()
      await client.query('SELECT 1')
      return null
    }
    catch (error) {
      const reason = (error as { code?: string }).code ?? (error as Error).message
      const message = `PostgreSQL at ${redact(TEST_POSTGRES_URL)} did not answer (${reason}): `
        + 'the PostgreSQL variants of the store tests are SKIPPED. Set TEST_POSTGRES_URL to a server to run them.'
      if (POSTGRES_REQUIRED)
        throw new Error(`${message} (TEST_POSTGRES_REQUIRED=1)`)
      console.warn(`\n⚠ ${message}\n`)
      return message
    }
    finally {
      await client.end().catch(() => {})
    }
  })()
  return (await postgresProbe) === null
}

/** A brand-new empty database of its own (an SQLite file in a temporary folder, or a PostgreSQL database). */
export interface ScratchDatabase {
  provider: DatabaseProvider
  url: string
  /** Opens it; migrated unless `migrate: false`. Every database opened here is closed by {@link drop}. */
  open: (options?: { migrate?: boolean, sqliteBusyTimeoutMs?: number }) => Promise<Database>
  /** Closes what {@link open} opened and deletes the database. */
  drop: () => Promise<void>
}

/** Creates an empty database; PostgreSQL ones are named huiyin_test_<random> on {@link TEST_POSTGRES_URL}. */
export async function createScratchDatabase(provider: DatabaseProvider): Promise<ScratchDatabase> {
  const opened: Database[] = []
  const open = async (options: { migrate?: boolean, sqliteBusyTimeoutMs?: number } = {}) => {
    const db = await openDatabase(url, { logger: testLogger, ...options, migrate: options.migrate ?? true })
    opened.push(db)
    return db
  }
  const closeAll = async () => {
    for (const db of opened.splice(0))
      await db.close().catch(() => {})
  }

  let url: string
  let remove: () => Promise<void>
  if (provider === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'huiyin-test-'))
    url = `file:${join(dir, 'test.db')}`
    remove = async () => rmSync(dir, { recursive: true, force: true })
  }
  else {
    const name = `huiyin_test_${randomBytes(6).toString('hex')}`
    await adminQuery(`CREATE DATABASE "${name}"`)
    const server = new URL(TEST_POSTGRES_URL)
    server.pathname = `/${name}`
    url = server.href
    remove = () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
  }
  return { provider, url, open, drop: async () => {
    await closeAll()
    await remove()
  } }
}

/**
 * Empties every table but the migration history and restarts id sequences, so that each test starts from the
 * freshly migrated state: `TRUNCATE … RESTART IDENTITY CASCADE` on PostgreSQL, `DELETE` plus a reset of
 * `sqlite_sequence` on SQLite. A few milliseconds, against a few hundred for a new database.
 */
export async function truncateAll(db: Database): Promise<void> {
  if (db.provider === 'postgresql') {
    const tables = await db.prisma.$queryRawUnsafe<{ name: string }[]>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'`,
    )
    if (tables.length > 0)
      await db.prisma.$executeRawUnsafe(`TRUNCATE TABLE ${tables.map(t => quote(t.name)).join(', ')} RESTART IDENTITY CASCADE`)
    return
  }
  const tables = await db.prisma.$queryRawUnsafe<{ name: string }[]>(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '_prisma_migrations'`,
  )
  // ON DELETE RESTRICT fires even when deferred: switch enforcement off rather than ordering tables by their keys.
  await db.prisma.$executeRawUnsafe('PRAGMA foreign_keys = OFF')
  try {
    await db.prisma.$transaction(async (tx) => {
      for (const { name } of tables)
        await tx.$executeRawUnsafe(`DELETE FROM ${quote(name)}`)
      const [sequence] = await tx.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'`)
      if (sequence)
        await tx.$executeRawUnsafe('DELETE FROM sqlite_sequence')
    })
  }
  finally {
    await db.prisma.$executeRawUnsafe('PRAGMA foreign_keys = ON')
  }
}

/**
 * Declares `fn` once per provider, as `<name> [sqlite]` and `<name> [postgresql]`. Where PostgreSQL does not
 * answer, every test of its variant is skipped (with the warning of {@link isPostgresAvailable}); it never fails.
 */
export function describeEachProvider(name: string, fn: (provider: DatabaseProvider) => void): void {
  for (const provider of TEST_PROVIDERS) {
    describe(`${name} [${provider}]`, () => {
      let skip: string | null = null
      beforeAll(async () => {
        if (provider === 'postgresql' && !(await isPostgresAvailable()))
          skip = `PostgreSQL not reachable at ${redact(TEST_POSTGRES_URL)}`
      })
      beforeEach((ctx) => {
        if (skip)
          ctx.skip(skip)
      })
      fn(provider)
    })
  }
}

/**
 * Runs the same store suite on a real SQLite file and on a real PostgreSQL database:
 *
 * ```ts
 * describeEachDatabase('ticket store', (getDb) => {
 *   it('creates a ticket', async () => { const store = createTicketStore(getDb()); ... })
 * })
 * ```
 *
 * Each variant gets one freshly created and migrated database for the whole suite (a temporary SQLite file; a
 * `huiyin_test_<random>` PostgreSQL database, dropped afterwards), and every table is emptied before each test
 * ({@link truncateAll}), so tests start from the same empty schema without paying for a new database each time.
 * A test that needs a database of its own (say, to open it twice) can call {@link createScratchDatabase}.
 */
export function describeEachDatabase(
  name: string,
  suite: (getDb: () => Database, provider: DatabaseProvider) => void,
): void {
  describeEachProvider(name, (provider) => {
    let scratch: ScratchDatabase | undefined
    let db: Database | undefined
    beforeAll(async () => {
      if (provider === 'postgresql' && !(await isPostgresAvailable()))
        return
      scratch = await createScratchDatabase(provider)
      db = await scratch.open()
    }, 60_000)
    afterAll(async () => {
      await scratch?.drop()
    }, 60_000)
    beforeEach(async () => {
      if (db)
        await truncateAll(db)
    })
    suite(() => {
      if (!db)
        throw new Error(`the ${provider} test database is not open (see the error of beforeAll)`)
      return db
    }, provider)
  })
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL })
  await client.connect()
  try {
    await client.query(sql)
  }
  finally {
    await client.end()
  }
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`
}

function redact(url: string): string {
  const parsed = new URL(url)
  if (parsed.password)
    parsed.password = '***'
  return parsed.href
}

/**
 * Another connection takes the SQLite file's write lock (BEGIN IMMEDIATE plus a write) and holds it until
 * `release`, as another process would: every writer of the bot gets SQLITE_BUSY meanwhile.
 */
export async function holdSqliteWriteLock(url: string): Promise<{ release: () => Promise<void> }> {
  const { createClient } = await import('@libsql/client')
  const client = createClient({ url })
  const transaction = await client.transaction('write')
  await transaction.execute(`UPDATE "_prisma_migrations" SET "logs" = "logs" WHERE 0 = 1`)
  return {
    release: async () => {
      await transaction.rollback()
      client.close()
    },
  }
}
