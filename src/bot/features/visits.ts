import type { BotContext, ConversationContext } from '#root/bot/context.js'
import type { VisitStart } from '#root/bot/conversations/visit.js'
import type { Area, AreaTree } from '#root/domain/area.js'
import type { TicketStatus } from '#root/domain/ticket.js'
import type { EntityKind, VisitGoal } from '#root/domain/visit.js'
import type { CoverageStore } from '#root/store/coverage-store.js'
import type { LeaderCoverStore } from '#root/store/leader-cover-store.js'
import type { RegistryStore } from '#root/store/registry-store.js'
import type { SpotCheckStore } from '#root/store/spot-check-store.js'
import type { VisitStore } from '#root/store/visit-store.js'
import type { VisitTicketDependencies } from '#root/usecases/visit-tickets.js'
import type { VisitExtractor } from '#root/visits/offline-visit-extractor.js'
import { REPORT_CONVERSATION } from '#root/bot/conversations/report.js'
import { createVisitConversation, renderVisitById, VISIT_CONVERSATION, VISIT_IDLE_LIMIT_MS } from '#root/bot/conversations/visit.js'
import { createSpotChecksFeature } from '#root/bot/features/spot-checks.js'
import { createMembershipCache } from '#root/bot/helpers/membership.js'
import { replyToCommand } from '#root/bot/helpers/view-place.js'
import { ENTITY_KIND_NAMES, entityLine, TICKET_STATUS_NAMES, VISIT_TICKET_CALLBACK } from '#root/bot/helpers/visit-card.js'
import { ticketDay } from '#root/domain/ticket-number.js'
import { VISIT_GOAL_NAMES } from '#root/domain/visit.js'
import { parseRegistryCsv, RegistryFileError, toCsv } from '#root/registry/registry-csv.js'
import { cityCoverage, coverageLines, coverageReport, parsePeriod, periodLabel, petitionCoverageLines, renderCoverage } from '#root/usecases/coverage.js'
import { spotCheckLine } from '#root/usecases/spot-checks.js'
import { openVisitTickets } from '#root/usecases/visit-tickets.js'
import { createConversation } from '@grammyjs/conversations'
import { Composer, InlineKeyboard, InputFile } from 'grammy'

export interface CampaignDependencies {
  areas: () => AreaTree
  registry: RegistryStore
  visits: VisitStore
  coverage: CoverageStore
  extract: VisitExtractor
  /** Recorded with each visit: which extractor read its note. */
  extractorName: string
  ticketDeps: VisitTicketDependencies
  spotChecks: SpotCheckStore
  leaders: LeaderCoverStore
  /** Turns a voice note into text, when the configured endpoint offers transcription; null when it cannot. */
  transcribe?: (fileId: string) => Promise<string | null>
  /** Ends what the campaign started besides the database (the reports' worker thread). */
  close?: () => Promise<void>
  /** Downloads a file a person sent (registry CSV) by its Bot API file path. */
  downloadFile: (filePath: string) => Promise<Uint8Array>
}

/** Registry CSV files larger than this are refused before download (the Bot API serves bots up to 20 MB). */
const REGISTRY_FILE_MAX_BYTES = 20 * 1024 * 1024
const ERRORS_SHOWN = 15
/** A cadre's short private words (报事, 你好) are not taken for a visit note. */
const PRIVATE_NOTE_MIN_LENGTH = 8

/** Who is asking, as the visit campaign sees them: an admin (everything), an area's cadre, or nobody it serves. */
type Standing = { role: 'admin', area: Area | null } | { role: 'cadre', area: Area } | null

/**
 * The visit campaign's commands. Cadres are the members of a cadres' group, bound to an area: in that group, and in
 * a private chat with the bot, they file visit notes, see their area's registry and coverage. Registry rows hold
 * personal data, so nothing of them is ever shown in a residents' or handlers' group, nor to anyone else.
 */
