import type { Prisma } from '#root/generated/prisma-sqlite/client.js'
import type { Logger } from '#root/logger.js'
import type { Database, DatabaseProvider } from '#root/store/database.js'
import { createHash, randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Applies committed migrations at start-up, the way `prisma migrate deploy` would, without the native schema
 * engine (which cannot be installed offline). Each migration runs in a transaction together with its row in
 * Prisma's own `_prisma_migrations` table (same columns, same sha256 checksum), so that `prisma migrate status`
 * and `deploy` on a machine with the native engine agree with what the bot did. Migrations are written with
 * scripts/prisma-migration-sql.ts.
 */

export interface ApplyMigrationsOptions {
  logger: Logger
  /** Folder holding `<timestamp>_<name>/migration.sql`; defaults to the repository's prisma/<provider>/migrations. */
  migrationsDir?: string
}

export interface ApplyMigrationsResult {
  /** Names of the migrations this call applied, oldest first; empty when the database was up to date. */
  applied: string[]
}

/** A migration history the bot must not run on: edited or failed migrations, a foreign schema, a wrong provider. */
export class MigrationError extends Error {
  override name = 'MigrationError'
}

/** A committed migration as read from disk. */
export interface MigrationFile {
  name: string
  script: string
  checksum: string
}

// The advisory lock `prisma migrate` takes (prisma-engines, postgres flavour): holding the same key keeps the bot
// and the CLI out of each other's way too. Taken per transaction, so it also works through a transaction pooler.
const PRISMA_MIGRATE_LOCK_KEY = 72707369
// Prisma's interactive transactions give up after 5 s by default; a migration on a big table takes longer, and
// a second process may wait that long for the first one's lock.
const TRANSACTION_OPTIONS = { timeout: 10 * 60_000, maxWait: 60_000 }

// Prisma's own DDL for the history table (prisma-engines, create_migrations_table), per provider.
const CREATE_HISTORY_TABLE: Record<DatabaseProvider, string> = {
  sqlite: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`,
  postgresql: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`,
}

// The native engine writes SQLite DATETIMEs as Unix milliseconds and reads those back; write the same.
const NOW: Record<DatabaseProvider, string> = {
  sqlite: `CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)`,
  postgresql: 'clock_timestamp()',
}

type Tx = Prisma.TransactionClient

const param = (provider: DatabaseProvider, n: number) => (provider === 'postgresql' ? `$${n}` : '?')

interface HistoryRow {
  migration_name: string
  checksum: string
  finished: number | bigint
  rolled_back: number | bigint
}

/** The repository's migrations folder for a provider, found from this file rather than the working directory. */
export function migrationsDirectory(provider: DatabaseProvider): string {
  return fileURLToPath(new URL(`../../prisma/${provider}/migrations/`, import.meta.url))
}

/** sha256 of a migration script in lowercase hex: the checksum Prisma records. */
export function migrationChecksum(script: string): string {
  return createHash('sha256').update(script, 'utf8').digest('hex')
}

/** Whether a recorded checksum matches a script, ignoring line endings as Prisma does (git may convert them). */
export function checksumMatches(script: string, checksum: string): boolean {
  return [script, script.replaceAll('\r\n', '\n'), script.replaceAll('\n', '\r\n')]
    .some(variant => migrationChecksum(variant) === checksum)
}

/** Reads the migrations of a folder in Prisma's layout, oldest first (directory names sort by their timestamp). */
export async function loadMigrations(dir: string, provider: DatabaseProvider): Promise<MigrationFile[]> {
  if (!existsSync(dir))
    throw new MigrationError(`No migrations folder at ${dir}: run scripts/prisma-migration-sql.ts to create one`)
  const lockPath = join(dir, 'migration_lock.toml')
  if (existsSync(lockPath)) {
    const locked = /^\s*provider\s*=\s*"([^"]+)"/m.exec(await readFile(lockPath, 'utf8'))?.[1]
    if (locked && locked !== provider)
      throw new MigrationError(`${lockPath} is for "${locked}", but the database is ${provider}`)
  }
  const entries = (await readdir(dir, { withFileTypes: true })).filter(e => e.isDirectory()).map(e => e.name).sort()
  const migrations: MigrationFile[] = []
  for (const name of entries) {
    const file = join(dir, name, 'migration.sql')
    if (!existsSync(file))
      throw new MigrationError(`Migration ${name} has no migration.sql (${file})`)
    const script = await readFile(file, 'utf8')
    migrations.push({ name, script, checksum: migrationChecksum(script) })
  }
  if (migrations.length === 0)
    throw new MigrationError(`No migrations in ${dir}: run scripts/prisma-migration-sql.ts init`)
  return migrations
}

