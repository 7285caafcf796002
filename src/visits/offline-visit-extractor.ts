import type { EntityKind, VisitFields, VisitGoal } from '#root/domain/visit.js'
import { VISIT_GOALS } from '#root/domain/visit.js'

export interface ExtractInput {
  text: string
  /** The day the note is written, YYYY-MM-DD, in the bot's timezone; relative days count from it. */
  today: string
  /** Area names the note may mention as its place (黄埭镇, 冯梦龙村…). */
  areaNames: readonly string[]
}

export type VisitExtractor = (input: ExtractInput) => Promise<VisitFields>

const HAN = '\\u4e00-\\u9fa5'
const TRIGGER = '(?:上门走访了?|走访了?|拜访了?|看望了?|慰问了?|探望了?|去了|去|到了|到|来到|走进|跑了?一趟|调研了?)'
const ENTERPRISE_SUFFIX = '(?:有限公司|股份公司|公司|厂|企业|合作社|超市|商行|酒店|饭店|餐馆|工作室|店|集团|农场|养殖场|加工场|作坊|门市部)'
const PROJECT_SUFFIX = '(?:项目|工程|工地)'
const HOUSEHOLD_SUFFIX = '(?:家里|家中|家)'
const COMMUNITY_SUFFIX = '(?:村|社区)'
const DIFFICULTY_PREFIX = /^(?:困难户|低保户|低保家庭|低保边缘户|特困户|困难家庭|残疾人|独居老人|空巢老人|孤寡老人|五保户|失独家庭|退役军人|重病患者|留守儿童|脱贫户|边缘户)/
const PERSON_ROLE = '(?:母亲|父亲|妻子|丈夫|爱人|家属|店长|居民代表|居民|老板娘|老板|厂长|总经理|经理|董事长|负责人|书记|主任|会计|股东|师傅|阿姨|大爷|大妈|大叔|大姐|老人|阿婆|奶奶|爷爷|老伯|户主|本人|夫妇|两口子|儿子|女儿|老伴|项目经理|施工方|包工头|村民|网格员)'
const SPEECH = '(?:说|反映|提到|讲|问|提出|表示|希望|要求|担心|抱怨|诉苦|咨询|建议|想|盼着|吐槽)'
const PROBLEM_WORDS = /[漏坏堵难缺臭脏乱吵冒断停贵慢]|积水|噪音|扰民|欠薪|拖欠|不够|没人管|投诉|破损|违建|纠纷|矛盾|隐患|安全|不通|补贴|补助|申请|办理|审批|手续|政策|贷款|资金|招工|用工|用电|用水|用地|配套|改造|维修|怎么办|能不能|可不可以|是否/
const NOTHING_WRONG = /没有?(?:什么)?(?:困难|问题|诉求|要求)|一切正常|情况(?:良好|稳定)|表示满意|无诉求|生活还?(?:可以|不错)|经营正常|没提(?:什么)?要求/

const GOAL_WORDS: [VisitGoal, RegExp][] = [
  ['innovation', /技改|创新|研发|专利|转型|数字化|智能化|智改|高新|新产品|设备更新|自动化|科技/],
  ['project', /项目|工地|施工|开工|竣工|建设|拆迁|征地|用地|规划|进度/],
  ['conflict', /矛盾|纠纷|吵架|争吵|闹|上访|信访|邻里|欠薪|拖欠|争议|扯皮|打架|调解/],
  ['model', /典型|经验|做法|先进|好人|榜样|示范|带头|值得推广|亮点/],
  ['policy', /政策|助学金|申报|补贴|补助|申请|审批|批下来|报装|许可|救助|贴息|标准|低保|医保|社保|养老金|贷款|减税|退税|手续|办理|资格/],
]

const WEEKDAYS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 0, 天: 0 }

