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
 */
export function createConversationStorage<T>(db: Database, prefix = ''): KeyValueStorage<T> {
  const { prisma } = db
  return {
    async read(key) {
      const row = await prisma.conversationState.findUnique({ where: { key: prefix + key } })
      return row ? JSON.parse(row.value) as T : undefined
    },
    async write(key, value) {
      const json = JSON.stringify(value)
      await prisma.conversationState.upsert({
        where: { key: prefix + key },
        create: { key: prefix + key, value: json },
        update: { value: json },
      })
    },
    async delete(key) {
      await prisma.conversationState.deleteMany({ where: { key: prefix + key } })
    },
  }
}