/**
 * Brings the database's schema up to date with the committed migrations of its provider, and refuses (throws
 * {@link MigrationError}) when the history cannot be trusted: a migration recorded as failed, an applied
 * migration whose file has changed since, or tables that no migration history accounts for.
 *
 * Each pending migration runs in its own transaction with its history row, so a failure leaves neither behind
 * (a hand-written migration must therefore be able to run in a transaction: no CREATE INDEX CONCURRENTLY).
 * Two processes starting at once apply each migration once: on PostgreSQL they queue on Prisma's advisory lock,
 * on SQLite on the database's write lock, and each re-reads the history once it holds the lock.
 */
export async function applyMigrations(db: Database, options: ApplyMigrationsOptions): Promise<ApplyMigrationsResult> {
  const { logger, migrationsDir = migrationsDirectory(db.provider) } = options
  const migrations = await loadMigrations(migrationsDir, db.provider)
  const started = performance.now()
  const applied: string[] = []

  try {
    await prepareHistoryTable(db)
    let warnedUnknown = false
    for (;;) {
      if (db.provider === 'sqlite') {
        // Prisma's SQLite migrations rebuild a table to alter it (create new, copy, drop old, rename). With foreign
        // keys on, dropping the old table runs its ON DELETE CASCADE actions and empties the child tables. The
        // script's own PRAGMA foreign_keys=OFF is ignored inside a transaction, so it must come before it, on the
        // connection the transaction will use (applyOne checks it took).
        await db.prisma.$executeRawUnsafe('PRAGMA foreign_keys = OFF')
      }
      const next = await db.prisma.$transaction(async (tx) => {
        await lockHistory(tx, db.provider)
        const history = await tx.$queryRawUnsafe<HistoryRow[]>(
          `SELECT "migration_name", "checksum",
                  CASE WHEN "finished_at" IS NULL THEN 0 ELSE 1 END AS "finished",
                  CASE WHEN "rolled_back_at" IS NULL THEN 0 ELSE 1 END AS "rolled_back"
           FROM "_prisma_migrations" ORDER BY "started_at" ASC`,
        )
        const done = checkHistory(history, migrations)
        if (!warnedUnknown && done.unknown.length > 0) {
          warnedUnknown = true
          logger.warn({ migrations: done.unknown }, 'the database has migrations this version of the bot does not know (a newer version ran on it?)')
        }
        const pending = migrations.find(m => !done.applied.has(m.name))
        if (pending)
          await applyOne(tx, db.provider, pending)
        return pending
      }, TRANSACTION_OPTIONS)
      if (!next)
        break
      applied.push(next.name)
      logger.info({ migration: next.name }, 'applied database migration')
    }
  }
  finally {
    // Normally a no-op (the connection that had them off went with its transaction), unless BEGIN itself failed.
    if (db.provider === 'sqlite')
      await db.prisma.$executeRawUnsafe('PRAGMA foreign_keys = ON')
  }

  const ms = Math.round(performance.now() - started)
  if (applied.length > 0)
    logger.info({ applied: applied.length, ms, provider: db.provider }, 'database schema migrated')
  else
    logger.debug({ ms, provider: db.provider }, 'database schema up to date')
  return { applied }
}

/** Creates `_prisma_migrations` on a database that has no tables yet; refuses a database with a foreign schema. */
async function prepareHistoryTable(db: Database): Promise<void> {
  const inspect = async (tx: Tx | Database['prisma']) => {
    const tables = await tx.$queryRawUnsafe<{ name: string }[]>(
      db.provider === 'sqlite'
        ? `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`
        : `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()`,
    )
    const names = tables.map(t => t.name)
    if (names.includes('_prisma_migrations'))
      return
    if (names.length > 0) {
      throw new MigrationError(
        `The database already has tables (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}) but no `
        + 'migration history (_prisma_migrations). Point DATABASE_URL at an empty database, or baseline this one '
        + 'with `prisma migrate resolve --applied <migration>` on a machine with the Prisma CLI.',
      )
    }
    await tx.$executeRawUnsafe(CREATE_HISTORY_TABLE[db.provider])
  }
  if (db.provider === 'postgresql') {
    // Under the lock, so that two first starts do not both try to create the table.
    await db.prisma.$transaction(async (tx) => {
      await lockHistory(tx, 'postgresql')
      await inspect(tx)
    }, TRANSACTION_OPTIONS)
  }
  else {
    // One statement at a time in autocommit: a racing process either waits on the write lock or sees the table.
    await inspect(db.prisma)
  }
}

