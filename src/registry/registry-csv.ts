import type { AreaTree } from '#root/domain/area.js'
import type { EntityKind, NewRegistryEntity } from '#root/domain/visit.js'
import { Buffer } from 'node:buffer'
import iconv from 'iconv-lite'

/** A row that did not load, by its line in the file (the header is line 1). */
export interface RowError {
  line: number
  reason: string
}

export interface ParsedRegistry {
  encoding: 'utf-8' | 'utf-8-bom' | 'gbk'
  rows: NewRegistryEntity[]
  errors: RowError[]
  /** Header columns the importer does not know; they are ignored. */
  ignoredColumns: string[]
}

/** A file that cannot be read as a registry at all (no header, required columns missing, not text). */
export class RegistryFileError extends Error {}

type Field = 'key' | 'kind' | 'name' | 'area' | 'address' | 'inDifficulty' | 'difficultyKind' | 'sizeClass' | 'aboveDesignatedSize'

/** Header names accepted for each field: the English name, and the Chinese ones spreadsheets of the campaign use. */
const HEADERS: Record<Field, string[]> = {
  key: ['key', 'external_key', '编号', '编码', '唯一编号'],
  kind: ['kind', 'type', '类型', '对象类型'],
  name: ['name', '名称', '姓名', '户主', '对象名称'],
  area: ['area', '区域', '所属区域', '社区', '村社区', '所属村社区', '镇街'],
  address: ['address', '地址', '住址'],
  inDifficulty: ['in_difficulty', '困难家庭', '是否困难家庭', '困难'],
  difficultyKind: ['difficulty_kind', '困难类型', '困难类别'],
  sizeClass: ['size_class', '规模', '企业规模'],
  aboveDesignatedSize: ['above_designated_size', 'above_size', '规上', '规模以上', '是否规上'],
}
const REQUIRED: Field[] = ['kind', 'name', 'area']

const KIND_WORDS: Record<string, EntityKind> = {
  'household': 'household',
  '家庭': 'household',
  '户': 'household',
  '住户': 'household',
  '农户': 'household',
  '居民户': 'household',
  'enterprise': 'enterprise',
  '企业': 'enterprise',
  '公司': 'enterprise',
  'project': 'project',
  '项目': 'project',
  '重大项目': 'project',
  'community': 'community',
  '村': 'community',
  '社区': 'community',
  '村社区': 'community',
  '村/社区': 'community',
}

const YES = new Set(['1', 'y', 'yes', 'true', '是', '有', '√', '✓'])
const NO = new Set(['', '0', 'n', 'no', 'false', '否', '无', '×'])
const NAME_MAX = 80
const ADDRESS_MAX = 120
const KEY_MAX = 64
const SHORT_MAX = 30

/**
 * Reads a registry CSV as spreadsheets write it: UTF-8 with or without Excel's BOM, or GBK (what Chinese Excel saves
 * as "CSV"). Every row is checked on its own: a bad row is reported with its line and reason and the good rows load.
 * A row without a key gets one from kind, area, name and address, so that re-importing it updates instead of
 * duplicating.
 */
export function parseRegistryCsv(bytes: Uint8Array, areas: AreaTree): ParsedRegistry {
  const { text, encoding } = decode(bytes)
  const records = parseCsv(text)
  const header = records.shift()
  if (!header || header.cells.every(c => c.trim() === ''))
    throw new RegistryFileError('the file is empty: the first line must name the columns')

  const columns = new Map<Field, number>()
  const ignoredColumns: string[] = []
  header.cells.forEach((raw, index) => {
    const name = raw.trim().toLowerCase()
    const field = (Object.keys(HEADERS) as Field[]).find(f => HEADERS[f].includes(name))
    if (field && !columns.has(field))
      columns.set(field, index)
    else if (name !== '')
      ignoredColumns.push(raw.trim())
  })
  const missing = REQUIRED.filter(f => !columns.has(f))
  if (missing.length > 0) {
    throw new RegistryFileError(`missing column(s): ${missing.map(f => `${f} (${HEADERS[f].slice(1, 3).join('/')})`).join(', ')}; `
      + `the first line reads: ${header.cells.join(',').slice(0, 120)}`)
  }

  const rows: NewRegistryEntity[] = []
  const errors: RowError[] = []
  const keyLines = new Map<string, number>()
  for (const record of records) {
    if (record.cells.every(c => c.trim() === ''))
      continue
    const cell = (field: Field) => {
      const index = columns.get(field)
      return index === undefined ? '' : (record.cells[index] ?? '').trim()
    }
    const fail = (reason: string) => errors.push({ line: record.line, reason })
    if (record.cells.length > header.cells.length) {
      fail(`${record.cells.length} cells but the header has ${header.cells.length} columns (an unquoted comma?)`)
      continue
    }
    const kind = KIND_WORDS[cell('kind').toLowerCase()]
    if (!kind) {
      fail(cell('kind') ? `unknown kind "${cell('kind')}" (household/enterprise/project/community, 家庭/企业/项目/村社区)` : 'kind is empty')
      continue
    }
    const name = cell('name')
    if (!name) {
      fail('name is empty')
      continue
    }
    if ([...name].length > NAME_MAX) {
      fail(`name longer than ${NAME_MAX} characters`)
      continue
    }
    const area = areas.find(cell('area'))
    if (!area) {
      fail(cell('area') ? `unknown area "${cell('area')}"` : 'area is empty')
      continue
    }
    const address = cell('address')
    if ([...address].length > ADDRESS_MAX) {
      fail(`address longer than ${ADDRESS_MAX} characters`)
      continue
    }
    const inDifficulty = flag(cell('inDifficulty'))
    const aboveDesignatedSize = flag(cell('aboveDesignatedSize'))
    if (inDifficulty === null || aboveDesignatedSize === null) {
      fail(`a yes/no column holds "${inDifficulty === null ? cell('inDifficulty') : cell('aboveDesignatedSize')}" (是/否, 1/0)`)
      continue
    }
    const difficultyKind = cell('difficultyKind')
    const sizeClass = cell('sizeClass')
    if ([...difficultyKind].length > SHORT_MAX || [...sizeClass].length > SHORT_MAX) {
      fail(`difficulty kind and size class must be at most ${SHORT_MAX} characters`)
      continue
    }
    const key = cell('key') || derivedKey(kind, area.id, name, address)
    if (key.length > KEY_MAX) {
      fail(`key longer than ${KEY_MAX} characters`)
      continue
    }
    const earlier = keyLines.get(key)
    if (earlier !== undefined) {
      fail(`duplicate key "${key}" (first on line ${earlier})`)
      continue
    }
    keyLines.set(key, record.line)
    rows.push({
      externalKey: key,
      kind,
      name,
      areaId: area.id,
      address: address || null,
      inDifficulty: kind === 'household' && (inDifficulty || difficultyKind !== ''),
      difficultyKind: kind === 'household' ? difficultyKind || null : null,
      sizeClass: sizeClass || null,
      aboveDesignatedSize: kind === 'enterprise' && (aboveDesignatedSize || /规上|规模以上/.test(sizeClass)),
    })
  }
  return { encoding, rows, errors, ignoredColumns }
}

