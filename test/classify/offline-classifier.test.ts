import type { ClassificationResult, Classifier } from '#root/classify/classification.js'
import type { Catalog } from '#root/domain/catalog.js'
import { fileURLToPath } from 'node:url'
import { loadCatalogFile } from '#root/catalog/catalog-file.js'
import { checkAgainstCatalog, classificationSchema, SUMMARY_MAX_LENGTH } from '#root/classify/classification.js'
import {
  createOfflineClassifier,
  detectRequestType,
  extractLocation,
  OFFLINE_MODEL,
  summarize,
} from '#root/classify/offline-classifier.js'
import { detectUrgency } from '#root/classify/urgency.js'
import { removePersonalData } from '#root/privacy/personal-data.js'
import { beforeAll, describe, expect, it } from 'vitest'

const SHIPPED_CATALOG = fileURLToPath(new URL('../../prisma/catalog.json', import.meta.url))

let catalog: Catalog
let classifier: Classifier

beforeAll(async () => {
  catalog = await loadCatalogFile(SHIPPED_CATALOG)
  classifier = createOfflineClassifier(catalog)
})

async function classify(text: string, locationText?: string | null): Promise<ClassificationResult> {
  const result = await classifier.classify({ text, locationText })
  // Every result, whatever the input, must be storable as it is.
  const { classifier: kind, model, promptVersion, fallbackReason, ...classification } = result
  expect(classificationSchema.parse(classification)).toEqual(classification)
  expect(checkAgainstCatalog(classification, catalog)).toEqual({ ok: true, value: classification })
  expect({ kind, model, promptVersion, fallbackReason }).toEqual({ kind: 'offline', model: OFFLINE_MODEL, promptVersion: null, fallbackReason: null })
  return result
}

// Written for these tests in a resident's words; one per category of the shipped catalog.
const REPORTS: [categoryId: string, text: string][] = [
  ['property', '小区物业公司收了物业费却不管事，楼道里堆满杂物也没人清理'],
  ['housing-market', '开发商延期交房已经半年，购房合同约定的交付日期早过了'],
  ['construction', '旁边工地每天夜间施工到凌晨两点，打桩声音吵得睡不着'],
  ['demolition', '我家房屋被征收，拆迁补偿款到现在还没有发放，回迁房也迟迟不建'],
  ['city-appearance', '菜场门口流动摊贩占道经营，垃圾满地'],
  ['illegal-building', '顶楼住户在楼顶加盖了一层铁皮房，属于违章搭建'],
  ['municipal', '路口的井盖丢了好几天，晚上路灯也不亮'],
  ['utilities', '我们这栋楼已经停水两天了，自来水公司说在抢修'],
  ['transport', '88路公交车班次太少，早高峰等四十分钟都等不到车'],
  ['traffic-order', '商场门口的人行道上天天有车违停，交警也不来管'],
  ['pollution', '附近化工厂晚上偷排废气，刺鼻的气味让人喘不过气'],
  ['school', '孩子今年上小学，户口在学区内却被告知没有学位'],
  ['culture-sports', '社区的健身器材坏了很久，篮球场也被占用了'],
  ['tourism', '在景区被导游强制购物，旅行社拒绝退还团费'],
  ['wages', '公司拖欠我们三个月工资，老板一直躲着不见'],
  ['social-insurance', '单位没有给我缴纳养老保险，退休时才发现社保断缴'],
  ['medical-insurance', '在外地住院，医保异地报销手续太复杂'],
  ['health', '医院急诊科医生态度恶劣，挂号排了三个小时'],
  ['market', '健身房办了会员卡，没多久就关门跑路了，商家不退款'],
  ['food-drug', '在超市买的牛奶已经过期变质，喝了以后拉肚子'],
  ['public-security', '昨晚电动车在楼下被偷，已经报警，希望派出所尽快破案'],
  ['civil-affairs', '家里老人瘫痪在床，想申请低保和残疾人补贴'],
  ['agriculture', '村里的土地流转款村委会一直没有发放给村民'],
  ['land', '邻居占用基本农田建房，还没有办理宅基地审批'],
  ['other', '办事大厅窗口工作人员服务态度差，推诿扯皮'],
]

describe('createOfflineClassifier: category', () => {
  it('has a report for every category of the shipped catalog', () => {
    expect(new Set(REPORTS.map(([id]) => id))).toEqual(new Set(catalog.categories.map(c => c.id)))
  })

  it.each(REPORTS)('classifies a %s report', async (categoryId, text) => {
    const result = await classify(text)
    expect(result.categoryId).toBe(categoryId)
    const category = catalog.categories.find(c => c.id === categoryId)!
    expect(result.departmentId).toBe(category.departmentId)
  })

  it('weighs the title line above the body', async () => {
    const result = await classify('小区垃圾没人清运\n物业说这不归他们管，让我们找环卫，环卫又说找物业')
    expect(result.categoryId).toBe('city-appearance')
  })

  it('counts a keyword inside a longer one only once ("施工噪音" is construction, not pollution)', async () => {
    expect((await classify('施工噪音太大')).categoryId).toBe('construction')
  })

  it('classifies English reports by the catalog\'s English keywords', async () => {
    expect((await classify('There is a huge pile of garbage on Elm Street')).categoryId).toBe('city-appearance')
    expect((await classify('My employer has not paid my wages for two months')).categoryId).toBe('wages')
    expect((await classify('The streetlight outside our building has been broken for a week')).categoryId).toBe('municipal')
  })

  it('matches full-width letters like ascii ones', async () => {
    expect((await classify('楼下ＫＴＶ每晚唱到三点')).categoryId).toBe('culture-sports')
  })
})

