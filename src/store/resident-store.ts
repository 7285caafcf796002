import type { Database } from '#root/store/database.js'

export interface Resident {
  telegramId: number
  name: string
  languageCode: string | null
  /** Set once the person has opened a private chat with the bot: only then can it write to them privately. */
  privateChatSince: Date | null
}

export interface ResidentStore {
  /** Records a person the bot met; `privateChat` marks that they opened a private chat. */
  remember: (person: { telegramId: number, name: string, languageCode: string | null, privateChat: boolean }) => Promise<Resident>
  find: (telegramId: number) => Promise<Resident | null>
}

export function createResidentStore(db: Database): ResidentStore {
  const { prisma } = db
  return {
    async remember({ telegramId, name, languageCode, privateChat }) {
      const since = privateChat ? new Date() : undefined
      const row = await prisma.resident.upsert({
        where: { telegramId: BigInt(telegramId) },
        create: { telegramId: BigInt(telegramId), name, languageCode, privateChatSince: since ?? null },
        update: { name, languageCode, ...(since ? { privateChatSince: since } : {}) },
      })
      return toResident(row)
    },
    async find(telegramId) {
      const row = await prisma.resident.findUnique({ where: { telegramId: BigInt(telegramId) } })
      return row ? toResident(row) : null
    },
  }
}

function toResident(row: { telegramId: bigint, name: string, languageCode: string | null, privateChatSince: Date | null }): Resident {
  return { telegramId: Number(row.telegramId), name: row.name, languageCode: row.languageCode, privateChatSince: row.privateChatSince }
}
