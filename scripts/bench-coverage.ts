import type { Area } from '#root/domain/area.js'
import type { Database } from '#root/store/database.js'
/**
 * Coverage at the campaign's scale: `npm run bench:coverage -- [--scale 1] [--db sqlite,postgresql]`.
 *
 * Seeds a fresh scratch database (an SQLite file; a temporary database on TEST_POSTGRES_URL) with the 2017 campaign's
 * numbers times --scale: 1,101,200 households (5% in difficulty) and 195,600 enterprises (10% above designated size),
 * 3,000 projects, 1.3 million visits by 50,000 cadres over four months (a fifth with one problem heard), in an area
 * tree of 10 districts, 100 streets/towns and 3,000 villages. Entities go through the real import path
 * (`parseRegistryCsv` on CSV text, then `importRows`), whose rate is printed; visits are bulk-inserted.
 *
 * Then the coverage summary is built once (the bulk insert bypasses the stores that keep it), and three runs each
 * (the median printed): the city-wide report (`cityCoverage`, read from the summary), the same figures counted from
 * the rows, one street's report
 * (`coverageReport`), and beside each the best single hand-written SQL statement for the same figures on the same
 * database; and how long a one-row lookup waits when issued while a city-wide report runs (what another chat feels).
 * On SQLite the reports run as the bot runs them, in a worker thread with a connection of their own.
 */
import { Buffer } from 'node:buffer'
import { performance } from 'node:perf_hooks'
import process from 'node:process'
import { parseArgs } from 'node:util'
import { createAreaTree } from '#root/domain/area.js'
import { parseRegistryCsv } from '#root/registry/registry-csv.js'
import { createAreaStore } from '#root/store/area-store.js'
import { createCoverageStore } from '#root/store/coverage-store.js'
import { rebuildSummary } from '#root/store/coverage-summary.js'
import { createRegistryStore } from '#root/store/registry-store.js'
import { createThreadedCoverageStore } from '#root/store/threaded-coverage-store.js'
import { ALL_TIME, cityCoverage, coverageReport } from '#root/usecases/coverage.js'
import { createScratchDatabase, isPostgresAvailable } from '../test/helpers/database.js'

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' }, db: { type: 'string', default: 'sqlite,postgresql' } } })
const scale = Number(values.scale)
const providers = values.db!.split(',') as ('sqlite' | 'postgresql')[]
const CHUNK = 20_000

function areaTree(): Area[] {
  const areas: Area[] = []
  for (let d = 0; d < 10; d++) {
    areas.push({ id: `d${d}`, name: `区${d}`, level: 'district', parentId: null })
    for (let s = 0; s < 10; s++) {
      areas.push({ id: `d${d}-s${s}`, name: `区${d}街道${s}`, level: 'street', parentId: `d${d}` })
      for (let v = 0; v < 30; v++) areas.push({ id: `d${d}-s${s}-v${v}`, name: `区${d}街道${s}村${v}`, level: 'village', parentId: `d${d}-s${s}` })
    }
  }
  return areas
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
async function timed(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < 3; i++) {
    const start = performance.now()
    await run()
    times.push(performance.now() - start)
  }
  return median(times)
}

