import type { BotContext } from '#root/bot/context.js'
import type { GlyphFont } from '#root/monthly/cjk-font.js'
import type { ModelCaseStore } from '#root/store/model-case-store.js'
import type { MonthlyReportDependencies } from '#root/usecases/monthly-report.js'
import { localeOf } from '#root/bot/helpers/locale.js'
import { displayName } from '#root/bot/helpers/names.js'
import { isAdmin } from '#root/bot/helpers/roles.js'
import { replyToCommand } from '#root/bot/helpers/view-place.js'
import { DomainError } from '#root/domain/errors.js'
import { fitText, MESSAGE_LIMIT } from '#root/domain/message-length.js'
import { MODEL_CASE_REASON_MAX } from '#root/domain/model-case.js'
import { chooseMonth, monthOfDay } from '#root/domain/monthly-report.js'
import { localDay } from '#root/domain/working-calendar.js'
import { renderReportChart } from '#root/monthly/report-chart.js'
import { monthlyReportCsv } from '#root/monthly/report-csv.js'
import { monthLabel, monthlyReportText } from '#root/monthly/report-text.js'
import { modelCaseLine, monthlyBulletin, monthRange } from '#root/usecases/monthly-report.js'
import { Composer, InputFile } from 'grammy'

/** What `/monthly` and `/model` need; the composition root builds it. */
export interface MonthlyDependencies {
  report: MonthlyReportDependencies
  modelCases: ModelCaseStore
  /** The font the chart is drawn with, loaded on first use. */
  font: () => Promise<GlyphFont>
}

const TICKET_NUMBER = /^HY-\d{8}-\d{4,}$/i
const MODEL_CASES_LISTED = 30

/** Supervisors' business: the admins' group (督办群), or an admin in a private chat. */
async function inSupervisorsPlace(ctx: BotContext): Promise<boolean> {
  if (!ctx.chat)
    return false
  if (ctx.chat.type === 'private')
    return isAdmin(ctx)
  return (await ctx.deps.chats.find(ctx.chat.id))?.kind === 'admins'
}

/**
 * `/monthly [YYYY-MM]`: the month's report (月度通报) as a message, a CSV and a chart, by default for the last complete
 * month. `/model`: marks a resolved ticket or a visit as a model case (典型案例), or lists this month's. Both in the
 * admins' group and privately for admins. Three messages per `/monthly` stay well inside a group's 20 a minute.
 */
