import type { Message } from 'grammy/types'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ParsedBody } from './telegram/http-body.js'
import type { ChatRef, UserAction, UserMessageOptions, UserRef, WebhookSetting, WorldOptions } from './telegram/world.js'
import { createServer } from 'node:http'
import { ApiError } from './telegram/api-error.js'
import { parseBody, readBody } from './telegram/http-body.js'
import { Params, TelegramWorld } from './telegram/world.js'

/**
 * A fake Telegram Bot API server for end-to-end tests and benchmarks: the real bot runs long polling against it
 * (`new Bot(fake.token, { botInfo: fake.botInfo, client: { apiRoot: fake.apiRoot } })`) while the test plays the
 * users, and it rejects what Telegram rejects, with Telegram's descriptions. The simulated Telegram itself (chats,
 * methods, test-side actions) is {@link TelegramWorld}; this file adds HTTP, call recording, waiting and fault
 * injection.
 */

/** Options of {@link startFakeTelegram}. */
export interface FakeTelegramOptions extends WorldOptions {
  /** Keep every call (`true`, the default), none (`false`, for benchmarks) or only the last N. */
  recordCalls?: boolean | number
  /** Port to listen on; default a free one. */
  port?: number
}

/** A Bot API answer, exactly as the server sent it. */
export type ApiResponse
  = | { ok: true, result: unknown }
    | { ok: false, error_code: number, description: string, parameters?: { retry_after?: number, migrate_to_chat_id?: number } }

/** One Bot API request the server answered (or deliberately failed to). */
export interface ApiCall {
  /** Arrival position among all calls since start, counting those a ring buffer has dropped. */
  index: number
  /** The method name as the client spelled it. */
  method: string
  /** Parameters; form-encoded JSON fields (reply_markup, entities, media, …) are already parsed. */
  params: Record<string, unknown>
  /** Uploaded file parts. */
  uploads: Array<{ field: string, filename: string, size: number }>
  /** When the request arrived (ms since epoch). */
  time: number
  durationMs: number
  /** False while the call is in flight (a long poll waiting for updates, a delayed answer). */
  done: boolean
  /** Undefined while in flight, or when the connection was dropped instead (see {@link FakeTelegram.failNetworkNext}). */
  response: ApiResponse | undefined
  /** Set when the answer came from {@link FakeTelegram.failNext} or {@link FakeTelegram.failNetworkNext}. */
  injected?: 'error' | 'network-before' | 'network-after'
}

/** An error to inject with {@link FakeTelegram.failNext}. */
export interface InjectedError {
  error_code: number
  /** Defaults to Telegram's wording for the code. */
  description?: string
  retry_after?: number
}

/** Which message {@link FakeTelegram.waitForMessage} waits for. */
export interface MessageQuery {
  chatId?: number
  textIncludes?: string | RegExp
  /** Call index to search from; default: the last test-side action (see {@link FakeTelegram.waitFor}). */
  from?: number
  /** Also match edits (editMessageText / editMessageCaption), not only new messages. */
  edits?: boolean
}

interface Waiter {
  predicate: (call: ApiCall) => boolean
  resolve: (call: ApiCall) => void
  reject: (error: Error) => void
  timer: NodeJS.Timeout
}

/** Parameters sent as JSON strings in form-encoded requests; everything else stays a string there. */
const JSON_FIELDS = new Set([
  'reply_markup',
  'entities',
  'caption_entities',
  'reply_parameters',
  'media',
  'commands',
  'scope',
  'link_preview_options',
  'allowed_updates',
  'menu_button',
  'message_ids',
])
const ID_FIELDS = new Set(['chat_id', 'from_chat_id', 'message_id', 'user_id', 'reply_to_message_id', 'message_thread_id'])

const SEND_METHODS = new Set(['sendmessage', 'sendphoto', 'senddocument', 'sendmediagroup', 'sendlocation', 'copymessage', 'forwardmessage'])
const EDIT_METHODS = new Set(['editmessagetext', 'editmessagecaption', 'editmessagereplymarkup'])

