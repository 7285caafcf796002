import type {
  ClassificationInput,
  ClassificationResult,
  Classifier,
  RequestType,
} from '#root/classify/classification.js'
import type { CorrectionMemory } from '#root/classify/correction-memory.js'
import type { Catalog, Category } from '#root/domain/catalog.js'
import { SUMMARY_MAX_LENGTH } from '#root/classify/classification.js'
import { DOMAIN_LEXICON } from '#root/classify/domain-lexicon.js'
import { detectNonReport } from '#root/classify/non-report.js'
import { detectUrgency } from '#root/classify/urgency.js'
import { removePersonalData } from '#root/privacy/personal-data.js'

/** Recorded as the ticket's `classifierModel`; bump when scoring changes so old tickets stay explainable. */
export const OFFLINE_MODEL = 'offline-lexicon-v2'

const LOCATION_MAX_LENGTH = 120

// Weights below are judgement calls, not fitted: a longer keyword is a more specific phrase, and a phrase in
// the title (or the first sentence) says more about the topic than one buried in a long account.
const TITLE_FACTOR = 2
const NGRAM_FACTOR = 0.15
const SIBLING_FACTOR = 0.5
// Confidence: keyword score at which the evidence counts as 86% complete (two scales), and below which it is weak.
const EVIDENCE_SCALE = 0.5
const WEAK_EVIDENCE = 0.6
// Corrected examples: how many neighbours vote, how alike they must be, and how much the nearest one's
// resemblance weighs against the lexicon (at 0.25 resemblance a neighbour outweighs a lexicon lead of 2:1).
const NEIGHBOURS = 5
const MIN_NEIGHBOUR_SIMILARITY = 0.05
const MEMORY_WEIGHT = 4
const MEMORY_AGREEMENT_GAIN = 0.6
const NAME_KEYWORD_FACTOR = 1
// The built-in phrases back up a catalog's own keywords; a deployment's keywords speak louder.
const DOMAIN_PHRASE_FACTOR = 0.9
// Words that name who or where ("小区", "学生", "村民") say less about what is wrong than words naming the problem:
// a letter about a school's fees and one about a compound's lift both mention residents and children.
const SETTING_WORDS: ReadonlySet<string> = new Set([
  '小区',
  '楼栋',
  '业主',
  '居民',
  '村里',
  '村民',
  '农民',
  '农村',
  '学生',
  '家长',
  '学校',
  '老师',
  '员工',
  '职工',
  '司机',
  '乘客',
  '游客',
  '消费者',
  '患者',
  '病人',
  '医院',
  '公司',
  '企业',
  '单位',
  '商家',
  '老人',
  '孩子',
  '街道',
  '马路',
  '道路',
])
const SETTING_FACTOR = 0.5
const CHATTER_OVERRIDE_SCORE = 2

// --- text helpers -----------------------------------------------------------------------------------------

/** Lowercased NFKC: full-width letters and digits become ascii, so "ＫＴＶ" and "ktv" match alike. */
function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase()
}

const HAN = /\p{Script=Han}/u
const ASCII_KEYWORD = /^[\x20-\x7E]+$/

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** End of the title: the first line when the text has one short enough to be a title, else the first sentence. */
function titleEnd(text: string): number {
  const newline = text.indexOf('\n')
  if (newline > 0 && newline <= 100)
    return newline
  const sentence = text.search(/[。！？!?\n]/)
  return sentence > 0 ? Math.min(sentence, 100) : Math.min(text.length, 100)
}

// --- summary ----------------------------------------------------------------------------------------------

const GREETING = new RegExp(
  [
    '^(?:',
    [
      '尊敬的[^，,：:。！!\\n]{0,16}[：:，,！!]?',
      '(?:各位)?领导(?:们)?(?:您|你)?好[！!，,。：:]?',
      '(?:市长|书记|局长|主任|同志)(?:您|你)?好[！!，,。：:]?',
      '(?:您|你|大家)好(?:呀|啊)?[！!，,。：:]?',
      '(?:标题|主题|诉求|内容)[：:]',
      '(?:hello|hi|hey|dear\\s+[^,:]{0,30})[,:!]?',
    ].join('|'),
    ')\\s*',
  ].join(''),
  'i',
)

