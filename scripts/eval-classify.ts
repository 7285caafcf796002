import type { ClassificationResult, Classifier } from '#root/classify/classification.js'
import type { RoutingExample } from '#root/classify/correction-memory.js'
import type { Evaluation } from '#root/classify/evaluation.js'
import type { ConfidentPrediction } from '#root/classify/routing-evaluation.js'
import type { Catalog } from '#root/domain/catalog.js'
import type { ChatNonReport, ChatReport } from '../test/classify/chat-messages.js'
/**
 * Scores a classifier against a labelled JSONL file (`title`, `body`, `label`, optional `flags`):
 *
 *   npm run eval:classify -- FILE.jsonl [--map MAP.json] [--catalog CATALOG.json]
 *                                       [--classifier offline|llm] [--limit N] [--concurrency N] [--json]
 *
 * Predicted category ids are mapped into the dataset's label space through the map file
 * (default scripts/eval/tipdm-label-map.json). The datasets this is meant for hold real residents' messages:
 * they are read at run time from wherever they live and nothing from them is written anywhere.
 *
 * Besides the labelled file it scores the hand-written group-chat messages of test/classify/chat-messages.ts
 * (category and department, triage share, urgency, non-reports), prints the confidence curve, and for the offline
 * classifier a learning curve: k-fold over the labelled file, the training folds fed in as routing corrections
 * (in memory only), macro-F1 on the held-out fold against the number of corrections.
 *
 * Exit codes: 0 scored, 1 failed (bad arguments, bad files, classifier errors), 2 the data file is absent.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { loadCatalogFile } from '#root/catalog/catalog-file.js'
import { createCorrectionMemory } from '#root/classify/correction-memory.js'
import { evaluate, selectScorableRows } from '#root/classify/evaluation.js'
import { createOfflineClassifier } from '#root/classify/offline-classifier.js'
import { confidenceCurve, kFolds, nonReportFigures, urgencyFigures } from '#root/classify/routing-evaluation.js'
import { DEFAULT_CLASSIFY_MIN_CONFIDENCE } from '#root/config.js'
import { z } from 'zod'
import { HELD_OUT_NON_REPORTS, HELD_OUT_REPORTS, HELD_OUT_URGENCY } from '../test/classify/chat-messages-held-out.js'
import { CHAT_NON_REPORTS, CHAT_REPORTS, URGENCY_CASES } from '../test/classify/chat-messages.js'

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url))
const DEFAULT_MAP = `${REPO_ROOT}scripts/eval/tipdm-label-map.json`
const DEFAULT_CATALOG = `${REPO_ROOT}prisma/catalog.json`
const NONE_LABEL = '(none)'
const ERROR_LABEL = '(error)'
const USAGE = 'usage: npm run eval:classify -- FILE.jsonl [--map MAP.json] [--catalog CATALOG.json] [--classifier offline|llm] [--threshold X] [--limit N] [--concurrency N] [--folds K] [--json]'

class UsageError extends Error {}

function fail(message: string, code = 1): never {
  process.stderr.write(`eval-classify: ${message}\n`)
  process.exit(code)
}

// --- input ------------------------------------------------------------------------------------------------

const rowSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  title: z.string().default(''),
  body: z.string().default(''),
  label: z.string().min(1),
  flags: z.array(z.string()).default([]),
})
type Row = z.infer<typeof rowSchema>

async function readRows(path: string): Promise<Row[]> {
  const text = await readFile(path, 'utf8')
  const rows: Row[] = []
  text.split('\n').forEach((line, index) => {
    if (!line.trim())
      return
    let data: unknown
    try {
      data = JSON.parse(line)
    }
    catch (error) {
      throw new Error(`${path}:${index + 1} is not JSON: ${(error as Error).message}`)
    }
    const parsed = rowSchema.safeParse(data)
    if (!parsed.success)
      throw new Error(`${path}:${index + 1}: ${parsed.error.issues.map(i => `${i.path.join('.') || 'row'} ${i.message}`).join('; ')}`)
    rows.push(parsed.data)
  })
  return rows
}

const mapSchema = z.object({
  $comment: z.string().optional(),
  labels: z.record(z.string(), z.string().min(1)),
})

/** Category id → dataset label; warns about ids the catalog and the map do not share. */
async function readLabelMap(path: string, catalog: Catalog): Promise<Map<string, string>> {
  const parsed = mapSchema.safeParse(JSON.parse(await readFile(path, 'utf8')))
  if (!parsed.success)
    throw new Error(`${path}: ${parsed.error.issues.map(i => `${i.path.join('.') || 'file'} ${i.message}`).join('; ')}`)
  const map = new Map(Object.entries(parsed.data.labels))
  const known = new Set(catalog.categories.map(c => c.id))
  const unmapped = [...known].filter(id => !map.has(id))
  const unknown = [...map.keys()].filter(id => !known.has(id))
  if (unmapped.length > 0)
    process.stderr.write(`warning: not in the map, scored as ${NONE_LABEL}: ${unmapped.join(', ')}\n`)
  if (unknown.length > 0)
    process.stderr.write(`warning: in the map but not in the catalog: ${unknown.join(', ')}\n`)
  return map
}

