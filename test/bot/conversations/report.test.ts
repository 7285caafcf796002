import type { App } from '#root/app.js'
import type { Chat } from 'grammy/types'
import type { FakeOpenAi } from '../../fakes/openai-server.js'
import type { FakeTelegram } from '../../fakes/telegram-server.js'
import type { ScratchDatabase } from '../../helpers/database.js'
import { createChatStore } from '#root/store/chat-store.js'
import { createTicketStore } from '#root/store/ticket-store.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeOpenAi } from '../../fakes/openai-server.js'
import { startFakeTelegram } from '../../fakes/telegram-server.js'
import { createScratchDatabase } from '../../helpers/database.js'
import { startTestApp, TestResident, ticketNumberIn } from '../../helpers/test-app.js'

const STREETLIGHT = '小区门口的路灯坏了一个星期，晚上很黑，老人出门不方便'
const NOISE = '楼下工地每天晚上十一点以后还在施工，噪音很大，影响休息'

let telegram: FakeTelegram
let database: ScratchDatabase
let openai: FakeOpenAi | undefined
let app: App | undefined
let group: Chat

beforeEach(async () => {
  telegram = await startFakeTelegram()
  database = await createScratchDatabase('sqlite')
  group = telegram.createGroup({ title: '金鸡湖居民群', quiet: true })
})

afterEach(async () => {
  await app?.stop()
  app = undefined
  await openai?.close()
  openai = undefined
  await telegram.close()
  await database.drop()
})

async function start(options: { withLlm?: boolean } = {}) {
  if (options.withLlm)
    openai = await startFakeOpenAi()
  app = await startTestApp({ telegram, databaseUrl: database.url, ...(openai ? { openai } : {}) })
  // Every deployment has an admins' group, where tickets wait for triage.
  const admins = telegram.createGroup({ title: '管理员群', quiet: true })
  await createChatStore(app.database).bind({ chatId: admins.id, kind: 'admins', title: '管理员群', areaName: null, departmentId: null, boundBy: 1 })
  return app
}

function resident(name: string, chat: Chat = group, languageCode = 'zh-hans') {
  const user = telegram.createUser({ first_name: name, language_code: languageCode })
  return new TestResident(telegram, user, chat)
}

/** A resident who has opened a private chat with the bot (and got its greeting). */
function privateResident(name: string, languageCode = 'zh') {
  const user = telegram.createUser({ first_name: name, language_code: languageCode })
  telegram.startPrivateChat(user)
  return new TestResident(telegram, user, { id: user.id, type: 'private', first_name: name } as Chat)
}

async function ticket(number: string) {
  const tickets = createTicketStore(app!.database, { timezone: 'Asia/Shanghai' })
  const found = await tickets.findByNumber(number)
  expect(found, `ticket ${number} is stored`).not.toBeNull()
  return found!
}

