import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * What the load scripts feed the bot: seeded random numbers, residents' texts (real messages read at run time when
 * they are at hand, generated otherwise), names and places, and the percentile math their figures are made of.
 */

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** Real citizen messages for evaluation, next to the repository; read at run time only, never copied. */
export const DATA_FILE = resolve(REPO_ROOT, '../shared/data/messages_with_votes.jsonl')
/** The bot's DESCRIPTION_MAX_LENGTH, in characters (code points). */
export const DESCRIPTION_MAX = 3000

/** Deterministic pseudo-random numbers (mulberry32), so that reruns with one seed see the same workload. */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function pick<T>(rng: () => number, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)]!
}

/** A seeded in-place shuffle. */
export function shuffle<T>(rng: () => number, list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1))
    ;[list[i], list[j]] = [list[j]!, list[i]!]
  }
  return list
}

/** Cut to the bot's limit in characters, and under Telegram's 4096 UTF-16 units for a user message. */
export function fitDescription(text: string, max = DESCRIPTION_MAX): string {
  let cut = [...text.trim()].slice(0, max).join('').trim()
  while (cut.length > 4096)
    cut = cut.slice(0, -1)
  return cut
}

export const AREAS = ['星湖社区', '金鸡湖街道', '东沙湖社区', '玲珑湾社区', '翰林苑社区', '湖西社区', '娄葑街道', '斜塘街道', '胜浦街道', '唯亭街道', '青剑湖社区', '车坊社区', '月亮湾社区', '独墅湖社区', '莲花社区', '方洲社区', '东湖林语社区', '新城花园社区', '湖畔天城社区', '天域社区']
const STREETS = ['星湖街', '现代大道', '苏州大道东', '金鸡湖大道', '星港街', '东方大道', '钟园路', '南施街', '凤里街', '葑亭大道', '华池街', '松涛街']
const PLACES = ['小区东门', '3 号楼楼下', '地下车库入口', '菜市场门口', '幼儿园对面', '公交站旁', '十字路口', '篮球场边', '垃圾分类亭', '健身器材区']

const SUBJECTS = ['小区门口的路灯', '楼道里的声控灯', '3 栋的电梯', '楼下的下水道', '路边的井盖', '小区的二次供水水箱', '对面工地', '楼下的烧烤摊', '单元门门禁', '小区北门的道闸', '公交站的候车亭', '地下车库的排风', '楼顶的防水层', '小区的垃圾分类亭', '学校门口的斑马线', '社区卫生服务站', '隔壁的棋牌室', '河道', '小区绿化带', '人行道上的共享单车']
const PROBLEMS = ['坏了一个多星期没人修', '每天晚上十一点以后还在施工，噪音很大', '经常停运，老人只能爬楼', '堵塞了，污水漫到路面上', '松动了，车一压就响', '水有异味，烧开后还有沉淀', '油烟直接排进楼道', '刷卡经常失灵，外人随便进出', '一到雨天就积水', '被私家车长期占用', '清运不及时，气味很重，招苍蝇', '没有信号灯，孩子过马路很危险', '漏水，把楼下邻居的天花板泡坏了', '营业到凌晨，吵得睡不着']
const IMPACTS = ['晚上很黑，老人出门不方便。', '家里有刚出生的孩子，根本没法休息。', '已经有人摔倒了。', '影响到整栋楼几十户人家。', '找物业反映了好几次都说在处理，一直没有结果。', '打过 12345，说转给街道了，到现在也没人来看。', '希望有关部门尽快来现场看一看。', '夏天快到了，担心出安全事故。', '附近的商户和居民都很有意见。', '孩子上学每天都要经过这里。']
const ASKS = ['请尽快安排维修。', '希望相关部门依法处理。', '请问这种情况应该找哪个部门？', '希望能给个明确的答复和处理时间。', '建议增加巡查频次。', '请帮忙协调解决，谢谢！']
const SURNAMES = [...'王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗']
const TITLES = ['阿姨', '师傅', '大爷', '女士', '先生', '老师', '奶奶', '小姐']

