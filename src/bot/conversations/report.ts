import type { BotContext, BotDependencies, ConversationContext } from '#root/bot/context.js'
import type { Dialog } from '#root/bot/conversations/dialog.js'
import type { ReportDraft } from '#root/bot/conversations/report-draft.js'
import type { ClassificationResult } from '#root/classify/classification.js'
import type { ChatType, Report } from '#root/domain/ticket.js'
import type { DuplicateOffer, JoinResult } from '#root/usecases/duplicates.js'
import type { SubmitOutcome } from '#root/usecases/submit-report.js'
import type { Conversation } from '@grammyjs/conversations'
import type { Message } from 'grammy/types'
import { createDialog } from '#root/bot/conversations/dialog.js'
import {
  checkDescription,
  commandArgument,
  emptyDraft,
  isDoneWord,
  isSkipWord,
  LOCATION_MAX_LENGTH,
  MAX_PHOTOS,
  normalizePhone,
  renderSummary,
} from '#root/bot/conversations/report-draft.js'
import { localeOf } from '#root/bot/helpers/locale.js'
import { displayName } from '#root/bot/helpers/names.js'
import { findDuplicateOffer, joinTicket } from '#root/usecases/duplicates.js'
import { InlineKeyboard, Keyboard } from 'grammy'

export const REPORT_CONVERSATION = 'report'

/** A report left unfinished for a day is dropped; its state would otherwise wait in storage forever. */
export const REPORT_IDLE_LIMIT_MS = 24 * 60 * 60 * 1000

/**
 * The guided report. Built to cost a residents' group few messages (each group takes only 20 bot messages a
 * minute): one question, or none when the resident wrote the problem after the command, then one summary that
 * holds every remaining choice as a button, and on submission that same summary turns into the registration
 * (edited through the outbox, so the number reaches the resident even if the bot stops right after storing).
 * Private chats, which have no such budget, also ask for the place when the description names none. When an open
 * ticket of the same category and area reads alike, the summary shows it with a "me too" button: one tap joins it
 * instead (the summary turns into the confirmation), or the resident files their own as usual.
 *
 * The conversation is replayed from the top on every update, so it only asks and waits: classification, storage
 * and ids go through `conversation.external()`.
 */
