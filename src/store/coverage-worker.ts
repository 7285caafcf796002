import type { Period } from '#root/store/coverage-store.js'
/**
 * A worker thread that answers coverage queries on a connection of its own. libSQL runs SQLite statements on the
 * thread that calls it, so a city-wide report on the bot's own thread would hold every other chat until it ends.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { createCoverageStore } from '#root/store/coverage-store.js'
import { openDatabase } from '#root/store/database.js'
import { pino } from 'pino'

export interface CoverageRequest {
  id: number
  period: Period
  areaIds: string[] | null
}

const { databaseUrl } = workerData as { databaseUrl: string }
// Migrations are the bot's to apply; this connection only reads.
const opened = openDatabase(databaseUrl, { logger: pino({ level: 'silent' }), migrate: false })

parentPort!.on('message', async (request: CoverageRequest | 'close') => {
  if (request === 'close') {
    await (await opened).close()
    parentPort!.close()
    return
  }
  try {
    const rows = await createCoverageStore(await opened).figures(request.period, request.areaIds)
    parentPort!.postMessage({ id: request.id, result: { byArea: [...rows.byArea], cadres: rows.cadres } })
  }
  catch (error) {
    parentPort!.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) })
  }
})
