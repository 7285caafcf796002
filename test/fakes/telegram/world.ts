import type {
  BotCommand,
  CallbackQuery,
  Chat,
  ChatFullInfo,
  ChatMember,
  Contact,
  InlineKeyboardButton,
  InlineKeyboardMarkup,
  Location,
  Message,
  PhotoSize,
  Sticker,
  Update,
  User,
  UserFromGetMe,
} from 'grammy/types'
import type { FileKind, StoredFile } from './file-store.js'
import type { FormattedText } from './formatting.js'
import type { UploadedFile } from './http-body.js'
import type { RateLimitOptions } from './rate-limiter.js'
import { ApiError, badRequest, forbidden, tooManyRequests } from './api-error.js'
import { FileStore, imageSize, MAX_DOWNLOAD_SIZE } from './file-store.js'
import { checkEntities, detectEntities, parseFormatted } from './formatting.js'
import { RateLimiter, TELEGRAM_RATE_LIMITS } from './rate-limiter.js'
import { UpdateQueue } from './update-queue.js'

/** A chat member's status, as getChatMember reports it. */
export type MemberStatus = ChatMember['status']

/** Options of the simulated Telegram that do not concern HTTP. */
export interface WorldOptions {
  /** Bot token; its numeric prefix is the bot's user id. */
  token?: string
  botUsername?: string
  botFirstName?: string
  /** Group privacy mode (default true, as for every new bot): see {@link TelegramWorld.sendMessage}. */
  privacyMode?: boolean
  /** Flood limits: off by default; `true` for Telegram's, or your own numbers. */
  rateLimits?: boolean | Partial<RateLimitOptions>
  /** How long a callback query can be answered (Telegram: about 15 s). */
  callbackQueryTtlMs?: number
}

/** A chat argument of a test-side action: the chat object, its id, or the user whose private chat it is. */
export type ChatRef = Chat | ChatFullInfo | User | number
/** A user argument of a test-side action: the user object or its id. */
export type UserRef = User | number

/** What a test-side user action produced. `update` is undefined when the bot does not get to see the message. */
export interface UserAction {
  message: Message
  update: Update | undefined
}

/** What setWebhook set. */
export interface WebhookSetting {
  url: string
  secret?: string
  allowedUpdates?: string[]
}

/** An answerCallbackQuery the bot made. */
export interface CallbackAnswer {
  callbackQueryId: string
  text?: string
  showAlert?: boolean
  url?: string
  cacheTime?: number
  time: number
}

/** What a user's message contains; see {@link TelegramWorld.sendMessage}. */
export interface UserMessageOptions {
  chat: ChatRef
  from: UserRef
  text?: string
  /** A caption for a photo or document. */
  caption?: string
  /** `true` for a 1280×960 photo, or its size. */
  photo?: true | { width?: number, height?: number }
  location?: { latitude: number, longitude: number, horizontal_accuracy?: number }
  contact?: { phone_number: string, first_name?: string, last_name?: string, user_id?: number }
  /** `true` or the sticker's emoji. */
  sticker?: true | string
  document?: { file_name: string, mime_type?: string, data?: Buffer }
  voice?: { duration: number }
  /** The message id in the same chat that this message replies to. */
  replyTo?: number
}

interface UserState {
  user: User
  started: boolean
  blocked: boolean
}

interface ChatState {
  chat: Chat
  nextMessageId: number
  messages: Map<number, Message>
  /** Explicitly set statuses; users who wrote in the chat count as members otherwise. */
  statuses: Map<number, MemberStatus>
  seen: Set<number>
  botSent: Message[]
  chatInstance: string
}

interface CallbackState {
  query: CallbackQuery
  createdAt: number
  answered: boolean
}

/** Parameters of one Bot API call, coerced per field as Telegram does for form-encoded requests. */
export class Params {
  constructor(
    readonly raw: Record<string, unknown>,
    readonly files: Map<string, UploadedFile> = new Map(),
  ) {}

  has(name: string): boolean {
    const value = this.raw[name]
    return value !== undefined && value !== null && value !== ''
  }

  string(name: string): string | undefined {
    const value = this.raw[name]
    if (value === undefined || value === null)
      return undefined
    return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value)
  }

  int(name: string): number | undefined {
    const value = this.raw[name]
    if (value === undefined || value === null || value === '')
      return undefined
    const n = typeof value === 'number' ? value : Number(value)
    if (!Number.isInteger(n))
      throw badRequest(`invalid ${name} specified`)
    return n
  }

  number(name: string): number | undefined {
    const value = this.raw[name]
    if (value === undefined || value === null || value === '')
      return undefined
    const n = typeof value === 'number' ? value : Number(value)
    if (!Number.isFinite(n))
      throw badRequest(`invalid ${name} specified`)
    return n
  }

  bool(name: string): boolean {
    const value = this.raw[name]
    return value === true || value === 'true' || value === '1' || value === 1
  }

  /** Objects arrive as JSON strings in form-encoded requests and as objects in JSON requests. */
  json(name: string, error = `can't parse ${name} JSON object`): unknown {
    const value = this.raw[name]
    if (typeof value !== 'string')
      return value
    try {
      return JSON.parse(value)
    }
    catch {
      throw badRequest(error)
    }
  }
}

/** Stable JSON for "is it the same?" comparisons (edits that change nothing). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v)
}

const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
])

const BUTTON_KINDS = [
  'url',
  'callback_data',
  'web_app',
  'login_url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'copy_text',
  'callback_game',
  'pay',
] as const

function now(): number {
  return Math.floor(Date.now() / 1000)
}

function chatKind(chat: Chat): string {
  return `${chat.type} chat`
}

/** Drops `reply_to_message` from a replied-to message: Telegram never nests replies more than one level. */
function asReplied(message: Message): ReplyMessage {
  const { reply_to_message: _nested, ...rest } = message
  return rest as ReplyMessage
}

type ReplyMessage = NonNullable<Message['reply_to_message']>

type Handler = (p: Params, signal: AbortSignal) => unknown

/**
 * The simulated Telegram behind the fake server: users, chats, messages, files and the bot's update queue, the Bot
 * API methods the bot calls, and the actions tests take as users. It holds no HTTP; see `telegram-server.ts`.
 */