function flag(value: string): boolean | null {
  const v = value.toLowerCase()
  if (YES.has(v))
    return true
  if (NO.has(v))
    return false
  return null
}

/** A stable key for a row that has none: the same row imported again gets the same key. */
function derivedKey(kind: EntityKind, areaId: string, name: string, address: string): string {
  const compact = (s: string) => s.replace(/\s+/g, '')
  const full = `${kind}:${areaId}:${compact(name)}:${compact(address)}`
  if (full.length <= KEY_MAX)
    return full
  // Long names and addresses: a short hash keeps the key within bounds and still stable.
  let hash = 2166136261
  for (const ch of full) hash = Math.imul(hash ^ ch.codePointAt(0)!, 16777619) >>> 0
  return `${full.slice(0, KEY_MAX - 9)}#${hash.toString(16).padStart(8, '0')}`
}

function decode(bytes: Uint8Array): { text: string, encoding: ParsedRegistry['encoding'] } {
  if (bytes.length >= 2 && ((bytes[0] === 0xFF && bytes[1] === 0xFE) || (bytes[0] === 0xFE && bytes[1] === 0xFF)))
    throw new RegistryFileError('the file is UTF-16: save it as "CSV UTF-8" or as GBK CSV')
  if (bytes.length >= 4 && bytes.slice(0, 4).every((b, i) => b === [0x50, 0x4B, 0x03, 0x04][i]))
    throw new RegistryFileError('this is an Excel workbook (.xlsx), not CSV: save it as "CSV UTF-8"')
  if (bytes.includes(0))
    throw new RegistryFileError('the file is not text (it holds NUL bytes): save it as CSV')
  if (bytes[0] === 0xEF && bytes[1] === 0xBB && bytes[2] === 0xBF)
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8-bom' }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' }
  }
  catch {
    return { text: iconv.decode(Buffer.from(bytes), 'gbk'), encoding: 'gbk' }
  }
}

/** RFC 4180 records with the line each starts on; quoted cells may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): { line: number, cells: string[] }[] {
  const records: { line: number, cells: string[] }[] = []
  let cells: string[] = []
  let cell = ''
  let quoted = false
  let line = 1
  let start = 1
  let atCellStart = true
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"'
          i++
        }
        else {
          quoted = false
        }
      }
      else {
        if (ch === '\n')
          line++
        cell += ch
      }
      continue
    }
    if (ch === '"' && atCellStart) {
      quoted = true
      atCellStart = false
      continue
    }
    if (ch === ',') {
      cells.push(cell)
      cell = ''
      atCellStart = true
      continue
    }
    if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n')
        i++
      cells.push(cell)
      records.push({ line: start, cells })
      cells = []
      cell = ''
      atCellStart = true
      line++
      start = line
      continue
    }
    cell += ch
    atCellStart = false
  }
  if (cell !== '' || cells.length > 0) {
    cells.push(cell)
    records.push({ line: start, cells })
  }
  return records
}

/** CSV for spreadsheet programs: UTF-8 with a BOM (so that Excel reads Chinese correctly), CRLF line ends. */
export function toCsv(rows: readonly (readonly (string | number | boolean | null)[])[]): Buffer {
  const escape = (value: string | number | boolean | null) => {
    const s = value === null ? '' : typeof value === 'boolean' ? (value ? '是' : '否') : String(value)
    // A leading = + - @ would make a spreadsheet run the cell as a formula; a number (-3) cannot be one.
    const safe = typeof value !== 'number' && /^[=+\-@]/.test(s) ? `'${s}` : s
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
  }
  return Buffer.concat([Buffer.from([0xEF, 0xBB, 0xBF]), Buffer.from(`${rows.map(r => r.map(escape).join(',')).join('\r\n')}\r\n`, 'utf8')])
}
