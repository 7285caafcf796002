import type { RequestType, Urgency } from '#root/classify/classification.js'

/*
 * Urgency is decided by what a report describes, never by how loudly it asks:
 * - critical 特急: danger to life or property now: gas, fire, smoke, a live wire down, someone trapped, injured
 *   or unconscious, something collapsing or falling, water rising into homes, violence under way;
 * - urgent 紧急: an outage or damage happening now (water, power, heating, a leak, sewage coming up), a standing
 *   hazard that could hurt someone (an open manhole, bare wires, loose tiles), or vulnerable people (the elderly,
 *   children, the sick, pregnant women, disabled people) harmed by the problem;
 * - normal 一般: everything to be fixed in the ordinary course;
 * - low 不急: a question or a suggestion with no problem pressing.
 * "紧急！！！必须今天处理" is removed before reading: a demand is not a cause.
 */

const DEMANDS = /十万火急|特急|紧急|加急|急{2,}|急需|急|火速|立刻|立即|马上|赶紧|尽快|速来|刻不容缓|必须今天[^，,。！!？?\s]{0,6}|今天之内|asap|urgent(?:ly)?|immediately|right now|emergency|(?:[!！‼]\uFE0F?)+/gi

// Past or settled: "上次说的着火的事已经处理好了" is not a fire now.
const SETTLED = /已经?(?:处理好|解决|修好|恢复|灭了|没事)|处理好了|修好了|来电了|来水了|搞定了|(?:all |now )?fixed now|resolved|back on now/i

// Hazard words that name a risk rather than an event: "火灾隐患", "随时可能倒塌", "怕要滑坡", "早晚出事".
const RISK_BEFORE = /(?:防止|预防|避免|以免|防范|可能|容易|存在|担心|恐|怕|威胁|影响|危害|危及|会不会|万一|早晚|迟早|随时|上周|上个月|去年|以前|之前|曾经|前几天|前段时间)[^。！？!?\n]{0,8}$/
const RISK_AFTER = /^[^。！？!?\n]{0,4}(?:隐患|风险|危险|的可能)/

const CRITICAL_EVENTS = new RegExp([
  // gas
  '燃气泄漏',
  '煤气泄漏',
  '天然气泄漏',
  '漏气',
  '(?:燃气|煤气|天然气)味',
  'gas leak',
  'smell(?:s|ing)? (?:of )?gas',
  'gas smell',
  // fire, smoke, sparks, explosion
  '火灾',
  '着火',
  '起火',
  '失火',
  '大火',
  '烧起来',
  '冒(?:出)?(?:好大的|很大的|大量的?|滚滚)?(?:黑|浓|白)?烟',
  '浓烟',
  '火花',
  '火苗',
  '明火',
  '焦味',
  '烧焦',
  '爆炸',
  '\\bfire\\b',
  'on fire',
  'smoke coming',
  'sparks',
  'explo(?:sion|ded)',
  // electricity
  '触电',
  '(?:人|孩子|小孩)被?电死',
  '电线(?:断|掉|落)',
  '带电',
  'live wire',
  'electrocut',
  // collapse, falling, sinking
  '坍塌',
  '倒塌',
  '塌方',
  '垮塌',
  '塌了',
  '塌陷',
  '往下沉',
  '摇摇欲坠',
  '砸到人',
  '砸伤',
  'collaps(?:e|ed|ing) (?:building|wall|road|ceiling)',
  // people in danger
  '被困(?!扰)',
  '困人',
  '困在',
  '卡在.{0,6}(?:中间|里)',
  '锁在车里',
  '掉(?:进|到)?(?:河|湖|水|井)里',
  '落水',
  '溺水',
  '跳楼',
  '自杀',
  '轻生',
  '(?:爬|站|挂|坐)(?:到|在)?了?.{0,8}(?:窗外|窗户外|窗台外|阳台外|楼顶边|护栏外|空调架|空调外机)',
  '坠楼',
  '坠落',
  '走丢',
  '走失',
  '失踪',
  '找不到(?:人|孩子|老人)',
  '被车撞',
  '晕倒',
  '昏迷',
  '叫不醒',
  '不省人事',
  '没有?呼吸',
  '流血',
  '受伤',
  '被压',
  '中毒',
  '上吐下泻',
  'trapped',
  'stuck in (?:the )?(?:lift|elevator)',
  'drown',
  'not breathing',
  'unconscious',
  'bleeding',
  'collapsed at',
  'injured',
  // violence
  '持刀',
  '拿刀',
  '砍人',
  '行凶',
  '强拆.{0,12}(?:人|妈|爸|老人|孩子).{0,4}(?:在|还在)',
  // water and earth
  '进水了',
  '水已经到',
  '还在涨',
  '漫进',
  '决堤',
  '管涌',
  '堤坝.{0,6}(?:渗水|裂)',
  '泥石流',
  '山体滑坡(?!隐患)',
  'water rising',
  'flooding (?:into|our)',
].join('|'), 'gi')

