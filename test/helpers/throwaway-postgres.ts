import { execFile } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll } from 'vitest'

const run = promisify(execFile)

/**
 * A PostgreSQL server of its own, in a temporary folder on a free port, that a test may stop and start at will.
 * Never the machine's shared server: stopping that would break every other test.
 */
export interface ThrowawayPostgres {
  /** Its `postgres` database, trust auth over 127.0.0.1. */
  url: string
  /** Stops the server at once (`pg_ctl stop -m immediate`: connections drop as in a crash). */
  stop: () => Promise<void>
  start: () => Promise<void>
  /** Stops it and deletes its folder. */
  destroy: () => Promise<void>
}

/** Where PostgreSQL's server programs live: on PATH, or Debian's versioned folder. */
function findServerBinaries(): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')))
      return dir
  }
  const debian = '/usr/lib/postgresql'
  if (existsSync(debian)) {
    for (const version of readdirSync(debian).sort().reverse()) {
      const dir = join(debian, version, 'bin')
      if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')))
        return dir
    }
  }
  return null
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/**
 * Creates and starts a throwaway server, or says why it cannot (no initdb/pg_ctl here, or root with no `postgres`
 * user to run them as: initdb refuses to run as root).
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres | { skip: string }> {
  const bin = findServerBinaries()
  if (!bin)
    return { skip: 'initdb and pg_ctl were not found (install PostgreSQL\'s server package to run this test)' }
  const dir = mkdtempSync(join(tmpdir(), 'huiyin-pg-'))
  let asUser: string[] = []
  if (process.getuid?.() === 0) {
    const uid = await run('id', ['-u', 'postgres']).then(r => Number(r.stdout.trim()), () => null)
    if (uid === null) {
      rmSync(dir, { recursive: true, force: true })
      return { skip: 'running as root and there is no "postgres" user to run initdb as' }
    }
    chownSync(dir, uid, -1)
    asUser = ['runuser', '-u', 'postgres', '--']
  }
  const exec = (program: string, args: string[]) => {
    const [command, ...rest] = [...asUser, join(bin, program), ...args]
    return run(command!, rest, { timeout: 60_000 })
  }
  const data = join(dir, 'data')
  await exec('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync'])
  const port = await freePort()
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`
  const start = async () => {
    await exec('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start'])
  }
  const stop = async () => {
    await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
  }
  await start()
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    destroy: async () => {
      await stop().catch(() => {})
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * Starts a throwaway server before the file's tests and destroys it after them. The getter returns undefined where
 * none can run here, after printing why: call `ctx.skip()` then, so the skip is visible.
 */
export function useThrowawayPostgres(what: string): () => ThrowawayPostgres | undefined {
  let server: ThrowawayPostgres | undefined
  beforeAll(async () => {
    const started = await startThrowawayPostgres()
    if ('skip' in started)
      console.warn(`\n⚠ ${what} SKIPPED: ${started.skip}\n`)
    else
      server = started
  }, 120_000)
  afterAll(async () => {
    await server?.destroy()
  }, 60_000)
  return () => server
}
