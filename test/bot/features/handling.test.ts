import type { App } from '#root/app.js'
import type { Chat, Message, User } from 'grammy/types'
import type { FakeTelegram } from '../../fakes/telegram-server.js'
import type { ScratchDatabase } from '../../helpers/database.js'
import { createOfflineClassifier } from '#root/classify/offline-classifier.js'
import { createChatStore } from '#root/store/chat-store.js'
import { createOutboxStore } from '#root/store/outbox-store.js'
import { createRoutingCorrectionStore } from '#root/store/routing-correction-store.js'
import { createTicketStore } from '#root/store/ticket-store.js'
import { Api } from 'grammy'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeTelegram } from '../../fakes/telegram-server.js'
import { createScratchDatabase } from '../../helpers/database.js'
import { startTestApp, TestResident } from '../../helpers/test-app.js'

const STREETLIGHT = '小区门口的路灯坏了一个星期，晚上很黑，老人出门不方便'

let telegram: FakeTelegram
let database: ScratchDatabase
let app: App | undefined
let residents: Chat
let handlersA: Chat
let handlersB: Chat
let admins: Chat
let admin: User
let handler: User
let colleague: User
let departmentA: string
let departmentB: string

beforeEach(async () => {
  telegram = await startFakeTelegram()
  database = await createScratchDatabase('sqlite')
  residents = telegram.createGroup({ title: '金鸡湖居民群', quiet: true })
  handlersA = telegram.createGroup({ title: '承办群 A', quiet: true })
  handlersB = telegram.createGroup({ title: '承办群 B', quiet: true })
  admins = telegram.createGroup({ title: '管理员群', quiet: true })
  admin = telegram.createUser({ first_name: 'Admin' })
  handler = telegram.createUser({ first_name: '张科长' })
  colleague = telegram.createUser({ first_name: '刘干事' })
  for (const user of [handler, colleague])
    telegram.setChatMember(handlersA, user, 'member')
  await start()
  // The department the streetlight report is classified into gets group A; another one gets group B.
  const classified = await createOfflineClassifier(app!.catalog).classify({ text: STREETLIGHT, locationText: '星湖街 8 号' })
  departmentA = classified.departmentId
  departmentB = app!.catalog.departments.find(d => d.id !== departmentA)!.id
  const chats = createChatStore(app!.database)
  await chats.bind({ chatId: residents.id, kind: 'residents', title: residents.title!, areaName: '金鸡湖社区', departmentId: null, boundBy: admin.id })
  await chats.bind({ chatId: handlersA.id, kind: 'handlers', title: 'A', areaName: null, departmentId: departmentA, boundBy: admin.id })
  await chats.bind({ chatId: handlersB.id, kind: 'handlers', title: 'B', areaName: null, departmentId: departmentB, boundBy: admin.id })
  await chats.bind({ chatId: admins.id, kind: 'admins', title: '管理员群', areaName: null, departmentId: null, boundBy: admin.id })
})

afterEach(async () => {
  await app?.stop()
  app = undefined
  await telegram.close()
  await database.drop()
})

async function start(options: { deliver?: boolean } = {}) {
  app = await startTestApp({
    telegram,
    databaseUrl: database.url,
    adminIds: [admin.id],
    // Every classified report goes straight to its department in these tests.
    env: { CLASSIFY_MIN_CONFIDENCE: '0.01' },
    ...(options.deliver === false ? { deliverOutbox: false } : {}),
  })
}

async function restart(options: { deliver?: boolean } = {}) {
  await app!.stop()
  app = undefined
  await start(options)
}

const tickets = () => createTicketStore(app!.database, { timezone: 'Asia/Shanghai' })

async function cardIn(chat: Chat, number: string, textIncludes: string | RegExp = number): Promise<Message> {
  return telegram.waitForMessage({ chatId: chat.id, textIncludes, edits: true, from: 0 }, 5000).then(() => {
    const card = telegram.sentMessages(chat).filter(m => m.text?.includes(number) && m.text.includes('原文')).at(-1)
    expect(card, `a card for ${number} in ${chat.title}`).toBeDefined()
    return telegram.getMessage(chat, card!.message_id)!
  })
}

