import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';
import { makeDeps } from '../../../platform/deps.js';
import { previewMonth } from './service.js';
import { DEFAULT_PARAMS } from '../params.js';

let sys: TestSystem;
let admin: Session;

beforeAll(async () => {
  sys = await startTestSystem();
  admin = await sys.login('admin');
}, 120_000);
afterAll(() => sys?.close());

const run = (month: string, who = admin) => who.request({ method: 'POST', url: '/api/rules/runs', payload: { month } });
const preview = (payload: Record<string, unknown>) => admin.request({ method: 'POST', url: '/api/rules/preview', payload });

async function snapshot() {
  return sys.database.rows(sql`SELECT r.customer_id, r.level, r.credit_grade, r.credit_score, r.points_earned, a.balance
    FROM customer_ratings r LEFT JOIN points_accounts a USING (customer_id) WHERE r.month = '2026-10-01' ORDER BY 1`);
}
const ledgerEarns = async () =>
  (await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM points_ledger WHERE kind = 'earn' AND month = '2026-10-01'`))[0]!.n;

describe('the monthly run (月度计算)', () => {
  it('refuses months without facts, months not yet ended, and callers without the permission', async () => {
    expect((await run('2024-01')).json()).toMatchObject({ status: 409, code: 'rules_no_facts' });
    expect((await run('2099-01')).json()).toMatchObject({ status: 409, code: 'rules_month_future' });
    expect((await run('2026-13')).statusCode).toBe(400);
    expect((await run('2026-10', await sys.login('gz_head'))).statusCode).toBe(403);
  });

  it('rates every in-network customer, and a rerun gives the same results without awarding points twice', async () => {
    const first = await run('2026-10');
    expect(first.statusCode, first.body).toBe(201);
    const before = await snapshot();
    const [inNetwork] = await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM customers WHERE archive = 'in_network' AND merged_into IS NULL`);
    expect(before).toHaveLength(inNetwork!.n);
    const earns = await ledgerEarns();
    expect(earns).toBeGreaterThan(0);
    const second = await run('2026-10');
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json().counts.rerun).toBe(true);
    expect(await snapshot()).toEqual(before);
    expect(await ledgerEarns()).toBe(earns);
  });

  it('does not run a month earlier than the latest one', async () => {
    expect((await run('2026-09')).json()).toMatchObject({ status: 409, code: 'rules_month_order' });
  });

  it('records each run with its versions and counts', async () => {
    const res = await admin.request({ method: 'GET', url: '/api/rules/runs' });
    expect(res.headers['x-total-count']).toBe('2');
    const [latest, superseded] = res.json();
    expect(latest).toMatchObject({ month: '2026-10', status: 'completed', actor: 'admin', versions: { star: 1, credit: 1 } });
    expect(superseded.status).toBe('superseded');
  });
});

