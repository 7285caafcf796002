/**
 * Finding personal data in residents' free text. One module decides what counts, for everything that leaves a
 * private chat: what is sent to the LLM, what group chats are shown, and what the logs keep.
 *
 * Numbers are read the way people write them on a phone: ASCII, full-width or Chinese digits (一三八…, 幺), in one
 * block or in groups split by spaces, dashes, dots or brackets. Blocks are joined only at their edges, so a date or a
 * house number next to a phone number stays a date or a house number. Where a form has a check (the mainland ID's
 * check digit, a bank card's Luhn digit) an unlabelled number must pass it; a label such as "身份证" or "卡号" just
 * before the number is enough on its own.
 */

export const PERSONAL_DATA_KINDS = ['mobile', 'phone', 'id_card', 'passport', 'bank_card', 'plate', 'email', 'name'] as const
export type PersonalDataKind = (typeof PERSONAL_DATA_KINDS)[number]

/** What replaces each kind of personal data; the LLM prompt names the same placeholders. */
export const PLACEHOLDERS: Readonly<Record<PersonalDataKind, string>> = {
  mobile: '[手机号]',
  phone: '[电话]',
  id_card: '[身份证号]',
  passport: '[护照号]',
  bank_card: '[银行卡号]',
  plate: '[车牌号]',
  email: '[邮箱]',
  name: '[姓名]',
}

export interface PersonalDataMatch {
  kind: PersonalDataKind
  /** UTF-16 offsets into the text, end exclusive. */
  start: number
  end: number
}

const CHINESE_DIGITS: Readonly<Record<string, number>> = {
  〇: 0,
  零: 0,
  一: 1,
  幺: 1,
  壹: 1,
  二: 2,
  贰: 2,
  三: 3,
  叁: 3,
  四: 4,
  肆: 4,
  五: 5,
  伍: 5,
  六: 6,
  陆: 6,
  七: 7,
  柒: 7,
  八: 8,
  捌: 8,
  九: 9,
  玖: 9,
}

function digitOf(char: string): number | undefined {
  const code = char.charCodeAt(0)
  if (code >= 0x30 && code <= 0x39)
    return code - 0x30
  if (code >= 0xFF10 && code <= 0xFF19)
    return code - 0xFF10
  return CHINESE_DIGITS[char]
}

// Between two digit groups of one number: a few spaces, dashes, dots or brackets; never a line break.
const SEPARATOR = /[ \t\u00A0\u3000\-－‐–—.·()（）]/
const MAX_SEPARATOR_LENGTH = 3
/** A bank card's 19 digits: the longest number of any kind looked for. */
const MAX_NUMBER_DIGITS = 19

const EMAIL = /(?<![\w.%+-])[\w.%+-]+@[A-Z0-9-]+(?:\.[A-Z0-9-]+)*\.[A-Z]{2,}/gi
// Mainland passports (E/G/P/S/D…, new E + letter), Hong Kong and Macau permits (C/H/M) and most foreign ones are
// all one or two letters and seven to nine digits. A train (G1234) or a flat (A1201) is too short to match.
const PASSPORT = /(?<![A-Za-z0-9])[A-Z]{1,2}\d{7,9}(?![A-Za-z0-9])/g
const PASSPORT_LABELLED = /(?:护照|通行证|passport)(?:号码|号)?\s*(?:(?:no\.?|number)\s*)?(?:[:：]\s*)?(?:(?:是|为)\s*)?([A-Z0-9]{6,12})(?![A-Z0-9])/gi
const PLATE = /[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][·•・.\s]?(?:[A-HJ-NP-Z0-9]{5}[A-HJ-NP-Z0-9挂学警港澳]?)(?![A-Za-z0-9])/gu
// A name only where a label announces it and a common surname begins it: "姓名：张三", "联系人 李四", "我叫王五",
// "my name is Li Hua". "联系人通讯录" or "姓名写哥哥" name nobody.
const SURNAMES = '谈王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝'
const NAME_LABELLED = new RegExp(
  `(?:姓名|联系人|我叫|本人叫|名字叫|名字是)\\s*(?:[:：]\\s*)?(?:(?:是|为)\\s*)?((?:欧阳|司马|诸葛|上官|东方|皇甫|慕容|令狐|[${SURNAMES}])\\p{Script=Han}{1,2})`
  + '|(?:my name is|name\\s*:)\\s*([A-Z][a-z]+(?:\\s[A-Z][a-z]+)?)',
  'gu',
)
// Numbers that name a case or an order, not a person: the ticket number and codes like "ORD-2024…".
const IDENTIFIER_BEFORE = /[A-Z]{1,10}[-_]$/i

