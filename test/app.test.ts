import type { FakeTelegram } from './fakes/telegram-server.js'
import type { ScratchDatabase } from './helpers/database.js'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { startFakeTelegram } from './fakes/telegram-server.js'
import { createScratchDatabase } from './helpers/database.js'
import { startTestApp } from './helpers/test-app.js'

let telegram: FakeTelegram
let database: ScratchDatabase

beforeEach(async () => {
  telegram = await startFakeTelegram()
  database = await createScratchDatabase('sqlite')
})

afterEach(async () => {
  await telegram.close()
  await database.drop()
})

it('offers residents the same commands in the menu in Chinese and in English, each answered by the bot', async () => {
  const app = await startTestApp({ telegram, databaseUrl: database.url })
  try {
    const zh = telegram.myCommands().map(c => c.command)
    const en = telegram.myCommands({ type: 'default' }, 'en').map(c => c.command)
    expect(zh).toEqual(['report', 'mine', 'status', 'hot', 'cancel', 'help'])
    expect(en).toEqual(zh)
    // Each one gets an answer in a private chat: none is a menu entry without a handler.
    const user = telegram.createUser({ first_name: '王阿姨', language_code: 'zh' })
    telegram.startPrivateChat(user)
    await telegram.waitForMessage({ chatId: user.id })
    for (const command of zh) {
      telegram.sendMessage({ chat: user.id, from: user, text: `/${command}` })
      await telegram.waitForMessage({ chatId: user.id })
    }
  }
  finally {
    await app.stop()
  }
})
