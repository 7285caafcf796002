import { ConfigError, createConfig } from '#root/config.js'
import { describe, expect, it } from 'vitest'

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
    expect(config.openai).toEqual({ apiKey: 'sk-test', baseUrl: 'http://127.0.0.1:9/v1', model: 'qwen-plus', timeoutMs: 2500, responseFormat: 'json_object', transcribeModel: null })
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

describe('receiving updates', () => {
  it('polls by default, with no HTTP server unless a port is given', () => {
    const config = createConfig({ BOT_TOKEN: TOKEN })
    expect(config).toMatchObject({ webhook: null, httpPort: null, concurrency: 32, inboxFile: './data/inbox.jsonl' })
    expect(createConfig({ BOT_TOKEN: TOKEN, HTTP_PORT: '9090', BOT_CONCURRENCY: '4' })).toMatchObject({ webhook: null, httpPort: 9090, concurrency: 4 })
  })

  it('takes updates by webhook when WEBHOOK_URL is set, on port 8080 and the URL\'s path unless told otherwise', () => {
    const config = createConfig({ BOT_TOKEN: TOKEN, WEBHOOK_URL: 'https://bot.example.org/telegram/hook', WEBHOOK_SECRET: 's3cret_-X' })
    expect(config.webhook).toEqual({ url: 'https://bot.example.org/telegram/hook', secret: 's3cret_-X', path: '/telegram/hook' })
    expect(config.httpPort).toBe(8080)
    const behindProxy = createConfig({ BOT_TOKEN: TOKEN, WEBHOOK_URL: 'https://bot.example.org/hook', WEBHOOK_SECRET: 'x', WEBHOOK_PATH: '/', HTTP_PORT: '3000' })
    expect(behindProxy).toMatchObject({ webhook: { path: '/' }, httpPort: 3000 })
  })

  it('refuses a webhook without a secret, a plain-http webhook, a bad secret and a bad concurrency', () => {
    expect(() => createConfig({ BOT_TOKEN: TOKEN, WEBHOOK_URL: 'https://bot.example.org/hook' })).toThrow(/WEBHOOK_SECRET is required with WEBHOOK_URL/)
    let error: unknown
    try {
      createConfig({ BOT_TOKEN: TOKEN, WEBHOOK_URL: 'http://bot.example.org/hook', WEBHOOK_SECRET: 'has spaces', BOT_CONCURRENCY: '0', HTTP_PORT: '70000', WEBHOOK_PATH: 'hook' })
    }
    catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    const { problems } = error as ConfigError
    for (const name of ['WEBHOOK_URL', 'WEBHOOK_SECRET', 'BOT_CONCURRENCY', 'HTTP_PORT', 'WEBHOOK_PATH'])
      expect(problems.some(p => p.startsWith(name)), `${name} in ${problems.join('; ')}`).toBe(true)
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
