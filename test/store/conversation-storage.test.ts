import type { Database } from '#root/store/database.js'
import { createConversationStorage } from '#root/store/conversation-storage.js'
import { describe, expect, it } from 'vitest'

/** A database that keeps the one table in a map and fails every call while `down`. */
function flakyDatabase() {
  const rows = new Map<string, string>()
  const state = { down: false }
  const guard = () => {
    if (state.down)
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
  }
  const prisma = {
    async $queryRawUnsafe(sql: string, key: string) {
      guard()
      const value = rows.get(key)
      return value === undefined ? [] : [{ value }]
    },
    async $executeRawUnsafe(sql: string, key: string, value?: string) {
      guard()
      if (sql.startsWith('DELETE'))
        rows.delete(key)
      else
        rows.set(key, value!)
      return 1
    },
  }
  return { db: { prisma, provider: 'postgresql' } as unknown as Database, rows, state }
}

describe('conversation storage while the database cannot be read', () => {
  it('answers from the last value this process read or wrote', async () => {
    const { db, rows, state } = flakyDatabase()
    const storage = createConversationStorage<{ step: string }>(db)
    await storage.write('-1:2', { step: 'summary' })
    rows.set('-1:3', JSON.stringify({ step: 'photos' }))
    expect(await storage.read('-1:3')).toEqual({ step: 'photos' })

    state.down = true
    expect(await storage.read('-1:2')).toEqual({ step: 'summary' })
    expect(await storage.read('-1:3')).toEqual({ step: 'photos' })
    // A key never seen here: nothing to stand in with, so the failure shows.
    await expect(storage.read('-1:4')).rejects.toThrow('ECONNREFUSED')
  })

  it('reads the database whenever it answers, so another process\'s write wins over memory', async () => {
    const { db, rows } = flakyDatabase()
    const storage = createConversationStorage<{ step: string }>(db)
    await storage.write('-1:2', { step: 'place' })
    rows.set('-1:2', JSON.stringify({ step: 'photos' }))
    expect(await storage.read('-1:2')).toEqual({ step: 'photos' })
  })

  it('still fails a write or delete the database refused, and never brings an ended conversation back', async () => {
    const { db, state } = flakyDatabase()
    const storage = createConversationStorage<{ step: string }>(db)
    await storage.write('-1:2', { step: 'summary' })
    state.down = true
    await expect(storage.write('-1:2', { step: 'done' })).rejects.toThrow('ECONNREFUSED')
    await expect(storage.delete('-1:2')).rejects.toThrow('ECONNREFUSED')
    expect(await storage.read('-1:2')).toBeUndefined()
  })

  it('finishes a delete the database refused before that key is read again', async () => {
    const { db, rows, state } = flakyDatabase()
    const storage = createConversationStorage<{ step: string }>(db)
    await storage.write('-1:2', { step: 'summary' })
    state.down = true
    await expect(storage.delete('-1:2')).rejects.toThrow()
    state.down = false
    expect(rows.has('-1:2')).toBe(true)
    expect(await storage.read('-1:2')).toBeUndefined()
    expect(rows.has('-1:2')).toBe(false)
  })

  it('remembers a bounded number of keys, dropping the least recently used', async () => {
    const { db, state } = flakyDatabase()
    const storage = createConversationStorage<number>(db, { fallbackKeys: 2 })
    await storage.write('a', 1)
    await storage.write('b', 2)
    await storage.read('a')
    await storage.write('c', 3)
    state.down = true
    expect(await storage.read('a')).toBe(1)
    expect(await storage.read('c')).toBe(3)
    await expect(storage.read('b')).rejects.toThrow()
  })
})
