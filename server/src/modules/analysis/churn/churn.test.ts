import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../../db/testing.js';
import { generateType } from '../../managers/reminders/queries.js';
import { auc, fitLogistic, predict, standardise, standardiser, validate } from './model.js';
import { makeDeps } from '../../../platform/deps.js';
import { plan, runMonthlyScoring } from './service.js';

interface Model {
  id: number;
  trainFrom: string;
  trainTo: string;
  validationMonth: string;
  figures: { auc: number; topDecilePrecision: number; lift: number; trainPositives: number; validationPositives: number };
}
interface Score {
  customerId: number;
  managerId: number | null;
  unitId: number;
  score: number;
  band: string;
  reasons: { feature: string; value: number; contribution: number }[];
}

describe('the model’s statistics', () => {
  it('computes AUC by ranks, ties counting half', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBe(0.75);
    expect(auc([0.5, 0.5], [false, true])).toBe(0.5);
    expect(auc([1, 2], [false, false])).toBe(0.5);
  });

  it('fits a logistic regression whose coefficient has the sign of the planted effect, and validates it', () => {
    // deterministic rows: x0 raises the odds, x1 is noise
    const x: number[][] = [];
    const y: boolean[] = [];
    for (let i = 0; i < 4000; i++) {
      const a = ((i * 7919) % 1000) / 1000;
      const b = ((i * 104729) % 997) / 997;
      x.push([a, b]);
      y.push(((i * 31337) % 1000) / 1000 < 0.02 + 0.5 * a * a);
    }
    const s = standardiser(x, 2);
    const fit = fitLogistic(
      x.map((r) => standardise(s, r)),
      y,
    );
    expect(fit.coefficients[0]).toBeGreaterThan(0.5);
    expect(Math.abs(fit.coefficients[1]!)).toBeLessThan(0.2);
    const v = validate(
      x.map((r) => predict(fit, standardise(s, r))),
      y,
    );
    expect(v.auc).toBeGreaterThan(0.7);
    expect(v.lift).toBeGreaterThan(1.5);
  });

  it('plans the validation month after the training months’ labels', () => {
    expect(plan('2025-11-01', '2026-10-01', 2)).toEqual({ validationMonth: '2026-08-01', trainFrom: '2026-04-01', trainTo: '2026-06-01', months: ['2026-04-01', '2026-05-01', '2026-06-01'] });
  });
});

