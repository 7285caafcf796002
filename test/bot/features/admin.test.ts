import type { App } from '#root/app.js'
import type { Chat, User } from 'grammy/types'
import type { FakeTelegram } from '../../fakes/telegram-server.js'
import type { ScratchDatabase } from '../../helpers/database.js'
import { createChatStore } from '#root/store/chat-store.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeTelegram } from '../../fakes/telegram-server.js'
import { createScratchDatabase } from '../../helpers/database.js'
import { startTestApp, TestResident } from '../../helpers/test-app.js'

let telegram: FakeTelegram
let database: ScratchDatabase
let app: App
let admin: User
let stranger: User

beforeEach(async () => {
  telegram = await startFakeTelegram()
  database = await createScratchDatabase('sqlite')
  admin = telegram.createUser({ first_name: 'Admin', language_code: 'zh' })
  stranger = telegram.createUser({ first_name: '路人', language_code: 'zh' })
  app = await startTestApp({ telegram, databaseUrl: database.url, adminIds: [admin.id] })
})

afterEach(async () => {
  await app.stop()
  await telegram.close()
  await database.drop()
})

function as(user: User, chat: Chat) {
  return new TestResident(telegram, user, chat)
}

async function said(chat: Chat, text: string) {
  return telegram.waitForMessage({ chatId: chat.id, textIncludes: text })
}

describe('binding groups and /help per kind of chat', () => {
  it('binds a residents\' group to its area and says so in /help', async () => {
    const group = telegram.createGroup({ title: '金鸡湖居民群', quiet: true })
    as(admin, group).command('/help')
    await said(group, '还没有设置用途')
    as(admin, group).command('/bind residents 金鸡湖社区')
    await said(group, '「金鸡湖社区」居民群')
    as(stranger, group).command('/help')
    const help = await said(group, '本群是「金鸡湖社区」居民群')
    const buttons = (help.reply_markup?.inline_keyboard ?? []).flat()
    expect(buttons.some(b => 'callback_data' in b && b.callback_data === 'report:start')).toBe(true)
    expect(buttons.some(b => 'url' in b && b.url?.endsWith('?start=report'))).toBe(true)
    expect(await createChatStore(app.database).find(group.id)).toMatchObject({ kind: 'residents', areaName: '金鸡湖社区', boundBy: admin.id })
  })

  it('binds a handlers\' group by department id or by picking a button, and the admins\' group', async () => {
    const handlers = telegram.createGroup({ title: '城管承办群', quiet: true })
    const department = app.catalog.departments[0]!
    as(admin, handlers).command('/bind handlers')
    const choice = await said(handlers, '请选择本群对应的部门')
    as(admin, handlers).press(department.nameZh, choice)
    await said(handlers, `「${department.nameZh}」承办群`)
    as(stranger, handlers).command('/help')
    await said(handlers, `本群是「${department.nameZh}」承办群`)

    const other = telegram.createGroup({ title: '交通承办群', quiet: true })
    const second = app.catalog.departments[1]!
    as(admin, other).command(`/bind handlers ${second.id}`)
    await said(other, `「${second.nameZh}」承办群`)
    as(admin, other).command('/bind handlers no-such-department')
    await said(other, '没有编号为“no-such-department”的部门')

    const admins = telegram.createGroup({ title: '管理员群', quiet: true })
    as(admin, admins).command('/bind admins')
    await said(admins, '管理员群')
    const chats = createChatStore(app.database)
    expect((await chats.findHandlersOf(department.id)).map(c => c.chatId)).toEqual([handlers.id])
    expect((await chats.list('admins')).map(c => c.chatId)).toEqual([admins.id])
  })

  it('refuses binding to people who are not admins, and unbinds', async () => {
    const group = telegram.createGroup({ title: '某群', quiet: true })
    as(stranger, group).command('/bind admins')
    await said(group, '只有管理员可以这样做')
    expect(await createChatStore(app.database).find(group.id)).toBeNull()
    as(admin, group).command('/bind residents 湖西社区')
    await said(group, '湖西社区')
    as(admin, group).command('/unbind')
    await said(group, '已解除')
    expect(await createChatStore(app.database).find(group.id)).toBeNull()
  })

  it('introduces itself when added to a group', async () => {
    const group = telegram.createGroup({ title: '新的居民群' })
    const hello = await said(group, '本群还没有设置用途')
    expect(hello.text).toContain('/bind residents')
  })

  it('starts a report from the help button', async () => {
    const group = telegram.createGroup({ title: '居民群', quiet: true })
    const wang = as(stranger, group)
    wang.command('/help')
    const help = await said(group, '/report')
    telegram.clickButton({ chat: group, from: stranger, message: help, data: 'report:start' })
    await wang.expectBot('请回复本消息，描述')
  })
})
