import type { Catalog } from '#root/domain/catalog.js'
import type { SpoolDrainer } from '#root/usecases/drain-report-spool.js'
import type { ScratchDatabase } from '../helpers/database.js'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCatalogStore } from '#root/store/catalog-store.js'
import { createFileReportSpool } from '#root/store/report-spool.js'
import { createTicketStore } from '#root/store/ticket-store.js'
import { createSpoolDrainer, drainReportSpool } from '#root/usecases/drain-report-spool.js'
import { createSubmitReport } from '#root/usecases/submit-report.js'
import { pino } from 'pino'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createScratchDatabase, holdSqliteWriteLock } from '../helpers/database.js'
import { sampleReport } from '../helpers/fixtures.js'

const logger = pino({ level: 'silent' })
const HOUR = 3_600_000

const catalog: Catalog = {
  departments: [{ id: 'city', nameZh: '城管局', nameEn: 'City Management' }],
  categories: [{ id: 'streetlights', nameZh: '路灯', nameEn: 'Street lights', departmentId: 'city', keywords: ['路灯'] }],
}

let drainer: SpoolDrainer | undefined
let scratch: ScratchDatabase | undefined
afterEach(async () => {
  await drainer?.stop()
  drainer = undefined
  await scratch?.drop()
  scratch = undefined
})

describe('spool drainer', () => {
  it('tries again within its retry interval while reports remain, then goes idle', async () => {
    const remaining = [2, 1, 0]
    const drain = vi.fn(async () => ({ remaining: remaining.shift() ?? 0 }))
    drainer = createSpoolDrainer(drain, logger, { idleMs: HOUR, retryMs: 5, maxRetryMs: 20 })
    await drainer.start()
    await vi.waitFor(() => expect(drain).toHaveBeenCalledTimes(3))
    expect(remaining).toEqual([])
  })

  it('drains soon after a report is spooled, not at the next idle round', async () => {
    const drain = vi.fn(async () => ({ remaining: 0 }))
    drainer = createSpoolDrainer(drain, logger, { idleMs: HOUR, retryMs: 5 })
    await drainer.start()
    expect(drain).toHaveBeenCalledTimes(1)
    drainer.wake()
    await vi.waitFor(() => expect(drain).toHaveBeenCalledTimes(2))
  })

  it('keeps trying after a failed round', async () => {
    let calls = 0
    drainer = createSpoolDrainer(async () => {
      if (++calls === 1)
        throw new Error('spool file unreadable')
      return { remaining: 0 }
    }, logger, { idleMs: HOUR, retryMs: 5 })
    await drainer.start()
    await vi.waitFor(() => expect(calls).toBe(2))
  })

  it('turns a report spooled while SQLite was locked into a ticket once the lock is gone, without a restart', async () => {
    scratch = await createScratchDatabase('sqlite')
    const db = await scratch.open({ sqliteBusyTimeoutMs: 50 })
    await createCatalogStore(db).sync(catalog)
    const tickets = createTicketStore(db, { timezone: 'Asia/Shanghai' })
    const spool = createFileReportSpool(join(await mkdtemp(join(tmpdir(), 'huiyin-spool-')), 'spool.jsonl'))
    const texts = { translate: (_locale: string, key: string) => key, catalog: () => catalog }
    const intake = { tickets, spool, catalog: () => catalog, minConfidence: 0.5, logger, onSpooled: () => drainer?.wake() }
    drainer = createSpoolDrainer(() => drainReportSpool({ ...intake, texts }), logger, { idleMs: HOUR })
    await drainer.start()
    const submit = createSubmitReport(intake)

    const lock = await holdSqliteWriteLock(scratch.url)
    const outcome = await submit({ intakeKey: 'while-locked', report: sampleReport(), classification: null })
    expect(outcome).toEqual({ kind: 'queued' })
    await lock.release()

    await vi.waitFor(async () => expect(await db.prisma.ticket.findUnique({ where: { intakeKey: 'while-locked' } })).toBeTruthy(), { timeout: 15_000, interval: 100 })
    expect(await spool.list()).toEqual([])
  }, 30_000)
})