describe('reporting in a residents\' group with privacy mode on', () => {
  it('guides a resident from /report to a stored, classified ticket', async () => {
    await start()
    const wang = resident('王阿姨')
    const number = await wang.reportProblem(STREETLIGHT)
    expect(number).toMatch(/^HY-\d{8}-0001$/)
    const stored = await ticket(number)
    expect(stored).toMatchObject({
      description: STREETLIGHT,
      locationText: '星湖街 8 号',
      reporterId: wang.user.id,
      sourceChatId: group.id,
      contactAllowed: false,
      replyPrivately: false,
      classifier: 'offline',
    })
    expect(stored.categoryId).not.toBeNull()
    // The ticket remembers the resident's own message, so answers can be threaded under it later.
    expect(telegram.getMessage(group, stored.sourceMessageId!)?.text).toBe(STREETLIGHT)
    // Every question that wants typed text opened the resident's reply field, aimed at them alone.
    const asked = telegram.calls.filter(c => c.method === 'sendMessage' && /请回复本消息，描述|问题发生在哪里/.test(c.params.text as string))
    expect(asked).toHaveLength(2)
    for (const call of asked)
      expect(call.params.reply_markup).toEqual({ force_reply: true, selective: true })
  })

  it('costs a group three bot messages on the common path, and two when the problem comes with the command', async () => {
    await start()
    const groupMessages = (mark: number) => telegram.calls.slice(mark)
      .filter(c => c.response?.ok && String(c.params.chat_id) === String(group.id) && /^(send|edit|copy|forward)/.test(c.method) && c.method !== 'sendChatAction')
      .map(c => c.method)

    const wang = resident('王阿姨')
    let mark = telegram.mark()
    await wang.startReport()
    await wang.describe(`${STREETLIGHT}，在星湖街 8 号门口`)
    const first = await ticket(await wang.confirm())
    expect(first.description).toBe(`${STREETLIGHT}，在星湖街 8 号门口`)
    expect(groupMessages(mark)).toEqual(['sendMessage', 'sendMessage', 'editMessageText'])

    const li = resident('李师傅')
    mark = telegram.mark()
    li.command(`/report ${NOISE}`)
    const summary = await li.expectBot('请核对')
    expect(summary.text).toContain(NOISE)
    const second = await ticket(await li.confirm())
    expect(second).toMatchObject({ description: NOISE, reporterId: li.user.id })
    expect(groupMessages(mark)).toEqual(['sendMessage', 'editMessageText'])
    // The registration replaced the summary: its buttons are gone.
    expect(telegram.getMessage(group, summary.message_id)?.reply_markup?.inline_keyboard ?? []).toEqual([])
  })

  it('ignores group chatter and replies to other bot messages while a report is open', async () => {
    await start()
    const wang = resident('王阿姨')
    const li = resident('李师傅')
    await li.startReport()
    const liQuestion = li.lastBotMessage()!
    wang.command('/report')
    await wang.expectBot('描述')
    // A plain message (privacy mode hides it from the bot) and a reply to another resident's question: neither is an answer.
    telegram.sendMessage({ chat: group, from: wang.user, text: '大家晚上好' })
    wang.send({ text: '这是回复李师傅的问题' }, { replyTo: liQuestion.message_id })
    wang.send({ text: STREETLIGHT })
    const summary = await wang.expectBot('请核对')
    expect(summary.text).toContain(STREETLIGHT)
    expect(summary.text).not.toContain('大家晚上好')
    expect(summary.text).not.toContain('回复李师傅')
  })

  it('keeps two residents reporting at once apart: answers, buttons and tickets', async () => {
    await start()
    const wang = resident('王阿姨')
    const li = resident('李师傅')
    wang.command('/report')
    li.command('/report')
    await wang.expectBot('描述')
    await li.expectBot('描述')
    li.send({ text: NOISE })
    wang.send({ text: STREETLIGHT })
    const wangSummary = await wang.expectBot('请核对')
    const liSummary = await li.expectBot('请核对')

    // Wang presses Li's button: Li's report must not move, and Wang is told it is not hers.
    const mark = telegram.mark()
    const pressedById = telegram.clickButton({ chat: group, from: wang.user, message: liSummary, data: buttonData(liSummary, '确认提交') })
    await telegram.waitFor(c => c.method === 'answerCallbackQuery' && c.params.callback_query_id === pressedById, 5000, mark)
    expect(telegram.callbackAnswers.find(a => a.callbackQueryId === pressedById)).toMatchObject({ showAlert: true, text: expect.stringContaining('别人') })

    await wang.givePlace('星湖街 8 号')
    await li.givePlace('湖东工地')
    li.press('确认提交')
    wang.press('确认提交')
    const wangTicket = await ticket(ticketNumberIn(await wang.expectBot('已登记')))
    const liTicket = await ticket(ticketNumberIn(await li.expectBot('已登记')))
    expect(wangTicket.number).not.toBe(liTicket.number)
    expect(wangTicket).toMatchObject({ reporterId: wang.user.id, description: STREETLIGHT, locationText: '星湖街 8 号' })
    expect(liTicket).toMatchObject({ reporterId: li.user.id, description: NOISE, locationText: '湖东工地' })
    expect(wangSummary.message_id).not.toBe(liSummary.message_id)
  })

  it('answers bad input clearly and asks the same step again', async () => {
    await start()
    const wang = resident('王阿姨')
    wang.command('/report')
    await wang.expectBot('描述')
    wang.send({ sticker: true })
    await wang.expectBot('请用文字描述')
    wang.send({ text: '灯' })
    await wang.expectBot('太短')
    wang.send({ text: '路灯坏了'.repeat(1024) })
    await wang.expectBot(/内容太长了（4096 字）.*3000/)
    // A photo where text was asked is kept, and the text is asked for again; a caption too short is said so.
    wang.send({ photo: true })
    await wang.expectBot('照片已收到')
    wang.send({ photo: true, caption: '灯' })
    await wang.expectBot('太短')
    wang.send({ text: STREETLIGHT })
    await wang.expectBot('请核对')
    wang.press('照片')
    await wang.expectBot('发送照片')
    wang.send({ text: '有照片但是不会发' })
    await wang.expectBot('这一步需要照片')
    wang.send({ photo: true })
    wang.press('完成')
    let summary = await wang.expectBot('请核对')
    wang.press('可以联系我')
    summary = await editedTo(summary, '可以通过 Telegram 联系')
    // The photos sent for the description were replaced by the one chosen on the photo step; no phone number is ever asked in a group.
    expect(summary.text).toContain('照片：1 张')
    expect(telegram.sentMessages(group).some(m => m.text?.includes('联系电话'))).toBe(false)
    wang.press('确认提交', summary)
    const stored = await ticket(ticketNumberIn(await wang.expectBot('已登记')))
    expect(stored.photoFileIds).toHaveLength(1)
    expect(stored.contactAllowed).toBe(true)
    expect(stored.contactPhone).toBeNull()
  })

  it('rejects a button of an older message and a button pressed after the report ended', async () => {
    await start()
    const wang = resident('王阿姨')
    await wang.startReport()
    const first = await wang.describe(STREETLIGHT)
    await wang.givePlace('星湖街')

    // The first summary was replaced by a new one: its buttons no longer count.
    const mark = telegram.mark()
    const again = telegram.clickButton({ chat: group, from: wang.user, message: first, data: buttonData(first, '确认提交'), unchecked: true })
    await telegram.waitFor(c => c.method === 'answerCallbackQuery' && c.params.callback_query_id === again, 5000, mark)
    expect(telegram.callbackAnswers.find(a => a.callbackQueryId === again)?.text).toContain('已失效')

    const current = wang.lastBotMessage()!
    wang.command('/cancel')
    await wang.expectBot('已取消')
    const late = telegram.mark()
    const afterCancel = telegram.clickButton({ chat: group, from: wang.user, message: current, data: buttonData(current, '确认提交') })
    await telegram.waitFor(c => c.method === 'answerCallbackQuery' && c.params.callback_query_id === afterCancel, 5000, late)
    const afterCancelAnswer = telegram.callbackAnswers.find(a => a.callbackQueryId === afterCancel)?.text
    expect(afterCancelAnswer).toContain('已失效')
    // With no report under way, the resident is told how to report again.
    expect(afterCancelAnswer).toContain('/report')
    const tickets = createTicketStore(app!.database, { timezone: 'Asia/Shanghai' })
    expect(await tickets.listByReporter(wang.user.id)).toEqual([])
  })

  it('lets a resident edit the description from the summary, and re-classifies it', async () => {
    await start()
    const wang = resident('王阿姨')
    await wang.startReport()
    await wang.describe(NOISE)
    const first = await wang.givePlace('湖东工地')
    wang.press('改问题', first)
    await wang.expectBot('描述')
    wang.send({ text: STREETLIGHT })
    const second = await wang.expectBot('请核对')
    expect(second.text).toContain(STREETLIGHT)
    expect(second.text?.match(/分类：.*/)?.[0]).not.toBe(first.text?.match(/分类：.*/)?.[0])
    // The summary it replaces is gone from the chat.
    await telegram.waitFor(c => c.method === 'deleteMessage' && c.params.message_id === first.message_id && c.response?.ok === true, 5000)
    expect(telegram.getMessage(group, first.message_id)).toBeUndefined()
    wang.press('确认提交', second)
    const stored = await ticket(ticketNumberIn(await wang.expectBot('已登记')))
    expect(stored.description).toBe(STREETLIGHT)
    expect(stored.locationText).toBe('湖东工地')
  })

  it('lets the resident choose private updates, pointing to the private chat they have not opened', async () => {
    await start()
    const wang = resident('王阿姨')
    await wang.startReport()
    const summary = await wang.describe(STREETLIGHT)
    wang.press('私信通知我')
    await editedTo(summary, '进度通知：私信')
    await wang.expectBot('打开私聊')
    wang.press('确认提交', summary)
    const stored = await ticket(ticketNumberIn(await wang.expectBot('已登记')))
    expect(stored.replyPrivately).toBe(true)
  })
})

