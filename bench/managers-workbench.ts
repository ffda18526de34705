/**
 * 经理工作台 on the `large` profile (PostgreSQL database kam_large, made by `npx tsx bench/large-profile.ts`;
 * with the service requests of `bench/services.ts` for the portfolios' open requests, and after `bench/rules.ts`, so
 * that the panels of levels and level changes read a completed run: without one the latter is empty). Goal (issue 14):
 *   - `GET /api/me/workbench` for a manager with about 500 customers: p95 ≤ 80 ms at 32 connections;
 * and, measured beside it, a city head's team view (`GET /api/managers/team`, about 150 managers).
 *
 * The managers whose portfolios are nearest 500 customers are signed in (one session each) and the load cycles
 * through them. Each is given ten open task assignments and this week's plan of ten items first (marked 基准测试,
 * replaced on every run), so that every panel of the workbench has rows to read.
 *
 * Run: `npx tsx bench/managers-workbench.ts`. Environment: BENCH_PG_URL, BENCH_LARGE_DB (kam_large),
 * CONNECTIONS (32), DURATION (10 s), MANAGERS (8).
 */
import { loadavg } from 'node:os';
import pg from 'pg';
import { freePort, isMain, load, machine, ms, onCleanup, runCleanups, signIn, spawnServer, waitFor200 } from './lib.js';

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const DB = process.env.BENCH_LARGE_DB ?? 'kam_large';
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 32);
const DURATION = Number(process.env.DURATION ?? 10);
const MANAGERS = Number(process.env.MANAGERS ?? 8);
const MARK = '基准测试';
const GOAL_MS = 80;

interface Manager {
  id: number;
  username: string;
  customers: number;
}

async function pickManagers(db: pg.Client): Promise<Manager[]> {
  const { rows: runs } = await db.query(`SELECT count(*)::int AS n FROM rule_runs WHERE status = 'completed'`);
  if (!runs[0]?.n) console.warn('kam_large has no completed rules run: the level changes are empty (run `npx tsx bench/rules.ts` first)');
  const { rows } = await db.query(`
    SELECT u.id, u.username, p.n AS customers
    FROM (SELECT manager_id, count(*)::int AS n FROM customers WHERE merged_into IS NULL AND archive = 'in_network' GROUP BY manager_id) p
    JOIN users u ON u.id = p.manager_id
    ORDER BY abs(p.n - 500), u.id LIMIT $1`, [MANAGERS]);
  return rows.map((r) => ({ id: Number(r.id), username: r.username as string, customers: Number(r.customers) }));
}

/** Ten open assignments and this week's plan of ten items per manager, replacing the previous run's. */
async function giveWork(db: pg.Client, managers: Manager[]) {
  const ids = managers.map((m) => m.id);
  await db.query('BEGIN');
  await db.query(`DELETE FROM manager_task_assignments WHERE task_id IN (SELECT id FROM manager_tasks WHERE title LIKE $1 || '%')`, [MARK]);
  await db.query(`DELETE FROM manager_tasks WHERE title LIKE $1 || '%'`, [MARK]);
  await db.query(`DELETE FROM work_plan_items WHERE plan_id IN (SELECT id FROM work_plans WHERE title = $1)`, [MARK]);
  await db.query(`DELETE FROM work_plans WHERE title = $1`, [MARK]);
  await db.query(
    `WITH t AS (
       INSERT INTO manager_tasks (title, due_on, unit_id, issued_by, target)
       SELECT $1 || ' ' || g, current_date + (g - 3), u.unit_id, u.id, '{"kind":"manager"}'
       FROM users u, generate_series(1, 10) g WHERE u.id = ANY($2::bigint[]) RETURNING id, issued_by)
     INSERT INTO manager_task_assignments (task_id, manager_id, status, progress) SELECT id, issued_by, 'in_progress', 30 FROM t`,
    [MARK, ids],
  );
  await db.query(
    `WITH p AS (
       INSERT INTO work_plans (manager_id, period, starts_on, ends_on, title, status)
       SELECT u.id, 'week', date_trunc('week', current_date)::date, date_trunc('week', current_date)::date + 6, $1, 'approved'
       FROM users u WHERE u.id = ANY($2::bigint[])
       ON CONFLICT (manager_id, period, starts_on) DO UPDATE SET title = EXCLUDED.title RETURNING id, manager_id)
     INSERT INTO work_plan_items (plan_id, customer_id, kind, planned_on, status)
     SELECT p.id, c.id, 'visit', current_date, 'planned' FROM p
     CROSS JOIN LATERAL (SELECT id FROM customers WHERE manager_id = p.manager_id ORDER BY id LIMIT 10) c`,
    [MARK, ids],
  );
  await db.query('COMMIT');
}


async function run() {
  console.log(`machine: ${machine()}; database ${DB}\n`);
  const db = new pg.Client({ connectionString: `${PG_URL}/${DB}` });
  await db.connect();
  try {
    const managers = await pickManagers(db);
    console.log(`  managers: ${managers.map((m) => `${m.username} (${m.customers})`).join(', ')}`);
    await giveWork(db, managers);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = spawnServer({ DATABASE_URL: `${PG_URL}/${DB}`, PORT: String(port), DEMO_PROFILE: 'none' });
    onCleanup(() => child.stop());
    await waitFor200(`${base}/api/health`, child);
    const cookies = await Promise.all(managers.map(async (m) => (await signIn(base, m.username)).cookie));
    const sample = await fetch(`${base}/api/me/workbench`, { headers: { cookie: cookies[0]! } });
    const body = (await sample.json()) as { portfolio: { customers: number }; requests: { open: number }; tasks: { open: number }; reminders: { open: number } };
    console.log(`  one workbench: ${body.portfolio.customers} customers, ${body.requests.open} open requests, ${body.tasks.open} open tasks, ${body.reminders.open} reminders`);
    const requests = cookies.map((cookie) => ({ method: 'GET', path: '/api/me/workbench', headers: { cookie } }));
    const r = await load(base, { connections: CONNECTIONS, duration: DURATION, warmup: 3, requests });
    console.log(
      `  workbench (${CONNECTIONS} connections): ${Math.round(r.rps)} req/s, p50 ${ms(r.p50)}, p95 ${ms(r.p95)} (goal ≤ ${GOAL_MS} ms: ${r.p95 <= GOAL_MS ? 'met' : 'MISSED'}), ${r.non2xx} non-2xx, ${r.errors} errors, load avg ${loadavg()[0]!.toFixed(2)}`,
    );
    const { cookie: head } = await signIn(base, 'gz_head');
    const team = await load(base, { connections: 4, duration: 5, warmup: 1, headers: { cookie: head }, paths: ['/api/managers/team'] });
    console.log(`  team view of 广州 (4 connections): ${team.rps.toFixed(1)} req/s, p50 ${ms(team.p50)}, p95 ${ms(team.p95)}, ${team.non2xx} non-2xx`);
    await child.stop();
  } finally {
    await db.end();
  }
}

if (isMain(import.meta.url)) {
  try {
    await run();
  } catch (err) {
    console.error(`benchmark failed: ${err instanceof Error ? err.stack : err}`);
    process.exitCode = 1;
  } finally {
    await runCleanups();
  }
}