export class TelegramWorld {
  readonly token: string
  readonly botInfo: UserFromGetMe
  /** Every answerCallbackQuery, in order. */
  readonly callbackAnswers: CallbackAnswer[] = []
  protected readonly files = new FileStore()
  protected readonly queue = new UpdateQueue()
  private webhookSetting: WebhookSetting | undefined
  private readonly privacyMode: boolean
  private readonly callbackTtlMs: number
  private readonly limiter: RateLimiter | undefined
  private readonly users = new Map<number, UserState>()
  private readonly chats = new Map<number, ChatState>()
  private readonly chatsByUsername = new Map<string, ChatState>()
  private readonly allBotSent: Message[] = []
  private readonly callbacks = new Map<string, CallbackState>()
  private readonly commands = new Map<string, BotCommand[]>()
  private readonly menuButtons = new Map<string, unknown>()
  // Telegram user ids passed 2^32 years ago; a store with 32-bit id columns must fail here, not in production.
  private nextUserId = 7_100_000_001
  private nextSupergroupId = 2_100_000_001
  private nextGroupId = 4_100_000_001
  private nextCallbackId = 1
  private readonly handlers: Record<string, Handler>

  constructor(options: WorldOptions = {}) {
    this.token = options.token ?? '7000000001:AAHfakeTelegramTokenForTests_0123456'
    const botId = Number(this.token.split(':')[0])
    if (!Number.isSafeInteger(botId))
      throw new Error('the token must start with the bot id, as "123:abc" does')
    const username = options.botUsername ?? 'huiyin_test_bot'
    this.privacyMode = options.privacyMode ?? true
    this.botInfo = {
      id: botId,
      is_bot: true,
      first_name: options.botFirstName ?? 'Huiyin Test',
      username,
      can_join_groups: true,
      can_read_all_group_messages: !this.privacyMode,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
    }
    this.callbackTtlMs = options.callbackQueryTtlMs ?? 15_000
    const limits = options.rateLimits
    this.limiter = limits === undefined || limits === false
      ? undefined
      : new RateLimiter({ ...TELEGRAM_RATE_LIMITS, ...(limits === true ? {} : limits) })
    this.handlers = this.createHandlers()
  }

  /** The bot as it appears in `from` of its messages. */
  get botUser(): User {
    return { id: this.botInfo.id, is_bot: true, first_name: this.botInfo.first_name, username: this.botInfo.username }
  }

  /** Whether `method` (case-insensitive, as in Telegram) exists here. */
  hasMethod(method: string): boolean {
    return Object.hasOwn(this.handlers, method.toLowerCase())
  }

  /** Runs one Bot API method. Throws {@link ApiError} for Telegram's error answers. */
  invoke(method: string, params: Params, signal: AbortSignal): unknown {
    const handler = this.handlers[method.toLowerCase()]
    if (handler === undefined)
      throw new ApiError(404, 'Not Found')
    return handler(params, signal)
  }

  // ---------------------------------------------------------------- test-side actions

  /** A Telegram user who has not talked to the bot yet. */
  createUser(options: { first_name: string, last_name?: string, username?: string, language_code?: string, is_premium?: true }): User {
    const user: User = { id: this.nextUserId++, is_bot: false, ...options }
    this.users.set(user.id, { user, started: false, blocked: false })
    return user
  }

  /**
   * A group with the bot in it. Unless `quiet`, the bot gets what Telegram sends when it is added: a `my_chat_member`
   * update and a service message with `new_chat_members`.
   */
  createGroup(options: {
    title: string
    id?: number
    type?: 'group' | 'supergroup'
    username?: string
    isForum?: boolean
    /** The group's creator; created if omitted. */
    owner?: User
    botStatus?: 'member' | 'administrator'
    quiet?: boolean
  }): Chat {
    const type = options.type ?? 'supergroup'
    const id = options.id ?? (type === 'supergroup' ? -(1_000_000_000_000 + this.nextSupergroupId++) : -this.nextGroupId++)
    if (this.chats.has(id))
      throw new Error(`chat ${id} exists already`)
    const chat = (type === 'supergroup'
      ? {
          id,
          type,
          title: options.title,
          ...(options.username === undefined ? {} : { username: options.username }),
          ...(options.isForum === true ? { is_forum: true } : {}),
        }
      : { id, type, title: options.title }) as Chat
    const state = this.addChat(chat, options.username)
    const owner = options.owner ?? this.createUser({ first_name: `Owner of ${options.title}` })
    state.statuses.set(owner.id, 'creator')
    const botStatus = options.botStatus ?? 'member'
    state.statuses.set(this.botInfo.id, botStatus)
    if (options.quiet !== true) {
      this.queue.push({
        my_chat_member: {
          chat,
          from: owner,
          date: now(),
          old_chat_member: { status: 'left', user: this.botUser },
          new_chat_member: this.memberObject(state, this.botInfo.id, botStatus),
        },
      })
      const message = this.store(state, owner, { new_chat_members: [this.botUser] } as Partial<Message>)
      this.queue.push({ message } as Omit<Update, 'update_id'>)
    }
    return chat
  }

  /** The user opens the bot and presses Start (optionally through a `t.me/<bot>?start=<payload>` link). */
  startPrivateChat(userRef: UserRef, payload?: string): UserAction {
    const user = this.userState(userRef)
    return this.sendMessage({ chat: user.user.id, from: user.user, text: payload === undefined ? '/start' : `/start ${payload}` })
  }

