// Read by the Prisma CLI only. The bot never runs the CLI: it applies committed migrations itself (src/store/migrate.ts).
import { defineConfig } from 'prisma/config'

const provider = process.env.PRISMA_PROVIDER === 'postgresql' ? 'postgresql' : 'sqlite'

export default defineConfig({
  schema: `prisma/${provider}`,
  migrations: { path: `prisma/${provider}/migrations` },
})