describe('流失预警 on the planted demo', () => {
  let sys: TestSystem;
  let model: Model;
  beforeAll(async () => {
    sys = await startTestSystem({ DEMO_CUSTOMERS: 2500 });
  }, 600_000);
  afterAll(() => sys?.close());

  const scores = async (user: string, query = '') => {
    const s = await sys.login(user);
    const res = await s.request({ method: 'GET', url: `/api/analysis/churn/scores?limit=1000${query}` });
    expect(res.statusCode).toBe(200);
    return { items: res.json() as Score[], total: Number(res.headers['x-total-count']) };
  };

  it('trains on the history, and finds the planted churn on the held-out month (AUC > 0.7)', async () => {
    const head = await sys.login('gd_head');
    const res = await head.request({ method: 'POST', url: '/api/analysis/churn/train', payload: {} });
    expect(res.statusCode, res.body).toBe(201);
    model = res.json() as Model;
    expect(model.validationMonth).toBe('2026-08');
    expect(model.trainTo < model.validationMonth).toBe(true);
    expect(model.figures.trainPositives).toBeGreaterThan(10);
    expect(model.figures.validationPositives).toBeGreaterThan(5);
    expect(model.figures.auc).toBeGreaterThan(0.7);
    expect(model.figures.lift).toBeGreaterThan(2);
    const list = await head.request({ method: 'GET', url: '/api/analysis/churn/models' });
    expect((list.json() as Model[])[0]!.id).toBe(model.id);
  }, 300_000);

  it('refuses training and scoring to a reader without analysis.indicators', async () => {
    const am = await sys.login('gz_am01');
    expect((await am.request({ method: 'POST', url: '/api/analysis/churn/train', payload: {} })).statusCode).toBe(403);
    expect((await am.request({ method: 'POST', url: '/api/analysis/churn/score', payload: {} })).statusCode).toBe(403);
    const head = await sys.login('gd_head');
    const bad = await head.request({ method: 'POST', url: '/api/analysis/churn/score', payload: { month: '2026-13' } });
    expect(bad.statusCode).toBe(400);
  });

  it('scores every in-network key account of the latest month in bands, with reasons', async () => {
    const head = await sys.login('gd_head');
    const res = await head.request({ method: 'POST', url: '/api/analysis/churn/score', payload: {} });
    expect(res.statusCode, res.body).toBe(200);
    const run = res.json() as { month: string; scored: number; high: number; medium: number };
    expect(run.month).toBe('2026-10');
    const [billing] = await sys.database.rows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM customer_month_totals t JOIN customers c ON c.id = t.customer_id
      WHERE t.month = '2026-10-01' AND t.billed_fen > 0 AND c.archive = 'in_network' AND c.merged_into IS NULL`);
    expect(run.scored).toBe(billing!.n);
    expect(run.high).toBeGreaterThan(0);
    expect(run.medium).toBeGreaterThan(run.high);
    const { items } = await scores('gd_head', '&band=high');
    expect(items.length).toBe(run.high);
    for (const s of items) {
      expect(s.band).toBe('high');
      expect(s.reasons.length).toBeGreaterThan(0);
      expect(s.reasons.length).toBeLessThanOrEqual(3);
      for (let i = 1; i < s.reasons.length; i++) expect(s.reasons[i - 1]!.contribution).toBeGreaterThanOrEqual(s.reasons[i]!.contribution);
    }
  }, 300_000);

  it('scores a customer higher once its spend and usage fall, and names the fall among the reasons', async () => {
    // a steady customer: billing in every month, low band
    const [steady] = await sys.database.rows<{ id: number; score: number }>(sql`
      SELECT s.customer_id AS id, s.score FROM churn_scores s JOIN customers c ON c.id = s.customer_id
      WHERE s.month = '2026-10-01' AND s.band = 'low' AND c.kind = 'group'
        AND (SELECT count(*) FROM customer_month_totals t WHERE t.customer_id = s.customer_id AND t.billed_fen > 0 AND t.arrears_fen = 0) = 12
      ORDER BY s.customer_id LIMIT 1`);
    expect(steady).toBeDefined();
    const id = Number(steady!.id);
    // plant a decline: the last three months at 60 %, 40 %, 25 % of their spend and usage
    for (const [month, f] of [['2026-08-01', 0.6], ['2026-09-01', 0.4], ['2026-10-01', 0.25]] as const) {
      await sys.database.rows(sql`
        UPDATE monthly_facts SET rev_voice = round(rev_voice * ${f}::numeric, 2), rev_sms = round(rev_sms * ${f}::numeric, 2), rev_data = round(rev_data * ${f}::numeric, 2),
          rev_vas = round(rev_vas * ${f}::numeric, 2), rev_roaming = round(rev_roaming * ${f}::numeric, 2),
          min_local = (min_local * ${f}::numeric)::int, min_long_distance = (min_long_distance * ${f}::numeric)::int, min_roaming = (min_roaming * ${f}::numeric)::int,
          data_mb = round(data_mb * ${f}::numeric, 2)
        WHERE customer_id = ${id} AND month = ${month}::date`);
      await sys.database.rows(sql`
        UPDATE monthly_facts SET billed = rev_voice + rev_sms + rev_data + rev_vas + rev_roaming, paid = rev_voice + rev_sms + rev_data + rev_vas + rev_roaming, arrears = 0
        WHERE customer_id = ${id} AND month = ${month}::date`);
    }
    const head = await sys.login('gd_head');
    expect((await head.request({ method: 'POST', url: '/api/analysis/churn/score', payload: {} })).statusCode).toBe(200);
    const history = (await head.request({ method: 'GET', url: `/api/analysis/churn/customers/${id}` })).json() as { items: Score[] };
    const now = history.items[0]!;
    expect(now.score).toBeGreaterThan(Number(steady!.score) * 2);
    expect(now.reasons.map((r) => r.feature)).toEqual(expect.arrayContaining([expect.stringMatching(/^(spend_change|spend_last_change|usage_change)$/)]));
    const spend = now.reasons.find((r) => r.feature === 'spend_change');
    if (spend) expect(spend.value).toBeLessThan(-0.3);
  }, 300_000);

  it('shows an account manager only their portfolio and a city head only their city', async () => {
    const all = await scores('gd_head');
    const [am] = await sys.database.rows<{ id: number }>(sql`SELECT id FROM users WHERE username = 'gz_am01'`);
    const mine = await scores('gz_am01');
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.total).toBeLessThan(all.total);
    expect(mine.items.every((s) => s.managerId === Number(am!.id))).toBe(true);
    const city = await scores('gz_head');
    const [outside] = await sys.database.rows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM customers c JOIN org_units o ON o.id = c.unit_id JOIN users u ON u.username = 'gz_head' JOIN org_units h ON h.id = u.unit_id
      WHERE c.id = ANY(${`{${city.items.map((s) => s.customerId).join(',') || 0}}`}::bigint[]) AND NOT starts_with(o.path, h.path)`);
    expect(outside!.n).toBe(0);
    expect(city.total).toBeLessThan(all.total);
    // another city's customer is not found
    const other = all.items.find((s) => !city.items.some((c) => c.customerId === s.customerId));
    const gz = await sys.login('gz_head');
    expect((await gz.request({ method: 'GET', url: `/api/analysis/churn/customers/${other!.customerId}` })).statusCode).toBe(404);
  });

  it('feeds the managers’ reminders with the high band, once per scored month', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const n = await generateType(sys.database, 'churn_warning', today);
    const [high] = await sys.database.rows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM churn_scores s JOIN customers c ON c.id = s.customer_id
      WHERE s.month = '2026-10-01' AND s.band = 'high' AND c.manager_id IS NOT NULL AND c.archive = 'in_network' AND c.merged_into IS NULL`);
    expect(n).toBe(high!.n);
    expect(await generateType(sys.database, 'churn_warning', today)).toBe(0);
    const [r] = await sys.database.rows<{ params: Record<string, unknown> }>(sql`SELECT params FROM reminders WHERE type = 'churn_warning' LIMIT 1`);
    expect(r!.params.month).toBe('2026-10');
    expect(typeof r!.params.reason).toBe('string');
  });

  it('the monthly job scores the latest month once', async () => {
    const deps = makeDeps(sys.config, sys.database);
    await sys.database.rows(sql`DELETE FROM churn_scores WHERE month = '2026-10-01'`);
    const first = await runMonthlyScoring(deps);
    expect(first).toMatchObject({ month: '2026-10' });
    expect(Number(first.scored)).toBeGreaterThan(0);
    expect(await runMonthlyScoring(deps)).toEqual({ month: '2026-10', skipped: 'already scored' });
  }, 300_000);

  it('hands the high band to the managers as tasks through the tasks area', async () => {
    const head = await sys.login('gz_head');
    const due = new Date(Date.now() + 14 * 86400_000).toISOString().slice(0, 10);
    const res = await head.request({ method: 'POST', url: '/api/analysis/churn/tasks', payload: { dueOn: due } });
    expect(res.statusCode, res.body).toBe(201);
    const { tasks } = res.json() as { tasks: { id: number; managerId: number; customers: number }[] };
    expect(tasks.length).toBeGreaterThan(0);
    const [rows] = await sys.database.rows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM manager_task_assignments a WHERE a.task_id = ANY(${`{${tasks.map((t) => t.id).join(',')}}`}::bigint[])`);
    expect(rows!.n).toBe(tasks.length);
    const am = await sys.login('gz_am01');
    expect((await am.request({ method: 'POST', url: '/api/analysis/churn/tasks', payload: { dueOn: due } })).statusCode).toBe(403);
  });
});
