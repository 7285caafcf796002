import { createApp } from '#root/app.js'
import { ConfigError, loadConfigFromEnvironment } from '#root/config.js'
import { createLogger } from '#root/logger.js'

async function main(): Promise<void> {
  let config
  try {
    config = loadConfigFromEnvironment()
  }
  catch (error) {
    if (error instanceof ConfigError) {
      console.error(`${error.message}\n\nSee .env.example and the configuration table in README.md.`)
      process.exit(1)
    }
    throw error
  }
  const logger = createLogger(config)
  const app = await createApp(config, { logger })

  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping)
      return
    stopping = true
    logger.info({ signal }, 'shutting down')
    await app.stop()
    process.exit(0)
  }
  process.once('SIGINT', () => void shutdown('SIGINT'))
  process.once('SIGTERM', () => void shutdown('SIGTERM'))

  await app.start()
}

await main()