// --- classifiers ------------------------------------------------------------------------------------------

// The LLM modules are written separately and may be absent or mid-change; loading them by a computed
// specifier keeps the offline evaluation (and the type check) independent of them.
interface LlmModules {
  createOpenAiClassifier: (options: Record<string, unknown>) => Classifier
  loadPrompt: (name: string) => Promise<unknown>
  createLogger: (config: { logLevel: string, logPretty: boolean }) => unknown
  OpenAI: new (options: Record<string, unknown>) => unknown
}

async function importOrFail(specifier: string, what: string): Promise<Record<string, unknown>> {
  try {
    return await import(specifier) as Record<string, unknown>
  }
  catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_IMPORT_NOT_DEFINED')
      throw new UsageError(`--classifier llm needs ${what} (${specifier}), which is missing`)
    throw new UsageError(`--classifier llm: cannot load ${what} (${specifier}): ${(error as Error).message}`)
  }
}

async function loadLlmModules(): Promise<LlmModules> {
  const classifierModule = await importOrFail('#root/classify/openai-classifier.js', 'the LLM classifier')
  const promptsModule = await importOrFail('#root/classify/prompts.js', 'the prompt loader')
  const loggerModule = await importOrFail('#root/logger.js', 'the logger')
  const openaiModule = await importOrFail('openai', 'the openai package')
  const modules = {
    createOpenAiClassifier: classifierModule.createOpenAiClassifier,
    loadPrompt: promptsModule.loadPrompt,
    createLogger: loggerModule.createLogger,
    OpenAI: openaiModule.OpenAI ?? openaiModule.default,
  }
  for (const [name, value] of Object.entries(modules)) {
    if (typeof value !== 'function')
      throw new UsageError(`--classifier llm: ${name} is not exported where expected; has its module changed?`)
  }
  return modules as LlmModules
}

async function createLlmClassifier(catalog: Catalog): Promise<{ classifier: Classifier, description: string }> {
  try {
    process.loadEnvFile()
  }
  catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw error
  }
  const apiKey = process.env.OPENAI_API_KEY
  if (!apiKey)
    throw new UsageError('--classifier llm needs OPENAI_API_KEY (in the environment or .env); OPENAI_BASE_URL, OPENAI_MODEL, OPENAI_TIMEOUT_MS and OPENAI_RESPONSE_FORMAT are optional')
  const baseURL = process.env.OPENAI_BASE_URL || undefined
  const model = process.env.OPENAI_MODEL || 'gpt-4o-mini'
  const timeoutMs = Number(process.env.OPENAI_TIMEOUT_MS || 15_000)
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new UsageError('OPENAI_TIMEOUT_MS must be a positive number of milliseconds')

  const structuredOutput = process.env.OPENAI_RESPONSE_FORMAT || undefined
  if (structuredOutput !== undefined && !['json_schema', 'json_object', 'none'].includes(structuredOutput))
    throw new UsageError('OPENAI_RESPONSE_FORMAT must be json_schema, json_object or none')

  const llm = await loadLlmModules()
  const classifier = llm.createOpenAiClassifier({
    openai: new llm.OpenAI({ apiKey, baseURL, maxRetries: 0 }),
    model,
    catalog,
    prompt: await llm.loadPrompt('classify-report'),
    timeoutMs,
    logger: llm.createLogger({ logLevel: 'error', logPretty: false }),
    ...(structuredOutput ? { structuredOutput } : {}),
  })
  return { classifier, description: `llm ${model}${baseURL ? ` at ${baseURL}` : ''}` }
}

// --- scoring ----------------------------------------------------------------------------------------------

interface Outcome {
  result: ClassificationResult | null
  error: string | null
}

