import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';
import { addMonths, monthAt, todayAt, toMonthDate } from '../../../platform/months.js';
import type { Certification, ManagerDetail, ManagerSummary, PortfolioMoveResult } from './schemas.js';

let sys: TestSystem;
let gzHead: Session;
let szHead: Session;
let gzAm: Session;
let admin: Session;
let am1: number;
let am2: number;
let am3: number;
let szAm: number;
let gzHeadId: number;

const today = todayAt();
const dayAfter = (n: number) => new Date(Date.parse(today) + n * 86_400_000).toISOString().slice(0, 10);
const rows = <T>(query: ReturnType<typeof sql>) => sys.database.rows<T>(query);
const idOf = async (query: ReturnType<typeof sql>) => Number((await rows<{ id: number }>(query))[0]!.id);
const userId = (username: string) => idOf(sql`SELECT id FROM users WHERE username = ${username}`);
const get = (s: Session, url: string) => s.request({ method: 'GET', url });
const post = (s: Session, url: string, payload: unknown) => s.request({ method: 'POST', url, payload: payload as Record<string, unknown> });
const patch = (s: Session, url: string, payload: unknown) => s.request({ method: 'PATCH', url, payload: payload as Record<string, unknown> });
const heldBy = async (manager: number) => (await rows<{ id: number }>(sql`SELECT id FROM customers WHERE manager_id = ${manager} AND merged_into IS NULL ORDER BY id`)).map((r) => Number(r.id));

/** The portfolio of a manager as SQL counts it: in-network, not merged customers, and their billed total of `month`. */
async function portfolioOf(manager: number, month: string | null) {
  const [row] = await rows<{ size: number; value: string }>(sql`
    SELECT count(*)::int AS size,
           (coalesce(sum((SELECT t.billed_fen FROM customer_month_totals t WHERE t.customer_id = c.id AND t.month = ${month}::date)), 0) / 100.0)::numeric(16,2)::text AS value
    FROM customers c WHERE c.manager_id = ${manager} AND c.archive = 'in_network' AND c.merged_into IS NULL`);
  return { size: Number(row!.size), value: row!.value };
}

beforeAll(async () => {
  sys = await startTestSystem({ LOG_LEVEL: 'error' });
  [gzHead, szHead, gzAm, admin] = await Promise.all([sys.login('gz_head'), sys.login('sz_head'), sys.login('gz_am01'), sys.login('admin')]);
  [am1, am2, am3, szAm, gzHeadId] = (await Promise.all(['gz_am01', 'gz_am02', 'gz_am03', 'sz_am01', 'gz_head'].map(userId))) as [number, number, number, number, number];
}, 120_000);
afterAll(() => sys?.close());

