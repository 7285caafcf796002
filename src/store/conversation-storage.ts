import type { Database } from '#root/store/database.js'

/** The read/write/delete contract grammY's conversations and sessions use for persistent state. */
export interface KeyValueStorage<T> {
  read(key: string): Promise<T | undefined>
  write(key: string, value: T): Promise<void>
  delete(key: string): Promise<void>
}

/**
 * Keeps conversation state in the case store, so a half-finished report survives a restart.
 * Values are JSON: the conversation engine stores only plain data.
 *
 * This is read and written on every update of a conversation, so it speaks SQL directly: through the same driver
 * adapter and connection, but without Prisma's query planning, which costs about 2.5 times as much per call here.
 */
export function createConversationStorage<T>(db: Database, prefix = ''): KeyValueStorage<T> {
  const { prisma } = db
  // PostgreSQL numbers its parameters; SQLite takes them in order.
  const p = (n: number) => (db.provider === 'postgresql' ? `$${n}` : '?')
  const readSql = `SELECT "value" FROM "ConversationState" WHERE "key" = ${p(1)}`
  const writeSql = `INSERT INTO "ConversationState" ("key", "value", "updatedAt") VALUES (${p(1)}, ${p(2)}, ${p(3)})
    ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value", "updatedAt" = excluded."updatedAt"`
  const deleteSql = `DELETE FROM "ConversationState" WHERE "key" = ${p(1)}`
  return {
    async read(key) {
      const rows = await prisma.$queryRawUnsafe<{ value: string }[]>(readSql, prefix + key)
      return rows[0] ? JSON.parse(rows[0].value) as T : undefined
    },
    async write(key, value) {
      await prisma.$executeRawUnsafe(writeSql, prefix + key, JSON.stringify(value), new Date())
    },
    async delete(key) {
      await prisma.$executeRawUnsafe(deleteSql, prefix + key)
    },
  }
}