async function classifyAll(classifier: Classifier, texts: readonly string[], concurrency: number): Promise<Outcome[]> {
  const outcomes: Outcome[] = Array.from({ length: texts.length })
  let next = 0
  const worker = async () => {
    while (next < texts.length) {
      const index = next++
      try {
        outcomes[index] = { result: await classifier.classify({ text: texts[index] as string }), error: null }
      }
      catch (error) {
        outcomes[index] = { result: null, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, texts.length) }, worker))
  return outcomes
}

// --- output -----------------------------------------------------------------------------------------------

/** Terminal columns a string takes: CJK and full-width characters take two. */
function displayWidth(text: string): number {
  let width = 0
  for (const char of text) {
    const code = char.codePointAt(0) as number
    if (/\p{Mn}|\p{Me}|\p{Cf}/u.test(char))
      continue
    const wide = /\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana}|\p{Script=Hangul}|\p{Extended_Pictographic}/u.test(char)
      || (code >= 0x3000 && code <= 0x303F) || (code >= 0xFF01 && code <= 0xFF60) || (code >= 0xFFE0 && code <= 0xFFE6)
    width += wide ? 2 : 1
  }
  return width
}

function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)))
  return align === 'left' ? text + fill : fill + text
}

function table(header: string[], rows: string[][], alignFirstLeft = true): string {
  const widths = header.map((h, column) => Math.max(displayWidth(h), ...rows.map(r => displayWidth(r[column] ?? ''))))
  const line = (cells: string[]) => cells
    .map((cell, column) => pad(cell, widths[column] as number, column === 0 && alignFirstLeft ? 'left' : 'right'))
    .join('  ')
  return [line(header), line(widths.map(w => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`
const decimal = (value: number) => value.toFixed(3)

function report(options: {
  evaluation: Evaluation
  description: string
  selection: { total: number, droppedFlagged: number, droppedConflicting: number, droppedDuplicate: number, limited: number }
  seconds: number
  outcomes: Outcome[]
  confident: { threshold: number, n: number, correct: number }
}): string {
  const { evaluation, description, selection, seconds, outcomes, confident } = options
  const lines: string[] = []
  lines.push(`classifier: ${description}`)
  lines.push(`rows: ${selection.total} read; dropped ${selection.droppedFlagged} flagged conflicting, ${selection.droppedConflicting} same id with other label, ${selection.droppedDuplicate} repeated id${selection.limited ? `; limited to ${selection.limited}` : ''}`)
  lines.push('')
  lines.push(`n          ${evaluation.n}`)
  lines.push(`accuracy   ${percent(evaluation.accuracy)}  (${evaluation.correct}/${evaluation.n})`)
  lines.push(`macro-F1   ${decimal(evaluation.macroF1)}  (over ${evaluation.perLabel.length} dataset labels)`)
  lines.push(`throughput ${(evaluation.n / Math.max(seconds, 1e-9)).toFixed(0)} reports/s  (${(seconds * 1000).toFixed(0)} ms)`)
  if (evaluation.n > 0)
    lines.push(`confidence ≥ ${confident.threshold}: ${confident.n}/${evaluation.n} reports (${percent(confident.n / Math.max(evaluation.n, 1))}), accuracy ${percent(confident.correct / Math.max(confident.n, 1))} among them`)
  const errors = outcomes.filter(o => o.error).length
  const fallbacks = outcomes.filter(o => o.result?.fallbackReason).length
  if (errors || fallbacks)
    lines.push(`failures   ${errors} errors (scored as ${ERROR_LABEL}), ${fallbacks} answered by a fallback`)
  lines.push('')
  lines.push(table(
    ['label', 'precision', 'recall', 'F1', 'support', 'predicted'],
    evaluation.perLabel.map(m => [m.label, decimal(m.precision), decimal(m.recall), decimal(m.f1), String(m.support), String(m.predicted)]),
  ))
  lines.push('')
  lines.push('confusion matrix (rows = true label, columns = predicted)')
  const { rows, columns, counts } = evaluation.confusion
  lines.push(table(
    ['true \\ predicted', ...columns],
    rows.map((row, r) => [row, ...columns.map((_, c) => String(counts[r]?.[c] ?? 0))]),
  ))
  return lines.join('\n')
}

/**
 * The confusion matrix by predicted catalog category: where each label's reports went, counts only. It shows which
 * category's definition is thin without anyone reading the messages.
 */
function categoryBreakdown(truths: readonly string[], outcomes: readonly Outcome[], labelMap: ReadonlyMap<string, string>, labels: readonly string[]): string {
  const lines = ['predicted catalog categories per true label (✗ = maps to another label)']
  for (const label of labels) {
    const counts = new Map<string, number>()
    truths.forEach((truth, index) => {
      if (truth !== label)
        return
      const categoryId = outcomes[index]?.result?.categoryId ?? ERROR_LABEL
      const key = `${categoryId}${labelMap.get(categoryId) === label ? '' : '✗'}`
      counts.set(key, (counts.get(key) ?? 0) + 1)
    })
    const cells = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([key, n]) => `${key} ${n}`)
    lines.push(`${pad(label, 16)}${cells.join(', ')}`)
  }
  return lines.join('\n')
}

// --- routing figures -------------------------------------------------------------------------------------

const CURVE_THRESHOLDS = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8]

function curveReport(name: string, items: readonly ConfidentPrediction[], threshold: number): string {
  const points = confidenceCurve(items, [...new Set([...CURVE_THRESHOLDS, threshold])].sort((a, b) => a - b))
  return [
    `confidence curve (${name}): below the threshold a report waits for manual triage; current default ${threshold}`,
    table(
      ['threshold', 'routed', 'triage', 'accuracy of routed'],
      points.map(p => [p.threshold.toFixed(2), percent(p.routedShare), percent(p.triageShare), percent(p.routedAccuracy)]),
    ),
  ].join('\n')
}

interface HandWrittenSet {
  name: string
  reports: readonly ChatReport[]
  urgency: readonly { text: string, urgency: ChatReport['urgency'] }[]
  nonReports: readonly ChatNonReport[]
}

const HAND_WRITTEN_SETS: readonly HandWrittenSet[] = [
  { name: 'hand-written group-chat set, development (test/classify/chat-messages.ts; the rules were written alongside it)', reports: CHAT_REPORTS, urgency: URGENCY_CASES, nonReports: CHAT_NON_REPORTS },
  { name: 'hand-written group-chat set, held out (test/classify/chat-messages-held-out.ts; written after the rules, never tuned on)', reports: HELD_OUT_REPORTS, urgency: HELD_OUT_URGENCY, nonReports: HELD_OUT_NON_REPORTS },
]

async function handWrittenReport(classifier: Classifier, catalog: Catalog, threshold: number, concurrency: number, set: HandWrittenSet): Promise<string> {
  const { reports: CHAT_REPORTS, urgency: URGENCY_CASES, nonReports: CHAT_NON_REPORTS } = set
  const departmentOf = (categoryId: string) => catalog.categories.find(c => c.id === categoryId)?.departmentId ?? '?'
  const reportOutcomes = await classifyAll(classifier, CHAT_REPORTS.map(r => r.text), concurrency)
  const nonReportOutcomes = await classifyAll(classifier, CHAT_NON_REPORTS.map(r => r.text), concurrency)
  const urgencyOutcomes = await classifyAll(classifier, URGENCY_CASES.map(r => r.text), concurrency)

  const categories = CHAT_REPORTS.map((r, index) => ({
    truth: r.categoryId,
    predicted: reportOutcomes[index]?.result?.categoryId ?? ERROR_LABEL,
    confidence: reportOutcomes[index]?.result?.confidence ?? 0,
  }))
  const departments = CHAT_REPORTS.map((r, index) => ({
    truth: r.departmentId ?? departmentOf(r.categoryId),
    predicted: reportOutcomes[index]?.result?.departmentId ?? ERROR_LABEL,
    confidence: reportOutcomes[index]?.result?.confidence ?? 0,
  }))
  const categoryEvaluation = evaluate(categories, { labels: catalog.categories.map(c => c.id).filter(id => CHAT_REPORTS.some(r => r.categoryId === id)) })
  const routedPoint = confidenceCurve(departments, [threshold])[0]
  const urgency = urgencyFigures([
    ...CHAT_REPORTS.map((r, index) => ({ truth: r.urgency, predicted: reportOutcomes[index]?.result?.urgency ?? 'normal' })),
    ...URGENCY_CASES.map((r, index) => ({ truth: r.urgency, predicted: urgencyOutcomes[index]?.result?.urgency ?? 'normal' })),
  ])
  const nonReports = nonReportFigures([
    ...reportOutcomes.map(o => ({ isReport: true, predictedReport: o.result?.isReport ?? true })),
    ...nonReportOutcomes.map(o => ({ isReport: false, predictedReport: o.result?.isReport ?? true })),
  ])
  const lines = [
    `${set.name}: ${CHAT_REPORTS.length} reports, ${URGENCY_CASES.length} more urgency cases, ${CHAT_NON_REPORTS.length} non-reports`,
    `category   accuracy ${percent(categoryEvaluation.accuracy)}, macro-F1 ${decimal(categoryEvaluation.macroF1)} over ${categoryEvaluation.perLabel.length} categories`,
    `department accuracy ${percent(departments.filter(d => d.truth === d.predicted).length / Math.max(departments.length, 1))}`,
    routedPoint
      ? `at threshold ${threshold}: ${percent(routedPoint.routedShare)} routed automatically, ${percent(routedPoint.triageShare)} to triage; ${percent(routedPoint.routedAccuracy)} of the routed reach the right department`
      : '',
    `urgency    ${urgency.n} cases: urgent recall ${percent(urgency.urgentRecall)} (critical recall ${percent(urgency.criticalRecall)}), false-urgent rate ${percent(urgency.falseUrgentRate)}, exact level ${percent(urgency.exact)}`,
    `non-report precision ${percent(nonReports.precision)}, recall ${percent(nonReports.recall)} (${CHAT_NON_REPORTS.length} non-reports among ${nonReports.n} messages)`,
    '',
    curveReport('hand-written set, by department', departments, threshold),
  ]
  return lines.filter(line => line !== undefined).join('\n')
}

/**
 * k-fold over the labelled rows: for each fold, the first n rows (in a seeded random order) of the other folds become routing corrections
 * (their label mapped to a category that the label map sends back to it), and the fold is scored.
 */
async function learningCurveReport(
  catalog: Catalog,
  labelMap: Map<string, string>,
  rows: readonly Row[],
  labels: readonly string[],
  folds: number,
): Promise<string> {
  if (!(Number.isInteger(folds) && folds >= 2) || rows.length < folds)
    return 'learning curve: skipped (needs --folds of 2 or more and at least that many rows)'
  const categoryForLabel = new Map<string, string>()
  for (const [categoryId, label] of labelMap) {
    if (!categoryForLabel.has(label))
      categoryForLabel.set(label, categoryId)
  }
  const departmentOf = (categoryId: string) => catalog.categories.find(c => c.id === categoryId)?.departmentId ?? ''
  const partition = kFolds(rows.length, folds)
  // Corrections arrive in no particular order of topic (the file is sorted by label): feed them shuffled.
  const arrival = kFolds(rows.length, 1, 7)[0] as number[]
  const trainingSize = Math.min(...partition.map(fold => rows.length - fold.length))
  const sizes = [0, 25, 50, 100, 200, trainingSize].filter((n, i, all) => n <= trainingSize && all.indexOf(n) === i)
  const text = (row: Row) => `${row.title}\n${row.body}`
  const results: string[][] = []
  for (const size of sizes) {
    const predictions: { truth: string, predicted: string }[] = []
    for (const fold of partition) {
      const held = new Set(fold)
      const training: RoutingExample[] = []
      for (const index of arrival) {
        if (training.length >= size)
          break
        const row = rows[index] as Row
        const categoryId = categoryForLabel.get(row.label)
        if (held.has(index) || !categoryId)
          continue
        training.push({ text: text(row), categoryId, departmentId: departmentOf(categoryId) })
      }
      const classifier = createOfflineClassifier(catalog, { corrections: createCorrectionMemory(training) })
      for (const index of fold) {
        const row = rows[index] as Row
        const result = await classifier.classify({ text: text(row) })
        predictions.push({ truth: row.label, predicted: labelMap.get(result.categoryId) ?? NONE_LABEL })
      }
    }
    const scoredFolds = evaluate(predictions, { labels })
    results.push([String(size), decimal(scoredFolds.macroF1), percent(scoredFolds.accuracy)])
  }
  return [
    `learning curve: ${folds}-fold over the ${rows.length} labelled rows; n rows from outside the held-out fold (seeded random order) are fed in as routing corrections (in memory only), the fold is scored; figures pooled over the folds`,
    table(['corrections', 'macro-F1', 'accuracy'], results),
  ].join('\n')
}

// --- main -------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      map: { type: 'string' },
      catalog: { type: 'string' },
      classifier: { type: 'string', default: 'offline' },
      limit: { type: 'string' },
      threshold: { type: 'string' },
      folds: { type: 'string', default: '5' },
      concurrency: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  const file = positionals[0]
  if (!file || positionals.length > 1)
    throw new UsageError(USAGE)
  if (values.classifier !== 'offline' && values.classifier !== 'llm')
    throw new UsageError(`--classifier must be "offline" or "llm", not "${values.classifier}"`)
  const limit = values.limit === undefined ? undefined : Number(values.limit)
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0))
    throw new UsageError('--limit must be a positive whole number')
  const concurrency = Number(values.concurrency ?? (values.classifier === 'llm' ? 4 : 1))
  if (!(Number.isInteger(concurrency) && concurrency > 0))
    throw new UsageError('--concurrency must be a positive whole number')

  // A fresh clone has no dataset: say so plainly instead of a stack trace.
  if (!existsSync(file))
    fail(`data file ${file} not found; nothing to evaluate (the labelled data is not part of the repository)`, 2)

  const catalog = await loadCatalogFile(values.catalog ?? DEFAULT_CATALOG)
  const labelMap = await readLabelMap(values.map ?? DEFAULT_MAP, catalog)
  const rows = await readRows(file)
  const selection = selectScorableRows(rows)
  const scored = limit === undefined ? selection.kept : selection.kept.slice(0, limit)

  const { classifier, description } = values.classifier === 'llm'
    ? await createLlmClassifier(catalog)
    : { classifier: createOfflineClassifier(catalog), description: 'offline (keyword lexicon)' }

  const texts = scored.map(row => `${row.title}\n${row.body}`)
  const started = performance.now()
  const outcomes = await classifyAll(classifier, texts, concurrency)
  const seconds = (performance.now() - started) / 1000

  const predictions = scored.map((row, index) => {
    const result = outcomes[index]?.result
    const predicted = result ? labelMap.get(result.categoryId) ?? NONE_LABEL : ERROR_LABEL
    return { truth: row.label, predicted, confidence: result?.confidence ?? 0 }
  })
  const labels = [...new Set(rows.map(r => r.label))]
  const support = (label: string) => scored.filter(r => r.label === label).length
  labels.sort((a, b) => support(b) - support(a) || (a < b ? -1 : 1))
  const evaluation = evaluate(predictions, { labels: labels.filter(l => support(l) > 0) })

  const threshold = values.threshold === undefined ? DEFAULT_CLASSIFY_MIN_CONFIDENCE : Number(values.threshold)
  const confidentItems = predictions.filter(p => p.confidence >= threshold)
  const confident = { threshold, n: confidentItems.length, correct: confidentItems.filter(p => p.truth === p.predicted).length }
  const selectionSummary = {
    total: rows.length,
    droppedFlagged: selection.droppedFlagged,
    droppedConflicting: selection.droppedConflicting,
    droppedDuplicate: selection.droppedDuplicate,
    limited: limit ?? 0,
  }

  if (values.json) {
    const throughput = evaluation.n / Math.max(seconds, 1e-9)
    process.stdout.write(`${JSON.stringify({ classifier: description, selection: selectionSummary, ...evaluation, throughput, seconds, confident, errors: outcomes.filter(o => o.error).map(o => o.error) }, null, 2)}\n`)
  }
  else {
    process.stdout.write(`${report({ evaluation, description, selection: selectionSummary, seconds, outcomes, confident })}\n`)
    process.stdout.write(`\n${categoryBreakdown(scored.map(r => r.label), outcomes, labelMap, evaluation.perLabel.map(m => m.label))}\n`)
    process.stdout.write(`\n${curveReport('labelled file', predictions, threshold)}\n`)
    for (const set of HAND_WRITTEN_SETS)
      process.stdout.write(`\n${await handWrittenReport(classifier, catalog, threshold, concurrency, set)}\n`)
    if (values.classifier === 'offline') {
      const folds = Number(values.folds)
      process.stdout.write(`\n${await learningCurveReport(catalog, labelMap, scored, labels.filter(l => support(l) > 0), folds)}\n`)
    }
    const firstError = outcomes.find(o => o.error)?.error
    if (firstError)
      process.stderr.write(`first error: ${firstError}\n`)
  }
  if (outcomes.length > 0 && outcomes.every(o => o.error))
    process.exit(1)
}

main().catch((error: unknown) => {
  if (error instanceof UsageError)
    fail(error.message)
  fail(error instanceof Error ? error.message : String(error))
})
