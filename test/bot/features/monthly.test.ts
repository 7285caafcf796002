import type { App } from '#root/app.js'
import type { TicketAction } from '#root/domain/lifecycle.js'
import type { Ticket } from '#root/domain/ticket.js'
import type { Chat, Message, User } from 'grammy/types'
import type { FakeTelegram } from '../../fakes/telegram-server.js'
import type { ScratchDatabase } from '../../helpers/database.js'
import { loadAreaFile } from '#root/areas/area-file.js'
import { parseModelArgs } from '#root/bot/features/monthly.js'
import { createAreaTree, districtOf } from '#root/domain/area.js'
import { planTransition } from '#root/domain/lifecycle.js'
import { parseCsv } from '#root/registry/registry-csv.js'
import { createChatStore } from '#root/store/chat-store.js'
import { createTicketStore } from '#root/store/ticket-store.js'
import { createVisitStore } from '#root/store/visit-store.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeTelegram } from '../../fakes/telegram-server.js'
import { createScratchDatabase } from '../../helpers/database.js'
import { sampleClassification, sampleReport } from '../../helpers/fixtures.js'
import { startTestApp } from '../../helpers/test-app.js'

const TIMEZONE = 'Asia/Shanghai'
const HOUR = 3_600_000
const DAY = 24 * HOUR

