import type { ExpectedVisit } from '#root/visits/extraction-score.js'
import { readFileSync } from 'node:fs'
/**
 * Measures the offline visit extractor on the hand-written notes in test/visits/visit-notes.json and prints the
 * share right per field: `npm run eval:visits` (add `--misses` to list what it got wrong).
 */
import process from 'node:process'
import { loadAreaFile } from '#root/areas/area-file.js'
import { scoreExtraction } from '#root/visits/extraction-score.js'
import { extractVisitOffline } from '#root/visits/offline-visit-extractor.js'

const set = JSON.parse(readFileSync(new URL('../test/visits/visit-notes.json', import.meta.url), 'utf8')) as { today: string, notes: { note: string, expected: ExpectedVisit }[] }
const areaNames = (await loadAreaFile(new URL('../prisma/areas.json', import.meta.url).pathname)).map(a => a.name)
const cases = set.notes.map(({ note, expected }) => ({ note, expected, got: extractVisitOffline({ text: note, today: set.today, areaNames }) }))
const scores = scoreExtraction(cases)
console.log(`visit extractor (offline) on ${cases.length} hand-written notes`)
for (const [field, share] of Object.entries(scores))
  console.log(`${field.padEnd(14)} ${(share * 100).toFixed(1)}%`)
if (process.argv.includes('--misses')) {
  for (const c of cases) {
    const single = scoreExtraction([c])
    const wrong = Object.entries(single).filter(([, v]) => v < 1).map(([k]) => k)
    if (wrong.length > 0)
      console.log(`\n${c.note}\n  wrong: ${wrong.join(', ')}\n  got: ${JSON.stringify(c.got)}\n  expected: ${JSON.stringify(c.expected)}`)
  }
}
