import type { App } from '#root/app.js'
import type { Chat, Message, User } from 'grammy/types'
import type { FakeTelegram } from '../../fakes/telegram-server.js'
import type { ScratchDatabase } from '../../helpers/database.js'
import { createOfflineClassifier } from '#root/classify/offline-classifier.js'
import { createChatStore } from '#root/store/chat-store.js'
import { createTicketFollowerStore } from '#root/store/ticket-follower-store.js'
import { createTicketStore } from '#root/store/ticket-store.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeTelegram } from '../../fakes/telegram-server.js'
import { createScratchDatabase } from '../../helpers/database.js'
import { startTestApp, TestResident } from '../../helpers/test-app.js'

const STREETLIGHT = '小区门口的路灯坏了一个星期，晚上很黑，老人出门不方便'
/** The same lamp in other words: alike enough to be offered the open ticket. */
const SAME_LAMP = '小区门口那盏路灯坏了好几天了，晚上很黑，老人出门不方便'
/** A lamp problem told differently enough to be filed on its own (similarity below the threshold). */
const OTHER_WORDS = '我家楼下的路灯也不亮了，小区门口晚上黑漆漆的'

let telegram: FakeTelegram
let database: ScratchDatabase
let app: App | undefined
let residents: Chat
let handlers: Chat
let admins: Chat
let admin: User
let handler: User

beforeEach(async () => {
  telegram = await startFakeTelegram()
  database = await createScratchDatabase('sqlite')
  residents = telegram.createGroup({ title: '金鸡湖居民群', quiet: true })
  handlers = telegram.createGroup({ title: '承办群', quiet: true })
  admins = telegram.createGroup({ title: '管理员群', quiet: true })
  admin = telegram.createUser({ first_name: 'Admin' })
  handler = telegram.createUser({ first_name: '张科长' })
  telegram.setChatMember(handlers, handler, 'member')
  app = await startTestApp({ telegram, databaseUrl: database.url, adminIds: [admin.id], env: { CLASSIFY_MIN_CONFIDENCE: '0.01' } })
  const department = (await createOfflineClassifier(app.catalog).classify({ text: STREETLIGHT })).departmentId
  const chats = createChatStore(app.database)
  await chats.bind({ chatId: residents.id, kind: 'residents', title: residents.title!, areaName: '金鸡湖社区', departmentId: null, boundBy: admin.id })
  await chats.bind({ chatId: handlers.id, kind: 'handlers', title: '承办群', areaName: null, departmentId: department, boundBy: admin.id })
  await chats.bind({ chatId: admins.id, kind: 'admins', title: '管理员群', areaName: null, departmentId: null, boundBy: admin.id })
})

afterEach(async () => {
  await app?.stop()
  app = undefined
  await telegram.close()
  await database.drop()
})

const tickets = () => createTicketStore(app!.database, { timezone: 'Asia/Shanghai' })
const followers = () => createTicketFollowerStore(app!.database)

function resident(name: string, chat = residents): TestResident {
  return new TestResident(telegram, telegram.createUser({ first_name: name, language_code: 'zh' }), chat)
}

/** The ticket's card in the handlers' group as it stands, once its text matches. */
async function cardOf(number: string, textIncludes: string | RegExp = number): Promise<Message> {
  const ticket = (await tickets().findByNumber(number))!
  let card: Message | undefined
  await expect.poll(async () => {
    const place = (await tickets().listCards(ticket.id)).find(c => c.chatId === handlers.id)
    card = place ? telegram.getMessage(handlers, place.messageId) : undefined
    const text = card?.text ?? ''
    return typeof textIncludes === 'string' ? text.includes(textIncludes) : textIncludes.test(text)
  }, { timeout: 5000 }).toBe(true)
  return card!
}

function press(chat: Chat, user: User, message: Message, label: string): string {
  const current = telegram.getMessage(chat, message.message_id)!
  const button = (current.reply_markup?.inline_keyboard ?? []).flat().find(b => b.text.includes(label))
  if (!button || !('callback_data' in button))
    throw new Error(`no button ${label}: ${JSON.stringify(current.reply_markup)}`)
  return telegram.clickButton({ chat, from: user, message: current, data: button.callback_data! })
}

