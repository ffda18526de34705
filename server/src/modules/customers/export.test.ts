/**
 * 导出: an export is the list it came from, row for row, as it was when the export began, even when customers
 * arrive and move while it is read (more rows than one batch of the cursor); every export is audited with its
 * row count; codes are written as names in the reader's language; large exports run in the background and
 * their file is downloaded when done.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../db/testing.js';
import { ALL_PERMISSIONS } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { makeDeps, type Deps } from '../../platform/deps.js';
import { csvRecords } from '../integration/csv-reader.js';
import type { ExportRow } from './export-columns.js';
import { exportCustomers, startCustomerExport } from './export.service.js';
import type { CustomerSummary } from './schemas.js';

let sys: TestSystem;
let admin: Session;
let deps: Deps;
let actor: Actor;

beforeAll(async () => {
  // more in-network customers than one batch of the export's cursor (2,000)
  sys = await startTestSystem({ DEMO_CUSTOMERS: 2600 });
  admin = await sys.login('admin');
  deps = makeDeps(sys.config, sys.database);
  const [me] = await sys.database.rows<{ id: number }>(sql`SELECT id FROM users WHERE username = 'admin'`);
  actor = { userId: me!.id, username: 'admin', unitPath: '/', areaPath: '/', permissions: new Set(ALL_PERMISSIONS), requestId: null, ip: null };
});
afterAll(() => sys.close());

/** The records of a CSV export, read by the imports' own reader, without its BOM. */
async function parse(text: string): Promise<string[][]> {
  const records: string[][] = [];
  for await (const r of csvRecords((async function* () {
    yield text.replace(/^\uFEFF/, '').trimEnd();
  })())) records.push(r);
  return records;
}

/** Every page of a list, in its order. */
async function wholeList(query: string) {
  const items: CustomerSummary[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = (await admin.request({ method: 'GET', url: `/api/customers?${query}&offset=${offset}&limit=1000` })).json() as CustomerSummary[];
    items.push(...page);
    if (page.length < 1000) return items;
  }
}

const shape = (c: Pick<ExportRow, 'customerNo' | 'name' | 'archive' | 'unitName' | 'level' | 'points'>) => [c.customerNo, c.name, c.archive, c.unitName, c.level, c.points];

describe('export', () => {
  it('is the list it came from, row for row, while customers arrive and move during it', async () => {
    const listed = await wholeList('archive=in_network&sort=customerNo');
    expect(listed.length).toBeGreaterThan(2000);
    const { batches } = await exportCustomers(deps, actor, { filter: { archive: 'in_network' }, format: 'csv', withPii: false, locale: 'zh-CN' });
    const rows = batches[Symbol.asyncIterator]();
    const exported: ExportRow[] = [...((await rows.next()).value as ExportRow[])];
    // behind the export's back: a customer before and one after every other, rows not yet read leave the
    // archive or move region, retained ones come back, a name changes
    const unit = listed[0]!.unitId;
    await sys.database.rows(sql`
      INSERT INTO customers (customer_no, kind, name, unit_id) VALUES ('0-FIRST', 'individual', '新来者甲', ${unit}), ('ZZZ-LAST', 'individual', '新来者乙', ${unit})`);
    const later = listed.slice(2200, 2210).map((c) => c.customerNo); // past the first batch
    await sys.database.rows(sql`UPDATE customers SET archive = 'retained' WHERE customer_no = ANY(${`{${later.slice(0, 5).join(',')}}`}::text[])`);
    await sys.database.rows(sql`UPDATE customers SET unit_id = ${unit}, name = name || '（改）' WHERE customer_no = ANY(${`{${later.slice(5).join(',')}}`}::text[])`);
    await sys.database.rows(sql`UPDATE customers SET archive = 'in_network' WHERE id IN (SELECT id FROM customers WHERE archive = 'retained' ORDER BY id LIMIT 5)`);
    for (let next = await rows.next(); !next.done; next = await rows.next()) exported.push(...next.value);
    expect(exported.map(shape)).toEqual(listed.map(shape));
    const [entry] = (await admin.request({ method: 'GET', url: '/api/audit?entity=customer&action=export' })).json();
    expect(entry.after).toMatchObject({ filter: { archive: 'in_network' }, rows: listed.length });
  });

  it('writes every code as its name in the reader’s language', async () => {
    const zh = await admin.request({ method: 'GET', url: '/api/customers/export?format=csv&kind=group&limit=5' });
    expect(zh.statusCode, zh.body).toBe(200);
    const [header, first] = (await parse(zh.body));
    expect(header).toContain('客户类型');
    expect(first![header!.indexOf('客户类型')]).toBe('集团客户');
    expect(first![header!.indexOf('档案库')]).toMatch(/^(在网档案库|保留档案库)$/);
    expect(first![header!.indexOf('行业')]).not.toMatch(/^[A-T]$/);
    const en = await admin.request({ method: 'GET', url: '/api/customers/export?format=csv&kind=group', headers: { 'accept-language': 'en-US' } });
    const [enHeader, enFirst] = (await parse(en.body));
    expect(enFirst![enHeader!.indexOf('Kind')]).toBe('Group customer');
    expect(en.headers['content-disposition']).toContain('customers-');
  });

  it('refuses a direct download beyond its limit, and runs it in the background instead', async () => {
    const small = { ...deps, config: { ...deps.config, EXPORT_DIRECT_MAX_ROWS: 100 } };
    await expect(exportCustomers(small, actor, { filter: {}, format: 'csv', withPii: false, locale: 'zh-CN' })).rejects.toMatchObject({ status: 413, code: 'export_too_large' });
    const errors: unknown[] = [];
    const { job, done } = await startCustomerExport(deps, actor, { filter: { kind: 'individual' }, format: 'csv', withPii: false, locale: 'zh-CN' }, (e) => errors.push(e));
    expect(job.status).toBe('running');
    await done;
    expect(errors).toEqual([]);
    const status = (await admin.request({ method: 'GET', url: `/api/customers/exports/${job.id}` })).json();
    const total = Number((await admin.request({ method: 'GET', url: '/api/customers?kind=individual&limit=1' })).headers['x-total-count']);
    expect(status).toMatchObject({ status: 'done', rowsTotal: total, rowsDone: total });
    const file = await admin.request({ method: 'GET', url: `/api/customers/exports/${job.id}/file` });
    expect(file.statusCode).toBe(200);
    expect(Number(file.headers['content-length'])).toBe(status.bytes);
    expect(await parse(file.body)).toHaveLength(total + 1);
    // another user's export is not found; the list shows the user's own
    const other = await sys.login('gz_head');
    expect((await other.request({ method: 'GET', url: `/api/customers/exports/${job.id}/file` })).statusCode).toBe(404);
    expect((await admin.request({ method: 'GET', url: '/api/customers/exports' })).json()[0]).toMatchObject({ id: job.id, status: 'done' });
  });

  it('starts a background export through the API with 202', async () => {
    const res = await admin.request({ method: 'POST', url: '/api/customers/exports', payload: { filter: { kind: 'group' }, format: 'xlsx' } });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ status: 'running', format: 'xlsx' });
  });
});