function press(chat: Chat, user: User, message: Message, label: string): string {
  const current = telegram.getMessage(chat, message.message_id)!
  const button = (current.reply_markup?.inline_keyboard ?? []).flat().find(b => b.text === label || b.text.includes(label))
  if (!button || !('callback_data' in button))
    throw new Error(`no button ${label}: ${JSON.stringify(current.reply_markup)}`)
  return telegram.clickButton({ chat, from: user, message: current, data: button.callback_data! })
}

async function answerOf(queryId: string) {
  await telegram.waitFor(c => c.method === 'answerCallbackQuery' && c.params.callback_query_id === queryId, 5000, 0)
  return telegram.callbackAnswers.find(a => a.callbackQueryId === queryId)!
}

/** Replies to the bot's latest prompt in `chat` addressed to `user`. */
async function replyToPrompt(chat: Chat, user: User, text: string) {
  const prompt = await telegram.waitForMessage({ chatId: chat.id, textIncludes: '请回复本消息' })
  return telegram.sendMessage({ chat, from: user, text, replyTo: prompt.message_id })
}

function buttonOf(message: Message, label: string): string {
  const button = (message.reply_markup?.inline_keyboard ?? []).flat().find(b => b.text === label)
  if (!button || !('callback_data' in button))
    throw new Error(`no button ${label}`)
  return button.callback_data!
}

async function report(): Promise<{ number: string, wang: TestResident }> {
  const wangUser = telegram.createUser({ first_name: '王阿姨', language_code: 'zh' })
  const wang = new TestResident(telegram, wangUser, residents)
  const number = await wang.reportProblem(STREETLIGHT)
  return { number, wang }
}