describe('createOfflineClassifier: confidence', () => {
  it('falls back to "other" with low confidence when nothing matches', async () => {
    const result = await classify('今天天气不错')
    expect(result.categoryId).toBe('other')
    expect(result.departmentId).toBe('general')
    expect(result.confidence).toBeLessThan(0.2)
  })

  it('is high for a report full of one category\'s words', async () => {
    expect((await classify('开发商延期交房已经半年，购房合同约定的交付日期早过了')).confidence).toBeGreaterThan(0.8)
  })

  it('is lower when two categories are nearly tied', async () => {
    const clear = await classify('物业不管楼道杂物')
    const tied = await classify('物业不管，学校也不管')
    expect(tied.confidence).toBeLessThan(clear.confidence)
    expect(tied.confidence).toBeLessThan(0.6)
  })

  it('is lower on thin evidence than on plenty', async () => {
    const thin = await classify('学生')
    const plenty = await classify('学校违规收取补课费，老师在校外培训机构有偿补课')
    expect(thin.confidence).toBeLessThan(0.5)
    expect(plenty.confidence).toBeGreaterThan(thin.confidence)
  })
})

describe('createOfflineClassifier: awkward input', () => {
  it('handles empty and blank text', async () => {
    for (const text of ['', '   ', '\n\n']) {
      const result = await classify(text)
      expect(result.categoryId).toBe('other')
      expect(result.summary).toBe('（无文字内容）')
      expect(result.location).toBeNull()
    }
  })

  it('handles emoji-only text without splitting a character', async () => {
    const result = await classify('🙏🙏🙏')
    expect(result.categoryId).toBe('other')
    expect(result.summary).toBe('🙏🙏🙏')
  })

  it('handles a 5,000-character report quickly and keeps the summary short', async () => {
    const text = `小区门口的垃圾站三天没人清运，臭味很大。${'附近居民每天经过都要捂着鼻子走，'.repeat(400)}`.slice(0, 5000)
    expect(text).toHaveLength(5000)
    const started = performance.now()
    const result = await classify(text)
    expect(performance.now() - started).toBeLessThan(100)
    expect(result.categoryId).toBe('city-appearance')
    expect(result.summary).toBe('小区门口的垃圾站三天没人清运，臭味很大')
  })

  it('truncates a long first clause to the summary limit without cutting an emoji in half', async () => {
    const result = await classify(`${'🚧'.repeat(30)}${'施工'.repeat(60)}`)
    expect(result.summary.length).toBeLessThanOrEqual(SUMMARY_MAX_LENGTH)
    expect(result.summary.endsWith('…')).toBe(true)
    expect(result.summary).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/)
  })

  it('classifies thousands of reports per second', async () => {
    const texts = REPORTS.map(([, text]) => text)
    const started = performance.now()
    for (let i = 0; i < 2000; i++)
      await classifier.classify({ text: texts[i % texts.length]! })
    const perSecond = 2000 / ((performance.now() - started) / 1000)
    expect(perSecond).toBeGreaterThan(1000)
  })

  it('rejects when the caller has already given up', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(classifier.classify({ text: '停水了' }, { signal: controller.signal })).rejects.toThrow()
  })
})

describe('createOfflineClassifier: with other catalogs', () => {
  const tiny: Catalog = {
    departments: [{ id: 'd1', nameZh: '一局', nameEn: 'One' }, { id: 'd2', nameZh: '综合', nameEn: 'General' }],
    categories: [
      { id: 'noise', nameZh: '噪音', nameEn: 'Noise', departmentId: 'd1', keywords: ['噪音', '扰民'] },
      { id: 'misc', nameZh: '综合事项', nameEn: 'Miscellaneous', departmentId: 'd2', keywords: [] },
    ],
  }

  it('falls back to a category named like "misc" when there is no "other"', async () => {
    const result = await createOfflineClassifier(tiny).classify({ text: '你好' })
    expect(result.categoryId).toBe('misc')
    expect(result.departmentId).toBe('d2')
  })

  it('uses only the keywords it is given', async () => {
    expect((await createOfflineClassifier(tiny).classify({ text: '楼上噪音扰民' })).categoryId).toBe('noise')
  })

  it('refuses a catalog without categories', () => {
    expect(() => createOfflineClassifier({ departments: [], categories: [] })).toThrow(/no categories/)
  })
})

