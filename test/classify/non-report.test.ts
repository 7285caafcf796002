import { detectNonReport } from '#root/classify/non-report.js'
import { nonReportFigures } from '#root/classify/routing-evaluation.js'
import { describe, expect, it } from 'vitest'
import { CHAT_NON_REPORTS, CHAT_REPORTS } from './chat-messages.js'

describe('detectNonReport', () => {
  it.each([
    ['大家好', 'greeting'],
    ['早上好各位😊', 'greeting'],
    ['谢谢师傅，灯已经修好了', 'thanks'],
    ['thank you so much!', 'thanks'],
    ['加微信领取优惠券，全场五折', 'advertisement'],
    ['哈哈哈', 'chatter'],
    ['👍👍', 'chatter'],
    ['有没有人知道哪家修鞋的好？', 'question'],
  ] as const)('recognises %s as %s', (text, reason) => {
    expect(detectNonReport(text)).toBe(reason)
  })

  it.each([
    '大家好，楼下的路灯坏了',
    '谢谢，不过电梯又坏了',
    '请问社保卡丢了怎么补办？',
    '有没有人管管楼下的噪音？',
    '停水了',
    '小区门口流动摊贩占道经营，垃圾满地，天天如此没人管，已经好几个月了',
  ])('takes a problem or a question for the authorities as a report: %s', (text) => {
    expect(detectNonReport(text)).toBeNull()
  })
})

describe('on the hand-written messages', () => {
  it('finds non-reports with at least 90% precision and recall, and every kind at least once', () => {
    const figures = nonReportFigures([
      ...CHAT_REPORTS.map(r => ({ isReport: true, predictedReport: detectNonReport(r.text) === null })),
      ...CHAT_NON_REPORTS.map(r => ({ isReport: false, predictedReport: detectNonReport(r.text) === null })),
    ])
    expect(figures.precision).toBeGreaterThanOrEqual(0.9)
    expect(figures.recall).toBeGreaterThanOrEqual(0.9)
    for (const reason of ['greeting', 'thanks', 'advertisement', 'chatter', 'question'] as const)
      expect(CHAT_NON_REPORTS.some(m => m.reason === reason && detectNonReport(m.text) === reason), reason).toBe(true)
  })
})