describe('the loop from a resident\'s report to the handler\'s answer', () => {
  it('posts the card to the department, and echoes every step back to the reporter under their report', async () => {
    const { number, wang } = await report()
    const card = await cardIn(handlersA, number)
    expect(card.text).toContain('路灯')
    expect(card.text).toContain('群众不希望被联系')
    const stored = (await tickets().findByNumber(number))!

    press(handlersA, handler, card, '受理')
    const accepted = await wang.expectBot('已由')
    expect(accepted.text).toContain(number)
    expect(accepted.reply_to_message?.message_id).toBe(stored.sourceMessageId)
    await cardIn(handlersA, number, /已受理/)
    expect(telegram.getMessage(handlersA, card.message_id)!.text).toMatch(/已受理 · 张科长/)

    press(handlersA, handler, card, '办结')
    await replyToPrompt(handlersA, handler, '已更换路灯灯泡，今晚起恢复照明')
    const resolved = await wang.expectBot('」办结')
    expect(resolved.text).toContain('已更换路灯灯泡')
    await telegram.waitFor(c => c.method === 'editMessageText' && String(c.params.text).includes('已办结'), 5000, 0)
    const final = telegram.getMessage(handlersA, card.message_id)!
    expect(final.text).toContain('已办结')
    expect((final.reply_markup?.inline_keyboard ?? []).flat().map(b => b.text)).not.toContain('办结')

    const events = await tickets().listEvents(stored.id)
    expect(events.map(e => e.toStatus ?? e.type)).toEqual(['assigned', 'accepted', 'resolved'])
    expect(events[2]).toMatchObject({ note: '已更换路灯灯泡，今晚起恢复照明', actorId: handler.id, actorRole: 'handler' })
  })

  it('sends the reporter\'s photos with the card', async () => {
    const wang = new TestResident(telegram, telegram.createUser({ first_name: '王阿姨' }), residents)
    const number = await wang.reportProblem(STREETLIGHT, '星湖街 8 号', { photos: 2 })
    const card = await cardIn(handlersA, number)
    const stored = (await tickets().findByNumber(number))!
    const album = telegram.calls.find(c => c.method === 'sendMediaGroup' && Number(c.params.chat_id) === handlersA.id)
    expect((album?.params.media as { media: string }[]).map(m => m.media)).toEqual(stored.photoFileIds)
    expect(card.reply_to_message?.photo).toBeDefined()
    expect(card.text).toContain('照片：2 张')
  })

  it('reassigns between two departments with a reason', async () => {
    const { number, wang } = await report()
    const card = await cardIn(handlersA, number)
    press(handlersA, handler, card, '转派')
    const picker = await telegram.waitForMessage({ chatId: handlersA.id, textIncludes: '转给哪个部门' })
    const nameB = app!.catalog.departments.find(d => d.id === departmentB)!.nameZh
    press(handlersA, handler, picker, nameB)
    await replyToPrompt(handlersA, handler, '属于对方职责范围')
    await cardIn(handlersB, number)
    await wang.expectBot(`已交由「${nameB}」办理`)
    await telegram.waitFor(c => c.method === 'editMessageText' && Number(c.params.chat_id) === handlersA.id && String(c.params.text).includes('已转至'), 5000, 0)
    expect(telegram.getMessage(handlersA, card.message_id)!.reply_markup).toBeUndefined()
    const ticket = (await tickets().findByNumber(number))!
    expect(ticket.departmentId).toBe(departmentB)
    expect((await tickets().listEvents(ticket.id)).at(-1)).toMatchObject({ type: 'reassigned', note: '属于对方职责范围' })
  })

  it('learns from a reassignment: the next similar report goes straight to the department the handler chose', async () => {
    const { number } = await report()
    const card = await cardIn(handlersA, number)
    press(handlersA, handler, card, '转派')
    const picker = await telegram.waitForMessage({ chatId: handlersA.id, textIncludes: '转给哪个部门' })
    press(handlersA, handler, picker, app!.catalog.departments.find(d => d.id === departmentB)!.nameZh)
    await replyToPrompt(handlersA, handler, '这个小区的路灯归物业管')
    await cardIn(handlersB, number)
    const examples = await createRoutingCorrectionStore(app!.database).listExamples()
    expect(examples).toEqual([expect.objectContaining({ text: STREETLIGHT, departmentId: departmentB })])

    // A neighbour reports the same lamp in other words: no handler has to move it again.
    const li = new TestResident(telegram, telegram.createUser({ first_name: '李叔', language_code: 'zh' }), residents)
    const second = await li.reportProblem('小区门口那盏路灯坏了好几天了，晚上很黑，老人出门不方便')
    await cardIn(handlersB, second)
    expect((await tickets().findByNumber(second))!.departmentId).toBe(departmentB)
    // Without the correction the same words go to the first department.
    expect((await createOfflineClassifier(app!.catalog).classify({ text: '小区门口那盏路灯坏了好几天了，晚上很黑，老人出门不方便' })).departmentId).toBe(departmentA)
  })

  it('lets only members of the ticket\'s group and admins act', async () => {
    const { number } = await report()
    const card = await cardIn(handlersA, number)
    const stranger = telegram.createUser({ first_name: '路人' })
    telegram.setChatMember(handlersA, stranger, 'left')
    const denied = await answerOf(press(handlersA, stranger, card, '受理'))
    expect(denied).toMatchObject({ showAlert: true, text: expect.stringContaining('只有该工单承办群的成员') })
    expect((await tickets().findByNumber(number))!.status).toBe('assigned')
    const allowed = await answerOf(press(handlersA, admin, card, '受理'))
    expect(allowed.text).toContain('已受理')
  })

  it('lets exactly one of two handlers pressing at once win, and says so to the other', async () => {
    const { number } = await report()
    const card = await cardIn(handlersA, number)
    const first = press(handlersA, handler, card, '受理')
    const second = press(handlersA, colleague, card, '受理')
    const answers = [await answerOf(first), await answerOf(second)]
    expect(answers.filter(a => a.text?.includes('工单') && !a.showAlert)).toHaveLength(1)
    expect(answers.filter(a => a.showAlert && /已经是「已受理」|刚刚有人处理/.test(a.text ?? ''))).toHaveLength(1)
    const ticket = (await tickets().findByNumber(number))!
    expect((await tickets().listEvents(ticket.id)).filter(e => e.toStatus === 'accepted')).toHaveLength(1)
  })

  it('refuses an impossible step with a clear answer and changes nothing', async () => {
    const { number } = await report()
    const card = await cardIn(handlersA, number)
    press(handlersA, handler, card, '不予受理')
    await replyToPrompt(handlersA, handler, '不属于政府职责')
    await cardIn(handlersA, number, /不予受理/)
    // A stale copy of the card still shows 受理; pressing it now explains instead of acting.
    const stale = await answerOf(telegram.clickButton({ chat: handlersA, from: handler, message: card, data: `h:${(await tickets().findByNumber(number))!.id}:accept`, unchecked: true }))
    expect(stale).toMatchObject({ showAlert: true, text: expect.stringContaining('不予受理') })
    expect((await tickets().findByNumber(number))!.status).toBe('rejected')
  })
})

