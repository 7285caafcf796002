import { randomUUID } from 'node:crypto'
import type { Conversation } from '@grammyjs/conversations'
import { FormattedString, fmt, mentionUser } from '@grammyjs/parse-mode'
import { InlineKeyboard, Keyboard } from 'grammy'
import type { Message } from 'grammy/types'
import type { ClassificationResult } from '#root/classify/classification.js'
import type { BotContext, BotDependencies, ConversationContext } from '#root/bot/context.js'
import { categoryName, departmentName, displayName } from '#root/bot/helpers/names.js'
import { reportCallback, parseReportCallback } from '#root/bot/helpers/report-callback.js'
import type { ChatType, Report } from '#root/domain/ticket.js'
import type { SubmitOutcome } from '#root/usecases/submit-report.js'

export const REPORT_CONVERSATION = 'report'

export const DESCRIPTION_MIN_LENGTH = 5
export const DESCRIPTION_MAX_LENGTH = 3000
export const LOCATION_MAX_LENGTH = 200
export const MAX_PHOTOS = 5
/** A report left unfinished for a day is dropped; its state would otherwise wait in storage forever. */
export const REPORT_IDLE_LIMIT_MS = 24 * 60 * 60 * 1000

/** What the resident has told so far, and which of their messages holds the description. */
type Draft = Pick<Report, 'description' | 'locationText' | 'latitude' | 'longitude' | 'photoFileIds' | 'contactAllowed' | 'contactPhone' | 'replyPrivately'> & {
  descriptionMessageId: number | null
}

/** One answer from the resident, whatever form it came in. */
type Answer =
  | { kind: 'text', text: string, messageId: number }
  | { kind: 'photo', fileId: string, caption: string, messageId: number }
  | { kind: 'location', latitude: number, longitude: number, title: string | null }
  | { kind: 'contact', phone: string }
  | { kind: 'button', action: string }
  | { kind: 'unusable' }

const SKIP_WORDS = new Set(['跳过', '无', '没有', '不用', 'skip', 'none', 'no', '-'])
const DONE_WORDS = new Set(['完成', '好了', 'done', 'ok'])

/**
 * The guided report: what happened, where, photos, contact, then a summary to confirm, edit or cancel.
 *
 * The conversation is replayed from the top on every update, so it only asks and waits: classification, storage
 * and ids all go through `conversation.external()`. In groups it asks with force_reply aimed at the reporter and
 * accepts only replies to the bot, so it works with privacy mode on and never mixes two residents' answers
 * (conversations are keyed by chat and user).
 */