describe('经理列表 (the managers of a head’s units)', () => {
  it('lists the account managers of the head’s city only, with portfolio size and the value of the last complete month', async () => {
    const res = await get(gzHead, '/api/managers?limit=200');
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json() as ManagerSummary[];
    const expected = await rows<{ id: number }>(sql`
      SELECT u.id FROM users u JOIN org_units o ON o.id = u.unit_id JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id
      WHERE r.code = 'account_manager' AND u.active AND o.path LIKE (SELECT path FROM org_units WHERE code = 'GD-GZ') || '%'`);
    expect(Number(res.headers['x-total-count'])).toBe(expected.length);
    expect(items.map((m) => m.id).sort((a, b) => a - b)).toEqual(expected.map((e) => Number(e.id)).sort((a, b) => a - b));
    expect(items.map((m) => m.id)).not.toContain(szAm);
    const mine = items.find((m) => m.id === am1)!;
    expect(mine.valueMonth === null || mine.valueMonth < toMonthDate(monthAt(new Date()))).toBe(true);
    const figures = await portfolioOf(am1, mine.valueMonth);
    expect({ size: mine.portfolioSize, value: mine.portfolioValue }).toEqual(figures);
    expect(figures.size).toBeGreaterThan(0);
  });

  it('sorts by portfolio value and size, largest first, and pages with X-Total-Count', async () => {
    const all = (await get(gzHead, '/api/managers?limit=200&sort=value&order=desc')).json() as ManagerSummary[];
    const values = all.map((m) => Number(m.portfolioValue));
    expect(values).toEqual([...values].sort((a, b) => b - a));
    const bySize = (await get(gzHead, '/api/managers?limit=200&sort=size&order=desc')).json() as ManagerSummary[];
    const sizes = bySize.map((m) => m.portfolioSize);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    const page = await get(gzHead, '/api/managers?limit=2&offset=1&sort=size&order=desc');
    expect(page.headers['x-total-count']).toBe(String(bySize.length));
    expect((page.json() as ManagerSummary[]).map((m) => m.id)).toEqual(bySize.slice(1, 3).map((m) => m.id));
    // the page-first plan gives the same figures
    const byName = (await get(gzHead, '/api/managers?limit=200&sort=name')).json() as ManagerSummary[];
    const figures = new Map(byName.map((m) => [m.id, [m.portfolioSize, m.portfolioValue]]));
    for (const m of bySize) expect(figures.get(m.id)).toEqual([m.portfolioSize, m.portfolioValue]);
  });

  it('is refused to an account manager (403), who sees their own profile only', async () => {
    expect((await get(gzAm, '/api/managers')).statusCode).toBe(403);
    const own = await get(gzAm, `/api/managers/${am1}`);
    expect(own.statusCode, own.body).toBe(200);
    expect((own.json() as ManagerDetail).displayName).toBeTruthy();
    const other = await get(gzAm, `/api/managers/${am2}`);
    expect(other.statusCode).toBe(404);
    expect(other.json()).toMatchObject({ code: 'not_found' });
  });

  it('hides my managers from the head of another city: 404 as for none, and no edit', async () => {
    expect((await get(szHead, `/api/managers/${am1}`)).statusCode).toBe(404);
    expect((await patch(szHead, `/api/managers/${am1}/profile`, { version: 0, grade: 'expert' })).statusCode).toBe(404);
    expect((await post(szHead, `/api/managers/${am1}/certifications`, { name: '通信工程师' })).statusCode).toBe(404);
    const list = (await get(szHead, '/api/managers?limit=200')).json() as ManagerSummary[];
    expect(list.map((m) => m.id)).not.toContain(am1);
    // a user who is no account manager is no manager
    expect((await get(gzHead, `/api/managers/${gzHeadId}`)).statusCode).toBe(404);
  });
});

