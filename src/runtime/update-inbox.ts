import type { Update } from 'grammy/types'
import type { FileHandle } from 'node:fs/promises'
import { mkdir, open, readFile, rename } from 'node:fs/promises'
import { dirname } from 'node:path'

/**
 * The updates the bot has received, kept on disk from the moment they arrive until they have been handled, so that
 * confirming an update to Telegram never risks losing it: an update received but not yet handled when the process
 * dies is handled after the restart.
 */
export interface UpdateInbox {
  /** Reads the journal, compacts it and returns the updates not yet handled, in the order they arrived. */
  open: () => Promise<Update[]>
  /**
   * Records updates on disk (written and fsync'd before it resolves) and returns those not received before, in
   * order. Telegram may be told they were received only after this resolved.
   */
  append: (updates: readonly Update[]) => Promise<Update[]>
  /** Records (fsync'd) that an update has been handled, or given up on; it will not be handled again. */
  markDone: (updateId: number) => Promise<void>
  /** The highest update id ever received. */
  readonly lastUpdateId: number | undefined
  /** When the last new update was received. */
  readonly lastReceivedAt: Date | undefined
  /** Updates received and not yet handled. */
  readonly backlog: number
  /** Compacts the journal once more and closes it. */
  close: () => Promise<void>
}

export interface UpdateInboxOptions {
  /** Rewrite the journal once this many updates were marked handled since the last rewrite. */
  compactAfter?: number
  /** How many recent update ids to remember, so that an update Telegram sends again is not handled twice. */
  rememberIds?: number
}

/** One line of the journal. */
type JournalLine
  = | { update: Update }
    | { done: number }
    | { seen: number[] }

interface PendingWrite {
  text: string
  /** Applies the write to the state in memory once it is on disk, before a compaction can run. */
  written: () => void
  resolve: () => void
  reject: (error: unknown) => void
}

/**
 * A JSON-lines journal: `{"update":…}` when an update arrives, `{"done":id}` when it has been handled. Every write
 * is fsync'd; writes waiting at the same time share one fsync. At open, and whenever enough updates were handled,
 * the file is rewritten (temporary file, fsync, rename) with only the pending updates and the recently seen ids. A
 * line cut short by a crash mid-write is skipped when reading: the update on it was never confirmed to Telegram,
 * which sends it again.
 */
