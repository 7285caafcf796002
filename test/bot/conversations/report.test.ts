import type { Chat } from 'grammy/types'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { App } from '#root/app.js'
import { createTicketStore } from '#root/store/ticket-store.js'
import { startFakeOpenAi } from '../../fakes/openai-server.js'
import type { FakeOpenAi } from '../../fakes/openai-server.js'
import { startFakeTelegram } from '../../fakes/telegram-server.js'
import type { FakeTelegram } from '../../fakes/telegram-server.js'
import { createScratchDatabase } from '../../helpers/database.js'
import type { ScratchDatabase } from '../../helpers/database.js'
import { TestResident, startTestApp, ticketNumberIn } from '../../helpers/test-app.js'

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
  return app
}

function resident(name: string, chat: Chat = group, languageCode = 'zh-hans') {
  const user = telegram.createUser({ first_name: name, language_code: languageCode })
  return new TestResident(telegram, user, chat)
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

  it('ignores group chatter that is not a reply to the bot', async () => {
    await start()
    const wang = resident('王阿姨')
    wang.command('/report')
    await wang.expectBot('描述')
    // Privacy mode hides this from the bot; the conversation must still be waiting afterwards.
    telegram.sendMessage({ chat: group, from: wang.user, text: '大家晚上好' })
    wang.send({ text: STREETLIGHT })
    await wang.expectBot('哪里')
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
    await wang.expectBot('哪里')
    await li.expectBot('哪里')
    wang.send({ text: '星湖街 8 号' })
    li.send({ text: '湖东工地' })
    await wang.expectBot('照片')
    const liPhotoQuestion = await li.expectBot('照片')

    // Wang presses Li's button: Li's report must not move, and Wang is told it is not hers.
    const mark = telegram.mark()
    const pressedById = telegram.clickButton({ chat: group, from: wang.user, message: liPhotoQuestion, data: buttonData(liPhotoQuestion, '跳过') })
    await telegram.waitFor(c => c.method === 'answerCallbackQuery' && c.params.callback_query_id === pressedById, 5000, mark)
    expect(telegram.callbackAnswers.find(a => a.callbackQueryId === pressedById)).toMatchObject({ showAlert: true, text: expect.stringContaining('别人') })

    wang.press('跳过')
    await wang.expectBot('联系您')
    li.press('跳过')
    await li.expectBot('联系您')
    li.press('不用联系我')
    wang.press('不用联系我')
    await wang.expectBot('进度发到哪里')
    await li.expectBot('进度发到哪里')
    wang.press('回复在本群')
    li.press('回复在本群')
    await wang.expectBot('请核对')
    await li.expectBot('请核对')
    li.press('确认提交')
    wang.press('确认提交')
    const wangTicket = await ticket(ticketNumberIn(await wang.expectBot('已登记')))
    const liTicket = await ticket(ticketNumberIn(await li.expectBot('已登记')))
    expect(wangTicket.number).not.toBe(liTicket.number)
    expect(wangTicket).toMatchObject({ reporterId: wang.user.id, description: STREETLIGHT, locationText: '星湖街 8 号' })
    expect(liTicket).toMatchObject({ reporterId: li.user.id, description: NOISE, locationText: '湖东工地' })
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
    await wang.expectBot('哪里')
    wang.send({ text: '跳过' })
    await wang.expectBot('照片')
    wang.send({ text: '有照片但是不会发' })
    await wang.expectBot('这一步需要照片')
    wang.press('完成')
    await wang.expectBot('联系您')
    wang.press('可以联系我')
    await wang.expectBot('进度发到哪里')
    wang.press('回复在本群')
    const summary = await wang.expectBot('请核对')
    // The photo sent early is in the report; no phone number is ever asked in a group.
    expect(summary.text).toContain('照片：2 张')
    expect(summary.text).toContain('可以通过 Telegram 联系')
    expect(telegram.sentMessages(group).some(m => m.text?.includes('联系电话'))).toBe(false)
    wang.press('确认提交')
    const stored = await ticket(ticketNumberIn(await wang.expectBot('已登记')))
    expect(stored.photoFileIds).toHaveLength(2)
    expect(stored.locationText).toBeNull()
    expect(stored.contactAllowed).toBe(true)
    expect(stored.contactPhone).toBeNull()
  })

  it('rejects a button of an older message and a button pressed after the report ended', async () => {
    await start()
    const wang = resident('王阿姨')
    wang.command('/report')
    await wang.expectBot('描述')
    wang.send({ text: STREETLIGHT })
    await wang.expectBot('哪里')
    wang.send({ text: '星湖街' })
    const photoQuestion = await wang.expectBot('照片')
    wang.press('跳过', photoQuestion)
    await wang.expectBot('联系您')

    const mark = telegram.mark()
    const again = telegram.clickButton({ chat: group, from: wang.user, message: photoQuestion, data: buttonData(photoQuestion, '跳过') })
    await telegram.waitFor(c => c.method === 'answerCallbackQuery' && c.params.callback_query_id === again, 5000, mark)
    expect(telegram.callbackAnswers.find(a => a.callbackQueryId === again)?.text).toContain('已失效')

    wang.command('/cancel')
    await wang.expectBot('已取消')
    const contactQuestion = [...telegram.sentMessages(group)].reverse().find(m => m.text?.includes('联系您'))!
    const late = telegram.mark()
    const afterCancel = telegram.clickButton({ chat: group, from: wang.user, message: contactQuestion, data: buttonData(contactQuestion, '可以联系我') })
    await telegram.waitFor(c => c.method === 'answerCallbackQuery' && c.params.callback_query_id === afterCancel, 5000, late)
    expect(telegram.callbackAnswers.find(a => a.callbackQueryId === afterCancel)?.text).toContain('已失效')
    const tickets = createTicketStore(app!.database, { timezone: 'Asia/Shanghai' })
    expect(await tickets.listByReporter(wang.user.id)).toEqual([])
  })

  it('lets a resident edit a field from the summary, and re-classifies a new description', async () => {
    await start()
    const wang = resident('王阿姨')
    await wang.startReport()
    await wang.describe(NOISE)
    await wang.givePlace('湖东工地')
    await wang.givePhotos()
    const first = await wang.declineContact()
    wang.press('改问题', first)
    await wang.expectBot('描述')
    wang.send({ text: STREETLIGHT })
    const second = await wang.expectBot('请核对')
    expect(second.text).toContain(STREETLIGHT)
    expect(second.text?.match(/分类：.*/)?.[0]).not.toBe(first.text?.match(/分类：.*/)?.[0])
    wang.press('确认提交', second)
    const stored = await ticket(ticketNumberIn(await wang.expectBot('已登记')))
    expect(stored.description).toBe(STREETLIGHT)
    expect(stored.locationText).toBe('湖东工地')
  })
})

