/**
 * Records events in the caller's transaction (事件通知): a rolled-back change leaves no event, a committed one
 * is delivered at least once (delivery.ts). One statement however many events: the columns travel as arrays
 * (a bulk move of fifty thousand customers is six parameters, not three hundred thousand). Call it after the change
 * (its rows locked): the delivery sends events in the order they committed, and in id order among those that
 * committed between two of its rounds, which keeps a resource's events in the order of its changes only if each
 * is written after its change.
 */
import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { namedRows } from '../../db/statements.js';
import type { DomainEvent, TmfApi } from './types.js';

export async function publishEvents(tx: Executor, events: DomainEvent[]): Promise<void> {
  if (!events.length) return;
  const column = (pick: (e: DomainEvent) => string | null) => sql.param(events.map(pick));
  await namedRows(
    tx,
    sql`
    INSERT INTO event_outbox (api, event_type, resource_type, resource_id, fields)
    SELECT api, event_type, resource_type, resource_id, fields::jsonb
    FROM unnest(${column((e) => e.api)}::text[], ${column((e) => e.eventType)}::text[], ${column((e) => e.resourceType)}::text[],
      ${column((e) => e.resourceId)}::text[], ${column((e) => (e.fields ? JSON.stringify(e.fields) : null))}::text[])
      WITH ORDINALITY AS t(api, event_type, resource_type, resource_id, fields, n)
    ORDER BY n`,
  );
}

/** The events of one resource type of an API, by event type and id; `fieldPath` names the fields changed. */
export const resourceEvents =
  (api: TmfApi, resourceType: string) =>
  (eventType: string, id: number | string, fieldPath?: string): DomainEvent => ({
    api,
    eventType,
    resourceType,
    resourceId: String(id),
    ...(fieldPath && { fields: { fieldPath } }),
  });
