/**
 * 读副本: with ANALYTICS_DATABASE_URL the heavy reads (customer exports, the team view, the scorecards' records)
 * are served by a PostgreSQL streaming replica, and nothing is ever written there. Runs on PostgreSQL with the
 * replica CI starts (scripts/pg-replica.sh, TEST_REPLICA_URL); skipped elsewhere.
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { analyticsReads, makeDeps, type Deps } from '../platform/deps.js';
import { openDatabase } from './client.js';
import { openReadReplica } from './read-replica.js';
import { replicaCaughtUp, startTestSystem, testReplicaUrl, type Session, type TestSystem } from './testing.js';

let sys: TestSystem;
let deps: Deps;
let admin: Session;
const primaryUrl = () => sys.config.DATABASE_URL!;
const replicaUrl = () => sys.config.ANALYTICS_DATABASE_URL!;

/** Runs `work` on a connection of its own to `url`. */
async function using<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/** The export's name column for one customer number, as a CSV download reads it. */
async function exportedName(customerNo: string): Promise<string | undefined> {
  const res = await admin.request({ method: 'GET', url: `/api/customers/export?format=csv&q=${customerNo}` });
  expect(res.statusCode).toBe(200);
  return res.body.split('\n').find((line) => line.includes(customerNo));
}

describe('the analytics setting', () => {
  it('needs a PostgreSQL primary, and without it the heavy reads go to the database itself', async () => {
    expect(() => loadConfig({ ANALYTICS_DATABASE_URL: 'postgres://replica/kam' })).toThrow(/ANALYTICS_DATABASE_URL .* needs DATABASE_URL/);
    // an embedded database, as `npm start` opens it
    const database = await openDatabase({});
    try {
      const plain = makeDeps(loadConfig({}), database);
      expect(plain.analytics).toBeUndefined();
      expect(analyticsReads(plain)).toBe(database);
    } finally {
      await database.close();
    }
  });
});

describe.skipIf(!testReplicaUrl)('a read replica for the heavy reads (PostgreSQL streaming replication)', () => {
  beforeAll(async () => {
    sys = await startTestSystem({ DEMO_CUSTOMERS: 50 }, {}, { analyticsOnReplica: true });
    deps = makeDeps(sys.config, sys.database);
    admin = await sys.login('admin');
    await replicaCaughtUp(primaryUrl(), replicaUrl());
  });
  afterAll(async () => {
    // never leave the replica paused for the files that come after
    if (sys) await using(replicaUrl(), (c) => c.query('SELECT pg_wal_replay_resume()')).catch(() => undefined);
    await sys?.close();
  });

  it('the rows written on the primary arrive on the replica', async () => {
    const count = (url: string) => using(url, async (c) => (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM customers')).rows[0]!.n);
    expect(await count(primaryUrl())).toBe(50);
    expect(await count(replicaUrl())).toBe(50);
  });

  it('the analytics reads are served by the standby, the others by the primary', async () => {
    const recovery = sql`SELECT pg_is_in_recovery() AS standby`;
    expect(await analyticsReads(deps).rows(recovery)).toEqual([{ standby: true }]);
    const snapshot = await analyticsReads(deps).snapshot();
    try {
      expect(await snapshot.rows(recovery)).toEqual([{ standby: true }]);
    } finally {
      await snapshot.close();
    }
    expect(await deps.database.rows(recovery)).toEqual([{ standby: false }]);
  });

  it('an export shows the replica’s rows: while its replay is paused, a change on the primary is not in it yet', async () => {
    const [c] = await sys.database.rows<{ id: number; customerNo: string; name: string }>(
      sql`SELECT id, customer_no AS "customerNo", name FROM customers ORDER BY id LIMIT 1`,
    );
    expect(await exportedName(c!.customerNo)).toContain(c!.name);
    await using(replicaUrl(), (r) => r.query('SELECT pg_wal_replay_pause()'));
    try {
      await sys.database.rows(sql`UPDATE customers SET name = 'Renamed on the primary' WHERE id = ${c!.id}`);
      expect(await exportedName(c!.customerNo)).toContain(c!.name);
    } finally {
      await using(replicaUrl(), (r) => r.query('SELECT pg_wal_replay_resume()'));
    }
    await replicaCaughtUp(primaryUrl(), replicaUrl());
    expect(await exportedName(c!.customerNo)).toContain('Renamed on the primary');
    // the export's audit entry was written on the primary all the same
    const [audited] = await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'export' AND entity = 'customer'`);
    expect(audited!.n).toBe(3);
  });

  it('writes never go there: the standby refuses them, and so does the handle on a primary by mistake', async () => {
    await expect(deps.analytics!.rows(sql`CREATE TABLE written_on_replica (id int)`)).rejects.toMatchObject({ code: '25006' });
    // second guard: every session of the handle is read-only, whatever server it reaches
    const misdirected = openReadReplica(primaryUrl());
    try {
      await expect(misdirected.rows(sql`UPDATE customers SET name = name`)).rejects.toMatchObject({ code: '25006' });
      const snapshot = await misdirected.snapshot();
      await expect(snapshot.rows(sql`DELETE FROM customers`)).rejects.toMatchObject({ code: '25006' });
      await snapshot.close();
    } finally {
      await misdirected.close();
    }
    expect((await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM customers`))[0]!.n).toBe(50);
  });
});
