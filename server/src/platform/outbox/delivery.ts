/**
 * 事件投递: delivers the outbox to the listeners, at least once and in order per subscription (so per resource).
 *
 * Every server instance runs the loop. Each round (EVENT_POLL_MS) it finds the subscriptions that are due and
 * have events after their cursor, and serves each on its own (a slow or failing listener never holds up another),
 * under an advisory lock per subscription so that one instance at a time serves it. Serving reads a batch of events
 * after the cursor, renders their resources once per type, POSTs them one by one, and moves the cursor past those
 * handed over in one UPDATE. The first failure stops the batch: the subscription waits (exponential back-off with
 * jitter, at most EVENT_RETRY_MAX_SECONDS) and retries that event; after EVENT_DELIVERY_MAX_ATTEMPTS attempts or
 * EVENT_DELIVERY_MAX_HOURS it becomes a dead letter and the stream goes on. Nothing is held open across an HTTP
 * call: no transaction (PGlite has one connection) and no row lock (the advisory lock is on its own connection).
 *
 * Commit order. An event's id is taken when its transaction inserts it, not when that transaction commits: two
 * transactions publishing at once may commit in the opposite order of their ids, and a cursor on the id would pass
 * over the lower one if it committed after a round had read the higher. So the delivery follows `position`, given
 * after the commit: each round first places the events committed since the last (`placeEvents`: one instance at a
 * time, under a transaction-level advisory lock, numbered from event_outbox_position_seq in id order). An event
 * committed late is placed after everything placed before, never behind a cursor, and the events of one resource
 * keep the order of their commits (two transactions changing one resource are serialised by its row lock).
 */
import { inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { eventDeadLetters } from '../../db/schema/index.js';
import { walkQueuesByIndex } from '../../db/statements.js';
import type { Deps } from '../deps.js';
import { runKey, runLocks } from '../jobs/run-locks.js';
import { matchesAttributes, parseHubQuery, type HubFilter } from './callback.js';
import { Poster } from './post.js';
import { renderedKey, renderResources, resourceHref, resourceName } from './renderers.js';
import { signBody, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature.js';
import type { TmfApi } from './types.js';

/** The advisory lock class of subscriptions being served ("KAM" and a number, beside platform/jobs/run-locks.ts's). */
export const EVENT_LOCK_CLASS = 0x4b414d10;
/** Within that class, the key of placing events (subscription ids start at 1). */
const PLACING_KEY = 0;
/** Events placed in one statement. */
const PLACE_BATCH = 10_000;

interface Subscription {
  id: number;
  api: TmfApi;
  callback: string;
  query: string | null;
  secret_enc: string;
  cursor: number;
  failures: number;
  head_attempts: number;
  head_failing_since: Date | string | null;
}

export interface OutboxEvent {
  id: number;
  position: number;
  event_type: string;
  resource_type: string;
  resource_id: string;
  fields: Record<string, unknown> | null;
  created_at: Date | string;
}

interface Listener {
  sub: Subscription;
  url: URL;
  secret: string;
  filter: HubFilter;
}

/** What a subscription's round did: how far it got (a position), and the event it failed on if it did. */
interface Outcome {
  upTo: number;
  delivered: number;
  failed?: { eventId: number; position: number; error: string };
}

/** Fields of an event that belong to the envelope; the others say more about the resource and are merged into it. */
const ENVELOPE = new Set(['correlationId', 'domain', 'title', 'description', 'priority', 'fieldPath']);

/** The TMF event body: the envelope and the resource as its API shows it, or `{ id, href }` when it cannot be rendered. */
export function eventBody(api: TmfApi, e: OutboxEvent, rendered: unknown): Record<string, unknown> {
  const envelope: Record<string, unknown> = {};
  const more: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e.fields ?? {})) (ENVELOPE.has(k) ? envelope : more)[k] = v;
  const resource = { ...((rendered as object | undefined) ?? { id: e.resource_id, href: resourceHref(api, e.resource_type, e.resource_id) }), ...more };
  return {
    eventId: String(e.id),
    eventTime: new Date(e.created_at).toISOString(),
    eventType: e.event_type,
    ...envelope,
    event: { [resourceName(e.resource_type)]: resource },
  };
}

export interface EventDelivery {
  stop(): Promise<void>;
}

