import type { BotContext, ConversationContext } from '#root/bot/context.js'
import type { Conversation } from '@grammyjs/conversations'
import type { InlineKeyboard, Keyboard } from 'grammy'
import type { Message, User } from 'grammy/types'
import { displayName } from '#root/bot/helpers/names.js'
import { parseReportCallback, reportCallback } from '#root/bot/helpers/report-callback.js'
import { fmt, FormattedString, mentionUser } from '@grammyjs/parse-mode'

/** One answer from the person, whatever form it came in. */
export type Answer
  = | { kind: 'text', text: string, messageId: number }
    | { kind: 'photo', fileId: string, caption: string, messageId: number }
    | { kind: 'location', latitude: number, longitude: number, title: string | null }
    | { kind: 'contact', phone: string }
    | { kind: 'button', action: string, messageId: number | null }
    | { kind: 'unusable' }

export interface AskMarkup {
  inline?: InlineKeyboard
  keyboard?: Keyboard
}

export interface Dialog {
  readonly isGroup: boolean
  readonly user: User
  /** Callback data for a button of this dialog (its person, its nonce). */
  button: (action: string) => string
  /** Asks a question. In a group it mentions the person, replies to their last message and opens their reply field. */
  ask: (text: string | FormattedString, markup?: AskMarkup) => Promise<Message>
  /** Says something that asks for nothing (at most link buttons), threaded under the person's message in a group. */
  say: (text: string, extra?: Parameters<ConversationContext['reply']>[1]) => Promise<Message>
  /** Replaces the text and buttons of one of the dialog's own messages (no new message in the chat). */
  edit: (message: Message, text: string | FormattedString, inline?: InlineKeyboard) => Promise<void>
  /** Waits for the next answer that belongs to this dialog; everything else passes on to the rest of the bot. */
  nextAnswer: () => Promise<Answer>
  /** Waits for a press of one of the dialog's current buttons, ignoring other answers; resolves with its action. */
  nextButton: () => Promise<string>
  /** The person's message a reply should thread under in a group, if any. */
  lastUserMessageId: () => number | null
}

export interface DialogOptions {
  conversation: Conversation<BotContext, ConversationContext>
  ctx: ConversationContext
  user: User
  nonce: string
  maxWaitMs: number
  /** About how long the chat's next message would wait for its turn (see SendRateLimiter.estimateWaitMs). */
  estimateSendWaitMs?: () => number
}

/** Below this, a wait for the chat's send budget goes unmentioned. */
const WAIT_WORTH_SAYING_MS = 3000

/**
 * The ask/answer machinery of the bot's guided conversations.
 *
 * In groups (privacy mode on) only replies to this dialog's own questions are answers, so two residents reporting
 * at once never mix and group chatter never reaches a report. Buttons carry the person's id and a per-dialog nonce:
 * a stranger's press, a press on an older message and a press on an earlier dialog's button are all refused with
 * a short alert. A press is answered at once, before any slow work the step may do.
 */
export function createDialog({ conversation, ctx, user, nonce, maxWaitMs, estimateSendWaitMs }: DialogOptions): Dialog {
  const isGroup = ctx.chat?.type !== 'private'
  const botId = ctx.me.id
  const t = ctx.t.bind(ctx)
  /** The bot's messages in this dialog: a reply to one of them is an answer; a reply to any other bot message is not. */
  const ownMessageIds = new Set<number>()
  /** Only the buttons of the newest message that has any count. */
  let currentButtonsMessageId: number | null = null
  // Entered by a button, the message at hand is the bot's own: there is nothing of the person's to reply to yet.
  let lastUserMessageId: number | null = ctx.callbackQuery ? null : ctx.msg?.message_id ?? null

  const threadUnderUser = () =>
    (isGroup && lastUserMessageId ? { reply_parameters: { message_id: lastUserMessageId, allow_sending_without_reply: true } } : {})

  function remember(sent: Message, hasButtons: boolean): Message {
    ownMessageIds.add(sent.message_id)
    if (hasButtons)
      currentButtonsMessageId = sent.message_id
    return sent
  }

  const dialog: Dialog = {
    isGroup,
    user,
    button: action => reportCallback({ userId: user.id, nonce, action }),

    async ask(text, markup = {}) {
      const content = typeof text === 'string' ? new FormattedString(text) : text
      const body = isGroup ? fmt`${mentionUser(displayName(user), user.id)} ${content}` : content
      const reply_markup = markup.inline
        ?? markup.keyboard
        ?? (isGroup ? { force_reply: true as const, selective: true } : { remove_keyboard: true as const })
      const sent = await ctx.reply(body.text, { entities: body.entities, reply_markup, ...threadUnderUser() })
      return remember(sent, Boolean(markup.inline))
    },

    async say(text, extra = {}) {
      // Link buttons only: what the person must press next stays where it was.
      return remember(await ctx.reply(text, { ...threadUnderUser(), ...extra }), false)
    },

    async edit(message, text, inline) {
      const content = typeof text === 'string' ? new FormattedString(text) : text
      const body = isGroup ? fmt`${mentionUser(displayName(user), user.id)} ${content}` : content
      await ctx.api.editMessageText(message.chat.id, message.message_id, body.text, {
        entities: body.entities,
        reply_markup: inline ?? { inline_keyboard: [] },
      }).catch((error: unknown) => {
        // Pressing a toggle twice quickly renders the same text: nothing to change is no failure.
        if (!/not modified/i.test(String((error as { description?: string }).description)))
          throw error
      })
      if (inline)
        currentButtonsMessageId = message.message_id
    },

    async nextAnswer() {
      for (;;) {
        const update = await conversation.wait({ maxMilliseconds: maxWaitMs })
        const query = update.callbackQuery
        if (query) {
          const parsed = parseReportCallback(query.data)
          if (!parsed)
            await conversation.skip({ next: true })
          const messageId = query.message?.message_id ?? null
          const stale = parsed!.nonce !== nonce || (messageId !== null && messageId !== currentButtonsMessageId)
          if (parsed!.userId !== user.id || stale) {
            const key = parsed!.userId !== user.id ? 'report-button-not-yours' : 'report-button-stale'
            await update.answerCallbackQuery({ text: t(key), show_alert: parsed!.userId !== user.id })
            continue
          }
          // A busy group queues the bot's answer; the press's own answer, which costs nothing, says how long.
          const waitMs = estimateSendWaitMs ? await conversation.external(estimateSendWaitMs) : 0
          await update.answerCallbackQuery(waitMs > WAIT_WORTH_SAYING_MS ? { text: t('report-queued-wait', { seconds: Math.ceil(waitMs / 1000) }) } : undefined)
          return { kind: 'button', action: parsed!.action, messageId }
        }
        const message = update.message
        if (!message || message.text?.startsWith('/'))
          await conversation.skip({ next: true })
        // With privacy mode off the bot sees all group chatter: in a group only replies to this dialog's questions are
        // answers. Anywhere, a reply to another bot message (a department's question, a prompt) is for someone else.
        const repliedTo = message!.reply_to_message
        const answersUs = repliedTo?.from?.id === botId && ownMessageIds.has(repliedTo.message_id)
        if (isGroup ? !answersUs : (repliedTo?.from?.id === botId && !answersUs))
          await conversation.skip({ next: true })
        lastUserMessageId = message!.message_id
        return toAnswer(message!)
      }
    },

    async nextButton() {
      for (;;) {
        const answer = await dialog.nextAnswer()
        if (answer.kind === 'button')
          return answer.action
      }
    },

    lastUserMessageId: () => lastUserMessageId,
  }
  return dialog
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
