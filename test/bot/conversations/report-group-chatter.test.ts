import type { App } from '#root/app.js'
import type { Chat } from 'grammy/types'
import type { FakeTelegram } from '../../fakes/telegram-server.js'
import type { ScratchDatabase } from '../../helpers/database.js'
import { createChatStore } from '#root/store/chat-store.js'
import { createTicketStore } from '#root/store/ticket-store.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeTelegram } from '../../fakes/telegram-server.js'
import { createScratchDatabase } from '../../helpers/database.js'
import { startTestApp, TestResident } from '../../helpers/test-app.js'

const DESCRIPTION = '小区门口的路灯坏了一个星期，晚上很黑，老人出门不方便'

let telegram: FakeTelegram
let database: ScratchDatabase
let app: App | undefined
let group: Chat

beforeEach(async () => {
  telegram = await startFakeTelegram()
  database = await createScratchDatabase('sqlite')
  // An admin bot reads every message of the group, as it does with privacy mode off.
  group = telegram.createGroup({ title: '金鸡湖居民群', quiet: true, botStatus: 'administrator' })
  app = await startTestApp({ telegram, databaseUrl: database.url })
  await createChatStore(app.database).bind({ chatId: group.id, kind: 'residents', title: '金鸡湖居民群', areaName: '金鸡湖社区', departmentId: null, boundBy: 1 })
})

afterEach(async () => {
  await app?.stop()
  app = undefined
  await telegram.close()
  await database.drop()
})

describe('a report in progress in a group that the bot reads in full', () => {
  it('takes as answers only replies to its own questions, not the group\'s other messages', async () => {
    const wang = new TestResident(telegram, telegram.createUser({ first_name: '王阿姨', language_code: 'zh' }), group)
    const neighbour = new TestResident(telegram, telegram.createUser({ first_name: '李叔', language_code: 'zh' }), group)

    // Another bot message in the group, answering the same resident.
    wang.command('/help')
    const help = await telegram.waitForMessage({ chatId: group.id, textIncludes: '/report' })
    await wang.startReport()

    // Chatter while the bot waits for the description: none of it is the description.
    wang.send({ text: '大家晚上好，今天物业开会说了停车费的事情' }, { replyTo: null })
    neighbour.send({ text: '我家楼下的垃圾桶也满了好几天没人清运' }, { replyTo: null })
    wang.send({ text: '谢谢，帮助信息我看到了，明白怎么用了' }, { replyTo: help.message_id })

    const described = await wang.describe(DESCRIPTION)
    expect(described.text).toContain(DESCRIPTION)
    const summary = await wang.givePlace('星湖街 8 号')
    expect(summary.text).toContain(DESCRIPTION)
    expect(summary.text).not.toMatch(/停车费|垃圾桶|帮助信息/)
    const number = await wang.confirm()

    const stored = await createTicketStore(app!.database, { timezone: 'Asia/Shanghai' }).findByNumber(number)
    expect(stored).toMatchObject({ description: DESCRIPTION, locationText: '星湖街 8 号', reporterId: wang.user.id })
    // The bot summed up exactly twice (after the description, after the place): no chatter moved the report on.
    const summaries = telegram.calls.filter(c => c.method === 'sendMessage' && String(c.params.text).includes('请核对'))
    expect(summaries).toHaveLength(2)
  })
})
