import type { MonthKey, UnitKind } from '#root/domain/monthly-figures.js'
/**
 * A worker thread that answers `/stats` and the monthly figures on a connection of its own. libSQL runs SQLite
 * statements on the thread that calls it, so a month's aggregate on the bot's own thread would hold every other
 * chat until it ends.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { createAreaTree } from '#root/domain/area.js'
import { createAreaStore } from '#root/store/area-store.js'
import { openDatabase } from '#root/store/database.js'
import { createMonthlyFiguresStore } from '#root/store/monthly-figures-store.js'
import { createStatsStore } from '#root/store/stats-store.js'
import { pino } from 'pino'

export type FiguresRequest
  = | { id: number, kind: 'stats', from: string, to: string }
    | { id: number, kind: 'month', month: MonthKey, unit: UnitKind }

const { databaseUrl, timezone } = workerData as { databaseUrl: string, timezone: string }
// Migrations are the bot's to apply; this connection only reads.
const opened = openDatabase(databaseUrl, { logger: pino({ level: 'silent' }), migrate: false })
// The bot syncs the area tree from its file before it answers anyone; it does not change while it runs.
const tree = opened.then(async db => createAreaTree(await createAreaStore(db).load()))
const stores = opened.then(async (db) => {
  const areas = await tree
  return { stats: createStatsStore(db), monthly: createMonthlyFiguresStore(db, { timezone, areas: () => areas }) }
})

parentPort!.on('message', async (request: FiguresRequest | 'close') => {
  if (request === 'close') {
    await (await opened).close()
    parentPort!.close()
    return
  }
  try {
    const { stats, monthly } = await stores
    const result = request.kind === 'stats'
      ? await stats.ticketStats({ from: new Date(request.from), to: new Date(request.to) })
      : await monthly.monthFigures(request.month, request.unit)
    parentPort!.postMessage({ id: request.id, result })
  }
  catch (error) {
    parentPort!.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) })
  }
})
