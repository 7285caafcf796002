import type { Health, HttpServer } from '#root/runtime/http-server.js'
import type { Update } from 'grammy/types'
import { startHttpServer } from '#root/runtime/http-server.js'
import { afterEach, describe, expect, it } from 'vitest'
import { testLogger } from '../helpers/database.js'

let server: HttpServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

async function start(receive: (update: Update) => Promise<void>, health: Health = { status: 'ok' }): Promise<string> {
  server = await startHttpServer({ port: 0, logger: testLogger, health: async () => health, webhook: { path: '/hook', secret: 'abc', receive } })
  return `http://127.0.0.1:${server.port}`
}

function post(url: string, body: string, secret = 'abc') {
  return fetch(`${url}/hook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret }, body })
}

describe('the webhook server', () => {
  it('answers 200 only once the update was kept, and 500 when keeping it failed, so that Telegram sends it again', async () => {
    const kept: number[] = []
    let failing = true
    const url = await start(async (update) => {
      if (failing)
        throw new Error('disk full')
      kept.push(update.update_id)
    })
    const body = JSON.stringify({ update_id: 42, message: { message_id: 1 } })
    expect((await post(url, body)).status).toBe(500)
    failing = false
    expect((await post(url, body)).status).toBe(200)
    expect(kept).toEqual([42])
  })

  it('refuses a wrong secret, a body that is no update, and other paths', async () => {
    const kept: number[] = []
    const url = await start(async update => void kept.push(update.update_id))
    expect((await post(url, JSON.stringify({ update_id: 1 }), 'abd')).status).toBe(401)
    expect((await post(url, JSON.stringify({ update_id: 1 }), 'abcd')).status).toBe(401)
    expect((await post(url, '{"update_id": 1')).status).toBe(400)
    expect((await post(url, '{"message": {}}')).status).toBe(400)
    expect((await fetch(`${url}/other`, { method: 'POST' })).status).toBe(404)
    expect(kept).toEqual([])
  })

  it('answers /healthz with 503 when unhealthy', async () => {
    const url = await start(async () => {}, { status: 'unhealthy', database: 'unreachable' })
    const response = await fetch(`${url}/healthz`)
    expect(response.status).toBe(503)
    expect(await response.json()).toEqual({ status: 'unhealthy', database: 'unreachable' })
  })
})