const PHONE_LABEL = /(?:电话|手机|座机|号码|联系方式|联系|拨打|致电|打|tel|phone|mobile|call)[^\d\n]{0,6}$/i
const ID_LABEL = /(?:身份证|证件|(?<![A-Z])id(?:\s*card)?(?![A-Z]))[^\d\n]{0,6}$/i
const BANK_LABEL = /(?:银行卡|卡号|账号|帐号|账户|帐户|account|card)[^\d\n]{0,6}$/i

// Province codes that begin a mainland ID number.
const PROVINCES = new Set(['11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82', '83', '91'])
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const ID_CHECK = '10X98765432'

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1)
    return false
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** An 18-character mainland ID number whose region, birth date and check character agree. */
export function isValidIdNumber(value: string, options: { ignoreCheck?: boolean } = {}): boolean {
  const id = value.toUpperCase()
  if (!/^\d{17}[\dX]$/.test(id) || !PROVINCES.has(id.slice(0, 2)))
    return false
  const year = Number(id.slice(6, 10))
  if (year < 1900 || year > 2100 || !validDate(year, Number(id.slice(10, 12)), Number(id.slice(12, 14))))
    return false
  if (options.ignoreCheck)
    return true
  let sum = 0
  for (let i = 0; i < 17; i++)
    sum += Number(id[i]) * ID_WEIGHTS[i]!
  return ID_CHECK[sum % 11] === id[17]
}

/** The old 15-digit ID: region and a two-digit-year birth date, no check digit. */
function isOldIdNumber(id: string): boolean {
  return /^\d{15}$/.test(id) && PROVINCES.has(id.slice(0, 2))
    && validDate(1900 + Number(id.slice(6, 8)), Number(id.slice(8, 10)), Number(id.slice(10, 12)))
}

export function passesLuhn(digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) {
      d *= 2
      if (d > 9)
        d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}

interface NumberContext {
  plus: boolean
  phoneLabel: boolean
  idLabel: boolean
  bankLabel: boolean
}

/** Which kind of personal data a run of digits is, if any. `digits` may end in X (an ID's check character). */
function classifyNumber(digits: string, context: NumberContext, byLabel: boolean): PersonalDataKind | null {
  if (byLabel)
    return classifyLabelledNumber(digits, context)
  if (/X$/i.test(digits))
    return digits.length === 18 && isValidIdNumber(digits) ? 'id_card' : null
  const length = digits.length
  if (/^(?:0086|86)?1[3-9]\d{9}$/.test(digits))
    return 'mobile'
  if (context.plus)
    return length >= 8 && length <= 15 ? 'phone' : null
  if (length === 18 && isValidIdNumber(digits))
    return 'id_card'
  if (length === 15 && isOldIdNumber(digits))
    return 'id_card'
  if (/^0(?:10|2\d)\d{8}$/.test(digits) || /^0[3-9]\d{9,10}$/.test(digits) || /^[48]00\d{7}$/.test(digits))
    return 'phone'
  if (length >= 16 && length <= 19 && passesLuhn(digits))
    return 'bank_card'
  return null
}

/** What a label just before a number makes of it when no form of its own fits: "卡号 …", "身份证 …", "电话 …". */
function classifyLabelledNumber(digits: string, context: NumberContext): PersonalDataKind | null {
  const length = digits.length
  if (context.idLabel && (length === 18 ? isValidIdNumber(digits, { ignoreCheck: true }) : length === 15))
    return 'id_card'
  if (/X$/i.test(digits))
    return null
  if (context.bankLabel && length >= 12 && length <= 19)
    return 'bank_card'
  // After "电话：" any long number is what the person gave to be reached at, whatever its form.
  if (context.phoneLabel && length >= 7 && length <= 19 && !/^(?:19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}$/.test(digits))
    return 'phone'
  return null
}

