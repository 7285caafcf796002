/**
 * One person in one chat: the key a conversation is stored under, and the key the dispatcher handles updates in
 * order by, so that a resident's answers reach their report one after the other while everyone else goes on.
 */
export function chatUserKey(chatId: number, userId: number): string {
  return `${chatId}:${userId}`
}
