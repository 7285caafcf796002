import type { App } from '#root/app.js'
import type { Logger } from '#root/logger.js'
import type { Chat, Message, User } from 'grammy/types'
import type { FakeOpenAi } from '../fakes/openai-server.js'
import type { FakeTelegram } from '../fakes/telegram-server.js'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp } from '#root/app.js'
import { createConfig } from '#root/config.js'
import { expect } from 'vitest'
import { testLogger } from './database.js'

export interface TestAppOptions {
  telegram: FakeTelegram
  databaseUrl: string
  openai?: FakeOpenAi
  adminIds?: number[]
  spoolFile?: string
  /** The inbox of received updates; a fresh one by default. Pass the same path to a restarted app. */
  inboxFile?: string
  env?: Record<string, string>
  /** False keeps queued messages unsent, standing in for a bot that died before sending them. */
  deliverOutbox?: boolean
  /** Default: silent. */
  logger?: Logger
  /** False: skip getMe at start, as tests do by default (the fake's botInfo is passed); true: ask the server. */
  askGetMe?: boolean
  /** The clock of deadlines and the scheduler. */
  now?: () => Date
}

/** A path for an inbox of received updates in a fresh temporary folder. */
export function temporaryInboxFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'huiyin-inbox-')), 'inbox.jsonl')
}

/** Starts the real application (src/app.ts) against the fake servers, exactly as main.ts would. */
export async function startTestApp(options: TestAppOptions): Promise<App> {
  const config = createConfig({
    BOT_TOKEN: options.telegram.token,
    TELEGRAM_API_ROOT: options.telegram.apiRoot,
    DATABASE_URL: options.databaseUrl,
    ADMIN_IDS: (options.adminIds ?? []).join(','),
    SPOOL_FILE: options.spoolFile ?? join(mkdtempSync(join(tmpdir(), 'huiyin-spool-')), 'spool.jsonl'),
    INBOX_FILE: options.inboxFile ?? temporaryInboxFile(),
    LOG_LEVEL: 'silent',
    ...(options.openai
      ? { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: options.openai.baseURL, OPENAI_MODEL: 'fake-model', OPENAI_TIMEOUT_MS: '400' }
      : {}),
    ...options.env,
  })
  const app = await createApp(config, {
    logger: options.logger ?? testLogger,
    ...(options.askGetMe ? {} : { botInfo: options.telegram.botInfo }),
    deliver: options.deliverOutbox ?? true,
    ...(options.now ? { now: options.now } : {}),
  })
  await app.start()
  return app
}

/**
 * A resident as a test plays them: sends messages, answers the bot's questions by replying to them (as group
 * privacy mode requires) and presses buttons on the bot's messages meant for them.
 */
export class TestResident {
  /** `waitMs`: how long to wait for each answer of the bot; longer for a bot running in another process. */
  constructor(readonly telegram: FakeTelegram, readonly user: User, readonly chat: Chat, readonly waitMs = 5000) {}

  /** Sends a message; in a group, as a reply to the bot's latest message to this resident. */
  send(content: { text?: string, photo?: true, caption?: string, location?: { latitude: number, longitude: number }, contact?: { phone_number: string }, sticker?: true }, options: { replyTo?: number | null } = {}): Message {
    const replyTo = options.replyTo === undefined
      ? (this.chat.type === 'private' ? undefined : this.lastBotMessage()?.message_id)
      : options.replyTo ?? undefined
    return this.telegram.sendMessage({ chat: this.chat, from: this.user, ...content, ...(replyTo ? { replyTo } : {}) }).message
  }

  command(text: string): Message {
    return this.telegram.sendMessage({ chat: this.chat, from: this.user, text }).message
  }

  /** The bot's latest message in this chat that is addressed to this resident (a reply to them, or mentioning them). */
  lastBotMessage(): Message | undefined {
    return [...this.telegram.sentMessages(this.chat)].reverse().find(m => this.isFor(m))
  }

  isFor(message: Message): boolean {
    return isAddressedTo(message, this.chat, this.user.id)
  }