/**
 * Reads a cadre's free-text note without any model: rules for the day (今天, 昨天, 11月3日, 上周三), whom (a name
 * ending 厂/公司/项目/家… after 走访/去了/到), where (area names, 路/街 addresses), who was met (老板, 王阿姨…),
 * each problem heard (the clauses after 说/反映/问…, split at 还/另外/也), and the six goals by keywords.
 * Deterministic, so its figures on the note set (test/visits/visit-notes.json) are reproducible.
 */
export function extractVisitOffline({ text, today, areaNames }: ExtractInput): VisitFields {
  const note = text.replace(/\s+/g, ' ').trim()
  const entity = findEntity(note, areaNames)
  const problems = findProblems(note)
  const heard = problems.length > 0 ? problems.join('；') : heardOf(note)
  return {
    entityName: entity?.name ?? null,
    entityKind: entity?.kind ?? null,
    visitedOn: findDay(note, today),
    place: findPlace(note, areaNames),
    metWith: findMet(note, entity?.kind === 'household' ? entity.name : null),
    heard,
    goals: findGoals(note, problems, heard),
    problems,
  }
}

export const offlineVisitExtractor: VisitExtractor = async input => extractVisitOffline(input)

function shiftDay(today: string, days: number): string {
  const date = new Date(`${today}T00:00:00Z`)
  date.setUTCDate(date.getUTCDate() + days)
  return date.toISOString().slice(0, 10)
}

function findDay(note: string, today: string): string {
  if (/大前天/.test(note))
    return shiftDay(today, -3)
  if (/前天/.test(note))
    return shiftDay(today, -2)
  if (/昨天|昨日|昨晚|昨儿/.test(note))
    return shiftDay(today, -1)
  const [year, month] = today.split('-').map(Number) as [number, number]
  const full = /(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]/.exec(note)
  if (full) {
    let y = full[1] ? Number(full[1]) : year
    const candidate = `${y}-${full[2]!.padStart(2, '0')}-${full[3]!.padStart(2, '0')}`
    if (!full[1] && candidate > today)
      y -= 1
    return `${y}-${full[2]!.padStart(2, '0')}-${full[3]!.padStart(2, '0')}`
  }
  const dayOnly = /(?<![\d路街弄巷楼栋幢室区组])(\d{1,2})[日号](?=[上下中晚早傍，,去到走在]|$)/.exec(note)
  if (dayOnly) {
    const day = Number(dayOnly[1])
    const candidate = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
    if (day >= 1 && day <= 31)
      return candidate <= today ? candidate : shiftDay(candidate, -new Date(Date.UTC(year, month - 1, 0)).getUTCDate())
  }
  const week = /(上)?(?:周|星期|礼拜)([一二三四五六日天])/.exec(note)
  if (week) {
    const todayDate = new Date(`${today}T00:00:00Z`)
    const todayDow = todayDate.getUTCDay()
    const target = WEEKDAYS[week[2]!]!
    // Monday-based weeks, as people count them in China.
    const mondayOffset = (todayDow + 6) % 7
    const targetOffset = (target + 6) % 7
    let diff = targetOffset - mondayOffset
    if (week[1])
      diff -= 7
    else if (diff > 0)
      diff -= 7
    return shiftDay(today, diff)
  }
  return today
}

function stripPlacePrefix(name: string, areaNames: readonly string[]): string {
  let rest = name
  for (let changed = true; changed;) {
    changed = false
    rest = rest.replace(new RegExp(`^(?:${TRIGGER}|位于|在|了|一下|一趟|辖区内?的?|本村的?|村里的?|旁边的|附近的|的)`), () => {
      changed = true
      return ''
    })
    for (const area of [...areaNames].sort((a, b) => b.length - a.length)) {
      // A village or community is often part of a name (冯梦龙村文旅项目): it is a place only before a verb or 的.
      const local = /(?:村|社区)$/.test(area)
      if (rest.startsWith(area) && rest.length > area.length + 1 && (!local || new RegExp(`^(?:的|${TRIGGER})`).test(rest.slice(area.length)))) {
        rest = rest.slice(area.length).replace(/^的/, '')
        changed = true
      }
    }
    const generic = new RegExp(`^(?:[${HAN}]{2,4}(?:镇|街道|(?<!社)区)(?=[${HAN}]{3})|[${HAN}]{2,6}[路街]上的|[${HAN}]{2,8}(?:路|街|巷|弄)\\d+号(?:\\d+室)?)`).exec(rest)
    if (generic && !areaNames.includes(rest)) {
      rest = rest.slice(generic[0].length)
      changed = true
    }
  }
  return rest
}

