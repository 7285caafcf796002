import type { ClassifierKind, RequestType, Urgency } from '#root/classify/classification.js'

/**
 * The lifecycle of a ticket:
 * needs_triage 待分派 → assigned 已交办 → accepted 已受理 → in_progress 办理中 → resolved 已办结 → closed 已回访;
 * rejected 不予受理 ends it early; merged 已并案 ends it into another ticket of the same problem (a split restores it).
 */
export const TICKET_STATUSES = ['needs_triage', 'assigned', 'accepted', 'in_progress', 'resolved', 'closed', 'rejected', 'merged'] as const
export type TicketStatus = (typeof TICKET_STATUSES)[number]

export const OPEN_STATUSES: readonly TicketStatus[] = ['needs_triage', 'assigned', 'accepted', 'in_progress']

export function isOpen(status: TicketStatus): boolean {
  return OPEN_STATUSES.includes(status)
}

export type ChatType = 'private' | 'group' | 'supergroup' | 'channel'

export type ActorRole = 'reporter' | 'handler' | 'admin' | 'system'

export interface Actor {
  id: number
  role: ActorRole
  /** Shown on the ticket's card ("accepted by …"); never a phone number. */
  name?: string
}

/** What a resident confirmed at the end of the guided report. */
export interface Report {
  reporterId: number
  reporterName: string
  reporterLanguage: string
  sourceChatId: number
  sourceChatType: ChatType
  sourceMessageId: number | null
  areaName: string | null
  description: string
  locationText: string | null
  latitude: number | null
  longitude: number | null
  photoFileIds: string[]
  contactAllowed: boolean
  contactPhone: string | null
  replyPrivately: boolean
}

export interface TicketClassification {
  categoryId: string | null
  departmentId: string | null
  urgency: Urgency
  requestType: RequestType
  summary: string
  extractedLocation: string | null
  confidence: number
  classifier: ClassifierKind
  classifierModel: string | null
  promptVersion: string | null
  classifierNote: string | null
}

export interface Ticket extends Report, TicketClassification {
  id: number
  number: string
  status: TicketStatus
  createdAt: Date
  updatedAt: Date
  /** Time limits (时限); null on tickets stored before deadlines existed. */
  acceptDueAt?: Date | null
  resolveDueAt?: Date | null
  /** Chase steps taken against resolveDueAt: 1 reminder, 2 催办 (overdue notice), 3 督办 (escalation). */
  chaseLevel?: number
  /** 1 once the 催签收 notice went out for a ticket not accepted by acceptDueAt. */
  acceptChaseLevel?: number
  /** When a supervisor last pressed 督办 on it. */
  supervisedAt?: Date | null
  /** The event id of an extension request waiting for a supervisor. */
  extensionRequestId?: number | null
  resolvedAt?: Date | null
  /** Residents who reported the same problem besides the reporter ("me too", or brought by a merge). */
  followerCount?: number
  /** The ticket this one was merged into (并案), and the status a split restores. */
  mergedIntoId?: number | null
  statusBeforeMerge?: TicketStatus | null
}

/**
 * created; status_changed and reassigned (the lifecycle); note: a handler's progress note for the reporter;
 * question: a handler's question relayed to the reporter; reporter_reply: their answer; delivery_failed: a message
 * about the ticket could not be delivered; chase: a step of the deadline ladder (data.step: reminder, overdue 催办,
 * escalation 督办; accept_overdue 催签收); extension_*: a request to move the deadline (延期) and a supervisor's decision on
 * it; supervised: a supervisor's own 督办 with its reason; model_case: a supervisor held the resolved ticket up as a
 * model case (典型案例), the reason as its note.
 * joined: a resident reported the same problem and joined the ticket ("me too"); merged / merge_received: this
 * ticket went into another (并案) / another came into this one; split / split_released: a merge undone, on each side;
 * follower_rated: a resident who joined rated the resolution (recorded; only the reporter's rating closes or reopens).
 */
export type TicketEventType = 'created' | 'status_changed' | 'reassigned' | 'note' | 'question' | 'reporter_reply' | 'delivery_failed'
  | 'chase' | 'extension_requested' | 'extension_approved' | 'extension_refused' | 'supervised'
  | 'joined' | 'merged' | 'merge_received' | 'split' | 'split_released' | 'follower_rated'
  | 'model_case'

export interface TicketEvent {
  id: number
  ticketId: number
  type: TicketEventType
  fromStatus: TicketStatus | null
  toStatus: TicketStatus | null
  actorId: number
  actorRole: ActorRole
  note: string | null
  data: Record<string, unknown> | null
  createdAt: Date
}
