import type { ScratchDatabase } from '../helpers/database.js'
import { existsSync, readdirSync, readlinkSync } from 'node:fs'
import { isTransientDatabaseError, sqliteFilePath } from '#root/store/database.js'
import { afterEach, describe, expect, it } from 'vitest'
import { createScratchDatabase, holdSqliteWriteLock } from '../helpers/database.js'

let scratch: ScratchDatabase | undefined

afterEach(async () => {
  await scratch?.drop()
  scratch = undefined
})

/** The process's open file handles on the database file and its WAL and shared-memory files. */
function handlesOn(path: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith(path)
    }
    catch {
      return false
    }
  }).length
}

describe('sQLite connection', () => {
  if (existsSync('/proc/self/fd')) {
    it('keeps one connection however many transactions run (no handle leak)', async () => {
      scratch = await createScratchDatabase('sqlite')
      const db = await scratch.open()
      const path = sqliteFilePath(scratch.url)
      await db.prisma.$transaction(tx => tx.ticketCounter.create({ data: { day: 'warm', last: 0 } }))
      const before = handlesOn(path)
      for (let i = 0; i < 300; i++) {
        await db.prisma.$transaction(async (tx) => {
          await tx.ticketCounter.update({ where: { day: 'warm' }, data: { last: { increment: 1 } } })
        })
      }
      expect(handlesOn(path)).toBeLessThanOrEqual(before)
      expect((await db.prisma.ticketCounter.findUnique({ where: { day: 'warm' } }))?.last).toBe(300)
    })
  }

  it('rolls a failed transaction back and stays usable', async () => {
    scratch = await createScratchDatabase('sqlite')
    const db = await scratch.open()
    await expect(db.prisma.$transaction(async (tx) => {
      await tx.ticketCounter.create({ data: { day: 'a', last: 1 } })
      throw new Error('changed my mind')
    })).rejects.toThrow('changed my mind')
    expect(await db.prisma.ticketCounter.findUnique({ where: { day: 'a' } })).toBeNull()
    await db.prisma.$transaction(tx => tx.ticketCounter.create({ data: { day: 'b', last: 1 } }))
    expect(await db.prisma.ticketCounter.count()).toBe(1)
  })

  it('works again as soon as another connection lets go of a lock it held', async () => {
    scratch = await createScratchDatabase('sqlite')
    const db = await scratch.open({ sqliteBusyTimeoutMs: 100 })
    await db.prisma.ticketCounter.create({ data: { day: 'd', last: 0 } })
    const bump = () => db.prisma.$transaction(tx => tx.ticketCounter.update({ where: { day: 'd' }, data: { last: { increment: 1 } } }))

    const lock = await holdSqliteWriteLock(scratch.url)
    await expect(bump()).rejects.toThrow()
    await expect(db.prisma.ticketCounter.update({ where: { day: 'd' }, data: { last: { increment: 1 } } })).rejects.toThrow()
    await lock.release()

    // No retry loop: the first transaction after the lock is gone must commit, and so must every later one.
    for (let i = 0; i < 3; i++)
      await bump()
    await db.prisma.ticketCounter.update({ where: { day: 'd' }, data: { last: { increment: 1 } } })
    // Committed for everyone, not only inside a transaction this connection never ended.
    const other = await scratch.open({ migrate: false })
    expect((await other.prisma.ticketCounter.findUnique({ where: { day: 'd' } }))?.last).toBe(4)
  })
})

describe('isTransientDatabaseError', () => {
  it('tells passing failures from lasting ones', () => {
    expect(isTransientDatabaseError(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }))).toBe(true)
    expect(isTransientDatabaseError(Object.assign(new Error('could not serialize access'), { code: '40001' }))).toBe(true)
    expect(isTransientDatabaseError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true)
    expect(isTransientDatabaseError(Object.assign(new Error('duplicate key value'), { code: '23505' }))).toBe(false)
    expect(isTransientDatabaseError(new Error('something else'))).toBe(false)
  })
})
