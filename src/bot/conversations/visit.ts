import type { BotContext, ConversationContext } from '#root/bot/context.js'
import type { CampaignDependencies } from '#root/bot/features/visits.js'
import type { Ticket } from '#root/domain/ticket.js'
import type { EntityKind, RegistryEntity, VisitFields } from '#root/domain/visit.js'
import type { TicketStore } from '#root/store/ticket-store.js'
import type { Conversation } from '@grammyjs/conversations'
import type { InlineKeyboardButton, Message } from 'grammy/types'
import { createDialog } from '#root/bot/conversations/dialog.js'
import { askVisitSteps, VISIT_STEPS_WORDS } from '#root/bot/conversations/visit-steps.js'
import { displayName } from '#root/bot/helpers/names.js'
import { entityLine, fieldLines, renderSavedVisit } from '#root/bot/helpers/visit-card.js'
import { ticketDay } from '#root/domain/ticket-number.js'
import { VISIT_GOAL_NAMES, VISIT_GOALS } from '#root/domain/visit.js'
import { openVisitTickets } from '#root/usecases/visit-tickets.js'
import { PROBLEM_MAX_LENGTH, PROBLEMS_MAX } from '#root/visits/visit-fields-schema.js'
import { InlineKeyboard } from 'grammy'

export const VISIT_CONVERSATION = 'visit'
/** A note left unconfirmed for a day is dropped. */
export const VISIT_IDLE_LIMIT_MS = 24 * 60 * 60 * 1000
const NOTE_MAX = 2000
const LETTERS = 'abcdefghijklmnop'
const PROBLEMS_SHOWN = PROBLEMS_MAX

export interface VisitStart {
  areaId: string
  /** The note written with the command (or the private message itself); empty: the bot asks for it. */
  text: string
  messageId: number | null
  /** A voice note the visit began with; transcribed when the endpoint can, else the cadre is asked for words. */
  audioFileId: string | null
}

type EntityChoice
  = | { kind: 'existing', entity: RegistryEntity }
    | { kind: 'new', name: string, entityKind: EntityKind }
    | null

/**
 * A visit note in one message: the note is read into the visit's fields, whom it names is matched against the
 * registry, and one summary holds every correction as a button (pick the entity, toggle a goal or a problem, save).
 * In a group that costs one bot message, edited in place. The conversation only asks and waits; extraction, the
 * registry and storage go through `conversation.external()`.
 */
