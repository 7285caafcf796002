import type { Database } from '#root/store/database.js'

export interface LeaderCover {
  areaId: string
  leaderId: number
  leaderName: string
  since: string
}

export interface LeaderCoverStore {
  /** Records that a leader covers (包案) an area; recording the same leader again keeps the first day. */
  record: (cover: LeaderCover) => Promise<void>
  /** The leaders covering each of the given areas. */
  list: (areaIds: readonly string[]) => Promise<LeaderCover[]>
}

export function createLeaderCoverStore(db: Database): LeaderCoverStore {
  const { prisma } = db
  return {
    async record(cover) {
      const leaderId = BigInt(cover.leaderId)
      await prisma.leaderCover.upsert({
        where: { areaId_leaderId: { areaId: cover.areaId, leaderId } },
        create: { ...cover, leaderId },
        update: { leaderName: cover.leaderName },
      })
    },
    async list(areaIds) {
      const rows = await prisma.leaderCover.findMany({ where: { areaId: { in: [...areaIds] } }, orderBy: [{ areaId: 'asc' }, { since: 'asc' }] })
      return rows.map(r => ({ areaId: r.areaId, leaderId: Number(r.leaderId), leaderName: r.leaderName, since: r.since }))
    },
  }
}