interface Logger {
  error(obj: object, msg: string): void;
}

class Worker {
  stopped = false;
  readonly abort = new AbortController();
  readonly poster: Poster;
  /** Lock calls one after another: the lock connection (PostgreSQL) takes one query at a time. */
  private locking: Promise<unknown> = Promise.resolve();
  constructor(
    readonly deps: Deps,
    readonly log: Logger,
  ) {
    this.poster = new Poster(deps.config.EVENT_DELIVERY_TIMEOUT_SECONDS * 1000);
  }

  /** Serves one subscription until it has nothing due, unless another instance serves it. */
  async serve(id: number): Promise<void> {
    const locks = runLocks(this.deps);
    const key = runKey(EVENT_LOCK_CLASS, id);
    if (!(await this.serially(() => locks.tryLock(key)))) return;
    try {
      while (!this.stopped && (await this.round(id)));
    } finally {
      await this.serially(() => locks.unlock(key));
    }
  }

  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.locking.then(fn, fn);
    this.locking = next.catch(() => undefined);
    return next;
  }

  /** One batch; true when there may be more to send at once. */
  private async round(id: number): Promise<boolean> {
    const { database, config, pii } = this.deps;
    const [sub] = await database.rows<Subscription & { replays: boolean }>(sql`
      SELECT id, api, callback, query, secret_enc, cursor, failures, head_attempts, head_failing_since,
        EXISTS (SELECT 1 FROM event_dead_letters d WHERE d.subscription_id = s.id AND d.replay_requested_at IS NOT NULL) AS replays
      FROM event_subscriptions s WHERE id = ${id} AND active AND next_attempt_at <= now()`);
    if (!sub) return false;
    const listener: Listener = { sub, url: new URL(sub.callback), secret: pii.decrypt(Buffer.from(sub.secret_enc, 'base64')), filter: parseHubQuery(sub.query) };
    if (sub.replays) {
      const replays = await database.rows<OutboxEvent & { dead_id: number }>(sql`
        SELECT d.id AS dead_id, e.id, e.position, e.event_type, e.resource_type, e.resource_id, e.fields, e.created_at
        FROM event_dead_letters d JOIN event_outbox e ON e.id = d.event_id
        WHERE d.subscription_id = ${id} AND d.replay_requested_at IS NOT NULL ORDER BY e.position LIMIT ${config.EVENT_BATCH_SIZE}`);
      return this.replay(listener, replays);
    }
    const events = await database.rows<OutboxEvent>(sql`
      SELECT id, position, event_type, resource_type, resource_id, fields, created_at FROM event_outbox
      WHERE api = ${sub.api} AND position > ${sub.cursor} ORDER BY position LIMIT ${config.EVENT_BATCH_SIZE}`);
    if (!events.length) return false;
    const outcome = await this.send(listener, events);
    await recordOutcome(this.deps, sub, outcome);
    return !outcome.failed && events.length === config.EVENT_BATCH_SIZE;
  }

  /** POSTs the events in order until one fails; those the filter leaves out are passed over. */
  private async send(listener: Listener, events: OutboxEvent[]): Promise<Outcome> {
    const { sub, filter } = listener;
    const outcome: Outcome = { upTo: sub.cursor, delivered: 0 };
    const wanted = filter.eventTypes ? events.filter((e) => filter.eventTypes!.has(e.event_type)) : events;
    let rendered: Map<string, unknown>;
    try {
      rendered = await renderResources(this.deps, wanted.map((e) => ({ resourceType: e.resource_type, resourceId: e.resource_id })));
    } catch (err) {
      return { ...outcome, failed: { eventId: events[0]!.id, position: events[0]!.position, error: `rendering failed: ${String(err)}`.slice(0, 500) } };
    }
    const passing = new Set(wanted);
    for (const e of events) {
      const body = passing.has(e) ? eventBody(sub.api, e, rendered.get(renderedKey(e.resource_type, e.resource_id))) : null;
      const resource = body && Object.values(body.event as object)[0];
      if (body && matchesAttributes(filter, resource)) {
        const error = await this.post(listener, e.id, body);
        if (error !== null) return this.stopped ? outcome : { ...outcome, failed: { eventId: e.id, position: e.position, error } };
        outcome.delivered++;
      }
      outcome.upTo = e.position;
    }
    return outcome;
  }

  /** Dead letters asked for again, oldest first: each delivered is removed; the first that fails stays, with its new error. */
  private async replay(listener: Listener, replays: (OutboxEvent & { dead_id: number })[]): Promise<boolean> {
    const { database } = this.deps;
    const rendered = await renderResources(this.deps, replays.map((e) => ({ resourceType: e.resource_type, resourceId: e.resource_id })));
    const done: number[] = [];
    let failed: { deadId: number; error: string } | null = null;
    for (const e of replays) {
      const error = await this.post(listener, e.id, eventBody(listener.sub.api, e, rendered.get(renderedKey(e.resource_type, e.resource_id))));
      if (error !== null) {
        if (!this.stopped) failed = { deadId: e.dead_id, error };
        break;
      }
      done.push(e.dead_id);
    }
    if (done.length) await database.db.delete(eventDeadLetters).where(inArray(eventDeadLetters.id, done));
    if (failed) {
      await database.db.execute(sql`
        UPDATE event_dead_letters SET replay_requested_at = NULL, attempts = attempts + 1, last_error = ${failed.error}, dead_at = now() WHERE id = ${failed.deadId}`);
      await database.db.execute(sql`
        UPDATE event_subscriptions SET failures = failures + 1, last_error = ${failed.error}, last_error_at = now(),
          next_attempt_at = now() + make_interval(secs => ${backoffSeconds(this.deps, listener.sub.failures + 1)}) WHERE id = ${listener.sub.id}`);
    }
    return !failed && !this.stopped;
  }

  /** null when delivered, else what went wrong. */
  private async post(listener: Listener, eventId: number, body: Record<string, unknown>): Promise<string | null> {
    const text = JSON.stringify(body);
    const timestamp = String(Math.floor(Date.now() / 1000));
    try {
      await this.poster.post(listener.url, text, { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: signBody(listener.secret, timestamp, text), 'x-kam-event-id': String(eventId) }, this.abort.signal);
      return null;
    } catch (err) {
      return (err instanceof Error ? err.message : String(err)).slice(0, 500);
    }
  }
}

