import type { App } from '#root/app.js'
import type { Chat, Message, User } from 'grammy/types'
import type { AddressInfo } from 'node:net'
import type { FakeTelegram } from '../../fakes/telegram-server.js'
import type { ScratchDatabase } from '../../helpers/database.js'
import { Buffer } from 'node:buffer'
import { createServer } from 'node:http'
import { createOfflineClassifier } from '#root/classify/offline-classifier.js'
import { createChatStore } from '#root/store/chat-store.js'
import { createTicketStore } from '#root/store/ticket-store.js'
import { createVisitStore } from '#root/store/visit-store.js'
import { Api } from 'grammy'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseCatalogFromPrompt, ruleClassify, startFakeOpenAi } from '../../fakes/openai-server.js'
import { startFakeTelegram } from '../../fakes/telegram-server.js'
import { createScratchDatabase } from '../../helpers/database.js'
import { startTestApp, TestResident } from '../../helpers/test-app.js'

const NOTE = '下午去了黄埭镇李记五金厂，老板说厂门口货车天天堵路，还问技改补贴怎么申请'
const REGISTRY = [
  'key,kind,name,area,address,in_difficulty,difficulty_kind,size_class,above_designated_size',
  'E-001,企业,李记五金厂,黄埭镇,春旺路18号,,,小型,否',
  'E-002,企业,李记包装厂,黄埭镇,春旺路20号,,,中型,是',
  'H-001,家庭,王阿婆,冯梦龙村,冯梦龙村3组12号,是,低保,,',
  'H-002,家庭,陈大爷,黄埭社区,,否,,,',
  'P-001,项目,黄埭污水管网工程,黄埭镇,,,,,',
].join('\n')

let telegram: FakeTelegram
let database: ScratchDatabase
let app: App
let admin: User
let cadres: Chat
let handlers: Chat
let residents: Chat

beforeEach(async () => {
  telegram = await startFakeTelegram()
  database = await createScratchDatabase('sqlite')
  admin = telegram.createUser({ first_name: 'Admin', language_code: 'zh' })
  cadres = telegram.createGroup({ title: '黄埭镇干部群', quiet: true })
  handlers = telegram.createGroup({ title: '承办群', quiet: true })
  residents = telegram.createGroup({ title: '黄埭社区居民群', quiet: true })
  app = await startTestApp({ telegram, databaseUrl: database.url, adminIds: [admin.id], env: { CLASSIFY_MIN_CONFIDENCE: '0.01' } })
  const chats = createChatStore(app.database)
  await chats.bind({ chatId: residents.id, kind: 'residents', title: '居民群', areaName: '黄埭社区', departmentId: null, boundBy: admin.id })
})

afterEach(async () => {
  await app.stop()
  await telegram.close()
  await database.drop()
})

function as(user: User, chat: Chat) {
  return new TestResident(telegram, user, chat)
}

function privately(user: User): Chat {
  return { id: user.id, type: 'private', first_name: user.first_name } as Chat
}

async function bindCadresAndImport(): Promise<void> {
  as(admin, cadres).command('/bind cadres 黄埭镇')
  await telegram.waitForMessage({ chatId: cadres.id, textIncludes: '「黄埭镇」干部群' })
  telegram.sendMessage({ chat: privately(admin), from: admin, document: { file_name: 'registry.csv', mime_type: 'text/csv', data: Buffer.from(REGISTRY, 'utf8') } })
  await telegram.waitForMessage({ chatId: admin.id, textIncludes: '新增 5' })
}

async function download(fileId: string): Promise<Buffer> {
  const file = await new Api(telegram.token, { apiRoot: telegram.apiRoot }).getFile(fileId)
  const response = await fetch(`${telegram.apiRoot}/file/bot${telegram.token}/${file.file_path}`)
  return Buffer.from(await response.arrayBuffer())
}

function buttonOf(message: Message, label: string): string {
  const button = (message.reply_markup?.inline_keyboard ?? []).flat().find(b => b.text.includes(label))
  if (!button || !('callback_data' in button))
    throw new Error(`no button ${label}: ${JSON.stringify(message.reply_markup)}`)
  return button.callback_data!
}

