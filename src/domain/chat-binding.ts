/**
 * What a group chat is for: residents report there, a department's handlers work there, admins triage there, or an
 * area's cadres file their visit notes there.
 */
export const CHAT_KINDS = ['residents', 'handlers', 'admins', 'cadres'] as const
export type ChatKind = (typeof CHAT_KINDS)[number]

export interface ChatBinding {
  chatId: number
  kind: ChatKind
  title: string
  /** The community or district a residents' group belongs to (社区/街道/区); for cadres, the name of their area. */
  areaName: string | null
  /** The department whose tickets a handlers' group receives. */
  departmentId: string | null
  boundBy: number
}
