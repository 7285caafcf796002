/**
 * The month's report (月度通报) from the case store named by DATABASE_URL, as `/monthly` sends it:
 * `npm run monthly -- [YYYY-MM] [--out DIR]`. Prints the message; writes monthly-YYYY-MM.csv and monthly-YYYY-MM.png
 * into DIR (default: the working directory). No month: the last complete one.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import process from 'node:process'
import { loadAreaFile } from '#root/areas/area-file.js'
import { createI18n } from '#root/bot/i18n.js'
import { loadScoreWeights } from '#root/catalog/monthly-weights-file.js'
import { createConfig } from '#root/config.js'
import { createAreaTree } from '#root/domain/area.js'
import { chooseMonth, monthOfDay } from '#root/domain/monthly-report.js'
import { localDay } from '#root/domain/working-calendar.js'
import { createLogger } from '#root/logger.js'
import { loadNotoSansSc } from '#root/monthly/cjk-font.js'
import { renderReportChart } from '#root/monthly/report-chart.js'
import { monthlyReportCsv } from '#root/monthly/report-csv.js'
import { monthlyReportText } from '#root/monthly/report-text.js'
import { createCatalogStore } from '#root/store/catalog-store.js'
import { openDatabase } from '#root/store/database.js'
import { createModelCaseStore } from '#root/store/model-case-store.js'
import { createMonthlyFiguresStore } from '#root/store/monthly-figures-store.js'
import { monthlyBulletin } from '#root/usecases/monthly-report.js'

const USAGE = 'usage: npm run monthly -- [YYYY-MM] [--out DIR]'

function parseArguments(argv: string[]): { month: string | undefined, out: string } {
  let month: string | undefined
  let out = '.'
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!
    if (word === '--out') {
      const dir = argv[++i]
      if (!dir)
        fail(`--out needs a folder\n${USAGE}`)
      out = dir
    }
    else if (word === '--help' || word === '-h') {
      console.log(USAGE)
      process.exit(0)
    }
    else if (month === undefined) {
      month = word
    }
    else {
      fail(`one month at most: ${word}\n${USAGE}`)
    }
  }
  return { month, out }
}

function fail(message: string): never {
  console.error(message)
  process.exit(2)
}

const args = parseArguments(process.argv.slice(2))
const config = createConfig({ BOT_TOKEN: '0:command-line-tool-without-bot', ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' })
const today = localDay(new Date(), config.timezone)
const chosen = chooseMonth(args.month, today)
if (!chosen.ok) {
  fail(chosen.reason === 'format'
    ? `not a month: ${args.month} (write it as YYYY-MM, e.g. 2026-11)\n${USAGE}`
    : `${args.month} has not come yet: there is no report for it`)
}
const month = chosen.month
const database = await openDatabase(config.databaseUrl, { logger: createLogger(config) })
try {
  const tree = createAreaTree(await loadAreaFile(config.areasFile))
  const catalog = await createCatalogStore(database).load()
  const bulletin = await monthlyBulletin({
    figures: createMonthlyFiguresStore(database, { timezone: config.timezone, areas: () => tree }),
    modelCases: createModelCaseStore(database),
    weights: await loadScoreWeights(config.monthlyWeightsFile),
    catalog: () => catalog,
    areas: () => tree,
    timezone: config.timezone,
  }, month)
  const i18n = createI18n()
  console.log(monthlyReportText(bulletin, {
    t: (key, variables) => i18n.t('zh', key, variables),
    locale: 'zh',
    partial: month === monthOfDay(today),
  }))
  await mkdir(args.out, { recursive: true })
  const csvPath = join(args.out, `monthly-${month}.csv`)
  const pngPath = join(args.out, `monthly-${month}.png`)
  await writeFile(csvPath, monthlyReportCsv(bulletin, config.timezone))
  await writeFile(pngPath, await renderReportChart(bulletin.report, await loadNotoSansSc()))
  console.error(`wrote ${csvPath} and ${pngPath}`)
}
finally {
  await database.close()
}
