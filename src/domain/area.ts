/** The administrative levels areas form a tree of: district → street/town → community/village. */
export const AREA_LEVELS = ['district', 'street', 'town', 'community', 'village'] as const
export type AreaLevel = (typeof AREA_LEVELS)[number]

export interface Area {
  id: string
  name: string
  level: AreaLevel
  parentId: string | null
  /** An area with serious petitions (信访突出): the fourth full coverage asks that a leader covers it. */
  seriousPetitions?: boolean
}

/** The areas in force, with the lookups every figure and permission needs. */
export interface AreaTree {
  readonly areas: readonly Area[]
  byId: (id: string) => Area | undefined
  /** By name (黄埭镇) or id (xc-huangdai). */
  find: (nameOrId: string) => Area | undefined
  /** The area and every area under it, the area first. */
  subtree: (id: string) => Area[]
  /** The area's ancestors from the top (the district) down to the area itself. */
  path: (id: string) => Area[]
  children: (id: string | null) => Area[]
}

export function createAreaTree(areas: readonly Area[]): AreaTree {
  const byId = new Map(areas.map(a => [a.id, a]))
  const byName = new Map(areas.map(a => [a.name, a]))
  const children = new Map<string | null, Area[]>()
  for (const area of areas) {
    const list = children.get(area.parentId) ?? []
    list.push(area)
    children.set(area.parentId, list)
  }
  const subtree = (id: string): Area[] => {
    const root = byId.get(id)
    if (!root)
      return []
    const out: Area[] = []
    const stack = [root]
    while (stack.length > 0) {
      const area = stack.pop()!
      out.push(area)
      stack.push(...[...(children.get(area.id) ?? [])].reverse())
    }
    return out
  }
  return {
    areas,
    byId: id => byId.get(id),
    find: key => byName.get(key.trim()) ?? byId.get(key.trim()),
    subtree,
    path(id) {
      const out: Area[] = []
      for (let area = byId.get(id); area; area = area.parentId ? byId.get(area.parentId) : undefined)
        out.unshift(area)
      return out
    },
    children: id => children.get(id) ?? [],
  }
}

/** The district an area (by name or id) lies in, or null when the area is not in the tree or under no district. */
export function districtOf(tree: AreaTree, nameOrId: string): string | null {
  const area = tree.find(nameOrId)
  return area ? tree.path(area.id).find(a => a.level === 'district')?.id ?? null : null
}
