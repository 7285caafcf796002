import type { ClassificationResult } from '#root/classify/classification.js'
import type { Report } from '#root/domain/ticket.js'
import { appendFile, mkdir, open, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

/** A confirmed report that could not reach the database, kept on local disk until it can. */
export interface SpooledReport {
  intakeKey: string
  report: Report
  classification: ClassificationResult | null
  spooledAt: string
}

export interface ReportSpool {
  append: (entry: SpooledReport) => Promise<void>
  list: () => Promise<SpooledReport[]>
  remove: (intakeKeys: readonly string[]) => Promise<void>
}

/**
 * An append-only JSON-lines file, flushed to disk before `append` returns: the last line of defence that keeps a
 * confirmed report when the database is unreachable. Entries are idempotent (by intake key), so replaying one
 * that did reach the database is harmless.
 */
export function createFileReportSpool(path: string): ReportSpool {
  let queue: Promise<unknown> = Promise.resolve()
  // One writer at a time: appends and rewrites must not interleave.
  const serialized = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task)
    queue = next.catch(() => undefined)
    return next
  }

  async function readAll(): Promise<SpooledReport[]> {
    let text: string
    try {
      text = await readFile(path, 'utf8')
    }
    catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return []
      throw error
    }
    const entries: SpooledReport[] = []
    for (const line of text.split('\n')) {
      if (!line.trim())
        continue
      try {
        entries.push(JSON.parse(line) as SpooledReport)
      }
      catch {
        // A line cut short by a crash mid-append: the report behind it never got its "received" answer.
      }
    }
    return entries
  }

  return {
    append: entry => serialized(async () => {
      await mkdir(dirname(path), { recursive: true })
      // The leading newline ends a line a crash may have cut short, so this entry never merges into it.
      await appendFile(path, `\n${JSON.stringify(entry)}\n`, 'utf8')
      const handle = await open(path, 'r')
      try {
        await handle.sync()
      }
      finally {
        await handle.close()
      }
    }),
    list: () => serialized(readAll),
    remove: keys => serialized(async () => {
      const drop = new Set(keys)
      const kept = (await readAll()).filter(e => !drop.has(e.intakeKey))
      const temporary = `${path}.tmp`
      await writeFile(temporary, kept.map(e => `${JSON.stringify(e)}\n`).join(''), 'utf8')
      await rename(temporary, path)
    }),
  }
}