async function answerOf(queryId: string) {
  await telegram.waitFor(c => c.method === 'answerCallbackQuery' && c.params.callback_query_id === queryId, 5000, 0)
  return telegram.callbackAnswers.find(a => a.callbackQueryId === queryId)!
}

/** A command typed in a chat; resolves with the bot's answer to it. */
async function command(chat: Chat, user: User, text: string, answerIncludes: string): Promise<Message> {
  telegram.sendMessage({ chat, from: user, text })
  return telegram.waitForMessage({ chatId: chat.id, textIncludes: answerIncludes })
}

async function resolve(number: string, note: string): Promise<void> {
  const card = await cardOf(number)
  press(handlers, handler, card, '受理')
  await cardOf(number, /已受理/)
  press(handlers, handler, card, '办结')
  const prompt = await telegram.waitForMessage({ chatId: handlers.id, textIncludes: '请回复本消息' })
  telegram.sendMessage({ chat: handlers, from: handler, text: note, replyTo: prompt.message_id })
}

describe('me too (我也遇到了)', () => {
  it('offers a second resident the open ticket; one tap joins it, and both reporters hear the resolution and its follow-up', async () => {
    const wang = resident('王阿姨')
    const number = await wang.reportProblem(STREETLIGHT)

    const li = resident('李叔')
    await li.startReport()
    const summary = await li.describe(SAME_LAMP)
    expect(summary.text).toContain(`类似问题已有工单 ${number}`)
    expect(summary.text).toContain('1 人反映')
    // The group sees the other ticket's public summary only: never its reporter.
    expect(summary.text).not.toContain('王阿姨')
    press(residents, li.user, summary, '我也遇到了')
    const joined = await li.expectBot('已加入工单', 5000, summary)
    expect(joined.text).toContain(number)
    expect(joined.text).toContain('现在共 2 人反映')
    // The summary turned into the confirmation: the join cost the group no new message.
    expect(telegram.getMessage(residents, summary.message_id)!.text).toContain('已加入工单')
    expect(telegram.sentMessages(residents).filter(m => m.text?.includes('已加入'))).toEqual([])

    const ticket = (await tickets().findByNumber(number))!
    expect(ticket.followerCount).toBe(1)
    expect(await followers().listFollowers(ticket.id)).toEqual([expect.objectContaining({ residentId: li.user.id, chatId: residents.id, viaTicketId: null })])
    expect((await tickets().listEvents(ticket.id)).map(e => e.type)).toEqual(['created', 'joined'])
    // No second ticket was filed.
    expect(await tickets().listByReporter(li.user.id)).toEqual([])
    await cardOf(number, '反映人数：2 人')

    await resolve(number, '已更换路灯灯泡，今晚起恢复照明')
    const toWang = await wang.expectBot('」办结')
    const toLi = await li.expectBot('」办结')
    expect(toLi.message_id).not.toBe(toWang.message_id)
    expect(toLi.text).toContain('同样反映此问题的 1 位居民')
    expect(toLi.text).toContain('已更换路灯灯泡')
    for (const message of [toWang, toLi])
      expect((message.reply_markup?.inline_keyboard ?? []).flat().map(b => b.text)).toEqual(['满意', '基本满意', '不满意'])

    // The follower's rating is recorded; only the reporter's closes the ticket.
    const liRated = await answerOf(press(residents, li.user, toLi, '不满意'))
    expect(liRated.text).toContain('已记录')
    expect((await tickets().findByNumber(number))!.status).toBe('resolved')
    await telegram.waitForMessage({ chatId: handlers.id, textIncludes: '共同反映人对办理结果不满意' })
    const wangRated = await answerOf(press(residents, wang.user, toWang, '满意'))
    expect(wangRated.text).toContain('感谢')
    await expect.poll(async () => (await tickets().findByNumber(number))!.status).toBe('closed')
    const events = await tickets().listEvents(ticket.id)
    expect(events.filter(e => e.type === 'follower_rated')).toEqual([expect.objectContaining({ actorId: li.user.id, data: expect.objectContaining({ satisfaction: 'not_satisfied' }) })])

    const mine = await command(residents, li.user, '/mine', '我也遇到了')
    expect(mine.text).toContain(number)
    // The follower may follow its progress with /status, seeing the public summary only.
    const status = await command(residents, li.user, `/status ${number}`, number)
    expect(status.text).toContain('已回访')
    expect(status.text).not.toContain('王阿姨')
  })

  it('tells everyone who joined the new date when a supervisor approves an extension', async () => {
    const wang = resident('王阿姨')
    const number = await wang.reportProblem(STREETLIGHT)
    const li = resident('李叔')
    await li.startReport()
    const summary = await li.describe(SAME_LAMP)
    press(residents, li.user, summary, '我也遇到了')
    await li.expectBot('已加入工单', 5000, summary)

    const card = await cardOf(number)
    press(handlers, handler, card, '申请延期')
    const prompt = await telegram.waitForMessage({ chatId: handlers.id, textIncludes: '延期的工作日数' })
    telegram.sendMessage({ chat: handlers, from: handler, text: '5 需要等待配件到货', replyTo: prompt.message_id })
    const request = await telegram.waitForMessage({ chatId: admins.id, textIncludes: '延期申请' })
    press(admins, admin, request, '同意延期')

    const toReporter = await wang.expectBot('办理时限已延长至')
    // The follower hears in the group they reported from, under their own message, with the same date.
    const toFollower = await telegram.waitForMessage({ chatId: residents.id, textIncludes: /同样反映此问题[\s\S]*办理时限已延长至/, from: 0 })
    const due = /延长至 (\S+ \S+)/.exec(toReporter.text ?? '')?.[1]
    expect(due).toBeDefined()
    expect(toFollower.text).toContain(due!)
    expect(toFollower.reply_to_message?.from?.id).toBe(li.user.id)
  })

  it('files a report that reads differently on its own, and a resident may still file their own when offered', async () => {
    const wang = resident('王阿姨')
    const number = await wang.reportProblem(STREETLIGHT)
    const zhao = resident('赵师傅')
    await zhao.startReport()
    const plain = await zhao.describe(OTHER_WORDS)
    expect(plain.text).not.toContain('类似问题')
    const li = resident('李叔')
    await li.startReport()
    const offered = await li.describe(SAME_LAMP)
    expect(offered.text).toContain(number)
    const own = await li.confirm()
    expect(own).not.toBe(number)
    expect((await tickets().findByNumber(number))!.followerCount).toBe(0)
  })
})

