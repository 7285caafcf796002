import type { Locale } from '#root/bot/helpers/names.js'
import type { ClassificationResult } from '#root/classify/classification.js'
import type { Catalog } from '#root/domain/catalog.js'
import type { Report } from '#root/domain/ticket.js'
import type { DuplicateOffer } from '#root/usecases/duplicates.js'
import { categoryName, departmentName } from '#root/bot/helpers/names.js'
import { fmt, FormattedString } from '@grammyjs/parse-mode'
import { InlineKeyboard } from 'grammy'

export const DESCRIPTION_MIN_LENGTH = 5
export const DESCRIPTION_MAX_LENGTH = 3000
export const LOCATION_MAX_LENGTH = 200
export const MAX_PHOTOS = 5
/** How much of a long description the summary repeats back; the ticket keeps all of it. */
const SUMMARY_DESCRIPTION_LENGTH = 1500

const SKIP_WORDS = new Set(['跳过', '无', '没有', '不用', 'skip', 'none', 'no', '-'])
const DONE_WORDS = new Set(['完成', '好了', 'done', 'ok'])

export const isSkipWord = (text: string) => SKIP_WORDS.has(text.trim().toLowerCase())
export const isDoneWord = (text: string) => DONE_WORDS.has(text.trim().toLowerCase())

/** What the resident has told so far, and which of their messages holds the description. */
export type ReportDraft = Pick<Report, 'description' | 'locationText' | 'latitude' | 'longitude' | 'photoFileIds' | 'contactAllowed' | 'contactPhone' | 'replyPrivately'> & {
  descriptionMessageId: number | null
}

export function emptyDraft(isGroup: boolean): ReportDraft {
  return {
    description: '',
    descriptionMessageId: null,
    locationText: null,
    latitude: null,
    longitude: null,
    photoFileIds: [],
    contactAllowed: false,
    contactPhone: null,
    replyPrivately: !isGroup,
  }
}

type Translate = (key: string, variables?: Record<string, string | number>) => string

/** A description that can be registered, or the key and variables of what is wrong with it. */
export function checkDescription(text: string): { ok: true, description: string } | { ok: false, key: string, variables: Record<string, string | number> } {
  const trimmed = text.trim()
  const length = [...trimmed].length
  if (length === 0)
    return { ok: false, key: 'report-need-text', variables: {} }
  if (length < DESCRIPTION_MIN_LENGTH)
    return { ok: false, key: 'report-too-short', variables: { min: DESCRIPTION_MIN_LENGTH } }
  if (length > DESCRIPTION_MAX_LENGTH)
    return { ok: false, key: 'report-too-long', variables: { length: String(length), max: String(DESCRIPTION_MAX_LENGTH) } }
  return { ok: true, description: trimmed }
}

/** The words after a command (`/report 路灯坏了`), which a resident may use to report in one message. */
export function commandArgument(text: string | undefined): string {
  return /^\/\S+\s+(\S[\s\S]*)$/.exec(text ?? '')?.[1]?.trim() ?? ''
}

/** Accepts mainland mobile and landline numbers and international numbers; returns them without separators. */
export function normalizePhone(input: string): string | null {
  const compact = input.normalize('NFKC').replace(/[\s\-()（）]/g, '')
  if (/^(\+?86)?1[3-9]\d{9}$/.test(compact))
    return compact.replace(/^\+?86/, '')
  if (/^0\d{9,11}$/.test(compact))
    return compact
  if (/^\+\d{8,15}$/.test(compact))
    return compact
  return null
}

export interface SummaryInput {
  draft: ReportDraft
  classification: ClassificationResult | null
  catalog: Catalog
  locale: Locale
  isGroup: boolean
  t: Translate
  button: (action: string) => string
  /** An open ticket this report looks like: shown with a "me too" button, so that joining it costs one tap. */
  duplicate?: DuplicateOffer | null
}

/** Where the report happened as the summary shows it: what the resident said, their pin, or what the text names. */
export function placeOf(draft: ReportDraft, classification: ClassificationResult | null): string | null {
  if (draft.locationText)
    return draft.locationText
  if (draft.latitude !== null && draft.longitude !== null)
    return `📍 ${draft.latitude.toFixed(5)}, ${draft.longitude.toFixed(5)}`
  return classification?.location ?? null
}

