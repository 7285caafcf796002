import { Writable } from 'node:stream'
import { createLogger, REDACTED_PATHS } from '#root/logger.js'
import { GrammyError } from 'grammy'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'

function capture() {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString())
      done()
    },
  })
  const logger = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, stream)
  return { logger, output: () => lines.join('') }
}

describe('logger redaction', () => {
  it('keeps residents\' words and numbers out of the log, and keeps the ids', () => {
    const { logger, output } = capture()
    const failed = new GrammyError('Call to \'sendMessage\' failed!', { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' }, 'sendMessage', { chat_id: 42, text: '我家门口的井盖丢了，电话13800138000' })
    logger.error({ err: failed, ticket: 'HY-20261126-0001' }, 'delivery failed')
    logger.info({ report: { description: '楼下噪音', contactPhone: '13800138000' }, user_id: 7 }, 'report')
    logger.info({ update: { update_id: 1, message: { text: '私密内容', from: { first_name: '王' } } } }, 'update')
    const text = output()
    for (const secret of ['井盖', '13800138000', '噪音', '私密内容'])
      expect(text).not.toContain(secret)
    expect(text).toContain('HY-20261126-0001')
    expect(text).toContain('"user_id":7')
    expect(text).toContain('Forbidden: bot was blocked by the user')
  })

  it('never writes the bot token or the LLM key', () => {
    const { logger, output } = capture()
    logger.info({ config: { botToken: '123:secret-token', openai: { apiKey: 'sk-secret' } } }, 'config')
    expect(output()).not.toMatch(/secret-token|sk-secret/)
  })

  it('removes personal data from any field, message or error at every level', () => {
    const lines: string[] = []
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString())
        done()
      },
    })
    const logger = createLogger({ logLevel: 'trace', logPretty: false }, stream)
    logger.trace({ place: '星湖街 8 号，电话一三八一二三四五六七八' }, 'place')
    logger.debug({ answer: { summary: '联系 zhang@example.com' } }, 'llm answer')
    logger.warn('resident wrote 320502198808151233')
    logger.error({ err: new Error('could not store 13812345678'), ticket: 'HY-20261126-0001', chat_id: -1001234567890, at: new Date(0) }, 'failed')
    logger.warn({ error: new Error('lost 13812345678', { cause: new Error('because of 13812345678') }) }, 'under another key')
    logger.error({ err: new GrammyError('Call to \'sendMessage\' failed!', { ok: false, error_code: 400, description: 'Bad Request: message is too long' }, 'sendMessage', { chat_id: 42, text: '井盖丢了' }) }, 'send failed')
    const text = lines.join('')
    for (const secret of ['一三八一二三四五六七八', 'zhang@example.com', '320502198808151233', '13812345678', '井盖'])
      expect(text).not.toContain(secret)
    expect(text).toContain('1970-01-01T00:00:00.000Z')
    expect(text).toContain('message is too long')
    expect(text).toContain('星湖街 8 号')
    expect(text).toContain('HY-20261126-0001')
    expect(text).toContain('-1001234567890')
    expect(lines).toHaveLength(6)
  })
})
