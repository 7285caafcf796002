import type { Context } from 'grammy'
import { fileURLToPath } from 'node:url'
import { I18n } from '@grammyjs/i18n'

export const DEFAULT_LOCALE = 'zh'

/** Chinese first; English for people whose Telegram speaks English. */
export function pickLocale(languageCode: string | undefined | null): 'zh' | 'en' {
  return languageCode?.toLowerCase().startsWith('en') ? 'en' : 'zh'
}

export function createI18n<C extends Context>() {
  return new I18n<C>({
    defaultLocale: DEFAULT_LOCALE,
    directory: fileURLToPath(new URL('./locales', import.meta.url)),
    useSession: false,
    // Telegram shows the invisible bidi isolation marks Fluent adds around placeables as stray characters.
    fluentBundleOptions: { useIsolating: false },
    localeNegotiator: ctx => pickLocale(ctx.from?.language_code),
  })
}
