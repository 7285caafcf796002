import type { Logger } from '#root/logger.js'
import type { TelegramLink } from '#root/runtime/telegram-link.js'
import type { UpdateInbox } from '#root/runtime/update-inbox.js'
import type { Api } from 'grammy'
import type { Update } from 'grammy/types'
import { callUntilAnswered, FatalReceiveError, sleep } from '#root/runtime/telegram-link.js'

export interface LongPollingOptions {
  api: Api
  inbox: UpdateInbox
  /** Takes the updates that were new to the inbox, in order. */
  deliver: (updates: Update[]) => void
  allowedUpdates: ReadonlyArray<UpdateType>
  link: TelegramLink
  logger: Logger
  /** Seconds Telegram holds a poll open while nothing happens. */
  timeoutSeconds?: number
}

export type UpdateType = Exclude<keyof Update, 'update_id'>

/** A running receiver of updates. */
export interface Receiver {
  /** Settles when receiving ends: resolves after `stop`, rejects with {@link FatalReceiveError} when it failed for good. */
  readonly done: Promise<void>
  stop: () => Promise<void>
}

/** Consecutive failures to write the inbox after which the bot gives up (the disk is full or gone). */
const INBOX_FAILURES_BEFORE_GIVING_UP = 5

/**
 * Long polling of our own, unlike `bot.start()`: each batch is written to the inbox before the next getUpdates
 * confirms it to Telegram, so a batch is never confirmed before it is safe on disk, and handling happens elsewhere
 * (the dispatcher) while the next batch is fetched.
 */
export function startLongPolling(options: LongPollingOptions): Receiver {
  const { api, inbox, deliver, allowedUpdates, link, logger, timeoutSeconds = 30 } = options
  const controller = new AbortController()
  const signal = controller.signal

  async function run(): Promise<void> {
    // A webhook left set would make every getUpdates fail with 409.
    await callUntilAnswered(s => api.deleteWebhook({}, s), { link, signal })
    // No offset at first: Telegram sends again whatever it holds unconfirmed, and the inbox drops the ones it already
    // has by their ids. Resuming after the highest id seen instead would lose updates for good once Telegram, after a
    // week without any, numbers the next one at random, possibly lower.
    let offset: number | undefined
    let inboxFailures = 0
    logger.info('receiving updates by long polling')
    while (!signal.aborted) {
      const updates = await callUntilAnswered(
        s => api.getUpdates({ ...(offset === undefined ? {} : { offset }), timeout: timeoutSeconds, allowed_updates: allowedUpdates }, s),
        { link, signal },
      )
      if (updates.length === 0)
        continue
      let fresh: Update[]
      try {
        fresh = await inbox.append(updates)
        inboxFailures = 0
      }
      catch (error) {
        // Not confirmed: Telegram sends the batch again with the next poll.
        if (++inboxFailures >= INBOX_FAILURES_BEFORE_GIVING_UP)
          throw new FatalReceiveError('cannot write received updates to the inbox file', { cause: error })
        logger.error({ err: error }, 'could not write received updates to the inbox; asking for them again')
        await sleep(1000 * inboxFailures, signal)
        continue
      }
      offset = updates.at(-1)!.update_id + 1
      deliver(fresh)
    }
  }

  const done = run().catch((error: unknown) => {
    if (signal.aborted)
      return
    throw error
  })
  return {
    done,
    async stop() {
      controller.abort()
      await done.catch(() => undefined)
    },
  }
}