export function createMonthlyFeature(deps: MonthlyDependencies) {
  const feature = new Composer<BotContext>()
  const now = (ctx: BotContext) => (ctx.deps.now ?? (() => new Date()))()

  feature.command(['monthly', 'yuebao'], async (ctx) => {
    const replyTo = replyToCommand(ctx)
    if (!await inSupervisorsPlace(ctx)) {
      await ctx.reply(ctx.t('monthly-not-here'), replyTo)
      return
    }
    const { timezone } = ctx.deps.config
    const today = localDay(now(ctx), timezone)
    const chosen = chooseMonth(ctx.match, today)
    const locale = await localeOf(ctx)
    if (!chosen.ok) {
      await ctx.reply(chosen.reason === 'format'
        ? ctx.t('monthly-bad-month')
        : ctx.t('monthly-future-month', { month: monthLabel(ctx.match.trim(), locale) }), replyTo)
      return
    }
    const { month } = chosen
    await ctx.replyWithChatAction('upload_document').catch(() => undefined)
    const bulletin = await monthlyBulletin(deps.report, month)
    const text = monthlyReportText(bulletin, { t: ctx.t.bind(ctx), locale, partial: month === monthOfDay(today) })
    await ctx.reply(text, replyTo)
    await ctx.replyWithDocument(new InputFile(monthlyReportCsv(bulletin, timezone), `monthly-${month}.csv`), replyTo)
    let chart: Buffer
    try {
      chart = await renderReportChart(bulletin.report, await deps.font())
    }
    catch (error) {
      // The message and the CSV hold every figure; a chart that cannot be drawn (font package missing) is no reason to fail.
      ctx.logger.error({ err: error }, 'the monthly chart could not be drawn')
      return
    }
    await ctx.replyWithPhoto(new InputFile(chart, `monthly-${month}.png`), { caption: ctx.t('monthly-chart-caption', { month: monthLabel(month, locale) }), ...replyTo })
  })

  feature.command(['model', 'dianxing'], async (ctx) => {
    const replyTo = replyToCommand(ctx)
    if (!await inSupervisorsPlace(ctx)) {
      await ctx.reply(ctx.t('model-not-here'), replyTo)
      return
    }
    const locale = await localeOf(ctx)
    const { timezone } = ctx.deps.config
    const at = now(ctx)
    const month = monthOfDay(localDay(at, timezone))
    const args = ctx.match.trim()
    if (args === '') {
      const cases = await deps.modelCases.listMarked(monthRange(month, timezone))
      if (cases.length === 0) {
        await ctx.reply(`${ctx.t('model-list-none', { month: monthLabel(month, locale) })}\n\n${ctx.t('model-usage')}`, replyTo)
        return
      }
      // The admins' group reads the redacted text, as every ticket view there does; the bulletin is the same.
      const lines = cases.slice(0, MODEL_CASES_LISTED).map((c) => {
        const line = modelCaseLine(deps.report, c)
        return ctx.t(line.kind === 'ticket' ? 'monthly-model-case-ticket' : 'monthly-model-case-visit', {
          reference: line.reference,
          unit: locale === 'en' ? line.unitEn : line.unitZh,
          summary: fitText(line.summary, 60),
          reason: fitText(line.reason, 80),
          day: line.visitedOn ?? '',
        })
      })
      if (cases.length > MODEL_CASES_LISTED)
        lines.push(ctx.t('monthly-more', { count: cases.length - MODEL_CASES_LISTED }))
      await ctx.reply(fitText([ctx.t('model-list-title', { month: monthLabel(month, locale), count: cases.length }), ...lines].join('\n'), MESSAGE_LIMIT), replyTo)
      return
    }

    const parsed = parseModelArgs(args)
    if (!parsed) {
      await ctx.reply(ctx.t('model-usage'), replyTo)
      return
    }
    if (parsed.reason.length > MODEL_CASE_REASON_MAX) {
      await ctx.reply(ctx.t('model-reason-too-long', { max: MODEL_CASE_REASON_MAX }), replyTo)
      return
    }
    const actor = { id: ctx.from!.id, role: 'admin' as const, name: displayName(ctx.from!) }
    const mark = { reason: parsed.reason, actor, at }
    const monthName = monthLabel(month, locale)
    let subjectId: number
    if (parsed.kind === 'ticket') {
      const ticket = await ctx.deps.tickets.findByNumber(parsed.number)
      if (!ticket) {
        await ctx.reply(ctx.t('model-ticket-not-found', { number: parsed.number }), replyTo)
        return
      }
      subjectId = ticket.id
    }
    else {
      subjectId = parsed.visitId
    }
    try {
      if (parsed.kind === 'ticket') {
        await deps.modelCases.markTicket(subjectId, mark)
        await ctx.reply(ctx.t('model-marked-ticket', { number: parsed.number, month: monthName }), replyTo)
      }
      else {
        await deps.modelCases.markVisit(subjectId, mark)
        await ctx.reply(ctx.t('model-marked-visit', { id: subjectId, month: monthName }), replyTo)
      }
    }
    catch (error) {
      if (!(error instanceof DomainError))
        throw error
      const existing = error.code === 'ALREADY_DONE' ? await deps.modelCases.find(parsed.kind, subjectId) : null
      const message = existing
        ? ctx.t('model-already', { by: existing.markedName, reason: existing.reason })
        : error.code === 'INVALID_TRANSITION'
          ? ctx.t('model-ticket-not-resolved', { number: parsed.kind === 'ticket' ? parsed.number : '', status: ctx.t(`ticket-status-${String(error.details.status)}`) })
          : parsed.kind === 'ticket'
            ? ctx.t('model-ticket-not-found', { number: parsed.number })
            : ctx.t('model-visit-not-found', { id: subjectId })
      await ctx.reply(message, replyTo)
    }
  })

  return feature
}

export type ModelArgs
  = | { kind: 'ticket', number: string, reason: string }
    | { kind: 'visit', visitId: number, reason: string }

/** `HY-20261101-0001 理由…` or `visit 123 理由…` (also `走访 123`, `#123`); null without a subject and a reason. */
export function parseModelArgs(text: string): ModelArgs | null {
  const visit = /^(?:visit|走访)\s*#?(\d+)\s+(\S[\s\S]*)$/i.exec(text.trim())
  if (visit)
    return { kind: 'visit', visitId: Number(visit[1]), reason: oneLine(visit[2]!) }
  const [first, ...rest] = text.trim().split(/\s+/)
  const reason = oneLine(rest.join(' '))
  if (first && TICKET_NUMBER.test(first) && reason !== '')
    return { kind: 'ticket', number: first.toUpperCase(), reason }
  return null
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}
