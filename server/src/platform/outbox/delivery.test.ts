import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Config } from '../../config.js';
import { openDatabase, type Database } from '../../db/client.js';
import { startTestSystem, testDbKind, type TestSystem } from '../../db/testing.js';
import { ALL_PERMISSIONS } from '../auth/permissions.js';
import { systemActor } from '../auth/principal.js';
import { makeDeps, type Deps } from '../deps.js';
import type { ApiCaller } from '../http/access.js';
import { placeEvents, startEventDelivery, type EventDelivery } from './delivery.js';
import { outboxHealth } from './health.js';
import { TestListener } from './listener.testing.js';
import { publishEvents } from './outbox.js';
import { pruneOutbox } from './prune.js';
import { registerEventRenderer } from './renderers.js';
import { verifySignature } from './signature.js';
import { listDeadLetters, listSubscriptions, registerListener, removeSubscription, replayDeadLetters } from './subscriptions.js';
import type { DomainEvent } from './types.js';

let system: TestSystem;
const actor = systemActor(new Set(ALL_PERMISSIONS));
const caller: ApiCaller = { kind: 'user', actor, clientId: null, pii: false };
/** Quick rounds and short waits, so that retries show within a test. */
const FAST: Partial<Config> = {
  EVENT_POLL_MS: 20,
  EVENT_RETRY_BASE_MS: 20,
  EVENT_RETRY_MAX_SECONDS: 0.2,
  EVENT_DELIVERY_TIMEOUT_SECONDS: 1,
  EVENT_DELIVERY_MAX_ATTEMPTS: 1000,
  EVENT_BATCH_SIZE: 50,
};
const waitLong = { timeout: 20_000, interval: 20 };

beforeAll(async () => {
  system = await startTestSystem({ DEMO_CUSTOMERS: 0 });
  // a widget is shown with its name: the body carries what the renderer gives
  registerEventRenderer('Widget', (_deps, ids) => Promise.resolve(new Map(ids.map((id) => [id, { id, href: `/widgets/${id}`, name: `widget ${id}` }]))));
}, 120_000);
afterAll(() => system?.close());

const depsWith = (config: Partial<Config>, database: Database = system.database): Deps => makeDeps({ ...system.config, ...FAST, ...config }, database);

const widgetEvent = (id: string | number, eventType = 'WidgetChangeEvent', fields?: Record<string, unknown>): DomainEvent => ({
  api: 'tmf629',
  eventType,
  resourceType: 'Widget',
  resourceId: String(id),
  fields,
});

/** Runs `body` with listeners registered and delivery loops going; removes them afterwards. */
async function withListeners(n: number, body: (ls: { listener: TestListener; id: number; secret: string }[], deps: Deps) => Promise<void>, config: Partial<Config> = {}, loops = 1) {
  const deps = depsWith(config);
  const listeners = await Promise.all(
    Array.from({ length: n }, async () => {
      const listener = new TestListener();
      const reg = await registerListener(deps, 'tmf629', caller, { callback: await listener.start() });
      return { listener, id: Number(reg.id), secret: reg.secret };
    }),
  );
  const running: EventDelivery[] = Array.from({ length: loops }, () => startEventDelivery(deps, console));
  try {
    await body(listeners, deps);
  } finally {
    await Promise.all(running.map((r) => r.stop()));
    for (const l of listeners) {
      await removeSubscription(system.database, actor, l.id);
      await l.listener.stop();
    }
  }
}

