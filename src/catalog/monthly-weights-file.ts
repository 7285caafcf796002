import type { ScoreWeights } from '#root/domain/monthly-report.js'
import { readFile } from 'node:fs/promises'
import { weightsFileSchema } from '#root/domain/monthly-report.js'

/** Reads the monthly score weights; the error names the file and every problem in it. */
export async function loadScoreWeights(path: string): Promise<ScoreWeights> {
  let data: unknown
  try {
    data = JSON.parse((await readFile(path, 'utf8')).replace(/^\uFEFF/, ''))
  }
  catch (error) {
    throw new Error(`the monthly weights file ${path}: ${(error as Error).message}`)
  }
  const parsed = weightsFileSchema.safeParse(data)
  if (!parsed.success)
    throw new Error(`the monthly weights file ${path} is not valid:\n${parsed.error.issues.map(i => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`)
  return parsed.data.weights
}
