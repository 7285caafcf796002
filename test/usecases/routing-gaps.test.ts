import type { Catalog } from '#root/domain/catalog.js'
import type { ChatBinding } from '#root/domain/chat-binding.js'
import { findRoutingGaps, logRoutingGaps } from '#root/usecases/routing-gaps.js'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'

const catalog: Catalog = {
  departments: [
    { id: 'city', nameZh: '城管局', nameEn: 'City Management' },
    { id: 'transport', nameZh: '交通运输局', nameEn: 'Transport' },
  ],
  categories: [],
}

function chatsWith(bindings: Partial<ChatBinding>[]) {
  return { list: async (kind?: string) => bindings.filter(b => b.kind === kind) as ChatBinding[] }
}

describe('routing gaps', () => {
  it('names the departments without a handlers\' group and a missing admins\' group', async () => {
    const gaps = await findRoutingGaps({ chats: chatsWith([{ kind: 'handlers', departmentId: 'city' }]), catalog: () => catalog })
    expect(gaps.departmentsWithoutGroup.map(d => d.id)).toEqual(['transport'])
    expect(gaps.noAdminsGroup).toBe(true)
  })

  it('says so in one start-up log line', async () => {
    const lines: Record<string, unknown>[] = []
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) })
    await logRoutingGaps({ chats: chatsWith([{ kind: 'admins' }]), catalog: () => catalog, logger })
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ level: 40, departmentsWithoutGroup: ['city', 'transport'], noAdminsGroup: false })
  })
})
