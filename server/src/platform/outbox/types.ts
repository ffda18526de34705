/**
 * 事件通知 (TMF hub events), the contract between the areas that change resources, the outbox that keeps their
 * events, and the TM Forum façade that renders them. An area records an event in the transaction of the change
 * (`publishEvents`, outbox.ts) naming the resource only; the delivery renders the resource as the API shows it,
 * a batch at a time, through the renderer its API registered (a module registers, the platform never imports one).
 */
import type { Deps } from '../deps.js';

/** The TM Forum APIs that publish events. */
export type TmfApi = 'tmf629' | 'tmf632' | 'tmf621' | 'tmf658';

export interface DomainEvent {
  api: TmfApi;
  /** The TMF event type: CustomerCreateEvent, CustomerAttributeValueChangeEvent, TroubleTicketStatusChangeEvent, … */
  eventType: string;
  /** The TMF resource type the renderer knows: Customer, TroubleTicket, … */
  resourceType: string;
  resourceId: string;
  /** What the change knew that the resource's later state may not show (the status moved to, the fields changed). */
  fields?: Record<string, unknown>;
}

/** Renders resources of one type by id, as their API shows them (ids it cannot find are left out). */
export type EventRenderer = (deps: Deps, resourceIds: string[]) => Promise<Map<string, unknown>>;
