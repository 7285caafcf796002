import type { AttemptInfo } from '#root/runtime/update-dispatcher.js'
import type { KeyValueStorage } from '#root/store/conversation-storage.js'
import type { Bot } from 'grammy'
import type { Update } from 'grammy/types'
import { AsyncLocalStorage } from 'node:async_hooks'

/** What the dispatcher knows about the handling of one update (its attempt, and whether another will follow). */
export type UpdateAttempt = AttemptInfo

/**
 * One update's handling. Conversation state written while it runs is held here and stored only when the whole
 * update succeeded: a failed update leaves the stored state as it was, so the update can be tried again from the
 * same step instead of losing the half-finished report (the conversations plugin deletes state on any error).
 */
interface UpdateScope extends UpdateAttempt {
  writes: Map<string, { value: unknown } | null>
  failure: { error: unknown } | null
}

const scopes = new AsyncLocalStorage<UpdateScope>()

/** The attempt of the update being handled, if any (a handler outside the dispatcher, e.g. a test, has none). */
export function currentAttempt(): UpdateAttempt | undefined {
  return scopes.getStore()
}

/** Marks the update in hand as failed: its state writes are dropped and the dispatcher learns of the error. */
export function failCurrentUpdate(error: unknown): void {
  const scope = scopes.getStore()
  if (scope)
    scope.failure = { error }
}

/** A failure the error boundary recorded; thrown out of {@link handleUpdateInScope}. */
export class UpdateFailedError extends Error {
  constructor(override readonly cause: unknown) {
    super('update failed', { cause })
    this.name = 'UpdateFailedError'
  }
}

/**
 * Handles an update so that its conversation state is committed only if it succeeded. Throws the update's error
 * (wrapped) when it failed, so the dispatcher can try it again; state writes are retried by `commit` itself.
 */
export async function handleUpdateInScope(
  bot: Pick<Bot<any>, 'handleUpdate'>,
  update: Update,
  attempt: UpdateAttempt,
  commit: (writes: Map<string, { value: unknown } | null>) => Promise<void>,
): Promise<void> {
  const scope: UpdateScope = { ...attempt, writes: new Map(), failure: null }
  await scopes.run(scope, () => bot.handleUpdate(update))
  if (scope.failure)
    throw new UpdateFailedError(scope.failure.error)
  if (scope.writes.size > 0)
    await commit(scope.writes)
}

/**
 * Conversation storage that holds writes in the current update's scope (see {@link handleUpdateInScope}) and
 * reads its own writes back. Outside a scope it writes through.
 */
export function createScopedStorage<T>(base: KeyValueStorage<T>): KeyValueStorage<T> & { commit: (writes: Map<string, { value: unknown } | null>) => Promise<void> } {
  return {
    async read(key) {
      const pending = scopes.getStore()?.writes.get(key)
      if (pending !== undefined)
        return pending === null ? undefined : pending.value as T
      return base.read(key)
    },
    async write(key, value) {
      const scope = scopes.getStore()
      if (scope)
        scope.writes.set(key, { value })
      else
        await base.write(key, value)
    },
    async delete(key) {
      const scope = scopes.getStore()
      if (scope)
        scope.writes.set(key, null)
      else
        await base.delete(key)
    },
    async commit(writes) {
      for (const [key, entry] of writes) {
        if (entry === null)
          await base.delete(key)
        else
          await base.write(key, entry.value as T)
      }
    },
  }
}
