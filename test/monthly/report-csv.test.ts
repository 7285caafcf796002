import { MODEL_CASE_COLUMNS, monthlyReportCsv, UNIT_COLUMNS } from '#root/monthly/report-csv.js'
import { parseCsv } from '#root/registry/registry-csv.js'
import { describe, expect, it } from 'vitest'
import { sampleBulletin } from '../helpers/monthly.js'

describe('the monthly CSV', () => {
  const bulletin = sampleBulletin()
  const csv = monthlyReportCsv(bulletin, 'Asia/Shanghai')
  const text = csv.toString('utf8')
  const rows = text.replace(/^\uFEFF/, '').split('\r\n').slice(0, -1).map(line => line.split(','))

  it('is UTF-8 with a BOM and CRLF line ends, for Excel', () => {
    expect([...csv.subarray(0, 3)]).toEqual([0xEF, 0xBB, 0xBF])
    expect(text).toContain('\r\n')
    expect(text.replace(/\r\n/g, '')).not.toContain('\n')
  })

  it('has one row per unit under Chinese headers, districts then departments, each closed by its total', () => {
    expect(rows[0]).toEqual([...UNIT_COLUMNS])
    expect(UNIT_COLUMNS).toEqual(expect.arrayContaining(['排名', '单位', '综合得分', '按时签收率', '按时办结率', '超期', '延期', '重办率', '满意率', '回访应答率', '走访次数', '覆盖率']))
    const units = rows.slice(1, rows.findIndex(r => r.length === 1 && r[0] === ''))
    expect(units.map(r => `${r[1]}:${r[3]}`)).toEqual(['区县:吴中区', '区县:姑苏区', '区县:相城区', '区县:合计', '部门:市城市管理局', '部门:市水务局', '部门:第2部门', '部门:合计'])
    const column = (row: string[], name: (typeof UNIT_COLUMNS)[number]) => row[UNIT_COLUMNS.indexOf(name)]
    const gusu = units[1]!
    expect(column(gusu, '月份')).toBe('2026-11')
    expect(column(gusu, '排名')).toBe('2')
    expect(column(gusu, '上月排名')).toBe('1')
    // A number, not text a spreadsheet would have to be talked out of: no apostrophe before the minus.
    expect(column(gusu, '排名变化')).toBe('-1')
    expect(column(gusu, '受理量')).toBe('20')
    expect(column(gusu, '按时签收率')).toBe('95.0%')
    expect(column(gusu, '覆盖率')).toBe('62.0%')
    expect(column(units[0]!, '排名变化')).toBe('新')
    const xiangcheng = units[2]!
    expect(column(xiangcheng, '排名')).toBe('—')
    expect(column(xiangcheng, '综合得分')).toBe('—')
    expect(column(xiangcheng, '按时办结率')).toBe('—')
    expect(column(units[4]!, '走访次数')).toBe('—')
    expect(units.every(r => r.length === UNIT_COLUMNS.length)).toBe(true)
  })

  it('lists the month\'s model cases in a second section, with the redacted summary', () => {
    const records = parseCsv(text.replace(/^\uFEFF/, ''))
    const header = records.findIndex(r => r.cells[0] === '月份' && r.cells[1] === '类型')
    expect(records[header]!.cells).toEqual([...MODEL_CASE_COLUMNS])
    expect(records[header + 1]!.cells).toEqual(['2026-11', '工单', 'HY-20261105-0003', '市城市管理局', '星湖街路灯不亮，联系人 [手机号]', '当天修复，群众送锦旗', '督查组 李', '2026-11-20 10:00'])
    expect(records[header + 2]!.cells.slice(0, 3)).toEqual(['2026-11', '走访', '走访 #17（2026-11-03）'])
  })

  it('keeps a reporter\'s text from running as a formula', () => {
    const risky = sampleBulletin()
    risky.modelCases[0]!.summary = '=HYPERLINK("http://x","点我")'
    expect(monthlyReportCsv(risky, 'Asia/Shanghai').toString('utf8')).toContain('"\'=HYPERLINK(""http://x"",""点我"")"')
  })
})