/** The parameters worth a glance in a failure dump, in this order. */
const DUMP_FIELDS = [
  'chat_id',
  'from_chat_id',
  'message_id',
  'callback_query_id',
  'user_id',
  'action',
  'offset',
  'timeout',
  'text',
  'caption',
  'show_alert',
]

const DEFAULT_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
}

/** Starts a fake Telegram on 127.0.0.1. Close it with {@link FakeTelegram.close} after stopping the bot. */
export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const fake = new FakeTelegram(options)
  await fake.listen(options.port ?? 0)
  return fake
}

/** The running fake; see the file comment. Test-side actions and state queries come from {@link TelegramWorld}. */
export class FakeTelegram extends TelegramWorld {
  /** Unexpected exceptions inside the fake (bugs of the fake, answered with 500); a test may assert it stays empty. */
  readonly internalErrors: Error[] = []
  private readonly server: Server
  private port = 0
  private readonly keep: number
  private recorded: ApiCall[] = []
  private callCount = 0
  private actionMark = 0
  private readonly waiters = new Set<Waiter>()
  private readonly failures = new Map<string, InjectedError[]>()
  private readonly networkFailures = new Map<string, Array<'before' | 'after'>>()
  private readonly delays = new Map<string, number>()
  private closed = false
  private webhookDelivery: AbortController | undefined
  /** Every webhook POST the fake made: the update and the HTTP status the bot answered (0: no answer). */
  readonly webhookDeliveries: Array<{ updateId: number, status: number }> = []