interface DigitGroup {
  digits: string
  start: number
  end: number
}

/** Runs of digit groups that may belong to one number, each group as written. */
function digitRuns(text: string): DigitGroup[][] {
  const runs: DigitGroup[][] = []
  let run: DigitGroup[] = []
  let group: DigitGroup | null = null
  let gap = 0
  const closeGroup = () => {
    if (group)
      run.push(group)
    group = null
  }
  const closeRun = () => {
    closeGroup()
    if (run.length > 0)
      runs.push(run)
    run = []
    gap = 0
  }
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!
    const digit = digitOf(char)
    // An ID's check character X belongs to the group it ends.
    const checkX = digit === undefined && group !== null && (char === 'X' || char === 'x') && !/[A-Z0-9]/i.test(text[i + 1] ?? '')
    if (digit !== undefined || checkX) {
      if (!group) {
        if (run.length > 0 && gap > MAX_SEPARATOR_LENGTH)
          closeRun()
        group = { digits: '', start: i, end: i }
      }
      const current: DigitGroup = group
      current.digits += checkX ? 'X' : String(digit)
      current.end = i + 1
      gap = 0
      if (checkX)
        closeGroup()
      continue
    }
    if (SEPARATOR.test(char) && (group || run.length > 0)) {
      closeGroup()
      gap++
      continue
    }
    closeRun()
  }
  closeRun()
  return runs
}

