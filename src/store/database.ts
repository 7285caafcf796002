import type { PrismaClient } from '#root/generated/prisma-sqlite/client.js'
import type { Logger } from '#root/logger.js'
import type { MigrationError } from '#root/store/migrate.js'
import type { Client, Config, InStatement, Transaction, TransactionMode } from '@libsql/client'
import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { applyMigrations } from '#root/store/migrate.js'

export type { PrismaClient }

/** The SQL dialects the bot runs on; each has its own generated client and migration history under prisma/. */
export type DatabaseProvider = 'sqlite' | 'postgresql'

/**
 * An open database. `prisma` is typed as the SQLite client: the PostgreSQL client is generated from the same
 * models and has the same API, and this module is the one place that knows two clients exist.
 */
export interface Database {
  prisma: PrismaClient
  provider: DatabaseProvider
  /** Disconnects the client and closes its connections (the PostgreSQL pool, the SQLite file). */
  close: () => Promise<void>
}

export interface OpenDatabaseOptions {
  logger: Logger
  /** Apply pending committed migrations before returning (default true). */
  migrate?: boolean
  /** How long an SQLite statement waits for another connection's lock before failing (default 2 s). */
  sqliteBusyTimeoutMs?: number
}

// Long enough to ride out a checkpoint or another process's short write transaction. libSQL waits for a lock
// synchronously, so the whole process stands still meanwhile: a longer wait would stall every chat, not one query.
const SQLITE_BUSY_TIMEOUT_MS = 2_000
// pg waits forever for a connection by default, which turns an unreachable server into a silent hang.
const POSTGRES_CONNECT_TIMEOUT_MS = 10_000

/**
 * Opens the database a URL names, and by default brings its schema up to date (see {@link applyMigrations}).
 *
 * - `file:<path>`: SQLite through libSQL. A relative path resolves from the working directory; the parent
 *   directory is created when missing. The file is put in WAL mode (readers do not block the writer) and every
 *   connection waits up to 2 s for a lock before failing (Prisma reports that as P1008 "Operation has timed
 *   out"); the connection heals itself once the lock is gone (see {@link keepOneConnection}). In-memory
 *   databases are refused: see {@link sqliteFilePath}.
 * - `postgres://` or `postgresql://`: PostgreSQL through node-postgres (10 s connect timeout).
 *
 * Throws when the URL is unusable, the database cannot be reached or its migrations cannot be applied
 * ({@link MigrationError}); nothing stays open then.
 */
export async function openDatabase(url: string, options: OpenDatabaseOptions): Promise<Database> {
  const { logger, migrate = true, sqliteBusyTimeoutMs = SQLITE_BUSY_TIMEOUT_MS } = options
  const opened = url.startsWith('file:')
    ? await openSqlite(url, logger, sqliteBusyTimeoutMs)
    : /^postgres(ql)?:\/\//.test(url)
      ? await openPostgres(url, logger)
      : null
  if (!opened)
    throw new Error('DATABASE_URL must be an SQLite "file:" URL or a "postgresql://" URL')

  const { db, where } = opened
  try {
    if (migrate)
      await applyMigrations(db, { logger })
    else
      await db.prisma.$queryRawUnsafe('SELECT 1')
  }
  catch (error) {
    await db.close().catch(() => {})
    throw error
  }
  logger.info({ provider: db.provider, ...where }, 'database opened')
  return db
}

/** An open database and where it is, for the log (never credentials). */
interface Opened {
  db: Database
  where: Record<string, string>
}

