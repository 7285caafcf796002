import type { CorrectionMemory } from '#root/classify/correction-memory.js'
import type { Catalog } from '#root/domain/catalog.js'
import type { TicketAction } from '#root/domain/lifecycle.js'
import type { Ticket } from '#root/domain/ticket.js'
import type { Logger } from '#root/logger.js'
import type { RoutingCorrectionStore } from '#root/store/routing-correction-store.js'

/** Actions where a person decides a ticket's department: assigning from triage and reassigning. */
const ROUTING_ACTIONS: ReadonlySet<TicketAction> = new Set(['assign', 'reassign'])

export interface RoutingLearner {
  /**
   * After an action on a ticket: when a person decided its department, records the route beside the classifier's
   * and adds the report to the examples the classifiers consult. Never throws: learning is not worth failing the
   * handler's action for.
   */
  learn: (input: { ticket: Ticket, action: TicketAction, actorId: number }) => Promise<void>
}

export interface RoutingLearnerDependencies {
  store: RoutingCorrectionStore
  memory: CorrectionMemory
  catalog: () => Catalog
  /** The category of `departmentId` that best fits the text, for a ticket moved to a department its category is not of. */
  chooseCategory: (text: string, departmentId: string) => string | null
  logger: Logger
}

export function createRoutingLearner(deps: RoutingLearnerDependencies): RoutingLearner {
  return {
    async learn({ ticket, action, actorId }) {
      if (!ROUTING_ACTIONS.has(action) || !ticket.departmentId)
        return
      const departmentId = ticket.departmentId
      const current = deps.catalog().categories.find(c => c.id === ticket.categoryId)
      const categoryId = current?.departmentId === departmentId
        ? current.id
        : deps.chooseCategory(ticket.description, departmentId) ?? ticket.categoryId
      if (!categoryId)
        return
      try {
        await deps.store.record({ ticketId: ticket.id, finalCategoryId: categoryId, finalDepartmentId: departmentId, action, actorId })
        deps.memory.add({ text: ticket.description, categoryId, departmentId })
        deps.logger.info({ ticketId: ticket.id, action, categoryId, departmentId }, 'routing decision recorded as an example')
      }
      catch (error) {
        deps.logger.error({ err: error, ticketId: ticket.id }, 'could not record the routing decision')
      }
    },
  }
}