describe('事件通知 delivery', () => {
  it('writes events in the transaction of the change: a rolled-back change leaves none', async () => {
    const count = async () => (await system.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM event_outbox`))[0]!.n;
    const before = await count();
    await expect(
      system.database.db.transaction(async (tx) => {
        await publishEvents(tx, [widgetEvent(1), widgetEvent(2)]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await count()).toBe(before);
    await system.database.db.transaction((tx) => publishEvents(tx, [widgetEvent(1), widgetEvent(2)]));
    expect(await count()).toBe(before + 2);
  });

  it('delivers every event at least once, in order per resource, rendered and signed', async () => {
    await withListeners(1, async ([l]) => {
      const { listener, secret } = l!;
      for (let round = 0; round < 5; round++) {
        await system.database.db.transaction((tx) => publishEvents(tx, ['a', 'b', 'c'].map((r) => widgetEvent(r, 'WidgetChangeEvent', { round }))));
      }
      await publishEvents(system.database.db, [widgetEvent('a', 'WidgetStateChangeEvent', { status: 'closed', title: 'closed' })]);
      await vi.waitFor(() => expect(listener.unique()).toHaveLength(16), waitLong);
      for (const r of ['a', 'b', 'c']) {
        const mine = listener.unique().filter((x) => x.body.event.widget!.id === r);
        expect(mine.map((x) => Number(x.body.eventId))).toEqual([...mine.map((x) => Number(x.body.eventId))].sort((p, q) => p - q));
      }
      const last = listener.received.at(-1)!;
      // the envelope takes what it knows (title), the resource the rest (the status it moved to)
      expect(last.body).toMatchObject({ eventType: 'WidgetStateChangeEvent', title: 'closed', event: { widget: { id: 'a', name: 'widget a', status: 'closed' } } });
      expect(listener.received.every((x) => verifySignature(secret, { signature: x.signature, timestamp: x.timestamp }, x.raw))).toBe(true);
      expect(verifySignature('another secret', { signature: last.signature, timestamp: last.timestamp }, last.raw)).toBe(false);
      expect(verifySignature(secret, { signature: last.signature, timestamp: last.timestamp }, last.raw.replace('closed', 'opened'))).toBe(false);
    });
  });

  it('delivers a resource without a renderer as its id and href', async () => {
    await withListeners(1, async ([l]) => {
      await publishEvents(system.database.db, [{ api: 'tmf629', eventType: 'CustomerCreateEvent', resourceType: 'Gadget', resourceId: '42' }]);
      await vi.waitFor(() => expect(l!.listener.unique()).toHaveLength(1), waitLong);
      expect(l!.listener.received[0]!.body.event).toEqual({ gadget: { id: '42', href: '/tmf-api/customerManagement/v4/gadget/42' } });
    });
  });

  it('retries a listener that answered 500, timed out or redirected, and never blocks the others', async () => {
    await withListeners(4, async ([good, failing, hanging, redirecting]) => {
      failing!.listener.behaviour = { status: 500 };
      hanging!.listener.behaviour = { hang: true };
      redirecting!.listener.behaviour = { redirect: good!.listener.url };
      await publishEvents(system.database.db, Array.from({ length: 30 }, (_, i) => widgetEvent(i % 3)));
      await vi.waitFor(() => expect(good!.listener.unique()).toHaveLength(30), waitLong);
      await vi.waitFor(() => {
        for (const l of [failing, hanging, redirecting]) expect(l!.listener.calls).toBeGreaterThanOrEqual(2);
      }, waitLong);
      const states = new Map((await listSubscriptions(system.database)).map((s) => [s.id, s]));
      expect(states.get(failing!.id)).toMatchObject({ lag: 30, lastError: 'HTTP 500' });
      expect(states.get(redirecting!.id)!.lastError).toMatch(/^HTTP 307: redirect to .* refused$/);
      expect(states.get(hanging!.id)!.lastError).toMatch(/no answer within 1000 ms/);
      for (const l of [failing, hanging, redirecting]) l!.listener.behaviour = { status: 200 };
      for (const l of [failing, hanging, redirecting]) {
        await vi.waitFor(() => expect(l!.listener.ids()).toEqual(good!.listener.ids()), waitLong);
      }
    });
  });

  it('gives an event up after its attempts into the dead letters, and replays them when asked', async () => {
    await withListeners(1, async ([l], deps) => {
      const { listener, id } = l!;
      listener.behaviour = { status: 503 };
      await publishEvents(system.database.db, [widgetEvent('x'), widgetEvent('y')]);
      await vi.waitFor(async () => expect((await listDeadLetters(system.database, { subscriptionId: id, offset: 0, limit: 10 })).total).toBe(2), waitLong);
      const dead = await listDeadLetters(system.database, { subscriptionId: id, offset: 0, limit: 10 });
      expect(dead.items.map((d) => [d.resourceId, d.attempts, d.lastError])).toEqual([['x', 3, 'HTTP 503'], ['y', 3, 'HTTP 503']]);
      expect((await outboxHealth(deps.database)).deadLetters).toBeGreaterThanOrEqual(2);
      listener.behaviour = { status: 200 };
      expect(await replayDeadLetters(system.database, actor, id)).toBe(2);
      await vi.waitFor(() => expect(listener.ids()).toEqual(['x', 'y']), waitLong);
      await vi.waitFor(async () => expect((await listDeadLetters(system.database, { subscriptionId: id, offset: 0, limit: 10 })).total).toBe(0), waitLong);
    }, { EVENT_DELIVERY_MAX_ATTEMPTS: 3 });
  });

  it('gives a listener that was down everything, in order, when it comes back', async () => {
    await withListeners(1, async ([l]) => {
      const { listener, id } = l!;
      await listener.stop();
      await publishEvents(system.database.db, Array.from({ length: 120 }, (_, i) => widgetEvent(i % 7)));
      await vi.waitFor(async () => expect((await listSubscriptions(system.database)).find((s) => s.id === id)!.failures).toBeGreaterThanOrEqual(3), waitLong);
      await listener.start();
      await vi.waitFor(() => expect(listener.unique()).toHaveLength(120), waitLong);
      const ids = listener.unique().map((r) => Number(r.body.eventId));
      expect(ids).toEqual([...ids].sort((p, q) => p - q));
      expect((await listDeadLetters(system.database, { subscriptionId: id, offset: 0, limit: 10 })).total).toBe(0);
    });
  });

  it('never lets two delivery loops send one subscription’s events at once, nor out of order', async () => {
    // on PostgreSQL the second loop has a database (and advisory-lock connection) of its own, as another server would
    const second = testDbKind === 'postgres' ? await openDatabase({ databaseUrl: system.config.DATABASE_URL }) : system.database;
    try {
      await withListeners(2, async (ls, deps) => {
        for (const l of ls) l.listener.delayMs = 2;
        const other = startEventDelivery(depsWith({ EVENT_BATCH_SIZE: 7 }, second), console);
        try {
          for (let i = 0; i < 10; i++) await publishEvents(deps.database.db, Array.from({ length: 20 }, (_, j) => widgetEvent(j % 5)));
          for (const l of ls) await vi.waitFor(() => expect(l.listener.unique()).toHaveLength(200), waitLong);
        } finally {
          await other.stop();
        }
        for (const l of ls) {
          expect(l.listener.maxInFlight).toBe(1);
          // (an event may come twice, one after the other, when its answer was late on a loaded machine: never at once)
          const ids = l.listener.received.map((r) => Number(r.body.eventId));
          expect(ids).toEqual([...ids].sort((p, q) => p - q));
        }
      }, { EVENT_BATCH_SIZE: 5 }, 2);
    } finally {
      if (second !== system.database) await second.close();
    }
  });

  it('places committed events after every event placed before, in the order of their ids', async () => {
    const placed = async () => Number((await system.database.rows<{ n: number }>(sql`SELECT coalesce(max(position), 0) AS n FROM event_outbox`))[0]!.n);
    await placeEvents(system.database);
    const before = await placed();
    await system.database.db.transaction((tx) => publishEvents(tx, [widgetEvent('p1'), widgetEvent('p2'), widgetEvent('p3')]));
    const rows = async () =>
      system.database.rows<{ id: number; position: number | null }>(sql`SELECT id, position FROM event_outbox WHERE resource_id IN ('p1', 'p2', 'p3') ORDER BY id`);
    // not placed (so not delivered) until the placing after the commit
    expect((await rows()).map((r) => r.position)).toEqual([null, null, null]);
    expect(await placeEvents(system.database, 2)).toBe(3);
    const positions = (await rows()).map((r) => Number(r.position));
    expect(positions).toEqual([before + 1, before + 2, before + 3]);
    expect(await placeEvents(system.database)).toBe(0);
  });

  it.skipIf(testDbKind !== 'postgres')(
    'delivers an event whose transaction commits after a later one, and a resource’s events in the order of their commits (PostgreSQL: concurrent transactions need connections of their own; PGlite has one)',
    async () => {
      const connect = async () => {
        const c = new pg.Client({ connectionString: system.config.DATABASE_URL });
        await c.connect();
        return c;
      };
      const [early, late, long] = await Promise.all([connect(), connect(), connect()]);
      const insert = async (c: pg.Client, resource: string, step: number) =>
        Number(
          (
            await c.query<{ id: string }>(
              `INSERT INTO event_outbox (api, event_type, resource_type, resource_id, fields) VALUES ('tmf629', 'WidgetChangeEvent', 'Widget', $1, $2) RETURNING id`,
              [resource, JSON.stringify({ step })],
            )
          ).rows[0]!.id,
        );
      try {
        // a transaction takes the lower id and is still open when the listener registers
        await early.query('BEGIN');
        const lowId = await insert(early, 'early', 1);
        await withListeners(1, async ([l]) => {
          const { listener, id } = l!;
          // another one takes a higher id and commits first: it is delivered, and the cursor passes it
          await late.query('BEGIN');
          const highId = await insert(late, 'late', 1);
          await late.query('COMMIT');
          expect(highId).toBeGreaterThan(lowId);
          await vi.waitFor(() => expect(listener.ids()).toEqual(['late']), waitLong);
          const passed = async () =>
            (await system.database.rows<{ passed: boolean }>(sql`SELECT s.cursor >= e.position AS passed FROM event_subscriptions s, event_outbox e WHERE s.id = ${id} AND e.id = ${highId}`))[0]?.passed;
          await vi.waitFor(async () => expect(await passed()).toBe(true), waitLong);
          // the lower id commits last: it is delivered all the same (placed after what was delivered)
          await early.query('COMMIT');
          await vi.waitFor(() => expect(listener.ids()).toEqual(['late', 'early']), waitLong);
          expect(listener.unique().map((r) => Number(r.body.eventId))).toEqual([highId, lowId]);

          // a resource changed by two transactions, the second of which began writing (took its transaction id)
          // before the first: its events come in the order of the commits
          await long.query('BEGIN');
          await insert(long, 'unrelated', 1);
          await system.database.db.transaction((tx) => publishEvents(tx, [widgetEvent('shared', 'WidgetChangeEvent', { step: 1 })]));
          await insert(long, 'shared', 2);
          await long.query('COMMIT');
          await vi.waitFor(() => expect(listener.ids()).toHaveLength(5), waitLong);
          const shared = listener.unique().filter((r) => r.body.event.widget!.id === 'shared');
          expect(shared.map((r) => r.body.event.widget!.step)).toEqual([1, 2]);
          // (the cursor moves a moment after the listener's answer)
          await vi.waitFor(async () => expect((await listSubscriptions(system.database)).find((s) => s.id === id)!.lag).toBe(0), waitLong);
        });
      } finally {
        await Promise.all([early, late, long].map((c) => c.end()));
      }
    },
    60_000,
  );

  it('removes delivered events after their retention, and keeps those still owed or dead', async () => {
    const deps = depsWith({ EVENT_RETENTION_DAYS: 1 });
    const { id } = await registerListener(deps, 'tmf621', caller, { callback: 'http://127.0.0.1:9/none' });
    const ticket = (n: string): DomainEvent => ({ api: 'tmf621', eventType: 'TroubleTicketCreateEvent', resourceType: 'TroubleTicket', resourceId: n });
    await publishEvents(system.database.db, [ticket('delivered'), ticket('dead'), ticket('owed')]);
    const ids = async () => (await system.database.rows<{ id: number; resource_id: string }>(sql`SELECT id, resource_id FROM event_outbox WHERE api = 'tmf621' ORDER BY id`)).map((r) => r.resource_id);
    const idOf = async (r: string) => Number((await system.database.rows<{ id: number }>(sql`SELECT id FROM event_outbox WHERE resource_id = ${r} AND api = 'tmf621'`))[0]!.id);
    // the first was delivered, the second given up (the cursor moved past it), the third is still owed; all three are old
    await placeEvents(system.database);
    await system.database.db.execute(sql`
      UPDATE event_subscriptions s SET cursor = e.position FROM event_outbox e WHERE e.id = ${await idOf('dead')} AND s.id = ${Number(id)}`);
    await system.database.db.execute(sql`INSERT INTO event_dead_letters (subscription_id, event_id, attempts) VALUES (${Number(id)}, ${await idOf('dead')}, 3)`);
    await system.database.db.execute(sql`UPDATE event_outbox SET created_at = now() - interval '2 days' WHERE api = 'tmf621'`);
    expect(await pruneOutbox(deps)).toEqual({ removed: 1 });
    expect(await ids()).toEqual(['dead', 'owed']);
    await removeSubscription(system.database, actor, Number(id));
  });
});
