import type { Chat, Message, User } from 'grammy/types'
import type { FakeTelegram } from '../../test/fakes/telegram-server.js'
import type { Observation, TelegramObserver } from './telegram-observer.js'
import { isAddressedTo } from '../../test/helpers/test-app.js'
import { sleep } from './workload.js'

/**
 * People the load scripts play against the fake Telegram: residents walking a report and handlers moving cards,
 * each acting like a person who looks at the chat, does the next thing, and does it again when nothing happens.
 */

const TICKET_NUMBER = /HY-\d{8}-\d{4,}/

/** Steps a resident's walk times; `llm` says whether the bot's answer to it waits on the classifier. */
export const RESIDENT_STEPS = {
  'report': { label: '/report → question', llm: false },
  'one-message': { label: '/report <text> → summary', llm: true },
  'description': { label: 'description → summary', llm: true },
  'place': { label: 'place → summary (private)', llm: false },
  'toggle': { label: 'contact toggle → summary edited', llm: false },
  'press-answer': { label: 'button press → answered', llm: false },
  'confirm': { label: 'confirm → number (edit)', llm: false },
} as const
export type ResidentStep = keyof typeof RESIDENT_STEPS

export interface ResidentPlan {
  description: string
  /** `/report <description>` in one message instead of answering the question. */
  oneMessage: boolean
  /** Presses the contact toggle on the summary before confirming. */
  toggleContact: boolean
  /** Given when a private chat asks where. */
  place: string
  /** Pause before each answer, as a person reads and types (ms). */
  thinkMs: () => number
}

export interface ResidentOptions {
  /** Without an answer for this long, the resident does the step again. */
  stepTimeoutMs: number
  /** At most this many such repeats over the whole report. */
  maxResends: number
  /** Gives up for good after this long. */
  giveUpMs: number
}

export interface ResidentOutcome {
  number: string | null
  /** The resident pressed confirm at least once. */
  confirmed: boolean
  resends: number
  startedAt: number
  finishedAt: number | null
  failure?: string
}

/** A person's inbox: the bot's messages (sends and edits) addressed to one person in one chat, in order. */
class Inbox {
  private readonly queue: Observation[] = []
  private waiting: ((o: Observation | undefined) => void) | undefined
  private readonly unsubscribe: () => void

  constructor(observer: TelegramObserver, chatId: number, isFor: (message: Message) => boolean) {
    this.unsubscribe = observer.subscribe((o) => {
      if (o.chatId !== chatId || o.messages.length === 0 || !o.messages.some(isFor))
        return
      if (this.waiting) {
        const resolve = this.waiting
        this.waiting = undefined
        resolve(o)
      }
      else {
        this.queue.push(o)
      }
    })
  }

  /** The next message, or undefined after `timeoutMs`. */
  next(timeoutMs: number): Promise<Observation | undefined> {
    const queued = this.queue.shift()
    if (queued)
      return Promise.resolve(queued)
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = undefined
        resolve(undefined)
      }, timeoutMs)
      this.waiting = (o) => {
        clearTimeout(timer)
        resolve(o)
      }
    })
  }

  close(): void {
    this.unsubscribe()
  }
}

/** The ticket number a registration ("已登记 ✅ 编号 …") announces. */
function registeredNumber(message: Message | undefined): string | undefined {
  const text = message?.text ?? ''
  return text.includes('已登记') ? TICKET_NUMBER.exec(text)?.[0] : undefined
}

function buttonOf(message: Message, label: string): string | undefined {
  const button = (message.reply_markup?.inline_keyboard ?? []).flat().find(b => b.text.includes(label))
  return button && 'callback_data' in button ? button.callback_data : undefined
}

/** A resident reporting one problem in a residents' group (or a private chat) through the guided report. */
export class SimulatedResident {
  constructor(
    readonly telegram: FakeTelegram,
    readonly observer: TelegramObserver,
    readonly user: User,
    readonly chat: Chat,
  ) {}

  /** A message of the bot's meant for this resident: in a group, a reply to them or a mention of them. */
  isFor(message: Message): boolean {
    return isAddressedTo(message, this.chat, this.user.id)
  }

  /** The bot's messages in this chat for this resident (each as sent), and how often they were edited since. */
  messagesFor(): { sends: number, edits: number } {
    const mine = this.telegram.sentMessages(this.chat).filter(m => this.isFor(m))
    return { sends: mine.length, edits: mine.reduce((sum, m) => sum + (this.observer.edits.get(`${this.chat.id}:${m.message_id}`) ?? 0), 0) }
  }

