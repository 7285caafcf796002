import type { PersonalDataKind } from '#root/privacy/personal-data.js'
import {
  containsPersonalData,
  findPersonalData,
  isValidIdNumber,
  passesLuhn,
  redactDeep,
  redactPersonalData,
  removePersonalData,
} from '#root/privacy/personal-data.js'
import { describe, expect, it } from 'vitest'

interface Form {
  form: string
  kind: PersonalDataKind
  /** A text holding the personal data; `secret` is the part that must disappear. */
  positive: string
  secret: string
  /** A text that looks alike and must come out unchanged. */
  lookAlike: string
}

/** Every writing the redaction promises to find, each with a look-alike that must survive. */
const FORMS: Form[] = [
  { form: 'mobile, plain', kind: 'mobile', positive: '我的电话13812345678，请回电', secret: '13812345678', lookAlike: '订单号 23812345678 已付款' },
  { form: 'mobile, spaced in groups', kind: 'mobile', positive: '手机 138 1234 5678', secret: '138 1234 5678', lookAlike: '2026 11 26 14:30 停水' },
  { form: 'mobile, dashes', kind: 'mobile', positive: '打 138-1234-5678 找我', secret: '138-1234-5678', lookAlike: '2026-11-26 起施工' },
  { form: 'mobile, a space between every digit', kind: 'mobile', positive: '1 3 8 1 2 3 4 5 6 7 8 是我的号', secret: '1 3 8 1 2 3 4 5 6 7 8', lookAlike: '1 2 3 4 5 号楼都停电了' },
  { form: 'mobile, +86', kind: 'mobile', positive: '请联系 +86 139-1234-5678', secret: '139-1234-5678', lookAlike: '全楼共 86 户，13 户漏水' },
  { form: 'mobile, 0086', kind: 'mobile', positive: '海外家属 0086 13912345678', secret: '13912345678', lookAlike: '楼高 86 米' },
  { form: 'mobile, full-width digits', kind: 'mobile', positive: '电话１３８１２３４５６７８', secret: '１３８１２３４５６７８', lookAlike: '１２月３日起停水' },
  { form: 'mobile, Chinese numerals', kind: 'mobile', positive: '电话一三八一二三四五六七八', secret: '一三八一二三四五六七八', lookAlike: '二〇二六年十一月二十六日，三十八号楼' },
  { form: 'mobile, 幺 for one', kind: 'mobile', positive: '号码幺三八 幺二三四 五六七八', secret: '幺三八 幺二三四 五六七八', lookAlike: '一二三楼都漏水，幺儿放学没人接' },
  { form: 'landline with area code', kind: 'phone', positive: '座机 0512-66668888', secret: '66668888', lookAlike: '2026-11-26 12:30 开始' },
  { form: 'landline, area code in brackets', kind: 'phone', positive: '座机 (010)62345678', secret: '62345678', lookAlike: '(2026) 第 12 号文件' },
  { form: 'landline, local number after a label', kind: 'phone', positive: '物业电话 6234 5678', secret: '6234 5678', lookAlike: '小区共 62345678 元维修基金' },
  { form: 'service number 400', kind: 'phone', positive: '拨打 400-123-4567 没人接', secret: '400-123-4567', lookAlike: '罚款 400 元，扣 12 分' },
  { form: 'international number', kind: 'phone', positive: 'my number is +44 20 7946 0958', secret: '7946 0958', lookAlike: 'temperature +44 degrees, 20 days' },
  { form: 'ID number, 18 digits with check digit', kind: 'id_card', positive: '身份证320502198808151233', secret: '320502198808151233', lookAlike: '快递单号 320502198808151236 未送达' },
  { form: 'ID number ending in X', kind: 'id_card', positive: '证件 11010519491231002X', secret: '11010519491231002X', lookAlike: '型号 11010519491231002-X 的电梯' },
  { form: 'ID number, old 15 digits', kind: 'id_card', positive: '老身份证 320502880815123', secret: '320502880815123', lookAlike: '流水号 990502880815123' },
  { form: 'passport', kind: 'passport', positive: '护照号 E12345678 的签证', secret: 'E12345678', lookAlike: '坐 G1234 次列车，住 A1201 室' },
  { form: 'passport, labelled, other form', kind: 'passport', positive: 'passport no. X1234567Z', secret: 'X1234567Z', lookAlike: 'passport office on 5th Street' },
  { form: 'bank card (Luhn)', kind: 'bank_card', positive: '卡 6222021234567890128 被冻结', secret: '6222021234567890128', lookAlike: '订单 6222021234567890123 未发货' },
  { form: 'bank card, spaced', kind: 'bank_card', positive: '工资卡 6222 0212 3456 7890 128', secret: '6222 0212 3456 7890 128', lookAlike: '6222 0212 3456 7890 123 号快递' },
  { form: 'account number after a label', kind: 'bank_card', positive: '银行卡号：621700123456789', secret: '621700123456789', lookAlike: '补贴 621700 元' },
  { form: 'licence plate', kind: 'plate', positive: '车牌苏E·12345 堵了消防通道', secret: 'E·12345', lookAlike: '苏州工业园区，京沪高速' },
  { form: 'licence plate, new energy', kind: 'plate', positive: '浙AD12345 长期占道', secret: 'AD12345', lookAlike: '浙A区停车场' },
  { form: 'e-mail', kind: 'email', positive: '邮箱 zhang.li+home@example.com.cn', secret: 'zhang.li+home@example.com.cn', lookAlike: '@王阿姨 说 a@b 不是邮箱' },
  { form: 'name after a label', kind: 'name', positive: '联系人：李小明，谢谢', secret: '李小明', lookAlike: '小区名：阳光花园' },
  { form: 'name, "my name is"', kind: 'name', positive: 'my name is Li Hua, thanks', secret: 'Li Hua', lookAlike: 'the name of the street is Main' },
]

