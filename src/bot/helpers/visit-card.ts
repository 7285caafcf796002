import type { Area } from '#root/domain/area.js'
import type { Ticket } from '#root/domain/ticket.js'
import type { EntityKind, RegistryEntity, Visit, VisitFields, VisitGoal } from '#root/domain/visit.js'
import { VISIT_GOAL_NAMES } from '#root/domain/visit.js'
import { InlineKeyboard } from 'grammy'

export const ENTITY_KIND_NAMES: Record<EntityKind, string> = {
  household: '家庭',
  enterprise: '企业',
  project: '项目',
  community: '村/社区',
}

export const TICKET_STATUS_NAMES: Record<Ticket['status'], string> = {
  needs_triage: '待分派',
  assigned: '已交办',
  accepted: '已受理',
  in_progress: '办理中',
  resolved: '已办结',
  closed: '已回访',
  rejected: '不予受理',
  merged: '已并案',
}

/** Callback data of a saved visit's ticket buttons: `v:<visit id>:<problem position or "all">`. */
export const VISIT_TICKET_CALLBACK = /^v:(\d+):(\d+|all)$/

export function entityLine(entity: Pick<RegistryEntity, 'name' | 'kind' | 'inDifficulty' | 'difficultyKind' | 'aboveDesignatedSize'> | null, isNew = false): string {
  if (!entity)
    return '未选定'
  const flags = [
    ENTITY_KIND_NAMES[entity.kind],
    entity.inDifficulty ? `困难家庭${entity.difficultyKind ? `·${entity.difficultyKind}` : ''}` : null,
    entity.aboveDesignatedSize ? '规上' : null,
    isNew ? '新建' : '已登记',
  ].filter(Boolean)
  return `${entity.name}（${flags.join('，')}）`
}

export function fieldLines(fields: Pick<VisitFields, 'visitedOn' | 'place' | 'metWith' | 'heard' | 'goals'>): string[] {
  return [
    `时间：${fields.visitedOn ?? '今天'}`,
    `地点：${fields.place ?? '—'}`,
    `见到：${fields.metWith ?? '—'}`,
    `听到：${fields.heard || '—'}`,
    `六个一：${fields.goals.length > 0 ? fields.goals.map(g => VISIT_GOAL_NAMES[g]).join('、') : '—'}`,
  ]
}

/** A saved visit with its problems and, for each, its ticket and where the ticket stands. */
export function renderSavedVisit(visit: Visit, entity: RegistryEntity | null, area: Area | undefined, tickets: Map<number, Ticket>): { text: string, keyboard: InlineKeyboard } {
  const lines = [
    `✅ 走访记录 #${visit.id} 已保存（${area?.name ?? visit.areaId} · ${visit.cadreName}）`,
    `对象：${entityLine(entity)}`,
    ...fieldLines({ ...visit, goals: visit.goals as VisitGoal[] }),
  ]
  const keyboard = new InlineKeyboard()
  if (visit.problems.length > 0) {
    lines.push('问题：')
    for (const problem of visit.problems) {
      const ticket = problem.ticketId === null ? undefined : tickets.get(problem.ticketId)
      lines.push(`${problem.position + 1}. ${problem.text}${ticket ? ` → ${ticket.number} ${TICKET_STATUS_NAMES[ticket.status]}` : ''}`)
      if (problem.ticketId === null)
        keyboard.text(`📮 问题${problem.position + 1}转工单`, `v:${visit.id}:${problem.position}`)
    }
    const open = visit.problems.filter(p => p.ticketId === null).length
    if (open > 1)
      keyboard.row().text('📮 全部转为工单', `v:${visit.id}:all`)
  }
  return { text: lines.join('\n'), keyboard }
}