function findEntity(note: string, areaNames: readonly string[]): { name: string, kind: EntityKind } | null {
  const segments = [...note.matchAll(new RegExp(`${TRIGGER}([^，。,；;！？!?：:]{2,30})`, 'g'))].map(m => m[1]!)
  const kinds: [EntityKind, RegExp][] = [
    ['project', new RegExp(`^([${HAN}A-Za-z0-9（）()·]{1,20}?${PROJECT_SUFFIX})`)],
    ['enterprise', new RegExp(`^([${HAN}A-Za-z0-9（）()·]{1,20}?${ENTERPRISE_SUFFIX})(?![${HAN}]{0,2}(?:门口|里|的路))`)],
    // Greedy up to the last 家: names hold 家 too (钱家明家).
    ['household', new RegExp(`^([${HAN}]{1,12})${HOUSEHOLD_SUFFIX}$`)],
  ]
  for (const raw of segments) {
    const segment = stripPlacePrefix(raw, areaNames)
    for (const [kind, pattern] of kinds) {
      const found = pattern.exec(segment)
      if (!found)
        continue
      let name = found[1]!
      if (kind === 'household') {
        name = name.replace(DIFFICULTY_PREFIX, '').replace(/^(?:的|了)/, '')
        if (!name || /^(?:[他她人这那一]|他们|她们|老人)$/.test(name))
          continue
      }
      if ([...name].length < 2)
        continue
      return { name, kind }
    }
  }
  // A village or community visited as such: "走访了新巷村".
  for (const raw of segments) {
    const found = new RegExp(`^([${HAN}]{2,8}?${COMMUNITY_SUFFIX})(?:[，。,；;]|$|走访|村委|居委)`).exec(stripPlacePrefix(raw, areaNames.filter(a => !/(?:村|社区)$/.test(a))))
    if (found)
      return { name: found[1]!, kind: 'community' }
  }
  return null
}

function findPlace(note: string, areaNames: readonly string[]): string | null {
  const parts: string[] = []
  const areas = areaNames.filter(name => note.includes(name)).sort((a, b) => note.indexOf(a) - note.indexOf(b))
  for (const area of areas) {
    if (!parts.some(p => p.includes(area)))
      parts.push(area)
  }
  const address = new RegExp(`[${HAN}]{2,8}(?:路|街|大道|巷|弄)(?:\\d+号(?:\\d+(?:[幢栋]|号楼))?(?:\\d+室)?|(?=上的))`).exec(note)
  if (address) {
    const value = address[0].replace(new RegExp(`^.*${TRIGGER}`), '').replace(/^.*的/, '').replace(/^(?:在|位于)/, '')
    if (value.length >= 3 && !parts.some(p => p.includes(value)))
      parts.push(value)
  }
  return parts.length > 0 ? parts.join(' ') : null
}

function findMet(note: string, householdName: string | null): string | null {
  if (householdName && new RegExp(`(?:见到|见了)?${householdName}(?:本人)?(?:[，,]?(?:她|他))?(?:${SPEECH})`).test(note))
    return householdName
  const patterns = [
    new RegExp(`(?:见到了?|见了|遇到了?|找到了?|约了|约见了?|[和跟与同])([${HAN}]{0,4}?${PERSON_ROLE})`),
    new RegExp(`([${HAN}]{0,3}${PERSON_ROLE})(?:一直)?(?:${SPEECH}|介绍|聊)`),
    new RegExp(`([老小][${HAN}])(?:${SPEECH})`),
    new RegExp(`([${HAN}]{1,3}(?:先生|女士|大哥|大嫂|阿姨|大爷|阿婆|老伯))`),
  ]
  for (const pattern of patterns) {
    const found = pattern.exec(note)
    if (found) {
      const who = found[1]!.replace(/^(?:[了的是]|厂里|公司|企业|村里|家里|他家|她家)/, '').replace(/^(?:走访|看望|慰问|拜访)/, '')
      if (who)
        return who
    }
  }
  return null
}

