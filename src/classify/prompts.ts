import { readFile } from 'node:fs/promises'

/**
 * The repository's `prompts/` folder. Resolved from this module rather than the working directory,
 * so the bot, the tests and the scripts find the same files wherever they are started from.
 */
export const PROMPTS_DIRECTORY: URL = new URL('../../prompts/', import.meta.url)

/** A prompt file as loaded: its version (recorded on every ticket it decides) and its body with `{{placeholders}}`. */
export interface PromptTemplate {
  /** File name without `.md`, e.g. `classify-report`. */
  name: string
  /** From the front matter, e.g. `classify-report@1`. */
  version: string
  /** Everything after the front matter. */
  body: string
  /** Placeholder names used in the body, each once, in order of first use. */
  placeholders: readonly string[]
}

/** A prompt file that cannot be used: missing, without a version, or rendered without a value it needs. */
export class PromptError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PromptError'
  }
}

const NAME_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
const FRONT_MATTER_PATTERN = /^---\n([\s\S]*?)\n---\n?/
const PLACEHOLDER_PATTERN = /\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/g

/**
 * Parses a prompt file's text. The front matter must carry `version: <name>@<revision>`: naming the file in
 * the version keeps a copied prompt from silently reusing another prompt's version on tickets.
 */
export function parsePrompt(name: string, source: string): PromptTemplate {
  const text = source.replace(/\r\n?/g, '\n').replace(/^\uFEFF/, '')
  const frontMatter = FRONT_MATTER_PATTERN.exec(text)
  if (!frontMatter)
    throw new PromptError(`prompt "${name}" has no front matter (a "---" block with "version: ${name}@1")`)

  const fields = new Map<string, string>()
  for (const line of (frontMatter[1] ?? '').split('\n')) {
    const match = /^([\w-]+)\s*:(.*)$/.exec(line.trim())
    if (match?.[1] !== undefined)
      fields.set(match[1], (match[2] ?? '').trim().replace(/^(['"])(.*)\1$/, '$2'))
  }
  const version = fields.get('version')
  if (!version)
    throw new PromptError(`prompt "${name}" has no "version:" line in its front matter`)
  if (!version.startsWith(`${name}@`) || version.length === name.length + 1)
    throw new PromptError(`prompt "${name}" has version "${version}"; expected "${name}@<revision>"`)

  const body = text.slice(frontMatter[0].length).trim()
  if (!body)
    throw new PromptError(`prompt "${name}" is empty`)

  const placeholders = [...new Set([...body.matchAll(PLACEHOLDER_PATTERN)].map(m => m[1] as string))]
  return { name, version, body, placeholders }
}

/**
 * Reads and parses `prompts/<name>.md`. Meant to run once at start-up, so that a broken prompt stops the bot
 * before it takes reports rather than failing each one.
 */
export async function loadPrompt(name: string, options: { directory?: URL } = {}): Promise<PromptTemplate> {
  // The name becomes a path: only plain kebab-case names, so nothing can reach outside the folder.
  if (!NAME_PATTERN.test(name))
    throw new PromptError(`"${name}" is not a prompt name (kebab-case, no extension)`)
  const file = new URL(`${name}.md`, options.directory ?? PROMPTS_DIRECTORY)
  let source: string
  try {
    source = await readFile(file, 'utf8')
  }
  catch (error) {
    throw new PromptError(`cannot read prompt "${name}" at ${file.pathname}: ${(error as Error).message}`)
  }
  return parsePrompt(name, source)
}

/**
 * Fills every `{{placeholder}}` of the prompt. A placeholder without a value throws rather than reaching the model
 * as literal braces; values are inserted verbatim in a single pass, so braces inside them are never expanded.
 */
export function renderPrompt(prompt: PromptTemplate, values: Readonly<Record<string, string>>): string {
  const missing = prompt.placeholders.filter(p => !Object.hasOwn(values, p))
  if (missing.length > 0)
    throw new PromptError(`prompt "${prompt.version}" needs values for: ${missing.join(', ')}`)
  return prompt.body.replace(PLACEHOLDER_PATTERN, (_, key: string) => values[key] as string)
}
