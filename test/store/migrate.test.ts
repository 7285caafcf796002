import type { Database, DatabaseProvider } from '#root/store/database.js'
import type { ScratchDatabase } from '../helpers/database.js'
import { createHash } from 'node:crypto'
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { applyMigrations, MigrationError, migrationsDirectory, splitSqlStatements } from '#root/store/migrate.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createScratchDatabase, describeEachProvider, testLogger } from '../helpers/database.js'

interface HistoryRow {
  id: string
  checksum: string
  finished_at: Date | null
  migration_name: string
  logs: string | null
  rolled_back_at: Date | null
  started_at: Date
  applied_steps_count: number | bigint
}

function history(db: Database) {
  return db.prisma.$queryRawUnsafe<HistoryRow[]>('SELECT * FROM "_prisma_migrations" ORDER BY "started_at"')
}

async function tableNames(db: Database): Promise<string[]> {
  const rows = await db.prisma.$queryRawUnsafe<{ name: string }[]>(
    db.provider === 'sqlite'
      ? `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`
      : `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()`,
  )
  return rows.map(r => r.name).sort()
}

/** The committed migrations of a provider, with the tables their scripts create. */
function committed(provider: DatabaseProvider) {
  const dir = migrationsDirectory(provider)
  const names = readdirSync(dir, { withFileTypes: true }).filter(e => e.isDirectory()).map(e => e.name).sort()
  const scripts = names.map(name => readFileSync(join(dir, name, 'migration.sql'), 'utf8'))
  // SQLite's table rebuilds create "new_X" and rename it to X: the table is X.
  const tables = [...new Set(scripts.flatMap(s => [...s.matchAll(/CREATE TABLE "([^"]+)"/g)].map(m => m[1]!.replace(/^new_/, ''))))]
  return { dir, names, scripts, tables }
}

/** A copy of the committed migrations that a test may extend or edit. */
function copyMigrations(provider: DatabaseProvider): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'huiyin-migrations-')), 'migrations')
  cpSync(migrationsDirectory(provider), dir, { recursive: true })
  return dir
}

function addMigration(dir: string, name: string, script: string): void {
  mkdirSync(join(dir, name), { recursive: true })
  writeFileSync(join(dir, name, 'migration.sql'), script)
}