describe('follow-up (回访)', () => {
  async function resolved() {
    const { number, wang } = await report()
    const card = await cardIn(handlersA, number)
    press(handlersA, handler, card, '受理')
    await wang.expectBot('已由')
    await telegram.waitFor(c => c.method === 'editMessageText' && String(c.params.text).includes('已受理'), 5000, 0)
    press(handlersA, handler, card, '办结')
    await replyToPrompt(handlersA, handler, '已修好')
    const message = await wang.expectBot('」办结')
    return { number, wang, card, message }
  }

  it('closes the ticket when the reporter is satisfied, and tells the handlers', async () => {
    const { number, wang, message } = await resolved()
    expect(message.text).toContain('请点下方按钮评价')
    // Only the reporter may rate.
    const neighbour = telegram.createUser({ first_name: '邻居' })
    const refused = await answerOf(telegram.clickButton({ chat: residents, from: neighbour, message, data: buttonOf(message, '基本满意') }))
    expect(refused).toMatchObject({ showAlert: true, text: expect.stringContaining('只有反映这个问题的群众') })
    const thanked = await answerOf(wang.press('基本满意', message))
    expect(thanked.text).toContain('感谢')
    await telegram.waitForMessage({ chatId: handlersA.id, textIncludes: `工单 ${number} 群众评价：基本满意` })
    const ticket = (await tickets().findByNumber(number))!
    expect(ticket.status).toBe('closed')
    expect((await tickets().listEvents(ticket.id)).at(-1)).toMatchObject({ toStatus: 'closed', actorRole: 'reporter', data: { satisfaction: 'partly_satisfied' } })
    await telegram.waitFor(c => c.method === 'editMessageText' && String(c.params.text).includes('已回访（基本满意）'), 5000, 0)
  })

  it('reopens the ticket for rework with the reporter\'s reason when they are not satisfied', async () => {
    const { number, wang, message, card } = await resolved()
    wang.press('不满意', message)
    const prompt = await wang.expectBot('哪里还没有解决')
    telegram.sendMessage({ chat: residents, from: wang.user, text: '灯还是不亮', replyTo: prompt.message_id })
    await wang.expectBot('已要求重新办理')
    await telegram.waitForMessage({ chatId: handlersA.id, textIncludes: '群众不满意，已重新办理：灯还是不亮' })
    const ticket = (await tickets().findByNumber(number))!
    expect(ticket.status).toBe('in_progress')
    // The card offers the handlers' buttons again.
    await telegram.waitFor(c => c.method === 'editMessageText' && String(c.params.text).includes('办理中'), 5000, 0)
    expect((telegram.getMessage(handlersA, card.message_id)!.reply_markup?.inline_keyboard ?? []).flat().map(b => b.text)).toContain('办结')
  })
})

