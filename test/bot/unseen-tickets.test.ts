import type { App } from '#root/app.js'
import type { User } from 'grammy/types'
import type { FakeTelegram } from '../fakes/telegram-server.js'
import type { ScratchDatabase } from '../helpers/database.js'
import { createOfflineClassifier } from '#root/classify/offline-classifier.js'
import { createChatStore } from '#root/store/chat-store.js'
import { createTicketStore } from '#root/store/ticket-store.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeTelegram } from '../fakes/telegram-server.js'
import { createScratchDatabase } from '../helpers/database.js'
import { startTestApp, TestResident, ticketNumberIn } from '../helpers/test-app.js'

const STREETLIGHT = '小区门口的路灯坏了一个星期，晚上很黑，老人出门不方便'

let telegram: FakeTelegram
let database: ScratchDatabase
let app: App
let admin: User

beforeEach(async () => {
  telegram = await startFakeTelegram()
  database = await createScratchDatabase('sqlite')
  admin = telegram.createUser({ first_name: 'Admin', language_code: 'zh' })
  app = await startTestApp({ telegram, databaseUrl: database.url, adminIds: [admin.id], env: { CLASSIFY_MIN_CONFIDENCE: '0.01' } })
})

afterEach(async () => {
  await app.stop()
  await telegram.close()
  await database.drop()
})

/** A resident who reports the broken street light in a residents' group, up to the summary. */
async function reportUpToSummary(): Promise<TestResident> {
  const residents = telegram.createGroup({ title: '居民群', quiet: true })
  const wang = new TestResident(telegram, telegram.createUser({ first_name: '王阿姨' }), residents)
  await wang.startReport()
  await wang.describe(STREETLIGHT)
  await wang.givePlace('星湖街 8 号')
  return wang
}

async function streetlightDepartment(): Promise<string> {
  const { departmentId } = await createOfflineClassifier(app.catalog).classify({ text: STREETLIGHT })
  expect(departmentId).toBeTruthy()
  return departmentId!
}

describe('a ticket whose department has no handlers\' group', () => {
  it('goes to the admins\' group for triage, and the resident reads that it waits for assignment', async () => {
    const departmentId = await streetlightDepartment()
    const admins = telegram.createGroup({ title: '管理员群', quiet: true })
    const otherHandlers = telegram.createGroup({ title: '别的部门', quiet: true })
    const other = app.catalog.departments.find(d => d.id !== departmentId)!
    const chats = createChatStore(app.database)
    await chats.bind({ chatId: admins.id, kind: 'admins', title: '管理员群', areaName: null, departmentId: null, boundBy: admin.id })
    await chats.bind({ chatId: otherHandlers.id, kind: 'handlers', title: '别的部门', areaName: null, departmentId: other.id, boundBy: admin.id })

    const wang = await reportUpToSummary()
    wang.press('确认提交')
    const saved = await wang.expectBot('已登记')
    const number = ticketNumberIn(saved)
    expect(saved.text).toContain('等待分派')
    expect(saved.text).not.toContain('我们已把它交给')

    await telegram.waitForMessage({ chatId: admins.id, textIncludes: number, from: 0 })
    const ticket = await createTicketStore(app.database, { timezone: 'Asia/Shanghai' }).findByNumber(number)
    // Waiting for triage, with the classifier's department kept as the suggestion.
    expect(ticket).toMatchObject({ status: 'needs_triage', departmentId })
    expect(telegram.sentMessages(otherHandlers)).toEqual([])
  })

  it('with no admins\' group either: the resident is told honestly and the admins privately', async () => {
    telegram.startPrivateChat(admin)
    await telegram.waitForMessage({ chatId: admin.id, from: 0 })
    const wang = await reportUpToSummary()
    wang.press('确认提交')
    const number = ticketNumberIn(await wang.expectBot('已登记'))

    const notice = await wang.expectBot('暂时无人分派')
    expect(notice.text).toContain(number)
    const toAdmin = await telegram.waitForMessage({ chatId: admin.id, textIncludes: number, from: 0 })
    expect(toAdmin.text).toContain('/bind admins')
  })
})

describe('/bind', () => {
  it('says which departments still have no handlers\' group', async () => {
    const departments = app.catalog.departments
    const handlers = telegram.createGroup({ title: '承办群', quiet: true })
    new TestResident(telegram, admin, handlers).command(`/bind handlers ${departments[0]!.id}`)
    const reply = await telegram.waitForMessage({ chatId: handlers.id, textIncludes: '承办群' })
    expect(reply.text).toContain('还没有承办群的部门')
    expect(reply.text).toContain(departments[1]!.nameZh)
    expect(reply.text).not.toContain(`${departments[0]!.nameZh} (`)
  })
})