export function createFileUpdateInbox(path: string, options: UpdateInboxOptions = {}): UpdateInbox {
  const compactAfter = options.compactAfter ?? 1_000
  const rememberIds = options.rememberIds ?? 10_000
  const pending = new Map<number, Update>()
  // Insertion-ordered: the oldest ids are forgotten first.
  const seen = new Set<number>()
  let lastUpdateId: number | undefined
  let lastReceivedAt: Date | undefined
  let handle: FileHandle | undefined
  let isOpen = false
  let doneSinceCompaction = 0
  let queue: PendingWrite[] = []
  let flushing: Promise<void> | undefined
  // After a failed write the file may end in half a line; the next write starts on a fresh line.
  let startOnNewLine = false

  function remember(id: number): void {
    seen.add(id)
    lastUpdateId = lastUpdateId === undefined ? id : Math.max(lastUpdateId, id)
    for (const oldest of seen) {
      if (seen.size - pending.size <= rememberIds)
        break
      if (!pending.has(oldest))
        seen.delete(oldest)
    }
  }

  function write(lines: readonly JournalLine[], written: () => void): Promise<void> {
    if (!isOpen)
      return Promise.reject(new Error('the update inbox is not open'))
    const text = lines.map(line => `${JSON.stringify(line)}\n`).join('')
    return new Promise((resolve, reject) => {
      queue.push({ text, written, resolve, reject })
      flushing ??= flush()
    })
  }

  async function flush(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue
      queue = []
      try {
        const text = batch.map(w => w.text).join('')
        // A compaction that failed halfway may have left the journal closed.
        handle ??= await open(path, 'a')
        await handle.write(startOnNewLine ? `\n${text}` : text)
        startOnNewLine = false
        await handle.datasync()
        for (const w of batch) {
          w.written()
          w.resolve()
        }
      }
      catch (error) {
        startOnNewLine = true
        for (const w of batch) w.reject(error)
      }
      // Between two writes, so that the rewrite sees every write before it and none is interleaved with it.
      if (doneSinceCompaction >= compactAfter)
        await compact().catch(() => undefined)
    }
    flushing = undefined
  }

  async function compact(): Promise<void> {
    const temporary = `${path}.tmp`
    const lines: JournalLine[] = [{ seen: [...seen].filter(id => !pending.has(id)) }, ...[...pending.values()].map(update => ({ update }))]
    const file = await open(temporary, 'w')
    try {
      await file.write(lines.map(line => `${JSON.stringify(line)}\n`).join(''))
      await file.sync()
    }
    finally {
      await file.close()
    }
    await handle?.close()
    handle = undefined
    await rename(temporary, path)
    await syncDirectory(dirname(path))
    handle = await open(path, 'a')
    startOnNewLine = false
    doneSinceCompaction = 0
  }

  async function read(): Promise<void> {
    let text: string
    try {
      text = await readFile(path, 'utf8')
    }
    catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return
      throw error
    }
    for (const raw of text.split('\n')) {
      const line = parseLine(raw)
      if (line === undefined)
        continue
      if ('update' in line) {
        pending.set(line.update.update_id, line.update)
        remember(line.update.update_id)
      }
      else if ('done' in line) {
        pending.delete(line.done)
      }
      else {
        for (const id of line.seen) remember(id)
      }
    }
  }

  return {
    async open() {
      await mkdir(dirname(path), { recursive: true })
      await read()
      await compact()
      isOpen = true
      return [...pending.values()]
    },
    async append(updates) {
      const fresh = updates.filter(u => !seen.has(u.update_id))
      if (fresh.length === 0)
        return []
      // Remembered at once, so that the same update arriving again meanwhile (a webhook retry) is not taken twice.
      for (const update of fresh) seen.add(update.update_id)
      try {
        await write(fresh.map(update => ({ update })), () => {
          for (const update of fresh) {
            pending.set(update.update_id, update)
            remember(update.update_id)
          }
          lastReceivedAt = new Date()
        })
      }
      catch (error) {
        for (const update of fresh) seen.delete(update.update_id)
        throw error
      }
      return fresh
    },
    async markDone(updateId) {
      if (!pending.has(updateId))
        return
      await write([{ done: updateId }], () => {
        pending.delete(updateId)
        doneSinceCompaction++
      })
    },
    get lastUpdateId() {
      return lastUpdateId
    },
    get lastReceivedAt() {
      return lastReceivedAt
    },
    get backlog() {
      return pending.size
    },
    async close() {
      await flushing
      if (!isOpen)
        return
      isOpen = false
      await compact().catch(() => undefined)
      await handle?.close()
      handle = undefined
    },
  }
}

function parseLine(raw: string): JournalLine | undefined {
  if (raw.trim() === '')
    return undefined
  let value: unknown
  try {
    value = JSON.parse(raw)
  }
  catch {
    // Cut short by a crash mid-write.
    return undefined
  }
  if (typeof value !== 'object' || value === null)
    return undefined
  const line = value as Partial<{ update: Update, done: number, seen: number[] }>
  if (line.update !== undefined && typeof line.update.update_id === 'number')
    return { update: line.update }
  if (typeof line.done === 'number')
    return { done: line.done }
  if (Array.isArray(line.seen))
    return { seen: line.seen.filter(id => typeof id === 'number') }
  return undefined
}

/** Makes a rename durable: the directory entry itself must reach the disk. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r')
  try {
    await handle.sync()
  }
  catch {
    // Some file systems refuse fsync on a directory; the rename is then as durable as they make it.
  }
  finally {
    await handle.close()
  }
}
