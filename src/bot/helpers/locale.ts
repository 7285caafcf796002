import type { Locale } from '#root/bot/helpers/names.js'
import type { I18nFlavor } from '@grammyjs/i18n'

/** The language the bot speaks to this person: English for English-speaking clients, Chinese otherwise. */
export async function localeOf(ctx: I18nFlavor): Promise<Locale> {
  return (await ctx.i18n.getLocale()) === 'en' ? 'en' : 'zh'
}
