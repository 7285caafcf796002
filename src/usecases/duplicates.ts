import type { Satisfaction } from '#root/domain/lifecycle.js'
import type { NewTicketFollower } from '#root/domain/ticket-follower.js'
import type { Actor, Ticket, TicketStatus } from '#root/domain/ticket.js'
import type { ChatStore } from '#root/store/chat-store.js'
import type { HotProblem, MergeResult, TicketFollowerStore } from '#root/store/ticket-follower-store.js'
import type { TicketStore } from '#root/store/ticket-store.js'
import type { NotificationTexts } from '#root/usecases/notifications.js'
import { rankDuplicates } from '#root/classify/duplicate-similarity.js'
import { joinRefreshesCard, reporterCount } from '#root/domain/ticket-follower.js'
import { PUBLIC_SUMMARY, visibleText } from '#root/privacy/visibility.js'
import { cardChatsFor, placeChatsFor } from '#root/usecases/act-on-ticket.js'
import { cardDrafts, mergeDrafts } from '#root/usecases/notifications.js'

export interface DuplicateDependencies {
  tickets: TicketStore
  followers: TicketFollowerStore
  chats: ChatStore
  texts: NotificationTexts
  wakeOutbox: () => void
  /** At or above this similarity a new report is offered the open ticket (0–1). */
  threshold: number
  /** How far back open tickets are looked at. */
  windowMs: number
  now?: () => Date
}

/** How many recent open tickets of one category and area are compared with a new report. */
const CANDIDATES_COMPARED = 200

/**
 * An open ticket a new report looks like, as the resident may see it anywhere (PUBLIC_SUMMARY): its number, category,
 * status, redacted summary and how many people reported it. Plain data: conversations keep it in their replay log.
 */
export interface DuplicateOffer {
  ticketId: number
  number: string
  categoryId: string | null
  status: TicketStatus
  summary: string
  reporters: number
  score: number
}

/** The text of a ticket or a draft as the duplicate check compares them: the summary, then what the resident wrote. */
export function comparedText(summary: string | null | undefined, description: string): string {
  return summary ? `${summary}\n${description}` : description
}

/**
 * The open ticket most like a new report: same category, same area (residents' group) or none (private chat),
 * reported within the window, text at least `threshold` alike. The resident's own tickets and those they joined
 * already are left out. Null when there is none or the report has no category yet.
 */
export async function findDuplicateOffer(
  deps: Pick<DuplicateDependencies, 'followers' | 'threshold' | 'windowMs' | 'now'>,
  input: { description: string, summary: string | null, categoryId: string | null, areaName: string | null, residentId: number },
): Promise<DuplicateOffer | null> {
  if (!input.categoryId)
    return null
  const now = (deps.now ?? (() => new Date()))()
  const candidates = (await deps.followers.listDuplicateCandidates({
    categoryId: input.categoryId,
    areaName: input.areaName,
    since: new Date(now.getTime() - deps.windowMs),
    limit: CANDIDATES_COMPARED,
  })).filter(t => t.reporterId !== input.residentId)
  // Oldest first: of a ticket and its own repeats, the original is offered.
  candidates.reverse()
  const ranked = rankDuplicates(comparedText(input.summary, input.description), candidates, t => comparedText(t.summary, t.description), deps.threshold)
  const followed = await deps.followers.followedAmong(input.residentId, ranked.map(r => r.item.id))
  const best = ranked.find(r => !followed.has(r.item.id))
  if (!best)
    return null
  const ticket = best.item
  return {
    ticketId: ticket.id,
    number: ticket.number,
    categoryId: ticket.categoryId,
    status: ticket.status,
    summary: visibleText(PUBLIC_SUMMARY, ticket.summary),
    reporters: reporterCount(ticket),
    score: Math.round(best.score * 1000) / 1000,
  }
}

export type JoinResult
  = | { kind: 'joined' | 'already' | 'own', number: string, reporters: number }
    | { kind: 'closed', number: string | null, status: TicketStatus | null }

/**
 * "Me too" (我也遇到了): the resident joins the ticket instead of filing their own. The handlers' card is refreshed
 * only at some counts of reporters (joinRefreshesCard), so that thirty neighbours joining cost their department's group
 * a handful of edits, not thirty.
 */
export async function joinTicket(
  deps: Pick<DuplicateDependencies, 'followers' | 'tickets' | 'chats' | 'wakeOutbox'>,
  input: { ticketId: number, follower: NewTicketFollower },
): Promise<JoinResult> {
  const ticket = await deps.tickets.findById(input.ticketId)
  const cardChats = ticket ? await cardChatsFor(deps, ticket) : []
  const outcome = await deps.followers.join(input.ticketId, input.follower, (joined, event) =>
    joinRefreshesCard(reporterCount(joined)) ? cardDrafts(joined, `event:${event.id}`, cardChats) : [])
  if (outcome.kind === 'joined')
    deps.wakeOutbox()
  if (outcome.kind === 'closed')
    return { kind: 'closed', number: outcome.ticket?.number ?? null, status: outcome.ticket?.status ?? null }
  return { kind: outcome.kind, number: outcome.ticket.number, reporters: reporterCount(outcome.ticket) }
}

