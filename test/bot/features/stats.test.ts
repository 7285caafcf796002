import type { App } from '#root/app.js'
import type { Catalog } from '#root/domain/catalog.js'
import type { TicketAction } from '#root/domain/lifecycle.js'
import type { TicketStats } from '#root/store/stats-store.js'
import type { I18nFlavor } from '@grammyjs/i18n'
import type { Chat, User } from 'grammy/types'
import type { FakeTelegram } from '../../fakes/telegram-server.js'
import type { ScratchDatabase } from '../../helpers/database.js'
import { statsText, TELEGRAM_TEXT_LIMIT } from '#root/bot/features/stats.js'
import { createI18n } from '#root/bot/i18n.js'
import { planTransition } from '#root/domain/lifecycle.js'
import { createChatStore } from '#root/store/chat-store.js'
import { createTicketStore } from '#root/store/ticket-store.js'
import { statsPeriods } from '#root/usecases/ticket-stats.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeTelegram } from '../../fakes/telegram-server.js'
import { createScratchDatabase } from '../../helpers/database.js'
import { sampleClassification, sampleReport } from '../../helpers/fixtures.js'
import { startTestApp } from '../../helpers/test-app.js'

const TIMEZONE = 'Asia/Shanghai'
const MINUTE = 60_000
const HOUR = 60 * MINUTE

describe('/stats', () => {
  let telegram: FakeTelegram
  let database: ScratchDatabase
  let app: App
  let admin: User
  let adminEn: User
  let resident: User
  let admins: Chat
  let residents: Chat

  beforeEach(async () => {
    telegram = await startFakeTelegram()
    database = await createScratchDatabase('sqlite')
    admin = telegram.createUser({ first_name: 'Admin', language_code: 'zh' })
    adminEn = telegram.createUser({ first_name: 'Anna', language_code: 'en' })
    resident = telegram.createUser({ first_name: '王阿姨', language_code: 'zh' })
    admins = telegram.createGroup({ title: '管理员群', quiet: true })
    residents = telegram.createGroup({ title: '金鸡湖居民群', quiet: true })
    app = await startTestApp({ telegram, databaseUrl: database.url, adminIds: [admin.id, adminEn.id], env: { TIMEZONE } })
    const chats = createChatStore(app.database)
    await chats.bind({ chatId: admins.id, kind: 'admins', title: '管理员群', areaName: null, departmentId: null, boundBy: admin.id })
    await chats.bind({ chatId: residents.id, kind: 'residents', title: '金鸡湖居民群', areaName: '金鸡湖社区', departmentId: null, boundBy: admin.id })
  })

  afterEach(async () => {
    await app.stop()
    await telegram.close()
    await database.drop()
  })

  /**
   * Two tickets of the first department created early today (local time, whenever the test runs): one accepted
   * after 1 h 12 min and resolved after 2 h 30 min, one still waiting. Later events may lie in the future of the
   * wall clock; the figures do not mind.
   */
  async function seedToday() {
    const department = app.catalog.departments[0]!
    const category = app.catalog.categories.find(c => c.departmentId === department.id)!
    const startOfToday = statsPeriods(new Date(), TIMEZONE).today.from.getTime()
    let clock = new Date(startOfToday)
    const tickets = createTicketStore(app.database, { timezone: TIMEZONE, now: () => clock })
    const report = sampleReport({
      reporterId: resident.id,
      reporterName: resident.first_name,
      sourceChatId: residents.id,
      sourceMessageId: null,
      locationText: null,
    })
    const create = async (key: string, at: number, steps: [number, TicketAction][]) => {
      clock = new Date(at)
      let { ticket } = await tickets.createTicket({
        intakeKey: key,
        report,
        classification: sampleClassification({ categoryId: category.id, departmentId: department.id }),
        status: 'assigned',
        actor: { id: resident.id, role: 'reporter' },
      })
      for (const [offset, action] of steps) {
        clock = new Date(at + offset)
        const plan = planTransition({ status: ticket.status, departmentId: ticket.departmentId, action, role: 'handler', note: '已修复' })
        ticket = (await tickets.applyTransition(ticket.id, plan, { id: admin.id, role: 'handler' })).ticket
      }
    }
    await create('a', startOfToday + MINUTE, [[HOUR + 12 * MINUTE, 'accept'], [2 * HOUR + 30 * MINUTE, 'resolve']])
    await create('b', startOfToday + 2 * MINUTE, [])
    return { department, category }
  }

  it('gives the figures to anyone in the admins\' group', async () => {
    const { department, category } = await seedToday()
    const member = telegram.createUser({ first_name: '值班员', language_code: 'zh' })
    telegram.sendMessage({ chat: admins, from: member, text: '/stats' })
    const message = await telegram.waitForMessage({ chatId: admins.id, textIncludes: '工单统计' })
    const text = message.text!
    expect(message.reply_to_message?.from?.id).toBe(member.id)
    const [today, month] = text.split('【本月')
    for (const part of [today!, month!]) {
      expect(part).toContain('新增工单：2 件')
      expect(part).toContain('· 已交办：1')
      expect(part).toContain('· 已办结：1')
      expect(part).toContain(`· ${department.nameZh}：2`)
      expect(part).toContain(`· ${category.nameZh}：2`)
      expect(part).toContain('受理用时中位数：1 小时 12 分（1 件）')
      expect(part).toContain('办结用时中位数：2 小时 30 分（1 件）')
    }
    expect(text).toContain('【今日')
  })

  it('gives the figures to an admin in a private chat, in their language', async () => {
    await seedToday()
    telegram.startPrivateChat(adminEn)
    telegram.sendMessage({ chat: adminEn.id, from: adminEn, text: '/stats' })
    const message = await telegram.waitForMessage({ chatId: adminEn.id, textIncludes: 'Ticket statistics' })
    expect(message.text).toContain('New tickets: 2')
    expect(message.text).toContain('Median time to accept: 1 h 12 min (1 ticket)')
    expect(message.text).toContain('Median time to resolve: 2 h 30 min (1 ticket)')
  })

  it('refuses a resident in a residents\' group, and in a private chat', async () => {
    await seedToday()
    telegram.sendMessage({ chat: residents, from: resident, text: '/stats' })
    const refused = await telegram.waitForMessage({ chatId: residents.id, textIncludes: '只有管理员可以这样做' })
    expect(refused.reply_to_message?.from?.id).toBe(resident.id)
    telegram.startPrivateChat(resident)
    telegram.sendMessage({ chat: resident.id, from: resident, text: '/stats' })
    await telegram.waitForMessage({ chatId: resident.id, textIncludes: '只有管理员可以这样做' })
    expect(telegram.sentMessages().some(m => m.text?.includes('工单统计'))).toBe(false)
  })

  it('does not publish the figures in a residents\' group even for an admin', async () => {
    telegram.sendMessage({ chat: residents, from: admin, text: '/stats' })
    await telegram.waitForMessage({ chatId: residents.id, textIncludes: '统计只在管理员群或与机器人的私聊中提供' })
    expect(telegram.sentMessages(residents).some(m => m.text?.includes('工单统计'))).toBe(false)
  })

  it('says so when there are no tickets', async () => {
    telegram.sendMessage({ chat: admins, from: admin, text: '/stats' })
    const message = await telegram.waitForMessage({ chatId: admins.id, textIncludes: '工单统计' })
    expect(message.text!.match(/暂无新工单/g)).toHaveLength(2)
  })
})

