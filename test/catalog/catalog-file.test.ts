import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CatalogFileError, loadCatalogFile, parseCatalog } from '#root/catalog/catalog-file.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const SHIPPED_CATALOG = fileURLToPath(new URL('../../prisma/catalog.json', import.meta.url))

function validFile() {
  return {
    departments: [
      { id: 'urban', nameZh: '城市管理局', nameEn: 'City Management Bureau' },
      { id: 'general', nameZh: '热线办', nameEn: 'Hotline Office' },
    ],
    categories: [
      { id: 'city-appearance', nameZh: '市容环境卫生', nameEn: 'City appearance', departmentId: 'urban', keywords: ['垃圾', '占道经营'] },
      { id: 'other', nameZh: '其他', nameEn: 'Other', departmentId: 'general', keywords: [] },
    ],
  }
}

function problemsOf(data: unknown): string[] {
  try {
    parseCatalog(data, 'test.json')
  }
  catch (error) {
    expect(error).toBeInstanceOf(CatalogFileError)
    return (error as CatalogFileError).problems
  }
  throw new Error('expected the catalog to be rejected')
}

describe('the shipped catalog (prisma/catalog.json)', () => {
  it('loads and has the size a city 12345 platform needs', async () => {
    const catalog = await loadCatalogFile(SHIPPED_CATALOG)
    expect(catalog.departments.length).toBeGreaterThanOrEqual(10)
    expect(catalog.departments.length).toBeLessThanOrEqual(16)
    expect(catalog.categories.length).toBeGreaterThanOrEqual(15)
    expect(catalog.categories.length).toBeLessThanOrEqual(25)
  })

  it('gives every category a department, both names and 20–60 keywords, except the catch-all', async () => {
    const catalog = await loadCatalogFile(SHIPPED_CATALOG)
    const departmentIds = new Set(catalog.departments.map(d => d.id))
    for (const category of catalog.categories) {
      expect(departmentIds.has(category.departmentId), category.id).toBe(true)
      expect(category.nameZh).toMatch(/\p{Script=Han}/u)
      expect(category.nameEn).toMatch(/[a-z]/i)
      if (category.id !== 'other') {
        expect(category.keywords.length, category.id).toBeGreaterThanOrEqual(20)
        expect(category.keywords.length, category.id).toBeLessThanOrEqual(60)
      }
    }
    expect(catalog.categories.some(c => c.id === 'other')).toBe(true)
  })

  it('does not give one keyword to two categories, which would make it count for neither', async () => {
    const catalog = await loadCatalogFile(SHIPPED_CATALOG)
    const owners = new Map<string, string>()
    for (const category of catalog.categories) {
      for (const keyword of category.keywords) {
        expect(owners.get(keyword.toLowerCase()), `"${keyword}" in ${category.id}`).toBeUndefined()
        owners.set(keyword.toLowerCase(), category.id)
      }
    }
  })
})

describe('parseCatalog', () => {
  it('returns the departments and categories of a valid file, dropping $comment', () => {
    const catalog = parseCatalog({ $comment: 'note', ...validFile() })
    expect(catalog).toEqual(validFile())
  })

  it('trims names and keywords', () => {
    const file = validFile()
    file.categories[0]!.keywords = ['  垃圾 ']
    file.departments[0]!.nameZh = ' 城市管理局 '
    const catalog = parseCatalog(file)
    expect(catalog.categories[0]!.keywords).toEqual(['垃圾'])
    expect(catalog.departments[0]!.nameZh).toBe('城市管理局')
  })

  it('names the category whose department does not exist', () => {
    const file = validFile()
    file.categories[0]!.departmentId = 'sanitation-dept'
    expect(problemsOf(file)).toEqual([
      'categories[0] "city-appearance".departmentId: department "sanitation-dept" is not in "departments"',
    ])
  })

  it('rejects duplicate department and category ids', () => {
    const file = validFile()
    file.departments[1]!.id = 'urban'
    file.categories[1]!.id = 'city-appearance'
    file.categories[1]!.departmentId = 'urban'
    const problems = problemsOf(file)
    expect(problems).toContain('departments[1] "urban".id: duplicate department id "urban"')
    expect(problems).toContain('categories[1] "city-appearance".id: duplicate category id "city-appearance"')
  })

  it('rejects ids that are not short lowercase slugs', () => {
    const file = validFile()
    file.categories[0]!.id = 'City Appearance'
    const [problem] = problemsOf(file)
    expect(problem).toMatch(/^categories\[0\] "City Appearance"\.id: must be a lowercase ascii slug/)
  })

  it('reports a misspelt field instead of ignoring it', () => {
    const file = validFile() as unknown as { categories: Record<string, unknown>[] }
    file.categories[0]!.keyword = ['垃圾']
    expect(problemsOf(file).join('\n')).toMatch(/categories\[0\] "city-appearance".*keyword/)
  })

  it('rejects empty and duplicate keywords within a category', () => {
    const file = validFile()
    file.categories[0]!.keywords = ['垃圾', ' ', '垃圾']
    const problems = problemsOf(file)
    expect(problems).toContain('categories[0] "city-appearance".keywords[1]: must not be empty')
    expect(problems).toContain('categories[0] "city-appearance".keywords[2]: duplicate keyword "垃圾"')
  })

  it('requires at least one department and one category', () => {
    expect(problemsOf({ departments: [], categories: [] })).toEqual([
      'departments: must list at least one department',
      'categories: must list at least one category',
    ])
  })

  it('says what is missing when the top level is wrong', () => {
    expect(problemsOf([]).join('\n')).toMatch(/^\(file\): /)
    expect(problemsOf({ departments: validFile().departments }).join('\n')).toMatch(/^categories: /)
  })

  it('puts the source and every problem in the error message', () => {
    const file = validFile()
    file.categories[0]!.departmentId = 'nope'
    expect(() => parseCatalog(file, 'my-catalog.json')).toThrow(/Invalid catalog my-catalog\.json:\n {2}- categories\[0\]/)
  })
})

describe('loadCatalogFile', () => {
  let directory: string

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'huiyin-catalog-'))
  })

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true })
  })

  it('reads a file, with or without a byte order mark', async () => {
    const path = join(directory, 'bom.json')
    await writeFile(path, `\uFEFF${JSON.stringify(validFile())}`)
    expect(await loadCatalogFile(path)).toEqual(validFile())
  })

  it('names a missing file', async () => {
    const path = join(directory, 'absent.json')
    await expect(loadCatalogFile(path)).rejects.toThrow(CatalogFileError)
    await expect(loadCatalogFile(path)).rejects.toThrow(/absent\.json:\n {2}- cannot read the file/)
  })

  it('names a file that is not JSON', async () => {
    const path = join(directory, 'broken.json')
    await writeFile(path, '{ "departments": [ ')
    await expect(loadCatalogFile(path)).rejects.toThrow(/broken\.json:\n {2}- is not valid JSON/)
  })

  it('reports wrong entries with the file path', async () => {
    const path = join(directory, 'wrong.json')
    const file = validFile()
    file.categories[1]!.departmentId = 'missing'
    await writeFile(path, JSON.stringify(file))
    await expect(loadCatalogFile(path)).rejects.toThrow(/wrong\.json:\n {2}- categories\[1\] "other"\.departmentId/)
  })
})
