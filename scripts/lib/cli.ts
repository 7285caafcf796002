/** Command-line pieces the load scripts share. */

/** Bad arguments: the message (empty for --help) is printed with the usage line. */
export class UsageError extends Error {}

/** Reads numeric options of a parseArgs result: `--name` between min and max, or the fallback when absent. */
export function numberOptions(values: Record<string, unknown>) {
  return (name: string, fallback: number, min = 0, max = Infinity): number => {
    const raw = values[name]
    if (raw === undefined)
      return fallback
    const n = Number(raw)
    if (typeof raw !== 'string' || !Number.isFinite(n) || n < min || n > max)
      throw new UsageError(`--${name} must be a number ${max === Infinity ? `≥ ${min}` : `between ${min} and ${max}`}, not "${String(raw)}"`)
    return n
  }
}

/** --texts: 'auto' (real messages when at hand) or 'generated'. */
export function textsOption(value: string | undefined): 'auto' | 'generated' {
  const texts = value ?? 'auto'
  if (texts !== 'auto' && texts !== 'generated')
    throw new UsageError(`--texts must be auto or generated, not "${texts}"`)
  return texts
}

/** Runs a script's main: usage errors print the usage line (exit 1, or 0 for --help), others their stack. */
export async function runScript(name: string, usage: string, main: () => Promise<number>): Promise<never> {
  try {
    process.exit(await main())
  }
  catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message ? `${name}: ${error.message}\n` : ''}${usage}`)
      process.exit(error.message ? 1 : 0)
    }
    console.error(`${name}: ${(error as Error).stack ?? error}`)
    process.exit(1)
  }
}
