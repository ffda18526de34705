import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerCountsDrift, startTestSystem, type Session, type TestSystem } from '../../db/testing.js';
import type { OrgUnit } from '../org/schemas.js';
import type { CustomerSummary, CustomerView, HistoryEntry } from './schemas.js';

let sys: TestSystem;
let admin: Session;
let units: OrgUnit[];
const unitId = (code: string) => units.find((u) => u.code === code)!.id;
const userId = async (username: string) => (await admin.request({ method: 'GET', url: `/api/users?q=${username}` })).json()[0].id as number;

async function create(body: Record<string, unknown>) {
  const res = await admin.request({ method: 'POST', url: '/api/customers', payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { customer: CustomerView; duplicates: { id: number; reason: string }[] };
}
const view = async (s: Session, id: number) => (await s.request({ method: 'GET', url: `/api/customers/${id}` })).json() as CustomerView;
const search = async (s: Session, query: string) =>
  (await s.request({ method: 'GET', url: `/api/customers?limit=100&${query}` })).json() as CustomerSummary[];

let tianhe: CustomerView;
let wang: CustomerView;

beforeAll(async () => {
  sys = await startTestSystem();
  admin = await sys.login('admin');
  units = (await admin.request({ method: 'GET', url: '/api/org/units' })).json();
  tianhe = (
    await create({
      customerNo: 'T-G0001', kind: 'group', name: '广州天河测试科技有限公司', unitId: unitId('GD-GZ-04'),
      managerId: await userId('gz_am01'), creditCode: '91440106MA5TEXT01X', industry: 'I', employees: 320, contactPhone: '13800138000',
    })
  ).customer;
  wang = (
    await create({
      customerNo: 'T-P0001', kind: 'individual', name: '王测试', unitId: unitId('GD-GZ-01'), managerId: await userId('gz_am02'),
      idType: 'resident_id', idNumber: '440106198001011234', contactPhone: '13900139000', brand: 'gotone', gender: 'male',
    })
  ).customer;
  // a subscription and a key person to search by, and facts for the trend
  await sys.database.db.execute(sql`
    INSERT INTO subscriptions (msisdn, customer_id, plan, opened_on) VALUES ('13912345678', ${wang.id}, '全球通尊享588', '2020-01-01')`);
  await sys.database.db.execute(sql`SELECT ensure_fact_partition('2026-09-01'), ensure_fact_partition('2026-10-01')`);
  await sys.database.db.execute(sql`
    INSERT INTO monthly_facts (month, subscription_id, customer_id, rev_voice, rev_data, billed, paid, arrears)
    SELECT m::date, s.id, s.customer_id, 100, 488, 588, 500, 88
    FROM subscriptions s, (VALUES ('2026-09-01'), ('2026-10-01')) AS v(m) WHERE s.msisdn = '13912345678'`);
  const kp = await admin.request({ method: 'POST', url: `/api/customers/${tianhe.id}/key-persons`, payload: { name: '欧阳决策', role: 'decision_maker', phone: '13711112222' } });
  expect(kp.statusCode).toBe(201);
});
afterAll(() => sys.close());

describe('search (one box)', () => {
  it.each([
    ['a fragment of the Chinese name', '天河测试', 'T-G0001'],
    ['the customer number', 't-g0001', 'T-G0001'],
    ['a phone number (MSISDN)', '13912345678', 'T-P0001'],
    ['the unified social credit code', '91440106MA5TEXT01X', 'T-G0001'],
    ['the ID number', '440106198001011234', 'T-P0001'],
    ['a key person’s name', '欧阳决策', 'T-G0001'],
  ])('finds a customer by %s', async (_what, q, customerNo) => {
    const found = await search(admin, `q=${encodeURIComponent(q)}`);
    expect(found.map((c) => c.customerNo)).toContain(customerNo);
  });

  it('matches two characters anywhere in a name, one from its start only', async () => {
    expect((await search(admin, `q=${encodeURIComponent('测试')}&kind=individual`)).map((c) => c.customerNo)).toContain('T-P0001');
    expect((await search(admin, `q=${encodeURIComponent('天河')}`)).map((c) => c.customerNo)).toContain('T-G0001');
    expect((await search(admin, `q=${encodeURIComponent('决策')}`)).map((c) => c.customerNo)).toContain('T-G0001');
    expect((await search(admin, `q=${encodeURIComponent('王')}`)).map((c) => c.customerNo)).toContain('T-P0001');
    expect((await search(admin, `q=${encodeURIComponent('试')}&kind=individual`)).map((c) => c.customerNo)).not.toContain('T-P0001');
  });

  it('lists exact and prefix matches before others when no sort is chosen', async () => {
    const found = (await search(admin, `q=${encodeURIComponent('王测试')}`)).map((c) => c.name);
    expect(found[0]).toBe('王测试');
    const byName = await search(admin, `q=${encodeURIComponent('测试')}`);
    const rank = (name: string) => (name === '测试' ? 0 : name.startsWith('测试') ? 1 : 2);
    const ranks = byName.map((c) => rank(c.name));
    expect(ranks).toEqual([...ranks].sort());
  });

  it.each(['139 1234 5678', '139-1234-5678', '+86 13912345678', '0086 139 1234 5678', '8613912345678', '（139）1234 5678'])(
    'finds a phone number typed as %s',
    async (typed) => {
      expect((await search(admin, `q=${encodeURIComponent(typed)}`)).map((c) => c.customerNo)).toContain('T-P0001');
    },
  );

  it('matches %, _, quotes and backslashes literally', async () => {
    for (const q of ['%', '_', "'", '\\', '天河%', '"']) expect(await search(admin, `q=${encodeURIComponent(q)}`)).toEqual([]);
  });

  it('filters by archive, kind, region and manager with a total', async () => {
    const res = await admin.request({ method: 'GET', url: `/api/customers?kind=group&archive=in_network&unitId=${unitId('GD-GZ')}` });
    expect(res.statusCode).toBe(200);
    expect(Number(res.headers['x-total-count'])).toBeGreaterThanOrEqual(1);
    expect((res.json() as CustomerSummary[]).every((c) => c.kind === 'group' && c.archive === 'in_network')).toBe(true);
  });

  it('pages an exactly counted list in the order of one global sort, by any sort key, and keeps the total past the end', async () => {
    const gz = units.find((u) => u.code === 'GD-GZ')!;
    for (const [sort, column, order] of [
      ['name', 'name', 'desc'],
      ['joinedOn', 'joined_on', 'asc'],
      ['updatedAt', 'updated_at', 'desc'],
    ] as const) {
      const res = await admin.request({ method: 'GET', url: `/api/customers?unitId=${gz.id}&archive=in_network&sort=${sort}&order=${order}&offset=3&limit=7` });
      expect(res.headers['x-total-estimated']).toBeUndefined();
      const expected = await sys.database.rows<{ customer_no: string }>(sql`
        SELECT c.customer_no FROM customers c JOIN org_units o ON o.id = c.unit_id
        WHERE o.path LIKE ${`${gz.path}%`} AND c.archive = 'in_network'
        ORDER BY ${sql.raw(`c.${column} ${order}`)} NULLS LAST, ${sql.raw(`c.id ${order}`)} OFFSET 3 LIMIT 7`);
      expect((res.json() as CustomerSummary[]).map((c) => c.customerNo)).toEqual(expected.map((r) => r.customer_no));
    }
    const all = await admin.request({ method: 'GET', url: `/api/customers?unitId=${gz.id}&kind=group&limit=1` });
    const past = await admin.request({ method: 'GET', url: `/api/customers?unitId=${gz.id}&kind=group&offset=100000&limit=5` });
    expect(past.json()).toEqual([]);
    expect(past.headers['x-total-count']).toBe(all.headers['x-total-count']);
    const none = await admin.request({ method: 'GET', url: `/api/customers?q=${encodeURIComponent('没有这个客户')}` });
    expect([none.json(), none.headers['x-total-count']]).toEqual([[], '0']);
  });

  it('masks phone and ID numbers in lists', async () => {
    const [c] = await search(admin, 'q=T-P0001');
    expect(c!.contactPhone).toBe('139****9000');
    expect(c!.idNumber).toBe('**************1234');
  });
});

describe('the 360° view', () => {
  it('shows profile, people, numbers masked, the trend and arrears', async () => {
    const v = await view(admin, wang.id);
    expect(v.subscriptions[0]!.msisdn).toBe('139****5678');
    expect(v.trend.map((t) => t.month)).toEqual(['2026-09', '2026-10']);
    expect(v.trend[1]).toMatchObject({ revenue: '588.00', paid: '500.00', arrears: '88.00' });
    expect(v.currentArrears).toBe('88.00');
    const g = await view(admin, tianhe.id);
    expect(g.keyPersons[0]).toMatchObject({ name: '欧阳决策', phone: '137****2222' });
    expect(g.managerName).toBeTruthy();
  });

  it('never stores the ID number in clear', async () => {
    const rows = await sys.database.rows<{ enc: unknown }>(sql`SELECT id_number_enc::text AS enc FROM customers WHERE id = ${wang.id}`);
    expect(String(rows[0]!.enc)).not.toContain('440106198001011234');
    const dump = await sys.database.rows(sql`SELECT * FROM customers WHERE id = ${wang.id}`);
    expect(JSON.stringify(dump)).not.toContain('440106198001011234');
  });
});

describe('dynamic management (动态管理)', () => {
  it('keeps each field change with source, old and new value, who and when', async () => {
    const before = await view(admin, tianhe.id);
    const res = await admin.request({ method: 'PATCH', url: `/api/customers/${tianhe.id}`, payload: { version: before.version, source: 'self_report', employees: 350, address: '广州市天河区体育西路1号' } });
    expect(res.statusCode, res.body).toBe(200);
    const history = (await admin.request({ method: 'GET', url: `/api/customers/${tianhe.id}/history` })).json() as HistoryEntry[];
    expect(history).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'change', field: 'employees', oldValue: '320', newValue: '350', source: 'self_report' })]));
    const stale = await admin.request({ method: 'PATCH', url: `/api/customers/${tianhe.id}`, payload: { version: before.version, employees: 1 } });
    expect(stale.statusCode).toBe(409);
  });

  it('records a visit and the fields it updated, with source manager_visit; PII stays masked in history', async () => {
    const am = await sys.login('gz_am02');
    const before = await view(am, wang.id);
    const res = await am.request({
      method: 'POST',
      url: `/api/customers/${wang.id}/visits`,
      payload: { visitedOn: '2026-11-20', channel: 'visit', summary: '上门拜访，更新联系电话', version: before.version, updates: { contactPhone: '13600136000', employer: '广州某银行' } },
    });
    expect(res.statusCode, res.body).toBe(201);
    const history = (await am.request({ method: 'GET', url: `/api/customers/${wang.id}/history` })).json() as HistoryEntry[];
    const phone = history.find((h) => h.field === 'contactPhone')!;
    expect(phone).toMatchObject({ source: 'manager_visit', oldValue: '139****9000', newValue: '136****6000' });
    expect(history.some((h) => h.kind === 'visit')).toBe(true);
  });

  it('rejects a bad field with a problem naming it', async () => {
    const v = await view(admin, tianhe.id);
    const res = await admin.request({ method: 'PATCH', url: `/api/customers/${tianhe.id}`, payload: { version: v.version, employees: -3, creditCode: 'nope' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.creditCode', 'body.employees']);
  });
});

describe('archives and lifecycle', () => {
  it('moves a customer to the retained archive with a reason and reactivates it with its history', async () => {
    let v = await view(admin, wang.id);
    const out = await admin.request({ method: 'POST', url: `/api/customers/${wang.id}/archive`, payload: { version: v.version, toArchive: 'retained', reason: 'port_out', effectiveOn: '2026-11-01' } });
    expect(out.statusCode, out.body).toBe(200);
    expect((await search(admin, 'archive=retained&q=T-P0001')).length).toBe(1);
    expect((await search(admin, 'archive=in_network&q=T-P0001')).length).toBe(0);
    v = out.json();
    const back = await admin.request({ method: 'POST', url: `/api/customers/${wang.id}/archive`, payload: { version: v.version, toArchive: 'in_network', reason: 'win_back', effectiveOn: '2026-11-20' } });
    expect(back.json().archive).toBe('in_network');
    const history = (await admin.request({ method: 'GET', url: `/api/customers/${wang.id}/history` })).json() as HistoryEntry[];
    expect(history.filter((h) => h.kind === 'lifecycle').map((h) => h.source)).toEqual(['win_back', 'port_out']);
    expect(history.some((h) => h.field === 'employer')).toBe(true);
  });
});

describe('data scope and personal data', () => {
  it('shows an account manager only their portfolio and answers others as customers that do not exist (404)', async () => {
    const am = await sys.login('gz_am01');
    const mine = await search(am, '');
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((c) => c.managerId === tianhe.managerId)).toBe(true);
    const other = await am.request({ method: 'GET', url: `/api/customers/${wang.id}` });
    const none = await am.request({ method: 'GET', url: '/api/customers/987654321' });
    expect([other.statusCode, other.json().code, other.json().title]).toEqual([404, 'not_found', none.json().title]);
  });

  it('puts an account manager’s new customer into their own portfolio', async () => {
    const am = await sys.login('gz_am03');
    const res = await am.request({ method: 'POST', url: '/api/customers', payload: { customerNo: 'T-P0003', kind: 'individual', name: '李新客', unitId: unitId('GD-GZ-02') } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().customer.managerName).toBeTruthy();
    expect((await am.request({ method: 'GET', url: `/api/customers/${res.json().customer.id}` })).statusCode).toBe(200);
  });

  it('lets only those who assign managers name another account manager on a new customer', async () => {
    const am = await sys.login('gz_am03');
    const res = await am.request({ method: 'POST', url: '/api/customers', payload: { customerNo: 'T-P0004', kind: 'individual', name: '赵新客', unitId: unitId('GD-GZ-02'), managerId: await userId('gz_am01') } });
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json().errors[0].field).toBe('body.managerId');
    const own = await am.request({ method: 'POST', url: '/api/customers', payload: { customerNo: 'T-P0004', kind: 'individual', name: '赵新客', unitId: unitId('GD-GZ-02'), managerId: await userId('gz_am03') } });
    expect(own.statusCode, own.body).toBe(201);
  });

  it('keeps another city’s head out', async () => {
    const sz = await sys.login('sz_head');
    expect((await search(sz, 'q=T-G0001')).length).toBe(0);
    expect((await sz.request({ method: 'GET', url: `/api/customers/${tianhe.id}` })).statusCode).toBe(404);
  });

  it('reveals one field with the permission and audits it; refuses without', async () => {
    const head = await sys.login('gz_head');
    const res = await head.request({ method: 'POST', url: `/api/customers/${wang.id}/reveal`, payload: { field: 'idNumber' } });
    expect(res.json()).toEqual({ field: 'idNumber', value: '440106198001011234' });
    const trail = (await admin.request({ method: 'GET', url: `/api/audit?entity=customer&entityId=${wang.id}&action=read` })).json();
    expect(trail[0]).toMatchObject({ actorUsername: 'gz_head', after: { revealed: 'idNumber' } });
    const analyst = await sys.login('gd_analyst');
    expect((await analyst.request({ method: 'POST', url: `/api/customers/${wang.id}/reveal`, payload: { field: 'idNumber' } })).statusCode).toBe(403);
  });
});