describe('triage', () => {
  it('sends an unsure report to the admins\' group, where an admin assigns it to a department', async () => {
    await app!.stop()
    app = await startTestApp({ telegram, databaseUrl: database.url, adminIds: [admin.id], env: { CLASSIFY_MIN_CONFIDENCE: '0.99' } })
    const { number, wang } = await report()
    const card = await cardIn(admins, number)
    expect(card.text).toContain('待分派')
    expect(telegram.sentMessages(handlersA).some(m => m.text?.includes(number))).toBe(false)
    press(admins, admin, card, '分派')
    const picker = await telegram.waitForMessage({ chatId: admins.id, textIncludes: '转给哪个部门' })
    const nameB = app!.catalog.departments.find(d => d.id === departmentB)!.nameZh
    press(admins, admin, picker, nameB)
    await cardIn(handlersB, number)
    await wang.expectBot(`已交由「${nameB}」办理`)
    await telegram.waitFor(c => c.method === 'editMessageText' && Number(c.params.chat_id) === admins.id && String(c.params.text).includes('已转至'), 5000, 0)
    expect((await tickets().findByNumber(number))).toMatchObject({ status: 'assigned', departmentId: departmentB })
    // The admin's choice is kept as an example of this deployment's routing.
    expect(await createRoutingCorrectionStore(app!.database).listExamples()).toEqual([expect.objectContaining({ text: STREETLIGHT, departmentId: departmentB })])
  })

  it('lets a handler return a ticket to triage with a reason', async () => {
    const { number, wang } = await report()
    const card = await cardIn(handlersA, number)
    press(handlersA, handler, card, '退回')
    await replyToPrompt(handlersA, handler, '不是本部门的事')
    await cardIn(admins, number)
    await wang.expectBot('重新确认承办部门')
    expect((await tickets().findByNumber(number))!.status).toBe('needs_triage')
  })
})

describe('delivery to the reporter', () => {
  it('waits out a 429 and delivers the message once', async () => {
    const { number, wang } = await report()
    const card = await cardIn(handlersA, number)
    telegram.failNext('sendMessage', { error_code: 429, retry_after: 1 })
    const pressedAt = Date.now()
    press(handlersA, handler, card, '受理')
    await wang.expectBot('已由', 8000)
    expect(Date.now() - pressedAt).toBeGreaterThanOrEqual(1000)
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(telegram.sentMessages(residents).filter(m => m.text?.includes(`（${number}）已由`))).toHaveLength(1)
  })

  it('delivers once after the bot stopped between the status change and the send', async () => {
    const { number, wang } = await report()
    const card = await cardIn(handlersA, number)
    await restart({ deliver: false })
    press(handlersA, handler, card, '受理')
    await telegram.waitFor(c => c.method === 'answerCallbackQuery', 5000)
    expect((await tickets().findByNumber(number))!.status).toBe('accepted')
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(telegram.sentMessages(residents).filter(m => m.text?.includes('已由'))).toHaveLength(0)

    await restart()
    await wang.expectBot('已由', 5000)
    await restart()
    await new Promise(resolve => setTimeout(resolve, 500))
    expect(telegram.sentMessages(residents).filter(m => m.text?.includes(`（${number}）已由`))).toHaveLength(1)
  })

  it('answers without the reply when the reporter\'s own message was deleted', async () => {
    const { number } = await report()
    const card = await cardIn(handlersA, number)
    const stored = (await tickets().findByNumber(number))!
    // Someone (an admin of the group, here through the bot) deletes the report from the group.
    telegram.setChatMember(residents, telegram.botInfo.id, 'administrator')
    await new Api(telegram.token, { apiRoot: telegram.apiRoot }).deleteMessage(residents.id, stored.sourceMessageId!)
    press(handlersA, handler, card, '受理')
    const told = await telegram.waitForMessage({ chatId: residents.id, textIncludes: `（${number}）已由` })
    expect(told.reply_to_message).toBeUndefined()
    expect(told.text).toContain(number)
  })

  it('marks a message to a reporter who blocked the bot as undeliverable and shows it on the ticket', async () => {
    const chen = telegram.createUser({ first_name: '陈先生', language_code: 'zh' })
    telegram.startPrivateChat(chen)
    const me = new TestResident(telegram, chen, { id: chen.id, type: 'private', first_name: chen.first_name } as Chat)
    const number = await me.reportProblem(STREETLIGHT)
    const card = await cardIn(handlersA, number)
    telegram.blockBot(chen)
    press(handlersA, handler, card, '受理')
    await cardIn(handlersA, number, /无法送达群众：群众已屏蔽机器人/)
    const ticket = (await tickets().findByNumber(number))!
    const failed = (await createOutboxStore(app!.database).listForTicket(ticket.id)).filter(m => m.status === 'failed')
    expect(failed).toHaveLength(1)
    expect(failed[0]).toMatchObject({ failReason: 'blocked', chatId: chen.id })
    expect((await tickets().listEvents(ticket.id)).at(-1)).toMatchObject({ type: 'delivery_failed', note: 'blocked' })
    // Not retried: only the one refused attempt reached Telegram.
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(telegram.calls.filter(c => c.method === 'sendMessage' && Number(c.params.chat_id) === chen.id && String(c.params.text).includes('已由'))).toHaveLength(1)
  })

  it('relays a handler\'s question to the reporter and the answer back onto the ticket', async () => {
    const { number, wang } = await report()
    const card = await cardIn(handlersA, number)
    press(handlersA, handler, card, '问群众')
    await replyToPrompt(handlersA, handler, '请问是哪一栋楼门口？')
    const question = await wang.expectBot('承办部门想向您了解')
    telegram.sendMessage({ chat: residents, from: wang.user, text: '3 栋门口', replyTo: question.message_id })
    await wang.expectBot('已转达')
    await telegram.waitForMessage({ chatId: handlersA.id, textIncludes: '群众回复：3 栋门口' })
    const ticket = (await tickets().findByNumber(number))!
    expect((await tickets().listEvents(ticket.id)).map(e => e.type)).toEqual(['created', 'question', 'reporter_reply'])
  })
})