/** Texts full of numbers that are no one's personal data. */
const MUST_SURVIVE = [
  '工单 HY-20261126-0001 还没人处理',
  '2026-11-26 14:30，2026年11月26日，26/11/2026',
  '幸福路88号阳光小区3栋2单元1201室',
  '物业费 1,380.50 元，押金 ￥13800，罚款 400 元',
  '拨打 12345 热线，110 报警，120 急救',
  '限重 15 吨，限速 40 公里，第 3 次反映',
  '订单编号 ORD-20261126123456789',
  '公司把所有联系人通讯录都删了',
]

describe('findPersonalData: each form and a look-alike', () => {
  it.each(FORMS)('$form', ({ kind, positive, secret, lookAlike }) => {
    const redacted = redactPersonalData(positive)
    expect(redacted).not.toContain(secret)
    expect(findPersonalData(positive).map(m => m.kind)).toContain(kind)
    expect(redactPersonalData(lookAlike)).toBe(lookAlike)
  })

  it.each(MUST_SURVIVE)('leaves %s alone', (text) => {
    expect(redactPersonalData(text)).toBe(text)
    expect(containsPersonalData(text)).toBe(false)
  })

  it('covers every kind it promises, with no false positive on any look-alike', () => {
    const kinds = new Set(FORMS.map(f => f.kind))
    expect([...kinds].sort()).toEqual(['bank_card', 'email', 'id_card', 'mobile', 'name', 'passport', 'phone', 'plate'])
    const missed = FORMS.filter(f => redactPersonalData(f.positive).includes(f.secret))
    const falsePositives = [...FORMS.map(f => f.lookAlike), ...MUST_SURVIVE].filter(t => redactPersonalData(t) !== t)
    expect({ forms: FORMS.length, missed: missed.length, lookAlikes: FORMS.length + MUST_SURVIVE.length, falsePositives: falsePositives.length })
      .toEqual({ forms: 27, missed: 0, lookAlikes: 35, falsePositives: 0 })
  })
})

describe('redactPersonalData', () => {
  it.each([
    ['电话13812345678', '电话[手机号]'],
    ['+86 138 1234 5678 找我', '[手机号] 找我'],
    ['ID 110105194912310021.', 'ID [身份证号].'],
    ['old id 110105491231002', 'old id [身份证号]'],
    ['call 021-12345678 ext', 'call [电话] ext'],
    ['座机 (010)62345678', '座机 [电话]'],
    ['mail a.b+c@mail.example.cn now', 'mail [邮箱] now'],
    ['两个号码 13812345678 13912345678', '两个号码 [手机号] [手机号]'],
    ['座机 0512-66668888 2014年', '座机 [电话] 2014年'],
  ])('%s → %s', (input, expected) => {
    expect(redactPersonalData(input)).toBe(expected)
  })
})

describe('removePersonalData', () => {
  it('drops the number with the label that introduced it', () => {
    expect(removePersonalData('路灯坏了，联系电话：13812345678，谢谢')).toBe('路灯坏了，谢谢')
    expect(removePersonalData('我的手机13812345678，身份证号11010119900307123X，小区电梯坏了')).not.toMatch(/\d{6,}|手机|身份证/)
    for (const number of ['+86 138-1234-5678', '0731-88886666', '6222021234567890128', '１３８１２３４５６７８'])
      expect(removePersonalData(`联系电话：${number}，谢谢`)).not.toMatch(/\d{4}|[０-９]{4}/)
  })
})

describe('checks', () => {
  it('tests the ID check character and the Luhn digit', () => {
    expect(isValidIdNumber('320502198808151233')).toBe(true)
    expect(isValidIdNumber('320502198808151234')).toBe(false)
    expect(isValidIdNumber('320502198802301233', { ignoreCheck: true })).toBe(false)
    expect(passesLuhn('6222021234567890128')).toBe(true)
    expect(passesLuhn('6222021234567890123')).toBe(false)
  })

  it('redacts strings inside log records and keeps numbers', () => {
    expect(redactDeep({ a: { b: ['电话13812345678'] }, user_id: 13812345678 })).toEqual({ a: { b: ['电话[手机号]'] }, user_id: 13812345678 })
  })
})
