import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../../db/testing.js';
import { seedDemoManagerPlans } from '../../../demo/managers-plans.js';
import { makeDeps } from '../../../platform/deps.js';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem({ LOG_LEVEL: 'error' });
  await seedDemoManagerPlans(makeDeps(sys.config, sys.database), 42);
}, 120_000);
afterAll(() => sys?.close());

const one = async <T>(query: ReturnType<typeof sql>) => (await sys.database.rows<T>(query))[0]!;

describe('the demo’s plans and logs', () => {
  it('gives every manager weekly and monthly plans in every status, with items done, missed and planned', async () => {
    const statuses = await sys.database.rows<{ status: string }>(sql`SELECT DISTINCT status FROM work_plans ORDER BY status`);
    expect(statuses.map((s) => s.status)).toEqual(['approved', 'draft', 'returned', 'submitted']);
    const items = await sys.database.rows<{ status: string }>(sql`SELECT DISTINCT status FROM work_plan_items ORDER BY status`);
    expect(items.map((s) => s.status)).toEqual(['done', 'missed', 'planned']);
    const perManager = await sys.database.rows<{ weeks: number; months: number }>(sql`
      SELECT count(*) FILTER (WHERE period = 'week')::int AS weeks, count(*) FILTER (WHERE period = 'month')::int AS months FROM work_plans GROUP BY manager_id`);
    expect(perManager.length).toBeGreaterThan(20);
    expect(perManager.every((m) => m.weeks === 6 && m.months === 2)).toBe(true);
    // the first manager of each city has this week's plan waiting for review
    const waiting = await one<{ n: number }>(sql`SELECT count(*)::int AS n FROM work_plans p JOIN users u ON u.id = p.manager_id WHERE u.username = 'gz_am01' AND p.status = 'submitted'`);
    expect(waiting.n).toBeGreaterThanOrEqual(1);
  });

  it('links each kept item and its log both ways, and records each visit or call in the customer’s profile', async () => {
    const broken = await one<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM work_plan_items i LEFT JOIN work_logs l ON l.id = i.log_id
      WHERE (i.status = 'done') <> (l.id IS NOT NULL) OR (l.id IS NOT NULL AND (l.plan_item_id <> i.id OR l.customer_id <> i.customer_id))`);
    expect(broken.n).toBe(0);
    const visits = await one<{ missing: number; wrong: number; total: number }>(sql`
      SELECT count(*) FILTER (WHERE l.kind IN ('visit', 'call') AND l.visit_id IS NULL)::int AS missing,
             count(*) FILTER (WHERE l.visit_id IS NOT NULL AND (v.customer_id <> l.customer_id OR v.manager_id <> l.manager_id OR v.visited_on <> l.logged_on))::int AS wrong,
             count(*)::int AS total
      FROM work_logs l LEFT JOIN visits v ON v.id = l.visit_id`);
    expect(visits).toMatchObject({ missing: 0, wrong: 0 });
    expect(visits.total).toBeGreaterThan(500);
    const range = await one<{ oldest: string }>(sql`SELECT min(logged_on)::text AS oldest FROM work_logs WHERE plan_item_id IS NULL`);
    expect(Date.now() - Date.parse(range.oldest)).toBeLessThan(62 * 86_400_000);
  });

});
