import type { Health } from '#root/runtime/http-server.js'
import type { TelegramLink } from '#root/runtime/telegram-link.js'
import type { UpdateDispatcher } from '#root/runtime/update-dispatcher.js'
import type { UpdateInbox } from '#root/runtime/update-inbox.js'

export interface HealthSources {
  mode: 'polling' | 'webhook'
  inbox: UpdateInbox
  dispatcher: UpdateDispatcher
  link: TelegramLink
  /** Any cheap query; it must answer within `databaseTimeoutMs`. */
  pingDatabase: () => Promise<unknown>
  databaseTimeoutMs?: number
}

/** Healthy when the database answers and Telegram answered the last call; the rest is for the person looking. */
export function createHealthCheck(sources: HealthSources): () => Promise<Health> {
  const { mode, inbox, dispatcher, link, pingDatabase, databaseTimeoutMs = 2000 } = sources
  return async () => {
    const databaseReachable = await answersWithin(pingDatabase, databaseTimeoutMs)
    return {
      status: databaseReachable && link.reachable ? 'ok' : 'unhealthy',
      mode,
      inboxBacklog: inbox.backlog,
      handling: dispatcher.inFlight,
      lastUpdateAt: inbox.lastReceivedAt?.toISOString() ?? null,
      database: databaseReachable ? 'reachable' : 'unreachable',
      telegram: link.reachable ? 'reachable' : 'unreachable',
    }
  }
}

async function answersWithin(probe: () => Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs) })
  try {
    return await Promise.race([probe().then(() => true, () => false), timeout])
  }
  finally {
    clearTimeout(timer)
  }
}