  /**
   * A user sends a message. Telegram computes entities for /commands, @mentions, #hashtags and URLs. In groups with
   * privacy mode on (the default) the bot only gets the message if it is a command for it (`/cmd` or `/cmd@thisbot`,
   * not `/cmd@otherbot`), a reply to one of the bot's messages, or mentions the bot, or if the bot is an admin;
   * otherwise the message is in the chat but no update is queued. A private message (re)starts and unblocks the bot.
   */
  sendMessage(options: UserMessageOptions): UserAction {
    const user = this.userState(options.from)
    const chat = this.chatState(options.chat)
    if (chat.chat.type === 'private') {
      if (chat.chat.id !== user.user.id)
        throw new Error(`user ${user.user.id} cannot write in the private chat ${chat.chat.id}`)
      user.started = true
      user.blocked = false
    }
    else {
      const status = chat.statuses.get(user.user.id)
      if (status === 'kicked' || status === 'left')
        throw new Error(`user ${user.user.id} is not in chat ${chat.chat.id} (${status})`)
      chat.seen.add(user.user.id)
    }
    const content: Partial<Message> = {}
    if (options.text !== undefined) {
      if (options.text.length === 0 || options.text.length > 4096)
        throw new Error('a user message has 1-4096 characters')
      content.text = options.text
      const entities = detectEntities(options.text)
      if (entities.length > 0)
        content.entities = entities
    }
    const hasMedia = options.photo !== undefined || options.document !== undefined || options.voice !== undefined
    if (options.text !== undefined && hasMedia)
      throw new Error('a message with media has a caption, not a text')
    if (options.photo !== undefined) {
      const size = options.photo === true ? {} : options.photo
      content.photo = this.files.addPhoto(size.width ?? 1280, size.height ?? 960)
    }
    if (options.document !== undefined) {
      const file = this.files.add('document', options.document.data?.length ?? 48_213, options.document.data, options.document.file_name)
      content.document = {
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        file_name: options.document.file_name,
        mime_type: options.document.mime_type ?? 'application/octet-stream',
        file_size: file.file_size,
      }
    }
    if (options.voice !== undefined) {
      const file = this.files.add('voice', Math.round(options.voice.duration * 4000) + 600)
      content.voice = {
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        duration: options.voice.duration,
        mime_type: 'audio/ogg',
        file_size: file.file_size,
      }
    }
    if (options.caption !== undefined) {
      if (!hasMedia)
        throw new Error('a caption needs a photo, document or voice message')
      content.caption = options.caption
      const entities = detectEntities(options.caption)
      if (entities.length > 0)
        content.caption_entities = entities
    }
    if (options.location !== undefined)
      content.location = { ...options.location } as Location
    if (options.contact !== undefined) {
      content.contact = { first_name: user.user.first_name, ...options.contact } as Contact
    }
    if (options.sticker !== undefined)
      content.sticker = this.sticker(options.sticker === true ? '👍' : options.sticker)
    if (Object.keys(content).length === 0)
      throw new Error('a user message needs text or media')
    if (options.replyTo !== undefined) {
      const target = chat.messages.get(options.replyTo)
      if (target === undefined)
        throw new Error(`message ${options.replyTo} does not exist in chat ${chat.chat.id}`)
      content.reply_to_message = asReplied(target)
    }
    const message = this.store(chat, user.user, content)
    const update = this.botSees(chat, message) ? this.queue.push({ message } as Omit<Update, 'update_id'>) : undefined
    return { message, update }
  }

  /**
   * A user presses an inline button with `data` under one of the bot's messages. The button must be on the current
   * version of the message (a button removed by an edit cannot be pressed any more) unless `unchecked`.
   * Returns the callback query id.
   */
  clickButton(options: { chat: ChatRef, from: UserRef, message: Message | number, data: string, unchecked?: boolean }): string {
    const user = this.userState(options.from)
    const chat = this.chatState(options.chat)
    const messageId = typeof options.message === 'number' ? options.message : options.message.message_id
    const message = chat.messages.get(messageId)
    if (message === undefined)
      throw new Error(`message ${messageId} does not exist in chat ${chat.chat.id} (deleted?)`)
    if (message.from?.id !== this.botInfo.id)
      throw new Error(`message ${messageId} was not sent by the bot`)
    if (options.unchecked !== true) {
      const buttons = (message.reply_markup?.inline_keyboard ?? []).flat()
      if (!buttons.some(button => 'callback_data' in button && button.callback_data === options.data)) {
        const present = buttons.map(button => ('callback_data' in button ? button.callback_data : `(${button.text})`))
        throw new Error(
          `message ${messageId} in chat ${chat.chat.id} has no button with callback_data ${JSON.stringify(options.data)}; `
          + `its buttons: ${JSON.stringify(present)}`,
        )
      }
    }
    // Real ids are opaque 64-bit numbers as strings; a bot must not parse or compare them.
    const id = String(BigInt(user.user.id) * 1_000_000n + BigInt(this.nextCallbackId++))
    const query: CallbackQuery = { id, from: user.user, message, chat_instance: chat.chatInstance, data: options.data }
    this.callbacks.set(id, { query, createdAt: Date.now(), answered: false })
    this.queue.push({ callback_query: query })
    return id
  }

  /** The user blocks the bot: sends to their private chat fail with 403 until they write again. */
  blockBot(userRef: UserRef): void {
    this.userState(userRef).blocked = true
  }

  unblockBot(userRef: UserRef): void {
    this.userState(userRef).blocked = false
  }

  /** Sets a member's status (the bot's too: its id is `botInfo.id`). */
  setChatMember(chatRef: ChatRef, userRef: UserRef, status: MemberStatus): void {
    const chat = this.chatState(chatRef)
    const userId = typeof userRef === 'number' ? userRef : userRef.id
    if (userId !== this.botInfo.id)
      this.userState(userId)
    chat.statuses.set(userId, status)
  }

  /** The current version of a message, or undefined once deleted. */
  getMessage(chatRef: ChatRef, messageId: number): Message | undefined {
    return this.chatState(chatRef).messages.get(messageId)
  }

  /** Messages the bot sent (all chats, or one), as they were when sent. */
  sentMessages(chatRef?: ChatRef): readonly Message[] {
    return chatRef === undefined ? this.allBotSent : this.chatState(chatRef).botSent
  }

  /** The newest message still in the chat, from anyone. */
  lastMessageIn(chatRef: ChatRef): Message | undefined {
    const chat = this.chatState(chatRef)
    for (let id = chat.nextMessageId - 1; id > 0; id--) {
      const message = chat.messages.get(id)
      if (message !== undefined)
        return message
    }
    return undefined
  }

  /** The webhook setWebhook set, if any. */
  get webhook(): WebhookSetting | undefined {
    return this.webhookSetting
  }

  /** The HTTP side delivers updates to a webhook; the world only records the setting. */
  protected changeWebhook(setting: WebhookSetting | undefined): void {
    this.webhookSetting = setting
  }

  /** Updates queued and not yet confirmed by the bot. */
  pendingUpdates(): number {
    return this.queue.pending
  }

  /** The bot's commands for a scope and language, as setMyCommands left them. */
  myCommands(scope: object = { type: 'default' }, languageCode = ''): BotCommand[] {
    return this.commands.get(`${canonical(scope)}|${languageCode}`) ?? []
  }

  // ---------------------------------------------------------------- state helpers

