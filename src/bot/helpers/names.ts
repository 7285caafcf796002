import type { Catalog } from '#root/domain/catalog.js'
import type { User } from 'grammy/types'

export type Locale = 'zh' | 'en'

/** How the bot addresses a person: their Telegram name, never their phone number. */
export function displayName(user: Pick<User, 'first_name' | 'last_name'>): string {
  return [user.first_name, user.last_name].filter(Boolean).join(' ').trim() || '—'
}

export function categoryName(catalog: Catalog, categoryId: string | null, locale: Locale): string {
  const category = catalog.categories.find(c => c.id === categoryId)
  if (!category)
    return locale === 'en' ? 'unclassified' : '未分类'
  return locale === 'en' ? category.nameEn : category.nameZh
}

export function departmentName(catalog: Catalog, departmentId: string | null, locale: Locale): string {
  const department = catalog.departments.find(d => d.id === departmentId)
  if (!department)
    return locale === 'en' ? 'awaiting triage' : '待分派'
  return locale === 'en' ? department.nameEn : department.nameZh
}