describe('the preview (试算)', () => {
  it('shows what a draft would change and writes nothing', async () => {
    const stored = await snapshot();
    const draft = structuredClone(DEFAULT_PARAMS.star);
    draft.grades[6]!.minAvgBill = 500; // 五星钻 from ¥500: every 五星金 with 36 months becomes 五星钻
    const res = await preview({ month: '2026-10', drafts: { star: draft } });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.comparedWith).toBe('2026-10');
    expect(body.after.levels['5d']).toBeGreaterThan(body.before.levels['5d']);
    expect(body.matrix).toContainEqual(expect.objectContaining({ from: '5g', to: '5d' }));
    expect(body.sample.length).toBeGreaterThan(0);
    expect(await snapshot()).toEqual(stored);
  });

  it('gives the same counts, matrix and points whether the customers are previewed whole or in shares', async () => {
    const deps = makeDeps(sys.config, sys.database);
    const draft = structuredClone(DEFAULT_PARAMS.star);
    draft.grades[6]!.minAvgBill = 500;
    // the month in force (stored inputs) with and without a draft; an earlier month (the whole window)
    for (const [month, drafts] of [['2026-10', { star: draft }], ['2026-10', {}], ['2026-09', {}]] as const) {
      const { computeMs: _w, sample: wholeSample, ...whole } = await previewMonth(deps, month, drafts, undefined, 1);
      const { computeMs: _s, sample: sharedSample, ...shared } = await previewMonth(deps, month, drafts, undefined, 3);
      expect(shared).toEqual(whole);
      expect(sharedSample.length).toBe(wholeSample.length);
    }
  });

  it('finds nothing to change when the month in force is previewed with its own rules', async () => {
    const body = (await preview({ month: '2026-10' })).json();
    expect(body.after).toEqual(body.before);
    expect(body.sample).toEqual([]);
    expect(body.matrix.every((c: { from: string; to: string }) => c.from === c.to)).toBe(true);
  });

  it('names the field of a draft that breaks the rules', async () => {
    const draft = structuredClone(DEFAULT_PARAMS.star);
    draft.grades[3]!.minAvgBill = 50; // 四星 below 三星
    const res = await preview({ month: '2026-10', drafts: { star: draft } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toContainEqual(expect.objectContaining({ field: 'body.drafts.star.grades.3.minAvgBill', code: 'rules_threshold_order' }));
  });
});

describe('rule versions (规则版本)', () => {
  const save = (params: unknown, baseVersion = 1, family = 'credit') =>
    admin.request({ method: 'POST', url: '/api/rules/versions', payload: { family, effectiveFrom: '2026-10', params, baseVersion, note: 'test' } });

  it('refuses weights that do not add up to 100, naming the field in Chinese', async () => {
    const params = structuredClone(DEFAULT_PARAMS.credit);
    params.weights.bill = 35;
    const res = await save(params);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toContainEqual({ field: 'body.params.weights', code: 'rules_weights_sum', message: '各项权重之和须为 100，当前为 105' });
  });

  it('keeps every version and answers 409 to an editor who started from an old one', async () => {
    const params = structuredClone(DEFAULT_PARAMS.credit);
    params.fullBill = 600;
    expect((await save(params)).statusCode).toBe(201);
    expect((await save(params)).json()).toMatchObject({ status: 409, code: 'version_conflict' });
    const versions = (await admin.request({ method: 'GET', url: '/api/rules/credit/versions' })).json();
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
  });
});

describe('explanations on the customer page (评级说明)', () => {
  it('explains the level, the credit grade and the points with the rule versions', async () => {
    const [row] = await sys.database.rows<{ id: number }>(
      sql`SELECT customer_id AS id FROM customer_ratings WHERE month = '2026-10-01' AND level = '5g' ORDER BY customer_id LIMIT 1`,
    );
    const res = await admin.request({ method: 'GET', url: `/api/customers/${row!.id}/rules` });
    expect(res.statusCode, res.body).toBe(200);
    const { current, history } = res.json();
    expect(current).toMatchObject({ month: '2026-10', level: '5g', levelName: '五星金' });
    expect(current.explanations.level).toMatch(/^五星金：近 12 个月月均实缴 ¥[\d,.]+ ≥ ¥500\.00，网龄 \d+ 个月 ≥ 24 个月.*星级规则 v1$/);
    expect(current.explanations.points).toContain('× 5（五星金）');
    expect(history[0].month).toBe('2026-10');
    const en = await admin.request({ method: 'GET', url: `/api/customers/${row!.id}/rules`, headers: { 'accept-language': 'en-US' } });
    expect(en.json().current.explanations.level).toMatch(/^5 stars gold: the 12-month average paid bill was/);
  });

  it('shows the level on the 360° view', async () => {
    const [row] = await sys.database.rows<{ id: number; level: string; grade: string }>(
      sql`SELECT customer_id AS id, level, credit_grade AS grade FROM customer_ratings WHERE month = '2026-10-01' ORDER BY customer_id LIMIT 1`,
    );
    const view = (await admin.request({ method: 'GET', url: `/api/customers/${row!.id}` })).json();
    expect(view.rules).toMatchObject({ level: row!.level, creditGrade: row!.grade });
  });
});

describe('rollback (回滚)', () => {
  it('undoes the latest run with its points and refuses anything else', async () => {
    const runs = (await admin.request({ method: 'GET', url: '/api/rules/runs' })).json();
    const superseded = runs.find((r: { status: string }) => r.status === 'superseded');
    expect((await admin.request({ method: 'POST', url: `/api/rules/runs/${superseded.id}/rollback` })).json().code).toBe('rules_not_latest_run');
    const latest = runs.find((r: { status: string }) => r.status === 'completed');
    const res = await admin.request({ method: 'POST', url: `/api/rules/runs/${latest.id}/rollback` });
    expect(res.statusCode, res.body).toBe(200);
    expect(await snapshot()).toEqual([]);
    expect(await ledgerEarns()).toBe(0);
    const [points] = await sys.database.rows<{ total: number }>(sql`SELECT coalesce(sum(balance), 0)::int AS total FROM points_accounts`);
    expect(points!.total).toBe(0);
  });
});
