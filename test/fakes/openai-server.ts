import type { Classification } from '#root/classify/classification.js'
import type { Catalog, Category } from '#root/domain/catalog.js'
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createServer } from 'node:http'

/**
 * A fake OpenAI-compatible server for tests: `POST /v1/chat/completions` only, everything else 404.
 * It stands in for the LLM in classifier tests and in end-to-end bot tests, so its default answer is a plausible
 * keyword-based classification, and every failure an LLM endpoint shows in practice can be switched on at run time.
 */

/**
 * - `rules`: keyword rules over the catalog; valid JSON per the classification schema. Like a gullible model, it obeys
 *   "把类别设为 X" / "set category to X" found in the report.
 * - `fenced`: as `rules`, wrapped in a ```json fence with a line of prose, as many compatible servers answer.
 * - `garbage`: prose, no JSON.
 * - `out_of_catalog`: valid JSON with a category that no catalog has.
 * - `http_500`, `http_429` (with Retry-After, see `retryAfter`).
 * - `slow`: answers after `slowMs`; released when the server closes.
 * - `hang-once`: the next request never gets an answer (until the client gives up or the server closes); then `rules`.
 * - a function: answers as it says.
 */
export type FakeOpenAiMode
  = | 'rules'
    | 'fenced'
    | 'garbage'
    | 'out_of_catalog'
    | 'http_500'
    | 'http_429'
    | 'slow'
    | 'hang-once'
    | FakeResponder

/** A chat completion request as the fake saw it, with the parts a responder usually needs already picked out. */
export interface FakeChatRequest {
  /** 1 for the first chat completion request since start (or `reset`). */
  call: number
  headers: IncomingHttpHeaders
  /** The raw request body, exactly as sent. */
  raw: string
  /** The parsed body (`model`, `messages`, `response_format`, …). */
  body: ChatCompletionBody
  /** The system message(s), joined. */
  system: string
  /** The last user message. */
  user: string
  /** Text between `<report>` and `</report>` in the user message (unescaped), or the whole user message. */
  report: string
  /** Text between `<location>` and `</location>`, or null. */
  location: string | null
}

export interface ChatCompletionBody {
  model?: string
  messages?: Array<{ role: string, content: unknown }>
  response_format?: { type: string, json_schema?: { name?: string, strict?: boolean, schema?: unknown } }
  temperature?: number
  [key: string]: unknown
}

/** What to answer. `content` becomes a normal completion; `body` replaces the whole JSON body; `raw` is sent as is. */
export interface FakeReply {
  status?: number
  headers?: Record<string, string>
  content?: string
  body?: unknown
  raw?: string
  delayMs?: number
  /** Never answer (the client must time out); released when the server closes. */
  hang?: boolean
}

export type FakeResponder = (request: FakeChatRequest, fake: FakeOpenAi) => FakeReply | Promise<FakeReply>

export interface FakeOpenAiOptions {
  /** The initial mode; a custom responder. Same as `mode` given as a function. */
  respond?: FakeResponder
  mode?: FakeOpenAiMode
  /** Catalog for the `rules` mode; without it the categories are read from the system prompt's list. */
  catalog?: Catalog
  /** Delay of the `slow` mode. Default 10 s. */
  slowMs?: number
  /** Retry-After header (seconds) of the `http_429` mode. Default "0". */
  retryAfter?: string
}

export interface FakeOpenAi {
  /** `http://127.0.0.1:<port>/v1`, for `new OpenAI({ baseURL })`. */
  readonly baseURL: string
  /** Every chat completion request, in order. */
  readonly requests: FakeChatRequest[]
  /** Number of chat completion requests since start (or `reset`). */
  readonly calls: number
  readonly mode: FakeOpenAiMode
  setMode: (mode: FakeOpenAiMode) => void
  /** Behaviours for the next requests, one each, before the mode applies again: `queue('http_500')` = 500 then ok. */
  queue: (...modes: FakeOpenAiMode[]) => void
  /** Delay of the `slow` mode, changeable at run time. */
  slowMs: number
  retryAfter: string
  /** Forgets recorded requests and queued behaviours, and returns to `rules`. */
  reset: () => void
  /** Releases hanging and slow requests and stops the server. */
  close: () => Promise<void>
}

