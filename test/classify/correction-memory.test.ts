import type { Catalog } from '#root/domain/catalog.js'
import { fileURLToPath } from 'node:url'
import { loadCatalogFile } from '#root/catalog/catalog-file.js'
import { characterGrams, createCorrectionMemory } from '#root/classify/correction-memory.js'
import { createCategoryChooser, createOfflineClassifier } from '#root/classify/offline-classifier.js'
import { beforeAll, describe, expect, it } from 'vitest'

const SHIPPED_CATALOG = fileURLToPath(new URL('../../prisma/catalog.json', import.meta.url))
let catalog: Catalog

beforeAll(async () => {
  catalog = await loadCatalogFile(SHIPPED_CATALOG)
})

describe('correction memory', () => {
  it('cuts Han text into bigrams and trigrams and other scripts into words', () => {
    expect([...characterGrams('路灯坏了 lamp').keys()]).toEqual(['路灯', '路灯坏', '灯坏', '灯坏了', '坏了', 'w:lamp'])
  })

  it('finds the most similar examples first, and none below the floor', () => {
    const memory = createCorrectionMemory([
      { text: '小区门口的路灯坏了', categoryId: 'municipal', departmentId: 'urban' },
      { text: '公司拖欠工资三个月', categoryId: 'wages', departmentId: 'hrss' },
    ])
    const [first, second] = memory.nearest('门口路灯又坏了')
    expect(first!.example.categoryId).toBe('municipal')
    expect(first!.similarity).toBeGreaterThan(0.1)
    expect(second?.similarity ?? 0).toBeLessThan(first!.similarity)
    expect(memory.nearest('门口路灯又坏了', { minSimilarity: 0.99 })).toEqual([])
    expect(createCorrectionMemory().nearest('anything')).toEqual([])
  })

  it('moves the offline route to where people sent similar reports, with their department, as examples arrive', async () => {
    const text = '小区门口那盏路灯坏了好几天，晚上很黑'
    const memory = createCorrectionMemory()
    const classifier = createOfflineClassifier(catalog, { corrections: memory })
    const before = await classifier.classify({ text })
    expect(before).toMatchObject({ categoryId: 'municipal', departmentId: 'urban' })

    // In this deployment the compound's lamps belong to the property company.
    memory.add({ text: '小区门口的路灯坏了一个星期，晚上很黑', categoryId: 'property', departmentId: 'housing' })
    const after = await classifier.classify({ text })
    expect(after).toMatchObject({ categoryId: 'property', departmentId: 'housing' })
    expect(after.confidence).toBeGreaterThan(0.5)

    // An unrelated report keeps the lexicon's route.
    expect(await classifier.classify({ text: '公司拖欠工资三个月了' })).toMatchObject({ categoryId: 'wages' })
  })

  it('keeps the department people chose when it is not the category\'s own', async () => {
    const memory = createCorrectionMemory([{ text: '河道里漂满了垃圾，臭气熏天', categoryId: 'pollution', departmentId: 'agriculture' }])
    const result = await createOfflineClassifier(catalog, { corrections: memory }).classify({ text: '河道里漂满垃圾，好臭' })
    expect(result).toMatchObject({ categoryId: 'pollution', departmentId: 'agriculture' })
  })

  it('raises confidence when people confirmed the same route', async () => {
    const text = '楼下烧烤店油烟太大'
    const plain = await createOfflineClassifier(catalog).classify({ text })
    const memory = createCorrectionMemory([{ text: '楼下烧烤店油烟很大，窗户都不敢开', categoryId: plain.categoryId, departmentId: plain.departmentId }])
    const confirmed = await createOfflineClassifier(catalog, { corrections: memory }).classify({ text })
    expect(confirmed.categoryId).toBe(plain.categoryId)
    expect(confirmed.confidence).toBeGreaterThan(plain.confidence)
  })
})

describe('createCategoryChooser', () => {
  it('picks the department\'s category that fits the text best, or its first', () => {
    const choose = createCategoryChooser(catalog)
    expect(choose('开发商延期交房', 'housing')).toBe('housing-market')
    expect(choose('路灯坏了', 'housing')).toBe('property')
    expect(choose('路灯坏了', 'no-such-department')).toBeNull()
  })
})
