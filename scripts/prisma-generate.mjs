// Generates both Prisma clients (SQLite and PostgreSQL) after install.
// The native schema engine is never downloaded: generate does not need it, and migrations are applied by the bot itself.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const engineStandIn = fileURLToPath(new URL('./schema-engine-unavailable.sh', import.meta.url))
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' }
if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY))
  env.PRISMA_SCHEMA_ENGINE_BINARY = engineStandIn

const prismaCli = fileURLToPath(new URL('../node_modules/prisma/build/index.js', import.meta.url))
for (const provider of ['sqlite', 'postgresql']) {
  execFileSync(process.execPath, [prismaCli, 'generate', '--schema', `prisma/${provider}`], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
}
console.log('prisma: generated clients for sqlite and postgresql')
