/** What cadres visit (走访对象). */
export const ENTITY_KINDS = ['household', 'enterprise', 'project', 'community'] as const
export type EntityKind = (typeof ENTITY_KINDS)[number]

/** An entry of the registry of whom to visit. Personal data: admins and the area's cadres only. */
export interface RegistryEntity {
  id: number
  externalKey: string
  kind: EntityKind
  name: string
  areaId: string
  address: string | null
  /** Households: flagged for priority visits (困难家庭), with the kind of difficulty (低保, 残疾, 独居老人…). */
  inDifficulty: boolean
  difficultyKind: string | null
  /** Enterprises: the size class as the statistics office gives it, and whether it is above designated size (规上). */
  sizeClass: string | null
  aboveDesignatedSize: boolean
}

export type NewRegistryEntity = Omit<RegistryEntity, 'id'>

/** 六个一: the six goals a visit serves. */
export const VISIT_GOALS = ['opinion', 'innovation', 'project', 'conflict', 'model', 'policy'] as const
export type VisitGoal = (typeof VISIT_GOALS)[number]

export const VISIT_GOAL_NAMES: Record<VisitGoal, string> = {
  opinion: '收集社情民意',
  innovation: '促进企业创新',
  project: '推动项目建设',
  conflict: '化解矛盾问题',
  model: '总结基层典型',
  policy: '完善政策措施',
}

/** What a cadre's note says, as an extractor reads it; every field may be missing. */
export interface VisitFields {
  /** Whom: the entity's name as written (李记五金厂, 张阿姨家). */
  entityName: string | null
  entityKind: EntityKind | null
  /** The day of the visit, YYYY-MM-DD. */
  visitedOn: string | null
  place: string | null
  metWith: string | null
  /** What was heard, in brief. */
  heard: string
  goals: VisitGoal[]
  /** Each problem heard, as its own item. */
  problems: string[]
}

export interface NewVisit {
  intakeKey: string
  entityId: number | null
  areaId: string
  cadreId: number
  cadreName: string
  chatId: number
  chatType: string
  messageId: number | null
  visitedOn: string
  place: string | null
  metWith: string | null
  heard: string
  note: string
  /** A voice note's Telegram file id, kept with the visit. */
  audioFileId: string | null
  goals: VisitGoal[]
  extractor: string
  problems: string[]
}

export interface VisitProblem {
  id: number
  position: number
  text: string
  ticketId: number | null
}

export interface Visit extends Omit<NewVisit, 'problems'> {
  id: number
  problems: VisitProblem[]
  createdAt: Date
}