describe('duplicates', () => {
  it('flags a new customer with an existing credit code and merges it, keeping both histories', async () => {
    const { customer: dup, duplicates } = await create({
      customerNo: 'T-G0002', kind: 'group', name: '天河测试科技（重复录入）', unitId: unitId('GD-GZ-04'), creditCode: '91440106MA5TEXT01X',
    });
    expect(duplicates).toEqual([expect.objectContaining({ id: tianhe.id, reason: 'credit_code' })]);
    await sys.database.db.execute(sql`INSERT INTO subscriptions (msisdn, customer_id, plan, opened_on) VALUES ('13500135000', ${dup.id}, '集团专线', '2024-05-01')`);
    const survivor = await view(admin, tianhe.id);
    const res = await admin.request({ method: 'POST', url: `/api/customers/${tianhe.id}/merge`, payload: { version: survivor.version, duplicateId: dup.id, duplicateVersion: dup.version } });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as CustomerView).subscriptions.map((s) => s.msisdn)).toContain('135****5000');
    const merged = await view(admin, dup.id);
    expect(merged).toMatchObject({ archive: 'retained', archivedReason: 'merged', mergedInto: tianhe.id });
    const again = await admin.request({ method: 'POST', url: `/api/customers/${tianhe.id}/merge`, payload: { version: res.json().version, duplicateId: dup.id, duplicateVersion: merged.version } });
    expect(again.statusCode).toBe(409);
    // the merged record left the in-network archive's count for the retained one's
    expect(await customerCountsDrift(sys.database)).toEqual([]);
  });
});