describe('档案维护 (profile and certifications)', () => {
  it('records the profile at the first edit, then changes it at the version read; a stale version answers 409; audited', async () => {
    const before = (await get(gzHead, `/api/managers/${am1}`)).json() as ManagerDetail;
    expect(before.profileVersion).toBe(0);
    expect(before.grade).toBeNull();
    const first = await patch(gzHead, `/api/managers/${am1}/profile`, { version: 0, grade: 'senior', startedOn: '2019-03-15', skills: ['ict', 'finance'], maxPortfolio: 400 });
    expect(first.statusCode, first.body).toBe(200);
    const made = first.json() as ManagerDetail;
    expect(made).toMatchObject({ grade: 'senior', startedOn: '2019-03-15', skills: ['ict', 'finance'], maxPortfolio: 400, profileVersion: 1 });
    expect(made.tenureMonths).toBeGreaterThanOrEqual(12 * 7);
    expect((await patch(gzHead, `/api/managers/${am1}/profile`, { version: 0, grade: 'expert' })).statusCode).toBe(409);
    const second = await sys.app.inject({
      method: 'PATCH',
      url: `/api/managers/${am1}/profile`,
      headers: { cookie: gzHead.cookie, 'x-csrf-token': gzHead.csrfToken, 'content-type': 'application/merge-patch+json' },
      payload: JSON.stringify({ version: 1, grade: 'expert', note: '擅长政企 ICT 项目' }),
    });
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json()).toMatchObject({ grade: 'expert', skills: ['ict', 'finance'], note: '擅长政企 ICT 项目', profileVersion: 2 });
    expect((await patch(gzHead, `/api/managers/${am1}/profile`, { version: 1, grade: 'junior' })).statusCode).toBe(409);
    const audited = await rows<{ action: string }>(sql`SELECT action FROM audit_log WHERE entity = 'manager_profile' AND entity_id = ${String(am1)} ORDER BY id`);
    expect(audited.map((a) => a.action)).toEqual(['create', 'update']);
    // the list filters by grade and skill
    const seniors = (await get(gzHead, '/api/managers?grade=expert&skill=finance')).json() as ManagerSummary[];
    expect(seniors.map((m) => m.id)).toEqual([am1]);
    // an account manager cannot edit, even their own
    expect((await patch(gzAm, `/api/managers/${am1}/profile`, { version: 2, grade: 'junior' })).statusCode).toBe(403);
  });

  it('keeps certifications with their expiry after their issue; the nearest expiry shows in the list', async () => {
    const bad = await post(gzHead, `/api/managers/${am1}/certifications`, { name: '通信工程师（中级）', issuedOn: '2024-05-01', expiresOn: '2024-04-30' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'certification_dates_order' });
    const soon = await post(gzHead, `/api/managers/${am1}/certifications`, { name: 'ICT 解决方案专家', issuer: '中国移动', issuedOn: '2023-06-01', expiresOn: dayAfter(20) });
    expect(soon.statusCode, soon.body).toBe(201);
    const later = await post(gzHead, `/api/managers/${am1}/certifications`, { name: '项目管理专业人士（PMP）', issuedOn: '2022-01-10', expiresOn: dayAfter(400) });
    expect(later.statusCode, later.body).toBe(201);
    const cert = soon.json() as Certification;
    expect(cert.expiresInDays).toBe(20);
    const listed = ((await get(gzHead, `/api/managers?q=${encodeURIComponent('gz_am01')}`)).json() as ManagerSummary[]).find((m) => m.id === am1)!;
    expect(listed).toMatchObject({ certifications: 2, nextExpiry: dayAfter(20), expiredCertifications: 0 });
    expect((await patch(gzHead, `/api/managers/${am1}/certifications/${cert.id}`, { version: 1, expiresOn: '2023-05-01' })).statusCode).toBe(400);
    const renewed = await patch(gzHead, `/api/managers/${am1}/certifications/${cert.id}`, { version: 1, expiresOn: dayAfter(700) });
    expect(renewed.statusCode, renewed.body).toBe(200);
    expect((await patch(gzHead, `/api/managers/${am1}/certifications/${cert.id}`, { version: 1, name: '改名' })).statusCode).toBe(409);
    // another manager's certification is not found under this one
    expect((await request('DELETE', `/api/managers/${am2}/certifications/${cert.id}`)).statusCode).toBe(404);
    expect((await request('DELETE', `/api/managers/${am1}/certifications/${cert.id}`)).statusCode).toBe(204);
    const detail = (await get(gzHead, `/api/managers/${am1}`)).json() as ManagerDetail;
    expect(detail.certificationList.map((c) => c.name)).toEqual(['项目管理专业人士（PMP）']);
  });

  it('shows the portfolio by level, by archive and the value of the last 12 months', async () => {
    const detail = (await get(gzHead, `/api/managers/${am2}`)).json() as ManagerDetail;
    expect(detail.trend).toHaveLength(12);
    if (detail.valueMonth) {
      expect(detail.trend.at(-1)).toEqual({ month: detail.valueMonth, value: detail.portfolioValue });
      expect(detail.trend[0]!.month).toBe(toMonthDate(addMonths(detail.valueMonth.slice(0, 7), -11)));
    }
    expect(detail.byLevel.reduce((n, b) => n + b.customers, 0)).toBe(detail.portfolioSize);
    const inNetwork = detail.byArchive.find((b) => b.archive === 'in_network')?.customers ?? 0;
    expect(inNetwork).toBe(detail.portfolioSize);
  });
});