describe('a reporter in the middle of a new report', () => {
  it('answers a department\'s question by replying to it, without the answer entering the new report', async () => {
    const chen = telegram.createUser({ first_name: '陈先生', language_code: 'zh' })
    telegram.startPrivateChat(chen)
    const me = new TestResident(telegram, chen, { id: chen.id, type: 'private', first_name: chen.first_name } as Chat)
    const number = await me.reportProblem(STREETLIGHT)
    const card = await cardIn(handlersA, number)
    press(handlersA, handler, card, '问群众')
    await replyToPrompt(handlersA, handler, '请问是哪一栋楼门口？')
    const question = await me.expectBot('承办部门想向您了解')
    me.command('/report')
    await me.expectBot('请描述遇到的问题')
    telegram.sendMessage({ chat: chen.id, from: chen, text: '3 栋门口', replyTo: question.message_id })
    await me.expectBot('已转达')
    await telegram.waitForMessage({ chatId: handlersA.id, textIncludes: '群众回复：3 栋门口' })
    // The new report is still waiting for its description.
    me.send({ text: '楼道里的灯也坏了好几天了' })
    await me.expectBot('问题发生在哪里')
  })
})

describe('commands for handlers', () => {
  it('/queue lists the group\'s open tickets oldest first, and /ticket shows the card and history', async () => {
    const first = await report()
    const second = await report()
    telegram.sendMessage({ chat: handlersA, from: handler, text: '/queue' })
    const queue = await telegram.waitForMessage({ chatId: handlersA.id, textIncludes: '待办工单' })
    expect(queue.text!.indexOf(first.number)).toBeLessThan(queue.text!.indexOf(second.number))
    telegram.sendMessage({ chat: handlersA, from: handler, text: `/ticket ${first.number}` })
    const shown = await telegram.waitForMessage({ chatId: handlersA.id, textIncludes: '办理记录' })
    expect(shown.text).toContain(first.number)
    const outsider = telegram.createUser({ first_name: '路人' })
    telegram.startPrivateChat(outsider)
    telegram.sendMessage({ chat: outsider.id, from: outsider, text: `/ticket ${first.number}` })
    await telegram.waitForMessage({ chatId: outsider.id, textIncludes: '没有找到' })
  })
})
