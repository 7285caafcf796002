import type { Logger } from '#root/logger.js'
import type { Database } from '#root/store/database.js'

/** The read/write/delete contract grammY's conversations and sessions use for persistent state. */
export interface KeyValueStorage<T> {
  read: (key: string) => Promise<T | undefined>
  write: (key: string, value: T) => Promise<void>
  delete: (key: string) => Promise<void>
}

export interface ConversationStorageOptions {
  /** Prefixes every key (tests share one table). */
  prefix?: string
  /** How many keys the in-memory fallback remembers (default 10,000; the least recently used go first). */
  fallbackKeys?: number
  logger?: Logger
}

/**
 * Keeps conversation state in the case store, so a half-finished report survives a restart.
 * Values are JSON: the conversation engine stores only plain data.
 *
 * This is read and written on every update of a conversation, so it speaks SQL directly: through the same driver
 * adapter and connection, but without Prisma's query planning, which costs about 2.5 times as much per call here.
 *
 * When the database cannot be read (PostgreSQL restarting, SQLite locked by another process), a read answers from
 * memory: the last value this process read or wrote for that key. The database stays the truth whenever it answers,
 * so several bot processes on one PostgreSQL stay coherent; the memory only lets a resident's press go on (a
 * confirmation is then spooled and acknowledged) instead of failing the whole update. Writes and deletes still fail
 * loudly when the database does: an answer that cannot be saved is never skipped in silence. A delete that failed
 * (a conversation that ended, say with a spooled confirmation) is done again before that key is next read, so the
 * finished conversation cannot be replayed and confirmed a second time once the database is back.
 */
export function createConversationStorage<T>(db: Database, options: ConversationStorageOptions = {}): KeyValueStorage<T> {
  const { prefix = '', fallbackKeys = 10_000, logger } = options
  const { prisma } = db
  // PostgreSQL numbers its parameters; SQLite takes them in order.
  const p = (n: number) => (db.provider === 'postgresql' ? `$${n}` : '?')
  const readSql = `SELECT "value" FROM "ConversationState" WHERE "key" = ${p(1)}`
  const writeSql = `INSERT INTO "ConversationState" ("key", "value", "updatedAt") VALUES (${p(1)}, ${p(2)}, ${p(3)})
    ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value", "updatedAt" = excluded."updatedAt"`
  const deleteSql = `DELETE FROM "ConversationState" WHERE "key" = ${p(1)}`

  // Raw JSON per key, insertion order kept as recency order (a Map iterates oldest first).
  const lastKnown = new Map<string, string | undefined>()
  const remember = (key: string, value: string | undefined) => {
    lastKnown.delete(key)
    lastKnown.set(key, value)
    if (lastKnown.size > fallbackKeys)
      lastKnown.delete(lastKnown.keys().next().value!)
  }
  const parse = (value: string | undefined) => (value === undefined ? undefined : JSON.parse(value) as T)
  const unfinishedDeletes = new Set<string>()
  const deleteRow = async (key: string) => {
    await prisma.$executeRawUnsafe(deleteSql, prefix + key)
    unfinishedDeletes.delete(key)
  }

  return {
    async read(key) {
      let rows: { value: string }[]
      try {
        if (unfinishedDeletes.has(key))
          await deleteRow(key)
        rows = await prisma.$queryRawUnsafe<{ value: string }[]>(readSql, prefix + key)
      }
      catch (error) {
        if (!lastKnown.has(key))
          throw error
        logger?.warn({ err: error, key }, 'conversation state unreadable; using the last value this process saw')
        return parse(lastKnown.get(key))
      }
      remember(key, rows[0]?.value)
      return parse(rows[0]?.value)
    },
    async write(key, value) {
      const json = JSON.stringify(value)
      await prisma.$executeRawUnsafe(writeSql, prefix + key, json, new Date())
      unfinishedDeletes.delete(key)
      remember(key, json)
    },
    async delete(key) {
      // Forgotten first: a conversation that ended must never come back from memory, even if the delete fails.
      remember(key, undefined)
      unfinishedDeletes.add(key)
      if (unfinishedDeletes.size > fallbackKeys)
        unfinishedDeletes.delete(unfinishedDeletes.values().next().value!)
      await deleteRow(key)
    },
  }
}
