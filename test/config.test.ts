import { describe, expect, it } from 'vitest'
import { ConfigError, createConfig } from '#root/config.js'

const TOKEN = '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef'

describe('createConfig', () => {
  it('needs only the bot token and defaults to SQLite and the offline classifier', () => {
    const config = createConfig({ BOT_TOKEN: TOKEN })
    expect(config.botToken).toBe(TOKEN)
    expect(config.databaseUrl).toBe('file:./data/huiyin.db')
    expect(config.telegramApiRoot).toBe('https://api.telegram.org')
    expect(config.openai).toBeNull()
    expect(config.adminIds).toEqual([])
    expect(config.timezone).toBe('Asia/Shanghai')
  })

  it('turns the LLM on with a key and reads every OpenAI setting', () => {
    const config = createConfig({
      BOT_TOKEN: TOKEN,
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
      OPENAI_MODEL: 'qwen-plus',
      OPENAI_TIMEOUT_MS: '2500',
      OPENAI_RESPONSE_FORMAT: 'json_object',
    })
    expect(config.openai).toEqual({ apiKey: 'sk-test', baseUrl: 'http://127.0.0.1:9/v1', model: 'qwen-plus', timeoutMs: 2500, responseFormat: 'json_object' })
  })

  it('treats empty optional variables as unset, as .env files write them', () => {
    const config = createConfig({ BOT_TOKEN: TOKEN, OPENAI_API_KEY: '', OPENAI_BASE_URL: '' })
    expect(config.openai).toBeNull()
  })

  it('parses admin ids and accepts PostgreSQL URLs', () => {
    const config = createConfig({ BOT_TOKEN: TOKEN, ADMIN_IDS: ' 11, 22 ,33', DATABASE_URL: 'postgresql://u@localhost/db' })
    expect(config.adminIds).toEqual([11, 22, 33])
    expect(config.databaseUrl).toBe('postgresql://u@localhost/db')
  })

  it('names every problem at once in one readable message', () => {
    let error: unknown
    try {
      createConfig({ DATABASE_URL: 'mysql://x', ADMIN_IDS: '1,abc', LOG_LEVEL: 'loud', TIMEZONE: 'Mars/Base', OPENAI_TIMEOUT_MS: '-1' })
    }
    catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    const { problems, message } = error as ConfigError
    expect(problems).toHaveLength(6)
    expect(message).toMatch(/^Invalid configuration:/)
    for (const name of ['BOT_TOKEN', 'DATABASE_URL', 'ADMIN_IDS', 'LOG_LEVEL', 'TIMEZONE', 'OPENAI_TIMEOUT_MS'])
      expect(message).toContain(name)
    expect(message).toContain('"abc" is not a numeric Telegram user id')
  })
})

describe('configuration documents', () => {
  it('.env.example and the README table list exactly the variables the schema reads', async () => {
    const { readFileSync } = await import('node:fs')
    const { configSchema } = await import('#root/config.js')
    const root = new URL('../', import.meta.url)
    const schemaKeys = Object.keys(configSchema.shape).sort()
    const exampleKeys = readFileSync(new URL('.env.example', root), 'utf8')
      .split('\n')
      .map(line => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
      .filter((key): key is string => Boolean(key))
      .sort()
    const readmeKeys = [...readFileSync(new URL('README.md', root), 'utf8').matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)]
      .map(match => match[1]!)
      .sort()
    expect(exampleKeys).toEqual(schemaKeys)
    expect(readmeKeys).toEqual(schemaKeys)
  })
})