export function createVisitsFeature(campaign: CampaignDependencies, options: { timezone: string }) {
  const feature = new Composer<BotContext>()
  const isMember = createMembershipCache()
  const isAdmin = (ctx: BotContext) => ctx.deps.config.adminIds.includes(ctx.from?.id ?? 0)

  async function standingOf(ctx: BotContext): Promise<Standing> {
    const chat = ctx.chat
    const user = ctx.from
    if (!chat || !user)
      return null
    const binding = chat.type === 'private' ? null : await ctx.deps.chats.find(chat.id)
    // Residents' and handlers' groups never see registry rows or visit notes, not even an admin's.
    if (binding && binding.kind !== 'cadres' && binding.kind !== 'admins')
      return null
    if (binding?.kind === 'cadres') {
      const area = campaign.areas().find(binding.areaName ?? '')
      if (area)
        return isAdmin(ctx) ? { role: 'admin', area } : { role: 'cadre', area }
    }
    if (isAdmin(ctx))
      return { role: 'admin', area: null }
    if (chat.type !== 'private')
      return null
    for (const group of await ctx.deps.chats.list('cadres')) {
      const area = campaign.areas().find(group.areaName ?? '')
      if (area && await isMember(ctx.api, group.chatId, user.id))
        return { role: 'cadre', area }
    }
    return null
  }

  const today = () => ticketDay(new Date(), options.timezone).replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3')

  feature.use(createConversation<BotContext, ConversationContext>(
    createVisitConversation({ campaign, timezone: options.timezone }),
    { id: VISIT_CONVERSATION, maxMillisecondsToWait: VISIT_IDLE_LIMIT_MS },
  ))

  async function enterVisit(ctx: BotContext, text: string, audioFileId: string | null = null): Promise<void> {
    const standing = await standingOf(ctx)
    const area = standing?.area
    if (!standing || !area) {
      await ctx.reply(ctx.t(standing?.role === 'admin' ? 'visit-admin-needs-area' : 'cadre-only'), replyToCommand(ctx))
      return
    }
    if (ctx.conversation.active(VISIT_CONVERSATION) || ctx.conversation.active(REPORT_CONVERSATION)) {
      await ctx.reply(ctx.t('report-already-active'), replyToCommand(ctx))
      return
    }
    const start: VisitStart = { areaId: area.id, text, messageId: ctx.msg?.message_id ?? null, audioFileId }
    await ctx.conversation.enter(VISIT_CONVERSATION, start)
  }

  feature.command(['visit', 'zoufang'], ctx => enterVisit(ctx, ctx.match))
  feature.use(createSpotChecksFeature(campaign, { today }))

  feature.command('myvisits', async (ctx) => {
    const standing = await standingOf(ctx)
    if (!standing) {
      await ctx.reply(ctx.t('cadre-only'), replyToCommand(ctx))
      return
    }
    const visits = await campaign.visits.listByCadre(ctx.from!.id, 10)
    if (visits.length === 0) {
      await ctx.reply(ctx.t('visit-none-yet'), replyToCommand(ctx))
      return
    }
    const parts: string[] = []
    for (const visit of visits) parts.push((await renderVisitById(campaign, ctx.deps.tickets, visit.id)).text)
    await ctx.reply(parts.join('\n\n').slice(0, 4000), replyToCommand(ctx))
  })

  feature.callbackQuery(VISIT_TICKET_CALLBACK, async (ctx) => {
    const visitId = Number(ctx.match[1])
    const which = ctx.match[2] === 'all' ? 'all' as const : Number(ctx.match[2])
    const visit = await campaign.visits.findById(visitId)
    if (!visit || (visit.cadreId !== ctx.from.id && !isAdmin(ctx))) {
      await ctx.answerCallbackQuery({ text: ctx.t('report-button-not-yours'), show_alert: true })
      return
    }
    await ctx.answerCallbackQuery()
    await openVisitTickets(campaign.ticketDeps, visitId, which)
    const rendered = await renderVisitById(campaign, ctx.deps.tickets, visitId)
    await ctx.editMessageText(rendered.text, { reply_markup: new InlineKeyboard(rendered.rows) }).catch((error: unknown) => {
      if (!/not modified/i.test(String((error as { description?: string }).description)))
        throw error
    })
  })

  feature.command('coverage', async (ctx) => {
    const standing = await standingOf(ctx)
    if (!standing) {
      await ctx.reply(ctx.t('cadre-only'), replyToCommand(ctx))
      return
    }
    let area = standing.area
    let period = parsePeriod('', today())!
    for (const word of ctx.match.trim().split(/\s+/).filter(Boolean)) {
      const asPeriod = parsePeriod(word, today())
      const asArea = campaign.areas().find(word)
      if (asArea) {
        area = asArea
      }
      else if (asPeriod) {
        period = asPeriod
      }
      else {
        await ctx.reply(ctx.t('coverage-usage'), replyToCommand(ctx))
        return
      }
    }
    // A cadre sees their own area and what lies under it, not their neighbours'.
    if (standing.role === 'cadre' && area && !campaign.areas().subtree(standing.area.id).some(a => a.id === area!.id)) {
      await ctx.reply(ctx.t('coverage-not-your-area'), replyToCommand(ctx))
      return
    }
    if (!area) {
      const city = await cityCoverage(campaign, period)
      const checks = await campaign.spotChecks.outcomes(city.districts.map(d => d.area.id))
      const lines = [`📊 全市走访覆盖（${periodLabel(period)}）`, ...coverageLines(city.total), '', '各区：']
      for (const district of city.districts)
        lines.push(`【${district.area.name}】`, ...coverageLines(district.figures), ...[spotCheckLine(checks.get(district.area.id))].filter(l => l !== null))
      const petitions = await petitionCoverageLines(campaign, null)
      await ctx.reply([...lines, ...(petitions.length > 0 ? ['', ...petitions] : [])].join('\n').slice(0, 4000), replyToCommand(ctx))
      return
    }
    // Spot checks are drawn per district: a district's figures show their outcomes.
    const checks = area.level === 'district' ? spotCheckLine((await campaign.spotChecks.outcomes([area.id])).get(area.id)) : null
    const petitions = await petitionCoverageLines(campaign, area.id)
    await ctx.reply(`${renderCoverage(await coverageReport(campaign, area.id, period))}${checks ? `\n${checks}` : ''}${petitions.length > 0 ? `\n\n${petitions.join('\n')}` : ''}`.slice(0, 4000), replyToCommand(ctx))
  })

  // An admin records, replying to a leader's message, that the leader covers (包案) an area with serious petitions.
  feature.command('leader', async (ctx) => {
    if (!isAdmin(ctx)) {
      await ctx.reply(ctx.t('admin-only-leader'), replyToCommand(ctx))
      return
    }
    const leader = ctx.msg.reply_to_message?.from
    const area = campaign.areas().find(ctx.match.trim())
    if (!leader || leader.is_bot || !area) {
      await ctx.reply(ctx.t('leader-usage'), replyToCommand(ctx))
      return
    }
    const leaderName = [leader.first_name, leader.last_name].filter(Boolean).join(' ')
    await campaign.leaders.record({ areaId: area.id, leaderId: leader.id, leaderName, since: today() })
    await ctx.reply(ctx.t(area.seriousPetitions ? 'leader-recorded' : 'leader-recorded-unflagged', { leader: leaderName, area: area.name }), replyToCommand(ctx))
  })

  feature.command('registry', async (ctx) => {
    const standing = await standingOf(ctx)
    if (!standing) {
      await ctx.reply(ctx.t('cadre-only'), replyToCommand(ctx))
      return
    }
    const scope = standing.area ? campaign.areas().subtree(standing.area.id).map(a => a.id) : campaign.areas().areas.map(a => a.id)
    const query = ctx.match.trim()
    const unvisited = query === '未走访' || query === 'unvisited'
    const entities = query && !unvisited
      ? (await campaign.registry.searchByName(query, scope, 10)).map(c => c.entity)
      : await campaign.registry.list(scope, { unvisitedOnly: unvisited, limit: 30 })
    if (entities.length === 0) {
      await ctx.reply(ctx.t('registry-empty'), replyToCommand(ctx))
      return
    }
    const lines = entities.map(e => `· ${entityLine(e)} ${campaign.areas().byId(e.areaId)?.name ?? ''}${e.address ? ` ${e.address}` : ''}`)
    await ctx.reply([ctx.t(unvisited ? 'registry-unvisited-title' : 'registry-title'), ...lines].join('\n').slice(0, 4000), replyToCommand(ctx))
  })

  feature.command('export', async (ctx) => {
    const standing = await standingOf(ctx)
    if (!standing) {
      await ctx.reply(ctx.t('cadre-only'), replyToCommand(ctx))
      return
    }
    const scope = standing.area ? campaign.areas().subtree(standing.area.id).map(a => a.id) : campaign.areas().areas.map(a => a.id)
    const [what = 'registry', periodText = ''] = ctx.match.trim().split(/\s+/)
    const areaName = (id: string) => campaign.areas().byId(id)?.name ?? id
    if (what === 'visits' || what === '走访') {
      const period = parsePeriod(periodText, today())
      if (!period) {
        await ctx.reply(ctx.t('coverage-usage'), replyToCommand(ctx))
        return
      }
      const rows: (string | number | null)[][] = [['visit', 'day', 'area', 'cadre', 'entity', 'kind', 'place', 'met_with', 'heard', 'goals', 'problem', 'ticket', 'ticket_status']]
      for (const r of await campaign.visits.exportRows(scope, period)) {
        const goals = (JSON.parse(r.goals) as VisitGoal[]).map(g => VISIT_GOAL_NAMES[g]).join('、')
        rows.push([r.visitId, r.visitedOn, areaName(r.areaId), r.cadreName, r.entityName, r.entityKind ? ENTITY_KIND_NAMES[r.entityKind as EntityKind] : null, r.place, r.metWith, r.heard, goals, r.problem, r.ticketNumber, r.ticketStatus ? TICKET_STATUS_NAMES[r.ticketStatus as TicketStatus] : null])
      }
      await ctx.replyWithDocument(new InputFile(toCsv(rows), `visits-${today()}.csv`), replyToCommand(ctx))
      return
    }
    if (what !== 'registry' && what !== '名册') {
      await ctx.reply(ctx.t('export-usage'), replyToCommand(ctx))
      return
    }
    const entities = await campaign.registry.list(scope, { limit: 200_000 })
    const rows: (string | boolean | null)[][] = [['key', 'kind', 'name', 'area', 'address', 'in_difficulty', 'difficulty_kind', 'size_class', 'above_designated_size']]
    for (const e of entities)
      rows.push([e.externalKey, ENTITY_KIND_NAMES[e.kind], e.name, areaName(e.areaId), e.address, e.inDifficulty, e.difficultyKind, e.sizeClass, e.aboveDesignatedSize])
    await ctx.replyWithDocument(new InputFile(toCsv(rows), `registry-${today()}.csv`), replyToCommand(ctx))
  })

  // An admin sends a registry CSV privately or in the admins' group: it is imported at once.
  feature.on('message:document', async (ctx, next) => {
    const document = ctx.msg.document
    if (!/\.csv$/i.test(document.file_name ?? '') && document.mime_type !== 'text/csv')
      return next()
    const binding = ctx.chat.type === 'private' ? null : await ctx.deps.chats.find(ctx.chat.id)
    if (!isAdmin(ctx) || (binding !== null && binding.kind !== 'admins') || (ctx.chat.type !== 'private' && !binding)) {
      if (ctx.chat.type === 'private')
        await ctx.reply(ctx.t('admin-only'), replyToCommand(ctx))
      return
    }
    if ((document.file_size ?? 0) > REGISTRY_FILE_MAX_BYTES) {
      await ctx.reply(ctx.t('registry-file-too-big'), replyToCommand(ctx))
      return
    }
    const file = await ctx.api.getFile(document.file_id)
    const bytes = await campaign.downloadFile(file.file_path ?? '')
    try {
      const parsed = parseRegistryCsv(bytes, campaign.areas())
      const outcome = await campaign.registry.importRows(parsed.rows)
      const lines = [ctx.t('registry-imported', { ...outcome, errors: parsed.errors.length, encoding: parsed.encoding })]
      if (parsed.ignoredColumns.length > 0)
        lines.push(ctx.t('registry-ignored-columns', { columns: parsed.ignoredColumns.join('、') }))
      for (const error of parsed.errors.slice(0, ERRORS_SHOWN)) lines.push(`第 ${error.line} 行：${error.reason}`)
      if (parsed.errors.length > ERRORS_SHOWN)
        lines.push(`……另有 ${parsed.errors.length - ERRORS_SHOWN} 行有误`)
      await ctx.reply(lines.join('\n').slice(0, 4000), replyToCommand(ctx))
    }
    catch (error) {
      if (!(error instanceof RegistryFileError))
        throw error
      await ctx.reply(ctx.t('registry-file-refused', { reason: error.message }), replyToCommand(ctx))
    }
  })

  // Privately, any plain text from a cadre is a visit note (residents' words there still go to /report).
  feature.chatType('private').on('message:text', async (ctx, next) => {
    if (ctx.msg.text.startsWith('/') || [...ctx.msg.text].length < PRIVATE_NOTE_MIN_LENGTH || ctx.msg.reply_to_message || ctx.conversation.active(REPORT_CONVERSATION) || ctx.conversation.active(VISIT_CONVERSATION))
      return next()
    const standing = await standingOf(ctx)
    if (standing?.role !== 'cadre')
      return next()
    await enterVisit(ctx, ctx.msg.text)
  })

  // Privately, a cadre's voice note starts a visit: kept as audio with it, and transcribed where that is offered.
  feature.chatType('private').on('message:voice', async (ctx, next) => {
    if (ctx.conversation.active(REPORT_CONVERSATION) || ctx.conversation.active(VISIT_CONVERSATION))
      return next()
    const standing = await standingOf(ctx)
    if (standing?.role !== 'cadre')
      return next()
    await enterVisit(ctx, ctx.msg.caption ?? '', ctx.msg.voice.file_id)
  })

  return feature
}
