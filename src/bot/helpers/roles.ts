import type { BotDependencies } from '#root/bot/context.js'

/** Admins are named in the configuration (ADMIN_IDS): they bind groups, triage and may see every ticket. */
export function isAdmin(ctx: { deps: Pick<BotDependencies, 'config'>, from?: { id: number } | undefined }): boolean {
  return ctx.from !== undefined && ctx.deps.config.adminIds.includes(ctx.from.id)
}