export function createReportConversation(deps: BotDependencies) {
  return async function report(conversation: Conversation<BotContext, ConversationContext>, ctx: ConversationContext) {
    const chat = ctx.chat
    const user = ctx.from
    if (!chat || !user)
      return
    const nonce = (await conversation.random()).toString(36).slice(2, 8)
    const dialog = createDialog({
      conversation,
      ctx,
      user,
      nonce,
      maxWaitMs: REPORT_IDLE_LIMIT_MS,
      ...(deps.estimateSendWaitMs ? { estimateSendWaitMs: () => deps.estimateSendWaitMs!(chat.id) } : {}),
    })
    const t = ctx.t.bind(ctx)
    const locale = await localeOf(ctx)
    const binding = await conversation.external(() => deps.chats.find(chat.id))
    const draft = emptyDraft(dialog.isGroup)

    // `/report 路灯坏了…` reports in one message; otherwise the one question of the common path.
    const inline = ctx.message ? checkDescription(commandArgument(ctx.message.text)) : null
    if (inline?.ok) {
      draft.description = inline.description
      draft.descriptionMessageId = ctx.message!.message_id
    }
    else {
      await askDescription(dialog, draft, t)
    }

    let classification = await classify()
    // A greeting, thanks, an advertisement or chatter is not filed; the resident learns what the bot does and may
    // still insist with one tap.
    if (classification && !classification.isReport) {
      const choice = new InlineKeyboard()
        .text(t('btn-report-anyway'), dialog.button('report-anyway'))
        .text(t('btn-cancel'), dialog.button('cancel'))
      const notice = await dialog.ask(t('report-not-a-report'), { inline: choice })
      const answer = await dialog.nextButton()
      if (answer !== 'report-anyway') {
        await dialog.edit(notice, t('report-cancelled'))
        return
      }
      await ctx.api.deleteMessage(notice.chat.id, notice.message_id).catch(() => undefined)
    }
    // The place does not change how a report is sorted, so giving it later costs no second classification.
    if (!dialog.isGroup && !classification?.location)
      await askPlace(dialog, draft, t)
    let duplicate = await lookForDuplicate()

    let summary = await showSummary()
    for (;;) {
      const answer = await dialog.nextAnswer()
      if (answer.kind !== 'button')
        continue
      switch (answer.action) {
        case 'confirm': {
          const outcome = await submit(summary)
          // Stored: the outbox turns the summary into the registration. Spooled: the summary says so now.
          if (outcome.kind === 'queued')
            await dialog.edit(summary, t('report-queued'))
          return
        }
        case 'cancel':
          await dialog.edit(summary, t('report-cancelled'))
          return
        case 'join': {
          if (!duplicate)
            break
          const joined = await join(duplicate)
          if (joined.kind === 'closed') {
            // Resolved or merged meanwhile: the resident files their own, the summary without the offer.
            duplicate = null
            await refreshSummary(summary)
            break
          }
          await dialog.edit(summary, t('report-joined', { number: joined.number, reporters: joined.reporters }))
          return
        }
        case 'toggle-contact':
          draft.contactAllowed = !draft.contactAllowed
          draft.contactPhone = null
          // A phone number is asked for in private chats only: a group would show it to everyone.
          if (draft.contactAllowed && !dialog.isGroup) {
            await askPhone(dialog, draft, t)
            summary = await showSummary(summary)
          }
          else {
            await refreshSummary(summary)
          }
          break
        case 'toggle-reply':
          draft.replyPrivately = !draft.replyPrivately
          await refreshSummary(summary)
          if (draft.replyPrivately)
            await pointToPrivateChat()
          break
        case 'edit-description': {
          const before = draft.description
          await askDescription(dialog, draft, t)
          if (draft.description !== before) {
            classification = await classify()
            duplicate = await lookForDuplicate()
          }
          summary = await showSummary(summary)
          break
        }
        case 'edit-location':
          await askPlace(dialog, draft, t)
          summary = await showSummary(summary)
          break
        case 'edit-photos':
          draft.photoFileIds = []
          await askPhotos(dialog, draft, t)
          summary = await showSummary(summary)
          break
        default:
          break
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

    function summaryContent() {
      return renderSummary({ draft, classification, catalog: deps.catalog(), locale, isGroup: dialog.isGroup, t, button: dialog.button, duplicate })
    }

    /** An open ticket of the same category and area that reads alike; a failed lookup offers none. */
    async function lookForDuplicate(): Promise<DuplicateOffer | null> {
      const duplicates = deps.duplicates
      if (!duplicates || !classification?.categoryId)
        return null
      const input = {
        description: draft.description,
        summary: classification.summary,
        categoryId: classification.categoryId,
        areaName: binding?.kind === 'residents' ? binding.areaName : null,
        residentId: user!.id,
      }
      return conversation.external(async () => {
        try {
          return await findDuplicateOffer(duplicates, input)
        }
        catch (error) {
          deps.logger.warn({ err: error }, 'looking for a duplicate failed; the report is filed on its own')
          return null
        }
      })
    }

    async function join(offer: DuplicateOffer): Promise<JoinResult> {
      const follower = {
        residentId: user!.id,
        residentName: displayName(user!),
        language: user!.language_code ?? 'zh',
        chatId: chat!.id,
        chatType: chat!.type as ChatType,
        messageId: draft.descriptionMessageId,
        replyPrivately: draft.replyPrivately,
      }
      return conversation.external(() => joinTicket(deps.duplicates!, { ticketId: offer.ticketId, follower }))
    }

    /** Sends the summary anew (after a question moved it up the chat), removing the one it replaces. */
    async function showSummary(previous?: Message): Promise<Message> {
      const { text, keyboard } = summaryContent()
      const sent = await dialog.ask(text, { inline: keyboard })
      if (previous)
        await ctx.api.deleteMessage(previous.chat.id, previous.message_id).catch(() => undefined)
      return sent
    }

    /** A choice that asks nothing further changes the summary in place. */
    async function refreshSummary(message: Message): Promise<void> {
      const { text, keyboard } = summaryContent()
      await dialog.edit(message, text, keyboard)
    }

    async function pointToPrivateChat(): Promise<void> {
      const started = await conversation.external(async () => Boolean((await deps.residents.find(user!.id))?.privateChatSince))
      if (!started && ctx.me.username) {
        await dialog.say(t('report-private-not-started'), {
          reply_markup: new InlineKeyboard().url(t('btn-open-private'), `https://t.me/${ctx.me.username}?start=hello`),
        })
      }
    }

    async function submit(summary: Message): Promise<SubmitOutcome> {
      // One key per report, the same on every replay: pressing confirm again, or handling this press again after a
      // restart, finds the ticket already stored instead of storing it twice.
      const intakeKey = `report:${chat!.id}:${user!.id}:${nonce}`
      const report: Report = {
        reporterId: user!.id,
        reporterName: displayName(user!),
        reporterLanguage: user!.language_code ?? 'zh',
        sourceChatId: chat!.id,
        sourceChatType: chat!.type as ChatType,
        sourceMessageId: draft.descriptionMessageId,
        areaName: binding?.kind === 'residents' ? binding.areaName : null,
        description: draft.description,
        locationText: draft.locationText ?? (draft.latitude === null ? classification?.location ?? null : null),
        latitude: draft.latitude,
        longitude: draft.longitude,
        photoFileIds: draft.photoFileIds,
        contactAllowed: draft.contactAllowed,
        contactPhone: draft.contactAllowed ? draft.contactPhone : null,
        replyPrivately: draft.replyPrivately,
      }
      return conversation.external(() => deps.submitReport({
        intakeKey,
        report,
        classification,
        announcement: { chatId: chat!.id, editMessageId: summary.message_id, locale },
      }))
    }
  }
}

type Translate = ConversationContext['t']

/** What happened: text, or a photo whose caption says it (a bare photo is kept and the words asked for). */
async function askDescription(dialog: Dialog, draft: ReportDraft, t: Translate): Promise<void> {
  await dialog.ask(t(dialog.isGroup ? 'report-ask-description-group' : 'report-ask-description'))
  for (;;) {
    const answer = await dialog.nextAnswer()
    if (answer.kind === 'photo') {
      if (draft.photoFileIds.length < MAX_PHOTOS)
        draft.photoFileIds.push(answer.fileId)
      if (!answer.caption) {
        await dialog.ask(t('report-photo-kept'))
        continue
      }
    }
    if (answer.kind !== 'text' && answer.kind !== 'photo') {
      await dialog.ask(t('report-need-text'))
      continue
    }
    const checked = checkDescription(answer.kind === 'text' ? answer.text : answer.caption)
    if (!checked.ok) {
      await dialog.ask(t(checked.key, checked.variables))
      continue
    }
    draft.description = checked.description
    draft.descriptionMessageId = answer.messageId
    return
  }
}

/** Where: a place typed, a location pin (private chats), or nothing. */
async function askPlace(dialog: Dialog, draft: ReportDraft, t: Translate): Promise<void> {
  const keyboard = dialog.isGroup
    ? undefined
    : new Keyboard().requestLocation(t('btn-send-location')).row().text(t('btn-skip')).resized().oneTime()
  const question = t(dialog.isGroup ? 'report-ask-location-group' : 'report-ask-location-private')
  await dialog.ask(question, keyboard ? { keyboard } : {})
  for (;;) {
    const answer = await dialog.nextAnswer()
    if (answer.kind === 'location') {
      draft.latitude = answer.latitude
      draft.longitude = answer.longitude
      draft.locationText = answer.title ?? draft.locationText
      return
    }
    if (answer.kind === 'text' && isSkipWord(answer.text)) {
      draft.locationText = null
      draft.latitude = null
      draft.longitude = null
      return
    }
    if (answer.kind === 'text') {
      const text = answer.text.trim()
      if ([...text].length > LOCATION_MAX_LENGTH) {
        await dialog.ask(t('report-too-long', { length: String([...text].length), max: String(LOCATION_MAX_LENGTH) }), keyboard ? { keyboard } : {})
        continue
      }
      draft.locationText = text
      draft.latitude = null
      draft.longitude = null
      return
    }
    await dialog.ask(question, keyboard ? { keyboard } : {})
  }
}

/** Photos until "done" or the limit; a group is not told of each photo, to spare its message budget. */
async function askPhotos(dialog: Dialog, draft: ReportDraft, t: Translate): Promise<void> {
  const done = new InlineKeyboard().text(t('btn-done'), dialog.button('done'))
  const skip = new InlineKeyboard().text(t('btn-skip'), dialog.button('skip'))
  // A group is not told of each photo, so "done" is its one button from the start.
  const next = () => (dialog.isGroup || draft.photoFileIds.length > 0 ? done : skip)
  await dialog.ask(t(dialog.isGroup ? 'report-ask-photo-group' : 'report-ask-photo', { max: MAX_PHOTOS }), { inline: next() })
  for (;;) {
    const answer = await dialog.nextAnswer()
    if (answer.kind === 'button' && (answer.action === 'skip' || answer.action === 'done'))
      return
    if (answer.kind === 'text' && (isSkipWord(answer.text) || isDoneWord(answer.text)))
      return
    if (answer.kind === 'photo') {
      draft.photoFileIds.push(answer.fileId)
      if (draft.photoFileIds.length >= MAX_PHOTOS)
        return
      if (!dialog.isGroup)
        await dialog.ask(t('report-photo-received', { count: draft.photoFileIds.length }), { inline: done })
      continue
    }
    await dialog.ask(t('report-need-photo'), { inline: next() })
  }
}

/** A phone number, in private chats only. */
async function askPhone(dialog: Dialog, draft: ReportDraft, t: Translate): Promise<void> {
  const keyboard = new Keyboard().requestContact(t('btn-share-phone')).row().text(t('btn-skip')).resized().oneTime()
  await dialog.ask(t('report-ask-phone'), { keyboard })
  for (;;) {
    const answer = await dialog.nextAnswer()
    if (answer.kind === 'text' && isSkipWord(answer.text))
      return
    const raw = answer.kind === 'contact' ? answer.phone : answer.kind === 'text' ? answer.text : null
    const phone = raw === null ? null : normalizePhone(raw)
    if (phone) {
      draft.contactPhone = phone
      return
    }
    await dialog.ask(t('report-phone-invalid'), { keyboard })
  }
}