  private addChat(chat: Chat, username?: string): ChatState {
    const state: ChatState = {
      chat,
      nextMessageId: 1,
      messages: new Map(),
      statuses: new Map(),
      seen: new Set(),
      botSent: [],
      chatInstance: String(BigInt(Math.abs(chat.id)) * 7919n + 1_234_567_890_123n),
    }
    this.chats.set(chat.id, state)
    if (username !== undefined)
      this.chatsByUsername.set(username.toLowerCase(), state)
    return state
  }

  private userState(ref: UserRef): UserState {
    const id = typeof ref === 'number' ? ref : ref.id
    const state = this.users.get(id)
    if (state === undefined)
      throw new Error(`user ${id} does not exist: create it with createUser()`)
    return state
  }

  /** Test-side chat lookup: private chats exist as soon as the user does. */
  private chatState(ref: ChatRef): ChatState {
    const id = typeof ref === 'number' ? ref : ref.id
    const chat = this.chats.get(id) ?? this.privateChat(id)
    if (chat === undefined)
      throw new Error(`chat ${id} does not exist: create it with createGroup() or createUser()`)
    return chat
  }

  private privateChat(userId: number): ChatState | undefined {
    const user = this.users.get(userId)?.user
    if (user === undefined)
      return undefined
    const chat: Chat = {
      id: user.id,
      type: 'private',
      first_name: user.first_name,
      ...(user.last_name === undefined ? {} : { last_name: user.last_name }),
      ...(user.username === undefined ? {} : { username: user.username }),
    }
    // Bots cannot look users up by @username, so the private chat is not indexed under it.
    return this.addChat(chat)
  }

  /** Bot-side chat lookup from `chat_id` (an id or `@username`), with Telegram's errors. */
  private resolveChat(p: Params, name = 'chat_id'): ChatState {
    const raw = p.string(name)
    if (raw === undefined || raw === '')
      throw badRequest(`${name} is empty`)
    let chat: ChatState | undefined
    if (raw.startsWith('@')) {
      chat = this.chatsByUsername.get(raw.slice(1).toLowerCase())
    }
    else {
      const id = Number(raw)
      if (!Number.isSafeInteger(id))
        throw badRequest('chat not found')
      chat = this.chats.get(id) ?? this.privateChat(id)
    }
    if (chat === undefined)
      throw badRequest('chat not found')
    return chat
  }

  private memberStatus(chat: ChatState, userId: number): MemberStatus {
    if (chat.chat.type === 'private')
      return 'member'
    return chat.statuses.get(userId) ?? (chat.seen.has(userId) ? 'member' : 'left')
  }

  /** Whether the bot may post in the chat at all, with Telegram's 403s. */
  private assertCanWrite(chat: ChatState): void {
    if (chat.chat.type === 'private') {
      const user = this.users.get(chat.chat.id)
      if (user === undefined)
        throw badRequest('chat not found')
      if (user.blocked)
        throw forbidden('bot was blocked by the user')
      if (!user.started)
        throw forbidden('bot can\'t initiate conversation with a user')
      return
    }
    const status = this.memberStatus(chat, this.botInfo.id)
    if (status === 'kicked')
      throw forbidden(`bot was kicked from the ${chatKind(chat.chat)}`)
    if (status === 'left')
      throw forbidden(`bot is not a member of the ${chatKind(chat.chat)}`)
  }

  private botSees(chat: ChatState, message: Message): boolean {
    if (chat.chat.type === 'private')
      return true
    const status = this.memberStatus(chat, this.botInfo.id)
    if (status === 'left' || status === 'kicked')
      return false
    if (!this.privacyMode || status === 'administrator' || status === 'creator')
      return true
    if (message.reply_to_message?.from?.id === this.botInfo.id)
      return true
    const text = message.text ?? message.caption ?? ''
    const username = this.botInfo.username.toLowerCase()
    for (const entity of message.entities ?? message.caption_entities ?? []) {
      const part = text.slice(entity.offset, entity.offset + entity.length).toLowerCase()
      if (entity.type === 'bot_command' && entity.offset === 0) {
        const target = part.split('@')[1]
        if (target === undefined || target === username)
          return true
      }
      if (entity.type === 'mention' && part === `@${username}`)
        return true
      if (entity.type === 'text_mention' && entity.user.id === this.botInfo.id)
        return true
    }
    return false
  }

  private store(chat: ChatState, from: User, content: Partial<Message>): Message {
    const message = {
      message_id: chat.nextMessageId++,
      from,
      chat: chat.chat,
      date: now(),
      ...content,
    } as Message
    chat.messages.set(message.message_id, message)
    if (from.id === this.botInfo.id) {
      chat.botSent.push(message)
      this.allBotSent.push(message)
    }
    return message
  }

  private memberObject(chat: ChatState, userId: number, status: MemberStatus): ChatMember {
    const user = userId === this.botInfo.id ? this.botUser : this.users.get(userId)?.user
    if (user === undefined)
      throw badRequest('PARTICIPANT_ID_INVALID')
    switch (status) {
      case 'creator':
        return { status, user, is_anonymous: false }
      case 'administrator':
        return {
          status,
          user,
          can_be_edited: false,
          is_anonymous: false,
          can_manage_chat: true,
          can_delete_messages: true,
          can_manage_video_chats: true,
          can_restrict_members: true,
          can_promote_members: false,
          can_change_info: true,
          can_invite_users: true,
          can_post_stories: false,
          can_edit_stories: false,
          can_delete_stories: false,
          can_pin_messages: true,
          can_send_welcome_messages: false,
          ...(chat.chat.type === 'supergroup' && chat.chat.is_forum === true ? { can_manage_topics: true } : {}),
        }
      case 'restricted':
        return {
          status,
          user,
          is_member: true,
          can_send_messages: false,
          can_send_audios: false,
          can_send_documents: false,
          can_send_photos: false,
          can_send_videos: false,
          can_send_video_notes: false,
          can_send_voice_notes: false,
          can_send_polls: false,
          can_send_other_messages: false,
          can_add_web_page_previews: false,
          can_react_to_messages: false,
          can_change_info: false,
          can_invite_users: false,
          can_edit_tag: false,
          can_pin_messages: false,
          can_manage_topics: false,
          until_date: 0,
        }
      case 'kicked':
        return { status, user, until_date: 0 }
      default:
        return { status, user }
    }
  }

