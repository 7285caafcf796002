import type { VisitFields } from '#root/domain/visit.js'

/** What a hand-labelled note should yield: place and metWith are substrings the extracted field must contain. */
export interface ExpectedVisit {
  entityName: string | null
  entityKind: string | null
  visitedOn: string
  place: string | null
  metWith: string | null
  /** One keyword per problem the note holds. */
  problems: string[]
  goals: string[]
}

export type ScoredField = 'entity' | 'day' | 'place' | 'metWith' | 'problemCount' | 'problemsFound' | 'goals'

/** Per field, the share of notes the extractor got right; `problemsFound` is recall over all problems. */
export function scoreExtraction(cases: readonly { expected: ExpectedVisit, got: VisitFields }[]): Record<ScoredField, number> {
  let entity = 0
  let day = 0
  let place = 0
  let met = 0
  let count = 0
  let goals = 0
  let problemsTotal = 0
  let problemsFound = 0
  for (const { expected, got } of cases) {
    if (expected.entityName === got.entityName && (expected.entityName === null || expected.entityKind === got.entityKind))
      entity++
    if (expected.visitedOn === got.visitedOn)
      day++
    if (expected.place === null ? got.place === null : (got.place ?? '').includes(expected.place))
      place++
    if (expected.metWith === null ? got.metWith === null : (got.metWith ?? '').includes(expected.metWith))
      met++
    if (expected.problems.length === got.problems.length)
      count++
    if ([...expected.goals].sort().join() === [...got.goals].sort().join())
      goals++
    for (const keyword of expected.problems) {
      problemsTotal++
      if (got.problems.some(p => p.includes(keyword)))
        problemsFound++
    }
  }
  const n = Math.max(cases.length, 1)
  return {
    entity: entity / n,
    day: day / n,
    place: place / n,
    metWith: met / n,
    problemCount: count / n,
    problemsFound: problemsTotal === 0 ? 1 : problemsFound / problemsTotal,
    goals: goals / n,
  }
}
