/**
 * The listeners (hub subscriptions) and their dead letters: registered through a TMF hub by a machine client or
 * a user, watched and steered by an administrator in the console (系统管理 › 事件通知). Every change is audited.
 */
import { randomBytes } from 'node:crypto';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { eventDeadLetters, eventSubscriptions } from '../../db/schema/index.js';
import { updateAtVersion } from '../../db/versioned.js';
import { audit } from '../audit/audit.js';
import type { Actor } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { notFound, versionConflict } from '../errors.js';
import type { ApiCaller } from '../http/access.js';
import { checkCallback, parseHubQuery } from './callback.js';
import { placeEvents } from './delivery.js';
import type { TmfApi } from './types.js';

const ENTITY = 'event_subscription';

export interface HubRegistration {
  id: string;
  callback: string;
  query: string | null;
  /** The key of the signature (docs/events.md): shown once, at registration. */
  secret: string;
}

/** POST <api>/hub: the listener receives the events written from now on. */
export async function registerListener(deps: Deps, api: TmfApi, caller: ApiCaller, input: { callback: string; query?: string | null }): Promise<HubRegistration> {
  const callback = await checkCallback(deps.config, input.callback);
  const query = input.query?.trim() || null;
  parseHubQuery(query);
  const secret = randomBytes(32).toString('base64url');
  // the events committed so far are placed first, so that they fall before the cursor (unless another instance is
  // placing them right now: then some may be delivered, which is harmless)
  await placeEvents(deps.database);
  return deps.database.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(eventSubscriptions)
      .values({
        api,
        callback,
        query,
        secretEnc: deps.pii.encrypt(secret).toString('base64'),
        clientId: caller.clientId,
        userId: caller.kind === 'user' ? caller.actor.userId : null,
        // from the last position given on: the events placed before the registration are not owed, those
        // not placed yet (committed later, or by a transaction still running) are
        cursor: sql`coalesce(pg_sequence_last_value('event_outbox_position_seq'), 0)`,
      })
      .returning({ id: eventSubscriptions.id });
    await audit(tx, caller.actor, { action: 'create', entity: ENTITY, entityId: row!.id, after: { api, callback, query, clientId: caller.clientId } });
    return { id: String(row!.id), callback, query, secret };
  });
}

/** DELETE <api>/hub/{id}: a client removes its own listeners; a user with the permission any of the API. */
export async function unregisterListener(deps: Deps, api: TmfApi, caller: ApiCaller, id: number): Promise<void> {
  const owned = caller.kind === 'client' ? eq(eventSubscriptions.clientId, caller.clientId ?? '') : undefined;
  const [row] = await deps.database.db
    .select({ id: eventSubscriptions.id })
    .from(eventSubscriptions)
    .where(and(eq(eventSubscriptions.id, id), eq(eventSubscriptions.api, api), owned));
  if (!row) throw notFound(ENTITY);
  await removeSubscription(deps.database, caller.actor, id);
}

export async function removeSubscription(database: Database, actor: Actor, id: number): Promise<void> {
  await database.db.transaction(async (tx) => {
    const [gone] = await tx.delete(eventSubscriptions).where(eq(eventSubscriptions.id, id)).returning({ api: eventSubscriptions.api, callback: eventSubscriptions.callback });
    if (!gone) throw notFound(ENTITY);
    await tx.delete(eventDeadLetters).where(eq(eventDeadLetters.subscriptionId, id));
    await audit(tx, actor, { action: 'delete', entity: ENTITY, entityId: id, before: gone });
  });
}

export interface SubscriptionState {
  id: number;
  api: string;
  callback: string;
  query: string | null;
  clientId: string | null;
  userId: number | null;
  active: boolean;
  /** Events of its API after the last one handed over (those committed and not placed yet included). */
  lag: number;
  delivered: number;
  deadLetters: number;
  failures: number;
  nextAttemptAt: Date;
  lastError: string | null;
  lastErrorAt: Date | null;
  lastDeliveredAt: Date | null;
  createdAt: Date;
  version: number;
}

/** Every listener with how far behind it is and what went wrong last. */
export async function listSubscriptions(database: Database): Promise<SubscriptionState[]> {
  const rows = await database.rows<Record<string, unknown>>(sql`
    SELECT s.id, s.api, s.callback, s.query, s.client_id, s.user_id, s.active, s.delivered, s.failures, s.next_attempt_at,
      s.last_error, s.last_error_at, s.last_delivered_at, s.created_at, s.version,
      (SELECT count(*)::int FROM event_outbox e WHERE e.api = s.api AND (e.position > s.cursor OR e.position IS NULL)) AS lag,
      (SELECT count(*)::int FROM event_dead_letters d WHERE d.subscription_id = s.id) AS dead_letters
    FROM event_subscriptions s ORDER BY s.id`);
  const at = (v: unknown) => (v == null ? null : new Date(v as string));
  return rows.map((r) => ({
    id: Number(r.id),
    api: String(r.api),
    callback: String(r.callback),
    query: (r.query as string | null) ?? null,
    clientId: (r.client_id as string | null) ?? null,
    userId: r.user_id == null ? null : Number(r.user_id),
    active: Boolean(r.active),
    lag: Number(r.lag),
    delivered: Number(r.delivered),
    deadLetters: Number(r.dead_letters),
    failures: Number(r.failures),
    nextAttemptAt: at(r.next_attempt_at)!,
    lastError: (r.last_error as string | null) ?? null,
    lastErrorAt: at(r.last_error_at),
    lastDeliveredAt: at(r.last_delivered_at),
    createdAt: at(r.created_at)!,
    version: Number(r.version),
  }));
}