  /** The current version of the bot's newest message for this resident, if any. */
  private latest(): Message | undefined {
    const sent = this.telegram.sentMessages(this.chat)
    for (let i = sent.length - 1; i >= 0; i--) {
      if (this.isFor(sent[i]!))
        return this.telegram.getMessage(this.chat, sent[i]!.message_id)
    }
    return undefined
  }

  /**
   * Walks a whole report: /report, the description, the summary (a toggle if planned), confirm; until the bot
   * announces a number. `record` gets the bot's answer time for each step.
   */
  async report(plan: ResidentPlan, options: ResidentOptions, record: (step: ResidentStep, ms: number) => void): Promise<ResidentOutcome> {
    const inbox = new Inbox(this.observer, this.chat.id, m => this.isFor(m))
    const outcome: ResidentOutcome = { number: null, confirmed: false, resends: 0, startedAt: performance.now(), finishedAt: null }
    const giveUpAt = outcome.startedAt + options.giveUpMs
    let toggled = false
    /** The step in flight: what the next answer times, and when it was taken. */
    let pending: { step: ResidentStep, at: number, pressId?: string } | undefined
    const act = (step: ResidentStep, action: () => string | void) => {
      const at = performance.now()
      const pressId = action() ?? undefined
      pending = { step, at, ...(pressId ? { pressId } : {}) }
    }
    const press = (message: Message, label: string): string => {
      const data = buttonOf(message, label)
      if (!data)
        throw new Error(`no button "${label}"`)
      return this.telegram.clickButton({ chat: this.chat, from: this.user, message, data })
    }
    const reply = (message: Message, text: string) => {
      this.telegram.sendMessage({ chat: this.chat, from: this.user, text, ...(this.chat.type === 'private' ? {} : { replyTo: message.message_id }) })
    }
    const finish = (number: string, at: number) => {
      outcome.number = number
      outcome.finishedAt = at
      return outcome
    }
    const start = () => act(plan.oneMessage ? 'one-message' : 'report', () => {
      this.telegram.sendMessage({ chat: this.chat, from: this.user, text: plan.oneMessage ? `/report ${plan.description}` : '/report' })
    })

    /** Does the next thing the bot's message asks for; false when it asks for nothing (a notice, a wait). */
    const respondTo = async (message: Message): Promise<boolean> => {
      const text = message.text ?? ''
      if (text.includes('请核对') && buttonOf(message, '确认提交')) {
        await sleep(plan.thinkMs())
        if (plan.toggleContact && !toggled) {
          toggled = true
          act('toggle', () => press(message, '可以联系我'))
        }
        else {
          outcome.confirmed = true
          act('confirm', () => press(message, '确认提交'))
        }
        return true
      }
      if (text.includes('描述') && !text.includes('请核对')) {
        await sleep(plan.thinkMs())
        act('description', () => reply(message, plan.description))
        return true
      }
      if (this.chat.type === 'private' && text.includes('哪里')) {
        await sleep(plan.thinkMs())
        act('place', () => reply(message, plan.place))
        return true
      }
      return false
    }

    try {
      start()
      while (performance.now() < giveUpAt) {
        const observed = await inbox.next(Math.min(options.stepTimeoutMs, giveUpAt - performance.now()))
        if (pending?.pressId) {
          const answered = this.observer.pressAnswers.get(pending.pressId)
          if (answered !== undefined) {
            record('press-answer', answered - pending.at)
            pending = { step: pending.step, at: pending.at }
          }
        }
        if (observed) {
          const message = observed.messages.find(m => this.isFor(m))!
          if (pending) {
            record(pending.step, observed.at - pending.at)
            pending = undefined
          }
          if (registeredNumber(message))
            return finish(registeredNumber(message)!, observed.at)
          // A press on a message changed or deleted meanwhile fails as in a real client: the next look tries again.
          await respondTo(this.telegram.getMessage(this.chat, message.message_id) ?? message).catch(() => false)
          continue
        }
        // Nothing for a while: look at the chat and do the step again, as a person would.
        if (outcome.resends >= options.maxResends || performance.now() >= giveUpAt)
          continue
        outcome.resends++
        pending = undefined
        const latest = this.latest()
        if (registeredNumber(latest))
          return finish(registeredNumber(latest)!, performance.now())
        // A report the bot said it kept ("已收到…稍后自动登记") needs nothing more but patience.
        if (latest?.text?.includes('已收到'))
          continue
        try {
          if (!latest || !(await respondTo(latest)))
            start()
        }
        catch {
          start()
        }
      }
      // Told just as the resident gave up.
      if (registeredNumber(this.latest()))
        return finish(registeredNumber(this.latest())!, performance.now())
      outcome.failure = `no number after ${Math.round(options.giveUpMs / 1000)} s (${outcome.resends} re-sends; last bot message: ${JSON.stringify(this.latest()?.text?.slice(0, 60) ?? null)})`
      return outcome
    }
    finally {
      inbox.close()
    }
  }
}

