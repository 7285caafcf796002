import type { BotContext } from '#root/bot/context.js'
import type { CampaignDependencies } from '#root/bot/features/visits.js'
import type { SpotCheck } from '#root/domain/spot-check.js'
import type { RegistryEntity } from '#root/domain/visit.js'
import { displayName } from '#root/bot/helpers/names.js'
import { replyToCommand } from '#root/bot/helpers/view-place.js'
import { ALL_TIME } from '#root/usecases/coverage.js'
import { drawSpotCheck, parseOutcome, renderSpotCheck } from '#root/usecases/spot-checks.js'
import { Composer } from 'grammy'

const DEFAULT_ENTERPRISES = 3
const DEFAULT_HOUSEHOLDS = 10
const SAMPLE_MAX = 50

/**
 * 督查抽查. An admin draws a sample per district (`/spotcheck draw 相城区 [企业数] [户数] [种子]`), assigns it by
 * replying `/spotcheck assign ID` to the inspector's message, and the inspector records each spot visit's outcome
 * (`/spotcheck ID 序号 属实|未走访|未解决|不知情 [说明]`). The sample names registry entries, so only admins and the
 * assigned inspector see it, and never in a residents' or handlers' group.
 */
export function createSpotChecksFeature(campaign: CampaignDependencies, options: { today: () => string }) {
  const feature = new Composer<BotContext>()
  const isAdmin = (ctx: BotContext) => ctx.deps.config.adminIds.includes(ctx.from?.id ?? 0)

  async function render(check: SpotCheck): Promise<string> {
    const entities = new Map<number, RegistryEntity>()
    for (const item of check.items) {
      const entity = await campaign.registry.findById(item.entityId)
      if (entity)
        entities.set(entity.id, entity)
    }
    return renderSpotCheck(check, entities, campaign.areas())
  }

  feature.command('spotcheck', async (ctx) => {
    const say = (text: string) => ctx.reply(text.slice(0, 4000), replyToCommand(ctx))
    const binding = ctx.chat.type === 'private' ? null : await ctx.deps.chats.find(ctx.chat.id)
    const placeOk = ctx.chat.type === 'private' || binding?.kind === 'admins' || binding?.kind === 'cadres'
    const [first = '', ...rest] = ctx.match.trim().split(/\s+/).filter(Boolean)
    // A residents' or handlers' group never hears of spot checks, whoever asks.
    if (!placeOk) {
      await say(ctx.t('spotcheck-not-yours'))
      return
    }

    if (first === 'draw' || first === 'assign') {
      if (!isAdmin(ctx) || !placeOk) {
        await say(ctx.t('admin-only'))
        return
      }
      if (first === 'assign') {
        const check = Number(rest[0])
        const inspector = ctx.msg.reply_to_message?.from
        if (!Number.isInteger(check) || !inspector || inspector.is_bot) {
          await say(ctx.t('spotcheck-assign-usage'))
          return
        }
        const assigned = await campaign.spotChecks.assign(check, { id: inspector.id, name: displayName(inspector) })
        await say(assigned ? ctx.t('spotcheck-assigned', { id: check, inspector: displayName(inspector) }) : ctx.t('spotcheck-unknown', { id: check }))
        return
      }
      const district = campaign.areas().find(rest[0] ?? '')
      const enterprises = rest[1] === undefined ? DEFAULT_ENTERPRISES : Number(rest[1])
      const households = rest[2] === undefined ? DEFAULT_HOUSEHOLDS : Number(rest[2])
      if (!district || district.level !== 'district' || ![enterprises, households].every(n => Number.isInteger(n) && n >= 0 && n <= SAMPLE_MAX)) {
        await say(ctx.t('spotcheck-draw-usage'))
        return
      }
      const seed = rest[3] ?? options.today().slice(0, 7)
      const check = await drawSpotCheck({ ...campaign, spotChecks: campaign.spotChecks }, {
        districtId: district.id,
        enterprises,
        households,
        seed,
        period: ALL_TIME,
        drawnBy: ctx.from!.id,
      })
      await say(`${await render(check)}\n${ctx.t('spotcheck-assign-hint', { id: check.id })}`)
      return
    }

    const check = Number.isInteger(Number(first)) && first ? await campaign.spotChecks.find(Number(first)) : null
    if (!check) {
      await say(ctx.t(first ? 'spotcheck-unknown' : 'spotcheck-usage', { id: first }))
      return
    }
    const isInspector = check.inspectorId === ctx.from?.id
    if (!(isAdmin(ctx) || isInspector) || !placeOk) {
      await say(ctx.t('spotcheck-not-yours'))
      return
    }
    if (rest.length > 0) {
      const position = Number(rest[0]) - 1
      const outcome = parseOutcome(rest[1] ?? '')
      if (!Number.isInteger(position) || !outcome) {
        await say(ctx.t('spotcheck-usage'))
        return
      }
      if (!await campaign.spotChecks.record(check.id, position, outcome, rest.slice(2).join(' ') || null)) {
        await say(ctx.t('spotcheck-no-item', { position: position + 1 }))
        return
      }
    }
    await say(await render((await campaign.spotChecks.find(check.id))!))
  })

  return feature
}
