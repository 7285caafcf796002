import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'

/** Telegram's longest window (a group's 20 messages a minute): older sends no longer count. */
const WINDOW_MS = 60_000

export interface JournalledSend {
  chatId: number
  at: number
  count: number
}

/**
 * The sends of the last minute that went out through the bot's own Api calls (conversations, command replies), kept
 * on disk beside the update inbox. The outbox has its own record in the database; these have none, and a bot started
 * again after a crash would otherwise spend a group's budget its predecessor had already spent, and meet 429s.
 *
 * Each send is one line written before the request leaves, without fsync: what must survive is a killed process,
 * whose writes the kernel keeps, not a power cut, after which Telegram's minute has passed anyway. Two files take
 * turns so that the journal never holds more than about two minutes.
 */
export interface SendJournal {
  record: (chatId: number, at: number, count: number) => void
  /** The sends recorded at or after `since` (epoch milliseconds), by this process or its predecessors. */
  since: (since: number) => JournalledSend[]
  close: () => void
}

export function openSendJournal(path: string, now: () => number = Date.now): SendJournal {
  const previousPath = `${path}.previous`
  mkdirSync(dirname(path), { recursive: true })
  let fd = openSync(path, 'a')
  let openedAt = now()
  let closed = false

  const rotate = () => {
    closeSync(fd)
    renameSync(path, previousPath)
    fd = openSync(path, 'a')
    openedAt = now()
  }

  return {
    record(chatId, at, count) {
      // An update still in hand when stopping timed out may send after the journal closed: the next start's minute.
      if (closed)
        return
      if (now() - openedAt > WINDOW_MS)
        rotate()
      writeSync(fd, `${chatId} ${at} ${count}\n`)
    },
    since(since) {
      const sends: JournalledSend[] = []
      for (const file of [previousPath, path]) {
        if (!existsSync(file))
          continue
        for (const line of readFileSync(file, 'utf8').split('\n')) {
          // A line cut short by a kill mid-write reads as garbage and is skipped.
          const [chatId, at, count] = line.split(' ').map(Number)
          if (Number.isSafeInteger(chatId) && Number.isSafeInteger(at) && Number.isSafeInteger(count) && at! >= since && count! > 0)
            sends.push({ chatId: chatId!, at: at!, count: count! })
        }
      }
      return sends
    },
    close() {
      if (closed)
        return
      closed = true
      closeSync(fd)
    },
  }
}

/** The journal's path beside the inbox of updates, so that whatever keeps the inbox keeps it too. */
export function sendJournalPathFor(inboxFile: string): string {
  return inboxFile.replace(/(\.jsonl)?$/, '.sends.log')
}