/** The wait before the next attempt after `failures` failures in a row: doubling, capped, with jitter (half to all of it). */
export function backoffSeconds(deps: Pick<Deps, 'config'>, failures: number): number {
  const { EVENT_RETRY_BASE_MS, EVENT_RETRY_MAX_SECONDS } = deps.config;
  const full = Math.min(EVENT_RETRY_MAX_SECONDS * 1000, EVENT_RETRY_BASE_MS * 2 ** Math.min(failures - 1, 30));
  return (full / 2 + (Math.random() * full) / 2) / 1000;
}

/**
 * Moves the cursor past what was handed over; on a failure, counts the attempt on the head event and waits, or
 * gives the head up as a dead letter (then the cursor moves past it too, and the next event waits its turn).
 */
async function recordOutcome(deps: Deps, sub: Subscription, outcome: Outcome): Promise<void> {
  const { database, config } = deps;
  const { failed } = outcome;
  if (!failed) {
    await database.db.execute(sql`
      UPDATE event_subscriptions SET cursor = ${outcome.upTo}, delivered = delivered + ${outcome.delivered},
        last_delivered_at = CASE WHEN ${outcome.delivered} > 0 THEN now() ELSE last_delivered_at END,
        failures = 0, head_attempts = 0, head_failing_since = NULL WHERE id = ${sub.id}`);
    return;
  }
  // the same head as before when nothing was handed over in this round
  const sameHead = outcome.upTo === sub.cursor;
  const attempts = (sameHead ? sub.head_attempts : 0) + 1;
  const since = sameHead && sub.head_failing_since ? new Date(sub.head_failing_since) : new Date();
  const giveUp = attempts >= config.EVENT_DELIVERY_MAX_ATTEMPTS || Date.now() - since.getTime() >= config.EVENT_DELIVERY_MAX_HOURS * 3_600_000;
  const wait = backoffSeconds(deps, sub.failures + 1);
  await database.db.transaction(async (tx) => {
    if (giveUp) await tx.execute(sql`INSERT INTO event_dead_letters (subscription_id, event_id, attempts, last_error) VALUES (${sub.id}, ${failed.eventId}, ${attempts}, ${failed.error})`);
    await tx.execute(sql`
      UPDATE event_subscriptions SET cursor = ${giveUp ? failed.position : outcome.upTo}, delivered = delivered + ${outcome.delivered},
        last_delivered_at = CASE WHEN ${outcome.delivered} > 0 THEN now() ELSE last_delivered_at END,
        failures = failures + 1, head_attempts = ${giveUp ? 0 : attempts}, head_failing_since = ${giveUp ? null : since.toISOString()}::timestamptz,
        last_error = ${failed.error}, last_error_at = now(), next_attempt_at = now() + make_interval(secs => ${wait}) WHERE id = ${sub.id}`);
  });
}

