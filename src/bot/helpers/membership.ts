import type { Api } from 'grammy'

const MEMBER_STATUSES = new Set(['creator', 'administrator', 'member', 'restricted'])

/**
 * Whether a person is in a group, asked of Telegram and remembered briefly: people join and leave handlers' groups,
 * so membership is the authority, but one button press should not cost a request each time.
 */
export function createMembershipCache(ttlMs = 60_000, now: () => number = Date.now) {
  const cache = new Map<string, { member: boolean, until: number }>()
  return async (api: Api, chatId: number, userId: number): Promise<boolean> => {
    const key = `${chatId}:${userId}`
    const hit = cache.get(key)
    if (hit && hit.until > now())
      return hit.member
    let member = false
    try {
      const result = await api.getChatMember(chatId, userId)
      member = MEMBER_STATUSES.has(result.status) && (result.status !== 'restricted' || result.is_member)
    }
    catch {
      member = false
    }
    cache.set(key, { member, until: now() + ttlMs })
    return member
  }
}
