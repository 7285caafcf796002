import type { ChatBinding, ChatKind } from '#root/domain/chat-binding.js'
import type { ChatBinding as ChatBindingRow } from '#root/generated/prisma-sqlite/client.js'
import type { Database } from '#root/store/database.js'
import { CHAT_KINDS } from '#root/domain/chat-binding.js'

export interface ChatStore {
  bind: (binding: ChatBinding) => Promise<ChatBinding>
  unbind: (chatId: number) => Promise<boolean>
  find: (chatId: number) => Promise<ChatBinding | null>
  list: (kind?: ChatKind) => Promise<ChatBinding[]>
  /** The handlers' groups of a department; several may exist (one per shift or street office). */
  findHandlersOf: (departmentId: string) => Promise<ChatBinding[]>
}

export function createChatStore(db: Database): ChatStore {
  const { prisma } = db
  return {
    async bind(binding) {
      const data = {
        kind: binding.kind,
        title: binding.title,
        areaName: binding.areaName,
        departmentId: binding.departmentId,
        boundBy: BigInt(binding.boundBy),
      }
      const row = await prisma.chatBinding.upsert({
        where: { chatId: BigInt(binding.chatId) },
        create: { chatId: BigInt(binding.chatId), ...data },
        update: data,
      })
      return toChatBinding(row)
    },
    async unbind(chatId) {
      const deleted = await prisma.chatBinding.deleteMany({ where: { chatId: BigInt(chatId) } })
      return deleted.count > 0
    },
    async find(chatId) {
      const row = await prisma.chatBinding.findUnique({ where: { chatId: BigInt(chatId) } })
      return row ? toChatBinding(row) : null
    },
    async list(kind) {
      const rows = await prisma.chatBinding.findMany({ where: kind ? { kind } : {}, orderBy: { createdAt: 'asc' } })
      return rows.map(toChatBinding)
    },
    async findHandlersOf(departmentId) {
      const rows = await prisma.chatBinding.findMany({ where: { kind: 'handlers', departmentId }, orderBy: { createdAt: 'asc' } })
      return rows.map(toChatBinding)
    },
  }
}

function toChatBinding(row: ChatBindingRow): ChatBinding {
  if (!(CHAT_KINDS as readonly string[]).includes(row.kind))
    throw new Error(`unknown chat kind in the store: ${row.kind}`)
  return {
    chatId: Number(row.chatId),
    kind: row.kind as ChatKind,
    title: row.title,
    areaName: row.areaName,
    departmentId: row.departmentId,
    boundBy: Number(row.boundBy),
  }
}