  private sticker(emoji: string): Sticker {
    const file = this.files.add('sticker', 23_114)
    return {
      file_id: file.file_id,
      file_unique_id: file.file_unique_id,
      type: 'regular',
      width: 512,
      height: 512,
      is_animated: false,
      is_video: false,
      emoji,
      set_name: 'HuiyinTestStickers',
      file_size: file.file_size,
    }
  }

  // ---------------------------------------------------------------- sending helpers

  /** Text or caption after parse_mode / entities, with Telegram's checks. */
  private formatted(p: Params, field: 'text' | 'caption'): FormattedText | undefined {
    const raw = p.string(field)
    const isText = field === 'text'
    if (raw === undefined || raw === '') {
      if (isText)
        throw badRequest('message text is empty')
      return undefined
    }
    const entitiesField = isText ? 'entities' : 'caption_entities'
    const parseMode = p.string('parse_mode')
    let result: FormattedText
    if (p.has(entitiesField))
      result = { text: raw, entities: checkEntities(raw, p.json(entitiesField), entitiesField) }
    else if (parseMode !== undefined && parseMode !== '')
      result = parseFormatted(raw, parseMode)
    else result = { text: raw, entities: [] }
    if (result.text.trim() === '') {
      if (isText)
        throw badRequest('message text is empty')
      return undefined
    }
    // Limits apply after entity parsing and count UTF-16 code units, like string.length.
    if (isText && result.text.length > 4096)
      throw badRequest('message is too long')
    if (!isText && result.text.length > 1024)
      throw badRequest('message caption is too long')
    return result
  }

  private textContent(f: FormattedText): Partial<Message> {
    return f.entities.length > 0 ? { text: f.text, entities: f.entities } : { text: f.text }
  }

  private captionContent(f: FormattedText | undefined): Partial<Message> {
    if (f === undefined)
      return {}
    return f.entities.length > 0 ? { caption: f.text, caption_entities: f.entities } : { caption: f.text }
  }

  /** Validates reply_markup; returns the inline keyboard to put on the message (other keyboards are not shown there). */
  private replyMarkup(p: Params): InlineKeyboardMarkup | undefined {
    if (!p.has('reply_markup'))
      return undefined
    const markup = p.json('reply_markup', 'can\'t parse reply keyboard markup JSON object')
    if (markup === null || typeof markup !== 'object' || Array.isArray(markup)) {
      throw badRequest('can\'t parse reply keyboard markup JSON object')
    }
    const m = markup as Record<string, unknown>
    if ('inline_keyboard' in m) {
      const rows = m.inline_keyboard
      if (!Array.isArray(rows) || !rows.every(row => Array.isArray(row))) {
        throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays')
      }
      for (const row of rows as unknown[][]) {
        for (const button of row) this.checkInlineButton(button)
      }
      // An empty keyboard is how bots remove one; the message then has no reply_markup at all.
      if ((rows as unknown[][]).every(row => row.length === 0))
        return undefined
      return { inline_keyboard: rows as InlineKeyboardButton[][] }
    }
    if ('keyboard' in m) {
      const rows = m.keyboard
      if (!Array.isArray(rows) || !rows.every(row => Array.isArray(row))) {
        throw badRequest('field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays')
      }
      return undefined
    }
    if ('remove_keyboard' in m || 'force_reply' in m)
      return undefined
    throw badRequest('can\'t parse reply keyboard markup JSON object')
  }

  private checkInlineButton(button: unknown): void {
    if (button === null || typeof button !== 'object') {
      throw badRequest('can\'t parse inline keyboard button: InlineKeyboardButton must be an Object')
    }
    const b = button as Record<string, unknown>
    if (typeof b.text !== 'string')
      throw badRequest('can\'t parse inline keyboard button: Field "text" must be of type String')
    const kinds = BUTTON_KINDS.filter(kind => b[kind] !== undefined)
    if (kinds.length === 0)
      throw badRequest('can\'t parse inline keyboard button: Text buttons are unallowed in the inline keyboard')
    if (b.callback_data !== undefined) {
      const data = b.callback_data
      if (typeof data !== 'string' || data.length === 0 || Buffer.byteLength(data, 'utf8') > 64) {
        throw badRequest('BUTTON_DATA_INVALID')
      }
    }
    if (b.url !== undefined && (typeof b.url !== 'string' || !/^(https?|tg):\/\/\S+$/i.test(b.url))) {
      throw badRequest('BUTTON_URL_INVALID')
    }
  }

  /** The message being replied to, from reply_parameters or the older reply_to_message_id. */
  private replyTarget(chat: ChatState, p: Params): ReplyMessage | undefined {
    let messageId: number | undefined
    let allowWithout = p.bool('allow_sending_without_reply')
    let target = chat
    if (p.has('reply_parameters')) {
      const rp = p.json('reply_parameters') as { message_id?: unknown, chat_id?: unknown, allow_sending_without_reply?: unknown }
      if (rp === null || typeof rp !== 'object' || !Number.isInteger(rp.message_id)) {
        throw badRequest('can\'t parse reply parameters JSON object')
      }
      messageId = rp.message_id as number
      allowWithout = rp.allow_sending_without_reply === true
      if (rp.chat_id !== undefined && rp.chat_id !== chat.chat.id) {
        target = this.resolveChat(new Params({ chat_id: rp.chat_id }))
      }
    }
    else {
      messageId = p.int('reply_to_message_id')
    }
    if (messageId === undefined)
      return undefined
    const message = target.messages.get(messageId)
    if (message === undefined) {
      if (allowWithout)
        return undefined
      throw badRequest('message to be replied not found')
    }
    // A reply to another chat is shown as an external reply; the fake only checks that the message exists.
    return target === chat ? asReplied(message) : undefined
  }

  private threadId(chat: ChatState, p: Params): Partial<Message> {
    const thread = p.int('message_thread_id')
    if (thread === undefined)
      return {}
    if (!(chat.chat.type === 'supergroup' && chat.chat.is_forum === true))
      throw badRequest('message thread not found')
    return { message_thread_id: thread, is_topic_message: true }
  }

  private throttle(chat: ChatState): void {
    if (this.limiter === undefined)
      return
    const retryAfter = this.limiter.take(chat.chat.id, chat.chat.type === 'private', 1)
    if (retryAfter !== undefined)
      throw tooManyRequests(retryAfter)
  }

