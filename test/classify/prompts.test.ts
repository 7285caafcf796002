import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { loadPrompt, parsePrompt, PromptError, renderPrompt } from '#root/classify/prompts.js'
import { describe, expect, it } from 'vitest'

describe('loadPrompt', () => {
  it('loads classify-report from the repository, whatever the working directory', async () => {
    const cwd = process.cwd()
    process.chdir(tmpdir())
    try {
      const prompt = await loadPrompt('classify-report')
      expect(prompt.version).toMatch(/^classify-report@\d+$/)
      expect(prompt.placeholders).toEqual(expect.arrayContaining(['categories', 'departments', 'output_schema', 'summary_max_length']))
      expect(prompt.body).not.toContain('version:')
    }
    finally {
      process.chdir(cwd)
    }
  })

  it('reads from another folder when given one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prompts-'))
    await writeFile(join(dir, 'greet.md'), '---\r\nversion: "greet@2"\r\n---\r\nHello {{ name }}!\r\n')
    const prompt = await loadPrompt('greet', { directory: pathToFileURL(`${dir}/`) })
    expect(prompt).toEqual({ name: 'greet', version: 'greet@2', body: 'Hello {{ name }}!', placeholders: ['name'] })
  })

  it.each(['../package', 'Classify', 'classify-report.md', ''])('refuses the name %j', async (name) => {
    await expect(loadPrompt(name)).rejects.toBeInstanceOf(PromptError)
  })

  it('fails clearly for a missing file', async () => {
    await expect(loadPrompt('no-such-prompt')).rejects.toThrow(/cannot read prompt "no-such-prompt"/)
  })
})

describe('parsePrompt', () => {
  it.each([
    ['no front matter', 'just text'],
    ['no version', '---\ndescription: x\n---\nbody'],
    ['another prompt\'s version', '---\nversion: other@1\n---\nbody'],
    ['a version without revision', '---\nversion: p@\n---\nbody'],
    ['an empty body', '---\nversion: p@1\n---\n\n'],
  ])('rejects a prompt with %s', (_, source) => {
    expect(() => parsePrompt('p', source)).toThrow(PromptError)
  })
})

describe('renderPrompt', () => {
  const prompt = parsePrompt('p', '---\nversion: p@1\n---\nA {{a}}, B {{ b }}, A again {{a}}.')

  it('fills every placeholder once per use, without expanding braces in values', () => {
    expect(prompt.placeholders).toEqual(['a', 'b'])
    expect(renderPrompt(prompt, { a: '{{b}}', b: '$&' })).toBe('A {{b}}, B $&, A again {{b}}.')
  })

  it('throws for a missing value', () => {
    expect(() => renderPrompt(prompt, { a: 'x' })).toThrow(/needs values for: b/)
  })
})