describe('reporting in a private chat', () => {
  it('takes a Telegram location and a phone number, which a group never sees', async () => {
    await start()
    const chen = telegram.createUser({ first_name: '陈先生', language_code: 'zh' })
    telegram.startPrivateChat(chen)
    const me = new TestResident(telegram, chen, { id: chen.id, type: 'private', first_name: chen.first_name } as Chat)
    await me.expectBot('群众诉求平台')
    me.command('/report')
    await me.expectBot('描述')
    me.send({ text: STREETLIGHT })
    await me.expectBot('发送位置')
    // Reply keyboards are not echoed back in the sent message; what the bot asked for is in its call.
    const askedWhere = telegram.calls.findLast(c => c.method === 'sendMessage' && String(c.params.text).includes('发送位置'))
    expect(JSON.stringify(askedWhere?.params.reply_markup)).toContain('"request_location":true')
    me.send({ location: { latitude: 31.3191, longitude: 120.7235 } })
    await me.expectBot('照片')
    me.press('跳过')
    await me.expectBot('联系您')
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

  it('speaks English to English-speaking residents', async () => {
    await start()
    const anna = telegram.createUser({ first_name: 'Anna', language_code: 'en' })
    telegram.startPrivateChat(anna)
    const me = new TestResident(telegram, anna, { id: anna.id, type: 'private', first_name: 'Anna' } as Chat)
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
    await wang.givePhotos()
    await wang.declineContact()
    const stored = await ticket(await wang.confirm())
    expect(stored.description).toBe(STREETLIGHT)
    expect(stored.locationText).toBe('星湖街 8 号')
  })
})

function buttonData(message: { reply_markup?: { inline_keyboard: { text: string, callback_data?: string }[][] } }, label: string): string {
  const button = (message.reply_markup?.inline_keyboard ?? []).flat().find(b => b.text.includes(label))
  if (!button?.callback_data)
    throw new Error(`no button ${label}`)
  return button.callback_data
}