/** Path of the SQLite file a `file:` URL names, resolved from the working directory. */
export function sqliteFilePath(url: string): string {
  // file:relative/x.db, file:./x.db, file:/abs/x.db, file:///abs/x.db; Prisma-style ?params are not part of the path.
  const rest = url.slice('file:'.length).replace(/[?#].*$/, '')
  if (rest === '')
    throw new Error('DATABASE_URL: an SQLite URL needs a file path, as in file:./data/huiyin.db')
  if (rest.includes(':memory:') || /mode=memory/.test(url))
    throw new Error('DATABASE_URL: in-memory SQLite is not supported (the case store must outlive the process); use a file')
  const path = rest.startsWith('//') ? decodeURIComponent(new URL(url).pathname) : decodeURIComponent(rest)
  return resolve(process.cwd(), path)
}

async function openSqlite(url: string, logger: Logger, busyTimeoutMs: number): Promise<Opened> {
  const path = sqliteFilePath(url)
  mkdirSync(dirname(path), { recursive: true })
  const [{ PrismaLibSql }, { PrismaClient: SqliteClient }] = await Promise.all([
    import('@prisma/adapter-libsql'),
    import('#root/generated/prisma-sqlite/client.js'),
  ])
  // libSQL's client hands its connection to every transaction and opens a new one, and nothing ever closes the old:
  // two file handles and some native memory leak per transaction (tursodatabase/libsql-client-ts#350), until the
  // process runs out of descriptors. The adapter already serializes every query and transaction behind one lock,
  // so one connection can serve them all.
  class SingleConnectionLibSql extends PrismaLibSql {
    override createClient(config: Config) {
      return keepOneConnection(super.createClient(config))
    }
  }
  // libSQL parses the URL itself; hand it an absolute one so that it cannot resolve differently from us.
  const adapter = new SingleConnectionLibSql({ url: `file:${path}`, timeout: busyTimeoutMs })
  const prisma = new SqliteClient({ adapter })
  const db: Database = { prisma, provider: 'sqlite', close: () => prisma.$disconnect() }
  try {
    // WAL is a property of the file: set once, it stays for every later connection.
    const [mode] = await prisma.$queryRawUnsafe<{ journal_mode: string }[]>('PRAGMA journal_mode = WAL')
    if (mode?.journal_mode.toLowerCase() !== 'wal')
      logger.warn({ journalMode: mode?.journal_mode }, 'SQLite refused WAL mode; readers will block the writer')
  }
  catch (error) {
    await db.close().catch(() => {})
    throw error
  }
  return { db, where: { file: path } }
}

const BEGIN: Record<TransactionMode, string> = { write: 'BEGIN IMMEDIATE', read: 'BEGIN TRANSACTION READONLY', deferred: 'BEGIN DEFERRED' }

/**
 * A libSQL client whose transactions run on its own connection instead of taking it and opening another, and which
 * heals the connection after a lock it could not get.
 *
 * libSQL does not reset a statement that failed with SQLITE_BUSY: the statement stays "in progress" until the garbage
 * collector finalizes it, and until then every COMMIT on that connection fails ("cannot commit transaction - SQL
 * statements in progress"). A failed COMMIT used to leave the connection inside its transaction for good: every
 * later BEGIN failed and every later write went into a transaction that was never committed. So a busy or locked
 * statement, or a COMMIT or ROLLBACK that fails, rolls back what is open and reopens the connection (a few
 * milliseconds) before the next statement runs. Callers (Prisma's adapter) already run one statement or
 * transaction at a time, which is what makes swapping the connection between them safe.
 */
export function keepOneConnection(client: Client): Client {
  let inTransaction = false
  let wedged = false

  const heal = async () => {
    if (!wedged || inTransaction)
      return
    await client.execute('ROLLBACK').catch(() => {})
    await client.reconnect()
    wedged = false
  }
  const execute = async (statement: InStatement) => {
    await heal()
    try {
      return await client.execute(statement)
    }
    catch (error) {
      if (isBusyOrLockedError(error))
        wedged = true
      throw error
    }
  }
  const transaction = async (mode: TransactionMode = 'write'): Promise<Transaction> => {
    await execute(BEGIN[mode])
    inTransaction = true
    let open = true
    const end = async (sql: 'COMMIT' | 'ROLLBACK') => {
      if (!open)
        return
      open = false
      try {
        await client.execute(sql)
      }
      catch (error) {
        if (!/no transaction is active/.test(String((error as Error).message)))
          wedged = true
        throw error
      }
      finally {
        inTransaction = false
        await heal()
      }
    }
    return {
      execute,
      batch: async (statements: InStatement[]) => {
        const results = []
        for (const statement of statements)
          results.push(await execute(statement))
        return results
      },
      executeMultiple: (sql: string) => client.executeMultiple(sql),
      rollback: () => end('ROLLBACK'),
      commit: () => end('COMMIT'),
      close: () => void end('ROLLBACK').catch(() => {}),
      get closed() {
        return !open
      },
    } as Transaction
  }
  return new Proxy(client, {
    get: (target, property) => {
      if (property === 'transaction')
        return transaction
      if (property === 'execute')
        return execute
      // The client keeps its state in private fields: its methods must run on the client itself, not on the proxy.
      const value = Reflect.get(target, property, target) as unknown
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

function isBusyOrLockedError(error: unknown): boolean {
  const e = error as { code?: unknown, rawCode?: unknown }
  if (typeof e?.rawCode === 'number')
    return isBusyOrLocked(e.rawCode)
  return typeof e?.code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(e.code)
}

async function openPostgres(url: string, logger: Logger): Promise<Opened> {
  const parsed = new URL(url)
  // Prisma's CLI reads ?schema=, node-postgres ignores it: the bot would quietly use "public". Say so instead.
  if (parsed.searchParams.has('schema'))
    throw new Error('DATABASE_URL: the "schema" parameter is not supported; use a database of its own instead')
  const [{ PrismaPg }, { PrismaClient: PostgresClient }] = await Promise.all([
    import('@prisma/adapter-pg'),
    import('#root/generated/prisma-postgresql/client.js'),
  ])
  const adapter = new PrismaPg(
    { connectionString: url, connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS },
    { onPoolError: error => logger.warn({ err: error }, 'idle PostgreSQL connection failed; the pool replaces it') },
  )
  // Same models, same API: see the Database interface.
  const prisma = new PostgresClient({ adapter }) as unknown as PrismaClient
  return {
    db: { prisma, provider: 'postgresql', close: () => prisma.$disconnect() },
    where: { host: parsed.host, database: decodeURIComponent(parsed.pathname.slice(1)) },
  }
}

const TRANSIENT_PRISMA_CODES = new Set([
  'P1001', // server not reachable
  'P1008', // timed out (libSQL reports SQLITE_BUSY this way)
  'P1017', // server closed the connection
  'P2034', // write conflict or deadlock (PostgreSQL 40001, 40P01)
])
const TRANSIENT_ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TransactionWriteConflict'])
const TRANSIENT_POSTGRES_CODES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '57P01', // admin_shutdown (server restarting)
  '08000',
  '08003',
  '08006',
  '08001',
  '08004', // connection exceptions
])
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'])
const SQLITE_BUSY = 5
const SQLITE_LOCKED = 6

/**
 * Whether an error from a database call is worth retrying as is: SQLite busy/locked, a PostgreSQL serialization
 * failure or deadlock, a refused or dropped connection. Looks through Prisma's error, the driver adapter's error
 * it wraps and the driver's own error, since each layer reports these differently.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  const seen = new Set<unknown>()
  let current: unknown = error
  while (current !== null && typeof current === 'object' && !seen.has(current)) {
    seen.add(current)
    const e = current as {
      code?: unknown
      kind?: unknown
      rawCode?: unknown
      extendedCode?: unknown
      message?: unknown
      meta?: { driverAdapterError?: unknown }
      cause?: unknown
    }
    if (typeof e.code === 'string') {
      if (TRANSIENT_PRISMA_CODES.has(e.code) || TRANSIENT_POSTGRES_CODES.has(e.code) || TRANSIENT_NODE_CODES.has(e.code))
        return true
      if (/^SQLITE_(BUSY|LOCKED)/.test(e.code))
        return true
    }
    if (typeof e.kind === 'string') {
      if (TRANSIENT_ADAPTER_KINDS.has(e.kind))
        return true
      if (e.kind === 'postgres' && typeof e.code === 'string' && TRANSIENT_POSTGRES_CODES.has(e.code))
        return true
      if (e.kind === 'sqlite' && typeof e.extendedCode === 'number' && isBusyOrLocked(e.extendedCode))
        return true
    }
    // libSQL's own error: code "SQLITE_BUSY" or the like, rawCode the extended result code.
    if (typeof e.code === 'string' && e.code.startsWith('SQLITE') && typeof e.rawCode === 'number' && isBusyOrLocked(e.rawCode))
      return true
    // node-postgres reports a connection dropped mid-query with a bare Error and no code.
    if (typeof e.message === 'string' && /Connection terminated unexpectedly/.test(e.message))
      return true
    current = e.meta?.driverAdapterError ?? e.cause
  }
  return false
}

function isBusyOrLocked(sqliteCode: number): boolean {
  const primary = sqliteCode & 0xFF
  return primary === SQLITE_BUSY || primary === SQLITE_LOCKED
}
