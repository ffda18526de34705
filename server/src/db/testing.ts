import { randomBytes } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { buildApp, type BuildOptions } from '../app.js';
import { prepareDatabase } from '../bootstrap.js';
import { loadConfig, type Config } from '../config.js';
import { closeReadReplicas } from '../platform/deps.js';
import { openDatabase, type Database } from './client.js';

export const DEMO_PASSWORD = 'Demo@2026!';

/** Tests run on PGlite, and again on PostgreSQL when TEST_DB_KIND=postgres (TEST_DATABASE_URL points at a server). */
export const testDbKind = process.env.TEST_DB_KIND === 'postgres' ? 'postgres' : 'pglite';

/** A fresh, empty PostgreSQL database for one test file; dropped by the returned function. */
async function freshPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DB_KIND=postgres needs TEST_DATABASE_URL');
  const name = `kam_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A fresh database for the test file (freshTestDatabase), opened before its tests and dropped after them. */
export function useFreshDatabase(): () => Database {
  let fresh: Awaited<ReturnType<typeof freshTestDatabase>> | null = null;
  beforeAll(async () => {
    fresh = await freshTestDatabase();
  }, 120_000);
  afterAll(() => fresh?.drop());
  return () => fresh!.database;
}

/** A fresh, migrated database of the kind under test (PGlite in memory, or a new PostgreSQL database) with nothing in it. */
export async function freshTestDatabase(): Promise<{ database: Database; drop: () => Promise<void> }> {
  const pgDb = testDbKind === 'postgres' ? await freshPostgresDatabase() : null;
  const database = await openDatabase({ databaseUrl: pgDb?.url });
  await database.migrate();
  return {
    database,
    drop: async () => {
      await database.close();
      await pgDb?.drop();
    },
  };
}

export interface Session {
  username: string;
  cookie: string;
  csrfToken: string;
  /** Injects a request with this session's cookie and, on writes, its CSRF token. */
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
}

export interface TestSystem {
  app: FastifyInstance;
  database: Database;
  config: Config;
  login(username: string, password?: string): Promise<Session>;
  close(): Promise<void>;
}

/**
 * The streaming replica of the test server (TEST_REPLICA_URL, started by CI: scripts/pg-replica.sh), when there
 * is one and the tests run on PostgreSQL.
 */
export const testReplicaUrl = testDbKind === 'postgres' ? process.env.TEST_REPLICA_URL : undefined;

/** The same database as `databaseUrl`, on the test replica. */
export function onTestReplica(databaseUrl: string): string {
  const url = new URL(testReplicaUrl!);
  url.pathname = new URL(databaseUrl).pathname;
  return url.toString();
}

/** Waits until the replica has replayed everything the primary had written when this was called. */
export async function replicaCaughtUp(primaryUrl: string, replicaUrl: string, timeoutMs = 60_000): Promise<void> {
  const query = async (url: string, text: string, values: unknown[] = []) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query(text, values)).rows[0] as Record<string, unknown>;
    } finally {
      await c.end();
    }
  };
  // the insert position: a commit made without waiting for its flush (synchronous_commit off) is counted too
  const { lsn } = await query(primaryUrl, 'SELECT pg_current_wal_insert_lsn()::text AS lsn');
  for (const until = Date.now() + timeoutMs; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
    const { done } = await query(replicaUrl, 'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done', [lsn]);
    if (done) return;
  }
  throw new Error(`the replica has not replayed ${String(lsn)} within ${timeoutMs} ms`);
}

export interface SystemOptions {
  /** The heavy reads go to this database on the test replica (ANALYTICS_DATABASE_URL; needs TEST_REPLICA_URL). */
  analyticsOnReplica?: boolean;
}

/** The whole system on a new database with the demo organisation and users, as a test sees it. */
export async function startTestSystem(overrides: Partial<Config> = {}, opts: BuildOptions = {}, system: SystemOptions = {}): Promise<TestSystem> {
  const pgDb = testDbKind === 'postgres' ? await freshPostgresDatabase() : null;
  if (system.analyticsOnReplica && !(pgDb && testReplicaUrl)) throw new Error('analyticsOnReplica needs TEST_DB_KIND=postgres and TEST_REPLICA_URL');
  const config = loadConfig(
    {},
    {
      // answers are also encoded by zod, which checks them against their schemas (platform/http/answer-serializer.ts)
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DEMO_PASSWORD,
      DEMO_PROFILE: 'demo',
      LOGIN_RATE_LIMIT_PER_MINUTE: 100_000,
      // a few hundred key accounts keep every test file's start fast; a test may ask for more
      DEMO_CUSTOMERS: 300,
      // tests run the rules themselves when they need results
      DEMO_RULE_RUNS: 0,
      DEMO_SERVICES: false,
      DATABASE_URL: pgDb?.url,
      DATA_DIR: '',
      ...(system.analyticsOnReplica && pgDb && { ANALYTICS_DATABASE_URL: onTestReplica(pgDb.url) }),
      ...overrides,
    },
  );
  // an empty DATA_DIR means an in-memory PGlite
  const { database } = await prepareDatabase(config);
  const app = await buildApp(config, database, opts);
  await app.ready();

  async function login(username: string, password = DEMO_PASSWORD): Promise<Session> {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
    const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const { csrfToken } = res.json() as { csrfToken: string };
    return {
      username,
      cookie,
      csrfToken,
      request: (opts) =>
        app.inject({
          ...opts,
          headers: {
            cookie,
            ...(opts.method && opts.method !== 'GET' ? { 'x-csrf-token': csrfToken } : {}),
            ...opts.headers,
          },
        }),
    };
  }

  return {
    app,
    database,
    config,
    login,
    close: async () => {
      await app.close();
      await closeReadReplicas();
      await database.close();
      await pgDb?.drop();
    },
  };
}

/**
 * (month, customer) pairs whose customer_month_totals differ from the sum of their facts, both ways
 * (a total without facts, facts without a total): empty when every writer kept the totals.
 */
export const monthTotalsDrift = (database: Database) =>
  drift(
    database,
    sql`SELECT month, customer_id, (sum(paid) * 100)::bigint AS paid, (sum(billed) * 100)::bigint AS billed,
               (sum(arrears) * 100)::bigint AS arrears, count(*) FILTER (WHERE arrears > 0)::int AS arrears_subs, count(*)::int AS subs
        FROM monthly_facts GROUP BY month, customer_id`,
    sql`SELECT month, customer_id, paid_fen, billed_fen, arrears_fen, arrears_subs, subs FROM customer_month_totals`,
  );

/**
 * Rows where what triggers keep (`kept`) differs from the same figures computed afresh (`fresh`), first ten by
 * key: empty when the triggers kept them. Both select the same columns.
 */
async function drift(database: Database, fresh: SQL, kept: SQL): Promise<Record<string, unknown>[]> {
  return database.rows(sql`
    WITH c AS (${fresh}), k AS (${kept})
    (SELECT 'rows' AS side, * FROM (SELECT * FROM c EXCEPT SELECT * FROM k) x)
    UNION ALL (SELECT 'counts', * FROM (SELECT * FROM k EXCEPT SELECT * FROM c) y)
    ORDER BY 2, 3 LIMIT 10`);
}

/** customer_counts (migration 0017) against the customers. */
export const customerCountsDrift = (database: Database) =>
  drift(
    database,
    sql`SELECT unit_id, archive, kind, brand, industry, count(*)::int AS n FROM customers GROUP BY 1, 2, 3, 4, 5`,
    sql`SELECT unit_id, archive, kind, brand, industry, n::int FROM customer_counts WHERE n <> 0`,
  );

/** customer_standing_counts (migration 0027) against the standings. */
export const standingCountsDrift = (database: Database) =>
  drift(
    database,
    sql`SELECT unit_id, archive, kind, level, credit_grade, coalesce(arrears_fen, 0) > 0 AS in_arrears, count(*)::int AS n
        FROM customer_standings GROUP BY 1, 2, 3, 4, 5, 6`,
    sql`SELECT unit_id, archive, kind, level, credit_grade, in_arrears, n::int FROM customer_standing_counts WHERE n <> 0`,
  );

/** service_request_counts (migration 0030) against the requests: per unit, each request counted once in every subtree that holds one of its units. */
export const requestCountsDrift = (database: Database) =>
  drift(
    database,
    sql`SELECT v.id AS unit_id, r.status, r.sla_state, r.type, count(*)::int AS n FROM org_units v JOIN service_requests r ON EXISTS (
          SELECT 1 FROM org_units x WHERE x.id IN (r.handling_unit_id, r.raised_unit_id, r.home_unit_id) AND starts_with(x.path, v.path))
        GROUP BY 1, 2, 3, 4`,
    sql`SELECT v.id AS unit_id, sc.status, sc.sla_state, sc.type, sum(sc.n)::int AS n FROM org_units v
        JOIN org_units u ON starts_with(u.path, v.path) JOIN service_request_counts sc ON sc.unit_id = u.id
        GROUP BY 1, 2, 3, 4 HAVING sum(sc.n) <> 0`,
  );
