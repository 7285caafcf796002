import type { Chat, Message, User } from 'grammy/types'
import type { FakeTelegram, FakeTelegramOptions } from './telegram-server.js'
import { autoRetry } from '@grammyjs/auto-retry'
import { run } from '@grammyjs/runner'
import { Bot, GrammyError, HttpError, InlineKeyboard, InputFile } from 'grammy'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { startFakeTelegram } from './telegram-server.js'
import { TINY_PNG } from './telegram/file-store.js'

/** Everything a test started, stopped in reverse order afterwards so no poll outlives its server. */
const cleanups: Array<() => Promise<void>> = []

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
})

async function fakeTelegram(options?: FakeTelegramOptions): Promise<FakeTelegram> {
  const fake = await startFakeTelegram(options)
  cleanups.push(() => fake.close())
  return fake
}

function botFor(fake: FakeTelegram): Bot {
  return new Bot(fake.token, { botInfo: fake.botInfo, client: { apiRoot: fake.apiRoot } })
}

/** Starts long polling like production does, and stops it after the test. */
function poll(bot: Bot): void {
  bot.catch((error) => {
    throw error
  })
  const running = bot.start()
  cleanups.push(async () => {
    await bot.stop()
    await running
  })
}

async function apiError(promise: Promise<unknown>): Promise<GrammyError> {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  expect(error).toBeInstanceOf(GrammyError)
  return error as GrammyError
}

async function groupSetup(): Promise<{ fake: FakeTelegram, bot: Bot, group: Chat, alice: User }> {
  const fake = await fakeTelegram()
  const bot = botFor(fake)
  bot.command('report', ctx => ctx.reply(`report from ${ctx.from?.first_name}: ${ctx.match}`))
  bot.on('message:text', ctx => ctx.reply(`echo: ${ctx.msg.text}`))
  poll(bot)
  const group = fake.createGroup({ title: 'Handlers', quiet: true })
  const alice = fake.createUser({ first_name: 'Alice', username: 'alice' })
  return { fake, bot, group, alice }
}