  /** The common tail of every send: reply target, keyboard, flood control, then the message. */
  private deliver(chat: ChatState, p: Params, content: Partial<Message>): Message {
    const replyTo = this.replyTarget(chat, p)
    const markup = this.replyMarkup(p)
    const thread = this.threadId(chat, p)
    this.throttle(chat)
    return this.store(chat, this.botUser, {
      ...thread,
      ...(replyTo === undefined ? {} : { reply_to_message: replyTo }),
      ...content,
      ...(markup === undefined ? {} : { reply_markup: markup }),
    })
  }

  /** A photo from a file id, an `attach://` reference or a direct upload; URLs get a made-up photo. */
  private inputPhoto(p: Params, value: unknown): PhotoSize[] {
    const upload = this.upload(p, value)
    if (upload !== undefined) {
      if (upload.data.length === 0)
        throw badRequest('file must be non-empty')
      const size = imageSize(upload.data)
      if (size === undefined)
        throw badRequest('IMAGE_PROCESS_FAILED')
      return this.files.addPhoto(size.width, size.height, upload.data)
    }
    if (typeof value !== 'string' || value === '')
      throw badRequest('there is no photo in the request')
    if (/^https?:\/\//i.test(value))
      return this.files.addPhoto(1280, 853)
    const set = this.files.photoSet(value)
    if (set !== undefined)
      return set
    const file = this.files.get(value)
    if (file !== undefined)
      throw badRequest(`can't use file of type ${file.kind} as Photo`)
    throw badRequest('wrong file identifier/HTTP URL specified')
  }

  private inputFile(p: Params, value: unknown, kind: FileKind): StoredFile & { filename?: string } {
    const upload = this.upload(p, value)
    if (upload !== undefined) {
      if (upload.data.length === 0)
        throw badRequest('file must be non-empty')
      return { ...this.files.add(kind, upload.data.length, upload.data, upload.filename), filename: upload.filename }
    }
    if (typeof value !== 'string' || value === '')
      throw badRequest(`there is no ${kind} in the request`)
    if (/^https?:\/\//i.test(value))
      return this.files.add(kind, 120_000)
    const file = this.files.get(value)
    if (file === undefined)
      throw badRequest('wrong file identifier/HTTP URL specified')
    if (file.kind !== kind)
      throw badRequest(`can't use file of type ${file.kind} as ${kind}`)
    return file
  }

  private upload(p: Params, value: unknown): UploadedFile | undefined {
    if (typeof value !== 'string' || !value.startsWith('attach://'))
      return undefined
    const upload = p.files.get(value.slice('attach://'.length))
    if (upload === undefined)
      throw badRequest(`can't find attached file "${value.slice('attach://'.length)}"`)
    return upload
  }

  /** Direct uploads name the part after the parameter; references use attach://. Both end up as one value. */
  private fileParam(p: Params, name: string): unknown {
    return p.files.has(name) ? `attach://${name}` : p.raw[name]
  }

  private editable(p: Params): { chat: ChatState, message: Message } {
    if (p.has('inline_message_id'))
      throw badRequest('inline messages are not supported by the fake Telegram server')
    const chat = this.resolveChat(p)
    const messageId = p.int('message_id')
    if (messageId === undefined)
      throw badRequest('message identifier is not specified')
    const message = chat.messages.get(messageId)
    if (message === undefined)
      throw badRequest('message to edit not found')
    if (message.from?.id !== this.botInfo.id)
      throw badRequest('message can\'t be edited')
    if (chat.chat.type === 'private' && this.users.get(chat.chat.id)?.blocked === true) {
      throw forbidden('bot was blocked by the user')
    }
    return { chat, message }
  }

  /** Applies an edit: `replaced` fields are dropped first, then `changes` set. Identical results are refused. */
  private replaceMessage(
    chat: ChatState,
    old: Message,
    replaced: ReadonlyArray<keyof Message>,
    changes: Partial<Message>,
    markup: InlineKeyboardMarkup | undefined,
  ): Message {
    const next = { ...old } as Message & Record<string, unknown>
    for (const key of replaced) delete next[key]
    Object.assign(next, changes)
    // An edit without reply_markup removes the inline keyboard, a classic surprise for bots.
    if (markup === undefined)
      delete next.reply_markup
    else next.reply_markup = markup
    if (canonical(next) === canonical(old)) {
      throw badRequest(
        'message is not modified: specified new message content and reply markup are exactly the same as a current '
        + 'content and reply markup of the message',
      )
    }
    const edited = { ...next, edit_date: now() } as Message
    chat.messages.set(old.message_id, edited)
    return edited
  }

  // ---------------------------------------------------------------- Bot API methods

  private createHandlers(): Record<string, Handler> {
    const handlers: Record<string, Handler> = {
      getMe: () => this.botInfo,
      logOut: () => true,
      close: () => true,
      deleteWebhook: (p) => {
        if (p.bool('drop_pending_updates'))
          this.queue.clear()
        this.changeWebhook(undefined)
        return true
      },
      setWebhook: (p) => {
        const url = p.string('url') ?? ''
        if (url === '') {
          this.changeWebhook(undefined)
          return true
        }
        if (!URL.canParse(url))
          throw badRequest('bad webhook: Failed to resolve host: Name or service not known')
        const secret = p.string('secret_token')
        if (secret !== undefined && !/^[\w-]{1,256}$/.test(secret))
          throw badRequest('bad webhook: secret token contains unallowed characters')
        const allowed = p.has('allowed_updates') ? p.json('allowed_updates') : undefined
        this.changeWebhook({ url, ...(secret === undefined ? {} : { secret }), ...(Array.isArray(allowed) ? { allowedUpdates: allowed as string[] } : {}) })
        return true
      },
      getWebhookInfo: () => ({ url: this.webhookSetting?.url ?? '', has_custom_certificate: false, pending_update_count: this.queue.pending }),
      getUpdates: (p, signal) => {
        if (this.webhookSetting !== undefined) {
          throw new ApiError(409, 'Conflict: can\'t use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first')
        }
        const allowed = p.has('allowed_updates') ? p.json('allowed_updates') : undefined
        if (allowed !== undefined && !Array.isArray(allowed))
          throw badRequest('can\'t parse allowed_updates JSON object')
        return this.queue.poll(
          {
            ...(p.has('offset') ? { offset: p.int('offset')! } : {}),
            ...(p.has('limit') ? { limit: p.int('limit')! } : {}),
            ...(p.has('timeout') ? { timeout: p.int('timeout')! } : {}),
            ...(allowed === undefined ? {} : { allowedUpdates: allowed as string[] }),
          },
          signal,
        )
      },
      setMyCommands: (p) => {
        const commands = p.json('commands')
        if (!Array.isArray(commands))
          throw badRequest('can\'t parse commands JSON object')
        if (commands.length > 100)
          throw badRequest('too many commands')
        for (const c of commands as Array<Record<string, unknown>>) {
          if (typeof c?.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command))
            throw badRequest('BOT_COMMAND_INVALID')
          if (typeof c.description !== 'string' || c.description.trim() === '' || c.description.length > 256) {
            throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID')
          }
        }
        const key = `${canonical(p.json('scope') ?? { type: 'default' })}|${p.string('language_code') ?? ''}`
        this.commands.set(key, (commands as BotCommand[]).map(({ command, description }) => ({ command, description })))
        return true
      },
      getMyCommands: p => this.myCommands((p.json('scope') as object | undefined) ?? { type: 'default' }, p.string('language_code') ?? ''),
      deleteMyCommands: (p) => {
        this.commands.delete(`${canonical(p.json('scope') ?? { type: 'default' })}|${p.string('language_code') ?? ''}`)
        return true
      },
      setChatMenuButton: (p) => {
        const key = p.has('chat_id') ? String(this.resolveChat(p).chat.id) : 'default'
        this.menuButtons.set(key, p.json('menu_button') ?? { type: 'default' })
        return true
      },
      getChatMenuButton: (p) => {
        const key = p.has('chat_id') ? String(this.resolveChat(p).chat.id) : 'default'
        return this.menuButtons.get(key) ?? this.menuButtons.get('default') ?? { type: 'commands' }
      },

      sendMessage: (p) => {
        const chat = this.resolveChat(p)
        if (!p.has('text'))
          throw badRequest('message text is empty')
        this.assertCanWrite(chat)
        return this.deliver(chat, p, this.textContent(this.formatted(p, 'text')!))
      },
      sendPhoto: (p) => {
        const chat = this.resolveChat(p)
        this.assertCanWrite(chat)
        const caption = this.formatted(p, 'caption')
        const photo = this.inputPhoto(p, this.fileParam(p, 'photo'))
        return this.deliver(chat, p, { photo, ...this.captionContent(caption) })
      },
      sendDocument: (p) => {
        const chat = this.resolveChat(p)
        this.assertCanWrite(chat)
        const caption = this.formatted(p, 'caption')
        const file = this.inputFile(p, this.fileParam(p, 'document'), 'document')
        const document = {
          file_id: file.file_id,
          file_unique_id: file.file_unique_id,
          file_size: file.file_size,
          ...(file.filename === undefined ? {} : { file_name: file.filename }),
        }
        return this.deliver(chat, p, { document, ...this.captionContent(caption) })
      },
      sendMediaGroup: (p) => {
        const chat = this.resolveChat(p)
        this.assertCanWrite(chat)
        const media = p.json('media')
        if (!Array.isArray(media))
          throw badRequest('can\'t parse media JSON object')
        if (media.length > 10)
          throw badRequest('too much messages to send as an album')
        if (media.length < 2)
          throw badRequest('media group must include 2-10 items')
        const contents = (media as Array<Record<string, unknown>>).map((item) => {
          const caption = this.formatted(new Params(item, p.files), 'caption')
          if (item.type === 'photo')
            return { photo: this.inputPhoto(p, item.media), ...this.captionContent(caption) }
          if (item.type === 'document' || item.type === 'video' || item.type === 'audio') {
            const file = this.inputFile(p, item.media, item.type)
            const base = { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size }
            const body = item.type === 'document'
              ? { document: base }
              : item.type === 'video'
                ? { video: { ...base, width: 1280, height: 720, duration: 10 } }
                : { audio: { ...base, duration: 120 } }
            return { ...body, ...this.captionContent(caption) } as Partial<Message>
          }
          throw badRequest(`can't parse InputMedia: unsupported type "${String(item.type)}"`)
        })
        const replyTo = this.replyTarget(chat, p)
        const thread = this.threadId(chat, p)
        this.throttle(chat)
        const groupId = String(13_000_000_000_000_000n + BigInt(chat.nextMessageId) * 7n + BigInt(Date.now() % 1_000_000))
        return contents.map(content =>
          this.store(chat, this.botUser, {
            ...thread,
            ...(replyTo === undefined ? {} : { reply_to_message: replyTo }),
            media_group_id: groupId,
            ...content,
          }))
      },
      sendLocation: (p) => {
        const chat = this.resolveChat(p)
        this.assertCanWrite(chat)
        const latitude = p.number('latitude')
        const longitude = p.number('longitude')
        if (latitude === undefined || latitude < -90 || latitude > 90)
          throw badRequest('wrong latitude specified')
        if (longitude === undefined || longitude < -180 || longitude > 180)
          throw badRequest('wrong longitude specified')
        const accuracy = p.number('horizontal_accuracy')
        const location: Location = { latitude, longitude, ...(accuracy === undefined ? {} : { horizontal_accuracy: accuracy }) }
        return this.deliver(chat, p, { location })
      },
      copyMessage: (p) => {
        const chat = this.resolveChat(p)
        const from = this.resolveChat(p, 'from_chat_id')
        const source = from.messages.get(p.int('message_id') ?? -1)
        if (source === undefined)
          throw badRequest('message to copy not found')
        this.assertCanWrite(chat)
        let content = this.copyableContent(source)
        if (content === undefined)
          throw badRequest('message can\'t be copied')
        if (p.has('caption') && content.text === undefined) {
          const { caption: _c, caption_entities: _e, ...rest } = content
          content = { ...rest, ...this.captionContent(this.formatted(p, 'caption')) }
        }
        const copy = this.deliver(chat, p, content)
        return { message_id: copy.message_id }
      },
      forwardMessage: (p) => {
        const chat = this.resolveChat(p)
        const from = this.resolveChat(p, 'from_chat_id')
        const source = from.messages.get(p.int('message_id') ?? -1)
        if (source === undefined)
          throw badRequest('message to forward not found')
        this.assertCanWrite(chat)
        const content = this.copyableContent(source)
        if (content === undefined)
          throw badRequest('message can\'t be forwarded')
        const origin = source.forward_origin ?? (source.from === undefined
          ? { type: 'chat' as const, date: source.date, sender_chat: source.chat }
          : { type: 'user' as const, date: source.date, sender_user: source.from })
        this.throttle(chat)
        return this.store(chat, this.botUser, { ...this.threadId(chat, p), forward_origin: origin, ...content })
      },
      editMessageText: (p) => {
        const { chat, message } = this.editable(p)
        if (message.text === undefined)
          throw badRequest('there is no text in the message to edit')
        const f = this.formatted(p, 'text')!
        return this.replaceMessage(chat, message, ['text', 'entities'], this.textContent(f), this.replyMarkup(p))
      },
      editMessageCaption: (p) => {
        const { chat, message } = this.editable(p)
        if (message.text !== undefined || message.location !== undefined || message.sticker !== undefined) {
          throw badRequest('there is no caption in the message to edit')
        }
        const f = this.formatted(p, 'caption')
        return this.replaceMessage(chat, message, ['caption', 'caption_entities'], this.captionContent(f), this.replyMarkup(p))
      },
      editMessageReplyMarkup: (p) => {
        const { chat, message } = this.editable(p)
        return this.replaceMessage(chat, message, [], {}, this.replyMarkup(p))
      },
      deleteMessage: (p) => {
        const chat = this.resolveChat(p)
        const messageId = p.int('message_id')
        if (messageId === undefined)
          throw badRequest('message identifier is not specified')
        this.deleteOne(chat, messageId)
        return true
      },
      deleteMessages: (p) => {
        const chat = this.resolveChat(p)
        const ids = p.json('message_ids')
        if (!Array.isArray(ids) || ids.length === 0 || ids.length > 100)
          throw badRequest('message_ids must contain 1-100 items')
        for (const id of ids) {
          if (chat.messages.has(Number(id)))
            this.deleteOne(chat, Number(id))
        }
        return true
      },
      answerCallbackQuery: (p) => {
        const id = p.string('callback_query_id') ?? ''
        const state = this.callbacks.get(id)
        if (state === undefined || state.answered || Date.now() - state.createdAt > this.callbackTtlMs) {
          throw badRequest('query is too old and response timeout expired or query ID is invalid')
        }
        const text = p.string('text')
        if (text !== undefined && text.length > 200)
          throw badRequest('MESSAGE_TOO_LONG')
        state.answered = true
        const url = p.string('url')
        const cacheTime = p.int('cache_time')
        this.callbackAnswers.push({
          callbackQueryId: id,
          ...(text === undefined ? {} : { text }),
          ...(p.has('show_alert') ? { showAlert: p.bool('show_alert') } : {}),
          ...(url === undefined ? {} : { url }),
          ...(cacheTime === undefined ? {} : { cacheTime }),
          time: Date.now(),
        })
        return true
      },
      sendChatAction: (p) => {
        const chat = this.resolveChat(p)
        this.assertCanWrite(chat)
        if (!CHAT_ACTIONS.has(p.string('action') ?? ''))
          throw badRequest('wrong parameter action in request')
        return true
      },
      getChat: (p) => {
        const chat = this.resolveChat(p)
        return {
          ...chat.chat,
          accent_color_id: 0,
          max_reaction_count: 11,
          accepted_gift_types: {
            unlimited_gifts: false,
            limited_gifts: false,
            unique_gifts: false,
            premium_subscription: false,
            gifts_from_channels: false,
          },
        }
      },
      getChatMember: (p) => {
        const chat = this.resolveChat(p)
        const userId = p.int('user_id')
        if (userId === undefined)
          throw badRequest('user_id is empty')
        if (chat.chat.type === 'private' && userId !== chat.chat.id && userId !== this.botInfo.id) {
          throw badRequest('user not found')
        }
        return this.memberObject(chat, userId, this.memberStatus(chat, userId))
      },
      getChatAdministrators: (p) => {
        const chat = this.resolveChat(p)
        if (chat.chat.type === 'private')
          throw badRequest('there are no administrators in the private chat')
        const admins: ChatMember[] = []
        for (const [userId, status] of chat.statuses) {
          if (status === 'creator' || status === 'administrator')
            admins.push(this.memberObject(chat, userId, status))
        }
        return admins
      },
      getFile: (p) => {
        const file = this.files.get(p.string('file_id') ?? '')
        if (file === undefined)
          throw badRequest('invalid file_id')
        if (file.file_size > MAX_DOWNLOAD_SIZE)
          throw badRequest('file is too big')
        return { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size, file_path: file.file_path }
      },
    }
    return Object.fromEntries(Object.entries(handlers).map(([name, handler]) => [name.toLowerCase(), handler]))
  }

  private deleteOne(chat: ChatState, messageId: number): void {
    const message = chat.messages.get(messageId)
    if (message === undefined)
      throw badRequest('message to delete not found')
    if (chat.chat.type !== 'private' && message.from?.id !== this.botInfo.id) {
      const status = this.memberStatus(chat, this.botInfo.id)
      if (status !== 'administrator' && status !== 'creator')
        throw badRequest('message can\'t be deleted')
    }
    chat.messages.delete(messageId)
  }

  /** The content part of a message, as copyMessage and forwardMessage carry it over; undefined for service messages. */
  private copyableContent(message: Message): Partial<Message> | undefined {
    const keys = [
      'text',
      'entities',
      'photo',
      'document',
      'video',
      'audio',
      'voice',
      'sticker',
      'location',
      'contact',
      'caption',
      'caption_entities',
      'animation',
      'video_note',
      'venue',
      'poll',
      'dice',
    ] as const
    const content: Record<string, unknown> = {}
    for (const key of keys) {
      if (message[key] !== undefined)
        content[key] = message[key]
    }
    return Object.keys(content).length === 0 ? undefined : content as Partial<Message>
  }

  /** Bytes for a download, or undefined when the path is unknown. */
  protected download(path: string): Buffer | undefined {
    const file = this.files.getByPath(path)
    if (file === undefined)
      return undefined
    return file.data ?? Buffer.alloc(file.file_size)
  }

  /** Pending updates, oldest first (for failure dumps). */
  protected pendingUpdateList(): readonly Update[] {
    return this.queue.peek()
  }
}
