import type { Api } from 'grammy'
import type { Update, UserFromGetMe } from 'grammy/types'
import { isTransientError } from '#root/runtime/transient-error.js'
import { PrismaClientInitializationError, PrismaClientKnownRequestError } from '@prisma/client/runtime/client'
import { BotError, Context, GrammyError, HttpError } from 'grammy'
import { describe, expect, it } from 'vitest'

function grammyError(code: number, description = 'x'): GrammyError {
  return new GrammyError(`Call to 'sendMessage' failed! (${code}: ${description})`, { ok: false, error_code: code, description }, 'sendMessage', {})
}

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code })
}

function prismaKnown(code: string, cause?: unknown): PrismaClientKnownRequestError {
  return new PrismaClientKnownRequestError('failed', { code, clientVersion: '7.10.0', ...(cause === undefined ? {} : { meta: { driverAdapterError: cause } }) })
}

const context = new Context({ update_id: 1 } as Update, {} as Api, {} as UserFromGetMe)

const cases: Array<[string, unknown, boolean]> = [
  ['Telegram 429', grammyError(429, 'Too Many Requests: retry after 5'), true],
  ['Telegram 500', grammyError(500, 'Internal Server Error'), true],
  ['Telegram 502', grammyError(502, 'Bad Gateway'), true],
  ['Telegram 400', grammyError(400, 'Bad Request: message text is empty'), false],
  ['Telegram 403 (blocked)', grammyError(403, 'Forbidden: bot was blocked by the user'), false],
  ['Telegram 400 query too old', grammyError(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid'), false],
  ['network failure (HttpError)', new HttpError('Network request for \'sendMessage\' failed!', withCode('connect ECONNREFUSED', 'ECONNREFUSED')), true],
  ['BotError around a 429', new BotError(grammyError(429), context), true],
  ['BotError around a bug', new BotError(new TypeError('x is undefined'), context), false],
  ['AbortSignal.timeout', new DOMException('The operation was aborted due to timeout', 'TimeoutError'), true],
  ['pg ECONNREFUSED', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), true],
  ['pg ECONNRESET', withCode('read ECONNRESET', 'ECONNRESET'), true],
  ['pg admin shutdown 57P01', withCode('terminating connection due to administrator command', '57P01'), true],
  ['pg connection dropped', new Error('Connection terminated unexpectedly'), true],
  ['pg unique violation 23505', withCode('duplicate key value violates unique constraint', '23505'), false],
  ['Prisma P1001 unreachable', prismaKnown('P1001'), true],
  ['Prisma P1002 timed out', prismaKnown('P1002'), true],
  ['Prisma P1008 timed out', prismaKnown('P1008'), true],
  ['Prisma P1017 connection closed', prismaKnown('P1017'), true],
  ['Prisma P2024 pool timeout', prismaKnown('P2024'), true],
  ['Prisma P2034 write conflict', prismaKnown('P2034'), true],
  ['Prisma P2002 unique constraint', prismaKnown('P2002'), false],
  ['Prisma P2025 not found', prismaKnown('P2025'), false],
  ['Prisma initialization P1001', new PrismaClientInitializationError('Can\'t reach database server', '7.10.0', 'P1001'), true],
  ['Prisma wrapping an adapter error', prismaKnown('P2010', { kind: 'DatabaseNotReachable' }), true],
  ['libSQL SQLITE_BUSY', withCode('SQLITE_BUSY: database is locked', 'SQLITE_BUSY'), true],
  ['"database is locked" without a code', new Error('database is locked'), true],
  ['libSQL interactive transaction timeout', new Error('Transaction API error: Operation has timed out'), true],
  ['SQLITE_CONSTRAINT', withCode('UNIQUE constraint failed', 'SQLITE_CONSTRAINT'), false],
  ['a plain bug', new TypeError('Cannot read properties of undefined'), false],
  ['a zod-like validation error', new Error('Invalid input: expected string'), false],
  ['a string', 'boom', false],
  ['null', null, false],
  ['undefined', undefined, false],
]

describe('isTransientError', () => {
  it.each(cases)('%s → %s', (_name, error, expected) => {
    expect(isTransientError(error)).toBe(expected)
  })

  it('follows causes and survives cycles', () => {
    const outer = new Error('storing failed', { cause: withCode('read ECONNRESET', 'ECONNRESET') })
    expect(isTransientError(outer)).toBe(true)
    const cyclic = new Error('a') as Error & { cause?: unknown }
    cyclic.cause = cyclic
    expect(isTransientError(cyclic)).toBe(false)
  })
})
