import { readFile } from 'node:fs/promises'
/**
 * Imports a registry CSV into the case store named by DATABASE_URL: `npm run registry:import -- FILE`.
 * Rows with a known key are updated, new keys created; bad rows are listed with their line and reason and the good
 * rows still load. UTF-8 (with or without BOM) and GBK are both read. Exits 1 when the file cannot be read at all.
 */
import process from 'node:process'
import { loadAreaFile } from '#root/areas/area-file.js'
import { createConfig } from '#root/config.js'
import { createAreaTree } from '#root/domain/area.js'
import { createLogger } from '#root/logger.js'
import { parseRegistryCsv, RegistryFileError } from '#root/registry/registry-csv.js'
import { createAreaStore } from '#root/store/area-store.js'
import { openDatabase } from '#root/store/database.js'
import { createRegistryStore } from '#root/store/registry-store.js'

const file = process.argv[2]
if (!file) {
  console.error('usage: npm run registry:import -- FILE.csv')
  process.exit(2)
}
const config = createConfig({ BOT_TOKEN: '0:command-line-tool-without-bot', ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' })
const logger = createLogger(config)
const database = await openDatabase(config.databaseUrl, { logger })
try {
  const areas = await loadAreaFile(config.areasFile)
  await createAreaStore(database).sync(areas)
  const started = Date.now()
  const parsed = parseRegistryCsv(await readFile(file), createAreaTree(areas))
  const outcome = await createRegistryStore(database).importRows(parsed.rows)
  const seconds = (Date.now() - started) / 1000
  console.log(`${file} (${parsed.encoding}): ${outcome.created} created, ${outcome.updated} updated, ${outcome.unchanged} unchanged, ${parsed.errors.length} rows with errors; ${Math.round((parsed.rows.length + parsed.errors.length) / seconds)} rows/s`)
  if (parsed.ignoredColumns.length > 0)
    console.log(`ignored columns: ${parsed.ignoredColumns.join(', ')}`)
  for (const error of parsed.errors) console.log(`line ${error.line}: ${error.reason}`)
}
catch (error) {
  if (!(error instanceof RegistryFileError))
    throw error
  console.error(`${file}: ${error.message}`)
  process.exitCode = 1
}
finally {
  await database.close()
}