const HAZARDS = new RegExp([
  '安全隐患',
  '隐患',
  '危险',
  '出事',
  '冒黄烟',
  '呛',
  '井盖(?:不见|缺失|丢|没了|松动|坏)',
  '黑洞',
  '(?:电线|线路).{0,6}(?:裸露|外皮|破)',
  '裸露',
  '飞线',
  '承重墙',
  '裂缝',
  '滑坡',
  '掉石头',
  '塔吊',
  '咬了?(?:人|伤)',
  '跟着.{0,6}(?:女孩|孩子|学生)',
  '要钱',
  '不敢(?:去|走|出门|上学)',
  '红绿灯坏',
  '信号灯坏',
  '没有红绿灯',
  '车速.{0,2}快',
  '撞(?:了|倒|伤)',
  '倒了',
  '倒在',
  '倾斜',
  '歪(?:了|着)',
  '松(?:了|动)',
  '晃',
  '快掉',
  '要掉',
  '摇摇',
  'hazard',
  'danger',
  'unsafe',
  'exposed wire',
  'leaning',
  'falling',
  'loose',
].join('|'), 'gi')

const OUTAGES = new RegExp([
  '停水',
  '断水',
  '没水',
  '没有水',
  '停电',
  '断电',
  '没电',
  '(?:楼|灯|家里|小区)都?黑了',
  '停气',
  '不供暖',
  '暖气(?:不热|坏)',
  '没有暖气',
  '冻',
  '漏水',
  '渗水',
  '没有?热水',
  '爆管',
  '水管.{0,2}(?:爆|破|裂)',
  '喷',
  '往外冒',
  '冒水',
  '污水.{0,4}(?:外溢|冒|漫)',
  '淹',
  '困住',
  '下不去',
  '出不去',
  '(?:电梯|lift|elevator).{0,10}(?:坏|停|down)',
  'no water',
  'no power',
  'power cut',
  'outage',
  'blackout',
  'leak',
  'no heating',
  'flood',
].join('|'), 'gi')

const VULNERABLE = /老人|老年人|奶奶|爷爷|独居|孩子|小孩|儿童|学生|婴儿|宝宝|幼儿|孕妇|病人|患者|呼吸机|瘫痪|残疾|轮椅|elderly|old lady|old man|child|kid|baby|pregnant|wheelchair|disabled|patient/i
const HARM_TO_VULNERABLE = /下不去|出不去|冻|冷|病|发(?:高)?烧|拉肚子|吐|咬|摔|不敢|没法|无法|吃不上|没出门|没人应|危险|受不了|cant get out|can't get out|stuck|sick/i

const NO_PRESSURE = /不急|不着急|有空(?:再)?回复|先了解|no rush|no hurry|whenever/i

function hasEvent(text: string): 'event' | 'risk' | null {
  let risk = false
  for (const match of text.matchAll(CRITICAL_EVENTS)) {
    const before = text.slice(Math.max(0, match.index - 10), match.index)
    const after = text.slice(match.index + match[0].length, match.index + match[0].length + 6)
    if (RISK_BEFORE.test(before) || RISK_AFTER.test(after))
      risk = true
    else
      return 'event'
  }
  return risk ? 'risk' : null
}

/**
 * The urgency a report's content warrants; `requestType` lets a question or suggestion with nothing pressing be
 * `low`. Words that only demand speed ("紧急", "ASAP", "!!!") are ignored.
 */
export function detectUrgency(text: string, requestType?: RequestType): Urgency {
  const normalized = text.normalize('NFKC').toLowerCase()
  const described = normalized.replace(DEMANDS, ' ')
  if (SETTLED.test(described))
    return 'normal'
  const event = hasEvent(described)
  if (event === 'event')
    return 'critical'
  HAZARDS.lastIndex = 0
  OUTAGES.lastIndex = 0
  const hazard = event === 'risk' || HAZARDS.test(described)
  const outage = OUTAGES.test(described)
  const vulnerable = VULNERABLE.test(described) && HARM_TO_VULNERABLE.test(described)
  if (hazard || outage || vulnerable)
    return 'urgent'
  if (requestType === 'consultation' || requestType === 'suggestion' || NO_PRESSURE.test(described))
    return 'low'
  return 'normal'
}
