import type { Logger } from '#root/logger.js'
import type { Update } from 'grammy/types'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:http'

/** What GET /healthz answers: 200 when healthy, 503 when not. */
export interface Health {
  status: 'ok' | 'unhealthy'
  [detail: string]: unknown
}

export interface HttpServerOptions {
  port: number
  logger: Logger
  health: () => Promise<Health>
  /** Present in webhook mode: where Telegram posts updates. */
  webhook?: {
    path: string
    secret: string
    /** Resolves once the update is safe on disk; Telegram is told 200 only then. */
    receive: (update: Update) => Promise<void>
  }
}

export interface HttpServer {
  readonly port: number
  close: () => Promise<void>
}

/** Telegram's updates are small; anything this large is not one. */
const MAX_BODY_BYTES = 1024 * 1024

/**
 * The bot's HTTP side: `POST <webhook path>` takes an update from Telegram (checking the secret token Telegram sends
 * in `X-Telegram-Bot-Api-Secret-Token`), `GET /healthz` says whether the bot can do its work.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const { logger, health, webhook } = options
  const secret = webhook ? Buffer.from(webhook.secret) : undefined

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    if (path === '/healthz' && req.method === 'GET') {
      const report = await health()
      return sendJson(res, report.status === 'ok' ? 200 : 503, report)
    }
    if (!webhook || path !== webhook.path)
      return sendJson(res, 404, { error: 'not found' })
    if (req.method !== 'POST')
      return sendJson(res, 405, { error: 'method not allowed' })
    const given = req.headers['x-telegram-bot-api-secret-token']
    if (typeof given !== 'string' || !sameSecret(Buffer.from(given), secret!))
      return sendJson(res, 401, { error: 'unauthorized' })
    let update: Update
    try {
      update = JSON.parse(await readBody(req)) as Update
    }
    catch {
      return sendJson(res, 400, { error: 'not an update' })
    }
    if (typeof update?.update_id !== 'number')
      return sendJson(res, 400, { error: 'not an update' })
    try {
      await webhook.receive(update)
    }
    catch (error) {
      // Telegram delivers the update again later.
      logger.error({ err: error, update_id: update.update_id }, 'could not keep a received update; Telegram will send it again')
      return sendJson(res, 500, { error: 'try again' })
    }
    return sendJson(res, 200, {})
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: error }, 'HTTP request failed')
      if (!res.headersSent)
        sendJson(res, 500, { error: 'internal error' })
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  logger.info({ port, webhookPath: webhook?.path }, webhook ? 'taking updates by webhook' : 'answering health checks')
  return {
    port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeIdleConnections()
    }),
  }
}

function sameSecret(given: Buffer, expected: Buffer): boolean {
  return given.length === expected.length && timingSafeEqual(given, expected)
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) }).end(json)
}
