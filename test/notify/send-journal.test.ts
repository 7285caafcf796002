import type { App } from '#root/app.js'
import type { FakeTelegram } from '../fakes/telegram-server.js'
import type { ScratchDatabase } from '../helpers/database.js'
import { appendFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSendJournal, sendJournalPathFor } from '#root/notify/send-journal.js'
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeTelegram } from '../fakes/telegram-server.js'
import { createScratchDatabase } from '../helpers/database.js'
import { startTestApp, temporaryInboxFile } from '../helpers/test-app.js'

function journalPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'huiyin-sends-')), 'sends.log')
}

describe('the journal of sends', () => {
  it('gives back the sends of the last minute, also to a journal opened again on the same file', () => {
    const path = journalPath()
    let clock = 1_000_000
    const first = openSendJournal(path, () => clock)
    first.record(-100, clock, 1)
    first.record(42, clock + 10, 3)
    clock += 30_000
    first.record(-100, clock, 1)
    first.close()
    // A line cut short by a kill mid-write.
    appendFileSync(path, '-100 10')

    const second = openSendJournal(path, () => clock)
    expect(second.since(clock - 60_000)).toEqual([
      { chatId: -100, at: 1_000_000, count: 1 },
      { chatId: 42, at: 1_000_010, count: 3 },
      { chatId: -100, at: 1_030_000, count: 1 },
    ])
    expect(second.since(clock - 1000)).toEqual([{ chatId: -100, at: 1_030_000, count: 1 }])
    second.close()
  })

  it('keeps no more than about two minutes, whatever ran before', () => {
    const path = journalPath()
    let clock = 0
    const journal = openSendJournal(path, () => clock)
    for (let minute = 0; minute < 5; minute++) {
      for (let i = 0; i < 10; i++) {
        journal.record(-100, clock, 1)
        clock += 6_500
      }
    }
    const kept = journal.since(0)
    expect(kept.length).toBeLessThanOrEqual(20)
    // Nothing of the last minute is lost by the turns the files take.
    expect(kept.filter(s => s.at >= clock - 60_000)).toHaveLength(journal.since(clock - 60_000).length)
    expect(journal.since(clock - 60_000).length).toBeGreaterThanOrEqual(9)
    journal.close()
    // Sending after close (an update that outlived a timed-out stop) is dropped, not a crash.
    expect(() => journal.record(-100, clock, 1)).not.toThrow()
  })

  it('sits beside the inbox of updates', () => {
    expect(sendJournalPathFor('/var/lib/huiyin/inbox.jsonl')).toBe('/var/lib/huiyin/inbox.sends.log')
    expect(sendJournalPathFor('/data/updates')).toBe('/data/updates.sends.log')
  })
})

describe('a bot started again within a minute of filling a group\'s budget', () => {
  let telegram: FakeTelegram | undefined
  let database: ScratchDatabase | undefined
  let app: App | undefined

  afterEach(async () => {
    await app?.stop()
    app = undefined
    await telegram?.close()
    await database?.drop()
  })

  it('counts what its predecessor said in the group, and waits instead of meeting a 429', async () => {
    telegram = await startFakeTelegram()
    database = await createScratchDatabase('sqlite')
    const inboxFile = temporaryInboxFile()
    const group = telegram.createGroup({ title: '金鸡湖居民群', quiet: true, botStatus: 'administrator' })
    const user = telegram.createUser({ first_name: '王阿姨', language_code: 'zh' })
    app = await startTestApp({ telegram, databaseUrl: database.url, inboxFile })
    // Twenty answers in the group: the whole of its minute, spent by the bot's own replies (no outbox involved).
    for (let i = 0; i < 20; i++) {
      telegram.sendMessage({ chat: group, from: user, text: '/help' })
      await telegram.waitForMessage({ chatId: group.id, textIncludes: '/report' })
    }
    await app.stop()
    app = await startTestApp({ telegram, databaseUrl: database.url, inboxFile })

    const mark = telegram.mark()
    telegram.sendMessage({ chat: group, from: user, text: '/help' })
    // The answer waits for the group's minute to pass rather than going out into a refusal.
    await new Promise(resolve => setTimeout(resolve, 2_000))
    const intoGroup = telegram.calls.filter(c => c.index >= mark && c.method === 'sendMessage' && Number(c.params.chat_id) === group.id)
    expect(intoGroup).toEqual([])
    expect(telegram.calls.filter(c => c.response && !c.response.ok && c.response.error_code === 429)).toEqual([])
  }, 30_000)
})
