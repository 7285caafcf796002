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
  const shutdown = async (exitCode: number) => {
    if (stopping)
      return
    stopping = true
    await app.stop().catch((error: unknown) => logger.error({ err: error }, 'stopping failed'))
    process.exit(exitCode)
  }
  // A failure to receive that cannot heal (the token revoked, another instance polling) ends the process with an
  // error, so that a supervisor restarts it and says so.
  const fail = (error: unknown) => {
    if (stopping)
      return
    logger.fatal({ err: error }, 'receiving updates failed for good; exiting')
    void shutdown(1)
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down')
      void shutdown(0)
    })
  }

  app.receiving.catch(fail)
  await app.start().catch(fail)
}

await main()
