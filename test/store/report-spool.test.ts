import type { SpooledReport } from '#root/store/report-spool.js'
import { appendFile, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createFileReportSpool } from '#root/store/report-spool.js'
import { describe, expect, it } from 'vitest'

function entry(intakeKey: string): SpooledReport {
  return {
    intakeKey,
    report: { description: `report ${intakeKey}` } as SpooledReport['report'],
    classification: null,
    spooledAt: '2026-11-26T00:00:00.000Z',
  }
}

describe('file report spool', () => {
  it('is empty before anything was spooled, even without its folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'huiyin-spool-'))
    expect(await createFileReportSpool(join(dir, 'missing', 'spool.jsonl')).list()).toEqual([])
  })

  it('keeps entries across instances (a restart) and removes only the ones named', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'huiyin-spool-')), 'nested', 'spool.jsonl')
    const first = createFileReportSpool(path)
    await Promise.all([first.append(entry('a')), first.append(entry('b')), first.append(entry('c'))])
    const second = createFileReportSpool(path)
    expect((await second.list()).map(e => e.intakeKey).sort()).toEqual(['a', 'b', 'c'])
    await second.remove(['b'])
    expect((await createFileReportSpool(path).list()).map(e => e.intakeKey).sort()).toEqual(['a', 'c'])
  })

  it('skips a line cut short by a crash and keeps the rest', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'huiyin-spool-')), 'spool.jsonl')
    const spool = createFileReportSpool(path)
    await spool.append(entry('a'))
    await appendFile(path, '{"intakeKey":"b","rep')
    await spool.append(entry('c'))
    expect((await spool.list()).map(e => e.intakeKey)).toEqual(['a', 'c'])
  })
})