  constructor(options: FakeTelegramOptions = {}) {
    super(options)
    const record = options.recordCalls ?? true
    this.keep = record === true ? Infinity : record === false ? 0 : Math.max(0, record)
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.internalErrors.push(error as Error)
        if (!res.headersSent && !res.destroyed)
          res.writeHead(500).end()
      })
    })
    // Long polling and keep-alive sockets idle far longer than Node's 5 s default; closing one while grammY reuses it
    // would be a spurious ECONNRESET that real Telegram does not cause.
    this.server.keepAliveTimeout = 10 * 60_000
    this.server.headersTimeout = 10 * 60_000 + 1000
    this.server.requestTimeout = 0
  }

  /** e.g. `http://127.0.0.1:40123`, for `client: { apiRoot }`. */
  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`
  }

  /** Recorded calls in arrival order, including those still in flight (only the last N with `recordCalls: N`). */
  get calls(): readonly ApiCall[] {
    return this.recorded
  }

  /** The index the next call will get; pass it as `from` to wait only for calls after this point. */
  mark(): number {
    return this.callCount
  }

  /** Called by {@link startFakeTelegram}. */
  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(port, '127.0.0.1', () => resolve())
    })
    this.port = (this.server.address() as AddressInfo).port
  }

  /** Stops the server: pending long polls end, connections close, waiters reject. Stop the bot first. */
  async close(): Promise<void> {
    if (this.closed)
      return
    this.closed = true
    this.webhookDelivery?.abort()
    this.queue.close()
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer)
      waiter.reject(new Error('the fake Telegram server was closed'))
    }
    this.waiters.clear()
    this.server.closeAllConnections()
    await new Promise<void>(resolve => this.server.close(() => resolve()))
  }

  // ---------------------------------------------------------------- webhook

  protected override changeWebhook(setting: WebhookSetting | undefined): void {
    super.changeWebhook(setting)
    this.webhookDelivery?.abort()
    this.webhookDelivery = undefined
    if (setting === undefined || this.closed)
      return
    const controller = new AbortController()
    this.webhookDelivery = controller
    void this.deliverToWebhook(setting, controller.signal)
  }

  /**
   * As Telegram does with a webhook: posts the pending updates one at a time with the secret token header, and
   * forgets an update only once the bot answered 2xx; any other answer or none is retried after a pause.
   */
  private async deliverToWebhook(setting: WebhookSetting, signal: AbortSignal): Promise<void> {
    let offset: number | undefined
    while (!signal.aborted) {
      const [update] = await this.queue.poll(
        { ...(offset === undefined ? {} : { offset }), limit: 1, timeout: 1, ...(setting.allowedUpdates ? { allowedUpdates: setting.allowedUpdates } : {}) },
        signal,
      )
      if (update === undefined || signal.aborted)
        continue
      let status = 0
      try {
        const response = await fetch(setting.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(setting.secret ? { 'x-telegram-bot-api-secret-token': setting.secret } : {}) },
          body: JSON.stringify(update),
          signal,
        })
        status = response.status
        await response.arrayBuffer()
      }
      catch {
        // No answer: tried again below.
      }
      this.webhookDeliveries.push({ updateId: update.update_id, status })
      if (status >= 200 && status < 300)
        offset = update.update_id + 1
      else await new Promise(resolve => setTimeout(resolve, 100))
    }
  }

  // ---------------------------------------------------------------- fault injection

  /** The next `times` calls of `method` (`'*'` for any) fail with this error, before doing anything. */
  failNext(method: string, error: InjectedError, times = 1): void {
    const key = method.toLowerCase()
    const list = this.failures.get(key) ?? []
    for (let i = 0; i < times; i++) list.push(error)
    this.failures.set(key, list)
  }

  /**
   * The next `times` calls of `method` (`'*'` for any) lose their connection: `'before'` the method runs (nothing
   * happened), or `'after'` it ran (the message was sent but the bot never learns it: a retry sends it twice).
   */
  failNetworkNext(method: string, options: { times?: number, when?: 'before' | 'after' } = {}): void {
    const key = method.toLowerCase()
    const list = this.networkFailures.get(key) ?? []
    for (let i = 0; i < (options.times ?? 1); i++) list.push(options.when ?? 'before')
    this.networkFailures.set(key, list)
  }

  /**
   * Delays every answer to `method` (`'*'` for any) by `ms`; 0 removes the delay. A call whose client goes away
   * during the delay is not carried out (the request never reached Telegram), as a bot killed mid-call sees it.
   */
  setDelay(method: string, ms: number): void {
    if (ms > 0)
      this.delays.set(method.toLowerCase(), ms)
    else this.delays.delete(method.toLowerCase())
  }

  // ---------------------------------------------------------------- test-side actions (marking the call log)

  /**
   * A user sends a message; see {@link TelegramWorld.sendMessage}. Like every test-side action it also sets the
   * point from which {@link waitFor} searches by default.
   */
  override sendMessage(options: UserMessageOptions): UserAction {
    this.actionMark = this.callCount
    return super.sendMessage(options)
  }

  override clickButton(options: { chat: ChatRef, from: UserRef, message: Message | number, data: string, unchecked?: boolean }): string {
    this.actionMark = this.callCount
    return super.clickButton(options)
  }

  /** Creating a group marks the call log too (startPrivateChat goes through sendMessage). */
  override createGroup(options: Parameters<TelegramWorld['createGroup']>[0]): ReturnType<TelegramWorld['createGroup']> {
    this.actionMark = this.callCount
    return super.createGroup(options)
  }

  // ---------------------------------------------------------------- waiting

  /**
   * Resolves with the first completed call matching `predicate` at or after call index `from`, which defaults to the
   * moment of the last test-side action (sendMessage, startPrivateChat, clickButton, createGroup): "what did the bot
   * do in response?". The predicate runs as calls complete, so it should look at the call, not at other state.
   * Rejects after `timeoutMs` with a dump of the recent calls.
   */
  waitFor(predicate: (call: ApiCall) => boolean, timeoutMs = 5000, from = this.actionMark): Promise<ApiCall> {
    const start = this.callCount - this.recorded.length
    for (let i = Math.max(0, from - start); i < this.recorded.length; i++) {
      const call = this.recorded[i]!
      if (call.done && predicate(call))
        return Promise.resolve(call)
    }
    if (this.closed)
      return Promise.reject(new Error('the fake Telegram server was closed'))
    const where = new Error('where the wait began').stack?.split('\n').slice(2, 4).join('\n') ?? ''
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter)
          reject(new Error(`waitFor: no matching Bot API call within ${timeoutMs} ms (from call #${from})\n${where}\n${this.dump()}`))
        }, timeoutMs),
      }
      this.waiters.add(waiter)
    })
  }

  /** Waits for the bot to send a message (text or caption containing `textIncludes`) and resolves with it. */
  async waitForMessage(query: MessageQuery = {}, timeoutMs = 5000): Promise<Message> {
    let found: Message | undefined
    const describe = JSON.stringify({ ...query, textIncludes: query.textIncludes?.toString() })
    try {
      await this.waitFor((call) => {
        found = this.messagesOf(call, query.edits === true).find((message) => {
          if (query.chatId !== undefined && message.chat.id !== query.chatId)
            return false
          if (query.textIncludes === undefined)
            return true
          const text = message.text ?? message.caption ?? ''
          return typeof query.textIncludes === 'string' ? text.includes(query.textIncludes) : query.textIncludes.test(text)
        })
        return found !== undefined
      }, timeoutMs, query.from)
    }
    catch (error) {
      throw new Error(`waitForMessage(${describe}) failed: ${(error as Error).message}`)
    }
    return found!
  }

  /** The last calls, one line each, for failure messages. */
  dump(count = 25): string {
    const lines = this.recorded.slice(-count).map((call) => {
      const shown = DUMP_FIELDS.filter(name => call.params[name] !== undefined)
        .map((name) => {
          const value = call.params[name]
          return `${name}=${typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : String(value)}`
        })
        .join(' ')
      const r = call.response
      const outcome = !call.done
        ? '(in flight)'
        : r === undefined ? `connection dropped (${call.injected})` : r.ok ? 'ok' : `${r.error_code} ${r.description}`
      return `  #${call.index} ${call.method}(${shown}) → ${outcome}`
    })
    const errors = this.internalErrors.map(error => `  fake Telegram bug: ${error.stack ?? error.message}`)
    return [
      `recent calls (${this.callCount} in total, ${this.pendingUpdates()} updates pending):`,
      ...(lines.length > 0 ? lines : ['  (none recorded)']),
      ...errors,
    ].join('\n')
  }

  // ---------------------------------------------------------------- HTTP

  private messagesOf(call: ApiCall, edits: boolean): Message[] {
    const r = call.response
    if (r === undefined || !r.ok)
      return []
    const method = call.method.toLowerCase()
    if (method === 'copymessage') {
      const copy = this.getMessage(Number(call.params.chat_id), (r.result as { message_id: number }).message_id)
      return copy === undefined ? [] : [copy]
    }
    if (!SEND_METHODS.has(method) && !(edits && EDIT_METHODS.has(method)))
      return []
    return Array.isArray(r.result) ? (r.result as Message[]) : typeof r.result === 'object' ? [r.result as Message] : []
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const time = Date.now()
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname)
    if (file !== null) {
      const data = file[1] === this.token ? this.download(decodeURIComponent(file[2]!)) : undefined
      if (data === undefined)
        return this.send(res, { ok: false, error_code: 404, description: 'Not Found' })
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': data.length }).end(data)
      return
    }
    const route = /^\/bot([^/]*)\/([A-Za-z0-9_]+)$/.exec(url.pathname)
    if (route === null)
      return this.send(res, { ok: false, error_code: 404, description: 'Not Found' })
    const method = route[2]!
    const abort = new AbortController()
    res.on('close', () => abort.abort())
    let body: ParsedBody = { fields: {}, files: new Map() }
    let bodyError: ApiError | undefined
    try {
      body = parseBody(req.headers['content-type'], await readBody(req), url.searchParams)
      normalizeFormFields(body)
    }
    catch (error) {
      if (!(error instanceof ApiError))
        throw error
      bodyError = error
    }
    const call = this.begin(method, body, time)
    if (bodyError !== undefined)
      return this.finish(res, call, errorResponse(bodyError))
    if (route[1] !== this.token)
      return this.finish(res, call, { ok: false, error_code: 401, description: 'Unauthorized' })
    const key = method.toLowerCase()
    const dropped = takeFirst(this.networkFailures, key)
    if (dropped === 'before')
      return this.finish(res, call, undefined, 'network-before')
    const delay = this.delays.get(key) ?? this.delays.get('*')
    if (delay !== undefined) {
      await new Promise(resolve => setTimeout(resolve, delay))
      if (abort.signal.aborted)
        return this.finish(res, call, undefined, 'network-before')
    }
    const injected = takeFirst(this.failures, key)
    if (injected !== undefined)
      return this.finish(res, call, injectedResponse(injected), 'error')
    let response: ApiResponse
    try {
      const result = await this.invoke(method, new Params(body.fields, body.files), abort.signal)
      response = { ok: true, result }
    }
    catch (error) {
      if (!(error instanceof ApiError)) {
        this.internalErrors.push(error as Error)
        response = { ok: false, error_code: 500, description: `Internal Server Error: ${(error as Error).message}` }
      }
      else {
        response = errorResponse(error)
      }
    }
    return this.finish(res, call, response, dropped === 'after' ? 'network-after' : undefined)
  }

  /** Records a call when it arrives, so that `calls` shows polls still waiting and keeps arrival order. */
  private begin(method: string, body: ParsedBody, time: number): ApiCall {
    const call: ApiCall = {
      index: this.callCount++,
      method,
      params: body.fields,
      uploads: [...body.files.values()].map(f => ({ field: f.field, filename: f.filename, size: f.data.length })),
      time,
      durationMs: 0,
      done: false,
      response: undefined,
    }
    if (this.keep > 0) {
      this.recorded.push(call)
      // Trim in chunks so that a ring buffer costs amortised O(1) per call.
      if (this.recorded.length > this.keep * 2)
        this.recorded = this.recorded.slice(-this.keep)
    }
    return call
  }

  /** Answers (or drops the connection), completes the record and wakes the waiters whose predicate now matches. */
  private finish(res: ServerResponse, call: ApiCall, response: ApiResponse | undefined, injected?: ApiCall['injected']): void {
    if (response === undefined || injected === 'network-after')
      res.socket?.destroy()
    else this.send(res, response)
    call.done = true
    call.durationMs = Date.now() - call.time
    if (injected !== 'network-after')
      call.response = response
    if (injected !== undefined)
      call.injected = injected
    for (const waiter of this.waiters) {
      let matched: boolean
      try {
        matched = waiter.predicate(call)
      }
      catch (error) {
        matched = false
        this.waiters.delete(waiter)
        clearTimeout(waiter.timer)
        waiter.reject(error as Error)
      }
      if (matched) {
        this.waiters.delete(waiter)
        clearTimeout(waiter.timer)
        waiter.resolve(call)
      }
    }
  }

  private send(res: ServerResponse, response: ApiResponse): void {
    if (res.destroyed || res.headersSent)
      return
    const json = JSON.stringify(response)
    res.writeHead(response.ok ? 200 : response.error_code, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(json),
    })
    res.end(json)
  }
}

