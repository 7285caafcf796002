import { createAreaTree, districtOf } from '#root/domain/area.js'
import { expect, it } from 'vitest'

const tree = createAreaTree([
  { id: 'gusu', name: '姑苏区', level: 'district', parentId: null },
  { id: 'gs-pingjiang', name: '平江街道', level: 'street', parentId: 'gusu' },
  { id: 'gs-pingjiang-lu', name: '平江路社区', level: 'community', parentId: 'gs-pingjiang' },
  // A street filed at the top of the tree, under no district.
  { id: 'loose', name: '散街道', level: 'street', parentId: null },
])

it('finds the district of an area by name or id, at any depth, and null for an area under no district or unknown', () => {
  expect(districtOf(tree, '平江路社区')).toBe('gusu')
  expect(districtOf(tree, 'gs-pingjiang')).toBe('gusu')
  expect(districtOf(tree, '姑苏区')).toBe('gusu')
  expect(districtOf(tree, '散街道')).toBeNull()
  expect(districtOf(tree, '火星社区')).toBeNull()
})