/** A resident's report as the generator writes it, when the real messages are not at hand. */
export function generatedText(rng: () => number): string {
  // One to all of the impact sentences, each at most once: mostly short reports, some long ones.
  const impacts = [...IMPACTS].sort(() => rng() - 0.5).slice(0, 1 + Math.floor(rng() * rng() * IMPACTS.length))
  return `${pick(rng, SUBJECTS)}${pick(rng, PROBLEMS)}，${impacts.join('')}${pick(rng, ASKS)}`
}

export function residentName(rng: () => number): string {
  return `${pick(rng, SURNAMES)}${pick(rng, TITLES)}`
}

/** An address inside `area`, as a resident would write it. */
export function placeIn(rng: () => number, area: string): string {
  return `${area}${pick(rng, STREETS)} ${1 + Math.floor(rng() * 300)} 号${pick(rng, PLACES)}`
}

/** The area of the i-th residents' group: the list above, numbered once it runs out. */
export function areaName(index: number): string {
  return `${AREAS[index % AREAS.length]}${index >= AREAS.length ? `（${Math.floor(index / AREAS.length) + 1}）` : ''}`
}

/**
 * `count` report texts: real residents' messages (title + body, seeded shuffle, cut to `maxLength` characters) when
 * the data file exists and `source` is 'auto', otherwise generated; with where they came from, for the method.
 */
export function reportTexts(count: number, rng: () => number, options: { source: 'auto' | 'generated', maxLength?: number }): { texts: string[], source: string } {
  const max = options.maxLength ?? DESCRIPTION_MAX
  if (options.source === 'auto' && existsSync(DATA_FILE)) {
    const texts: string[] = []
    for (const line of readFileSync(DATA_FILE, 'utf8').split('\n')) {
      if (!line.trim())
        continue
      const row = JSON.parse(line) as { title?: unknown, body?: unknown }
      const text = fitDescription(`${typeof row.title === 'string' ? row.title : ''}\n${typeof row.body === 'string' ? row.body : ''}`, max)
      if ([...text].length >= 5 && !text.startsWith('/'))
        texts.push(text)
    }
    if (texts.length > 0) {
      shuffle(rng, texts)
      return {
        texts: Array.from({ length: count }, (_, i) => texts[i % texts.length]!),
        source: `real residents' messages (title + body) from ${DATA_FILE}, ${texts.length} usable, cut to ${max} characters`,
      }
    }
  }
  return {
    texts: Array.from({ length: count }, () => fitDescription(generatedText(rng), max)),
    source: options.source === 'generated' ? 'generated texts (--texts generated)' : `generated texts (${DATA_FILE} not found)`,
  }
}

// ------------------------------------------------------------------------------------------------ figures

export interface Latency { count: number, p50: number, p95: number, p99: number, max: number, mean: number }

/** The nearest-rank percentile of ascending samples; NaN when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0)
    return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

export function summarize(samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b)
  const mean = sorted.reduce((sum, x) => sum + x, 0) / Math.max(1, sorted.length)
  return { count: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN, mean }
}

/** The most events within any window of `length` ms. */
export function maxInWindow(times: readonly number[], length: number): number {
  const sorted = [...times].sort((a, b) => a - b)
  let best = 0
  let start = 0
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[start]! <= sorted[end]! - length)
      start++
    best = Math.max(best, end - start + 1)
  }
  return best
}

export function fmt(value: number, digits = 0): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '—'
}

/** Seeded arrival times (ms from the start) of `count` people over `spreadMs`: a Poisson process, as strangers arrive. */
export function arrivals(rng: () => number, count: number, spreadMs: number): number[] {
  if (count === 0)
    return []
  const gaps = Array.from({ length: count }, () => -Math.log(1 - rng()))
  const total = gaps.reduce((sum, g) => sum + g, 0)
  let at = 0
  // Scaled so that the last one arrives at the end of the spread.
  return gaps.map((g) => {
    at += g
    return Math.round((at / total) * spreadMs)
  })
}

export const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms))
