import type { PersonalDataKind } from '#root/privacy/personal-data.js'
/**
 * Counts the personal data the redaction finds in real messages, by kind, and how fast it reads them:
 *
 *   npm run scan:personal-data -- FILE.jsonl [FILE.jsonl …]
 *
 * Each line is a JSON object; its `title`, `body`, `text` and `content` strings are joined and scanned. The files hold
 * real residents' messages: they are read at run time and nothing from them is printed or written, only counts.
 * Method: every message is scanned once to warm up, then the whole set is scanned five times and the median run is
 * reported; then a few messages written to make a pattern backtrack are timed the same way. Exit codes: 0 scanned, 1 bad arguments, 2 a file is absent.
 */
import { existsSync, readFileSync } from 'node:fs'
import { findPersonalData, PERSONAL_DATA_KINDS } from '#root/privacy/personal-data.js'

const files = process.argv.slice(2).filter(arg => arg !== '--')
if (files.length === 0) {
  process.stderr.write('usage: npm run scan:personal-data -- FILE.jsonl [FILE.jsonl …]\n')
  process.exit(1)
}
const absent = files.find(file => !existsSync(file))
if (absent) {
  process.stderr.write(`scan-personal-data: ${absent} is absent; nothing scanned\n`)
  process.exit(2)
}

const texts: string[] = []
for (const file of files) {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim())
      continue
    const row = JSON.parse(line) as Record<string, unknown>
    texts.push(['title', 'body', 'text', 'content'].map(key => row[key]).filter(v => typeof v === 'string').join('\n'))
  }
}

const counts = Object.fromEntries(PERSONAL_DATA_KINDS.map(kind => [kind, 0])) as Record<PersonalDataKind, number>
let withAny = 0
for (const text of texts) {
  const found = findPersonalData(text)
  if (found.length > 0)
    withAny++
  for (const match of found)
    counts[match.kind]++
}

const runs: number[] = []
for (let run = 0; run < 5; run++) {
  const started = process.hrtime.bigint()
  for (const text of texts)
    findPersonalData(text)
  runs.push(Number(process.hrtime.bigint() - started) / 1e6)
}
const median = runs.sort((a, b) => a - b)[2]!
const characters = texts.reduce((sum, text) => sum + text.length, 0)

console.log(`messages: ${texts.length} (${characters} characters), with personal data: ${withAny} (${(100 * withAny / texts.length).toFixed(1)}%)`)
console.log(`found by kind: ${PERSONAL_DATA_KINDS.map(kind => `${kind} ${counts[kind]}`).join(', ')}`)
console.log(`speed: ${Math.round(texts.length / (median / 1000))} messages/s, ${(characters / median / 1000).toFixed(1)} M characters/s (median of 5 runs, one core)`)

// Messages written to make a pattern backtrack, at Telegram's longest message: a resident can send any of them, and
// the bot reads every message on one thread. Each should take about as long as an ordinary message of that length.
const LONGEST = 4096
const worstCases: Record<string, string> = {
  'a label, then spaces': `姓名${' '.repeat(LONGEST - 3)}x`,
  'a passport label, then spaces': `护照${' '.repeat(LONGEST - 3)}x`,
  'single digits and spaces': '1 '.repeat(LONGEST / 2),
  'Chinese digits and spaces': '一 '.repeat(LONGEST / 2),
  'labels and separators': '电话 号码 : 是 '.repeat(LONGEST / 10),
  'one long number': '1'.repeat(LONGEST),
  'one long word, then @': `${'a'.repeat(LONGEST - 1)}@`,
  'an address with a long domain': `a@${'b'.repeat(LONGEST - 2)}`,
}
console.log(`worst cases at ${LONGEST} characters (median of 5 runs):`)
for (const [name, text] of Object.entries(worstCases)) {
  const times: number[] = []
  for (let run = 0; run < 5; run++) {
    const started = process.hrtime.bigint()
    findPersonalData(text)
    times.push(Number(process.hrtime.bigint() - started) / 1e6)
  }
  console.log(`  ${name}: ${times.sort((a, b) => a - b)[2]!.toFixed(1)} ms`)
}
