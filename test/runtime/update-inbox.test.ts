import type { Update } from 'grammy/types'
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createFileUpdateInbox } from '#root/runtime/update-inbox.js'
import { describe, expect, it } from 'vitest'

function update(id: number, text = `message ${id}`): Update {
  return { update_id: id, message: { message_id: id, date: 0, chat: { id: 1, type: 'private', first_name: 'A' }, text } } as Update
}

function journalPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'huiyin-inbox-')), 'nested', 'inbox.jsonl')
}

const ids = (updates: readonly Update[]) => updates.map(u => u.update_id)

describe('the update inbox', () => {
  it('keeps received updates until they are marked handled, across a restart', async () => {
    const path = journalPath()
    const inbox = createFileUpdateInbox(path)
    expect(await inbox.open()).toEqual([])
    expect(ids(await inbox.append([update(10), update(11), update(12)]))).toEqual([10, 11, 12])
    await inbox.markDone(11)
    expect(inbox.backlog).toBe(2)
    expect(inbox.lastUpdateId).toBe(12)
    // No close: the process dies here.

    const reopened = createFileUpdateInbox(path)
    expect(await reopened.open()).toEqual([update(10), update(12)])
    expect(reopened.lastUpdateId).toBe(12)
    await reopened.close()
  })

  it('takes an update it has already received only once', async () => {
    const path = journalPath()
    const inbox = createFileUpdateInbox(path)
    await inbox.open()
    await inbox.append([update(1), update(2)])
    await inbox.markDone(1)
    expect(ids(await inbox.append([update(1), update(2), update(3)]))).toEqual([3])

    const reopened = createFileUpdateInbox(path)
    expect(ids(await reopened.open())).toEqual([2, 3])
    // Handled before the crash and sent again by Telegram: still not taken again.
    expect(ids(await reopened.append([update(1), update(4)]))).toEqual([4])
    await reopened.close()
  })

  it('tolerates a last line cut short by a crash mid-write', async () => {
    const path = journalPath()
    const inbox = createFileUpdateInbox(path)
    await inbox.open()
    await inbox.append([update(1), update(2)])
    await inbox.markDone(1)
    const line = JSON.stringify({ update: update(3) })
    appendFileSync(path, line.slice(0, line.length / 2))

    const reopened = createFileUpdateInbox(path)
    expect(ids(await reopened.open())).toEqual([2])
    // Update 3 was never confirmed to Telegram, which sends it again: it is taken this time.
    expect(ids(await reopened.append([update(3)]))).toEqual([3])
    expect(ids(await createFileUpdateInbox(path).open())).toEqual([2, 3])
  })

  it('skips a damaged line in the middle and keeps the rest', async () => {
    const path = journalPath()
    const inbox = createFileUpdateInbox(path)
    await inbox.open()
    await inbox.close()
    writeFileSync(path, [JSON.stringify({ update: update(5) }), '{"upd', JSON.stringify({ update: update(6) }), ''].join('\n'))
    expect(ids(await createFileUpdateInbox(path).open())).toEqual([5, 6])
  })

  it('compacts when handled updates pile up, keeping the pending ones in order', async () => {
    const path = journalPath()
    const inbox = createFileUpdateInbox(path, { compactAfter: 5 })
    await inbox.open()
    await inbox.append(Array.from({ length: 20 }, (_, i) => update(100 + i)))
    const handled = [100, 101, 103, 104, 106, 107, 108, 110, 111, 112, 113, 114, 115, 116, 117]
    for (const id of handled) await inbox.markDone(id)
    await inbox.append([update(120)])

    const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean)
    // 15 done markers were written; the journal was rewritten along the way and holds far fewer lines.
    expect(lines.length).toBeLessThan(20)
    const reopened = createFileUpdateInbox(path)
    expect(ids(await reopened.open())).toEqual([102, 105, 109, 118, 119, 120])
    // Rewritten at open: one line of remembered ids, then the pending updates in order.
    const compacted = readFileSync(path, 'utf8').split('\n').filter(Boolean).map(l => JSON.parse(l) as Record<string, unknown>)
    expect(compacted[0]).toHaveProperty('seen')
    expect(compacted.slice(1).map(l => (l.update as Update).update_id)).toEqual([102, 105, 109, 118, 119, 120])
    expect(ids(await reopened.append([update(100), update(121)]))).toEqual([121])
    await reopened.close()
  })

  it('shares one write among appends that arrive together, and each sees its own updates', async () => {
    const path = journalPath()
    const inbox = createFileUpdateInbox(path)
    await inbox.open()
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => inbox.append([update(i + 1)])))
    expect(results.map(ids)).toEqual(Array.from({ length: 50 }, (_, i) => [i + 1]))
    expect(inbox.backlog).toBe(50)
    await Promise.all(Array.from({ length: 50 }, (_, i) => inbox.markDone(i + 1)))
    expect(inbox.backlog).toBe(0)
    await inbox.close()
    expect(await createFileUpdateInbox(path).open()).toEqual([])
  })

  it('refuses to append before it was opened', async () => {
    await expect(createFileUpdateInbox(journalPath()).append([update(1)])).rejects.toThrow(/not open/)
  })
})
