import type { FakeChatRequest, FakeOpenAi, FakeReply } from '../fakes/openai-server.js'
import { loadPrompt } from '#root/classify/prompts.js'
import { createOpenAiVisitExtractor } from '#root/visits/openai-visit-extractor.js'
import OpenAI from 'openai'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeOpenAi } from '../fakes/openai-server.js'
import { testLogger } from '../helpers/database.js'

const NOTE = '昨天走访华辰机械厂，老板说门口的路灯坏了，另外想申请技改补贴，电话13912345678'
const TODAY = '2026-11-26'

let fake: FakeOpenAi
let seen: FakeChatRequest[]
let answer: (request: FakeChatRequest) => FakeReply

beforeEach(async () => {
  seen = []
  fake = await startFakeOpenAi({ respond: (request) => {
    seen.push(request)
    return answer(request)
  } })
})
afterEach(async () => {
  await fake.close()
})

async function extractor() {
  return createOpenAiVisitExtractor({
    openai: new OpenAI({ apiKey: 'sk-test', baseURL: fake.baseURL, maxRetries: 0 }),
    model: 'fake-model',
    prompt: await loadPrompt('extract-visit'),
    timeoutMs: 2000,
    logger: testLogger,
  })
}

const good = {
  entityName: '华辰机械厂',
  entityKind: 'enterprise',
  visitedOn: '2026-11-25',
  place: null,
  metWith: '老板',
  heard: '路灯坏了，想申请技改补贴',
  goals: ['opinion', 'innovation', 'policy'],
  problems: ['门口的路灯坏了', '想申请技改补贴'],
}

describe('the LLM visit extractor', () => {
  it('sends the note redacted, with the schema it then checks the answer against', async () => {
    answer = () => ({ content: JSON.stringify(good) })
    const fields = await (await extractor())({ text: NOTE, today: TODAY, areaNames: [] })
    expect(fields).toMatchObject({ entityName: '华辰机械厂', visitedOn: '2026-11-25', problems: ['门口的路灯坏了', '想申请技改补贴'] })
    expect(seen[0]!.user).not.toContain('13912345678')
    expect(seen[0]!.user).toContain('[手机号]')
    expect(seen[0]!.body.response_format?.json_schema?.name).toBe('visit_note')
    expect(seen[0]!.system).toContain(TODAY)
  })

  it('replaces what the note does not say by what the offline extractor read', async () => {
    answer = () => ({ content: JSON.stringify({ ...good, entityName: '宏达集团', metWith: '王局长', visitedOn: '2027-01-01' }) })
    const fields = await (await extractor())({ text: NOTE, today: TODAY, areaNames: [] })
    expect(fields).toMatchObject({ entityName: '华辰机械厂', metWith: '老板', visitedOn: '2026-11-25' })
  })

  it('falls back to the offline extractor on an unusable answer or an error', async () => {
    for (const reply of [{ content: '好的，我来整理一下' }, { content: JSON.stringify({ ...good, goals: ['everything'] }) }, { status: 500, body: { error: { message: 'down' } } }]) {
      answer = () => reply
      const fields = await (await extractor())({ text: NOTE, today: TODAY, areaNames: [] })
      expect(fields.entityName).toBe('华辰机械厂')
      expect(fields.problems).toEqual(['门口的路灯坏了', '想申请技改补贴，电话13912345678'])
    }
  })
})