describe('reporting in a private chat', () => {
  it('takes a Telegram location and a phone number, which a group never sees', async () => {
    await start()
    const me = privateResident('陈先生')
    const chen = me.user
    await me.expectBot('群众诉求平台')
    me.command('/report')
    await me.expectBot('描述')
    me.send({ text: STREETLIGHT })
    await me.expectBot('发送位置')
    // Reply keyboards are not echoed back in the sent message; what the bot asked for is in its call.
    const askedWhere = telegram.calls.findLast(c => c.method === 'sendMessage' && String(c.params.text).includes('发送位置'))
    expect(JSON.stringify(askedWhere?.params.reply_markup)).toContain('"request_location":true')
    me.send({ location: { latitude: 31.3191, longitude: 120.7235 } })
    await me.expectBot('请核对')
    me.press('可以联系我')
    await me.expectBot('联系电话')
    me.send({ text: '12345' })
    await me.expectBot('号码看起来不对')
    me.send({ contact: { phone_number: '+86 138-0013-8000' } })
    const summary = await me.expectBot('请核对')
    expect(summary.text).toContain('13800138000')
    me.press('确认提交')
    const number = ticketNumberIn(await me.expectBot('已登记'))
    const stored = await ticket(number)
    expect(stored).toMatchObject({ latitude: 31.3191, longitude: 120.7235, contactAllowed: true, contactPhone: '13800138000', replyPrivately: true, sourceChatType: 'private' })

    // Privately the reporter sees their own phone; in a group /status never shows it.
    me.command(`/status ${number}`)
    await me.expectBot('13800138000')
    const inGroup = resident('陈先生')
    Object.assign(inGroup, { user: chen })
    telegram.sendMessage({ chat: group, from: chen, text: `/status ${number.toLowerCase()}` })
    const groupStatus = await inGroup.expectBot(number)
    expect(groupStatus.text).not.toContain('13800138000')
  })

  it('does not ask for the place when the description names it', async () => {
    await start()
    const me = privateResident('陈先生')
    await me.expectBot('群众诉求平台')
    me.command('/report')
    await me.expectBot('描述')
    me.send({ text: '星湖街 8 号门口的路灯坏了一个星期，晚上很黑' })
    const summary = await me.expectBot('请核对')
    expect(summary.text).toMatch(/地点：.*星湖街/)
    expect(telegram.calls.some(c => c.method === 'sendMessage' && String(c.params.text).includes('发送位置'))).toBe(false)
  })

  it('speaks English to English-speaking residents', async () => {
    await start()
    const me = privateResident('Anna', 'en')
    await me.expectBot('Every matter acted on')
    me.command('/report')
    await me.expectBot('describe the problem')
  })
})