export function createVisitConversation(deps: { campaign: CampaignDependencies, timezone: string }) {
  const { campaign } = deps
  return async function visit(conversation: Conversation<BotContext, ConversationContext>, ctx: ConversationContext, start: VisitStart) {
    const chat = ctx.chat
    const user = ctx.from
    if (!chat || !user)
      return
    const nonce = (await conversation.random()).toString(36).slice(2, 8)
    const dialog = createDialog({ conversation, ctx, user, nonce, maxWaitMs: VISIT_IDLE_LIMIT_MS })
    const t = ctx.t.bind(ctx)
    let note = start.text.trim()
    let noteMessageId = start.messageId
    const audioFileId = start.audioFileId
    if (!note && audioFileId && campaign.transcribe)
      note = (await conversation.external(() => campaign.transcribe!(audioFileId))) ?? ''
    const today = ticketDay(new Date(await conversation.now()), deps.timezone).replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3')
    const areaNames = campaign.areas().areas.map(a => a.name)
    // Asked for the note, a cadre may take the questions one by one instead.
    let answered: VisitFields | null = null
    const takeSteps = async () => {
      const steps = await askVisitSteps(dialog, t, { today, areaNames })
      answered = steps.fields
      note = steps.note
    }
    if (VISIT_STEPS_WORDS.includes(note)) {
      note = ''
      await takeSteps()
    }
    while (!note) {
      // In a group the question keeps the reply field it opens; the steps are `/visit 分步` there.
      await dialog.ask(t(audioFileId ? 'visit-ask-note-voice' : dialog.isGroup ? 'visit-ask-note-group' : 'visit-ask-note'), dialog.isGroup ? undefined : { inline: new InlineKeyboard().text(t('visit-steps-button'), dialog.button('steps')) })
      const answer = await dialog.nextAnswer()
      if (answer.kind === 'text') {
        note = answer.text.trim()
        noteMessageId = answer.messageId
      }
      else if (answer.kind === 'button' && answer.action === 'steps') {
        await takeSteps()
      }
    }
    note = [...note].slice(0, NOTE_MAX).join('')
    const areaIds = campaign.areas().subtree(start.areaId).map(a => a.id)
    const fields: VisitFields = answered ?? await conversation.external(() => campaign.extract({ text: note, today, areaNames }))
    // Bounded, so that the summary and its buttons stay within one message whatever the note holds.
    fields.problems = fields.problems.slice(0, PROBLEMS_SHOWN).map(p => [...p].slice(0, PROBLEM_MAX_LENGTH).join(''))
    const included = fields.problems.map(() => true)

    let candidates: RegistryEntity[] = []
    let choice: EntityChoice = null
    const lookUp = async (name: string, kind: EntityKind | null) => {
      const found = await conversation.external(async () => (await campaign.registry.searchByName(name, areaIds)).map(c => ({ ...c })))
      candidates = found.map(c => c.entity)
      // Only a name that is unique in the area is taken without asking: two 王阿婆 in two villages are a choice.
      const exact = found.filter(c => c.entity.name === name)
      choice = exact.length === 1 ? { kind: 'existing', entity: exact[0]!.entity } : found.length === 0 ? { kind: 'new', name, entityKind: kind ?? 'household' } : null
    }
    if (fields.entityName) {
      await lookUp(fields.entityName, fields.entityKind)
    }
    else {
      // The one thing a note cannot do without: whom the visit was to.
      await dialog.ask(t('visit-ask-whom'))
      for (;;) {
        const answer = await dialog.nextAnswer()
        if (answer.kind === 'text' && answer.text.trim()) {
          const name = [...answer.text.trim()].slice(0, 40).join('')
          fields.entityName = name
          await lookUp(name, null)
          break
        }
      }
    }

    const summary: Message = await dialog.ask(summaryText(), { inline: summaryKeyboard() })
    for (;;) {
      const answer = await dialog.nextAnswer()
      if (answer.kind !== 'button')
        continue
      const action = answer.action
      if (action === 'cancel') {
        await dialog.edit(summary, t('visit-cancelled'))
        return
      }
      if (action === 'save' || action === 'save-tickets') {
        const saved = await conversation.external(async () => {
          const entityId = await entityIdOf(choice)
          const visit = await campaign.visits.create({
            intakeKey: `visit:${chat.id}:${user.id}:${nonce}`,
            entityId,
            areaId: start.areaId,
            cadreId: user.id,
            cadreName: displayName(user),
            chatId: chat.id,
            chatType: chat.type,
            messageId: noteMessageId,
            visitedOn: fields.visitedOn ?? today,
            place: fields.place,
            metWith: fields.metWith,
            heard: fields.heard,
            note,
            audioFileId,
            goals: fields.goals,
            extractor: campaign.extractorName,
            problems: fields.problems.filter((_, i) => included[i]),
          })
          const withTickets = action === 'save-tickets' ? await openVisitTickets(campaign.ticketDeps, visit.id, 'all') ?? visit : visit
          return renderVisitById(campaign, ctx.deps.tickets, withTickets.id)
        })
        await dialog.edit(summary, saved.text, saved.rows.length > 0 ? new InlineKeyboard(saved.rows) : undefined)
        return
      }
      if (action === 'new-entity' && fields.entityName) {
        choice = { kind: 'new', name: fields.entityName, entityKind: fields.entityKind ?? 'household' }
      }
      else if (action.startsWith('pick-')) {
        const entity = candidates[LETTERS.indexOf(action.slice(5))]
        if (entity)
          choice = { kind: 'existing', entity }
      }
      else if (action.startsWith('goal-')) {
        const goal = VISIT_GOALS[LETTERS.indexOf(action.slice(5))]
        if (goal)
          fields.goals = fields.goals.includes(goal) ? fields.goals.filter(g => g !== goal) : VISIT_GOALS.filter(g => g === goal || fields.goals.includes(g))
      }
      else if (action.startsWith('prob-')) {
        const index = LETTERS.indexOf(action.slice(5))
        if (index >= 0 && index < included.length)
          included[index] = !included[index]
      }
      else if (action === 'kind') {
        const current = choice as EntityChoice
        if (current?.kind === 'new') {
          const order: EntityKind[] = ['household', 'enterprise', 'project', 'community']
          choice = { ...current, entityKind: order[(order.indexOf(current.entityKind) + 1) % order.length]! }
        }
      }
      await dialog.edit(summary, summaryText(), summaryKeyboard())
    }

    function summaryText(): string {
      const entity = choice?.kind === 'existing'
        ? entityLine(choice.entity)
        : choice?.kind === 'new'
          ? entityLine({ name: choice.name, kind: choice.entityKind, inDifficulty: false, difficultyKind: null, aboveDesignatedSize: false }, true)
          : `${fields.entityName ?? '—'}：请在下面选择登记的对象，或新建`
      const lines = [t('visit-summary-title'), `对象：${entity}`, ...fieldLines(fields)]
      if (fields.problems.length > 0) {
        lines.push('问题（每个可单独转为工单）：')
        fields.problems.forEach((p, i) => lines.push(`${included[i] ? '☑' : '☐'} ${i + 1}. ${p}`))
      }
      return lines.join('\n')
    }

    function summaryKeyboard(): InlineKeyboard {
      const keyboard = new InlineKeyboard()
      if (choice?.kind !== 'existing' && candidates.length > 0) {
        candidates.forEach((c, i) => keyboard.text(`👤 ${c.name}${c.address ? ` · ${c.address}` : ''}`, dialog.button(`pick-${LETTERS[i]}`)).row())
      }
      if (choice?.kind !== 'new' && fields.entityName && candidates.length > 0)
        keyboard.text(`➕ 新建「${fields.entityName}」`, dialog.button('new-entity')).row()
      if (choice?.kind === 'new')
        keyboard.text(`类型：${entityLine({ ...choice, kind: choice.entityKind, inDifficulty: false, difficultyKind: null, aboveDesignatedSize: false }, true).replace(/^.*（|，.*$/g, '')} 🔄`, dialog.button('kind')).row()
      VISIT_GOALS.forEach((goal, i) => {
        keyboard.text(`${fields.goals.includes(goal) ? '✅' : '⬜'} ${VISIT_GOAL_NAMES[goal]}`, dialog.button(`goal-${LETTERS[i]}`))
        if (i % 2 === 1)
          keyboard.row()
      })
      fields.problems.forEach((_, i) => keyboard.text(`${included[i] ? '☑' : '☐'} 问题${i + 1}`, dialog.button(`prob-${LETTERS[i]}`)))
      if (fields.problems.length > 0)
        keyboard.row()
      keyboard.text('💾 保存', dialog.button('save'))
      if (included.some(Boolean))
        keyboard.text('💾 保存并转工单', dialog.button('save-tickets'))
      keyboard.row().text('✖ 取消', dialog.button('cancel'))
      return keyboard
    }

    async function entityIdOf(current: EntityChoice): Promise<number | null> {
      if (!current)
        return null
      if (current.kind === 'existing')
        return current.entity.id
      const created = await campaign.registry.create({
        externalKey: `note:${start.areaId}:${current.name}`.slice(0, 64),
        kind: current.entityKind,
        name: current.name,
        areaId: start.areaId,
        address: fields.place,
        inDifficulty: false,
        difficultyKind: null,
        sizeClass: null,
        aboveDesignatedSize: false,
      })
      return created.id
    }
  }
}

/** A saved visit's text and buttons as plain JSON (conversations keep what a step returned in their replay log). */
export async function renderVisitById(campaign: CampaignDependencies, tickets: TicketStore, visitId: number): Promise<{ text: string, rows: InlineKeyboardButton[][] }> {
  const visit = (await campaign.visits.findById(visitId))!
  const entity = visit.entityId === null ? null : await campaign.registry.findById(visit.entityId)
  const byId = new Map<number, Ticket>()
  for (const problem of visit.problems) {
    if (problem.ticketId !== null) {
      const ticket = await tickets.findById(problem.ticketId)
      if (ticket)
        byId.set(ticket.id, ticket)
    }
  }
  const rendered = renderSavedVisit(visit, entity, campaign.areas().byId(visit.areaId), byId)
  return { text: rendered.text, rows: rendered.keyboard.inline_keyboard.filter(row => row.length > 0) }
}
