/**
 * 读副本 for the analyses: with ANALYTICS_DATABASE_URL an indicator evaluation reads the streaming replica, while
 * the writes of the area (a derived indicator, a rollup rebuild, their audit entries) go to the primary only.
 * Needs PostgreSQL with the replica CI starts (scripts/pg-replica.sh, TEST_REPLICA_URL): on PGlite, or without a
 * replica, there is nothing to point the analyses at, and the file is skipped.
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replicaCaughtUp, startTestSystem, testReplicaUrl, type Session, type TestSystem } from '../../../db/testing.js';
import { ALL_PERMISSIONS } from '../../../platform/auth/permissions.js';
import { systemActor } from '../../../platform/auth/principal.js';
import { makeDeps, type Deps } from '../../../platform/deps.js';
import { evaluateIndicators } from './engine.js';

let sys: TestSystem;
let deps: Deps;
let head: Session;
const primaryUrl = () => sys.config.DATABASE_URL!;
const replicaUrl = () => sys.config.ANALYTICS_DATABASE_URL!;
const onReplica = (statement: string) =>
  (async () => {
    const c = new pg.Client({ connectionString: replicaUrl() });
    await c.connect();
    try {
      return await c.query(statement);
    } finally {
      await c.end();
    }
  })();

describe.skipIf(!testReplicaUrl)('analysis reads on the read replica (needs PostgreSQL and TEST_REPLICA_URL; skipped on PGlite)', () => {
  beforeAll(async () => {
    sys = await startTestSystem({ DEMO_CUSTOMERS: 50 }, {}, { analyticsOnReplica: true });
    deps = makeDeps(sys.config, sys.database);
    head = await sys.login('gd_head');
    await replicaCaughtUp(primaryUrl(), replicaUrl());
  }, 120_000);
  afterAll(async () => {
    // never leave the replica paused for the files that come after
    if (sys) await onReplica('SELECT pg_wal_replay_resume()').catch(() => undefined);
    await sys?.close();
  });

  it('an evaluation shows the replica’s rollup, and the rebuild and a new indicator are written on the primary', async () => {
    const actor = systemActor(new Set(ALL_PERMISSIONS));
    const q = { indicators: ['billed_revenue'], dimensions: [], from: '2026-10', to: '2026-10' };
    const before = (await evaluateIndicators(deps, actor, q)).totals.billed_revenue!;
    await onReplica('SELECT pg_wal_replay_pause()');
    try {
      // a correction on the primary, rolled up by an administrator's rebuild: the replica has not seen it yet
      await sys.database.rows(sql`UPDATE monthly_facts SET billed = billed + 1000 WHERE month = '2026-10-01' AND subscription_id = (SELECT min(subscription_id) FROM monthly_facts WHERE month = '2026-10-01')`);
      const rebuilt = await head.request({ method: 'POST', url: '/api/analysis/rollups/2026-10/refresh' });
      expect(rebuilt.statusCode, rebuilt.body).toBe(200);
      const created = await head.request({
        method: 'POST',
        url: '/api/analysis/indicators',
        payload: { code: 'paid_share', group: 'revenue', nameZh: '实收占比', nameEn: 'Paid share', definitionZh: '实收 ÷ 出账', definitionEn: 'Paid ÷ billed', unit: 'percent', direction: 'higher', formula: { op: 'ratio', left: 'paid_revenue', right: 'billed_revenue', scale: 100 } },
      });
      expect(created.statusCode, created.body).toBe(201);
      expect((await evaluateIndicators(deps, actor, q)).totals.billed_revenue).toBeCloseTo(before, 2);
      const [primary] = await sys.database.rows<{ billed: number }>(sql`SELECT sum(billed_fen)::float8 / 100 AS billed FROM analysis_month_cube WHERE month = '2026-10-01'`);
      expect(primary!.billed).toBeCloseTo(before + 1000, 2);
    } finally {
      await onReplica('SELECT pg_wal_replay_resume()');
    }
    await replicaCaughtUp(primaryUrl(), replicaUrl());
    expect((await evaluateIndicators(deps, actor, q)).totals.billed_revenue).toBeCloseTo(before + 1000, 2);
    // the audit entries of both writes are on the primary
    const [audited] = await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE entity IN ('analysis_rollup', 'analysis_indicator')`);
    expect(audited!.n).toBe(2);
  });

  it('the analytics handle never writes: the standby refuses it', async () => {
    await expect(deps.analytics!.rows(sql`SELECT refresh_analysis_month('2026-10-01'::date)`)).rejects.toMatchObject({ code: '25006' });
  });
});
