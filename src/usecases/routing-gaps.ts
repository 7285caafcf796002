import type { Catalog, Department } from '#root/domain/catalog.js'
import type { Logger } from '#root/logger.js'
import type { ChatStore } from '#root/store/chat-store.js'

export interface RoutingGapsDependencies {
  chats: Pick<ChatStore, 'list'>
  catalog: () => Catalog
}

/** Where new tickets cannot go straight to their department yet. */
export interface RoutingGaps {
  /** Departments with no handlers' group: their tickets wait for triage in the admins' group. */
  departmentsWithoutGroup: Department[]
  /** No admins' group: a ticket no department's group takes is seen by nobody until one is bound. */
  noAdminsGroup: boolean
}

export async function findRoutingGaps(deps: RoutingGapsDependencies): Promise<RoutingGaps> {
  const [handlers, admins] = await Promise.all([deps.chats.list('handlers'), deps.chats.list('admins')])
  const bound = new Set(handlers.map(h => h.departmentId))
  return {
    departmentsWithoutGroup: deps.catalog().departments.filter(d => !bound.has(d.id)),
    noAdminsGroup: admins.length === 0,
  }
}

/** One start-up log line saying which departments have no handlers' group yet, and whether the admins' group is missing. */
export async function logRoutingGaps(deps: RoutingGapsDependencies & { logger: Logger }): Promise<void> {
  const gaps = await findRoutingGaps(deps)
  const departmentsWithoutGroup = gaps.departmentsWithoutGroup.map(d => d.id)
  if (departmentsWithoutGroup.length === 0 && !gaps.noAdminsGroup) {
    deps.logger.info('every department has a handlers\' group, and there is an admins\' group')
    return
  }
  deps.logger.warn(
    { departmentsWithoutGroup, noAdminsGroup: gaps.noAdminsGroup },
    gaps.noAdminsGroup
      ? 'no admins\' group: tickets of departments without a handlers\' group are seen by no group (admins are told privately); /bind admins'
      : 'departments without a handlers\' group: their tickets wait for triage in the admins\' group',
  )
}
