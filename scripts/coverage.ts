/**
 * Prints visit coverage from the case store named by DATABASE_URL: `npm run coverage -- [AREA] [PERIOD]`
 * (no area: every district, rolled up to the city). Periods as /coverage reads them: 2026-11, 2026, 本月, a..b.
 */
import process from 'node:process'
import { loadAreaFile } from '#root/areas/area-file.js'
import { createConfig } from '#root/config.js'
import { createAreaTree } from '#root/domain/area.js'
import { ticketDay } from '#root/domain/ticket-number.js'
import { createLogger } from '#root/logger.js'
import { createCoverageStore } from '#root/store/coverage-store.js'
import { openDatabase } from '#root/store/database.js'
import { cityCoverage, coverageLines, coverageReport, parsePeriod, periodLabel, renderCoverage } from '#root/usecases/coverage.js'

const config = createConfig({ BOT_TOKEN: '0:command-line-tool-without-bot', ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' })
const database = await openDatabase(config.databaseUrl, { logger: createLogger(config) })
try {
  const tree = createAreaTree(await loadAreaFile(config.areasFile))
  const today = ticketDay(new Date(), config.timezone).replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3')
  let areaId: string | null = null
  let period = parsePeriod('', today)!
  for (const word of process.argv.slice(2)) {
    const area = tree.find(word)
    const asPeriod = parsePeriod(word, today)
    if (area)
      areaId = area.id
    else if (asPeriod)
      period = asPeriod
    else
      throw new Error(`neither an area nor a period: ${word}`)
  }
  const deps = { coverage: createCoverageStore(database), areas: () => tree }
  if (areaId) {
    console.log(renderCoverage(await coverageReport(deps, areaId, period)))
  }
  else {
    const city = await cityCoverage(deps, period)
    console.log([`全市走访覆盖（${periodLabel(period)}）`, ...coverageLines(city.total)].join('\n'))
    for (const district of city.districts) console.log([`【${district.area.name}】`, ...coverageLines(district.figures)].join('\n'))
  }
}
finally {
  await database.close()
}