describe('checking status', () => {
  it('shows residents their own tickets only, and no one\'s contact data in a group', async () => {
    await start()
    const wang = resident('王阿姨')
    const li = resident('李师傅')
    const number = await wang.reportProblem(STREETLIGHT)

    wang.command(`/status ${number}`)
    const status = await wang.expectBot(`工单 ${number}`)
    expect(status.text).toMatch(/状态：(已交办|待分派)/)
    expect(status.text).toContain('办理记录')

    li.command(`/status ${number}`)
    await li.expectBot('没有找到')
    li.command('/mine')
    await li.expectBot('还没有反映过')
    wang.command('/mine')
    const mine = await wang.expectBot('您最近反映的问题')
    expect(mine.text).toContain(number)
    li.command('/status 12345')
    await li.expectBot('用法')
  })
})

describe('classification through the LLM', () => {
  it('uses the LLM\'s answer and records the model and prompt version', async () => {
    await start({ withLlm: true })
    const number = await resident('王阿姨').reportProblem(STREETLIGHT)
    const stored = await ticket(number)
    expect(stored).toMatchObject({ classifier: 'llm', classifierModel: 'fake-model', classifierNote: null })
    expect(stored.promptVersion).toMatch(/^classify-report@/)
    expect(openai!.calls).toBeGreaterThanOrEqual(1)
  })

  for (const mode of ['http_500', 'slow', 'garbage'] as const) {
    it(`falls back to the offline classifier when the LLM is ${mode}, and still stores the report`, async () => {
      await start({ withLlm: true })
      openai!.setMode(mode)
      const number = await resident('王阿姨').reportProblem(STREETLIGHT)
      const stored = await ticket(number)
      expect(stored.classifier).toBe('offline')
      expect(stored.classifierNote).toMatch(/^llm_/)
      expect(stored.categoryId).not.toBeNull()
      expect(openai!.calls).toBe(2)
    })
  }

  it('keeps the report a resident confirmed when the LLM is unreachable altogether', async () => {
    await start({ withLlm: true })
    await openai!.close()
    const number = await resident('王阿姨').reportProblem(STREETLIGHT)
    expect((await ticket(number)).classifierNote).toMatch(/^llm_/)
  })
})