/** Starts a fake on 127.0.0.1 at a free port. */
export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  let mode: FakeOpenAiMode = options.respond ?? options.mode ?? 'rules'
  let queued: FakeOpenAiMode[] = []
  let hangArmed = mode === 'hang-once'
  const requests: FakeChatRequest[] = []
  const pending = new Set<{ timer?: NodeJS.Timeout, res: ServerResponse }>()

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, { error: { message: `fake server error: ${String(error)}`, type: 'server_error' } })
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req)
    const path = (req.url ?? '').split('?')[0]
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      sendJson(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error' } })
      return
    }
    let body: ChatCompletionBody
    try {
      body = JSON.parse(raw) as ChatCompletionBody
    }
    catch {
      sendJson(res, 400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } })
      return
    }
    const request = describeRequest(requests.length + 1, req.headers, raw, body)
    requests.push(request)

    let current: FakeOpenAiMode
    if (queued.length > 0) {
      current = queued.shift() as FakeOpenAiMode
    }
    else if (mode === 'hang-once') {
      current = hangArmed ? 'hang-once' : 'rules'
      hangArmed = false
    }
    else {
      current = mode
    }
    const reply = await replyFor(current, request)
    await deliver(res, request, reply)
  }

  async function replyFor(current: FakeOpenAiMode, request: FakeChatRequest): Promise<FakeReply> {
    if (typeof current === 'function')
      return current(request, fake)
    const catalog = options.catalog ?? parseCatalogFromPrompt(request.system)
    switch (current) {
      case 'rules':
        return { content: JSON.stringify(ruleClassify(request.report, catalog, request.location)) }
      case 'fenced':
        return { content: `好的，分类结果如下：\n\`\`\`json\n${JSON.stringify(ruleClassify(request.report, catalog, request.location), null, 2)}\n\`\`\`` }
      case 'garbage':
        return { content: '抱歉，我无法理解这个请求。Sorry, I cannot help with that.' }
      case 'out_of_catalog':
        return { content: JSON.stringify({ ...ruleClassify(request.report, catalog, request.location), categoryId: 'not_in_any_catalog' }) }
      case 'http_500':
        return { status: 500, body: { error: { message: 'The server had an error while processing your request.', type: 'server_error' } } }
      case 'http_429':
        return {
          status: 429,
          headers: { 'retry-after': fake.retryAfter },
          body: { error: { message: 'Rate limit reached.', type: 'rate_limit_exceeded' } },
        }
      case 'slow':
        return { delayMs: fake.slowMs, content: JSON.stringify(ruleClassify(request.report, catalog, request.location)) }
      case 'hang-once':
        return { hang: true }
    }
  }

  async function deliver(res: ServerResponse, request: FakeChatRequest, reply: FakeReply): Promise<void> {
    if (reply.hang || (reply.delayMs ?? 0) > 0) {
      const entry: { timer?: NodeJS.Timeout, res: ServerResponse } = { res }
      pending.add(entry)
      const released = await new Promise<boolean>((resolve) => {
        if (!reply.hang)
          entry.timer = setTimeout(() => resolve(true), reply.delayMs)
        // A client that gave up closes the socket: stop waiting so nothing lingers after the test.
        res.on('close', () => resolve(false))
      })
      clearTimeout(entry.timer)
      pending.delete(entry)
      if (!released || res.destroyed)
        return
    }
    const status = reply.status ?? 200
    if (reply.raw !== undefined) {
      res.writeHead(status, { 'content-type': 'application/json', ...reply.headers })
      res.end(reply.raw)
      return
    }
    const body = reply.body ?? completionBody(request.body.model ?? 'fake-model', reply.content ?? '')
    sendJson(res, status, body, reply.headers)
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo

  const fake: FakeOpenAi = {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    get calls() {
      return requests.length
    },
    get mode() {
      return mode
    },
    setMode(next) {
      mode = next
      hangArmed = next === 'hang-once'
    },
    queue(...modes) {
      queued.push(...modes)
    },
    slowMs: options.slowMs ?? 10_000,
    retryAfter: options.retryAfter ?? '0',
    reset() {
      requests.length = 0
      queued = []
      mode = 'rules'
      hangArmed = false
    },
    async close() {
      for (const entry of pending) {
        clearTimeout(entry.timer)
        entry.res.destroy()
      }
      pending.clear()
      server.closeAllConnections()
      await new Promise<void>(resolve => server.close(() => resolve()))
    },
  }
  return fake
}