/**
 * The one message a resident checks before submitting: everything they told, how it was sorted, and one button for
 * each thing they may still change, so that the common path needs no further question.
 */
export function renderSummary({ draft, classification, catalog, locale, isGroup, t, button, duplicate }: SummaryInput): { text: FormattedString, keyboard: InlineKeyboard } {
  const description = [...draft.description].length > SUMMARY_DESCRIPTION_LENGTH
    ? `${[...draft.description].slice(0, SUMMARY_DESCRIPTION_LENGTH).join('')}…`
    : draft.description
  const place = placeOf(draft, classification)
  const contact = !draft.contactAllowed
    ? t('report-summary-contact-none')
    : draft.contactPhone
      ? t('report-summary-contact-phone', { phone: draft.contactPhone })
      : t('report-summary-contact-chat')
  const lines = [
    t('report-summary-photos', { count: draft.photoFileIds.length }),
    contact,
    ...(isGroup ? [t(draft.replyPrivately ? 'report-summary-reply-private' : 'report-summary-reply-here')] : []),
    t('report-summary-classification', {
      category: classification ? categoryName(catalog, classification.categoryId, locale) : t('category-unknown'),
      department: classification ? departmentName(catalog, classification.departmentId, locale) : t('department-unknown'),
    }),
    ...(classification
      ? [t('report-summary-type', { type: t(`request-type-${classification.requestType}`), urgency: t(`urgency-${classification.urgency}`) })]
      : []),
  ]
  const text = fmt`${FormattedString.bold(t('report-summary-title'))}
${FormattedString.bold(t('report-summary-description'))} ${description}
${FormattedString.bold(t('report-summary-location'))} ${place ?? t('report-summary-location-missing')}
${lines.join('\n')}
${duplicate ? duplicateLines(duplicate, catalog, locale, t) : ''}
${t(duplicate ? 'report-summary-confirm-or-join' : 'report-summary-confirm')}`

  const keyboard = new InlineKeyboard()
  if (duplicate)
    keyboard.text(t('btn-join', { number: duplicate.number }), button('join')).row()
  keyboard
    .text(t('btn-confirm'), button('confirm'))
    .row()
    .text(t(place ? 'btn-edit-location' : 'btn-add-location'), button('edit-location'))
    .text(t(draft.photoFileIds.length > 0 ? 'btn-edit-photos' : 'btn-add-photos'), button('edit-photos'))
    .row()
    .text(t(draft.contactAllowed ? 'btn-contact-no' : 'btn-contact-yes'), button('toggle-contact'))
  if (isGroup)
    keyboard.text(t(draft.replyPrivately ? 'btn-reply-here' : 'btn-reply-private'), button('toggle-reply'))
  keyboard.row()
    .text(t('btn-edit-description'), button('edit-description'))
    .text(t('btn-cancel'), button('cancel'))
  return { text, keyboard }
}

/**
 * The open ticket the report looks like, as any chat may see someone else's ticket (PUBLIC_SUMMARY): number, category,
 * status, how many reported it, its summary redacted. Never its reporter or their words.
 */
function duplicateLines(offer: DuplicateOffer, catalog: Catalog, locale: Locale, t: Translate): string {
  return `
${t('report-duplicate', {
  number: offer.number,
  category: categoryName(catalog, offer.categoryId, locale),
  status: t(`ticket-status-${offer.status}`),
  reporters: offer.reporters,
})}
${t('report-duplicate-summary', { summary: fitSummary(offer.summary) })}
`
}

// As short as lists show someone else's ticket: enough to recognise the problem, not a neighbour's whole account.
const DUPLICATE_SUMMARY_MAX = 60

function fitSummary(text: string): string {
  const chars = [...text]
  return chars.length > DUPLICATE_SUMMARY_MAX ? `${chars.slice(0, DUPLICATE_SUMMARY_MAX).join('')}…` : text
}