describe('restarts', () => {
  it('resumes a half-finished report after the bot restarts', async () => {
    await start()
    const wang = resident('王阿姨')
    await wang.startReport()
    await wang.describe(STREETLIGHT)
    await app!.stop()
    app = undefined

    await start()
    await wang.givePlace('星湖街 8 号')
    const stored = await ticket(await wang.confirm())
    expect(stored.description).toBe(STREETLIGHT)
    expect(stored.locationText).toBe('星湖街 8 号')
  })
})

/** Waits until the bot has edited `message` to contain `text`; returns it as edited. */
async function editedTo(message: { message_id: number }, text: string) {
  await telegram.waitFor(c => c.method === 'editMessageText' && c.params.message_id === message.message_id && String(c.params.text).includes(text), 5000)
  return telegram.getMessage(group, message.message_id)!
}

function buttonData(message: { reply_markup?: { inline_keyboard: { text: string, callback_data?: string }[][] } }, label: string): string {
  const button = (message.reply_markup?.inline_keyboard ?? []).flat().find(b => b.text.includes(label))
  if (!button?.callback_data)
    throw new Error(`no button ${label}`)
  return button.callback_data
}

describe('a message that is not a report', () => {
  it('says what the bot does instead of filing a ticket, and files it when the resident insists', async () => {
    await start()
    const wang = resident('王阿姨')
    await wang.startReport()
    wang.send({ text: '谢谢大家，今天天气真好哈哈' })
    await wang.expectBot('不是要反映的问题')
    wang.press('取消')
    await wang.expectBot('已取消')
    const tickets = createTicketStore(app!.database, { timezone: 'Asia/Shanghai' })
    expect(await tickets.listByReporter(wang.user.id)).toEqual([])

    await wang.startReport()
    wang.send({ text: '谢谢大家，今天天气真好哈哈' })
    await wang.expectBot('不是要反映的问题')
    wang.press('仍然登记')
    await wang.expectBot('请核对')
    const number = await wang.confirm()
    expect((await ticket(number)).description).toBe('谢谢大家，今天天气真好哈哈')
  })
})
