import type { App } from '#root/app.js'
import type { Chat, User } from 'grammy/types'
import type { FakeTelegram } from '../fakes/telegram-server.js'
import { createOfflineClassifier } from '#root/classify/offline-classifier.js'
import { createChatStore } from '#root/store/chat-store.js'

/** The report the supervision tests follow: the offline classifier routes it to one department's handlers. */
export const STREETLIGHT = '小区门口的路灯坏了一个星期，晚上很黑，老人出门不方便'

/**
 * The clock of an app under test: real time shifted by an offset the test sets, so that it keeps running (timers,
 * retries) while a test jumps it past a deadline.
 */
export function movableClock(start: Date): { now: () => Date, set: (at: Date) => void } {
  let offset = start.getTime() - Date.now()
  return {
    now: () => new Date(Date.now() + offset),
    set: (at) => {
      offset = at.getTime() - Date.now()
    },
  }
}

export interface SupervisionGroups {
  residents: Chat
  handlers: Chat
  admins: Chat
  admin: User
}

/** A residents' group, the handlers' group of the department {@link STREETLIGHT} goes to, and the admins' group. */
export function createSupervisionGroups(telegram: FakeTelegram): SupervisionGroups {
  return {
    residents: telegram.createGroup({ title: '金鸡湖居民群', quiet: true }),
    handlers: telegram.createGroup({ title: '承办群', quiet: true }),
    admins: telegram.createGroup({ title: '督办群', quiet: true }),
    admin: telegram.createUser({ first_name: 'Admin' }),
  }
}

/** Binds the groups as an admin would with /bind. */
export async function bindSupervisionGroups(app: App, groups: SupervisionGroups): Promise<void> {
  const classified = await createOfflineClassifier(app.catalog).classify({ text: STREETLIGHT, locationText: '星湖街 8 号' })
  const chats = createChatStore(app.database)
  const { residents, handlers, admins, admin } = groups
  await chats.bind({ chatId: residents.id, kind: 'residents', title: '居民群', areaName: '金鸡湖社区', departmentId: null, boundBy: admin.id })
  await chats.bind({ chatId: handlers.id, kind: 'handlers', title: '承办群', areaName: null, departmentId: classified.departmentId, boundBy: admin.id })
  await chats.bind({ chatId: admins.id, kind: 'admins', title: '督办群', areaName: null, departmentId: null, boundBy: admin.id })
}
