/**
 * Precision and recall of the duplicate check (src/classify/duplicate-similarity.ts) across thresholds, on the
 * hand-labelled pairs of test/classify/duplicate-pairs.ts:
 *
 *   npm run eval:duplicates -- [FILE.jsonl]
 *
 * FILE defaults to ../shared/data/messages_with_votes.jsonl. The messages are read at run time and nothing from them
 * is written anywhere. Exit codes: 0 scored, 1 failed, 2 the data file is absent.
 */
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { precisionRecall, scorePairs } from '#root/classify/duplicate-evaluation.js'
import { DUPLICATE_THRESHOLD } from '#root/classify/duplicate-similarity.js'
import { DUPLICATE_PAIRS } from '../test/classify/duplicate-pairs.js'

const DEFAULT_FILE = fileURLToPath(new URL('../../shared/data/messages_with_votes.jsonl', import.meta.url))
const file = process.argv[2] ?? DEFAULT_FILE
if (!existsSync(file)) {
  process.stderr.write(`eval-duplicates: ${file} is absent\n`)
  process.exit(2)
}
const messages = readFileSync(file, 'utf8').split('\n').filter(line => line.trim()).map(line => JSON.parse(line) as { id: string, title: string, body: string })
const scored = scorePairs(messages, DUPLICATE_PAIRS)
const positives = scored.filter(p => p.duplicate).length
process.stdout.write(`${scored.length} labelled pairs (${positives} duplicates, ${scored.length - positives} not); character-bigram Dice over title + body, personal data removed\n\n`)
process.stdout.write('threshold  precision  recall  f1     tp  fp  fn\n')
for (const threshold of [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8]) {
  const r = precisionRecall(scored, threshold)
  const mark = threshold === DUPLICATE_THRESHOLD ? '  ← in use' : ''
  process.stdout.write(`${threshold.toFixed(2).padStart(9)}  ${r.precision.toFixed(3).padStart(9)}  ${r.recall.toFixed(3).padStart(6)}  ${r.f1.toFixed(3)}  ${String(r.truePositives).padStart(3)} ${String(r.falsePositives).padStart(3)} ${String(r.falseNegatives).padStart(3)}${mark}\n`)
}