/** Heard, yet no problem: what people say when all is well. */
const ALL_WELL = /^[^，,]*(?:正常|不错|还行|稳定|满意|到账|都好|挺好|可以)$/
/** A clause that starts a new problem rather than going on about the last one. */
const NEW_ITEM = /^(?:还(?:[有问说想]|提到|反映|希望)?|另外|此外|同时|以及|并且|也(?:反映|提到|说|希望|问)|问|想问|想了解|想咨询|咨询)/

/**
 * The problems heard, one item each: the words after a speech verb (说, 反映, 问…), cut into clauses at commas and
 * regrouped, a clause that opens with 还/另外/问… or says 也 starting a new item. Sentences with no speech verb count
 * only when they name a problem (漏, 坏, 堵, 欠薪…).
 */
function findProblems(note: string): string[] {
  const sentences = note.split(/[。！？!?；;\n]+/).map(s => s.trim()).filter(Boolean)
  const problems: string[] = []
  const speech = new RegExp(`${SPEECH}[了过到]?[:：，,]?`)
  for (const sentence of sentences) {
    const cue = speech.exec(sentence)
    let heard: string
    let spoken = false
    if (cue) {
      heard = sentence.slice(cue.index + cue[0].length)
      spoken = true
    }
    else {
      const clauses = sentence.split(/[，,]/)
      // A sentence that opens with the visit itself ("走访了…") may still carry a problem after its first clause.
      heard = new RegExp(`${TRIGGER}|见到|[和跟]`).test(clauses[0] ?? '') ? clauses.slice(1).join('，') : sentence
      if (!heard || !PROBLEM_WORDS.test(heard))
        continue
    }
    const items: string[] = []
    for (const raw of heard.split(/[，,]/)) {
      const clause = raw.trim()
      if (!clause)
        continue
      const fresh = NEW_ITEM.exec(clause)
      if (items.length === 0 || fresh || /也[^，,]{0,3}[坏漏堵不没断]/.test(clause))
        items.push(fresh ? clause.slice(fresh[0].length) : clause)
      else
        items[items.length - 1] += `，${clause}`
    }
    for (const piece of items) {
      const item = piece.replace(/^[，,、:：\s]+|[，,、\s]+$/g, '').replace(/^(?:[了到过说是有]|就是)(?=[\u4E00-\u9FA5]{3})/, '')
      if ([...item].length < 3 || NOTHING_WRONG.test(item) || ALL_WELL.test(item))
        continue
      if (!spoken && !PROBLEM_WORDS.test(item))
        continue
      problems.push(item)
    }
  }
  return [...new Set(problems)]
}

function heardOf(note: string): string {
  const chars = [...note]
  return chars.length > 200 ? `${chars.slice(0, 199).join('')}…` : note
}

function findGoals(note: string, problems: readonly string[], heard: string): VisitGoal[] {
  const goals = new Set<VisitGoal>()
  if (problems.length > 0 || heard)
    goals.add('opinion')
  // Each problem heard is one to resolve: 化解矛盾问题 is preselected with the first, and the cadre can untick it.
  if (problems.length > 0)
    goals.add('conflict')
  const said = problems.join('，')
  for (const [goal, pattern] of GOAL_WORDS) {
    // Policies asked about are in what was heard; a household's kind (低保户) in the note is no policy question.
    if (pattern.test(goal === 'policy' ? said : note))
      goals.add(goal)
  }
  return VISIT_GOALS.filter(g => goals.has(g))
}