function countMeaningful(text: string): number {
  let count = 0
  for (const char of text) {
    if (HAN.test(char) || /[\p{L}\p{N}]/u.test(char))
      count++
  }
  return count
}

/** Cuts at a code point boundary, preferring a comma near the end, so an emoji is never split in half. */
function truncate(text: string, max: number): string {
  if (text.length <= max)
    return text
  const points = Array.from(text)
  let cut = ''
  for (const point of points) {
    if (cut.length + point.length > max - 1)
      break
    cut += point
  }
  const comma = Math.max(cut.lastIndexOf('，'), cut.lastIndexOf(','), cut.lastIndexOf('、'))
  if (comma >= max / 3)
    return cut.slice(0, comma)
  return `${cut}…`
}

function trimPunctuation(text: string): string {
  return text.replace(/^[\s\p{P}]+|[\s，,、：:；;（(“"'‘-]+$/gu, '')
}

/**
 * One line of at most `max` characters: the title or first meaningful clause, without greetings or personal
 * data. Never empty: text with nothing meaningful (emoji, punctuation) is kept as written, and empty text
 * becomes "（无文字内容）".
 */
export function summarize(text: string, max: number = SUMMARY_MAX_LENGTH): string {
  const clean = removePersonalData(text.normalize('NFC'))
  const clauses = clean.split(/\n|[。！？!?；;]+|(?<=\.)\s+/)
  for (const raw of clauses) {
    let clause = raw.replace(/\s+/g, ' ').trim()
    // Greetings can stack ("尊敬的领导：您好！…"), so strip until none is left.
    for (let previous = ''; previous !== clause;) {
      previous = clause
      clause = trimPunctuation(clause.replace(GREETING, ''))
    }
    if (countMeaningful(clause) >= 4)
      return truncate(clause, max)
  }
  const fallback = clean.replace(/\s+/g, ' ').trim()
  return fallback ? truncate(fallback, max) : '（无文字内容）'
}

// --- location ---------------------------------------------------------------------------------------------

const PLACE_SUFFIX = '(?:小区|花园|家园|公寓|大厦|广场|新村|新城|社区|大道|大街|街道|胡同|路|街|巷|村(?![委民里干支主务])|苑|园|湾|中学|小学|幼儿园|学校|医院|公园|车站|地铁站|公交站|工业园|产业园)'
const PLACE_NUMBER = '(?:[0-9一二三四五六七八九十百零A-Za-z]+(?:号院|号楼|号|栋|幢|单元|楼|层|室|期|组))*'
const PLACE_PATTERN = new RegExp(`[\\p{Script=Han}A-Za-z0-9]{1,20}?${PLACE_SUFFIX}${PLACE_NUMBER}`, 'gu')
// At the end of a name the lookahead after 村 has nothing left to refuse; it matters inside PLACE_PATTERN.
// eslint-disable-next-line regexp/no-useless-assertions
const PLACE_SUFFIX_AT_END = new RegExp(`${PLACE_SUFFIX}${PLACE_NUMBER}$`, 'u')

// Words that introduce a place ("住在…", "反映…"): the place starts after the last of them.
const PLACE_LEAD = /.*(?:位于|住在|家住|居住在|反映|投诉|举报|咨询|请问|关于|我家|我们|本人|导致|因为|由于|请求|要求|责令|建议|发现|途经|途径|通往|解决|希望|在|住|到|去|从|是|的|近|对|向|将|由|于|局)/u
const PLACE_DETERMINER = /^(?:该|本|这个|那个|这|那|此|其|各|每个|整个|全|我|你|他|她)/u
// Common words that end in a place suffix but name no place ("修路", "沿街", "进村").
const NOT_A_PLACE_ENDING = /(?:道路|马路|铁路|线路|出路|思路|走路|一路|上路|网路|套路|后路|前路|电路|迷路|回路|半路|带路|引路|修路|让路|来路|去路|退路|问路|过路|开路|上街|逛街|沿街|满街|临街|整街|农村|乡村|全村|进村|同村|邻村|出村|校园)$/u
const ADMINISTRATIVE_PREFIX = /^(?:[\p{Script=Han}A-Za-z0-9]{1,6}?(?:省|自治区|州|市|区|县))+/u
// Particles, verbs and relative positions that turn up in a clause but hardly ever in a place name: a candidate
// containing them is a piece of a sentence ("孩子今年上小学", "门口增设公交站").
const NOT_IN_PLACE_NAME = /[了着过没不很也就还又把被让给说要想今昨孩]|门口|附近|旁边|对面|增设|一直|已经|这里|那里|里面|外面|楼下|楼上|一所|一家|改|涉嫌|进行/u
const GENERIC_PLACE_NAMES = new Set([
  '居民',
  '住宅',
  '老旧',
  '周边',
  '附近',
  '整个',
  '所在',
  '新建',
  '城市',
  '城区',
  '各个',
  '多个',
  '一个',
  '几个',
  '高档',
  '商品房',
])

function cleanPlace(candidate: string): string | null {
  const place = candidate.replace(PLACE_LEAD, '').replace(PLACE_DETERMINER, '')
  if (!place || NOT_A_PLACE_ENDING.test(place))
    return null
  const name = place.replace(PLACE_SUFFIX_AT_END, '')
  if (GENERIC_PLACE_NAMES.has(name) || NOT_IN_PLACE_NAME.test(name))
    return null
  // The name proper, after "A市A3区"-style divisions, needs two or more Chinese characters: "88路" is a bus
  // route and "A1区苑" names nothing; a long one is a clause rather than a name.
  const proper = name.replace(ADMINISTRATIVE_PREFIX, '')
  const length = Array.from(proper).length
  if (length < 2 || length > 10 || !HAN.test(proper))
    return null
  return place
}

const ENGLISH_PLACE = /\b(?:\d+[A-Za-z]?\s+)?(?:[A-Z][a-z]+\s+){1,3}(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Boulevard|Blvd|Drive|Dr|Estate|Gardens?|Park|Square|Community|Village|Court|Place|Way)\b/

/**
 * The first place a report names: a road, street, residential compound, village… with its house or building
 * number when given, e.g. "幸福路88号阳光小区3栋". Adjacent parts are joined. Null when none is found.
 */
export function extractLocation(text: string): string | null {
  const source = text.normalize('NFKC')
  let best: string | null = null
  let bestEnd = -1
  for (const match of source.matchAll(PLACE_PATTERN)) {
    const place = cleanPlace(match[0])
    if (!place)
      continue
    const start = match.index + match[0].length - place.length
    if (best === null) {
      best = place
      bestEnd = match.index + match[0].length
      continue
    }
    // "幸福路88号" followed directly by "阳光小区3栋" is one address.
    if (start === bestEnd) {
      best += place
      bestEnd = match.index + match[0].length
      continue
    }
    break
  }
  if (best === null) {
    const english = ENGLISH_PLACE.exec(source)
    best = english ? english[0] : null
  }
  return best ? truncate(best, LOCATION_MAX_LENGTH) : null
}

// --- request type -----------------------------------------------------------------------------------------

interface Cue {
  pattern: RegExp
  weight: number
}

// Explicit words ("举报", "咨询") weigh most; softer cues only tip the balance. Complaint is the default,
// as it is on hotlines: a resident describing a problem expects it fixed. It comes first so that it wins ties.
const REQUEST_CUES: Record<RequestType, readonly Cue[]> = {
  complaint: [
    { pattern: /投诉|complain/g, weight: 3 },
    { pattern: /不作为|乱收费|扰民|严重影响|无人管|没人管|没有人管|不满|强烈要求|迟迟|一直没有|至今未|拖欠|推诿|敷衍|terrible|still not|nobody/g, weight: 1 },
  ],
  tip_off: [
    { pattern: /举报|检举|揭发|report(?:ing)? (?:an? )?illegal|tip[- ]off/g, weight: 3 },
    { pattern: /非法|违法|偷偷|私自|黑作坊|illegal/g, weight: 0.75 },
  ],
  suggestion: [
    { pattern: /建议|提议|倡议|suggest|proposal|propose/g, weight: 2.5 },
    { pattern: /希望(?:能|可以)?(?:增设|增加|开通|设置|修建|建设)|能否增设|是否可以考虑|可否考虑|呼吁|should (?:add|build|install|open)/g, weight: 2 },
    { pattern: /增设|增加|开通|完善|优化|意见/g, weight: 0.5 },
  ],
  consultation: [
    { pattern: /咨询|请问|想问|问一下|想了解|如何办理|怎么办理|怎样办理|怎么申请|如何申请|怎么补办|需要(?:什么|哪些)(?:材料|手续|条件|证件)|办理流程|how (?:do|can) i|how to|where can i|what documents|is it possible|enquir|inquir/g, weight: 2.5 },
    { pattern: /是否|能否|可否|可不可以|可以吗|能不能|有没有|什么时候|哪里|怎么办|吗[？?]|can i|when will|do i need/g, weight: 1 },
    { pattern: /[？?]/g, weight: 0.5 },
  ],
  help_request: [
    { pattern: /求助|求救|救救|帮帮|走投无路|恳请帮助|请求帮助|please help|need help|help me|help us/g, weight: 3 },
    { pattern: /帮忙|帮助|无助|困难|无家可归|没有钱|生活困难/g, weight: 1.25 },
  ],
}
const COMPLAINT_PRIOR = 1.5

/** 诉求类型 from the words a resident uses; complaint unless another type's cues outweigh it. */
export function detectRequestType(text: string): RequestType {
  const normalized = normalize(text)
  const end = titleEnd(normalized)
  let best: RequestType = 'complaint'
  let bestScore = -1
  for (const [type, cues] of Object.entries(REQUEST_CUES) as [RequestType, readonly Cue[]][]) {
    let score = type === 'complaint' ? COMPLAINT_PRIOR : 0
    for (const cue of cues) {
      // Each cue counts at most twice, so a long text repeating "?" does not drown the explicit words.
      let hits = 0
      for (const match of normalized.matchAll(cue.pattern)) {
        score += cue.weight * (match.index < end ? 1.5 : 1)
        if (++hits >= 2)
          break
      }
    }
    if (score > bestScore) {
      best = type
      bestScore = score
    }
  }
  return best
}

// --- category scoring -------------------------------------------------------------------------------------

interface Keyword {
  text: string
  categories: number[]
  weight: number
}

interface Match {
  start: number
  end: number
  keyword: Keyword
}

function keywordWeight(text: string): number {
  if (ASCII_KEYWORD.test(text))
    return text.includes(' ') ? 2 : 1.2
  const length = Array.from(text).length
  if (length <= 1)
    return 0.4
  if (length === 2)
    return 1
  if (length === 3)
    return 1.5
  if (length === 4)
    return 2
  return 2.4
}

/** Words of a category name, "市场监管与消费维权" → 市场监管, 消费维权: names are good keywords too. */
function nameKeywords(category: Category): string[] {
  return category.nameZh.split(/[与和及、·/,，\s]+/).filter(part => Array.from(part).length >= 2)
}

function findFallbackCategory(catalog: Catalog): Category {
  const fallback = catalog.categories.find(c => c.id === 'other')
    ?? catalog.categories.find(c => /^(?:other|general|misc)/i.test(c.nameEn) || c.nameZh === '其他')
    ?? catalog.categories[catalog.categories.length - 1]
  if (!fallback)
    throw new Error('the catalog has no categories: the offline classifier needs at least one')
  return fallback
}

function bigrams(text: string): Set<string> {
  const result = new Set<string>()
  const chars = Array.from(text)
  for (let i = 0; i + 1 < chars.length; i++) {
    const a = chars[i] as string
    const b = chars[i + 1] as string
    if (HAN.test(a) && HAN.test(b))
      result.add(a + b)
  }
  return result
}

/** What the classifier compiles once from a catalog: keyword index by first character, an ascii regex, bigrams. */
interface Lexicon {
  categories: Category[]
  fallbackIndex: number
  byFirstChar: Map<string, Keyword[]>
  ascii: RegExp | null
  asciiKeywords: Map<string, Keyword>
  /** Bigram → per-category weight (idf over categories, spread over the category's profile). */
  bigramWeights: Map<string, Map<number, number>>
}

function compileLexicon(catalog: Catalog): Lexicon {
  const categories = catalog.categories
  const fallback = findFallbackCategory(catalog)
  const fallbackIndex = categories.indexOf(fallback)

  const keywords = new Map<string, Keyword>()
  const add = (raw: string, categoryIndex: number, factor: number) => {
    const text = normalize(raw).trim()
    if (!text)
      return
    const existing = keywords.get(text)
    if (existing) {
      if (!existing.categories.includes(categoryIndex))
        existing.categories.push(categoryIndex)
      return
    }
    keywords.set(text, { text, categories: [categoryIndex], weight: keywordWeight(text) * factor * (SETTING_WORDS.has(text) ? SETTING_FACTOR : 1) })
  }
  categories.forEach((category, index) => {
    for (const keyword of category.keywords)
      add(keyword, index, 1)
    for (const phrase of DOMAIN_LEXICON[category.id] ?? [])
      add(phrase, index, DOMAIN_PHRASE_FACTOR)
    // A report that names the responsible bureau ("向市人社局反映") points at its categories.
    const department = catalog.departments.find(d => d.id === category.departmentId)
    if (department && index !== fallbackIndex)
      add(department.nameZh, index, 1)
    // The fallback's name ("其他") would match nothing useful.
    if (index !== fallbackIndex) {
      for (const word of nameKeywords(category))
        add(word, index, NAME_KEYWORD_FACTOR)
    }
  })

  const byFirstChar = new Map<string, Keyword[]>()
  const asciiKeywords = new Map<string, Keyword>()
  for (const keyword of keywords.values()) {
    // A keyword shared by several categories is weak evidence for each.
    keyword.weight /= keyword.categories.length
    if (ASCII_KEYWORD.test(keyword.text)) {
      asciiKeywords.set(keyword.text, keyword)
      continue
    }
    // Indexed by UTF-16 unit, as the scan walks the text by unit.
    const first = keyword.text[0] as string
    const list = byFirstChar.get(first) ?? []
    list.push(keyword)
    byFirstChar.set(first, list)
  }
  for (const list of byFirstChar.values())
    list.sort((a, b) => b.text.length - a.text.length)

  // Ascii keywords match on word boundaries, with common English endings ("taxis", "leaking").
  const asciiSorted = [...asciiKeywords.keys()].sort((a, b) => b.length - a.length)
  const ascii = asciiSorted.length > 0
    ? new RegExp(`(?<![a-z0-9])(${asciiSorted.map(escapeRegExp).join('|')})(?:s|es|d|ed|ing|r|rs)?(?![a-z0-9])`, 'g')
    : null

  const profiles = categories.map((category, index) => {
    const profile = new Set<string>()
    if (index === fallbackIndex)
      return profile
    for (const text of [...category.keywords, ...nameKeywords(category)]) {
      for (const gram of bigrams(normalize(text)))
        profile.add(gram)
    }
    return profile
  })
  const documentFrequency = new Map<string, number>()
  for (const profile of profiles) {
    for (const gram of profile)
      documentFrequency.set(gram, (documentFrequency.get(gram) ?? 0) + 1)
  }
  const bigramWeights = new Map<string, Map<number, number>>()
  profiles.forEach((profile, index) => {
    // Dividing by the profile's size keeps a category with many keywords from winning on volume alone.
    const norm = Math.sqrt(Math.max(profile.size, 1))
    for (const gram of profile) {
      const idf = Math.log(1 + categories.length / (documentFrequency.get(gram) ?? 1))
      const weights = bigramWeights.get(gram) ?? new Map<number, number>()
      weights.set(index, idf / norm)
      bigramWeights.set(gram, weights)
    }
  })

  return { categories, fallbackIndex, byFirstChar, ascii, asciiKeywords, bigramWeights }
}

function findMatches(lexicon: Lexicon, text: string): Match[] {
  const matches: Match[] = []
  for (let i = 0; i < text.length; i++) {
    const candidates = lexicon.byFirstChar.get(text[i] as string)
    if (!candidates)
      continue
    for (const keyword of candidates) {
      if (text.startsWith(keyword.text, i))
        matches.push({ start: i, end: i + keyword.text.length, keyword })
    }
  }
  if (lexicon.ascii) {
    for (const match of text.matchAll(lexicon.ascii)) {
      const keyword = lexicon.asciiKeywords.get(match[1] as string)
      if (keyword)
        matches.push({ start: match.index, end: match.index + match[0].length, keyword })
    }
  }
  return matches
}

/**
 * Drops matches inside a longer match: "施工噪音" is construction noise, not also generic "噪音", and
 * "物业公司" should not count "公司" again.
 */
function outermost(matches: Match[]): Match[] {
  matches.sort((a, b) => a.start - b.start || b.end - a.end)
  const kept: Match[] = []
  let maxEnd = -1
  for (const match of matches) {
    if (match.end <= maxEnd)
      continue
    kept.push(match)
    maxEnd = match.end
  }
  return kept
}

interface Scored {
  scores: Float64Array
  keywordScore: number
}

function scoreCategories(lexicon: Lexicon, text: string): Scored {
  const scores = new Float64Array(lexicon.categories.length)
  // A report that is all title gets no boost: the boost ranks parts of a text, it is not more evidence.
  const end = titleEnd(text) < text.trimEnd().length ? titleEnd(text) : 0
  const counts = new Map<Keyword, { total: number, inTitle: boolean }>()
  for (const match of outermost(findMatches(lexicon, text))) {
    const entry = counts.get(match.keyword) ?? { total: 0, inTitle: false }
    entry.total++
    entry.inTitle ||= match.start < end
    counts.set(match.keyword, entry)
  }
  let keywordScore = 0
  for (const [keyword, { total, inTitle }] of counts) {
    // Repetition adds little: a long letter naming "小区" ten times is not ten times about property.
    const value = keyword.weight * (1 + Math.log(total)) * (inTitle ? TITLE_FACTOR : 1)
    for (const index of keyword.categories)
      scores[index] = (scores[index] ?? 0) + value
    keywordScore += value
  }
  // Bigrams catch a phrase close to a keyword without being it ("拖欠了工资" still shares "拖欠", "工资").
  for (const gram of bigrams(text)) {
    const weights = lexicon.bigramWeights.get(gram)
    if (!weights)
      continue
    for (const [index, weight] of weights)
      scores[index] = (scores[index] ?? 0) + weight * NGRAM_FACTOR
  }
  return { scores, keywordScore }
}

/**
 * Confidence from how much evidence the winner has and how far ahead of the runner-up it is. The evidence saturates
 * fast (one specific phrase is enough in a chat message) and the lead decides the rest, so that one threshold serves
 * both a one-line chat report and a long letter full of incidental words. Calibrated against the confidence curves
 * in the README: at the default threshold about one report in five goes to triage and nine in ten of the rest
 * are routed right. Two categories nearly tied stay low; so does a report resting on a single weak word ("学生").
 */
function confidenceOf(top: number, second: number, keywordScore: number): number {
  if (top <= 0)
    return 0.05
  const strength = 1 - Math.exp(-top / EVIDENCE_SCALE)
  const margin = (top - second) / top
  let confidence = 0.2 + 0.75 * strength * margin
  // Bigram resemblance alone, with no keyword at all, is a guess; a single weak word is hardly better.
  if (keywordScore === 0)
    confidence = Math.min(confidence, 0.3)
  else if (keywordScore < WEAK_EVIDENCE)
    confidence = Math.min(confidence, 0.45)
  return Math.round(Math.min(0.95, Math.max(0.05, confidence)) * 1000) / 1000
}

/**
 * A classifier that needs no network or key: a keyword lexicon from the catalog, scored with title weighting
 * and character-bigram resemblance, plus rules for urgency, request type, summary and location.
 * Used when no LLM is configured and as the fallback when the LLM fails. Reports matching nothing fall into
 * the catalog's "other" category with low confidence, so that they go to triage.
 * With `corrections`, the routes people chose for similar reports weigh in (see `blendWithCorrections`).
 * @throws Error when the catalog has no categories.
 */
export function createOfflineClassifier(catalog: Catalog, options: { corrections?: CorrectionMemory } = {}): Classifier {
  const lexicon = compileLexicon(catalog)
  return {
    async classify(input: ClassificationInput, callOptions?: { signal?: AbortSignal }): Promise<ClassificationResult> {
      callOptions?.signal?.throwIfAborted()
      return classifyText(lexicon, input, options.corrections)
    },
  }
}

/**
 * Picks the category of a department that best fits a text, by the lexicon: what a ticket moved to another
 * department is recorded under. The department's first category when no word points anywhere; null when the
 * department has no category.
 */
export function createCategoryChooser(catalog: Catalog): (text: string, departmentId: string) => string | null {
  const lexicon = compileLexicon(catalog)
  return (text, departmentId) => {
    const { scores } = scoreCategories(lexicon, normalize(text))
    let best: string | null = null
    let bestScore = -1
    for (const [index, category] of lexicon.categories.entries()) {
      if (category.departmentId === departmentId && (scores[index] as number) > bestScore) {
        best = category.id
        bestScore = scores[index] as number
      }
    }
    return best
  }
}

interface Route {
  categoryIndex: number
  departmentId: string
  confidence: number
}

/**
 * Lets the deployment's corrected examples move the lexicon's choice. Each category's lexicon score (relative to
 * the best) is added to its neighbours' vote (relative to the best vote), weighted by how alike the nearest
 * example is: a near-repeat of a corrected report takes that correction's route, a faint resemblance only tips
 * a close call. The department is the one people chose for that category's neighbours.
 */
function blendWithCorrections(lexicon: Lexicon, text: string, scores: Float64Array, route: Route, memory: CorrectionMemory): Route {
  const neighbours = memory.nearest(text, { limit: NEIGHBOURS, minSimilarity: MIN_NEIGHBOUR_SIMILARITY })
  const nearest = neighbours[0]
  if (!nearest)
    return route
  const indexById = new Map(lexicon.categories.map((c, index) => [c.id, index]))
  const votes = new Map<number, { vote: number, departments: Map<string, number> }>()
  for (const { example, similarity } of neighbours) {
    const index = indexById.get(example.categoryId)
    if (index === undefined)
      continue
    const entry = votes.get(index) ?? { vote: 0, departments: new Map<string, number>() }
    entry.vote += similarity
    entry.departments.set(example.departmentId, (entry.departments.get(example.departmentId) ?? 0) + similarity)
    votes.set(index, entry)
  }
  if (votes.size === 0)
    return route
  const maxVote = Math.max(...[...votes.values()].map(v => v.vote))
  const maxScore = Math.max(...scores, 0)
  const weight = MEMORY_WEIGHT * nearest.similarity
  let best = route.categoryIndex
  let bestValue = -1
  for (let index = 0; index < scores.length; index++) {
    const lexical = maxScore > 0 ? (scores[index] as number) / maxScore : 0
    const value = lexical + weight * ((votes.get(index)?.vote ?? 0) / maxVote)
    if (value > bestValue) {
      best = index
      bestValue = value
    }
  }
  const chosen = votes.get(best)
  const category = lexicon.categories[best] as Category
  const departmentId = chosen
    ? [...chosen.departments.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? category.departmentId
    : best === route.categoryIndex ? route.departmentId : category.departmentId
  // Agreement with a person's earlier decision raises confidence; a change rests on the resemblance alone.
  const confidence = best === route.categoryIndex
    ? route.confidence + (1 - route.confidence) * (chosen ? MEMORY_AGREEMENT_GAIN * nearest.similarity : 0)
    : 0.3 + 0.65 * nearest.similarity
  return { categoryIndex: best, departmentId, confidence: Math.round(Math.min(0.95, confidence) * 1000) / 1000 }
}

/**
 * The department first, then its best category: a ticket is routed to a department, and a report whose words
 * spread over two categories of one department (wages and social insurance) is still clearly that department's.
 * A department's evidence is its best category's plus part of its other categories'.
 */
function pickCategory(lexicon: Lexicon, scores: Float64Array): { topIndex: number, top: number, second: number } {
  const byDepartment = new Map<string, { best: number, bestIndex: number, sum: number }>()
  scores.forEach((score, index) => {
    if (score <= 0)
      return
    const departmentId = (lexicon.categories[index] as Category).departmentId
    const entry = byDepartment.get(departmentId) ?? { best: 0, bestIndex: index, sum: 0 }
    entry.sum += score
    if (score > entry.best) {
      entry.best = score
      entry.bestIndex = index
    }
    byDepartment.set(departmentId, entry)
  })
  let topIndex = lexicon.fallbackIndex
  let top = 0
  let second = 0
  for (const { best, bestIndex, sum } of byDepartment.values()) {
    const pooled = best + SIBLING_FACTOR * (sum - best)
    if (pooled > top) {
      second = top
      top = pooled
      topIndex = bestIndex
    }
    else if (pooled > second) {
      second = pooled
    }
  }
  return { topIndex, top, second }
}

function classifyText(lexicon: Lexicon, input: ClassificationInput, memory?: CorrectionMemory): ClassificationResult {
  const text = normalize(input.text)
  const { scores, keywordScore } = scoreCategories(lexicon, text)

  const { topIndex, top, second } = pickCategory(lexicon, scores)
  const lexicalCategory = lexicon.categories[topIndex] as Category
  let route: Route = { categoryIndex: topIndex, departmentId: lexicalCategory.departmentId, confidence: confidenceOf(top, second, keywordScore) }
  if (memory && memory.size > 0)
    route = blendWithCorrections(lexicon, text, scores, route, memory)
  const category = lexicon.categories[route.categoryIndex] as Category

  const locationText = input.locationText?.trim()
  const requestType = detectRequestType(input.text)
  let notReportReason = detectNonReport(input.text)
  // A short message full of one category's words ("楼下广场舞音响") is a report, however it is phrased.
  if (notReportReason === 'chatter' && keywordScore >= CHATTER_OVERRIDE_SCORE)
    notReportReason = null
  return {
    categoryId: category.id,
    departmentId: route.departmentId,
    urgency: detectUrgency(input.text, requestType),
    requestType,
    summary: summarize(input.text),
    location: locationText ? truncate(locationText, LOCATION_MAX_LENGTH) : extractLocation(input.text),
    confidence: route.confidence,
    isReport: notReportReason === null,
    notReportReason,
    classifier: 'offline',
    model: OFFLINE_MODEL,
    promptVersion: null,
    fallbackReason: null,
  }
}