async function bench(db: Database, url: string): Promise<void> {
  const areas = areaTree()
  await createAreaStore(db).sync(areas)
  const tree = createAreaTree(areas)
  const villages = areas.filter(a => a.level === 'village')
  const registry = createRegistryStore(db)
  const households = Math.round(1_101_200 * scale)
  const enterprises = Math.round(195_600 * scale)
  const projects = Math.round(3_000 * scale)
  const total = households + enterprises + projects

  const importStart = performance.now()
  for (let at = 0; at < total; at += CHUNK) {
    const lines = ['key,kind,name,area,address,in_difficulty,above_designated_size']
    for (let i = at; i < Math.min(at + CHUNK, total); i++) {
      const kind = i < households ? '家庭' : i < households + enterprises ? '企业' : '项目'
      lines.push(`K${i},${kind},对象${i},${villages[i % villages.length]!.id},某路${i}号,${kind === '家庭' && i % 20 === 0 ? '是' : '否'},${kind === '企业' && i % 10 === 0 ? '是' : '否'}`)
    }
    const parsed = parseRegistryCsv(Buffer.from(lines.join('\n')), tree)
    await registry.importRows(parsed.rows)
  }
  const importSeconds = (performance.now() - importStart) / 1000

  const visits = Math.round(1_300_000 * scale)
  const cadres = Math.max(1, Math.round(50_000 * scale))
  const visitStart = performance.now()
  for (let at = 0; at < visits; at += CHUNK) {
    const rows = []
    for (let i = at; i < Math.min(at + CHUNK, visits); i++) {
      // Visits land on 70% of the entities, some twice.
      const entityId = 1 + ((i * 7919) % Math.round(total * 0.7))
      const month = 8 + (i % 4)
      rows.push({
        intakeKey: `v${i}`,
        entityId,
        areaId: villages[(entityId - 1) % villages.length]!.id,
        cadreId: BigInt(i % cadres),
        cadreName: `干部${i % cadres}`,
        chatId: -1n,
        chatType: 'supergroup',
        visitedOn: `2026-${String(month).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
        heard: '',
        note: '走访',
        goals: '["opinion"]',
        extractor: 'bench',
      })
    }
    await db.prisma.visit.createMany({ data: rows })
    await db.prisma.visitProblem.createMany({ data: rows.flatMap((_, k) => ((at + k) % 5 === 0 ? [{ visitId: at + k + 1, position: 0, text: '问题' }] : [])) })
  }
  const visitSeconds = (performance.now() - visitStart) / 1000
  // The bulk insert bypasses the visit store, which keeps the coverage summary as it writes: build it once, as the
  // migration that adds it does.
  const rebuildStart = performance.now()
  await db.prisma.$transaction(tx => rebuildSummary(tx), { timeout: 600_000 })
  const rebuildSeconds = (performance.now() - rebuildStart) / 1000

  // As the bot does: on SQLite the reports run in a worker thread with a connection of their own.
  const threaded = db.provider === 'sqlite' ? createThreadedCoverageStore(url) : null
  const deps = { coverage: threaded ?? createCoverageStore(db), areas: () => tree }
  const city = await timed(() => cityCoverage(deps, ALL_TIME))
  const cityFromRows = await timed(() => createCoverageStore(db).figuresFromRows(ALL_TIME, null))
  const street = await timed(() => coverageReport(deps, 'd3-s4', ALL_TIME))
  const handCity = await timed(() => db.prisma.$queryRawUnsafe(
    `SELECT e."kind", COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM "Visit" v WHERE v."entityId" = e."id") THEN 1 ELSE 0 END)
     FROM "RegistryEntity" e GROUP BY e."kind"`,
  ))
  const streetAreas = tree.subtree('d3-s4').map(a => `'${a.id}'`).join(',')
  const handStreet = await timed(() => db.prisma.$queryRawUnsafe(
    `SELECT e."kind", COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM "Visit" v WHERE v."entityId" = e."id") THEN 1 ELSE 0 END)
     FROM "RegistryEntity" e WHERE e."areaId" IN (${streetAreas}) GROUP BY e."kind"`,
  ))
  // Another chat's one-row lookup, issued while a city-wide report runs.
  const running = cityCoverage(deps, ALL_TIME)
  const lookupStart = performance.now()
  await db.prisma.registryEntity.findUnique({ where: { externalKey: 'K12345' } })
  const lookup = performance.now() - lookupStart
  await running
  await threaded?.close()

  const ms = (x: number) => `${Math.round(x)} ms`
  console.log(`\n[${db.provider}] scale ${scale}: ${total.toLocaleString()} entities, ${visits.toLocaleString()} visits, ${cadres.toLocaleString()} cadres, ${villages.length} villages`)
  console.log(`import (CSV parse + upsert): ${Math.round(total / importSeconds).toLocaleString()} rows/s (${importSeconds.toFixed(1)} s); visits bulk insert ${Math.round(visits / visitSeconds).toLocaleString()} rows/s`)
  console.log(`coverage summary built from scratch (as its migration does): ${rebuildSeconds.toFixed(1)} s`)
  console.log(`city-wide report:  ${ms(city)} (from the summary)   counted from the rows: ${ms(cityFromRows)}   hand-written SQL (entities visited by kind only): ${ms(handCity)}`)
  console.log(`one street report: ${ms(street)}   hand-written SQL (entities visited by kind only): ${ms(handStreet)}`)
  console.log(`a one-row lookup issued during a city-wide report waited ${ms(lookup)}`)
}

for (const provider of providers) {
  if (provider === 'postgresql' && !(await isPostgresAvailable())) {
    console.log('[postgresql] skipped: no server answers at TEST_POSTGRES_URL')
    continue
  }
  const scratch = await createScratchDatabase(provider)
  try {
    await bench(await scratch.open(), scratch.url)
  }
  finally {
    await scratch.drop()
  }
}
process.exit(0)
