import { detectRequestType } from '#root/classify/offline-classifier.js'
import { urgencyFigures } from '#root/classify/routing-evaluation.js'
import { detectUrgency } from '#root/classify/urgency.js'
import { describe, expect, it } from 'vitest'
import { CHAT_REPORTS, URGENCY_CASES } from './chat-messages.js'

const urgencyOf = (text: string) => detectUrgency(text, detectRequestType(text))

describe('detectUrgency', () => {
  it('does not rise for words that only demand speed', () => {
    for (const text of ['紧急！！！必须今天处理！！！物业费太贵了', 'URGENT!!! ASAP!!! the bench needs paint', '十万火急‼️ 快递柜收费太贵', '马上处理！立刻！公交站牌字太小'])
      expect(urgencyOf(text), text).toBe('normal')
  })

  it('is critical for danger now, whatever the tone', () => {
    expect(urgencyOf('楼道里有煤气味')).toBe('critical')
    expect(urgencyOf('the wire is down and there are sparks')).toBe('critical')
  })

  it('reads a hazard named as a risk as urgent, not critical', () => {
    expect(urgencyOf('电线老化，存在火灾隐患')).toBe('urgent')
    expect(urgencyOf('后山一直掉石头，怕要滑坡')).toBe('urgent')
  })

  it('does not count a danger that is over', () => {
    expect(urgencyOf('上次说的着火的事已经处理好了，谢谢')).toBe('normal')
  })

  it('is low for a question or suggestion with nothing pressing, and not for a question about a danger', () => {
    expect(urgencyOf('请问社保卡丢了怎么补办？')).toBe('low')
    expect(urgencyOf('建议公园多放几个垃圾桶')).toBe('low')
    expect(urgencyOf('请问楼道里有燃气味该打哪个电话？')).toBe('critical')
  })

  it('is urgent when vulnerable people are harmed, not merely mentioned', () => {
    expect(urgencyOf('电梯坏了，楼上的老人下不去')).toBe('urgent')
    expect(urgencyOf('孩子学校又要交资料费')).toBe('normal')
  })
})

describe('on the hand-written cases', () => {
  const cases = [...CHAT_REPORTS, ...URGENCY_CASES]
  const figures = urgencyFigures(cases.map(c => ({ truth: c.urgency, predicted: urgencyOf(c.text) })))

  it('has at least 80 cases, including demands without cause', () => {
    expect(cases.length).toBeGreaterThanOrEqual(80)
    expect(URGENCY_CASES.filter(c => c.urgency === 'normal' && /紧急|急|马上|立刻|urgent|asap/i.test(c.text)).length).toBeGreaterThanOrEqual(8)
  })

  it('finds at least 95% of the urgent and critical ones, and marks at most 5% of the others urgent', () => {
    expect(figures.urgentRecall).toBeGreaterThanOrEqual(0.95)
    expect(figures.criticalRecall).toBeGreaterThanOrEqual(0.9)
    expect(figures.falseUrgentRate).toBeLessThanOrEqual(0.05)
  })

  it('never raises a case that only demands urgency', () => {
    for (const c of URGENCY_CASES.filter(c => c.urgency === 'normal'))
      expect(['normal', 'low'], c.text).toContain(urgencyOf(c.text))
  })
})
