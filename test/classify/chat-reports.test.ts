import type { ClassificationResult, Classifier } from '#root/classify/classification.js'
import type { Catalog } from '#root/domain/catalog.js'
import { fileURLToPath } from 'node:url'
import { loadCatalogFile } from '#root/catalog/catalog-file.js'
import { createOfflineClassifier } from '#root/classify/offline-classifier.js'
import { confidenceCurve } from '#root/classify/routing-evaluation.js'
import { DEFAULT_CLASSIFY_MIN_CONFIDENCE } from '#root/config.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { CHAT_NON_REPORTS, CHAT_REPORTS } from './chat-messages.js'

const SHIPPED_CATALOG = fileURLToPath(new URL('../../prisma/catalog.json', import.meta.url))

let catalog: Catalog
let classifier: Classifier
let results: ClassificationResult[]

beforeAll(async () => {
  catalog = await loadCatalogFile(SHIPPED_CATALOG)
  classifier = createOfflineClassifier(catalog)
  results = await Promise.all(CHAT_REPORTS.map(r => classifier.classify({ text: r.text })))
})

describe('the offline classifier on hand-written group-chat reports', () => {
  it('has at least 100 reports over every category, with English, emoji and several problems at once', () => {
    expect(CHAT_REPORTS.length).toBeGreaterThanOrEqual(100)
    expect(new Set(CHAT_REPORTS.map(r => r.categoryId))).toEqual(new Set(catalog.categories.filter(c => c.id !== 'other').map(c => c.id)))
    expect(CHAT_REPORTS.filter(r => /[a-z]{4,}/i.test(r.text)).length).toBeGreaterThanOrEqual(10)
    expect(CHAT_REPORTS.filter(r => /\p{Extended_Pictographic}/u.test(r.text)).length).toBeGreaterThanOrEqual(10)
  })

  it('puts at least 90% in the right category and department', () => {
    const departmentOf = (categoryId: string) => catalog.categories.find(c => c.id === categoryId)!.departmentId
    const rightCategory = results.filter((result, i) => result.categoryId === CHAT_REPORTS[i]!.categoryId).length
    const rightDepartment = results.filter((result, i) => result.departmentId === (CHAT_REPORTS[i]!.departmentId ?? departmentOf(CHAT_REPORTS[i]!.categoryId))).length
    expect(rightCategory / CHAT_REPORTS.length).toBeGreaterThanOrEqual(0.9)
    expect(rightDepartment / CHAT_REPORTS.length).toBeGreaterThanOrEqual(0.9)
  })

  it('routes at least 3 in 4 automatically at the default threshold, at least 90% of them to the right department', () => {
    const departmentOf = (categoryId: string) => catalog.categories.find(c => c.id === categoryId)!.departmentId
    const [point] = confidenceCurve(results.map((result, i) => ({
      truth: CHAT_REPORTS[i]!.departmentId ?? departmentOf(CHAT_REPORTS[i]!.categoryId),
      predicted: result.departmentId,
      confidence: result.confidence,
    })), [DEFAULT_CLASSIFY_MIN_CONFIDENCE])
    expect(point!.triageShare).toBeLessThanOrEqual(0.25)
    expect(point!.routedAccuracy).toBeGreaterThanOrEqual(0.9)
  })

  it('takes every report for a report, and most non-reports for what they are', async () => {
    expect(results.filter(r => !r.isReport).map((r, i) => [r.notReportReason, CHAT_REPORTS[i]!.text])).toEqual([])
    const others = await Promise.all(CHAT_NON_REPORTS.map(m => classifier.classify({ text: m.text })))
    expect(others.filter(r => !r.isReport).length / others.length).toBeGreaterThanOrEqual(0.9)
    for (const result of others)
      expect(result.isReport || result.notReportReason !== null).toBe(true)
  })
})