describe('fake Telegram with a real grammY bot on long polling', () => {
  it('delivers a group command to the bot, addressed or not, but not one for another bot', async () => {
    const { fake, group, alice } = await groupSetup()

    const sent = fake.sendMessage({ chat: group, from: alice, text: '/report pothole on Elm St' })
    expect(sent.update).toBeDefined()
    expect(sent.message.entities).toEqual([{ type: 'bot_command', offset: 0, length: 7 }])
    const reply = await fake.waitForMessage({ chatId: group.id, textIncludes: 'report from Alice' })
    expect(reply.text).toBe('report from Alice: pothole on Elm St')
    expect(reply.from?.id).toBe(fake.botInfo.id)
    expect(reply.chat).toEqual(group)

    fake.sendMessage({ chat: group, from: alice, text: `/report@${fake.botInfo.username} streetlight` })
    await fake.waitForMessage({ chatId: group.id, textIncludes: 'streetlight' })

    const other = fake.sendMessage({ chat: group, from: alice, text: '/report@some_other_bot noise' })
    expect(other.update).toBeUndefined()
  })

  it('respects privacy mode: a plain group message stays invisible, a reply to the bot or a mention does not', async () => {
    const { fake, group, alice } = await groupSetup()
    fake.sendMessage({ chat: group, from: alice, text: '/report broken bench' })
    const botMessage = await fake.waitForMessage({ chatId: group.id })

    const plain = fake.sendMessage({ chat: group, from: alice, text: 'is anyone there?' })
    expect(plain.update).toBeUndefined()
    expect(fake.lastMessageIn(group)?.text).toBe('is anyone there?')

    const reply = fake.sendMessage({ chat: group, from: alice, text: 'more details', replyTo: botMessage.message_id })
    expect(reply.update?.message?.reply_to_message?.message_id).toBe(botMessage.message_id)
    await fake.waitForMessage({ chatId: group.id, textIncludes: 'echo: more details' })

    fake.sendMessage({ chat: group, from: alice, text: `hey @${fake.botInfo.username} look` })
    await fake.waitForMessage({ chatId: group.id, textIncludes: 'echo: hey @' })
    expect(fake.sentMessages(group).map(m => m.text)).not.toContain('echo: is anyone there?')
  })

  it('lets an admin bot, or a bot without privacy mode, see every group message', async () => {
    const fake = await fakeTelegram({ privacyMode: false })
    expect(fake.botInfo.can_read_all_group_messages).toBe(true)
    const group = fake.createGroup({ title: 'Open', quiet: true })
    const bob = fake.createUser({ first_name: 'Bob' })
    expect(fake.sendMessage({ chat: group, from: bob, text: 'plain' }).update).toBeDefined()

    const strict = await fakeTelegram()
    const adminGroup = strict.createGroup({ title: 'Admin', quiet: true, botStatus: 'administrator' })
    const carol = strict.createUser({ first_name: 'Carol' })
    expect(strict.sendMessage({ chat: adminGroup, from: carol, text: 'plain' }).update).toBeDefined()
  })

  it('really long-polls: an idle bot makes a handful of getUpdates calls, and wakes at once for an update', async () => {
    const fake = await fakeTelegram()
    const bot = botFor(fake)
    bot.command('start', ctx => ctx.reply('hi'))
    poll(bot)
    await new Promise(resolve => setTimeout(resolve, 1000))
    const polls = fake.calls.filter(call => call.method === 'getUpdates').length
    expect(polls).toBeGreaterThanOrEqual(1)
    expect(polls).toBeLessThanOrEqual(3)

    const before = Date.now()
    fake.startPrivateChat(fake.createUser({ first_name: 'Dan' }))
    await fake.waitForMessage({ textIncludes: 'hi' })
    // Without a wake-up the update would wait for the 30 s poll timeout.
    expect(Date.now() - before).toBeLessThan(1500)
  })

  it('works with @grammyjs/runner too, without spinning', async () => {
    const fake = await fakeTelegram()
    const bot = botFor(fake)
    bot.command('start', ctx => ctx.reply('runner says hi'))
    const handle = run(bot)
    cleanups.push(async () => {
      if (handle.isRunning())
        await handle.stop()
    })
    const erin = fake.createUser({ first_name: 'Erin' })
    fake.startPrivateChat(erin)
    await fake.waitForMessage({ chatId: erin.id, textIncludes: 'runner says hi' })
    await new Promise(resolve => setTimeout(resolve, 500))
    expect(fake.calls.filter(call => call.method === 'getUpdates').length).toBeLessThanOrEqual(4)
  })

  it('confirms updates by offset, so a restarted bot does not see them again', async () => {
    const fake = await fakeTelegram()
    const seen: number[] = []
    const first = botFor(fake)
    first.on('message', (ctx) => {
      seen.push(ctx.update.update_id)
    })
    const frank = fake.createUser({ first_name: 'Frank' })
    fake.startPrivateChat(frank)
    fake.sendMessage({ chat: frank.id, from: frank, text: 'one' })
    const running = first.start()
    await vi.waitFor(() => expect(seen).toHaveLength(2))
    await first.stop()
    await running
    expect(fake.pendingUpdates()).toBe(0)

    const second = botFor(fake)
    second.on('message', (ctx) => {
      seen.push(ctx.update.update_id)
    })
    poll(second)
    fake.sendMessage({ chat: frank.id, from: frank, text: 'two' })
    await vi.waitFor(() => expect(seen).toHaveLength(3))
    expect(new Set(seen).size).toBe(3)
  })

  it('answers 409 Conflict to the older poll when a second instance polls', async () => {
    const fake = await fakeTelegram()
    const one = botFor(fake)
    const two = botFor(fake)
    const running = one.start().then(() => undefined, (error: unknown) => error)
    await vi.waitFor(() => expect(fake.calls.some(call => call.method === 'getUpdates' && !call.done)).toBe(true))
    poll(two)
    const error = await running
    expect(error).toBeInstanceOf(GrammyError)
    expect((error as GrammyError).error_code).toBe(409)
  })

  it('injects a 429 with retry_after; the auto-retry plugin waits and succeeds', async () => {
    const fake = await fakeTelegram()
    const user = fake.createUser({ first_name: 'Gina' })
    fake.startPrivateChat(user)
    const bot = botFor(fake)

    fake.failNext('sendMessage', { error_code: 429, retry_after: 1 })
    const error = await apiError(bot.api.sendMessage(user.id, 'hello'))
    expect(error.error_code).toBe(429)
    expect(error.description).toBe('Too Many Requests: retry after 1')
    expect(error.parameters.retry_after).toBe(1)

    bot.api.config.use(autoRetry())
    fake.failNext('sendMessage', { error_code: 429, retry_after: 1 })
    const start = Date.now()
    const message = await bot.api.sendMessage(user.id, 'hello again')
    expect(Date.now() - start).toBeGreaterThanOrEqual(900)
    expect(message.text).toBe('hello again')
    const outcomes = fake.calls.filter(c => c.method === 'sendMessage').map(c => (c.response?.ok ? 'ok' : c.response?.error_code))
    expect(outcomes).toEqual([429, 429, 'ok'])
  })

  it('injects 5xx, delays and dropped connections', async () => {
    const fake = await fakeTelegram()
    const user = fake.createUser({ first_name: 'Hank' })
    fake.startPrivateChat(user)
    const bot = botFor(fake)

    fake.failNext('sendMessage', { error_code: 502 })
    expect((await apiError(bot.api.sendMessage(user.id, 'x'))).description).toBe('Bad Gateway')

    fake.setDelay('sendMessage', 200)
    const start = Date.now()
    await bot.api.sendMessage(user.id, 'slow')
    expect(Date.now() - start).toBeGreaterThanOrEqual(190)
    fake.setDelay('sendMessage', 0)

    // Lost before Telegram acted: nothing was sent.
    fake.failNetworkNext('sendMessage')
    await expect(bot.api.sendMessage(user.id, 'lost request')).rejects.toBeInstanceOf(HttpError)
    expect(fake.sentMessages(user.id).map(m => m.text)).not.toContain('lost request')

    // Lost after Telegram acted: the message exists although the bot saw an error, so a retry would duplicate it.
    fake.failNetworkNext('sendMessage', { when: 'after' })
    await expect(bot.api.sendMessage(user.id, 'lost response')).rejects.toBeInstanceOf(HttpError)
    expect(fake.sentMessages(user.id).map(m => m.text)).toContain('lost response')
    expect(fake.calls.at(-1)).toMatchObject({ method: 'sendMessage', injected: 'network-after', response: undefined })
  })

  it('rejects Markdown, MarkdownV2 and HTML that Telegram can\'t parse, with Telegram\'s descriptions', async () => {
    const fake = await fakeTelegram()
    const user = fake.createUser({ first_name: 'Ivy' })
    fake.startPrivateChat(user)
    const bot = botFor(fake)

    const markdown = await apiError(bot.api.sendMessage(user.id, 'Report *urgent: snake_case street', { parse_mode: 'Markdown' }))
    expect(markdown.error_code).toBe(400)
    expect(markdown.description).toBe('Bad Request: can\'t parse entities: Can\'t find end of the entity starting at byte offset 7')

    const v2 = await apiError(bot.api.sendMessage(user.id, 'Ticket #12 received.', { parse_mode: 'MarkdownV2' }))
    expect(v2.description).toBe('Bad Request: can\'t parse entities: Character \'#\' is reserved and must be escaped with the preceding \'\\\'')

    const html = await apiError(bot.api.sendMessage(user.id, '<b>Status: <i>open</b>', { parse_mode: 'HTML' }))
    expect(html.description).toBe(
      'Bad Request: can\'t parse entities: Unmatched end tag at byte offset 18, expected "</i>", found "</b>"',
    )
    const lt = await apiError(bot.api.sendMessage(user.id, 'water level < 5 cm', { parse_mode: 'HTML' }))
    expect(lt.description).toBe('Bad Request: can\'t parse entities: Unsupported start tag "" at byte offset 12')

    const ok = await bot.api.sendMessage(user.id, '<b>Ticket</b> #12 &lt;new&gt;', { parse_mode: 'HTML' })
    expect(ok.text).toBe('Ticket #12 <new>')
    expect(ok.entities).toEqual([{ type: 'bold', offset: 0, length: 6 }])

    const outOfRange = await apiError(bot.api.sendMessage(user.id, 'short', { entities: [{ type: 'bold', offset: 2, length: 10 }] }))
    expect(outOfRange.description).toMatch(/^Bad Request: can't parse entities: .*ends after the end of the text/)
  })

  it('enforces text and caption limits', async () => {
    const fake = await fakeTelegram()
    const user = fake.createUser({ first_name: 'Jack' })
    fake.startPrivateChat(user)
    const bot = botFor(fake)

    expect((await apiError(bot.api.sendMessage(user.id, 'x'.repeat(4097)))).description).toBe('Bad Request: message is too long')
    expect((await bot.api.sendMessage(user.id, 'x'.repeat(4096))).text).toHaveLength(4096)
    // The limit applies after markup is parsed.
    await bot.api.sendMessage(user.id, `<b>${'y'.repeat(4096)}</b>`, { parse_mode: 'HTML' })
    expect((await apiError(bot.api.sendMessage(user.id, ''))).description).toBe('Bad Request: message text is empty')
    expect((await apiError(bot.api.sendMessage(user.id, '<b></b>', { parse_mode: 'HTML' }))).description).toBe(
      'Bad Request: message text is empty',
    )
    const caption = await apiError(bot.api.sendPhoto(user.id, new InputFile(TINY_PNG), { caption: 'c'.repeat(1025) }))
    expect(caption.description).toBe('Bad Request: message caption is too long')
  })

  it('refuses users who blocked the bot or never started it, and unknown chats', async () => {
    const fake = await fakeTelegram()
    const bot = botFor(fake)
    const kate = fake.createUser({ first_name: 'Kate' })

    const neverStarted = await apiError(bot.api.sendMessage(kate.id, 'hello'))
    expect(neverStarted.error_code).toBe(403)
    expect(neverStarted.description).toBe('Forbidden: bot can\'t initiate conversation with a user')

    fake.startPrivateChat(kate)
    await bot.api.sendMessage(kate.id, 'welcome')
    fake.blockBot(kate)
    const blocked = await apiError(bot.api.sendMessage(kate.id, 'your ticket was closed'))
    expect(blocked.error_code).toBe(403)
    expect(blocked.description).toBe('Forbidden: bot was blocked by the user')

    // Writing to the bot again unblocks it, as in Telegram.
    fake.sendMessage({ chat: kate.id, from: kate, text: 'sorry' })
    await bot.api.sendMessage(kate.id, 'welcome back')

    expect((await apiError(bot.api.sendMessage(-1001, 'x'))).description).toBe('Bad Request: chat not found')
    const group = fake.createGroup({ title: 'Left', quiet: true })
    fake.setChatMember(group, fake.botInfo.id, 'kicked')
    expect((await apiError(bot.api.sendMessage(group.id, 'x'))).description).toBe('Forbidden: bot was kicked from the supergroup chat')
  })

  it('validates replies, edits and deletions like Telegram', async () => {
    const fake = await fakeTelegram()
    const bot = botFor(fake)
    const lee = fake.createUser({ first_name: 'Lee' })
    const { message: start } = fake.startPrivateChat(lee)

    const reply = await bot.api.sendMessage(lee.id, 'got it', { reply_parameters: { message_id: start.message_id } })
    expect(reply.reply_to_message?.text).toBe('/start')
    expect(reply.message_id).toBe(start.message_id + 1)
    const missing = await apiError(bot.api.sendMessage(lee.id, 'x', { reply_parameters: { message_id: 999 } }))
    expect(missing.description).toBe('Bad Request: message to be replied not found')
    const lenient = await bot.api.sendMessage(lee.id, 'x', { reply_parameters: { message_id: 999, allow_sending_without_reply: true } })
    expect(lenient.reply_to_message).toBeUndefined()

    const keyboard = new InlineKeyboard().text('Close', 'close:1')
    const card = await bot.api.sendMessage(lee.id, 'Ticket #1', { reply_markup: keyboard })
    expect(card.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Close', callback_data: 'close:1' }]] })
    const same = await apiError(bot.api.editMessageText(lee.id, card.message_id, 'Ticket #1', { reply_markup: keyboard }))
    expect(same.description).toMatch(/^Bad Request: message is not modified: /)
    // Editing without reply_markup drops the keyboard, as Telegram does.
    const edited = await bot.api.editMessageText(lee.id, card.message_id, 'Ticket #1 (closed)')
    expect(edited).toMatchObject({ text: 'Ticket #1 (closed)', edit_date: expect.any(Number) })
    expect(fake.getMessage(lee.id, card.message_id)?.reply_markup).toBeUndefined()
    // Dropping the formatting is a change, even with the same text.
    const bold = await bot.api.sendMessage(lee.id, '<b>Due</b>', { parse_mode: 'HTML' })
    expect(await bot.api.editMessageText(lee.id, bold.message_id, 'Due')).not.toHaveProperty('entities')
    expect((await apiError(bot.api.editMessageText(lee.id, 999, 'x'))).description).toBe('Bad Request: message to edit not found')
    expect((await apiError(bot.api.editMessageText(lee.id, start.message_id, 'x'))).description).toBe(
      'Bad Request: message can\'t be edited',
    )

    expect(await bot.api.deleteMessage(lee.id, card.message_id)).toBe(true)
    expect((await apiError(bot.api.deleteMessage(lee.id, card.message_id))).description).toBe(
      'Bad Request: message to delete not found',
    )
    const tooLong = await apiError(bot.api.sendMessage(lee.id, 'x', { reply_markup: new InlineKeyboard().text('A', 'a'.repeat(65)) }))
    expect(tooLong.description).toBe('Bad Request: BUTTON_DATA_INVALID')
  })

  it('accepts a multipart photo upload, and serves it back through getFile and the file URL', async () => {
    const fake = await fakeTelegram()
    const bot = botFor(fake)
    const mia = fake.createUser({ first_name: 'Mia' })
    fake.startPrivateChat(mia)

    const message = await bot.api.sendPhoto(mia.id, new InputFile(TINY_PNG, 'pothole.png'), {
      caption: '<b>Pothole</b> on Elm St',
      parse_mode: 'HTML',
      reply_markup: new InlineKeyboard().text('Accept', 'accept:7'),
    })
    expect(message.caption).toBe('Pothole on Elm St')
    expect(message.caption_entities).toEqual([{ type: 'bold', offset: 0, length: 7 }])
    const largest = message.photo!.at(-1)!
    expect(largest).toMatchObject({ width: 1, height: 1, file_size: TINY_PNG.length })
    const call = fake.calls.find(c => c.method === 'sendPhoto')!
    expect(call.uploads).toEqual([expect.objectContaining({ filename: 'pothole.png', size: TINY_PNG.length })])
    expect(call.params.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Accept', callback_data: 'accept:7' }]] })

    const file = await bot.api.getFile(largest.file_id)
    const download = await fetch(`${fake.apiRoot}/file/bot${fake.token}/${file.file_path}`)
    expect(Buffer.from(await download.arrayBuffer()).equals(TINY_PNG)).toBe(true)

    // Resending by file_id gives the same sizes; garbage bytes are not a photo.
    const again = await bot.api.sendPhoto(mia.id, largest.file_id)
    expect(again.photo).toEqual(message.photo)
    const garbage = await apiError(bot.api.sendPhoto(mia.id, new InputFile(Buffer.from('not an image'))))
    expect(garbage.description).toBe('Bad Request: IMAGE_PROCESS_FAILED')
    expect((await apiError(bot.api.getFile('nope'))).description).toBe('Bad Request: invalid file_id')

    // A user's photo arrives with realistic sizes whose files can be fetched.
    const { message: fromUser } = fake.sendMessage({ chat: mia.id, from: mia, photo: true, caption: 'here' })
    expect(fromUser.photo!.map(p => p.width)).toEqual([90, 320, 800, 1280])
    expect(new Set(fromUser.photo!.map(p => p.file_unique_id)).size).toBe(4)
    expect((await bot.api.getFile(fromUser.photo![3]!.file_id)).file_path).toMatch(/^photos\//)
  })

  it('copies and forwards a resident report into a group, and sends locations', async () => {
    const fake = await fakeTelegram()
    const bot = botFor(fake)
    const vera = fake.createUser({ first_name: 'Vera' })
    fake.startPrivateChat(vera)
    const group = fake.createGroup({ title: 'Handlers', quiet: true })
    const { message: report } = fake.sendMessage({ chat: vera, from: vera, photo: { width: 4000, height: 3000 }, caption: 'Broken pipe' })
    expect(report.photo!.map(p => [p.width, p.height])).toEqual([[90, 68], [320, 240], [800, 600], [1280, 960]])

    const { message_id: copyId } = await bot.api.copyMessage(group.id, vera.id, report.message_id, { caption: 'Ticket #3' })
    expect(fake.getMessage(group, copyId)).toMatchObject({ caption: 'Ticket #3', photo: report.photo, from: { id: fake.botInfo.id } })
    const forwarded = await bot.api.forwardMessage(group.id, vera.id, report.message_id)
    expect(forwarded.forward_origin).toEqual({ type: 'user', sender_user: vera, date: report.date })
    expect((await apiError(bot.api.copyMessage(group.id, vera.id, 999))).description).toBe('Bad Request: message to copy not found')

    const location = await bot.api.sendLocation(vera.id, 31.2304, 121.4737)
    expect(location.location).toEqual({ latitude: 31.2304, longitude: 121.4737 })
    expect((await apiError(bot.api.sendLocation(vera.id, 91, 0))).description).toBe('Bad Request: wrong latitude specified')
  })

  it('sends a media group and records it per chat', async () => {
    const fake = await fakeTelegram()
    const bot = botFor(fake)
    const group = fake.createGroup({ title: 'Media', quiet: true })
    const messages: Message[] = await bot.api.sendMediaGroup(group.id, [
      { type: 'photo', media: new InputFile(TINY_PNG), caption: 'first' },
      { type: 'photo', media: new InputFile(TINY_PNG) },
    ])
    expect(messages).toHaveLength(2)
    expect(messages[0]!.media_group_id).toBe(messages[1]!.media_group_id)
    expect(fake.sentMessages(group)).toHaveLength(2)
    const single = await apiError(bot.api.sendMediaGroup(group.id, [{ type: 'photo', media: new InputFile(TINY_PNG) }]))
    expect(single.description).toBe('Bad Request: media group must include 2-10 items')
  })

  it('flows a button click through answerCallbackQuery', async () => {
    const fake = await fakeTelegram()
    const bot = botFor(fake)
    bot.command('start', ctx => ctx.reply('Confirm your report?', { reply_markup: new InlineKeyboard().text('Yes', 'confirm') }))
    bot.callbackQuery('confirm', async (ctx) => {
      await ctx.answerCallbackQuery({ text: 'Thanks!' })
      await ctx.editMessageText('Report confirmed')
    })
    poll(bot)
    const nina = fake.createUser({ first_name: 'Nina', language_code: 'zh-hans' })
    fake.startPrivateChat(nina)
    const question = await fake.waitForMessage({ chatId: nina.id, textIncludes: 'Confirm' })

    expect(() => fake.clickButton({ chat: nina.id, from: nina, message: question, data: 'nope' })).toThrow(/no button/)
    const queryId = fake.clickButton({ chat: nina.id, from: nina, message: question, data: 'confirm' })
    await fake.waitForMessage({ chatId: nina.id, textIncludes: 'Report confirmed', edits: true })
    expect(fake.callbackAnswers).toEqual([expect.objectContaining({ callbackQueryId: queryId, text: 'Thanks!' })])
    expect(fake.getMessage(nina.id, question.message_id)?.text).toBe('Report confirmed')

    const twice = await apiError(bot.api.answerCallbackQuery(queryId))
    expect(twice.description).toBe('Bad Request: query is too old and response timeout expired or query ID is invalid')
    // The edit removed the keyboard, so the button cannot be pressed again.
    expect(() => fake.clickButton({ chat: nina.id, from: nina, message: question, data: 'confirm' })).toThrow(/no button/)
  })

  it('enforces flood limits when asked: bursts in a private chat, 20 per minute in a group', async () => {
    const fake = await fakeTelegram({ rateLimits: true })
    const bot = botFor(fake)
    const olga = fake.createUser({ first_name: 'Olga' })
    fake.startPrivateChat(olga)
    for (let i = 0; i < 3; i++) await bot.api.sendMessage(olga.id, `burst ${i}`)
    const limited = await apiError(bot.api.sendMessage(olga.id, 'one too many'))
    expect(limited.error_code).toBe(429)
    expect(limited.parameters.retry_after).toBe(1)

    const group = fake.createGroup({ title: 'Busy', quiet: true })
    for (let i = 0; i < 20; i++) await bot.api.sendMessage(group.id, `card ${i}`)
    const groupLimited = await apiError(bot.api.sendMessage(group.id, 'card 21'))
    expect(groupLimited.parameters.retry_after).toBeGreaterThan(50)
  })

  it('answers getChatMember, getChatAdministrators, getChat and command settings', async () => {
    const fake = await fakeTelegram()
    const bot = botFor(fake)
    const owner = fake.createUser({ first_name: 'Pat' })
    const group = fake.createGroup({ title: 'Dept', owner })
    expect(fake.pendingUpdates()).toBe(2)
    const quinn = fake.createUser({ first_name: 'Quinn' })
    const rita = fake.createUser({ first_name: 'Rita' })
    fake.sendMessage({ chat: group, from: quinn, text: 'hello' })
    fake.setChatMember(group, rita, 'administrator')

    expect((await bot.api.getChatMember(group.id, quinn.id)).status).toBe('member')
    expect((await bot.api.getChatMember(group.id, fake.createUser({ first_name: 'Sam' }).id)).status).toBe('left')
    expect((await bot.api.getChatMember(group.id, fake.botInfo.id)).status).toBe('member')
    const admins = await bot.api.getChatAdministrators(group.id)
    expect(admins.map(a => [a.user.first_name, a.status])).toEqual([['Pat', 'creator'], ['Rita', 'administrator']])
    expect(await bot.api.getChat(group.id)).toMatchObject({ id: group.id, type: 'supergroup', title: 'Dept' })

    await bot.api.setMyCommands([{ command: 'report', description: 'Report a problem' }])
    expect(await bot.api.getMyCommands()).toEqual([{ command: 'report', description: 'Report a problem' }])
    expect((await apiError(bot.api.setMyCommands([{ command: 'Report', description: 'x' }]))).description).toBe(
      'Bad Request: BOT_COMMAND_INVALID',
    )
    expect(await bot.api.setChatMenuButton({ menu_button: { type: 'commands' } })).toBe(true)
    expect(await bot.api.sendChatAction(group.id, 'typing')).toBe(true)
  })

  it('answers HTTP like Telegram: 401 for a wrong token, 404 for unknown methods, form bodies accepted', async () => {
    const fake = await fakeTelegram()
    const wrong = await fetch(`${fake.apiRoot}/bot123:wrong/getMe`)
    expect(wrong.status).toBe(401)
    expect(await wrong.json()).toEqual({ ok: false, error_code: 401, description: 'Unauthorized' })
    const unknown = await fetch(`${fake.apiRoot}/bot${fake.token}/sendTelepathy`, { method: 'POST' })
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual({ ok: false, error_code: 404, description: 'Not Found' })

    const user = fake.createUser({ first_name: 'Tom' })
    fake.startPrivateChat(user)
    const form = await fetch(`${fake.apiRoot}/bot${fake.token}/sendmessage`, {
      method: 'POST',
      body: new URLSearchParams({ chat_id: String(user.id), text: 'via form', reply_markup: '{"inline_keyboard":[[{"text":"A","callback_data":"a"}]]}' }),
    })
    const answer = (await form.json()) as { ok: boolean, result: { text: string, reply_markup: unknown } }
    expect(answer.ok).toBe(true)
    expect(answer.result.text).toBe('via form')
    expect(fake.calls.at(-1)?.params.chat_id).toBe(user.id)
  })

  it('times out waitFor with a dump of the recent calls', async () => {
    const fake = await fakeTelegram()
    const bot = botFor(fake)
    const uma = fake.createUser({ first_name: 'Uma' })
    fake.startPrivateChat(uma)
    await bot.api.sendMessage(uma.id, 'something else')
    await expect(fake.waitForMessage({ textIncludes: 'never sent' }, 100)).rejects.toThrow(
      /no matching Bot API call within 100 ms[\s\S]*sendMessage\(chat_id=\d+ text="something else"\) → ok/,
    )
    expect(fake.internalErrors).toEqual([])
  })
})