describe('statsText', () => {
  const i18n = createI18n()
  const t: I18nFlavor['t'] = (key, variables) => i18n.t('zh', key, variables)
  // A catalog far larger than any real one, with long names, to push the message past Telegram's limit.
  const catalog: Catalog = {
    departments: Array.from({ length: 80 }, (_, i) => ({ id: `d${i}`, nameZh: `第${i}号部门${'很长的名字'.repeat(8)}`, nameEn: `Department ${i}` })),
    categories: Array.from({ length: 120 }, (_, i) => ({ id: `c${i}`, nameZh: `第${i}类问题${'很长的名字'.repeat(8)}`, nameEn: `Category ${i}`, departmentId: `d${i % 80}`, keywords: [] })),
  }
  const figures = (scale: number): TicketStats => ({
    total: 120 * scale,
    byStatus: [{ key: 'assigned', count: 60 * scale }, { key: 'resolved', count: 60 * scale }],
    byDepartment: catalog.departments.map((d, i) => ({ key: d.id, count: 80 - i })),
    byCategory: catalog.categories.map((c, i) => ({ key: c.id, count: 120 - i })),
    toAccept: { medianMs: 3 * HOUR + 12 * MINUTE, count: 50 },
    toResolve: { medianMs: 52 * HOUR, count: 20 },
    routing: { automatic: 100 * scale, stood: 90 * scale },
    followUp: { resolved: 60 * scale, rated: 40 * scale, satisfied: 30 * scale, unrated: 10 * scale, reworked: 3 * scale },
  })
  const options = { t, catalog, timezone: TIMEZONE, locale: 'zh' as const, now: new Date('2026-11-26T12:00:00Z') }

  it('lists at most ten departments and categories per period, then "…等 N 项"', () => {
    const text = statsText({ today: figures(1), month: figures(10) }, { ...options, catalog: { ...catalog, departments: catalog.departments.map(d => ({ ...d, nameZh: `部门${d.id}` })), categories: catalog.categories.map(c => ({ ...c, nameZh: `分类${c.id}` })) } })
    expect(text).toContain('· …等 70 项')
    expect(text).toContain('· …等 110 项')
    expect(text).toContain('受理用时中位数：3 小时 12 分（50 件）')
    expect(text).toContain('办结用时中位数：2 天 4 小时（20 件）')
    expect(text).toContain('自动分派：100 件，首次分派未被改派 90 件（90%）')
    expect(text).toContain('回访：群众评价 40 件，满意（含基本满意）30 件（满意率 75%）；未评价（超时无回应）结案 10 件')
    expect(text).toContain('重办：已办结 60 件中重办 3 件（重办率 5%）')
    expect(text).toContain('【今日 · 11月26日】')
    expect(text).toContain('【本月 · 2026年11月】')
  })

  it('cuts the lists further until the message fits in one Telegram message', () => {
    const text = statsText({ today: figures(1), month: figures(10) }, options)
    expect(text.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT)
    expect(text).toMatch(/· …等 7\d 项/)
    expect(text).toContain('办结用时中位数')
  })

  it('shows departments and categories gone from the catalog by their id', () => {
    const stats: TicketStats = {
      ...figures(1),
      byDepartment: [{ key: 'removed-dept', count: 1 }, { key: null, count: 1 }],
      byCategory: [{ key: null, count: 2 }],
    }
    const text = statsText({ today: stats, month: stats }, options)
    expect(text).toContain('· removed-dept：1')
    expect(text).toContain('· 未定部门：1')
    expect(text).toContain('· 未分类：2')
  })
})
