import type { Message } from 'grammy/types'
import type { FakeTelegram } from '../../test/fakes/telegram-server.js'
import { ApiError } from '../../test/fakes/telegram/api-error.js'

/**
 * Sees every Bot API call the bot makes to the fake Telegram as Telegram decides it (wrapping the simulated world's
 * own `invoke`, so it works with call recording off), counts what a benchmark reports and hands each message the
 * bot sent or edited to whoever waits for it.
 */

export type ChatKind = 'residents' | 'handlers' | 'admins' | 'private' | 'other'

/** One call the fake answered (or refused). */
export interface Observation {
  /** performance.now() when Telegram decided. */
  at: number
  method: string
  chatId: number | null
  /** The messages a send or an edit produced (several for an album). */
  messages: Message[]
  edit: boolean
  error?: { code: number, description: string }
  callbackQueryId?: string
}

export interface ChatCounts { sends: number, edits: number, status429: number }

const SEND_METHODS = new Set(['sendmessage', 'sendphoto', 'senddocument', 'sendmediagroup', 'sendlocation', 'copymessage', 'forwardmessage'])
const EDIT_METHODS = new Set(['editmessagetext', 'editmessagecaption', 'editmessagereplymarkup'])

export class TelegramObserver {
  private readonly listeners = new Set<(o: Observation) => void>()
  private readonly kinds = new Map<number, ChatKind>()
  private readonly pollWaiters = new Set<() => void>()
  /** Per chat: messages sent (album items each), edits, 429s. */
  readonly perChat = new Map<number, ChatCounts>()
  /** answerCallbackQuery refused because the press was too old (or answered already). */
  expiredPresses = 0
  /** When each press was answered, by callback query id. */
  readonly pressAnswers = new Map<string, number>()
  /** How often each message was edited, by `chatId:messageId`. */
  readonly edits = new Map<string, number>()
  /** Every 429 with the chat it was for, in order. */
  readonly rateLimited: Array<{ at: number, chatId: number | null, method: string }> = []

  constructor(telegram: FakeTelegram) {
    const invoke = telegram.invoke.bind(telegram)
    telegram.invoke = (method, params, signal) => {
      const lower = method.toLowerCase()
      if (lower === 'getupdates') {
        for (const wake of this.pollWaiters)
          wake()
        this.pollWaiters.clear()
      }
      const rawChat = params.string('chat_id')
      const chatId = rawChat !== undefined && /^-?\d+$/.test(rawChat) ? Number(rawChat) : null
      const observe = (result: unknown, error?: unknown) => this.observe(lower, chatId, params.string('callback_query_id'), result, error)
      let result: unknown
      try {
        result = invoke(method, params, signal)
      }
      catch (error) {
        observe(undefined, error)
        throw error
      }
      if (result instanceof Promise) {
        return result.then((value) => {
          observe(value)
          return value
        }, (error: unknown) => {
          observe(undefined, error)
          throw error
        })
      }
      observe(result)
      return result
    }
  }

  /** Says which kind of chat an id is, for {@link countsBy}. */
  setKind(chatId: number, kind: ChatKind): void {
    this.kinds.set(chatId, kind)
  }

  kindOf(chatId: number | null): ChatKind {
    if (chatId === null)
      return 'other'
    return this.kinds.get(chatId) ?? (chatId > 0 ? 'private' : 'other')
  }

  subscribe(listener: (o: Observation) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** The next observation matching `predicate`, or undefined after `timeoutMs`. */
  next(predicate: (o: Observation) => boolean, timeoutMs: number): Promise<Observation | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        unsubscribe()
        resolve(undefined)
      }, timeoutMs)
      const unsubscribe = this.subscribe((o) => {
        if (predicate(o)) {
          clearTimeout(timer)
          unsubscribe()
          resolve(o)
        }
      })
    })
  }

  /** Resolves when the bot next asks for updates: it is up and polling. */
  nextPoll(): Promise<void> {
    return new Promise(resolve => this.pollWaiters.add(resolve))
  }

  /** Sends, edits and 429s added up by kind of chat. */
  countsBy(): Record<ChatKind, ChatCounts & { chats: number }> {
    const totals = {} as Record<ChatKind, ChatCounts & { chats: number }>
    for (const kind of ['residents', 'handlers', 'admins', 'private', 'other'] as const)
      totals[kind] = { sends: 0, edits: 0, status429: 0, chats: 0 }
    for (const [chatId, counts] of this.perChat) {
      const total = totals[this.kindOf(chatId)]
      total.sends += counts.sends
      total.edits += counts.edits
      total.status429 += counts.status429
      total.chats++
    }
    return totals
  }

  private counts(chatId: number | null): ChatCounts {
    const key = chatId ?? 0
    let counts = this.perChat.get(key)
    if (!counts) {
      counts = { sends: 0, edits: 0, status429: 0 }
      this.perChat.set(key, counts)
    }
    return counts
  }

  private observe(method: string, chatId: number | null, callbackQueryId: string | undefined, result: unknown, error?: unknown): void {
    const at = performance.now()
    const observation: Observation = { at, method, chatId, messages: [], edit: EDIT_METHODS.has(method), ...(callbackQueryId ? { callbackQueryId } : {}) }
    if (error !== undefined) {
      const code = error instanceof ApiError ? error.errorCode : 500
      const description = error instanceof ApiError ? error.description : String(error)
      observation.error = { code, description }
      if (code === 429) {
        this.counts(chatId).status429++
        this.rateLimited.push({ at, chatId, method })
      }
      if (method === 'answercallbackquery' && /too old|query id is invalid/i.test(description))
        this.expiredPresses++
    }
    else if (SEND_METHODS.has(method) || observation.edit) {
      const messages = (Array.isArray(result) ? result : [result]).filter((m): m is Message => typeof m === 'object' && m !== null && 'message_id' in m)
      observation.messages = messages
      const counts = this.counts(chatId)
      if (observation.edit) {
        counts.edits++
        for (const m of messages)
          this.edits.set(`${m.chat.id}:${m.message_id}`, (this.edits.get(`${m.chat.id}:${m.message_id}`) ?? 0) + 1)
      }
      else {
        counts.sends += Math.max(1, messages.length)
      }
    }
    else if (method === 'answercallbackquery' && callbackQueryId) {
      this.pressAnswers.set(callbackQueryId, at)
    }
    for (const listener of this.listeners)
      listener(observation)
  }
}