/**
 * Places the events committed and not placed yet, after every event placed before, in the order of their ids (so
 * in the order of their commits, but for transactions committing at the same moment). One instance at a time: the
 * placing transaction holds an advisory lock until it commits, so that the positions of one placing are all
 * visible before the next one begins and a position never becomes visible below one already read. An instance that
 * finds the lock held leaves the placing to the other one. Returns how many events were placed.
 */
export async function placeEvents(database: Database, batch = PLACE_BATCH): Promise<number> {
  let placed = 0;
  for (;;) {
    // most rounds find nothing to place: asked first outside a transaction (the partial index answers), since on
    // PGlite a transaction a round holds the one connection and its thread (the two-loop test ran 3× slower)
    const [waiting] = await database.rows<{ any: boolean }>(sql`SELECT EXISTS (SELECT 1 FROM event_outbox WHERE position IS NULL) AS any`);
    if (!waiting?.any) return placed;
    const n = await database.db.transaction(async (tx) => {
      const [lock] = await database.rows<{ held: boolean }>(sql`SELECT pg_try_advisory_xact_lock(${EVENT_LOCK_CLASS}, ${PLACING_KEY}) AS held`, tx);
      if (!lock?.held) return 0;
      await walkQueuesByIndex(tx);
      // numbered in a materialised CTE (nextval is volatile) over the events in id order
      const [row] = await database.rows<{ n: number }>(sql`
        WITH numbered AS (
          SELECT id, nextval('event_outbox_position_seq') AS position
          FROM (SELECT id FROM event_outbox WHERE position IS NULL ORDER BY id LIMIT ${batch}) unplaced),
        placed AS (UPDATE event_outbox e SET position = numbered.position FROM numbered WHERE e.id = numbered.id RETURNING 1)
        SELECT count(*)::int AS n FROM placed`, tx);
      return Number(row?.n ?? 0);
    });
    placed += n;
    if (n < batch) return placed;
  }
}

/** The subscriptions with something to send now. */
async function dueSubscriptions(database: Database): Promise<number[]> {
  await placeEvents(database);
  const rows = await database.rows<{ id: number }>(sql`
    SELECT s.id FROM event_subscriptions s WHERE s.active AND s.next_attempt_at <= now() AND (
      EXISTS (SELECT 1 FROM event_outbox e WHERE e.api = s.api AND e.position > s.cursor)
      OR EXISTS (SELECT 1 FROM event_dead_letters d WHERE d.subscription_id = s.id AND d.replay_requested_at IS NOT NULL))`);
  return rows.map((r) => Number(r.id));
}

/** Starts the delivery loop of this instance (main.ts `serve`, beside the scheduler); `stop` waits for the rounds under way. */
export function startEventDelivery(deps: Deps, log: Logger): EventDelivery {
  const worker = new Worker(deps, log);
  const serving = new Map<number, Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      for (const id of await dueSubscriptions(deps.database)) {
        if (worker.stopped || serving.has(id)) continue;
        const run = worker
          .serve(id)
          .catch((err: unknown) => log.error({ err, subscription: id }, 'event delivery failed'))
          .finally(() => serving.delete(id));
        serving.set(id, run);
      }
    } catch (err) {
      log.error({ err }, 'event delivery could not look for work');
    }
    if (!worker.stopped) timer = setTimeout(() => (ticking = tick()), deps.config.EVENT_POLL_MS);
  };
  ticking = tick();
  return {
    async stop() {
      worker.stopped = true;
      clearTimeout(timer);
      worker.abort.abort();
      await ticking;
      await Promise.all(serving.values());
      worker.poster.close();
    },
  };
}