describe('a cadre\'s visit note in one message', () => {
  it('reads the note, matches the registry, turns each problem into a ticket and echoes the handler\'s answer to the cadre', async () => {
    await bindCadresAndImport()
    // Both problems go to the department the first is classified into, so one handlers' group serves the test.
    const department = (await createOfflineClassifier(app.catalog).classify({ text: '厂门口货车天天堵路（走访李记五金厂时听到）', locationText: '黄埭镇' })).departmentId
    await createChatStore(app.database).bind({ chatId: handlers.id, kind: 'handlers', title: '承办群', areaName: null, departmentId: department, boundBy: admin.id })
    const liUser = telegram.createUser({ first_name: '李干部', language_code: 'zh' })
    const li = as(liUser, cadres)

    li.command(`/visit ${NOTE}`)
    const summary = await li.expectBot('走访记录（请核对')
    expect(summary.text).toContain('李记五金厂（企业，已登记）')
    expect(summary.text).toContain('见到：老板')
    expect(summary.text).toContain('1. 厂门口货车天天堵路')
    expect(summary.text).toContain('2. 技改补贴怎么申请')
    expect(summary.text).toMatch(/六个一：收集社情民意、促进企业创新/)
    const before = telegram.sentMessages(cadres).length

    li.press('保存并转工单', summary)
    const saved = await li.expectBot(/已保存[\s\S]*HY-[\s\S]*HY-/)
    // One message in the group for the whole note: the summary, edited in place.
    expect(telegram.sentMessages(cadres).length).toBe(before)
    const numbers = saved.text!.match(/HY-\d{8}-\d{4}/g)!
    expect(numbers).toHaveLength(2)

    const tickets = createTicketStore(app.database, { timezone: 'Asia/Shanghai' })
    const first = (await tickets.findByNumber(numbers[0]!))!
    expect(first.reporterId).toBe(liUser.id)
    expect(first.description).toContain('走访李记五金厂时听到')
    const [visit] = await createVisitStore(app.database).listByCadre(liUser.id)
    expect(visit!.problems.map(p => p.ticketId)).toEqual(expect.arrayContaining([first.id]))

    // A handler accepts and resolves the first ticket; the cadre hears of it under the note.
    const handler = telegram.createUser({ first_name: '张科长' })
    telegram.setChatMember(handlers, handler, 'member')
    const card = await telegram.waitForMessage({ chatId: handlers.id, textIncludes: numbers[0]! })
    telegram.clickButton({ chat: handlers, from: handler, message: card, data: buttonOf(telegram.getMessage(handlers, card.message_id)!, '受理') })
    await li.expectBot('已由')
    await telegram.waitForMessage({ chatId: handlers.id, textIncludes: '已受理', edits: true, from: 0 })
    telegram.clickButton({ chat: handlers, from: handler, message: card, data: buttonOf(telegram.getMessage(handlers, card.message_id)!, '办结') })
    const prompt = await telegram.waitForMessage({ chatId: handlers.id, textIncludes: '请回复本消息' })
    telegram.sendMessage({ chat: handlers, from: handler, text: '已协调交警在厂门口划定临时停车区', replyTo: prompt.message_id })
    const echo = await telegram.waitForMessage({ chatId: cadres.id, textIncludes: '临时停车区', from: 0 })
    expect(li.isFor(echo)).toBe(true)
    expect(echo.text).toContain(numbers[0]!)
    expect(echo.text).toContain('办结')

    li.command('/myvisits')
    const mine = await li.expectBot(/走访记录 #\d+ 已保存[\s\S]*已办结/)
    expect(mine.text).toContain(numbers[1]!)

    li.command('/coverage')
    const coverage = await li.expectBot('走访覆盖')
    expect(coverage.text).toContain('企业：已走访 1/2')
    expect(coverage.text).toContain('听到问题 2 个，转为工单 2 件，已办结 1 件')

    li.command('/export visits')
    const exported = await li.expectBot(/^$/)
    const csv = await download(exported.document!.file_id)
    expect([...csv.subarray(0, 3)]).toEqual([0xEF, 0xBB, 0xBF])
    const lines = csv.subarray(3).toString('utf8').trim().split('\r\n')
    expect(lines).toHaveLength(3)
    expect(lines[1]).toContain('李记五金厂,企业')
    expect(lines[1]).toContain(`厂门口货车天天堵路,${numbers[0]},已办结`)
  })

  it('reads the note with the LLM when one is configured, and files its problems the same way', async () => {
    const openai = await startFakeOpenAi({ respond: (request) => {
      if (request.body.response_format?.json_schema?.name !== 'visit_note')
        return { content: JSON.stringify(ruleClassify(request.report, parseCatalogFromPrompt(request.system), request.location)) }
      return { content: JSON.stringify({
        entityName: '李记五金厂',
        entityKind: 'enterprise',
        visitedOn: null,
        place: '黄埭镇',
        metWith: '李老板',
        heard: '货车堵路；问技改补贴',
        goals: ['opinion', 'innovation'],
        problems: ['厂门口货车天天堵路', '技改补贴不知道怎么申请', '招工难'],
      }) }
    } })
    try {
      await app.stop()
      app = await startTestApp({ telegram, databaseUrl: database.url, adminIds: [admin.id], openai, env: { OPENAI_TIMEOUT_MS: '3000' } })
      await bindCadresAndImport()
      const li = as(telegram.createUser({ first_name: '李干部', language_code: 'zh' }), cadres)
      li.command('/visit 下午去了李记五金厂，李老板说厂门口货车天天堵路，技改补贴不知道怎么申请，招工也难')
      const summary = await li.expectBot('走访记录（请核对')
      expect(summary.text).toContain('3. 招工难')
      expect(summary.text).toContain('见到：李老板')
      // The cadre unticks the third problem before filing the rest.
      li.press('问题3', summary)
      await li.expectBot('☐ 3. 招工难')
      li.press('保存并转工单', summary)
      const saved = await li.expectBot(/已保存[\s\S]*HY-[\s\S]*HY-/)
      expect(saved.text!.match(/HY-\d{8}-\d{4}/g)).toHaveLength(2)
      expect(saved.text).not.toContain('招工难')
      const [visit] = await createVisitStore(app.database).listByCadre(li.user.id)
      expect(visit!.extractor).toBe('llm:fake-model')
    }
    finally {
      await openai.close()
    }
  })

  it('asks for the note when /visit comes alone, and takes a cadre\'s private message as a note', async () => {
    await bindCadresAndImport()
    const heUser = telegram.createUser({ first_name: '何干部', language_code: 'zh' })
    telegram.setChatMember(cadres, heUser, 'member')
    const inGroup = as(heUser, cadres)
    inGroup.command('/visit')
    await inGroup.expectBot('请回复本消息，用一段话写下这次走访')
    inGroup.send({ text: '上午看望了陈大爷家，陈大爷说楼道灯坏了' })
    const summary = await inGroup.expectBot('走访记录（请核对')
    expect(summary.text).toContain('陈大爷（家庭，已登记）')
    inGroup.press('💾 保存', summary)
    await inGroup.expectBot('已保存')

    const alone = as(heUser, privately(heUser))
    alone.send({ text: '昨天去黄埭污水管网工程，项目经理说青苗补偿没谈拢' })
    const privateSummary = await alone.expectBot('走访记录（请核对')
    expect(privateSummary.text).toContain('黄埭污水管网工程（项目，已登记）')
    alone.press('💾 保存并转工单', privateSummary)
    await alone.expectBot(/已保存[\s\S]*HY-/)
    const visits = await createVisitStore(app.database).listByCadre(heUser.id)
    expect(visits.map(v => v.chatType).sort()).toEqual(['private', 'supergroup'])

    // A voice note: kept as audio with the visit, and the cadre asked for words (no transcription configured).
    const voice = telegram.sendMessage({ chat: privately(heUser), from: heUser, voice: { duration: 12 } }).message
    await alone.expectBot('语音已随走访记录保存')
    alone.send({ text: '走访了李记包装厂，厂长说想申请技改补贴' })
    const voiceSummary = await alone.expectBot('走访记录（请核对')
    alone.press('💾 保存', voiceSummary)
    // The first visit's card is edited as its ticket moves on, so only this summary's edit is the answer.
    await alone.expectBot('已保存', undefined, voiceSummary)
    const [latest] = await createVisitStore(app.database).listByCadre(heUser.id, 1)
    expect(latest!.audioFileId).toBe(voice.voice!.file_id)
    expect(latest!.note).toContain('李记包装厂')
  })

  it('takes the visit step by step for a cadre who prefers questions, ending in the same summary and save', async () => {
    await bindCadresAndImport()
    const maUser = telegram.createUser({ first_name: '马干部', language_code: 'zh' })
    const ma = as(maUser, cadres)
    ma.command('/visit 分步')
    await ma.expectBot('第 1 步')
    ma.send({ text: '李记包装厂' })
    const when = await ma.expectBot('第 2 步')
    ma.press('昨天', when)
    await ma.expectBot('第 3 步')
    ma.send({ text: '厂长说订单稳定，想扩产' })
    await ma.expectBot('第 4 步')
    ma.send({ text: '1. 厂区门口路灯不亮\n2. 想了解技改补贴怎么申请' })
    const goals = await ma.expectBot('第 5 步')
    ma.press('总结基层典型', goals)
    await telegram.waitForMessage({ chatId: cadres.id, textIncludes: '第 5 步', edits: true, from: 0 })
    ma.press('下一步', telegram.getMessage(cadres, goals.message_id)!)
    const summary = await ma.expectBot('走访记录（请核对')
    expect(summary.text).toContain('李记包装厂（企业，规上，已登记）')
    expect(summary.text).toContain('1. 厂区门口路灯不亮')
    expect(summary.text).toContain('2. 想了解技改补贴怎么申请')
    expect(summary.text).toContain('总结基层典型')
    ma.press('💾 保存', summary)
    await ma.expectBot('已保存')
    const [visit] = await createVisitStore(app.database).listByCadre(maUser.id, 1)
    expect(visit!.problems.map(p => p.text)).toEqual(['厂区门口路灯不亮', '想了解技改补贴怎么申请'])
    expect(visit!.heard).toBe('厂长说订单稳定，想扩产')
    expect(visit!.goals).toContain('model')
    expect(visit!.note).toContain('走访对象：李记包装厂')
    expect(visit!.entityId).not.toBeNull()

    // Privately the question for the note offers the steps as a button.
    telegram.setChatMember(cadres, maUser, 'member')
    const alone = as(maUser, privately(maUser))
    alone.command('/visit')
    alone.press('分步填写', await alone.expectBot('请回复本消息，用一段话写下这次走访'))
    await alone.expectBot('第 1 步')
  })

  it('transcribes a voice note where the endpoint offers it', async () => {
    // An OpenAI-compatible endpoint that offers transcription only: the extractor and the classifier fall back offline.
    const heard: string[] = []
    const endpoint = createServer((req, res) => {
      heard.push(req.url ?? '')
      if (req.url === '/v1/audio/transcriptions') {
        req.resume()
        req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ text: '走访了李记包装厂，厂长说厂区路灯坏了' })))
        return
      }
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"no route"}}')
    })
    await new Promise<void>(resolve => endpoint.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = endpoint.address() as AddressInfo
      await app.stop()
      app = await startTestApp({ telegram, databaseUrl: database.url, adminIds: [admin.id], env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`, OPENAI_TRANSCRIBE_MODEL: 'whisper-1', OPENAI_TIMEOUT_MS: '2000' } })
      await bindCadresAndImport()
      const sunUser = telegram.createUser({ first_name: '孙干部', language_code: 'zh' })
      telegram.setChatMember(cadres, sunUser, 'member')
      const sun = as(sunUser, privately(sunUser))
      telegram.sendMessage({ chat: privately(sunUser), from: sunUser, voice: { duration: 8 } })
      const summary = await sun.expectBot('走访记录（请核对')
      expect(summary.text).toContain('李记包装厂（企业')
      expect(summary.text).toContain('1. 厂区路灯坏了')
      expect(heard).toContain('/v1/audio/transcriptions')
      sun.press('✖ 取消', summary)
      await sun.expectBot('已取消')
    }
    finally {
      await new Promise(resolve => endpoint.close(resolve))
    }
  })

  it('keeps two cadres in one group apart, and lets one pick among close matches', async () => {
    await bindCadresAndImport()
    const aUser = telegram.createUser({ first_name: '周干部', language_code: 'zh' })
    const bUser = telegram.createUser({ first_name: '吴干部', language_code: 'zh' })
    const a = as(aUser, cadres)
    const b = as(bUser, cadres)

    a.command('/visit 今天走访李记厂，老板说用电负荷不够')
    const aSummary = await a.expectBot('走访记录（请核对')
    b.command('/visit 昨天走访低保户王阿婆家，王阿婆说屋顶漏水')
    const bSummary = await b.expectBot('走访记录（请核对')
    expect(bSummary.text).toContain('王阿婆（家庭，困难家庭·低保，已登记）')

    // 李记厂 is close to two registered enterprises: the cadre picks one.
    expect(aSummary.text).toContain('请在下面选择')
    // A press on someone else's summary is refused.
    const stolen = telegram.clickButton({ chat: cadres, from: aUser, message: bSummary, data: buttonOf(bSummary, '保存') })
    await telegram.waitFor(c => c.method === 'answerCallbackQuery' && c.params.callback_query_id === stolen, 5000, 0)
    a.press('李记五金厂', aSummary)
    await a.expectBot('李记五金厂（企业，已登记）')
    a.press('💾 保存', aSummary)
    b.press('💾 保存', bSummary)
    await a.expectBot('已保存')
    await b.expectBot('已保存')

    const visits = createVisitStore(app.database)
    const [aVisit] = await visits.listByCadre(aUser.id)
    const [bVisit] = await visits.listByCadre(bUser.id)
    expect(aVisit!.problems.map(p => p.text)).toEqual(['用电负荷不够'])
    expect(bVisit!.problems.map(p => p.text)).toEqual(['屋顶漏水'])
    expect(aVisit!.entityId).not.toBe(bVisit!.entityId)
    expect(bVisit!.visitedOn < aVisit!.visitedOn).toBe(true)
  })

  it('denies strangers and residents every cadre command and every registry view', async () => {
    as(admin, cadres).command('/bind cadres 火星镇')
    await telegram.waitForMessage({ chatId: cadres.id, textIncludes: '没有名为“火星镇”的区域' })
    await bindCadresAndImport()
    as(admin, cadres).command('/help')
    await telegram.waitForMessage({ chatId: cadres.id, textIncludes: '本群是「黄埭镇」干部群' })
    const stranger = telegram.createUser({ first_name: '路人', language_code: 'zh' })
    const resident = telegram.createUser({ first_name: '王阿姨', language_code: 'zh' })
    for (const command of ['/visit 走访了李记五金厂', '/coverage', '/registry', '/registry 王阿婆', '/myvisits', '/export']) {
      as(stranger, privately(stranger)).command(command)
      await as(stranger, privately(stranger)).expectBot('只有走访干部和管理员')
      as(resident, residents).command(command)
      await telegram.waitForMessage({ chatId: residents.id, textIncludes: '只有走访干部和管理员', from: telegram.sentMessages(residents).length })
    }
    as(resident, residents).command('/spotcheck')
    await telegram.waitForMessage({ chatId: residents.id, textIncludes: '只有管理员和该抽查的督查人', from: telegram.sentMessages(residents).length })
    // Not even an admin reads the registry in a residents' or handlers' group.
    await createChatStore(app.database).bind({ chatId: handlers.id, kind: 'handlers', title: '承办群', areaName: null, departmentId: app.catalog.departments[0]!.id, boundBy: admin.id })
    as(admin, handlers).command('/registry')
    await telegram.waitForMessage({ chatId: handlers.id, textIncludes: '只有走访干部和管理员' })
    // A cadre sees their own area's coverage, not a neighbour's.
    const cadre = as(telegram.createUser({ first_name: '邻镇干部', language_code: 'zh' }), cadres)
    cadre.command('/coverage 姑苏区')
    await cadre.expectBot('只能查看本区域及下级区域')
    as(admin, residents).command('/registry')
    await telegram.waitForMessage({ chatId: residents.id, textIncludes: '只有走访干部和管理员', from: telegram.sentMessages(residents).length })
    // A stranger's plain private text is no visit note, and a stranger's CSV is not imported.
    telegram.sendMessage({ chat: privately(stranger), from: stranger, document: { file_name: 'r.csv', data: Buffer.from(REGISTRY) } })
    await as(stranger, privately(stranger)).expectBot('只有管理员')
    const everything = telegram.sentMessages().map(m => m.text ?? '').join('\n')
    for (const secret of ['王阿婆', '冯梦龙村3组12号', '春旺路18号']) {
      const leaked = telegram.sentMessages(residents).concat(telegram.sentMessages(privately(stranger))).some(m => (m.text ?? '').includes(secret))
      expect(leaked, `${secret} shown to a stranger or resident`).toBe(false)
    }
    expect(everything).toBeTruthy()
  })

  it('draws a reproducible spot check among visited entities, assigns it to an inspector who records outcomes', async () => {
    await bindCadresAndImport()
    const cadre = as(telegram.createUser({ first_name: '郑干部', language_code: 'zh' }), cadres)
    for (const note of ['走访了李记五金厂，老板说一切正常', '走访了李记包装厂，厂长说订单稳定', '走访低保户王阿婆家，王阿婆说身体还好']) {
      cadre.command(`/visit ${note}`)
      const summary = await cadre.expectBot('走访记录（请核对')
      cadre.press('💾 保存', summary)
      await cadre.expectBot('已保存')
    }
    const inspectorUser = telegram.createUser({ first_name: '督查组老钱', language_code: 'zh' })
    const adminChat = as(admin, privately(admin))
    adminChat.command('/spotcheck draw 相城区 1 1 2026-11')
    const first = await adminChat.expectBot('🔎 抽查 #1')
    adminChat.command('/spotcheck draw 相城区 1 1 2026-11')
    const second = await adminChat.expectBot('🔎 抽查 #2')
    const items = (text: string) => text.split('\n').filter(l => /^\d\./.test(l))
    expect(items(second.text!)).toEqual(items(first.text!))
    expect(items(first.text!)).toHaveLength(2)
    expect(items(first.text!)[1]).toContain('王阿婆')

    const admins = telegram.createGroup({ title: '管理员群', quiet: true })
    await createChatStore(app.database).bind({ chatId: admins.id, kind: 'admins', title: '管理员群', areaName: null, departmentId: null, boundBy: admin.id })
    const hello = telegram.sendMessage({ chat: admins, from: inspectorUser, text: '我来负责这次抽查' }).message
    telegram.sendMessage({ chat: admins, from: admin, text: '/spotcheck assign 1', replyTo: hello.message_id })
    await telegram.waitForMessage({ chatId: admins.id, textIncludes: '已交给 督查组老钱' })

    const inspector = as(inspectorUser, privately(inspectorUser))
    inspector.command('/spotcheck 1 2 属实 老人记得干部来过')
    const recorded = await inspector.expectBot('走访属实 — 老人记得干部来过')
    expect(recorded.text).toContain('待核')
    const stranger = telegram.createUser({ first_name: '路人' })
    as(stranger, privately(stranger)).command('/spotcheck 1')
    await as(stranger, privately(stranger)).expectBot('只有管理员和该抽查的督查人')
    as(stranger, privately(stranger)).command('/spotcheck draw 相城区')
    await as(stranger, privately(stranger)).expectBot('只有管理员可以')

    adminChat.command('/coverage 相城区')
    const coverage = await adminChat.expectBot('「相城区」走访覆盖')
    expect(coverage.text).toContain('督查抽查：走访属实 1，待核 3')
  })

  it('shows each area with serious petitions and whether a leader covers it, as an admin records it', async () => {
    const adminChat = as(admin, privately(admin))
    adminChat.command('/coverage 相城区')
    const before = await adminChat.expectBot('「相城区」走访覆盖')
    expect(before.text).toContain('信访突出区域领导包案：0/1（0%）')
    expect(before.text).toContain('· 新巷村：⚠️ 未落实领导包案')

    const admins = telegram.createGroup({ title: '管理员群', quiet: true })
    await createChatStore(app.database).bind({ chatId: admins.id, kind: 'admins', title: '管理员群', areaName: null, departmentId: null, boundBy: admin.id })
    const leader = telegram.createUser({ first_name: '张书记', language_code: 'zh' })
    const hello = telegram.sendMessage({ chat: admins, from: leader, text: '新巷村的信访我来包' }).message
    telegram.sendMessage({ chat: admins, from: admin, text: '/leader 新巷村', replyTo: hello.message_id })
    await telegram.waitForMessage({ chatId: admins.id, textIncludes: '已登记：张书记 包案「新巷村」' })
    const stranger = telegram.createUser({ first_name: '路人' })
    as(stranger, privately(stranger)).command('/leader 新巷村')
    await as(stranger, privately(stranger)).expectBot('只有管理员可以登记领导包案')

    adminChat.command('/coverage 相城区')
    const after = await adminChat.expectBot('信访突出区域领导包案：1/1')
    expect(after.text).toContain('· 新巷村：已包案（张书记）')
    adminChat.command('/coverage')
    const city = await adminChat.expectBot('全市走访覆盖')
    expect(city.text).toContain('信访突出区域领导包案：1/2（50%）')
    expect(city.text).toContain('· 东北街社区：⚠️ 未落实领导包案')
  })
})