/** Pauses (nothing is delivered, events wait) or resumes a listener, at the version the administrator saw. */
export async function setSubscriptionActive(database: Database, actor: Actor, id: number, version: number, active: boolean): Promise<void> {
  await database.db.transaction(async (tx) => {
    const [before] = await tx.select({ active: eventSubscriptions.active }).from(eventSubscriptions).where(eq(eventSubscriptions.id, id));
    if (!before) throw notFound(ENTITY);
    // resumed: tried at once, whatever back-off it was in
    if (!(await updateAtVersion(tx, eventSubscriptions, id, version, { active, ...(active && { failures: 0, nextAttemptAt: sql`now()` }) }))) throw versionConflict();
    await audit(tx, actor, { action: 'update', entity: ENTITY, entityId: id, before, after: { active } });
  });
}

export interface DeadLetter {
  id: number;
  subscriptionId: number;
  eventId: number;
  eventType: string;
  resourceType: string;
  resourceId: string;
  eventTime: Date;
  attempts: number;
  lastError: string | null;
  deadAt: Date;
  replayRequestedAt: Date | null;
}

export async function listDeadLetters(database: Database, page: { subscriptionId?: number; offset: number; limit: number }): Promise<{ items: DeadLetter[]; total: number }> {
  const where = page.subscriptionId ? sql`WHERE d.subscription_id = ${page.subscriptionId}` : sql``;
  const [rows, [count]] = await Promise.all([
    database.rows<Record<string, unknown>>(sql`
      SELECT d.id, d.subscription_id, d.event_id, e.event_type, e.resource_type, e.resource_id, e.created_at, d.attempts, d.last_error, d.dead_at, d.replay_requested_at
      FROM event_dead_letters d JOIN event_outbox e ON e.id = d.event_id ${where}
      ORDER BY d.subscription_id, e.position OFFSET ${page.offset} LIMIT ${page.limit}`),
    database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM event_dead_letters d ${where}`),
  ]);
  const items = rows.map((r) => ({
    id: Number(r.id),
    subscriptionId: Number(r.subscription_id),
    eventId: Number(r.event_id),
    eventType: String(r.event_type),
    resourceType: String(r.resource_type),
    resourceId: String(r.resource_id),
    eventTime: new Date(r.created_at as string),
    attempts: Number(r.attempts),
    lastError: (r.last_error as string | null) ?? null,
    deadAt: new Date(r.dead_at as string),
    replayRequestedAt: r.replay_requested_at == null ? null : new Date(r.replay_requested_at as string),
  }));
  return { items, total: Number(count?.n ?? 0) };
}

/**
 * Asks for the dead letters of a listener (those listed, or all) to be delivered again: the next round sends
 * them, oldest first, before new events; one that fails again stays a dead letter. Returns how many were asked.
 */
export async function replayDeadLetters(database: Database, actor: Actor, subscriptionId: number, ids?: number[]): Promise<number> {
  return database.db.transaction(async (tx) => {
    const [sub] = await tx.select({ id: eventSubscriptions.id }).from(eventSubscriptions).where(eq(eventSubscriptions.id, subscriptionId));
    if (!sub) throw notFound(ENTITY);
    const chosen = ids ? inArray(eventDeadLetters.id, ids.length ? ids : [0]) : undefined;
    const asked = await tx
      .update(eventDeadLetters)
      .set({ replayRequestedAt: sql`now()` })
      .where(and(eq(eventDeadLetters.subscriptionId, subscriptionId), isNull(eventDeadLetters.replayRequestedAt), chosen))
      .returning({ id: eventDeadLetters.id, eventId: eventDeadLetters.eventId });
    if (asked.length) {
      await tx.update(eventSubscriptions).set({ nextAttemptAt: sql`now()`, failures: 0 }).where(eq(eventSubscriptions.id, subscriptionId));
    }
    await audit(tx, actor, { action: 'update', entity: ENTITY, entityId: subscriptionId, after: { replayed: asked.length, eventIds: asked.slice(0, 100).map((a) => a.eventId) } });
    return asked.length;
  });
}