describe('/monthly and /model, end to end', () => {
  let telegram: FakeTelegram
  let database: ScratchDatabase
  let app: App
  let admin: User
  let member: User
  let resident: User
  let admins: Chat
  let residents: Chat
  // The app's clock: real time shifted by an offset the test sets, so it keeps running.
  let offset = 0
  const now = () => new Date(Date.now() + offset)
  const setClock = (at: string) => {
    offset = new Date(at).getTime() - Date.now()
  }

  beforeEach(async () => {
    setClock('2026-11-10T10:00:00+08:00')
    telegram = await startFakeTelegram()
    database = await createScratchDatabase('sqlite')
    admin = telegram.createUser({ first_name: '督查组', last_name: '李', language_code: 'zh' })
    member = telegram.createUser({ first_name: '值班员', language_code: 'zh' })
    resident = telegram.createUser({ first_name: '王阿姨', language_code: 'zh' })
    admins = telegram.createGroup({ title: '督办群', quiet: true })
    residents = telegram.createGroup({ title: '金鸡湖居民群', quiet: true })
    app = await startTestApp({ telegram, databaseUrl: database.url, adminIds: [admin.id], now, env: { TIMEZONE, SCHEDULER_INTERVAL_SECONDS: '3600' } })
    const chats = createChatStore(app.database)
    await chats.bind({ chatId: admins.id, kind: 'admins', title: '督办群', areaName: null, departmentId: null, boundBy: admin.id })
    await chats.bind({ chatId: residents.id, kind: 'residents', title: '金鸡湖居民群', areaName: '金鸡湖社区', departmentId: null, boundBy: admin.id })
  })

  afterEach(async () => {
    await app.stop()
    await telegram.close()
    await database.drop()
  })

  /**
   * November 2026: the housing bureau (in 苏州工业园区) accepts and resolves one ticket on time and one late; the
   * urban management bureau (in 姑苏区) never takes its ticket on. Deadlines: acceptance 1 h, completion 2 days.
   */
  async function seedNovember() {
    const tree = createAreaTree(await loadAreaFile('prisma/areas.json'))
    let clock = new Date()
    const tickets = createTicketStore(app.database, {
      timezone: TIMEZONE,
      now: () => clock,
      dueTimes: (_ticket, at) => ({ acceptDueAt: new Date(at.getTime() + HOUR), resolveDueAt: new Date(at.getTime() + 2 * DAY) }),
      districtOf: name => districtOf(tree, name),
    })
    const create = async (key: string, at: string, departmentId: string, areaName: string, summary: string, steps: [number, TicketAction, Record<string, unknown>?][]): Promise<Ticket> => {
      const start = new Date(at).getTime()
      clock = new Date(start)
      const category = app.catalog.categories.find(c => c.departmentId === departmentId)!
      let { ticket } = await tickets.createTicket({
        intakeKey: key,
        report: sampleReport({ reporterId: resident.id, sourceChatId: residents.id, areaName }),
        classification: sampleClassification({ categoryId: category.id, departmentId, summary }),
        status: 'assigned',
        actor: { id: resident.id, role: 'reporter' },
      })
      for (const [after, action, details] of steps) {
        clock = new Date(start + after)
        const role = action === 'close' ? 'reporter' : 'handler'
        const plan = planTransition({ status: ticket.status, departmentId: ticket.departmentId, action, role, note: '已处理', ...(details ? { details } : {}) })
        ticket = (await tickets.applyTransition(ticket.id, plan, { id: role === 'reporter' ? resident.id : admin.id, role })).ticket
      }
      return ticket
    }
    const onTime = await create('a', '2026-11-10T10:00:00+08:00', 'housing', '金鸡湖社区', '楼道灯坏了，联系电话 13812345678', [
      [HOUR / 2, 'accept'],
      [DAY, 'resolve'],
      [DAY + 2 * HOUR, 'close', { satisfaction: 'satisfied' }],
    ])
    const late = await create('b', '2026-11-11T10:00:00+08:00', 'housing', '金鸡湖社区', '电梯异响', [
      [3 * HOUR, 'accept'],
      [5 * DAY, 'resolve'],
    ])
    const untouched = await create('c', '2026-11-12T10:00:00+08:00', 'urban', '平江街道', '占道经营', [])
    const visit = await createVisitStore(app.database).create({
      intakeKey: 'visit-1',
      entityId: null,
      areaId: 'gusu',
      cadreId: 42,
      cadreName: '张干部',
      chatId: -100,
      chatType: 'supergroup',
      messageId: 1,
      visitedOn: '2026-11-03',
      place: null,
      metWith: null,
      heard: '老小区加装电梯意见不一，已组织协商',
      note: '走访平江街道',
      audioFileId: null,
      goals: ['conflict'],
      extractor: 'offline',
      problems: [],
    })
    return { onTime, late, untouched, visit }
  }

  const say = (from: User, text: string, chat: Chat = admins) => telegram.sendMessage({ chat, from, text })
  const expectReply = (text: string | RegExp, chat: Chat = admins) => telegram.waitForMessage({ chatId: chat.id, textIncludes: text })

  /** What the bot uploaded with a message, fetched back from the fake Bot API as the recipient's client would. */
  async function downloaded(fileId: string): Promise<Buffer> {
    const file = await (await fetch(`${telegram.apiRoot}/bot${telegram.token}/getFile?file_id=${encodeURIComponent(fileId)}`)).json() as { result: { file_path: string } }
    return Buffer.from(await (await fetch(`${telegram.apiRoot}/file/bot${telegram.token}/${file.result.file_path}`)).arrayBuffer())
  }

  it('marks model cases and sends the month\'s report as a message, a CSV and a chart', async () => {
    const { onTime, late, untouched, visit } = await seedNovember()

    // Model cases are marked in November, by the admin and by a member of the supervisors' group.
    setClock('2026-11-25T15:00:00+08:00')
    say(admin, `/model ${onTime.number} 当天修复，群众点赞`)
    await expectReply(`工单 ${onTime.number} 已标为典型案例，将列入 2026年11月 月度通报`)
    say(member, `/model visit ${visit.id} 走访中化解加装电梯矛盾`)
    await expectReply(`走访记录 #${visit.id} 已标为典型案例`)
    say(admin, `/model ${untouched.number} 还没办完`)
    await expectReply(`工单 ${untouched.number} 尚未办结（已交办）`)
    say(admin, `/model ${onTime.number} 再标一次`)
    await expectReply('已是典型案例（督查组 李 标记，理由：当天修复，群众点赞）')
    say(admin, '/model')
    const list = await expectReply('2026年11月 典型案例（2 件）')
    // The supervisors' group reads the redacted summary.
    expect(list.text).toContain(`· ${onTime.number}（住房和城乡建设局）楼道灯坏了，联系电话 [手机号]——当天修复，群众点赞`)
    expect(list.text).not.toContain('13812345678')
    expect(list.text).toContain(`· 走访 #${visit.id}（姑苏区，2026-11-03）老小区加装电梯意见不一`)
    const history = await createTicketStore(app.database, { timezone: TIMEZONE }).listEvents(onTime.id)
    expect(history.at(-1)).toMatchObject({ type: 'model_case', note: '当天修复，群众点赞', actorId: admin.id })

    // In December, the report of November.
    setClock('2026-12-03T09:00:00+08:00')
    const from = telegram.mark()
    say(admin, '/monthly 2026-11')
    const message = await expectReply('2026年11月 月度通报')
    const text = message.text!
    expect(message.reply_to_message?.from?.id).toBe(admin.id)
    const departments = text.slice(text.indexOf('【部门排名】'), text.indexOf('【典型案例】'))
    // Housing: acceptance 1 of 2 on time, completion 1 of 2, satisfaction 1 of 1; urban: nothing done, 0% on time.
    expect(departments).toMatch(/1\. 住房和城乡建设局\u3000\d+\.\d 分\u3000新/)
    expect(departments).toContain('受理 2 · 按时签收 50.0% · 按时办结 50.0% · 超期 1 · 延期 0 · 重办率 0.0% · 满意率 100.0% · 回访应答 100.0%')
    expect(departments).toMatch(/2\. 城市管理和综合执法局\u30000\.0 分\u3000新/)
    expect(departments).toContain('受理 1 · 按时签收 0.0% · 按时办结 0.0%')
    const districts = text.slice(text.indexOf('【区县排名】'), text.indexOf('【部门排名】'))
    expect(districts).toContain('苏州工业园区')
    expect(districts).toContain('姑苏区')
    expect(text).toContain('【典型案例】2 件')
    expect(text).toContain(`${onTime.number}（住房和城乡建设局）楼道灯坏了，联系电话 [手机号]`)
    expect(text).not.toContain('13812345678')
    expect(text).not.toContain(late.number)

    const csvCall = await telegram.waitFor(call => call.method === 'sendDocument' && call.response?.ok === true, 5000, from)
    expect(csvCall.uploads).toEqual([expect.objectContaining({ filename: 'monthly-2026-11.csv' })])
    const document = (csvCall.response as { result: Message }).result.document!
    const csv = await downloaded(document.file_id)
    expect([...csv.subarray(0, 3)]).toEqual([0xEF, 0xBB, 0xBF])
    const records = parseCsv(csv.toString('utf8').slice(1)).map(r => r.cells)
    expect(records[0]!.slice(0, 5)).toEqual(['月份', '类别', '排名', '单位', '综合得分'])
    expect(records.filter(r => r[1] === '部门').map(r => `${r[2]} ${r[3]}`)).toEqual(['1 住房和城乡建设局', '2 城市管理和综合执法局', ' 合计'])
    expect(records.some(r => r[2] === onTime.number && r[4]!.includes('[手机号]') && r[5] === '当天修复，群众点赞')).toBe(true)

    const photoCall = await telegram.waitFor(call => call.method === 'sendPhoto' && call.response?.ok === true, 15_000, from)
    expect(photoCall.params.caption).toBe('2026年11月 综合得分排名')
    expect(photoCall.uploads).toEqual([expect.objectContaining({ filename: 'monthly-2026-11.png' })])
    const photo = (photoCall.response as { result: Message }).result.photo!.at(-1)!
    const png = await downloaded(photo.file_id)
    expect([...png.subarray(1, 4)]).toEqual([0x50, 0x4E, 0x47])
    expect(png.length).toBeGreaterThan(10_000)
    // Three messages for one command: inside a group's 20 a minute.
    expect(telegram.sentMessages(admins).filter(m => m.message_id >= message.message_id)).toHaveLength(3)
  }, 30_000)

  it('defaults to last month, explains a bad month, and answers only supervisors', async () => {
    setClock('2026-12-03T09:00:00+08:00')
    say(member, '/monthly')
    await expectReply('2026年11月 月度通报')
    say(member, '/monthly 2026-13')
    await expectReply('月份写法不对：请写成 /monthly 2026-11')
    say(member, '/monthly 2027-01')
    await expectReply('2027年1月 还没到')
    say(admin, '/monthly', residents)
    await expectReply('/monthly 在督办群（管理员群）或管理员私聊中使用', residents)
    telegram.startPrivateChat(resident)
    telegram.sendMessage({ chat: resident.id, from: resident, text: '/model' })
    await telegram.waitForMessage({ chatId: resident.id, textIncludes: '/model 在督办群' })
    telegram.startPrivateChat(admin)
    telegram.sendMessage({ chat: admin.id, from: admin, text: '/monthly 2026-12' })
    const partial = await telegram.waitForMessage({ chatId: admin.id, textIncludes: '2026年12月 月度通报' })
    expect(partial.text).toContain('本月尚未结束')
    expect(telegram.sentMessages(residents).some(m => m.text?.includes('月度通报'))).toBe(false)
  }, 30_000)
})

describe('/model arguments', () => {
  it.each([
    ['HY-20261101-0001 当天修复', { kind: 'ticket', number: 'HY-20261101-0001', reason: '当天修复' }],
    ['hy-20261101-0001   当天\n修复 ', { kind: 'ticket', number: 'HY-20261101-0001', reason: '当天 修复' }],
    ['visit 12 走访化解矛盾', { kind: 'visit', visitId: 12, reason: '走访化解矛盾' }],
    ['走访 #7 好', { kind: 'visit', visitId: 7, reason: '好' }],
    ['HY-20261101-0001', null],
    ['visit 12', null],
    ['12 理由', null],
  ])('%j', (text, expected) => {
    expect(parseModelArgs(text)).toEqual(expected)
  })
})
