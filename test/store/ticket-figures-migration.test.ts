import type { Database } from '#root/store/database.js'
import type { ScratchDatabase } from '../helpers/database.js'
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { applyMigrations, migrationsDirectory } from '#root/store/migrate.js'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { createScratchDatabase, describeEachProvider, testLogger } from '../helpers/database.js'

const FIGURES_MIGRATION = '20261203072858_ticket_figures'

describeEachProvider('the ticket figures migration', (provider) => {
  let scratch: ScratchDatabase
  let db: Database
  let before: string

  beforeEach(async () => {
    scratch = await createScratchDatabase(provider)
    db = await scratch.open({ migrate: false })
    // The migrations as they stood before the figure columns.
    before = join(mkdtempSync(join(tmpdir(), 'huiyin-migrations-')), 'migrations')
    cpSync(migrationsDirectory(provider), before, { recursive: true })
    for (const name of readdirSync(before).filter(n => n >= FIGURES_MIGRATION))
      rmSync(join(before, name), { recursive: true, force: true })
  })
  afterEach(async () => {
    await scratch?.drop()
    rmSync(join(before, '..'), { recursive: true, force: true })
  })

  it('fills the figure columns of existing tickets from their events', async () => {
    await applyMigrations(db, { logger: testLogger, migrationsDir: before })
    const pg = provider === 'postgresql'
    const time = (iso: string) => (pg ? `'${iso.slice(0, 23).replace('T', ' ')}'` : `'${iso.slice(0, 23)}+00:00'`)
    const sql = (statement: string) => db.prisma.$executeRawUnsafe(statement)
    await sql(`INSERT INTO "Area" ("id", "name", "level", "parentId", "updatedAt") VALUES
      ('gusu', '姑苏区', 'district', NULL, ${time('2026-11-01T00:00:00.000Z')}),
      ('gs-pj', '平江街道', 'street', 'gusu', ${time('2026-11-01T00:00:00.000Z')}),
      ('gs-pj-lu', '平江路社区', 'community', 'gs-pj', ${time('2026-11-01T00:00:00.000Z')})`)
    const ticket = (id: number, status: string, areaName: string | null, resolveDueAt: string) => sql(`INSERT INTO "Ticket" ("id", "number", "intakeKey", "status", "reporterId", "reporterName",
      "reporterLanguage", "sourceChatId", "sourceChatType", "areaName", "description", "urgency", "requestType", "summary", "confidence", "classifier",
      "createdAt", "updatedAt", "resolveDueAt") VALUES (${id}, 'HY-${id}', 'k${id}', '${status}', 1, '王', 'zh', -1, 'supergroup', ${areaName ? `'${areaName}'` : 'NULL'},
      '路灯', 'normal', 'complaint', '路灯', 0.9, 'offline', ${time('2026-11-02T02:00:00.000Z')}, ${time('2026-11-02T02:00:00.000Z')}, ${time(resolveDueAt)})`)
    let eventId = 0
    const event = (ticketId: number, type: string, from: string | null, to: string | null, at: string, data: string | null = null) => sql(`INSERT INTO "TicketEvent"
      ("id", "ticketId", "type", "fromStatus", "toStatus", "actorId", "actorRole", "data", "createdAt")
      VALUES (${++eventId}, ${ticketId}, '${type}', ${from ? `'${from}'` : 'NULL'}, ${to ? `'${to}'` : 'NULL'}, 42, 'handler', ${data ? `'${data}'` : 'NULL'}, ${time(at)})`)

    // Routed automatically, extended, chased past its deadline, resolved, reworked, resolved again and rated.
    await ticket(1, 'closed', '平江路社区', '2026-11-12T02:00:00.000Z')
    await event(1, 'created', null, 'assigned', '2026-11-02T02:00:00.000Z')
    await event(1, 'status_changed', 'assigned', 'in_progress', '2026-11-02T05:00:00.000Z')
    await event(1, 'extension_approved', null, null, '2026-11-04T02:00:00.000Z', '{"requestId":3}')
    await event(1, 'chase', null, null, '2026-11-12T02:05:00.000Z', '{"step":"overdue","dueAt":"2026-11-12T02:00:00.000Z"}')
    await event(1, 'status_changed', 'in_progress', 'resolved', '2026-11-13T02:00:00.000Z')
    await event(1, 'status_changed', 'resolved', 'in_progress', '2026-11-14T02:00:00.000Z', '{"satisfaction":"not_satisfied"}')
    await event(1, 'status_changed', 'in_progress', 'resolved', '2026-11-15T02:00:00.000Z')
    await event(1, 'status_changed', 'resolved', 'closed', '2026-11-16T02:00:00.000Z', '{"satisfaction":"partly_satisfied"}')
    // Triaged by hand, accepted, resolved late with no chase step, closed with no response; an unknown area.
    await ticket(2, 'closed', '火星', '2026-11-05T02:00:00.000Z')
    await event(2, 'created', null, 'needs_triage', '2026-11-02T02:00:00.000Z')
    await event(2, 'reassigned', 'needs_triage', 'assigned', '2026-11-02T03:00:00.000Z')
    await event(2, 'status_changed', 'assigned', 'accepted', '2026-11-02T04:00:00.000Z')
    await event(2, 'status_changed', 'accepted', 'resolved', '2026-11-06T02:00:00.000Z')
    await event(2, 'status_changed', 'resolved', 'closed', '2026-11-09T02:00:00.000Z', '{"satisfaction":"no_response"}')

    await applyMigrations(db, { logger: testLogger })

    const rows = await db.prisma.ticket.findMany({ orderBy: { id: 'asc' } })
    const figures = rows.map(r => ({
      districtId: r.districtId,
      autoRouted: r.autoRouted,
      firstAcceptedAt: r.firstAcceptedAt?.toISOString(),
      firstResolvedAt: r.firstResolvedAt?.toISOString(),
      overdueAt: r.overdueAt?.toISOString(),
      reworkCount: r.reworkCount,
      extensionCount: r.extensionCount,
      satisfaction: r.satisfaction,
      ratedAt: r.ratedAt?.toISOString(),
      closedAt: r.closedAt?.toISOString(),
    }))
    expect(figures).toEqual([
      {
        districtId: 'gusu',
        autoRouted: true,
        firstAcceptedAt: '2026-11-02T05:00:00.000Z',
        firstResolvedAt: '2026-11-13T02:00:00.000Z',
        overdueAt: '2026-11-12T02:00:00.000Z',
        reworkCount: 1,
        extensionCount: 1,
        satisfaction: 'partly_satisfied',
        ratedAt: '2026-11-16T02:00:00.000Z',
        closedAt: '2026-11-16T02:00:00.000Z',
      },
      {
        districtId: null,
        autoRouted: false,
        firstAcceptedAt: '2026-11-02T04:00:00.000Z',
        firstResolvedAt: '2026-11-06T02:00:00.000Z',
        overdueAt: '2026-11-05T02:00:00.000Z',
        reworkCount: 0,
        extensionCount: 0,
        satisfaction: 'no_response',
        ratedAt: '2026-11-09T02:00:00.000Z',
        closedAt: '2026-11-09T02:00:00.000Z',
      },
    ])
  })
})