describe('portfolio', () => {
  it('lists the managers in scope and keeps who assigned whom in the history', async () => {
    const head = await sys.login('gz_head');
    const managers = (await head.request({ method: 'GET', url: '/api/customers/managers' })).json() as { id: number; displayName: string }[];
    expect(managers.length).toBe(3);
    const v = await view(head, tianhe.id);
    const target = managers.find((m) => m.id !== v.managerId)!;
    const res = await head.request({ method: 'POST', url: `/api/customers/${tianhe.id}/manager`, payload: { version: v.version, managerId: target.id } });
    expect(res.statusCode, res.body).toBe(200);
    const page = await head.request({ method: 'GET', url: `/api/customers/${tianhe.id}/history?limit=50` });
    expect(Number(page.headers['x-total-count'])).toBe(page.json().length);
    const assigned = (page.json() as HistoryEntry[]).filter((h) => h.kind === 'assignment');
    // 经理分配: the manager before and after, the source and who assigned
    const before = managers.find((m) => m.id === v.managerId)!;
    const reassigned = assigned.find((h) => h.newValue === target.displayName)!;
    expect(reassigned).toMatchObject({ field: 'manager', oldValue: before.displayName, source: 'console' });
    expect(reassigned.actorName).toBe((await head.request({ method: 'GET', url: '/api/me' })).json().displayName);
    const sz = await sys.login('sz_head');
    const szManagers = (await sz.request({ method: 'GET', url: '/api/customers/managers' })).json() as { id: number }[];
    const outside = await head.request({ method: 'POST', url: `/api/customers/${tianhe.id}/manager`, payload: { version: res.json().version, managerId: szManagers[0]!.id } });
    expect(outside.statusCode).toBe(400);
  });
});