describeEachProvider('applyMigrations', (provider) => {
  let scratch: ScratchDatabase
  let db: Database
  const tempDirs: string[] = []
  const tempCopy = () => {
    const dir = copyMigrations(provider)
    tempDirs.push(join(dir, '..'))
    return dir
  }

  beforeEach(async () => {
    scratch = await createScratchDatabase(provider)
    db = await scratch.open({ migrate: false })
  })
  afterEach(async () => {
    await scratch?.drop()
    for (const dir of tempDirs.splice(0))
      rmSync(dir, { recursive: true, force: true })
  })

  it('migrates an empty database: every table, one history row per migration with Prisma\'s checksum', async () => {
    const { names, scripts, tables } = committed(provider)
    expect(names.length).toBeGreaterThan(0)

    const result = await applyMigrations(db, { logger: testLogger })

    expect(result.applied).toEqual(names)
    expect(await tableNames(db)).toEqual([...tables, '_prisma_migrations'].sort())
    const rows = await history(db)
    expect(rows.map(r => r.migration_name)).toEqual(names)
    rows.forEach((row, i) => {
      expect(row.checksum).toBe(createHash('sha256').update(scripts[i]!).digest('hex'))
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/)
      expect(row.finished_at).toBeInstanceOf(Date)
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime())
      expect(row.rolled_back_at).toBeNull()
      expect(row.logs).toBeNull()
      expect(Number(row.applied_steps_count)).toBe(1)
    })
  })

  it('applies nothing on a second start', async () => {
    await applyMigrations(db, { logger: testLogger })
    const before = await history(db)

    expect((await applyMigrations(db, { logger: testLogger })).applied).toEqual([])
    const reopened = await scratch.open()
    expect(await history(reopened)).toEqual(before)
  })

  it('applies only the migrations added since the last start', async () => {
    const dir = tempCopy()
    await applyMigrations(db, { logger: testLogger, migrationsDir: dir })
    addMigration(dir, '29990101000000_add_note', 'CREATE TABLE "Note" ("id" INTEGER NOT NULL PRIMARY KEY, "text" TEXT NOT NULL);\n')

    const result = await applyMigrations(db, { logger: testLogger, migrationsDir: dir })

    expect(result.applied).toEqual(['29990101000000_add_note'])
    expect(await tableNames(db)).toContain('Note')
  })

  it('refuses to start when an applied migration was edited', async () => {
    const dir = tempCopy()
    await applyMigrations(db, { logger: testLogger, migrationsDir: dir })
    const first = committed(provider).names[0]!
    appendFileSync(join(dir, first, 'migration.sql'), '\n-- an afterthought\n')

    const attempt = applyMigrations(db, { logger: testLogger, migrationsDir: dir })

    await expect(attempt).rejects.toThrow(MigrationError)
    await expect(attempt).rejects.toThrow(`Migration ${first} was changed after it was applied`)
  })

  it('accepts a migration whose line endings git converted', async () => {
    const dir = tempCopy()
    await applyMigrations(db, { logger: testLogger, migrationsDir: dir })
    const file = join(dir, committed(provider).names[0]!, 'migration.sql')
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('\n', '\r\n'))

    expect((await applyMigrations(db, { logger: testLogger, migrationsDir: dir })).applied).toEqual([])
  })

  it('refuses to start when a migration is recorded as failed', async () => {
    await applyMigrations(db, { logger: testLogger })
    // What the native engine leaves behind when a script fails halfway.
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "logs", "started_at", "applied_steps_count")
       VALUES ('00000000-0000-4000-8000-000000000000', 'x', '29990101000000_broken', 'boom', CURRENT_TIMESTAMP, 0)`,
    )

    await expect(applyMigrations(db, { logger: testLogger })).rejects.toThrow(/29990101000000_broken is recorded as failed/)
  })

  it('rolls a failing migration back completely, history row included', async () => {
    const dir = tempCopy()
    await applyMigrations(db, { logger: testLogger, migrationsDir: dir })
    addMigration(dir, '29990101000000_half_bad', 'CREATE TABLE "Half" ("id" INTEGER NOT NULL PRIMARY KEY);\nSELECT * FROM "NoSuchTable";\n')

    await expect(applyMigrations(db, { logger: testLogger, migrationsDir: dir }))
      .rejects
      .toThrow(/Migration 29990101000000_half_bad failed and was rolled back/)
    expect(await tableNames(db)).not.toContain('Half')
    expect((await history(db)).map(r => r.migration_name)).not.toContain('29990101000000_half_bad')
  })

  it('refuses a database that has tables but no migration history', async () => {
    await db.prisma.$executeRawUnsafe('CREATE TABLE "Stranger" ("id" INTEGER PRIMARY KEY)')

    await expect(applyMigrations(db, { logger: testLogger })).rejects.toThrow(/already has tables \(Stranger\) but no migration history/)
  })

  it('rebuilds a table the way Prisma does without cascading deletes into its children', async () => {
    const dir = tempCopy()
    addMigration(dir, '29990101000000_family', [
      'CREATE TABLE "Parent" ("id" INTEGER NOT NULL PRIMARY KEY, "name" TEXT NOT NULL);',
      'CREATE TABLE "Child" ("id" INTEGER NOT NULL PRIMARY KEY, "parentId" INTEGER NOT NULL,',
      '  CONSTRAINT "Child_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Parent" ("id") ON DELETE CASCADE);',
      '',
    ].join('\n'))
    await applyMigrations(db, { logger: testLogger, migrationsDir: dir })
    await db.prisma.$executeRawUnsafe(`INSERT INTO "Parent" ("id", "name") VALUES (1, 'p')`)
    await db.prisma.$executeRawUnsafe(`INSERT INTO "Child" ("id", "parentId") VALUES (1, 1), (2, 1)`)
    // Adding a column with a default is a table rebuild in Prisma's SQLite migrations (the shape below is what
    // scripts/prisma-migration-sql.ts wrote for it); on PostgreSQL it is an ALTER TABLE.
    addMigration(dir, '29990102000000_parent_note', provider === 'sqlite'
      ? [
          '-- RedefineTables',
          'PRAGMA defer_foreign_keys=ON;',
          'PRAGMA foreign_keys=OFF;',
          `CREATE TABLE "new_Parent" ("id" INTEGER NOT NULL PRIMARY KEY, "name" TEXT NOT NULL, "note" TEXT NOT NULL DEFAULT '');`,
          'INSERT INTO "new_Parent" ("id", "name") SELECT "id", "name" FROM "Parent";',
          'DROP TABLE "Parent";',
          'ALTER TABLE "new_Parent" RENAME TO "Parent";',
          'PRAGMA foreign_keys=ON;',
          'PRAGMA defer_foreign_keys=OFF;',
          '',
        ].join('\n')
      : `ALTER TABLE "Parent" ADD COLUMN "note" TEXT NOT NULL DEFAULT '';\n`)

    await applyMigrations(db, { logger: testLogger, migrationsDir: dir })

    const children = await db.prisma.$queryRawUnsafe<unknown[]>('SELECT * FROM "Child"')
    expect(children).toHaveLength(2)
    if (provider === 'sqlite') {
      // and foreign keys are enforced again afterwards
      await expect(db.prisma.$executeRawUnsafe(`INSERT INTO "Child" ("id", "parentId") VALUES (3, 99)`)).rejects.toThrow()
    }
  })

  // Two clients on one SQLite file inside one process would block each other's event loop (libSQL waits for a
  // lock synchronously); SQLite's write lock is covered by the rest of the suite. PostgreSQL is the real case.
  if (provider === 'postgresql') {
    it('applies each migration once when two processes start at the same time', async () => {
      const other = await scratch.open({ migrate: false })

      const results = await Promise.all([
        applyMigrations(db, { logger: testLogger }),
        applyMigrations(other, { logger: testLogger }),
      ])

      const { names } = committed(provider)
      expect(results.flatMap(r => r.applied).sort()).toEqual(names)
      expect((await history(db)).map(r => r.migration_name)).toEqual(names)
    })
  }
})

describe('splitSqlStatements', () => {
  it('splits at top-level semicolons and drops comment-only pieces', () => {
    expect(splitSqlStatements('-- CreateTable\nCREATE TABLE "a" ("x" TEXT);\n\n-- CreateIndex\nCREATE INDEX "i" ON "a"("x");\n-- done\n'))
      .toEqual(['-- CreateTable\nCREATE TABLE "a" ("x" TEXT);', '-- CreateIndex\nCREATE INDEX "i" ON "a"("x");'])
  })

  it('keeps semicolons inside quotes and comments', () => {
    expect(splitSqlStatements(`INSERT INTO "t;1" VALUES ('a;''b'); /* c; d */ SELECT 1 -- e; f\n;`))
      .toEqual([`INSERT INTO "t;1" VALUES ('a;''b');`, '/* c; d */ SELECT 1 -- e; f\n;'])
  })

  it('keeps a trigger body together up to END', () => {
    const trigger = 'CREATE TRIGGER "t" AFTER INSERT ON "a" BEGIN\n  UPDATE "b" SET "n" = "n" + 1;\n  DELETE FROM "c";\nEND;'
    expect(splitSqlStatements(`${trigger}\nSELECT 1;`)).toEqual([trigger, 'SELECT 1;'])
  })

  it('keeps a last statement without a semicolon', () => {
    expect(splitSqlStatements('SELECT 1;\nSELECT 2\n')).toEqual(['SELECT 1;', 'SELECT 2'])
  })
})
