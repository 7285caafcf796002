import type { DatabaseProvider } from '#root/store/database.js'

/**
 * The n-th (1-based) parameter of a raw SQL statement: `$n` on PostgreSQL, `?n` on SQLite. Numbered on both, so a
 * statement may use one value twice (a period in two subqueries) and pass it once.
 */
export function sqlPlaceholder(provider: DatabaseProvider, n: number): string {
  return provider === 'postgresql' ? `$${n}` : `?${n}`
}