describe('many residents joining at once', () => {
  it('keeps each of 30 residents who press "me too" at the same moment, once, and tells each of them the resolution', async () => {
    const privately = (name: string) => {
      const user = telegram.createUser({ first_name: name, language_code: 'zh' })
      telegram.startPrivateChat(user)
      return new TestResident(telegram, user, { id: user.id, type: 'private', first_name: name } as Chat)
    }
    const first = privately('陈先生')
    await first.expectBot('群众诉求平台')
    const number = await first.reportProblem(STREETLIGHT)
    const neighbours = Array.from({ length: 30 }, (_, i) => privately(`邻居${i + 1}`))
    const summaries = await Promise.all(neighbours.map(async (neighbour) => {
      await neighbour.expectBot('群众诉求平台')
      await neighbour.startReport()
      await neighbour.describe(SAME_LAMP)
      const summary = await neighbour.givePlace('星湖街 8 号')
      expect(summary.text).toContain(number)
      return summary
    }))
    // Every press lands before the bot answers any of them.
    neighbours.forEach((neighbour, i) => press(neighbour.chat, neighbour.user, summaries[i]!, '我也遇到了'))
    await Promise.all(neighbours.map((neighbour, i) => neighbour.expectBot('已加入工单', 10_000, summaries[i])))

    const ticket = (await tickets().findByNumber(number))!
    expect(ticket.followerCount).toBe(30)
    expect((await followers().listFollowers(ticket.id)).map(f => f.residentId).sort()).toEqual(neighbours.map(n => n.user.id).sort())
    expect((await tickets().listEvents(ticket.id)).filter(e => e.type === 'joined')).toHaveLength(30)

    await resolve(number, '已更换路灯灯泡')
    await first.expectBot('」办结')
    await Promise.all(neighbours.map(neighbour => neighbour.expectBot('」办结', 15_000)))
  }, 60_000)
})