export function createReportConversation(deps: BotDependencies) {
  return async function report(conversation: Conversation<BotContext, ConversationContext>, ctx: ConversationContext) {
    const chat = ctx.chat
    const user = ctx.from
    if (!chat || !user)
      return
    const isGroup = chat.type !== 'private'
    const botId = ctx.me.id
    const t = ctx.t.bind(ctx)
    const nonce = (await conversation.random()).toString(36).slice(2, 8)
    const button = (action: string) => reportCallback({ userId: user.id, nonce, action })
    const binding = await conversation.external(() => deps.chats.find(chat.id))
    let lastBotMessageId: number | null = null
    /** The bot's messages in this report: a reply to one of them is an answer; a reply to any other bot message is not. */
    const ownMessageIds = new Set<number>()

    const draft: Draft = {
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

    /** Sends a question; in a group it addresses the reporter by mention and opens their reply field. */
    async function ask(text: string, markup?: { inline?: InlineKeyboard, keyboard?: Keyboard, forceReply?: boolean }): Promise<Message> {
      const body = isGroup ? fmt`${mentionUser(displayName(user!), user!.id)} ${text}` : new FormattedString(text)
      let reply_markup: Parameters<ConversationContext['reply']>[1] extends infer O ? O extends { reply_markup?: infer R } ? R : never : never
      if (markup?.inline)
        reply_markup = markup.inline
      else if (markup?.keyboard)
        reply_markup = markup.keyboard
      else if (markup?.forceReply || isGroup)
        reply_markup = { force_reply: true, selective: true }
      else
        reply_markup = { remove_keyboard: true }
      const sent = await ctx.reply(body.text, {
        entities: body.entities,
        reply_markup,
        ...(isGroup && lastUserMessageId ? { reply_parameters: { message_id: lastUserMessageId, allow_sending_without_reply: true } } : {}),
      })
      lastBotMessageId = sent.message_id
      ownMessageIds.add(sent.message_id)
      return sent
    }

    async function say(text: string, extra: Parameters<ConversationContext['reply']>[1] = {}): Promise<void> {
      ownMessageIds.add((await ctx.reply(text, extra)).message_id)
    }

    // Entered by a button, the message at hand is the bot's own: there is nothing of the resident's to reply to yet.
    let lastUserMessageId: number | null = ctx.callbackQuery ? null : ctx.msg?.message_id ?? null

    /** Waits for the next answer that belongs to this report, passing everything else on to the rest of the bot. */
    async function nextAnswer(): Promise<Answer> {
      for (;;) {
        const update = await conversation.wait({ maxMilliseconds: REPORT_IDLE_LIMIT_MS })
        const query = update.callbackQuery
        if (query) {
          const parsed = parseReportCallback(query.data)
          if (!parsed)
            await conversation.skip({ next: true })
          if (parsed!.userId !== user!.id) {
            await update.answerCallbackQuery({ text: t('report-button-not-yours'), show_alert: true })
            continue
          }
          if (parsed!.nonce !== nonce) {
            await update.answerCallbackQuery({ text: t('report-button-stale'), show_alert: true })
            continue
          }
          // A button of an earlier step of this same report: only the current step's buttons count.
          if (query.message && lastBotMessageId !== null && query.message.message_id < lastBotMessageId && parsed!.action !== 'confirm') {
            await update.answerCallbackQuery({ text: t('report-button-stale') })
            continue
          }
          await update.answerCallbackQuery()
          return { kind: 'button', action: parsed!.action }
        }
        const message = update.message
        if (!message)
          await conversation.skip({ next: true })
        if (message!.text?.startsWith('/'))
          await conversation.skip({ next: true })
        // With privacy mode off the bot sees all group chatter: in a group only replies to this report's questions are
        // answers. Anywhere, a reply to another bot message (a department's question, a prompt) is for someone else.
        const repliedTo = message!.reply_to_message
        const answersUs = repliedTo?.from?.id === botId && ownMessageIds.has(repliedTo.message_id)
        if (isGroup ? !answersUs : (repliedTo?.from?.id === botId && !answersUs))
          await conversation.skip({ next: true })
        lastUserMessageId = message!.message_id
        return toAnswer(message!)
      }
    }

    async function askDescription(): Promise<void> {
      await ask(t(isGroup ? 'report-ask-description-group' : 'report-ask-description'))
      for (;;) {
        const answer = await nextAnswer()
        if (answer.kind === 'photo') {
          if (draft.photoFileIds.length < MAX_PHOTOS)
            draft.photoFileIds.push(answer.fileId)
          // A caption is the description; a bare photo is kept and the words are asked for.
          const problem = answer.caption ? describeProblem(answer.caption, answer.messageId) : t('report-photo-kept')
          if (!problem)
            return
          await ask(problem)
          continue
        }
        if (answer.kind !== 'text') {
          await ask(t('report-need-text'))
          continue
        }
        const problem = describeProblem(answer.text, answer.messageId)
        if (!problem)
          return
        await ask(problem)
      }
    }

    /** Takes a description, or returns what is wrong with it. */
    function describeProblem(text: string, messageId: number): string | null {
      const trimmed = text.trim()
      const length = [...trimmed].length
      if (length < DESCRIPTION_MIN_LENGTH)
        return t(length === 0 ? 'report-need-text' : 'report-too-short', { min: DESCRIPTION_MIN_LENGTH })
      if (length > DESCRIPTION_MAX_LENGTH)
        return t('report-too-long', { length: String(length), max: String(DESCRIPTION_MAX_LENGTH) })
      draft.description = trimmed
      draft.descriptionMessageId = messageId
      return null
    }

    async function askLocation(): Promise<void> {
      if (isGroup) {
        await ask(t('report-ask-location-group'))
      }
      else {
        const keyboard = new Keyboard().requestLocation(t('btn-send-location')).row().text(t('btn-skip')).resized().oneTime()
        await ask(t('report-ask-location-private'), { keyboard })
      }
      for (;;) {
        const answer = await nextAnswer()
        if (answer.kind === 'location') {
          draft.latitude = answer.latitude
          draft.longitude = answer.longitude
          draft.locationText = answer.title ?? draft.locationText
          if (!isGroup)
            await say(t('report-location-received'), { reply_markup: { remove_keyboard: true } })
          return
        }
        if (answer.kind === 'text') {
          const text = answer.text.trim()
          if (SKIP_WORDS.has(text.toLowerCase())) {
            draft.locationText = null
            draft.latitude = null
            draft.longitude = null
            if (!isGroup)
              await say('👌', { reply_markup: { remove_keyboard: true } })
            return
          }
          if ([...text].length > LOCATION_MAX_LENGTH) {
            await ask(t('report-too-long', { length: String([...text].length), max: String(LOCATION_MAX_LENGTH) }))
            continue
          }
          draft.locationText = text
          draft.latitude = null
          draft.longitude = null
          if (!isGroup)
            await say(t('report-location-received'), { reply_markup: { remove_keyboard: true } })
          return
        }
        await ask(t(isGroup ? 'report-ask-location-group' : 'report-ask-location'))
      }
    }

    async function askPhotos(): Promise<void> {
      const skip = new InlineKeyboard().text(t('btn-skip'), button('skip'))
      const done = new InlineKeyboard().text(t('btn-done'), button('done'))
      const prompt = t(isGroup ? 'report-ask-photo-group' : 'report-ask-photo', { max: MAX_PHOTOS })
      await ask(prompt, { inline: draft.photoFileIds.length > 0 ? done : skip })
      for (;;) {
        const answer = await nextAnswer()
        if (answer.kind === 'button' && (answer.action === 'skip' || answer.action === 'done'))
          return
        if (answer.kind === 'text' && (SKIP_WORDS.has(answer.text.trim().toLowerCase()) || DONE_WORDS.has(answer.text.trim().toLowerCase())))
          return
        if (answer.kind === 'photo') {
          if (draft.photoFileIds.length >= MAX_PHOTOS) {
            await ask(t('report-photo-limit', { max: MAX_PHOTOS }), { inline: done })
            continue
          }
          draft.photoFileIds.push(answer.fileId)
          if (draft.photoFileIds.length >= MAX_PHOTOS)
            return
          await ask(t('report-photo-received', { count: draft.photoFileIds.length }), { inline: done })
          continue
        }
        await ask(t('report-need-photo'), { inline: draft.photoFileIds.length > 0 ? done : skip })
      }
    }

    async function askContact(): Promise<void> {
      const choice = new InlineKeyboard()
        .text(t('btn-contact-yes'), button('contact-yes'))
        .text(t('btn-contact-no'), button('contact-no'))
      await ask(t('report-ask-contact'), { inline: choice })
      for (;;) {
        const answer = await nextAnswer()
        if (answer.kind === 'button' && answer.action === 'contact-no') {
          draft.contactAllowed = false
          draft.contactPhone = null
          break
        }
        if (answer.kind === 'button' && answer.action === 'contact-yes') {
          draft.contactAllowed = true
          // A phone number is asked for in private chats only: a group would show it to everyone.
          if (!isGroup)
            await askPhone()
          break
        }
        await ask(t('report-ask-contact'), { inline: choice })
      }
      if (isGroup)
        await askReplyChannel()
    }

    async function askPhone(): Promise<void> {
      const keyboard = new Keyboard().requestContact(t('btn-share-phone')).row().text(t('btn-skip')).resized().oneTime()
      await ask(t('report-ask-phone'), { keyboard })
      for (;;) {
        const answer = await nextAnswer()
        const raw = answer.kind === 'contact' ? answer.phone : answer.kind === 'text' ? answer.text : null
        if (answer.kind === 'text' && SKIP_WORDS.has(answer.text.trim().toLowerCase())) {
          draft.contactPhone = null
          break
        }
        const phone = raw === null ? null : normalizePhone(raw)
        if (phone) {
          draft.contactPhone = phone
          break
        }
        await ask(t('report-phone-invalid'), { keyboard })
      }
      await say('👌', { reply_markup: { remove_keyboard: true } })
    }

    async function askReplyChannel(): Promise<void> {
      const choice = new InlineKeyboard()
        .text(t('btn-reply-here'), button('reply-here'))
        .text(t('btn-reply-private'), button('reply-private'))
      await ask(t('report-ask-reply-channel'), { inline: choice })
      for (;;) {
        const answer = await nextAnswer()
        if (answer.kind === 'button' && answer.action === 'reply-here') {
          draft.replyPrivately = false
          return
        }
        if (answer.kind === 'button' && answer.action === 'reply-private') {
          draft.replyPrivately = true
          const resident = await conversation.external(async () => {
            const found = await deps.residents.find(user!.id)
            return { startedPrivately: Boolean(found?.privateChatSince) }
          })
          if (!resident.startedPrivately && ctx.me.username) {
            await say(t('report-private-not-started'), {
              reply_markup: new InlineKeyboard().url(t('btn-open-private'), `https://t.me/${ctx.me.username}?start=hello`),
            })
          }
          return
        }
        await ask(t('report-ask-reply-channel'), { inline: choice })
      }
    }

    async function classify(): Promise<ClassificationResult | null> {
      await ctx.replyWithChatAction('typing').catch(() => undefined)
      return conversation.external(async () => {
        try {
          return await deps.classifier.classify({ text: draft.description, locationText: draft.locationText })
        }
        catch (error) {
          deps.logger.error({ err: error }, 'classification failed; the ticket will wait in triage')
          return null
        }
      })
    }

    async function showSummary(classification: ClassificationResult | null): Promise<Message> {
      const catalog = deps.catalog()
      const locale = (await ctx.i18n.getLocale()) === 'en' ? 'en' : 'zh'
      const shownDescription = draft.description.length > 1500 ? `${draft.description.slice(0, 1500)}…` : draft.description
      const place = draft.locationText
        ?? (draft.latitude !== null ? `📍 ${draft.latitude.toFixed(5)}, ${draft.longitude!.toFixed(5)}` : t('report-none'))
      const contact = !draft.contactAllowed
        ? t('report-summary-contact-none')
        : draft.contactPhone
          ? t('report-summary-contact-phone', { phone: draft.contactPhone })
          : t('report-summary-contact-chat')
      const lines = [
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
      const summary = fmt`${FormattedString.bold(t('report-summary-title'))}
${FormattedString.bold(t('report-summary-description'))} ${shownDescription}
${FormattedString.bold(t('report-summary-location'))} ${place}
${t('report-summary-photos', { count: draft.photoFileIds.length })}
${lines.join('\n')}

${t('report-summary-confirm')}`
      const keyboard = new InlineKeyboard()
        .text(t('btn-confirm'), button('confirm')).row()
        .text(t('btn-edit-description'), button('edit-description'))
        .text(t('btn-edit-location'), button('edit-location')).row()
        .text(t('btn-edit-photos'), button('edit-photos'))
        .text(t('btn-edit-contact'), button('edit-contact')).row()
        .text(t('btn-cancel'), button('cancel'))
      const sent = await ctx.reply(summary.text, {
        entities: summary.entities,
        reply_markup: keyboard,
        ...(isGroup && lastUserMessageId ? { reply_parameters: { message_id: lastUserMessageId, allow_sending_without_reply: true } } : {}),
      })
      lastBotMessageId = sent.message_id
      ownMessageIds.add(sent.message_id)
      return sent
    }

    async function closeSummary(summary: Message): Promise<void> {
      await ctx.api.editMessageReplyMarkup(summary.chat.id, summary.message_id).catch(() => undefined)
    }

    // The steps, then the summary loop: edit any field, confirm or cancel.
    await askDescription()
    await askLocation()
    await askPhotos()
    await askContact()

    let classification = await classify()
    for (;;) {
      const summary = await showSummary(classification)
      const answer = await nextAnswer()
      if (answer.kind !== 'button')
        continue
      switch (answer.action) {
        case 'confirm': {
          await closeSummary(summary)
          const intakeKey = await conversation.external(() => randomUUID())
          const reportData: Report = {
            reporterId: user.id,
            reporterName: displayName(user),
            reporterLanguage: user.language_code ?? 'zh',
            sourceChatId: chat.id,
            sourceChatType: chat.type as ChatType,
            sourceMessageId: draft.descriptionMessageId,
            areaName: binding?.kind === 'residents' ? binding.areaName : null,
            description: draft.description,
            locationText: draft.locationText,
            latitude: draft.latitude,
            longitude: draft.longitude,
            photoFileIds: draft.photoFileIds,
            contactAllowed: draft.contactAllowed,
            contactPhone: draft.contactAllowed ? draft.contactPhone : null,
            replyPrivately: draft.replyPrivately,
          }
          const outcome: SubmitOutcome = await conversation.external(() =>
            deps.submitReport({ intakeKey, report: reportData, classification }))
          await announceOutcome(outcome)
          return
        }
        case 'cancel':
          await closeSummary(summary)
          await say(t('report-cancelled'), replyToUser())
          return
        case 'edit-description':
        case 'edit-location': {
          await closeSummary(summary)
          const before = `${draft.description}\n${draft.locationText ?? ''}`
          if (answer.action === 'edit-description')
            await askDescription()
          else
            await askLocation()
          if (`${draft.description}\n${draft.locationText ?? ''}` !== before)
            classification = await classify()
          break
        }
        case 'edit-photos':
          await closeSummary(summary)
          draft.photoFileIds = []
          await askPhotos()
          break
        case 'edit-contact':
          await closeSummary(summary)
          await askContact()
          break
        default:
          break
      }
    }

    function replyToUser() {
      const target = draft.descriptionMessageId ?? lastUserMessageId
      return isGroup && target ? { reply_parameters: { message_id: target, allow_sending_without_reply: true } } : {}
    }

    async function announceOutcome(outcome: SubmitOutcome): Promise<void> {
      if (outcome.kind === 'queued') {
        await say(t('report-queued'), replyToUser())
        return
      }
      const { ticket } = outcome
      const locale = (await ctx.i18n.getLocale()) === 'en' ? 'en' : 'zh'
      const key = ticket.status === 'needs_triage' ? 'report-saved-triage' : 'report-saved'
      await say(t(key, { number: ticket.number, department: departmentName(deps.catalog(), ticket.departmentId, locale) }), replyToUser())
    }
  }
}

function toAnswer(message: Message): Answer {
  if (message.photo?.length) {
    const largest = message.photo[message.photo.length - 1]!
    return { kind: 'photo', fileId: largest.file_id, caption: message.caption ?? '', messageId: message.message_id }
  }
  if (message.document?.mime_type?.startsWith('image/'))
    return { kind: 'photo', fileId: message.document.file_id, caption: message.caption ?? '', messageId: message.message_id }
  if (message.venue)
    return { kind: 'location', latitude: message.venue.location.latitude, longitude: message.venue.location.longitude, title: `${message.venue.title} ${message.venue.address}`.trim() }
  if (message.location)
    return { kind: 'location', latitude: message.location.latitude, longitude: message.location.longitude, title: null }
  if (message.contact)
    return { kind: 'contact', phone: message.contact.phone_number }
  if (typeof message.text === 'string')
    return { kind: 'text', text: message.text, messageId: message.message_id }
  return { kind: 'unusable' }
}

/** Accepts mainland mobile and landline numbers and international numbers; returns them without separators. */
export function normalizePhone(input: string): string | null {
  const compact = input.normalize('NFKC').replace(/[\s\-()（）]/g, '')
  if (/^(\+?86)?1[3-9]\d{9}$/.test(compact))
    return compact.replace(/^\+?86/, '')
  if (/^0\d{2,3}\d{7,8}$/.test(compact))
    return compact
  if (/^\+\d{8,15}$/.test(compact))
    return compact
  return null
}
