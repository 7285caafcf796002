import type { Database } from '#root/store/database.js'
import { openDatabase } from '#root/store/database.js'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { testLogger } from '../helpers/database.js'
import { useThrowawayPostgres } from '../helpers/throwaway-postgres.js'

const throwaway = useThrowawayPostgres('the PostgreSQL restart test')
let db: Database | undefined

afterEach(async () => {
  await db?.close()
})

describe('postgreSQL restarted under the bot', () => {
  it('answers again by itself once the server is back: queries and transactions', async (ctx) => {
    const server = throwaway()
    if (!server)
      return ctx.skip()
    db = await openDatabase(server.url, { logger: testLogger })
    const { prisma } = db
    await prisma.ticketCounter.create({ data: { day: 'p', last: 0 } })
    // Several pooled connections, all of which the stop will break.
    await Promise.all(Array.from({ length: 4 }, () => prisma.$transaction(tx => tx.ticketCounter.update({ where: { day: 'p' }, data: { last: { increment: 1 } } }))))

    await server.stop()
    await expect(prisma.ticketCounter.findUnique({ where: { day: 'p' } })).rejects.toThrow()
    await server.start()

    await vi.waitFor(() => prisma.ticketCounter.findUnique({ where: { day: 'p' } }), { timeout: 20_000, interval: 200 })
    await Promise.all(Array.from({ length: 4 }, () => prisma.$transaction(tx => tx.ticketCounter.update({ where: { day: 'p' }, data: { last: { increment: 1 } } }))))
    expect((await prisma.ticketCounter.findUnique({ where: { day: 'p' } }))?.last).toBe(8)
  }, 60_000)
})
