import type { MonthlyDependencies } from '#root/bot/features/monthly.js'
import type { CampaignDependencies } from '#root/bot/features/visits.js'
import type { Classifier } from '#root/classify/classification.js'
import type { Config } from '#root/config.js'
import type { Catalog } from '#root/domain/catalog.js'
import type { MonthlyFiguresSource } from '#root/domain/monthly-figures.js'
import type { Logger } from '#root/logger.js'
import type { ChatStore } from '#root/store/chat-store.js'
import type { KeyValueStorage } from '#root/store/conversation-storage.js'
import type { OutboxStore } from '#root/store/outbox-store.js'
import type { ResidentStore } from '#root/store/resident-store.js'
import type { StatsStore } from '#root/store/stats-store.js'
import type { TicketStore } from '#root/store/ticket-store.js'
import type { DuplicateDependencies } from '#root/usecases/duplicates.js'
import type { RoutingLearner } from '#root/usecases/learn-from-corrections.js'
import type { NotificationTexts } from '#root/usecases/notifications.js'
import type { SubmitReport } from '#root/usecases/submit-report.js'
import type { ConversationFlavor } from '@grammyjs/conversations'
import type { I18nFlavor } from '@grammyjs/i18n'
import type { Context } from 'grammy'

/** Everything the bot's handlers need, passed in by the composition root (main.ts) or a test. */
export interface BotDependencies {
  config: Pick<Config, 'adminIds' | 'timezone' | 'classifyMinConfidence'>
  logger: Logger
  tickets: TicketStore
  chats: ChatStore
  residents: ResidentStore
  /** The catalog in force; a function because an admin may reload it while the bot runs. */
  catalog: () => Catalog
  classifier: Classifier
  submitReport: SubmitReport
  conversationStorage: KeyValueStorage<unknown>
  outbox: OutboxStore
  stats: StatsStore
  /** The month's counts per district and department that the monthly report (月度通报) is made of. */
  monthlyFigures?: MonthlyFiguresSource
  /** Texts of messages queued for later delivery, rendered outside any update. */
  texts: NotificationTexts
  /** Tells the outbox worker that a change queued messages. */
  wakeOutbox: () => void
  /** About how long a message into the chat would wait for its turn within Telegram's limits (0: none). */
  estimateSendWaitMs?: (chatId: number) => number
  /** Records routes that handlers and admins decide and teaches the classifiers. */
  routing?: RoutingLearner
  /** The visit campaign (areas, registry, cadres' notes, coverage); absent, its commands are not installed. */
  campaign?: CampaignDependencies
  /** The due time some working days after another, by the working calendar (for extensions, 延期). */
  extendDeadline?: (dueAt: Date, workingDays: number) => Date
  /** A second 督办 on a ticket within this time is refused (SUPERVISE_REPEAT_MINUTES); an hour when absent. */
  superviseRepeatAfterMs?: number
  /** The clock deadlines are measured with. */
  now?: () => Date
  /** Duplicates: "me too" in the report, /merge, /split and /hot; absent, a report is always filed on its own. */
  duplicates?: DuplicateDependencies
  /** The monthly report (月度通报) and model cases (典型案例); absent, /monthly and /model are not installed. */
  monthly?: MonthlyDependencies
}

interface ExtendedContextFlavor {
  logger: Logger
  deps: BotDependencies
}

/** The context inside conversations: no ctx.conversation, but the same plugins and dependencies. */
export type ConversationContext = Context & I18nFlavor & ExtendedContextFlavor

export type BotContext = ConversationFlavor<Context & I18nFlavor & ExtendedContextFlavor>