/** Serializes migrators for the rest of the transaction. */
async function lockHistory(tx: Tx, provider: DatabaseProvider): Promise<void> {
  if (provider === 'postgresql') {
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${PRISMA_MIGRATE_LOCK_KEY})`)
    return
  }
  // A write as the transaction's first statement takes SQLite's write lock at once, waiting out the busy timeout
  // if another process holds it. Reading first and writing later could fail instead (SQLITE_BUSY on upgrade).
  await tx.$executeRawUnsafe(`UPDATE "_prisma_migrations" SET "id" = "id" WHERE 0 = 1`)
}

/** Refuses an untrustworthy history; returns the names applied and those this code does not know. */
function checkHistory(history: HistoryRow[], migrations: MigrationFile[]): { applied: Set<string>, unknown: string[] } {
  const local = new Map(migrations.map(m => [m.name, m]))
  const applied = new Set<string>()
  const unknown: string[] = []
  for (const row of history) {
    if (Number(row.rolled_back) === 1)
      continue
    if (Number(row.finished) !== 1) {
      throw new MigrationError(
        `Migration ${row.migration_name} is recorded as failed in _prisma_migrations (started, never finished). `
        + 'Repair the database by hand, then mark it with `prisma migrate resolve --rolled-back` or `--applied`.',
      )
    }
    const file = local.get(row.migration_name)
    if (!file) {
      unknown.push(row.migration_name)
      continue
    }
    if (!checksumMatches(file.script, row.checksum)) {
      throw new MigrationError(
        `Migration ${row.migration_name} was changed after it was applied to this database (checksum `
        + `${row.checksum.slice(0, 12)}… recorded, ${file.checksum.slice(0, 12)}… on disk). Restore the original `
        + 'migration.sql and put the change in a new migration.',
      )
    }
    applied.add(row.migration_name)
  }
  return { applied, unknown }
}

async function applyOne(tx: Tx, provider: DatabaseProvider, migration: MigrationFile): Promise<void> {
  const id = randomUUID()
  // Same sequence as the native engine: a started row, the script, then finished_at and one applied step.
  await tx.$executeRawUnsafe(
    `INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "started_at", "applied_steps_count")
     VALUES (${param(provider, 1)}, ${param(provider, 2)}, ${param(provider, 3)}, ${NOW[provider]}, 0)`,
    id,
    migration.checksum,
    migration.name,
  )
  try {
    if (provider === 'postgresql') {
      // Sent as one simple-protocol query, which PostgreSQL runs statement by statement (functions, $$ bodies).
      await tx.$executeRawUnsafe(migration.script)
    }
    else {
      await assertForeignKeysOff(tx)
      // libSQL runs only the first statement of a string: hand it one at a time.
      for (const statement of splitSqlStatements(migration.script))
        await tx.$executeRawUnsafe(statement)
      const violations = await tx.$queryRawUnsafe<unknown[]>('PRAGMA foreign_key_check')
      if (violations.length > 0)
        throw new Error(`it leaves ${violations.length} row(s) violating foreign keys (PRAGMA foreign_key_check)`)
    }
  }
  catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new MigrationError(`Migration ${migration.name} failed and was rolled back: ${reason}`, { cause: error })
  }
  await tx.$executeRawUnsafe(
    `UPDATE "_prisma_migrations" SET "finished_at" = ${NOW[provider]}, "applied_steps_count" = 1 WHERE "id" = ${param(provider, 1)}`,
    id,
  )
}

async function assertForeignKeysOff(tx: Tx): Promise<void> {
  // foreign_keys is per connection and was set just before the transaction began: make sure this is that one.
  const [row] = await tx.$queryRawUnsafe<{ foreign_keys: number | bigint }[]>('PRAGMA foreign_keys')
  if (row && Number(row.foreign_keys) !== 0)
    throw new Error('foreign keys are still enforced on the migrating connection; a table rebuild could cascade deletes')
}

/**
 * Splits an SQLite script into statements at top-level semicolons, skipping quoted text and comments and keeping
 * a CREATE TRIGGER body together up to its `END;` (as sqlite3_complete does). Comment-only pieces are dropped.
 */
export function splitSqlStatements(script: string): string[] {
  const statements: string[] = []
  let start = 0
  let code = '' // the statement so far, comments and quoted text blanked, for the trigger check
  const flush = (end: number) => {
    if (code.trim() !== '')
      statements.push(script.slice(start, end).trim())
    start = end
    code = ''
  }
  for (let i = 0; i < script.length;) {
    const c = script[i]!
    const next = script[i + 1]
    if (c === '-' && next === '-') {
      const end = script.indexOf('\n', i)
      i = end === -1 ? script.length : end + 1
      code += ' '
      continue
    }
    if (c === '/' && next === '*') {
      const end = script.indexOf('*/', i + 2)
      i = end === -1 ? script.length : end + 2
      code += ' '
      continue
    }
    if (c === '\'' || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c
      let j = i + 1
      while (j < script.length) {
        if (script[j] === close) {
          if (close !== ']' && script[j + 1] === close) {
            j += 2 // doubled quote inside quoted text
            continue
          }
          break
        }
        j++
      }
      i = j + 1
      code += 'x'
      continue
    }
    code += c
    i++
    if (c === ';') {
      const inTrigger = /^\s*CREATE\s+(TEMP\s+|TEMPORARY\s+)?TRIGGER\b/i.test(code)
      if (!inTrigger || /\bEND\s*;$/i.test(code))
        flush(i)
    }
  }
  flush(script.length)
  return statements
}
