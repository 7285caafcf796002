import type { BotContext } from '#root/bot/context.js'
import type { Locale } from '#root/bot/helpers/names.js'
import type { Catalog } from '#root/domain/catalog.js'
import type { CountOf, FollowUpCounts, MedianDuration, TicketStats } from '#root/store/stats-store.js'
import type { I18nFlavor } from '@grammyjs/i18n'
import { localeOf } from '#root/bot/helpers/locale.js'
import { isAdmin } from '#root/bot/helpers/roles.js'
import { formatTime } from '#root/bot/helpers/ticket-view.js'
import { durationParts, statsPeriods } from '#root/usecases/ticket-stats.js'
import { Composer } from 'grammy'

/** Telegram refuses longer texts. */
export const TELEGRAM_TEXT_LIMIT = 4096
/** Departments or categories listed per period before the rest is summed up as "…等 N 项". */
const LIST_LIMIT = 10

/**
 * `/stats`: today's and this month's tickets by status, department and category, with the median times to accept
 * and to resolve, routing accuracy, and how follow-ups ended (rated, unrated, reworked). For the admins' group and for admins in a private chat; figures about the whole city are not
 * for residents' groups, not even when an admin asks there.
 */
export function createStatsFeature() {
  const feature = new Composer<BotContext>()

  feature.command(['stats', 'tongji'], async (ctx) => {
    const replyTo = ctx.chat.type !== 'private' ? { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } } : {}
    const admin = isAdmin(ctx)
    if (ctx.chat.type === 'private') {
      if (!admin) {
        await ctx.reply(ctx.t('admin-only'))
        return
      }
    }
    else if ((await ctx.deps.chats.find(ctx.chat.id))?.kind !== 'admins') {
      await ctx.reply(ctx.t(admin ? 'stats-where' : 'admin-only'), replyTo)
      return
    }

    const { timezone } = ctx.deps.config
    const now = new Date()
    const periods = statsPeriods(now, timezone)
    const [today, month] = await Promise.all([
      ctx.deps.stats.ticketStats(periods.today),
      ctx.deps.stats.ticketStats(periods.month),
    ])
    const locale = await localeOf(ctx)
    const text = statsText({ today, month }, {
      t: ctx.t.bind(ctx),
      catalog: ctx.deps.catalog(),
      timezone,
      locale,
      now,
    })
    await ctx.reply(text, replyTo)
  })

  return feature
}

export interface StatsTextOptions {
  t: I18nFlavor['t']
  catalog: Catalog
  timezone: string
  locale: Locale
  now: Date
}

/**
 * The `/stats` message. Lists are cut shorter and shorter until the text fits in one Telegram message: a catalog
 * with many categories must not make the command fail.
 */
export function statsText(stats: { today: TicketStats, month: TicketStats }, options: StatsTextOptions): string {
  let text = ''
  for (let limit = LIST_LIMIT; limit >= 1; limit--) {
    text = render(stats, options, limit)
    if (text.length <= TELEGRAM_TEXT_LIMIT)
      return text
  }
  // Only absurdly long names get here; a cut message still beats no answer.
  return `${text.slice(0, TELEGRAM_TEXT_LIMIT - 1)}…`
}

function render(stats: { today: TicketStats, month: TicketStats }, options: StatsTextOptions, limit: number): string {
  const { t, timezone, locale, now } = options
  const intl = locale === 'en' ? 'en-GB' : 'zh-CN'
  const date = new Intl.DateTimeFormat(intl, { timeZone: timezone, month: 'long', day: 'numeric' }).format(now)
  const month = new Intl.DateTimeFormat(intl, { timeZone: timezone, year: 'numeric', month: 'long' }).format(now)
  return [
    t('stats-title', { time: formatTime(now, timezone, locale), timezone }),
    '',
    t('stats-today', { date }),
    ...period(stats.today, options, limit),
    '',
    t('stats-month', { month }),
    ...period(stats.month, options, limit),
    '',
    t('stats-note'),
  ].join('\n')
}

