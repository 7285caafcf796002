import type { ThreadedCoverageStore } from '#root/store/threaded-coverage-store.js'
import type { ScratchDatabase } from '../helpers/database.js'
import { createAreaStore } from '#root/store/area-store.js'
import { createCoverageStore } from '#root/store/coverage-store.js'
import { createRegistryStore } from '#root/store/registry-store.js'
import { createThreadedCoverageStore } from '#root/store/threaded-coverage-store.js'
import { createVisitStore } from '#root/store/visit-store.js'
import { ALL_TIME } from '#root/usecases/coverage.js'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { createScratchDatabase } from '../helpers/database.js'

let scratch: ScratchDatabase
let threaded: ThreadedCoverageStore | undefined

beforeEach(async () => {
  scratch = await createScratchDatabase('sqlite')
})
afterEach(async () => {
  await threaded?.close()
  await scratch.drop()
})

it('answers in a worker thread exactly what the store answers on the bot\'s thread, and reads what the bot writes later', async () => {
  const db = await scratch.open()
  await createAreaStore(db).sync([{ id: 'd', name: '区', level: 'district', parentId: null }, { id: 'v', name: '村', level: 'village', parentId: 'd' }])
  const registry = createRegistryStore(db)
  await registry.importRows([
    { externalKey: 'a', kind: 'household', name: '甲', areaId: 'v', address: null, inDifficulty: true, difficultyKind: '低保', sizeClass: null, aboveDesignatedSize: false },
    { externalKey: 'b', kind: 'enterprise', name: '乙厂', areaId: 'v', address: null, inDifficulty: false, difficultyKind: null, sizeClass: null, aboveDesignatedSize: true },
  ])
  threaded = createThreadedCoverageStore(scratch.url)
  const before = await threaded.figures(ALL_TIME, null)
  expect(before.byArea.get('v')!.entities.household).toEqual({ registered: 1, priority: 1, visited: 0, priorityVisited: 0 })

  const [household] = await registry.searchByName('甲', ['v'])
  await createVisitStore(db).create({
    intakeKey: 'k',
    entityId: household!.entity.id,
    areaId: 'v',
    cadreId: 7,
    cadreName: '干部',
    chatId: -1,
    chatType: 'supergroup',
    messageId: null,
    visitedOn: '2026-11-20',
    place: null,
    metWith: null,
    heard: '漏水',
    note: '漏水',
    audioFileId: null,
    goals: ['opinion'],
    extractor: 'offline',
    problems: ['漏水'],
  })
  for (const areaIds of [null, ['v']]) {
    const direct = await createCoverageStore(db).figures(ALL_TIME, areaIds)
    const inWorker = await threaded.figures(ALL_TIME, areaIds)
    expect(inWorker).toEqual(direct)
  }
  expect((await threaded.figures(ALL_TIME, ['v'])).byArea.get('v')).toMatchObject({ visits: 1, problems: 1 })
})