/** Which status a card shows in its title line ("工单 HY-… · 已受理"). */
function cardStatus(card: Message): string {
  return /工单 HY-\S+ · (\S+)/.exec(card.text ?? '')?.[1] ?? ''
}

export interface HandlerOptions {
  stepTimeoutMs: number
  /** Attempts per card before moving on. */
  maxAttempts: number
  thinkMs: () => number
}

/**
 * A handler in a department's group who takes each new card in turn through 受理 → 承办 → 办结 (with a note
 * replied to the bot's prompt), looking at the card's current status before each press.
 */
export class SimulatedHandler {
  private readonly queue: Array<{ number: string, messageId: number }> = []
  private readonly seen = new Set<string>()
  private wake: (() => void) | undefined
  private stopped = false
  private readonly unsubscribe: () => void
  readonly done = new Set<string>()
  readonly abandoned = new Set<string>()
  running: Promise<void> = Promise.resolve()

  constructor(
    readonly telegram: FakeTelegram,
    readonly observer: TelegramObserver,
    readonly user: User,
    readonly chat: Chat,
    private readonly options: HandlerOptions,
  ) {
    this.unsubscribe = observer.subscribe((o) => {
      if (o.chatId !== chat.id || o.edit)
        return
      for (const message of o.messages) {
        const number = TICKET_NUMBER.exec(message.text ?? '')?.[0]
        if (!number || !(message.text ?? '').includes('原文') || this.seen.has(number))
          continue
        this.seen.add(number)
        this.queue.push({ number, messageId: message.message_id })
        this.wake?.()
      }
    })
  }

  start(): void {
    this.running = this.loop()
  }

  /** Presses nothing more; `running` settles once the card in hand stops waiting. */
  stop(): void {
    this.stopped = true
    this.wake?.()
    this.unsubscribe()
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const card = this.queue.shift()
      if (!card) {
        await new Promise<void>((resolve) => {
          this.wake = resolve
        })
        this.wake = undefined
        continue
      }
      await this.work(card).catch(() => this.abandoned.add(card.number))
    }
  }

  private async work(card: { number: string, messageId: number }): Promise<void> {
    for (let attempt = 0; attempt < this.options.maxAttempts && !this.stopped;) {
      const current = this.telegram.getMessage(this.chat, card.messageId)
      if (!current)
        throw new Error('card gone')
      const status = cardStatus(current)
      if (status === '已办结' || status === '已回访') {
        this.done.add(card.number)
        return
      }
      const next = status === '办理中' ? '办结' : status === '已受理' ? '承办' : '受理'
      const data = buttonOf(current, next)
      if (!data) {
        // Not (yet) this group's to act on: wait for the card to change.
        attempt++
        await this.cardChange(card.messageId, this.options.stepTimeoutMs)
        continue
      }
      await sleep(this.options.thinkMs())
      if (this.stopped)
        return
      const changed = this.cardChange(card.messageId, this.options.stepTimeoutMs)
      const prompt = next === '办结' ? this.promptFor(card.number, this.options.stepTimeoutMs) : undefined
      this.telegram.clickButton({ chat: this.chat, from: this.user, message: current, data })
      if (prompt) {
        const asked = await prompt
        if (asked && !this.stopped) {
          await sleep(this.options.thinkMs())
          this.telegram.sendMessage({ chat: this.chat, from: this.user, text: `已到现场处理完毕（${card.number}），请群众留意。`, replyTo: asked.message_id })
        }
      }
      if (!(await changed))
        attempt++
    }
    this.abandoned.add(card.number)
  }

  /** Resolves true when the card is edited within `timeoutMs`. */
  private async cardChange(messageId: number, timeoutMs: number): Promise<boolean> {
    const edited = await this.observer.next(o => o.chatId === this.chat.id && o.edit && o.messages.some(m => m.message_id === messageId), timeoutMs)
    return edited !== undefined
  }

  /** The bot's prompt for the note of `number`, once it is posted. */
  private async promptFor(number: string, timeoutMs: number): Promise<Message | undefined> {
    const isPrompt = (m: Message) => (m.text ?? '').includes(number) && (m.text ?? '').includes('请回复本消息')
    const posted = await this.observer.next(o => o.chatId === this.chat.id && !o.edit && o.messages.some(isPrompt), timeoutMs)
    return posted?.messages.find(isPrompt)
  }
}