function period(stats: TicketStats, options: StatsTextOptions, limit: number): string[] {
  const { t, catalog, locale } = options
  if (stats.total === 0)
    return [t('stats-none')]
  const departmentName = (id: string | null) => {
    if (id === null)
      return t('stats-no-department')
    const department = catalog.departments.find(d => d.id === id)
    // A department since removed from the catalog still has its tickets: show its id rather than hide them.
    return department ? (locale === 'en' ? department.nameEn : department.nameZh) : id
  }
  const categoryName = (id: string | null) => {
    if (id === null)
      return t('stats-no-category')
    const category = catalog.categories.find(c => c.id === id)
    return category ? (locale === 'en' ? category.nameEn : category.nameZh) : id
  }
  return [
    t('stats-total', { count: stats.total }),
    t('stats-by-status'),
    ...list(stats.byStatus, status => t(`ticket-status-${status}`), t, limit),
    t('stats-by-department'),
    ...list(stats.byDepartment, departmentName, t, limit),
    t('stats-by-category'),
    ...list(stats.byCategory, categoryName, t, limit),
    medianLine(stats.toAccept, 'stats-to-accept', t),
    medianLine(stats.toResolve, 'stats-to-resolve', t),
    stats.routing.automatic === 0
      ? t('stats-routing-none')
      : t('stats-routing', { automatic: stats.routing.automatic, stood: stats.routing.stood, percent: Math.round(100 * stats.routing.stood / stats.routing.automatic) }),
    ...followUpLines(stats.followUp, t),
  ]
}

/** 回访 and 重办: the satisfaction rate over rated tickets, the unrated ones apart, the rework rate over resolved ones. */
function followUpLines(figures: FollowUpCounts, t: I18nFlavor['t']): string[] {
  const percent = (part: number, whole: number) => Math.round(100 * part / whole)
  return [
    figures.rated + figures.unrated === 0
      ? t('stats-follow-up-none')
      : t('stats-follow-up', { rated: figures.rated, satisfied: figures.satisfied, percent: figures.rated === 0 ? 0 : percent(figures.satisfied, figures.rated), unrated: figures.unrated }),
    figures.resolved === 0
      ? t('stats-rework-none')
      : t('stats-rework', { reworked: figures.reworked, resolved: figures.resolved, percent: percent(figures.reworked, figures.resolved) }),
  ]
}

function list<K>(counts: CountOf<K>[], name: (key: K) => string, t: I18nFlavor['t'], limit: number): string[] {
  const shown = counts.length > limit ? counts.slice(0, limit) : counts
  const lines = shown.map(c => t('stats-item', { name: name(c.key), count: c.count }))
  if (counts.length > shown.length)
    lines.push(t('stats-more', { count: counts.length - shown.length }))
  return lines
}

function medianLine(figure: MedianDuration, key: 'stats-to-accept' | 'stats-to-resolve', t: I18nFlavor['t']): string {
  if (figure.medianMs === null)
    return t(`${key}-none`)
  return t(key, { duration: formatDuration(figure.medianMs, t), count: figure.count })
}

/** "3 小时 12 分", "2 天 4 小时"; "3 h 12 min", "2 d 4 h" in English. */
export function formatDuration(ms: number, t: I18nFlavor['t']): string {
  const parts = durationParts(ms)
  switch (parts.unit) {
    case 'days':
      return parts.hours === 0
        ? t('stats-duration-days', { days: parts.days })
        : t('stats-duration-days-hours', { days: parts.days, hours: parts.hours })
    case 'hours':
      return parts.minutes === 0
        ? t('stats-duration-hours', { hours: parts.hours })
        : t('stats-duration-hours-minutes', { hours: parts.hours, minutes: parts.minutes })
    case 'minutes':
      return t('stats-duration-minutes', { minutes: parts.minutes })
    case 'under-a-minute':
      return t('stats-duration-under-a-minute')
  }
}