/**
 * 并案: `source` is merged into `target`. Its reporter and followers hear it is handled as the target from now on;
 * the cards of both are refreshed; both histories get an event (in the store's one transaction).
 */
export async function mergeTickets(
  deps: Pick<DuplicateDependencies, 'followers' | 'tickets' | 'chats' | 'texts' | 'wakeOutbox'>,
  input: { target: Ticket, source: Ticket, actor: Actor },
): Promise<MergeResult> {
  const [targetChats, sourceChats] = await Promise.all([cardChatsFor(deps, input.target), cardChatsFor(deps, input.source)])
  const result = await deps.followers.merge(input.target.id, input.source.id, input.actor, merged => [
    ...mergeDrafts('merged', merged, deps.texts),
    ...cardDrafts(merged.source, `event:${merged.sourceEvent.id}`, sourceChats),
    ...cardDrafts(merged.target, `event:${merged.targetEvent.id}`, targetChats),
  ])
  deps.wakeOutbox()
  return result
}

/** Undoes a merge: the source is handled on its own again, in its former status; its people are told. */
export async function splitTicket(
  deps: Pick<DuplicateDependencies, 'followers' | 'tickets' | 'chats' | 'texts' | 'wakeOutbox'>,
  input: { source: Ticket, actor: Actor },
): Promise<MergeResult> {
  const target = input.source.mergedIntoId ? await deps.tickets.findById(input.source.mergedIntoId) : null
  const restored: Ticket = { ...input.source, status: input.source.statusBeforeMerge ?? input.source.status }
  const [targetChats, sourceChats] = await Promise.all([target ? cardChatsFor(deps, target) : [], cardChatsFor(deps, restored)])
  const result = await deps.followers.split(input.source.id, input.actor, split => [
    ...mergeDrafts('split', split, deps.texts),
    ...cardDrafts(split.source, `event:${split.sourceEvent.id}`, sourceChats),
    ...cardDrafts(split.target, `event:${split.targetEvent.id}`, targetChats),
  ])
  deps.wakeOutbox()
  return result
}

/** The start of the week that /hot counts: the last 7 days. */
export const HOT_PERIOD_MS = 7 * 24 * 3_600_000

/** Hot problems (热点问题) of the last 7 days by area, most reporters first, at most `perArea` in each. */
export async function hotProblems(
  deps: Pick<DuplicateDependencies, 'followers' | 'now'>,
  input: { areaName?: string, perArea: number },
): Promise<{ areaName: string | null, problems: HotProblem[] }[]> {
  const now = (deps.now ?? (() => new Date()))()
  const hot = await deps.followers.listHot(new Date(now.getTime() - HOT_PERIOD_MS), {
    ...(input.areaName !== undefined ? { areaName: input.areaName } : {}),
    limit: 500,
  })
  const byArea = new Map<string | null, HotProblem[]>()
  for (const problem of hot) {
    const list = byArea.get(problem.ticket.areaName) ?? []
    if (list.length < input.perArea)
      byArea.set(problem.ticket.areaName, [...list, problem])
  }
  return [...byArea.entries()]
    .map(([areaName, problems]) => ({ areaName, problems }))
    .sort((a, b) => b.problems[0]!.reporters - a.problems[0]!.reporters)
}

/**
 * A follower's answer to the follow-up (回访): recorded on the ticket as an event. Only the reporter's rating closes
 * or reopens it, so that one neighbour cannot end or restart the work for everyone; a follower who is not satisfied is
 * told to the handlers' group, which can ask the reporter or reopen through them.
 */
export async function rateAsFollower(
  deps: Pick<DuplicateDependencies, 'followers' | 'chats' | 'texts' | 'wakeOutbox'>,
  input: { ticket: Ticket, actor: Actor, satisfaction: Satisfaction },
): Promise<'rated' | 'already' | 'not_resolved'> {
  const place = input.satisfaction === 'not_satisfied' ? await placeChatsFor(deps, input.ticket) : []
  const outcome = await deps.followers.recordRating(input.ticket.id, input.actor, input.satisfaction, (ticket, event) =>
    [...new Set(place)].map(chatId => ({
      dedupKey: `event:${event.id}:relay:${chatId}`,
      ticketId: ticket.id,
      chatId,
      payload: { kind: 'message' as const, text: deps.texts.translate('zh', 'relay-follower-not-satisfied', { number: ticket.number }) },
    })))
  if (outcome.kind === 'rated' && place.length > 0)
    deps.wakeOutbox()
  return outcome.kind
}