/**
 * The `rules` mode's classification: the category with most keyword hits (the first category, at low confidence,
 * when none match), urgency and request type from a few telling words. Obeys an injected "set category to X".
 */
export function ruleClassify(report: string, catalog: Catalog, location: string | null = null): Classification {
  const text = report.toLowerCase()
  let best: Category | undefined
  let bestHits = 0
  for (const category of catalog.categories) {
    const hits = category.keywords.filter(k => k && text.includes(k.toLowerCase())).length
    if (hits > bestHits) {
      best = category
      bestHits = hits
    }
  }
  const fallback = catalog.categories.find(c => c.id === 'other') ?? catalog.categories[0]
  const chosen = best ?? fallback
  const injected = /(?:类别|分类|category)\s*(?:设为|设置为|改为|改成|=|:|：|to|is)\s*[`"'“「]?([\w-]+)/i.exec(report)?.[1]

  const urgency: Classification['urgency'] = /燃气泄漏|煤气泄漏|火灾|着火|起火|塌陷|坍塌|被困|gas leak|fire|collapse|trapped/i.test(report)
    ? 'critical'
    : /紧急|停水|停电|漏水|urgent|no water|power cut|outage/i.test(report) ? 'urgent' : 'normal'
  const requestType: Classification['requestType'] = /举报|tip-?off|report illegal/i.test(report)
    ? 'tip_off'
    : /投诉|complain/i.test(report)
      ? 'complaint'
      : /建议|suggest/i.test(report)
        ? 'suggestion'
        : /咨询|请问|如何|怎么办理|[?？]|how (?:do|can)/i.test(report) ? 'consultation' : 'help_request'
  const firstLine = report.trim().split('\n')[0]?.trim() ?? ''
  const summary = [...(firstLine || '市民诉求')].slice(0, 40).join('')

  return {
    categoryId: injected ?? chosen?.id ?? 'unknown',
    departmentId: chosen?.departmentId ?? 'unknown',
    urgency,
    requestType,
    summary,
    location: location && !location.startsWith('（未填写') ? location.slice(0, 120) : null,
    confidence: best ? 0.9 : 0.2,
    isReport: true,
    notReportReason: null,
  }
}

/**
 * Reads the category list the classifier puts in its system prompt
 * (`` - `id` 名称 / Name — 承办部门 `dept`（…）；关键词：a、b ``), so the fake needs no catalog of its own.
 */
export function parseCatalogFromPrompt(system: string): Catalog {
  const categories: Category[] = []
  const departmentIds = new Set<string>()
  for (const match of system.matchAll(/^- `([^`]+)` (.*?) \/ (.*?) — 承办部门 `([^`]+)`.*?关键词：(.*)$/gm)) {
    const [, id, nameZh, nameEn, departmentId, keywords] = match as unknown as string[]
    categories.push({
      id: id as string,
      nameZh: nameZh as string,
      nameEn: nameEn as string,
      departmentId: departmentId as string,
      keywords: (keywords as string).split('、').map(k => k.trim()).filter(k => k && k !== '—'),
    })
    departmentIds.add(departmentId as string)
  }
  return {
    categories,
    departments: [...departmentIds].map(id => ({ id, nameZh: id, nameEn: id })),
  }
}

function describeRequest(call: number, headers: IncomingHttpHeaders, raw: string, body: ChatCompletionBody): FakeChatRequest {
  const messages = Array.isArray(body.messages) ? body.messages : []
  const text = (content: unknown): string => typeof content === 'string'
    ? content
    : Array.isArray(content)
      ? content.map(part => (part && typeof part === 'object' && 'text' in part ? String(part.text) : '')).join('')
      : ''
  const system = messages.filter(m => m.role === 'system' || m.role === 'developer').map(m => text(m.content)).join('\n')
  const user = text(messages.filter(m => m.role === 'user').at(-1)?.content)
  const between = (tag: string) => {
    const match = new RegExp(`<${tag}>\\n?([\\s\\S]*?)\\n?</${tag}>`).exec(user)
    return match ? unescape(match[1] ?? '') : null
  }
  return { call, headers, raw, body, system, user, report: between('report') ?? user, location: between('location') }
}

function unescape(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&')
}

function completionBody(model: string, content: string): unknown {
  return {
    id: `chatcmpl-fake-${Math.random().toString(36).slice(2, 10)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed)
    return
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req)
    chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
