import type { ClassificationInput, ClassificationResult, Classifier } from '#root/classify/classification.js'
import type { Catalog } from '#root/domain/catalog.js'
import type { FakeOpenAi } from '../fakes/openai-server.js'
import { Writable } from 'node:stream'
import { createFallbackClassifier } from '#root/classify/fallback-classifier.js'
import { ClassificationError, createOpenAiClassifier } from '#root/classify/openai-classifier.js'
import { loadPrompt } from '#root/classify/prompts.js'
import { OpenAI } from 'openai'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeOpenAi } from '../fakes/openai-server.js'

const catalog: Catalog = {
  departments: [{ id: 'water_affairs', nameZh: '水务局', nameEn: 'Water Affairs Bureau' }],
  categories: [
    { id: 'water_supply', nameZh: '供水问题', nameEn: 'Water supply', departmentId: 'water_affairs', keywords: ['停水', '水压'] },
    { id: 'other', nameZh: '其他', nameEn: 'Other', departmentId: 'water_affairs', keywords: [] },
  ],
}

const REPORT = '幸福小区 3 号楼停水两天了，电话 13812345678'

/** Stands in for the offline keyword classifier: always answers, with low confidence. */
function offlineLike(): Classifier & { calls: ClassificationInput[] } {
  const calls: ClassificationInput[] = []
  return {
    calls,
    async classify(input) {
      calls.push(input)
      return {
        categoryId: 'other',
        departmentId: 'water_affairs',
        urgency: 'normal',
        requestType: 'help_request',
        summary: '市民诉求',
        location: null,
        confidence: 0.3,
        isReport: true,
        notReportReason: null,
        classifier: 'offline',
        model: null,
        promptVersion: null,
        fallbackReason: null,
      }
    },
  }
}

function failing(error: unknown): Classifier {
  return { classify: async () => { throw error } }
}

function capturingLogger() {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString())
      done()
    },
  })
  return { logger: pino({ level: 'debug' }, stream), lines }
}

describe('createFallbackClassifier', () => {
  let fake: FakeOpenAi

  beforeAll(async () => {
    fake = await startFakeOpenAi({ catalog })
  })

  afterAll(async () => {
    await fake.close()
  })

  it('returns the primary\'s result when it succeeds', async () => {
    const primaryResult: ClassificationResult = { ...(await offlineLike().classify({ text: '' })), classifier: 'llm', model: 'm', promptVersion: 'p@1' }
    const fallback = offlineLike()
    const { logger } = capturingLogger()
    const result = await createFallbackClassifier({ primary: { classify: async () => primaryResult }, fallback, logger }).classify({ text: REPORT })

    expect(result).toEqual(primaryResult)
    expect(fallback.calls).toHaveLength(0)
  })

  it('falls back when the LLM times out, records why, and logs no report text', async () => {
    fake.setMode('slow')
    const { logger, lines } = capturingLogger()
    // Counted where the client sends, not where the server receives: on a busy machine a request that times out
    // after 100 ms may be abandoned before the server has even read it.
    let attempts = 0
    const countingFetch: typeof fetch = (input, init) => {
      attempts++
      return fetch(input, init)
    }
    const primary = createOpenAiClassifier({
      openai: new OpenAI({ apiKey: 'k', baseURL: fake.baseURL, fetch: countingFetch }),
      model: 'fake-gpt',
      catalog,
      prompt: await loadPrompt('classify-report'),
      timeoutMs: 100,
      logger,
    })
    const fallback = offlineLike()
    const result = await createFallbackClassifier({ primary, fallback, logger }).classify({ text: REPORT })

    expect(result).toMatchObject({ classifier: 'offline', categoryId: 'other', fallbackReason: 'llm_timeout' })
    expect(fallback.calls).toEqual([{ text: REPORT }])
    expect(attempts).toBe(2)
    const warnings = lines.map(l => JSON.parse(l) as { level: number, fallbackReason?: string }).filter(l => l.level === 40)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]?.fallbackReason).toBe('llm_timeout')
    const log = lines.join('')
    expect(log).not.toContain('停水')
    expect(log).not.toContain('13812345678')
  })

  it('names the LLM failure in fallbackReason', async () => {
    const { logger } = capturingLogger()
    const fallback = offlineLike()
    const cases: Array<[unknown, string]> = [
      [new ClassificationError('invalid_output', 'no JSON'), 'llm_invalid_output'],
      [new ClassificationError('http_5xx', 'HTTP 500', { status: 500 }), 'llm_http_5xx'],
      [new Error(`boom: ${REPORT}`), 'llm_error'],
    ]
    for (const [error, reason] of cases) {
      const result = await createFallbackClassifier({ primary: failing(error), fallback, logger }).classify({ text: REPORT })
      expect(result.fallbackReason).toBe(reason)
    }
  })

  it('does not log an unknown error\'s message, which might quote the report', async () => {
    const { logger, lines } = capturingLogger()
    await createFallbackClassifier({ primary: failing(new Error(`boom: ${REPORT}`)), fallback: offlineLike(), logger }).classify({ text: REPORT })

    expect(lines.join('')).not.toContain('停水')
  })

  it('throws instead of falling back when the caller aborts', async () => {
    const { logger } = capturingLogger()
    const controller = new AbortController()
    const fallback = offlineLike()
    const primary: Classifier = {
      classify: (_input, options) => new Promise((_resolve, reject) => {
        options?.signal?.addEventListener('abort', () => reject(new ClassificationError('aborted', 'cancelled')))
      }),
    }
    const pending = createFallbackClassifier({ primary, fallback, logger }).classify({ text: REPORT }, { signal: controller.signal })
    controller.abort()

    await expect(pending).rejects.toThrow()
    expect(fallback.calls).toHaveLength(0)
  })

  it('throws at once for a signal that is already aborted', async () => {
    const { logger } = capturingLogger()
    const fallback = offlineLike()
    await expect(createFallbackClassifier({ primary: offlineLike(), fallback, logger }).classify({ text: REPORT }, { signal: AbortSignal.abort() })).rejects.toThrow()
    expect(fallback.calls).toHaveLength(0)
  })

  it('propagates the fallback\'s own failure', async () => {
    const { logger } = capturingLogger()
    const primary = failing(new ClassificationError('network', 'unreachable'))
    const fallback = failing(new Error('offline classifier broken'))
    await expect(createFallbackClassifier({ primary, fallback, logger }).classify({ text: REPORT })).rejects.toThrow('offline classifier broken')
  })
})