describe('detectUrgency', () => {
  it.each([
    '闻到很浓的燃气味，怀疑燃气泄漏',
    '对面楼着火了，浓烟很大',
    '工地围墙倒塌，有人被压在下面',
    '电梯困人已经半小时，没人来救',
    'There is a gas leak in the stairwell',
  ])('is critical for danger now: %s', (text) => {
    expect(detectUrgency(text)).toBe('critical')
  })

  it.each([
    '楼下电线裸露，存在火灾隐患',
    '外墙瓷砖松动，随时可能坍塌',
    '已经停电一整天了',
    '厨房天花板漏水',
    '独居老人家里的暖气不热',
    '路口的井盖缺失，儿童经过很危险',
    'No water since yesterday morning',
  ])('is urgent for a hazard, an outage or a vulnerable person: %s', (text) => {
    expect(detectUrgency(text)).toBe('urgent')
  })

  it.each([
    '路边的广告牌有点旧了',
    '长期被噪音困扰',
    'The company fired three workers without notice',
  ])('is normal otherwise: %s', (text) => {
    expect(detectUrgency(text)).toBe('normal')
  })
})

describe('detectRequestType', () => {
  it.each([
    ['consultation', '请问公积金提取需要什么材料？'],
    ['consultation', '想咨询一下孩子入学如何办理'],
    ['consultation', 'How do I apply for a residence permit?'],
    ['tip_off', '我要举报某餐馆使用地沟油'],
    ['tip_off', '实名检举某工厂夜间偷排'],
    ['suggestion', '建议在小区门口增设公交站'],
    ['suggestion', '希望能增设几个公共厕所'],
    ['help_request', '家里困难，求助能否帮忙申请救助'],
    ['help_request', 'Please help, my father is stranded at the station'],
    ['complaint', '物业乱收费，投诉多次没人管'],
    ['complaint', '健身房办了会员卡，没多久就关门跑路了'],
    ['complaint', '楼下烧烤店油烟太大'],
  ] as const)('is %s: %s', (type, text) => {
    expect(detectRequestType(text)).toBe(type)
  })
})

describe('summary', () => {
  it('is the first meaningful clause, without greetings', () => {
    expect(summarize('尊敬的市长：您好！我家楼下的路灯坏了一个月。麻烦尽快修一下。')).toBe('我家楼下的路灯坏了一个月')
    expect(summarize('领导好，\n小区垃圾没人清运')).toBe('小区垃圾没人清运')
    expect(summarize('Hello, the bus stop sign fell down. Please fix it.')).toBe('the bus stop sign fell down.')
  })

  it('uses the title line when there is one', () => {
    expect(summarize('关于某路段积水的问题\n每逢下雨，路口积水没过脚踝')).toBe('关于某路段积水的问题')
  })

  it('strips phone, ID card and bank card numbers and e-mail addresses, with their labels', async () => {
    const text = '我的手机13812345678，身份证号11010119900307123X，小区电梯坏了，邮箱a.b@example.com'
    const result = await classify(text)
    expect(result.summary).not.toMatch(/\d{6,}|@|手机|身份证/)
    expect(result.summary).toContain('小区电梯坏了')
    for (const number of ['+86 138-1234-5678', '0731-88886666', '6222021234567890123', '１３８１２３４５６７８'])
      expect(removePersonalData(`联系电话：${number}，谢谢`)).not.toMatch(/\d{4}/)
  })

  it('never exceeds the limit', async () => {
    const result = await classify('楼下的夜市'.repeat(100))
    expect(result.summary.length).toBeLessThanOrEqual(SUMMARY_MAX_LENGTH)
  })
})

describe('extractLocation', () => {
  it.each([
    ['我家住在幸福路88号阳光小区3栋，楼下油烟太大', '幸福路88号阳光小区3栋'],
    ['举报和平路有人私搭乱建', '和平路'],
    ['A市A3区桂花村的道路坑洼', 'A市A3区桂花村'],
    ['希望在建设北路101号附近加装路灯', '建设北路101号'],
    ['The streetlight on Maple Road has been broken for two weeks', 'Maple Road'],
  ])('finds the place in "%s"', (text, place) => {
    expect(extractLocation(text)).toBe(place)
  })

  it.each([
    '小区的道路坑洼不平',
    '88路公交车太挤',
    '孩子今年上小学',
    '农村的马路没有路灯',
    '今天天气不错',
  ])('finds none in "%s"', (text) => {
    expect(extractLocation(text)).toBeNull()
  })

  it('prefers the location the resident gave', async () => {
    const result = await classify('路灯坏了', '  东风路与人民路交叉口 ')
    expect(result.location).toBe('东风路与人民路交叉口')
  })

  it('is extracted when the resident gave none', async () => {
    expect((await classify('和平路的路灯坏了', null)).location).toBe('和平路')
  })
})