const request = (method: 'DELETE', url: string) => gzHead.request({ method, url });

describe('客户调整 (portfolio moves)', () => {
  it('counts a move by filter in a dry run, changing nothing, then moves exactly those customers', async () => {
    const kinds = await rows<{ kind: string; n: number }>(sql`SELECT kind, count(*)::int AS n FROM customers WHERE manager_id = ${am2} AND merged_into IS NULL GROUP BY kind ORDER BY n DESC`);
    const kind = kinds[0]!.kind;
    const expected = (await rows<{ id: number }>(sql`SELECT id FROM customers WHERE manager_id = ${am2} AND merged_into IS NULL AND kind = ${kind} ORDER BY id`)).map((r) => Number(r.id));
    const before = await heldBy(am2);
    const dry = await post(gzHead, '/api/managers/portfolio-moves', { fromManagerId: am2, toManagerId: am3, filter: { kind }, dryRun: true });
    expect(dry.statusCode, dry.body).toBe(200);
    const counted = dry.json() as PortfolioMoveResult;
    expect(counted).toMatchObject({ dryRun: true, customers: expected.length });
    expect(await heldBy(am2)).toEqual(before);

    const moved = await post(gzHead, '/api/managers/portfolio-moves', { fromManagerId: am2, toManagerId: am3, filter: { kind } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ dryRun: false, customers: expected.length, targetSize: counted.targetSize });
    expect(await heldBy(am2)).toEqual(before.filter((id) => !expected.includes(id)));
    const taken = new Set(await heldBy(am3));
    for (const id of expected) expect(taken.has(id)).toBe(true);

    // each moved customer: one open assignment, with the new manager, made in the console by the head
    const open = await rows<{ customerId: number; managerId: number; source: string; assignedBy: number }>(sql`
      SELECT customer_id AS "customerId", manager_id AS "managerId", source, assigned_by AS "assignedBy" FROM portfolio_assignments
      WHERE customer_id = ANY(${`{${expected.join(',')}}`}::bigint[]) AND until_date IS NULL`);
    expect(open).toHaveLength(expected.length);
    for (const o of open) expect([Number(o.managerId), o.source, Number(o.assignedBy)]).toEqual([am3, 'console', gzHeadId]);

    // the customer's history keeps the assignment: manager before and after, source, operator
    const history = await get(gzHead, `/api/customers/${expected[0]}/history`);
    const entry = (history.json() as { kind: string; field: string; oldValue: string; newValue: string; source: string; actorName: string }[]).find((h) => h.kind === 'assignment')!;
    const [names] = await rows<{ from: string; to: string; head: string }>(sql`
      SELECT (SELECT display_name FROM users WHERE id = ${am2}) AS from, (SELECT display_name FROM users WHERE id = ${am3}) AS to, (SELECT display_name FROM users WHERE id = ${gzHeadId}) AS head`);
    expect(entry).toMatchObject({ field: 'manager', newValue: names!.to, source: 'console', actorName: names!.head });

    // both managers told, once each, with the count
    const told = await rows<{ userId: number; code: string; params: { count: number } }>(sql`
      SELECT user_id AS "userId", code, params FROM notifications WHERE code IN ('portfolio_moved_out', 'portfolio_moved_in') ORDER BY id`);
    expect(told.map((t) => [Number(t.userId), t.code, t.params.count])).toEqual([
      [am2, 'portfolio_moved_out', expected.length],
      [am3, 'portfolio_moved_in', expected.length],
    ]);
    // audited with its count
    const [audited] = await rows<{ after: { moved: number; managerId: number } }>(sql`SELECT after FROM audit_log WHERE entity = 'portfolio_move' ORDER BY id DESC LIMIT 1`);
    expect(audited!.after).toMatchObject({ moved: expected.length, managerId: am3 });
  });

  it('moves chosen customers back, and refuses a choice with another manager’s customer, changing nothing', async () => {
    const chosen = (await heldBy(am3)).slice(0, 2);
    const other = (await heldBy(am1))[0]!;
    const refused = await post(gzHead, '/api/managers/portfolio-moves', { fromManagerId: am3, toManagerId: am2, customerIds: [...chosen, other] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'portfolio_move_customers_unavailable' });
    expect((await heldBy(am3)).slice(0, 2)).toEqual(chosen);
    const res = await post(gzHead, '/api/managers/portfolio-moves', { fromManagerId: am3, toManagerId: am2, customerIds: chosen, fromDate: today });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ customers: 2 });
    for (const id of chosen) expect(await heldBy(am2)).toContain(id);
  });

  it('refuses a target who is no active manager of the head’s units, the same manager, a future date, and other cities’ managers', async () => {
    const cases: [Record<string, unknown>, Session, string][] = [
      [{ fromManagerId: am2, toManagerId: gzHeadId }, gzHead, 'portfolio_move_not_manager'],
      [{ fromManagerId: am2, toManagerId: szAm }, gzHead, 'not_found'],
      [{ fromManagerId: am2, toManagerId: am2 }, gzHead, 'portfolio_move_same_manager'],
      [{ fromManagerId: am2, toManagerId: am3, fromDate: dayAfter(3) }, gzHead, 'portfolio_move_date_future'],
      [{ fromManagerId: am2, toManagerId: am3, customerIds: [1], filter: { kind: 'group' } }, gzHead, 'portfolio_move_ids_or_filter'],
      [{ fromManagerId: am2, toManagerId: szAm }, szHead, 'not_found'],
    ];
    const before = await heldBy(am2);
    for (const [body, who, code] of cases) {
      const res = await post(who, '/api/managers/portfolio-moves', body);
      expect(res.statusCode, `${JSON.stringify(body)} ${res.body}`).toBe(400);
      expect(res.json()).toMatchObject({ code });
    }
    expect(await heldBy(am2)).toEqual(before);
    // an account manager may not move customers at all
    expect((await post(gzAm, '/api/managers/portfolio-moves', { fromManagerId: am1, toManagerId: am3 })).statusCode).toBe(403);
  });

  it('tells both managers of a single assignment (the customers area’s route)', async () => {
    const [customer] = await rows<{ id: number; version: number }>(sql`SELECT id, version FROM customers WHERE manager_id = ${am2} AND merged_into IS NULL ORDER BY id LIMIT 1`);
    const res = await post(gzHead, `/api/customers/${customer!.id}/manager`, { version: customer!.version, managerId: am3 });
    expect(res.statusCode, res.body).toBe(200);
    const told = await rows<{ userId: number; link: string }>(sql`
      SELECT user_id AS "userId", link FROM notifications WHERE link = ${`/customers/${customer!.id}`} ORDER BY id`);
    expect(told.map((t) => Number(t.userId))).toEqual([am2, am3]);
  });
});

describe('no customer is left without a manager', () => {
  it('refuses to deactivate a manager who still holds customers, naming how many; after a move of all of them it succeeds', async () => {
    const held = (await heldBy(am3)).length;
    expect(held).toBeGreaterThan(0);
    const user = (await get(admin, `/api/users/${am3}`)).json() as { version: number };
    const refused = await patch(admin, `/api/users/${am3}`, { version: user.version, active: false });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'user_holds_customers' });
    expect(refused.json().detail ?? refused.json().title).toContain(String(held));
    const all = await post(gzHead, '/api/managers/portfolio-moves', { fromManagerId: am3, toManagerId: am2 });
    expect(all.json()).toMatchObject({ customers: held });
    const ok = await patch(admin, `/api/users/${am3}`, { version: user.version, active: false });
    expect(ok.statusCode, ok.body).toBe(200);
    // an inactive user takes no customers
    const back = await post(gzHead, '/api/managers/portfolio-moves', { fromManagerId: am2, toManagerId: am3, dryRun: true });
    expect(back.statusCode).toBe(400);
  });
});