describe('saved filters', () => {
  it('saves, lists and deletes a user’s own filters', async () => {
    const saved = await admin.request({ method: 'POST', url: '/api/customer-filters', payload: { name: '广州集团', filter: { kind: 'group', unitId: unitId('GD-GZ') } } });
    expect(saved.statusCode).toBe(201);
    expect((await admin.request({ method: 'GET', url: '/api/customer-filters' })).json()).toEqual([expect.objectContaining({ name: '广州集团' })]);
    const other = await sys.login('gd_analyst');
    expect((await other.request({ method: 'DELETE', url: `/api/customer-filters/${saved.json().id}` })).statusCode).toBe(404);
    expect((await admin.request({ method: 'DELETE', url: `/api/customer-filters/${saved.json().id}` })).statusCode).toBe(204);
  });
});

describe('export (导出)', () => {
  it('exports the filtered list as CSV with masked personal data, and audits it', async () => {
    const res = await admin.request({ method: 'GET', url: '/api/customers/export?format=csv&q=T-P0001' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('attachment');
    expect(res.body.charCodeAt(0)).toBe(0xfeff);
    expect(res.body).toContain('客户编号');
    expect(res.body).toContain('**************1234');
    expect(res.body).not.toContain('440106198001011234');
    const trail = (await admin.request({ method: 'GET', url: '/api/audit?entity=customer&action=export' })).json();
    expect(trail[0]).toMatchObject({ actorUsername: 'admin', after: { withPii: false } });
  });

  it('exports personal data only with customers.export_pii', async () => {
    const analyst = await sys.login('gd_analyst');
    expect((await analyst.request({ method: 'GET', url: '/api/customers/export?format=csv&pii=true' })).statusCode).toBe(403);
    const head = await sys.login('gz_head');
    const res = await head.request({ method: 'GET', url: '/api/customers/export?format=csv&pii=true&q=T-P0001' });
    expect(res.body).toContain('440106198001011234');
  });

  it('neutralises a formula in a cell', async () => {
    await create({ customerNo: 'T-G0666', kind: 'group', name: '=HYPERLINK("http://evil.example","点我")', unitId: unitId('GD-GZ-04') });
    const res = await admin.request({ method: 'GET', url: '/api/customers/export?format=csv&q=T-G0666' });
    expect(res.body).toContain(`'=HYPERLINK`);
  });

  it('writes a real .xlsx workbook', async () => {
    const res = await admin.request({ method: 'GET', url: '/api/customers/export?format=xlsx&kind=group' });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
});

describe('trend window', () => {
  it('starts on the first of the month, counted in Asia/Shanghai, across year ends', async () => {
    const { monthsAgo } = await import('./service.js');
    expect(monthsAgo(24, new Date('2026-11-25T10:00:00Z'))).toBe('2024-11-01');
    expect(monthsAgo(1, new Date('2026-01-15T00:00:00Z'))).toBe('2025-12-01');
    // 23:30 UTC on 31 Dec is already 1 January in Shanghai
    expect(monthsAgo(0, new Date('2025-12-31T23:30:00Z'))).toBe('2026-01-01');
  });
});
