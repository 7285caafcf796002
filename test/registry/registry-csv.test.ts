import type { AreaTree } from '#root/domain/area.js'
import type { ScratchDatabase } from '../helpers/database.js'
import { Buffer } from 'node:buffer'
import { loadAreaFile } from '#root/areas/area-file.js'
import { createAreaTree } from '#root/domain/area.js'
import { parseCsv, parseRegistryCsv, RegistryFileError, toCsv } from '#root/registry/registry-csv.js'
import { createCoverageStore } from '#root/store/coverage-store.js'
import { createRegistryStore } from '#root/store/registry-store.js'
import { ALL_TIME } from '#root/usecases/coverage.js'
import iconv from 'iconv-lite'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createScratchDatabase } from '../helpers/database.js'

let areas: AreaTree
beforeEach(async () => {
  areas = createAreaTree(await loadAreaFile('prisma/areas.json'))
})

const HEADER = '编号,类型,名称,区域,地址,困难家庭,困难类型,规模,规上'
const ROWS = [
  'H-1,家庭,王阿婆,冯梦龙村,3组12号,是,低保,,',
  'E-1,企业,"李记五金厂,分厂",黄埭镇,春旺路18号,,,小型,否',
  'E-2,企业,华辰精密,黄埭镇,,,,规上,',
]

describe('reading a registry CSV', () => {
  it('reads Excel\'s UTF-8 with BOM, and GBK, to the same rows', () => {
    const text = [HEADER, ...ROWS].join('\r\n')
    const bom = parseRegistryCsv(Buffer.concat([Buffer.from([0xEF, 0xBB, 0xBF]), Buffer.from(text, 'utf8')]), areas)
    const gbk = parseRegistryCsv(iconv.encode(text, 'gbk'), areas)
    expect(bom.encoding).toBe('utf-8-bom')
    expect(gbk.encoding).toBe('gbk')
    expect(gbk.rows).toEqual(bom.rows)
    expect(bom.errors).toEqual([])
    expect(bom.rows.map(r => r.name)).toEqual(['王阿婆', '李记五金厂,分厂', '华辰精密'])
    expect(bom.rows[0]).toMatchObject({ kind: 'household', areaId: 'xc-huangdai-fengmenglong', inDifficulty: true, difficultyKind: '低保' })
    expect(bom.rows[2]).toMatchObject({ kind: 'enterprise', aboveDesignatedSize: true })
  })

  it('refuses files that are not CSV text, and files missing a required column', () => {
    expect(() => parseRegistryCsv(iconv.encode([HEADER, ...ROWS].join('\n'), 'utf16le'), areas)).toThrow(RegistryFileError)
    expect(() => parseRegistryCsv(Buffer.from([0x50, 0x4B, 0x03, 0x04, 1, 2, 3]), areas)).toThrow(/xlsx/)
    expect(() => parseRegistryCsv(Buffer.from('编号,类型,地址\nX,企业,某路'), areas)).toThrow(/missing column.*name.*area/)
    expect(() => parseRegistryCsv(Buffer.from(''), areas)).toThrow(/empty/)
  })

  it('reports each bad row with its line and reason while the good rows load; ignores extra columns', () => {
    const text = [
      `${HEADER},备注`,
      ...ROWS.map(r => `${r},`),
      'H-2,家庭,,冯梦龙村,,,,,,', // line 5: no name
      'H-3,宠物,小白,冯梦龙村,,,,,,', // line 6: unknown kind
      'H-4,家庭,陈大爷,火星村,,,,,,', // line 7: unknown area
      'H-1,家庭,王阿婆重复,冯梦龙村,,,,,,', // line 8: duplicate key
      'H-5,家庭,赵某,冯梦龙村,,也许,,,,', // line 9: not a yes/no
      'H-6,家庭,钱某,冯梦龙村,"a,b",,,,,,,x', // line 10: more cells than columns
      '"H-7",家庭,"孙某',
      '(两行)",冯梦龙村,,,,,,', // lines 11-12: a quoted line break is one row
      ',家庭,周某,冯梦龙村,5组,,,,,', // line 13: no key: one is derived
    ].join('\n')
    const parsed = parseRegistryCsv(Buffer.from(text), areas)
    expect(parsed.ignoredColumns).toEqual(['备注'])
    expect(parsed.errors.map(e => e.line)).toEqual([5, 6, 7, 8, 9, 10])
    expect(parsed.errors[3]!.reason).toContain('first on line 2')
    expect(parsed.errors[2]!.reason).toContain('火星村')
    expect(parsed.rows.map(r => r.externalKey)).toEqual(['H-1', 'E-1', 'E-2', 'H-7', 'household:xc-huangdai-fengmenglong:周某:5组'])
    expect(parsed.rows[3]!.name).toBe('孙某\n(两行)')
  })

  it('writes CSV that reads back, with a BOM and formulas defused', () => {
    const bytes = toCsv([['名称', '备注'], ['李记,五金', '=1+1'], ['"引号"', null]])
    expect([...bytes.subarray(0, 3)]).toEqual([0xEF, 0xBB, 0xBF])
    expect(parseCsv(bytes.subarray(3).toString('utf8')).map(r => r.cells)).toEqual([['名称', '备注'], ['李记,五金', '\'=1+1'], ['"引号"', '']])
  })
})

describe('importing into the store', () => {
  let database: ScratchDatabase
  beforeEach(async () => {
    database = await createScratchDatabase('sqlite')
  })
  afterEach(async () => {
    await database.drop()
  })

  it('loads a file of 100,000 rows with bad ones among them, and updates on re-import instead of duplicating', async () => {
    const db = await database.open()
    const registry = createRegistryStore(db)
    const SIZE = 100_000
    const rows = Array.from({ length: SIZE }, (_, i) => `K${i},${i % 3 === 0 ? '企业' : '家庭'},对象${i},${i % 2 ? '黄埭镇' : '冯梦龙村'},某路${i}号,${i % 5 === 0 ? '是' : '否'},,,`)
    // Three bad rows far into the file: an unknown area, a duplicate key, an unknown kind.
    rows[50_000] = 'K50000,家庭,对象50000,火星村,,否,,,'
    rows[77_777] = rows[77_776]!
    rows[99_998] = 'K99998,飞船,对象99998,黄埭镇,,,,,'
    const first = parseRegistryCsv(Buffer.from([HEADER, ...rows].join('\n')), areas)
    // Line numbers count the header as line 1.
    expect(first.errors.map(e => e.line)).toEqual([50_002, 77_779, 100_000])
    expect(first.rows).toHaveLength(SIZE - 3)
    expect(await registry.importRows(first.rows)).toEqual({ created: SIZE - 3, updated: 0, unchanged: 0 })
    rows[7] = rows[7]!.replace('对象7', '对象七')
    const again = parseRegistryCsv(Buffer.from([HEADER, ...rows].join('\n')), areas)
    expect(await registry.importRows(again.rows)).toEqual({ created: 0, updated: 1, unchanged: SIZE - 4 })
    expect(await registry.count()).toBe(SIZE - 3)
    const [match] = await registry.searchByName('对象七', ['xc-huangdai'])
    expect(match!.entity.externalKey).toBe('K7')
    // The coverage summary counted every row the import wrote.
    const counted = await createCoverageStore(db).figures(ALL_TIME, null)
    const registered = [...counted.byArea.values()].reduce((n, f) => n + Object.values(f.entities).reduce((m, c) => m + c.registered, 0), 0)
    expect(registered).toBe(SIZE - 3)
  }, 300_000)
})