function takeFirst<T>(map: Map<string, T[]>, key: string): T | undefined {
  const list = map.get(key) ?? map.get('*')
  return list?.shift()
}

function errorResponse(error: ApiError): ApiResponse {
  return {
    ok: false,
    error_code: error.errorCode,
    description: error.description,
    ...(error.parameters === undefined ? {} : { parameters: error.parameters }),
  }
}

function injectedResponse(error: InjectedError): ApiResponse {
  const description = error.description
    ?? (error.error_code === 429
      ? `Too Many Requests: retry after ${error.retry_after ?? 5}`
      : DEFAULT_DESCRIPTIONS[error.error_code] ?? 'Error')
  const retryAfter = error.retry_after ?? (error.error_code === 429 ? 5 : undefined)
  return {
    ok: false,
    error_code: error.error_code,
    description,
    ...(retryAfter === undefined ? {} : { parameters: { retry_after: retryAfter } }),
  }
}

/** Form-encoded bodies carry objects as JSON text and ids as digits; parse them so calls read like JSON ones. */
function normalizeFormFields(body: ParsedBody): void {
  for (const [name, value] of Object.entries(body.fields)) {
    if (typeof value !== 'string')
      continue
    if (JSON_FIELDS.has(name) && /^\s*[[{]/.test(value)) {
      try {
        body.fields[name] = JSON.parse(value)
      }
      catch {
        // Left as a string: the method reports Telegram's "can't parse … JSON object".
      }
    }
    else if (ID_FIELDS.has(name) && /^-?\d+$/.test(value)) {
      body.fields[name] = Number(value)
    }
  }
}
