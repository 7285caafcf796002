import type { AreaTree } from '#root/domain/area.js'
import type { SpotCheck, SpotCheckOutcome } from '#root/domain/spot-check.js'
import type { RegistryEntity } from '#root/domain/visit.js'
import type { Period } from '#root/store/coverage-store.js'
import type { RegistryStore } from '#root/store/registry-store.js'
import type { SpotCheckStore } from '#root/store/spot-check-store.js'
import { drawSample, seededRandom, SPOT_CHECK_OUTCOME_NAMES, SPOT_CHECK_OUTCOMES } from '#root/domain/spot-check.js'

export interface SpotCheckDependencies {
  spotChecks: SpotCheckStore
  registry: RegistryStore
  areas: () => AreaTree
}

export interface DrawRequest {
  districtId: string
  enterprises: number
  households: number
  /** The same seed over the same visits draws the same sample: anyone can check the draw was not picked by hand. */
  seed: string
  period: Period
  drawnBy: number
}

/** Draws N enterprises and M households among those recorded as visited in a district (and everything under it). */
export async function drawSpotCheck(deps: SpotCheckDependencies, request: DrawRequest): Promise<SpotCheck> {
  const areaIds = deps.areas().subtree(request.districtId).map(a => a.id)
  const random = seededRandom(`${request.districtId}|${request.seed}`)
  const enterprises = drawSample(await deps.spotChecks.visitedEntityIds(areaIds, 'enterprise', request.period), request.enterprises, random)
  const households = drawSample(await deps.spotChecks.visitedEntityIds(areaIds, 'household', request.period), request.households, random)
  return deps.spotChecks.create({ districtId: request.districtId, seed: request.seed, drawnBy: request.drawnBy, entityIds: [...enterprises, ...households] })
}

const OUTCOME_WORDS: Record<string, SpotCheckOutcome> = {
  属实: 'confirmed',
  走访属实: 'confirmed',
  confirmed: 'confirmed',
  未走访: 'not_visited',
  not_visited: 'not_visited',
  未解决: 'unresolved',
  问题未解决: 'unresolved',
  unresolved: 'unresolved',
  不知情: 'unaware',
  群众不知情: 'unaware',
  unaware: 'unaware',
}

export function parseOutcome(word: string): SpotCheckOutcome | null {
  return OUTCOME_WORDS[word.trim().toLowerCase()] ?? null
}

export function renderSpotCheck(check: SpotCheck, entities: Map<number, RegistryEntity>, areas: AreaTree): string {
  const district = areas.byId(check.districtId)?.name ?? check.districtId
  const lines = [
    `🔎 抽查 #${check.id}（${district}，种子 ${check.seed}）${check.inspectorName ? `，督查人：${check.inspectorName}` : '，尚未指定督查人'}`,
  ]
  for (const item of check.items) {
    const entity = entities.get(item.entityId)
    const where = entity ? `${areas.byId(entity.areaId)?.name ?? ''}${entity.address ? ` ${entity.address}` : ''}` : ''
    lines.push(`${item.position + 1}. ${entity?.name ?? `#${item.entityId}`}（${where}）：${item.outcome ? SPOT_CHECK_OUTCOME_NAMES[item.outcome] : '待核'}${item.note ? ` — ${item.note}` : ''}`)
  }
  if (check.items.length === 0)
    lines.push('该区域还没有可抽查的走访记录。')
  lines.push(`记录结果：/spotcheck ${check.id} 序号 属实|未走访|未解决|不知情 [说明]`)
  return lines.join('\n')
}

export function spotCheckLine(counts: Partial<Record<SpotCheckOutcome | 'pending', number>> | undefined): string | null {
  if (!counts)
    return null
  const parts = SPOT_CHECK_OUTCOMES.filter(o => counts[o]).map(o => `${SPOT_CHECK_OUTCOME_NAMES[o]} ${counts[o]}`)
  if (counts.pending)
    parts.push(`待核 ${counts.pending}`)
  return parts.length > 0 ? `督查抽查：${parts.join('，')}` : null
}