  /**
   * Waits for the bot to say something containing `text` to this resident; with `onMessage`, only in that message
   * (an edit of it), so that a late edit of an older message cannot stand in for the answer awaited.
   */
  async expectBot(text: string | RegExp, timeoutMs = this.waitMs, onMessage?: Message): Promise<Message> {
    let found: Message | undefined
    await this.telegram.waitFor((call) => {
      const result = call.response?.ok ? call.response.result as Message : undefined
      if (!result || typeof result !== 'object' || !('message_id' in result) || result.chat.id !== this.chat.id)
        return false
      if (onMessage && result.message_id !== onMessage.message_id)
        return false
      const body = result.text ?? result.caption ?? ''
      if (!(typeof text === 'string' ? body.includes(text) : text.test(body)) || !this.isFor(result))
        return false
      found = result
      return true
    }, timeoutMs)
    return found!
  }

  /** Presses the button labelled with `label` on a bot message (default: the latest one for this resident). */
  press(label: string, message = this.lastBotMessage()): string {
    if (!message)
      throw new Error('no bot message to press a button on')
    const current = this.telegram.getMessage(this.chat, message.message_id) ?? message
    const button = (current.reply_markup?.inline_keyboard ?? []).flat().find(b => b.text.includes(label))
    if (!button || !('callback_data' in button))
      throw new Error(`no button "${label}" on message ${message.message_id}: ${JSON.stringify(current.reply_markup)}`)
    return this.telegram.clickButton({ chat: this.chat, from: this.user, message: current, data: button.callback_data! })
  }

  // The steps of a report in Chinese, each waiting for the bot's next message.

  async startReport(): Promise<void> {
    this.command('/report')
    await this.expectBot('描述')
  }

  /** Answers the description question; resolves with the summary (or, in private, the place question). */
  async describe(text: string): Promise<Message> {
    this.send({ text })
    return this.expectBot(this.chat.type === 'private' ? /哪里|请核对/ : '请核对')
  }

  /** Gives the place: in a private chat when asked, in a group through the summary's place button. */
  async givePlace(place: string): Promise<Message> {
    if (this.chat.type !== 'private' || !this.lastBotMessage()?.text?.includes('哪里')) {
      this.press('地点')
      await this.expectBot('哪里')
    }
    this.send({ text: place })
    return this.expectBot('请核对')
  }

  /** Adds `count` photos through the summary's photo button; resolves with the new summary. */
  async givePhotos(count: number): Promise<Message> {
    this.press('照片')
    await this.expectBot('照片')
    for (let i = 1; i <= count; i++) {
      this.send({ photo: true })
      if (this.chat.type === 'private' && i < count)
        await this.expectBot(`已收到 ${i} 张照片`)
    }
    if (count < 5)
      this.press(this.chat.type === 'private' && count === 0 ? '跳过' : '完成')
    return this.expectBot('请核对')
  }

  /** Submits the summary and returns the ticket number the bot announced. */
  async confirm(): Promise<string> {
    this.press('确认提交')
    return ticketNumberIn(await this.expectBot('已登记'))
  }

  /** Walks a complete report and returns the ticket number the bot announced. */
  async reportProblem(description: string, place = '星湖街 8 号', options: { photos?: number } = {}): Promise<string> {
    await this.startReport()
    await this.describe(description)
    await this.givePlace(place)
    if (options.photos)
      await this.givePhotos(options.photos)
    return this.confirm()
  }
}

/** Whether a bot message in `chat` is meant for the user: anything in their private chat; in a group, a reply to them or a mention of them. */
export function isAddressedTo(message: Message, chat: Chat, userId: number): boolean {
  if (chat.type === 'private')
    return true
  return message.reply_to_message?.from?.id === userId
    || (message.entities ?? []).some(e => (e.type === 'text_mention' && e.user.id === userId)
      || (e.type === 'text_link' && e.url === `tg://user?id=${userId}`))
}

export function ticketNumberIn(message: Message): string {
  const number = /HY-\d{8}-\d{4,}/.exec(message.text ?? '')?.[0]
  expect(number, `no ticket number in: ${message.text}`).toBeDefined()
  return number!
}

/** Waits for a condition on state a test cannot subscribe to (a call in flight, a file, a counter), checking every 20 ms. */
export async function until(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting until ${what}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}
