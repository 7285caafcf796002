import { createI18n } from '#root/bot/i18n.js'
import { MESSAGE_LIMIT } from '#root/domain/message-length.js'
import { monthlyReportText } from '#root/monthly/report-text.js'
import { describe, expect, it } from 'vitest'
import { sampleBulletin } from '../helpers/monthly.js'

const i18n = createI18n()
const zh = { t: (key: string, variables?: Record<string, string | number>) => i18n.t('zh', key, variables), locale: 'zh' as const }
const en = { t: (key: string, variables?: Record<string, string | number>) => i18n.t('en', key, variables), locale: 'en' as const }

describe('the monthly message', () => {
  it('ranks districts and departments with every rate, the change against last month, model cases and the formula', () => {
    const text = monthlyReportText(sampleBulletin(), zh)
    expect(text).toContain('2026年11月 月度通报')
    const districts = text.slice(text.indexOf('【区县排名】'), text.indexOf('【部门排名】'))
    // 吴中区 is perfect but for its coverage; 姑苏区 was ranked last month (first of one) and is second now.
    expect(districts).toMatch(/1\. 吴中区\u300096\.0 分\u3000新\n/)
    expect(districts).toMatch(/2\. 姑苏区\u3000\d+\.\d 分\u3000↓1 \([+-]\d+\.\d\)/)
    expect(districts).toContain('按时签收 95.0% · 按时办结 93.3% · 超期 1 · 延期 0 · 重办率 6.7% · 满意率 90.0% · 回访应答 76.9%')
    expect(districts).toContain('走访 42 次 · 覆盖率 62.0%')
    // Nothing fell due in 相城区: no rate is 0 or 100%, each is "—", and it has no rank.
    expect(districts).toContain('—. 相城区　无可计分数据')
    expect(districts).toContain('受理 1 · 按时签收 — · 按时办结 — · 超期 0 · 延期 0 · 重办率 — · 满意率 — · 回访应答 —')
    expect(districts).toContain('合计：受理 33')
    expect(text).toContain('【典型案例】2 件')
    expect(text).toContain('· HY-20261105-0003（市城市管理局）星湖街路灯不亮，联系人 [手机号]——当天修复，群众送锦旗')
    expect(text).toContain('· 走访 #17（姑苏区，2026-11-03）企业用工难')
    expect(text).toContain('综合得分 = 按时签收率×20 + 按时办结率×30 + (1−重办率)×15 + 满意率×30 + 覆盖率×5')
    expect(text).toContain('排名变化对比 2026年10月')
  })

  it('speaks English to English speakers', () => {
    const text = monthlyReportText(sampleBulletin(), en)
    expect(text).toContain('Monthly report November 2026')
    expect(text).toMatch(/1\. Wuzhong {2}96\.0 pts {2}new/)
    expect(text).toContain('  received 1 · accepted on time — ·')
  })

  it.each([
    [3, 2],
    [40, 2],
    [120, 30],
    [400, 200],
  ])('fits one Telegram message with %i departments and %i model cases, keeping the best and the last', (departments, modelCases) => {
    const bulletin = sampleBulletin({ departments, modelCases })
    const text = monthlyReportText(bulletin, zh)
    expect(text.length).toBeLessThanOrEqual(MESSAGE_LIMIT)
    const units = bulletin.report.departments.units
    expect(text).toContain(`${units[0]!.rank}. ${units[0]!.unit.nameZh}`)
    const last = units.at(-1)!
    expect(text).toContain(last.unit.nameZh)
    expect(text).toContain('综合得分 =')
    if (departments > 40)
      expect(text).toMatch(/另有 \d+ 个单位，见 CSV/)
  })

  it('says when the month is still running', () => {
    expect(monthlyReportText(sampleBulletin(), { ...zh, partial: true })).toContain('本月尚未结束')
  })
})