describe('merge (并案) and split', () => {
  it('merges a ticket into another: its reporter is told, both cards and histories say so; a split restores it', async () => {
    const wang = resident('王阿姨')
    const target = await wang.reportProblem(STREETLIGHT)
    const zhao = resident('赵师傅')
    const source = await zhao.reportProblem(OTHER_WORDS)
    await cardOf(source)

    // Residents may not merge.
    await command(residents, zhao.user, `/merge ${target} ${source}`, '承办群或管理员群')

    const done = await command(handlers, handler, `/merge ${target} ${source}`, '并入')
    expect(done.text).toContain(`已将工单 ${source} 并入 ${target}`)
    const told = await zhao.expectBot('已并入')
    expect(told.text).toContain(target)
    const merged = (await tickets().findByNumber(source))!
    expect(merged).toMatchObject({ status: 'merged', statusBeforeMerge: 'assigned' })
    expect((await tickets().findByNumber(target))!.followerCount).toBe(1)
    const sourceCard = await cardOf(source, `已并入工单 ${target}`)
    expect(sourceCard.reply_markup).toBeUndefined()
    await cardOf(target, `已并入本工单：${source}`)
    const history = await command(handlers, handler, `/ticket ${target}`, '办理记录')
    expect(history.text).toContain('并入工单')

    // The merged reporter now hears the target's progress.
    await resolve(target, '已修复')
    await wang.expectBot('」办结')
    const toZhao = await zhao.expectBot('」办结')
    expect(toZhao.text).toContain(target)

    // Resolved, the target can no longer take a merge; the split still restores the source.
    const split = await command(handlers, handler, `/split ${source}`, '撤销并案')
    expect(split.text).toContain('已交办')
    await zhao.expectBot('恢复单独办理')
    expect((await tickets().findByNumber(source))).toMatchObject({ status: 'assigned', mergedIntoId: null })
    expect((await tickets().findByNumber(target))!.followerCount).toBe(0)
    const targetId = (await tickets().findByNumber(target))!.id
    expect((await tickets().listEvents(targetId)).map(e => e.type)).toEqual(expect.arrayContaining(['merge_received', 'split_released']))
    expect((await tickets().listEvents(merged.id)).map(e => e.type)).toEqual(expect.arrayContaining(['merged', 'split']))
    const restoredCard = await cardOf(source, /已交办/)
    expect((restoredCard.reply_markup?.inline_keyboard ?? []).flat().map(b => b.text)).toContain('受理')
  })
})

describe('/hot', () => {
  it('lists the week\'s problems with several reporters, in any chat, each as its public summary only', async () => {
    const wang = resident('王阿姨')
    const number = await wang.reportProblem(`${STREETLIGHT}，有事打我电话13812345678`)
    const li = resident('李叔')
    await li.startReport()
    const summary = await li.describe(SAME_LAMP)
    press(residents, li.user, summary, '我也遇到了')
    await li.expectBot('已加入工单', 5000, summary)

    const inGroup = await command(residents, li.user, '/hot', '热点问题')
    expect(inGroup.text).toContain('【金鸡湖社区】')
    expect(inGroup.text).toContain(`1. ${number}`)
    expect(inGroup.text).toContain('2 人反映')
    expect(inGroup.text).not.toContain('13812345678')
    expect(inGroup.text).not.toContain('王阿姨')

    const elsewhere = await command(handlers, handler, '/hot 独墅湖社区', '近 7 天还没有')
    expect(elsewhere.text).not.toContain(number)
  })
})
