import { parseExtensionRequest } from '#root/usecases/extension.js'
import { describe, expect, it } from 'vitest'

describe('parseExtensionRequest', () => {
  it.each([
    ['5 需要等待配件到货', { days: 5, reason: '需要等待配件到货' }],
    ['5个工作日，等配件', { days: 5, reason: '等配件' }],
    [' 3天：施工队排期 ', { days: 3, reason: '施工队排期' }],
    ['10 days waiting for parts', { days: 10, reason: 'waiting for parts' }],
  ])('reads %j', (text, request) => {
    expect(parseExtensionRequest(text)).toEqual(request)
  })

  it.each(['等配件', '5', '0 不需要', '31 太久了'])('refuses %j (no days, no reason, or days out of 1 to 30)', (text) => {
    expect(parseExtensionRequest(text)).toBeNull()
  })
})