function findNumbers(text: string, taken: (start: number, end: number) => boolean): PersonalDataMatch[] {
  const found: PersonalDataMatch[] = []
  for (const run of digitRuns(text)) {
    let i = 0
    while (i < run.length) {
      const first = run[i]!
      const before = text.slice(Math.max(0, first.start - 16), first.start)
      const plusAt = /\+\s?$/.exec(before)
      const context: NumberContext = {
        plus: plusAt !== null,
        phoneLabel: PHONE_LABEL.test(before),
        idLabel: ID_LABEL.test(before),
        bankLabel: BANK_LABEL.test(before),
      }
      let matched = false
      // The longest number starting at this group wins: "+86 138 1234 5678" is one phone number, not 86 and a phone.
      // Forms that prove themselves (a mobile's shape, a check digit) are tried before what a label alone suggests,
      // so that "电话 0512-66668888 2014年" keeps its year.
      // No form is longer than a bank card's 19 digits: a longer stretch of groups is never one number, and trying
      // every one of them made a message of single digits and spaces cubic to read.
      let longest = i
      for (let length = first.digits.length; longest + 1 < run.length && length + run[longest + 1]!.digits.length <= MAX_NUMBER_DIGITS; longest++)
        length += run[longest + 1]!.digits.length
      for (const byLabel of IDENTIFIER_BEFORE.test(before) ? [] : [false, true]) {
        for (let j = longest; j >= i && !matched; j--) {
          const last = run[j]!
          const digits = run.slice(i, j + 1).map(g => g.digits).join('')
          if (digits.slice(0, -1).includes('X'))
            continue
          const kind = classifyNumber(digits, context, byLabel)
          if (!kind)
            continue
          // Card numbers are written in blocks of four; a phone number followed by a year is not a card.
          const groups = run.slice(i, j + 1)
          if (kind === 'bank_card' && !context.bankLabel && groups.length > 1 && !groups.slice(0, -1).every(g => g.digits.length === 4))
            continue
          // "+86 …" and "(0512) …" keep their plus sign and bracket with the number.
          const start = plusAt ? first.start - plusAt[0].length : /[(（]$/.test(before) ? first.start - 1 : first.start
          if (taken(start, last.end))
            continue
          found.push({ kind, start, end: last.end })
          i = j + 1
          matched = true
        }
        if (matched)
          break
      }
      if (!matched)
        i++
    }
  }
  return found
}

/** Every piece of personal data in `text`, in order, without overlaps. */
export function findPersonalData(text: string): PersonalDataMatch[] {
  const found: PersonalDataMatch[] = []
  const taken = (start: number, end: number) => found.some(m => start < m.end && m.start < end)
  const add = (kind: PersonalDataKind, start: number, end: number) => {
    if (!taken(start, end))
      found.push({ kind, start, end })
  }
  // Without an @ the address pattern would still try every start of every long word: quadratic for nothing.
  if (text.includes('@')) {
    for (const match of text.matchAll(EMAIL))
      add('email', match.index, match.index + match[0].length)
  }
  for (const match of text.matchAll(PASSPORT_LABELLED)) {
    const value = match[1]!
    // A labelled number that is all digits may still be read as a phone or card below; letters make it a passport.
    if (/[A-Z]/i.test(value) && /\d/.test(value))
      add('passport', match.index + match[0].length - value.length, match.index + match[0].length)
  }
  for (const match of text.matchAll(PASSPORT)) {
    if (!IDENTIFIER_BEFORE.test(text.slice(Math.max(0, match.index - 11), match.index)))
      add('passport', match.index, match.index + match[0].length)
  }
  for (const match of text.matchAll(PLATE))
    add('plate', match.index, match.index + match[0].length)
  found.push(...findNumbers(text, taken))
  for (const match of text.matchAll(NAME_LABELLED)) {
    const value = match[1] ?? match[2]!
    add('name', match.index + match[0].length - value.length, match.index + match[0].length)
  }
  return found.sort((a, b) => a.start - b.start)
}

export function containsPersonalData(text: string): boolean {
  return findPersonalData(text).length > 0
}

/** Replaces each piece of personal data with its placeholder ("[手机号]"), keeping the rest as written. */
export function redactPersonalData(text: string): string {
  return replaceMatches(text, findPersonalData(text), match => PLACEHOLDERS[match.kind])
}

function replaceMatches(text: string, found: PersonalDataMatch[], replacement: (match: PersonalDataMatch) => string): string {
  let result = ''
  let at = 0
  for (const match of found) {
    result += text.slice(at, match.start) + replacement(match)
    at = match.end
  }
  return result + text.slice(at)
}

// The label that introduced a removed number would read as a dangling "电话：" otherwise.
const DANGLING_LABEL = /(?:联系)?(?:电话|手机号码|手机号|手机|座机|联系方式|身份证号码|身份证号|身份证|证件号码|护照号码|护照号|护照|银行卡号|银行卡|卡号|车牌号|车牌|邮箱|姓名|联系人|我叫|phone|tel|mobile|e-?mail|passport)\s*(?:号码\s*)?(?:[:：]\s*)?(?:(?:是|为)\s*)?\0/gi

/**
 * Removes personal data together with the labels that introduced it ("电话：138…" disappears whole), for one-line
 * texts such as a ticket's summary where a placeholder would read oddly.
 */
export function removePersonalData(text: string): string {
  const found = findPersonalData(text)
  if (found.length === 0)
    return text
  return replaceMatches(text, found, () => '\u0000')
    .replace(DANGLING_LABEL, '')
    .replaceAll('\u0000', ' ')
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/\s+([，,。；;！!？?])/g, '$1')
    .replace(/([，,；;、])\s*(?=[，,；;、。！!？?]|$)/g, '')
}

/**
 * Redacts every string inside a value (records, arrays and errors walked, depth-bounded), for log records. Numbers
 * stay: they are ids, counts and times, and a phone number typed by a resident only ever arrives as a string.
 */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string')
    return redactPersonalData(value)
  if (value === null || typeof value !== 'object' || depth > 8)
    return value
  if (Array.isArray(value))
    return value.map(item => redactDeep(item, depth + 1))
  const result: Record<string, unknown> = {}
  if (value instanceof Error) {
    // As JSON would show it, plus what pino's error serializer adds: its name, message and stack.
    result.type = value.name
    result.message = redactDeep(value.message, depth + 1)
    result.stack = redactDeep(value.stack, depth + 1)
  }
  else {
    // Plain records are walked; dates and other instances keep their own JSON form.
    const prototype = Object.getPrototypeOf(value) as unknown
    if (prototype !== Object.prototype && prototype !== null)
      return value
  }
  for (const [key, item] of Object.entries(value))
    result[key] = redactDeep(item, depth + 1)
  return result
}
