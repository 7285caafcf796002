import type { KeyValueStorage } from '#root/store/conversation-storage.js'
import type { Update } from 'grammy/types'
import { createScopedStorage, failCurrentUpdate, handleUpdateInScope, UpdateFailedError } from '#root/bot/update-scope.js'
import { describe, expect, it } from 'vitest'

function memoryStorage(): KeyValueStorage<string> & { data: Map<string, string> } {
  const data = new Map<string, string>()
  return {
    data,
    read: async key => data.get(key),
    write: async (key, value) => void data.set(key, value),
    delete: async key => void data.delete(key),
  }
}

const update = { update_id: 1 } as Update
const firstAttempt = { attempt: 1, lastAttempt: false }

describe('conversation state kept per update', () => {
  it('stores what an update wrote only once the update succeeded, and reads its own writes meanwhile', async () => {
    const base = memoryStorage()
    base.data.set('a', 'step 1')
    const storage = createScopedStorage(base)
    await handleUpdateInScope({
      handleUpdate: async () => {
        await storage.write('a', 'step 2')
        await storage.delete('b')
        expect(await storage.read('a')).toBe('step 2')
        expect(base.data.get('a')).toBe('step 1')
      },
    }, update, firstAttempt, storage.commit)
    expect(base.data.get('a')).toBe('step 2')
  })

  it('keeps the stored state as it was when the update failed, and tells the dispatcher', async () => {
    const base = memoryStorage()
    base.data.set('conversation:1:2', 'at the summary')
    const storage = createScopedStorage(base)
    const refused = new Error('query is too old')
    const handled = handleUpdateInScope({
      handleUpdate: async () => {
        // What the conversations plugin does on an error: it drops the state, then the error boundary runs.
        await storage.delete('conversation:1:2')
        failCurrentUpdate(refused)
      },
    }, update, firstAttempt, storage.commit)
    await expect(handled).rejects.toBeInstanceOf(UpdateFailedError)
    await expect(handled).rejects.toMatchObject({ cause: refused })
    expect(base.data.get('conversation:1:2')).toBe('at the summary')
  })

  it('writes through outside an update', async () => {
    const base = memoryStorage()
    const storage = createScopedStorage(base)
    await storage.write('x', 'y')
    expect(base.data.get('x')).toBe('y')
  })
})
