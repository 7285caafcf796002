import { messagesToSend } from '#root/domain/outbox.js'
import { describe, expect, it } from 'vitest'

describe('what an outbox message costs its chat', () => {
  it('counts a first card\'s album photos, and nothing for an edit in place', () => {
    expect(messagesToSend({ kind: 'card', ticketId: 1, photos: 3 })).toBe(4)
    expect(messagesToSend({ kind: 'card', ticketId: 1, photos: 3, albumMessageId: 9 })).toBe(1)
    expect(messagesToSend({ kind: 'message', text: '已登记', editMessageId: 5 })).toBe(0)
    expect(messagesToSend({ kind: 'message', text: '已受理' })).toBe(1)
  })
})
