/** Why a message is not a report: 问候 greeting · 致谢 thanks · 广告 advertisement · 闲聊 chatter · 问群友 a question for the group. */
export const NOT_REPORT_REASONS = ['greeting', 'thanks', 'advertisement', 'chatter', 'question'] as const
export type NotReportReason = (typeof NOT_REPORT_REASONS)[number]

// Selling, recruiting and "add me" cues; two weak ones or one strong one make an advertisement.
const AD_STRONG = /加(?:我)?(?:微信|vx|v信|wx|qq|v)|(?:微信|vx|wx)[:：]|扫码|进群|私聊|私我|私信我|日结|刷单|优惠券|限时特惠|特价|全场[0-9一二三四五六七八九]+折|新店开业|开业大吉|招代理|招兼职|兼职|出售|转让|dm me|promo code|discount|for sale|cheap loans?|no credit check|free trial|click the link/i
const AD_WEAK = /\d+元|\d+块|包邮|预约|专业|上门|送货|电话|热线|价格优惠|欢迎|咨询电话|订制|定制|批发|代办|贷款|借款|低息|免费|特惠|折扣|\boff\b|sale|deal|call now|whatsapp|telegram me/gi

// Something is wrong, or the government is asked to act or answer: this is a report, however short.
const PROBLEM = new RegExp([
  '坏',
  '破',
  '漏',
  '堵',
  '停水',
  '停电',
  '没水',
  '没电',
  '断',
  '吵',
  '噪',
  '臭',
  '脏',
  '乱',
  '违',
  '偷',
  '盗',
  '骗',
  '欠',
  '拖',
  '投诉',
  '举报',
  '反映',
  '危险',
  '隐患',
  '着火',
  '火灾',
  '泄漏',
  '困',
  '塌',
  '淹',
  '积水',
  '污染',
  '油烟',
  '扰民',
  '跑路',
  '过期',
  '蟑螂',
  '老鼠',
  '不退',
  '不给',
  '不管',
  '没人管',
  '没人清',
  '不亮',
  '不热',
  '不通',
  '收费',
  '多收',
  '涨价',
  '太贵',
  '差',
  '打人',
  '打架',
  '咬',
  '丢',
  '占',
  '拆',
  '问题',
  '故障',
  '维修',
  '修一下',
  '处理',
  '解决',
  '怎么办',
  '补办',
  '办理',
  '申请',
  '政策',
  '材料',
  '手续',
  '补贴',
  '社保',
  '医保',
  '公积金',
  '户口',
  '居住证',
  '证件',
  '咨询',
  '建议',
  '希望',
  '能不能',
  '可不可以',
  '煤气',
  '燃气',
  '冒烟',
  '没执照',
  '无证',
  '未成年',
  '少发',
  'broken',
  'not working',
  'leak',
  'no water',
  'no power',
  'noise',
  'noisy',
  'smell',
  'dirty',
  'stolen',
  'unpaid',
  'hasn\'t',
  'hasnt',
  'refus',
  'overcharg',
  'illegal',
  'danger',
  'complain',
  'fix',
  'please help',
  'how do i',
  'how to apply',
  'apply for',
].join('|'), 'i')
// What takes the problem back: "问题已经解决了".
const SETTLED = /(?:问题)?已经?(?:解决|修好|处理好|处理完)|修好了|处理好了|搞定了|fixed now|all fixed|resolved|sorted/i

const THANKS = /谢谢|感谢|多谢|谢了|辛苦(?:了|啦)|点赞|给.{0,6}点个赞|thank|thx|cheers/i
const GREETING = /^(?:(?:大家|各位|您|你)?(?:邻居|朋友|家人|街坊|亲)?们?(?:早上|上午|中午|下午|晚上)?(?:好|早)|晚安|在吗|在不在|有人吗|hi|hello|hey|good (?:morning|afternoon|evening|night)|新人|请多关照|多多关照|我是新来的)/i
const GROUP_QUESTION = /有没有人|有人(?:知道|一起|要|有|捡到|去)|谁(?:家|有|知道|能|会|要)|群里|大家(?:知道|有没有)|哪家|哪里有|推荐(?:一下|个)?|拼车|anyone|does anybody|who has|recommend/i
const QUESTION = /[?？]|吗|呢|来着|几点|啥时候|什么时候/

/** Letters, digits and Han characters: what is left once emoji, punctuation and spaces are gone. */
function meaningful(text: string): string {
  return text.replace(/[^\p{L}\p{N}]/gu, '')
}

/**
 * Recognises a message that is not a report: a greeting, thanks, an advertisement, chatter, or a question for
 * the other residents. Null when it is (or may be) a report: a problem, a request to the authorities, or a
 * question for them. Errs on the side of a report, since the resident can always go on and a lost report costs more.
 */
export function detectNonReport(text: string): NotReportReason | null {
  const normalized = text.normalize('NFKC').trim()
  const core = meaningful(normalized)
  const length = Array.from(core).length

  const adWeak = normalized.match(AD_WEAK)?.length ?? 0
  if (AD_STRONG.test(normalized) || adWeak >= 3 || (adWeak >= 2 && /\d{7,}/.test(normalized)))
    return 'advertisement'

  const settled = SETTLED.test(normalized)
  const problem = PROBLEM.test(settled ? normalized.replace(SETTLED, '').replace(/问题/g, '') : normalized)
  if (problem)
    return null
  if (length === 0 || /^(?:哈|呵|嘿|嘻|h[ae]|lo+l|\+?1|6|ok|okay|好的?|嗯|哦|对|是的?|收到)+$/i.test(core))
    return 'chatter'
  if (THANKS.test(normalized))
    return 'thanks'
  if (GREETING.test(core) && length <= 16)
    return 'greeting'
  if (GROUP_QUESTION.test(normalized))
    return 'question'
  if (QUESTION.test(normalized) && length <= 20)
    return 'question'
  if (length <= 10)
    return 'chatter'
  return null
}
