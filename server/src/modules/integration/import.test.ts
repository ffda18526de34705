import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerCountsDrift, monthTotalsDrift, startTestSystem, type Session, type TestSystem } from '../../db/testing.js';
import { audit } from '../../platform/audit/audit.js';
import { systemActor } from '../../platform/auth/principal.js';
import { LOCK_CLASS, runKey, runLocks } from '../../platform/jobs/run-locks.js';
import { csvRecords } from './csv-reader.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kam-import-test-'));
let sys: TestSystem;
let admin: Session;

function multipart(fields: Record<string, string>, file: { name: string; data: Buffer }) {
  const boundary = `----kam${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  parts.push(
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    file.data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

interface Job {
  id: number;
  status: string;
  rowsRead: number;
  rowsRejected: number;
  inserted: number;
  updated: number;
  unchanged: number;
  committed: boolean;
  encoding: string | null;
  format: string | null;
  error: { code: string; message: string } | null;
}

/** Uploads a file written to the temp dir and waits for the job to end. */
async function runImport(session: Session, kind: string, name: string, data: Buffer | string, opts: { dryRun?: boolean; setAside?: boolean } = {}) {
  const file = path.join(dir, name);
  writeFileSync(file, data);
  const { readFileSync } = await import('node:fs');
  const body = multipart({ kind, dryRun: String(!!opts.dryRun), setAside: String(!!opts.setAside) }, { name, data: readFileSync(file) });
  const res = await session.request({ method: 'POST', url: '/api/imports', ...body });
  if (res.statusCode !== 202) return { res, job: null as Job | null, report: [] as string[] };
  let job = res.json() as Job;
  for (let i = 0; i < 600 && (job.status === 'queued' || job.status === 'running'); i++) {
    await new Promise((r) => setTimeout(r, 50));
    job = (await session.request({ method: 'GET', url: `/api/imports/${job.id}` })).json() as Job;
  }
  return { res, job };
}

/** The report's rows (row, key, column, reason code, reason), in English unless asked otherwise. */
async function rejects(session: Session, id: number, lang = 'en-US'): Promise<string[][]> {
  const res = await session.request({ method: 'GET', url: `/api/imports/${id}/rejects.csv`, headers: { 'accept-language': lang } });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toContain('text/csv');
  const records: string[][] = [];
  for await (const r of csvRecords((async function* () { yield res.body.replace(/^\uFEFF/, '').trimEnd(); })())) records.push(r);
  return records.slice(1);
}

const q = <T = Record<string, unknown>>(query: ReturnType<typeof sql>) => sys.database.rows<T>(query);

const CUSTOMER_HEADER_ZH = '客户编号,客户类型,客户名称,归属单位编码,客户经理,行业,品牌,联系电话,地址,入网日期,统一社会信用代码,员工人数,性别,出生日期,证件类型,证件号码';
const CUSTOMER_HEADER_EN = 'customer_no,kind,name,unit_code,manager,industry,brand,contact_phone,address,joined_on,credit_code,employees,gender,birthday,id_type,id_number';
const SUB_HEADER = 'msisdn,customer_no,group_customer_no,plan,status,opened_on';
const FACT_HEADER = '月份,手机号码,语音收入,短信收入,流量收入,增值业务收入,漫游收入,本地通话分钟,长途通话分钟,漫游通话分钟,短信条数,流量MB,出账金额,实收金额,欠费金额';
const fact = (month: string, msisdn: string, paid = '88.00') => `${month},${msisdn},10.00,2.00,50.00,5.00,0,300,10,0,20,2048.5,67.00,${paid},0`;

beforeAll(async () => {
  sys = await startTestSystem();
  admin = await sys.login('admin');
  // the base every test builds on: two customers in 广州, one in 深圳, and their subscriptions
  const customers = [
    CUSTOMER_HEADER_ZH,
    'T-GZ-0001,集团,广州测试科技有限公司,GD-GZ,gz_am01,I,,020-88886666,广州市天河区体育西路1号,2015-03-01,91440101MA59ABCD1X,120,,,,',
    'T-GZ-0002,个人,张三,GD-GZ-01,,,全球通,13800000000,,2012-05-20,,,男,1980-02-29,身份证,440101198002291234',
    'T-SZ-0001,集团,深圳测试实业有限公司,GD-SZ,,C,,,,2018-01-01,91440300MA5FXYQW2B,800,,,,',
  ].join('\n');
  const c = await runImport(admin, 'customers', 'base-customers.csv', customers);
  expect(c.job?.status, JSON.stringify(c.job)).toBe('succeeded');
  const subs = [
    SUB_HEADER,
    '14700000001,T-GZ-0001,,集团V网套餐,normal,2015-03-01',
    '14700000002,T-GZ-0002,T-GZ-0001,全球通尊享套餐388元,正常,2012-05-20',
    '14700000003,T-SZ-0001,,集团V网套餐,normal,2018-01-01',
  ].join('\r\n');
  const s = await runImport(admin, 'subscriptions', 'base-subs.csv', subs);
  expect(s.job?.status, JSON.stringify(s.job)).toBe('succeeded');
});

afterAll(async () => {
  await sys?.close();
});

describe('import of customers', () => {
  it('loads customers, seals ID numbers and resolves units and managers', async () => {
    const rows = await q<{ customer_no: string; kind: string; unit_code: string; manager: string | null; id_number_tail: string | null; plain: number }>(sql`
      SELECT c.customer_no, c.kind, u.code AS unit_code, m.username AS manager, c.id_number_tail,
             (SELECT count(*)::int FROM customers x WHERE position(convert_to('440101198002291234', 'UTF8') IN x.id_number_enc) > 0) AS plain
      FROM customers c JOIN org_units u ON u.id = c.unit_id LEFT JOIN users m ON m.id = c.manager_id
      WHERE c.customer_no LIKE 'T-%' ORDER BY 1`);
    expect(rows.map((r) => [r.customer_no, r.kind, r.unit_code, r.manager])).toEqual([
      ['T-GZ-0001', 'group', 'GD-GZ', 'gz_am01'],
      ['T-GZ-0002', 'individual', 'GD-GZ-01', null],
      ['T-SZ-0001', 'group', 'GD-SZ', null],
    ]);
    expect(rows[1]!.id_number_tail).toBe('1234');
    expect(rows[0]!.plain).toBe(0);
    const [p] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM portfolio_assignments p JOIN customers c ON c.id = p.customer_id WHERE c.customer_no = 'T-GZ-0001' AND p.until_date IS NULL`);
    expect(p!.n).toBe(1);
  });

  it('re-importing the same file changes nothing; a changed field writes history with source boss_import, personal data masked as the console masks it', async () => {
    const before = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM customer_changes`);
    const same = [CUSTOMER_HEADER_EN, 'T-GZ-0002,individual,张三,GD-GZ-01,,,gotone,13800000000,,2012-05-20,,,male,1980-02-29,resident_id,440101198002291234'].join('\n');
    const again = await runImport(admin, 'customers', 'again.csv', same);
    expect(again.job).toMatchObject({ status: 'succeeded', inserted: 0, updated: 0, unchanged: 1 });
    expect((await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM customer_changes`))[0]!.n).toBe(before[0]!.n);

    const changed = same.replace('张三', '张三丰').replace('13800000000', '13800000001').replace('440101198002291234', '44010119800229567X');
    const upd = await runImport(admin, 'customers', 'changed.csv', changed);
    expect(upd.job).toMatchObject({ status: 'succeeded', inserted: 0, updated: 1, unchanged: 0 });
    const changes = await q<{ field: string; old_value: string; new_value: string; source: string }>(sql`
      SELECT field, old_value, new_value, source FROM customer_changes ch JOIN customers c ON c.id = ch.customer_id
      WHERE c.customer_no = 'T-GZ-0002' ORDER BY field`);
    expect(changes).toEqual([
      { field: 'contactPhone', old_value: '138****0000', new_value: '138****0001', source: 'boss_import' },
      { field: 'idNumber', old_value: '**************1234', new_value: '**************567X', source: 'boss_import' },
      { field: 'name', old_value: '张三', new_value: '张三丰', source: 'boss_import' },
    ]);
    const [v] = await q<{ version: number }>(sql`SELECT version FROM customers WHERE customer_no = 'T-GZ-0002'`);
    expect(v!.version).toBe(2);
    // the archive lists' totals (customer_counts) follow the imported customers
    expect(await customerCountsDrift(sys.database)).toEqual([]);
  });

  it('data scope: a city head cannot create or change customers outside the subtree', async () => {
    const gz = await sys.login('gz_head');
    const file = [
      CUSTOMER_HEADER_EN,
      'T-GZ-0100,group,广州新客户有限公司,GD-GZ-02,,,,,,,,,,,,',
      'T-SZ-0100,group,深圳新客户有限公司,GD-SZ,,,,,,,,,,,,',
      'T-SZ-0001,group,深圳测试实业有限公司（改）,GD-GZ,,,,,,,,,,,,',
    ].join('\n');
    const { job } = await runImport(gz, 'customers', 'scope.csv', file, { setAside: true });
    expect(job).toMatchObject({ status: 'succeeded', inserted: 1, rowsRejected: 2 });
    const report = await rejects(gz, job!.id);
    expect(report).toEqual([
      ['3', 'T-SZ-0100', 'unit_code', 'import_unit_out_of_scope', 'unit_code: the unit is outside your data scope'],
      ['4', 'T-SZ-0001', 'customer_no', 'import_existing_out_of_scope', 'customer_no: the existing customer is outside your data scope'],
    ]);
    const [sz] = await q<{ name: string }>(sql`SELECT name FROM customers WHERE customer_no = 'T-SZ-0001'`);
    expect(sz!.name).toBe('深圳测试实业有限公司');
    // and the Shenzhen head does not see the Guangzhou head's import
    const sz_head = await sys.login('sz_head');
    expect((await sz_head.request({ method: 'GET', url: `/api/imports/${job!.id}` })).statusCode).toBe(404);
  });

  it('an .xlsx file in GBK-free Unicode with dates typed as dates', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('客户');
    ws.addRow(CUSTOMER_HEADER_ZH.split(','));
    ws.addRow(['T-GZ-0200', '集团', '广州表格导入有限公司', 'GD-GZ', null, 'F', null, null, null, new Date(Date.UTC(2020, 6, 15)), null, 35, null, null, null, null]);
    const file = path.join(dir, 'customers.xlsx');
    await wb.xlsx.writeFile(file);
    const { readFileSync } = await import('node:fs');
    const { job } = await runImport(admin, 'customers', 'customers.xlsx', readFileSync(file));
    expect(job).toMatchObject({ status: 'succeeded', format: 'xlsx', inserted: 1 });
    const [row] = await q<{ joined_on: string; employees: number }>(sql`SELECT to_char(joined_on, 'YYYY-MM-DD') AS joined_on, employees FROM customers WHERE customer_no = 'T-GZ-0200'`);
    expect(row).toEqual({ joined_on: '2020-07-15', employees: 35 });
  });
});

describe('import of customers: possible duplicates of other customers (客户查重)', () => {
  // a row of the English layout: customer_no, kind, name, unit_code, manager, …, contact_phone, …, credit_code, …, id_type, id_number
  const customer = (no: string, kind: string, name: string, o: { phone?: string; credit?: string; id?: string; unit?: string } = {}) =>
    [no, kind, name, o.unit ?? 'GD-GZ', '', '', '', o.phone ?? '', '', '', o.credit ?? '', '', '', '', o.id ? 'passport' : '', o.id ?? ''].join(',');
  const file = (...rows: string[]) => [CUSTOMER_HEADER_EN, ...rows].join('\n');
  const existing = (...nos: string[]) =>
    q<{ customer_no: string }>(sql`SELECT customer_no FROM customers WHERE customer_no IN ${sql`(${sql.join(nos.map((n) => sql`${n}`), sql`, `)})`} ORDER BY 1`).then((r) =>
      r.map((x) => x.customer_no),
    );

  beforeAll(async () => {
    const base = await runImport(
      admin,
      'customers',
      'dup-base.csv',
      file(
        customer('D-0001', 'group', '查重甲有限公司', { phone: '020-11112222', credit: '91440000DUP0000001' }),
        customer('D-0002', 'individual', '查重乙', { id: 'DUPTEST990011' }),
        customer('D-0003', 'group', '查重丙有限公司', { phone: '020-33334444' }),
      ),
    );
    expect(base.job, JSON.stringify(base.job)).toMatchObject({ status: 'succeeded', inserted: 3 });
    const subs = await runImport(admin, 'subscriptions', 'dup-subs.csv', [SUB_HEADER, '14700009999,D-0003,,集团V网套餐,normal,2020-01-01'].join('\n'));
    expect(subs.job?.status).toBe('succeeded');
  });

  const dupFile = file(
    customer('D-0001', 'group', '查重甲有限公司', { phone: '020-11112222', credit: '91440000DUP0000001' }), // 2: itself again: no duplicate
    customer('D-0101', 'group', '查重丁有限公司', { credit: '91440000DUP0000001' }), // 3: D-0001's credit code
    customer('D-0102', 'individual', '查重戊', { id: 'duptest990011' }), // 4: D-0002's ID number (case does not matter)
    customer('D-0103', 'group', '查重丙有限公司', { phone: '020-33334444' }), // 5: D-0003's name and contact phone
    customer('D-0104', 'group', '查重丙有限公司', { phone: '14700009999' }), // 6: D-0003's name and one of its numbers
    customer('D-0105', 'group', '查重己有限公司', { credit: '91440000DUP0000002' }), // 7: same credit code as row 8
    customer('D-0106', 'group', '查重庚有限公司', { credit: '91440000DUP0000002' }), // 8
    customer('D-0107', 'group', '查重辛有限公司', { credit: '91440000DUP0000003' }), // 9: good
    customer('D-0108', 'group', '查重甲有限公司', { phone: '020-99998888' }), // 10: same name, another phone: good
  );

  it('all-or-nothing: a credit code, ID number or name and phone of another customer rejects the file, naming the customer', async () => {
    const { job } = await runImport(admin, 'customers', 'dups.csv', dupFile);
    expect(job).toMatchObject({ status: 'rejected', committed: false, rowsRead: 9, rowsRejected: 6, inserted: 0 });
    expect(await rejects(admin, job!.id)).toEqual([
      ['3', 'D-0101', 'credit_code', 'import_duplicate_credit_code', 'credit_code: the unified social credit code already belongs to another customer, D-0001'],
      ['4', 'D-0102', 'id_number', 'import_duplicate_id_number', 'id_number: the ID number already belongs to another customer, D-0002'],
      ['5', 'D-0103', 'contact_phone', 'import_duplicate_name_phone', 'contact_phone: the name and contact phone already belong to another customer, D-0003'],
      ['6', 'D-0104', 'contact_phone', 'import_duplicate_name_phone', 'contact_phone: the name and contact phone already belong to another customer, D-0003'],
      ['7', 'D-0105', 'credit_code', 'import_duplicate_credit_code_in_file', 'credit_code: the same unified social credit code for different customers within the file (rows 7, 8)'],
      ['8', 'D-0106', 'credit_code', 'import_duplicate_credit_code_in_file', 'credit_code: the same unified social credit code for different customers within the file (rows 7, 8)'],
    ]);
    expect((await rejects(admin, job!.id, 'zh-CN'))[0]).toEqual(['3', 'D-0101', 'credit_code', 'import_duplicate_credit_code', '统一社会信用代码：统一社会信用代码已属于另一客户 D-0001']);
    expect(await existing('D-0101', 'D-0107', 'D-0108')).toEqual([]);
  });

  it('set aside: the other rows import, and importing the file again changes nothing', async () => {
    const first = await runImport(admin, 'customers', 'dups.csv', dupFile, { setAside: true });
    expect(first.job).toMatchObject({ status: 'succeeded', committed: true, rowsRejected: 6, inserted: 2, updated: 0, unchanged: 1 });
    expect(await existing('D-0101', 'D-0102', 'D-0103', 'D-0104', 'D-0105', 'D-0106', 'D-0107', 'D-0108')).toEqual(['D-0107', 'D-0108']);
    const again = await runImport(admin, 'customers', 'dups.csv', dupFile, { setAside: true });
    expect(again.job).toMatchObject({ status: 'succeeded', rowsRejected: 6, inserted: 0, updated: 0, unchanged: 3 });
  });

  it('a customer outside the importer’s scope is not named', async () => {
    const gz = await sys.login('gz_head');
    // T-SZ-0001 (深圳) holds this credit code
    const { job } = await runImport(gz, 'customers', 'dup-scope.csv', file(customer('D-0201', 'group', '查重壬有限公司', { credit: '91440300MA5FXYQW2B' })));
    expect(job).toMatchObject({ status: 'rejected', rowsRejected: 1 });
    const [row] = await rejects(gz, job!.id);
    expect(row).toEqual(['2', 'D-0201', 'credit_code', 'import_duplicate_credit_code_hidden', 'credit_code: the unified social credit code already belongs to another customer, outside your data scope']);
  });

  it('a file may move a key from one customer to another; a rejected move keeps the key where it was', async () => {
    // D-0001 gives its credit code to a new customer: compared by the file's values, neither is a duplicate
    const moved = await runImport(
      admin,
      'customers',
      'dup-move.csv',
      file(
        customer('D-0001', 'group', '查重甲有限公司', { phone: '020-11112222', credit: '91440000DUP0000009' }),
        customer('D-0301', 'group', '查重癸有限公司', { credit: '91440000DUP0000001' }),
      ),
    );
    expect(moved.job).toMatchObject({ status: 'succeeded', rowsRejected: 0, inserted: 1, updated: 1 });
    // D-0301's row is itself a duplicate (D-0003's name and phone), so D-0301 keeps its credit code, which makes the
    // new D-0302's the same as D-0301's: both rows are set aside, found in a second pass
    const { job } = await runImport(
      admin,
      'customers',
      'dup-chain.csv',
      file(
        customer('D-0301', 'group', '查重丙有限公司', { phone: '020-33334444', credit: '91440000DUP0000008' }),
        customer('D-0302', 'group', '查重子有限公司', { credit: '91440000DUP0000001' }),
      ),
      { setAside: true },
    );
    expect(job).toMatchObject({ status: 'succeeded', rowsRejected: 2, inserted: 0, updated: 0 });
    expect((await rejects(admin, job!.id)).map((r) => r.slice(0, 4))).toEqual([
      ['2', 'D-0301', 'contact_phone', 'import_duplicate_name_phone'],
      ['3', 'D-0302', 'credit_code', 'import_duplicate_credit_code'],
    ]);
    const [c] = await q<{ credit_code: string }>(sql`SELECT credit_code FROM customers WHERE customer_no = 'D-0301'`);
    expect(c!.credit_code).toBe('91440000DUP0000001');
  });
});

describe('merged customers are frozen for imports (客户合并)', () => {
  // M-0002 is merged into M-0001 (both 广州); M-0004 (广州) into M-0003 (深圳), outside the Guangzhou head's scope
  const file = (...rows: string[]) => [CUSTOMER_HEADER_EN, ...rows].join('\n');
  const row = (no: string, name: string, unit = 'GD-GZ') => `${no},group,${name},${unit},,,,,,,,,,,,`;
  const customer = async (no: string) =>
    (await q<{ id: number; version: number; name: string; unit: string; archive: string }>(sql`
      SELECT c.id, c.version, c.name, u.code AS unit, c.archive FROM customers c JOIN org_units u ON u.id = c.unit_id WHERE c.customer_no = ${no}`))[0]!;
  const merge = async (survivor: string, duplicate: string) => {
    const [s, d] = [await customer(survivor), await customer(duplicate)];
    const res = await admin.request({ method: 'POST', url: `/api/customers/${s.id}/merge`, payload: { version: s.version, duplicateId: Number(d.id), duplicateVersion: d.version } });
    expect(res.statusCode, res.body).toBe(200);
  };

  beforeAll(async () => {
    const base = await runImport(
      admin,
      'customers',
      'merge-base.csv',
      file(row('M-0001', '合并存续甲有限公司'), row('M-0002', '合并注销乙有限公司'), row('M-0003', '合并存续丙有限公司', 'GD-SZ'), row('M-0004', '合并注销丁有限公司')),
    );
    expect(base.job, JSON.stringify(base.job)).toMatchObject({ status: 'succeeded', inserted: 4 });
    await merge('M-0001', 'M-0002');
    await merge('M-0003', 'M-0004');
  });

  it('a customers row of a merged customer is rejected, naming the customer it lives on in; nothing of it changes', async () => {
    const before = await customer('M-0002');
    const rows = file(row('M-0002', '合并注销乙有限公司（改名）', 'GD-SZ'), row('M-0005', '合并新客户戊有限公司'));
    const strict = await runImport(admin, 'customers', 'merged.csv', rows);
    expect(strict.job).toMatchObject({ status: 'rejected', rowsRejected: 1, inserted: 0 });
    expect(await rejects(admin, strict.job!.id)).toEqual([
      ['2', 'M-0002', 'customer_no', 'customer_merged', 'customer_no: This customer was merged into M-0001 (合并存续甲有限公司) and can no longer be changed; work on that customer instead'],
    ]);
    expect((await rejects(admin, strict.job!.id, 'zh-CN'))[0]![4]).toBe('客户编号：该客户已合并到客户 M-0001（合并存续甲有限公司），不能再修改，请在该客户上办理');
    const aside = await runImport(admin, 'customers', 'merged.csv', rows, { setAside: true });
    expect(aside.job).toMatchObject({ status: 'succeeded', rowsRejected: 1, inserted: 1, updated: 0 });
    expect(await customer('M-0002')).toEqual(before);
    expect(before).toMatchObject({ name: '合并注销乙有限公司', unit: 'GD-GZ', archive: 'retained' });
  });

  it('a subscription row naming a merged customer, as its customer or its group, is rejected likewise', async () => {
    const { job } = await runImport(
      admin,
      'subscriptions',
      'merged-subs.csv',
      [SUB_HEADER, '14700007001,M-0002,,集团V网套餐,normal,2020-01-01', '14700007002,T-GZ-0002,M-0002,集团V网套餐,normal,2020-01-01', '14700007003,M-0001,,集团V网套餐,normal,2020-01-01'].join('\n'),
      { setAside: true },
    );
    expect(job).toMatchObject({ status: 'succeeded', rowsRejected: 2, inserted: 1 });
    expect((await rejects(admin, job!.id)).map((r) => r.slice(0, 4))).toEqual([
      ['2', '14700007001', 'customer_no', 'customer_merged'],
      ['3', '14700007002', 'group_customer_no', 'customer_merged'],
    ]);
    const [n] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM subscriptions WHERE msisdn IN ('14700007001', '14700007002')`);
    expect(n!.n).toBe(0);
  });

  it('a customer it lives on outside the importer’s scope is not named', async () => {
    const gz = await sys.login('gz_head');
    const { job } = await runImport(gz, 'customers', 'merged-scope.csv', file(row('M-0004', '合并注销丁有限公司（改名）')));
    expect(job).toMatchObject({ status: 'rejected', rowsRejected: 1 });
    expect(await rejects(gz, job!.id)).toEqual([
      ['2', 'M-0004', 'customer_no', 'import_customer_merged_hidden', 'customer_no: the customer was merged into another customer, outside your data scope, and can no longer be changed'],
    ]);
    expect((await customer('M-0004')).name).toBe('合并注销丁有限公司');
  });
});

describe('import of monthly facts', () => {
  it('loads facts for a month (partition created), re-import is a no-op, a change updates', async () => {
    const file = [FACT_HEADER, fact('2026-01', '14700000001'), fact('2026-01', '14700000002'), fact('2026-02', '14700000001')].join('\n');
    const first = await runImport(admin, 'facts', 'facts.csv', file);
    expect(first.job).toMatchObject({ status: 'succeeded', inserted: 3, updated: 0, committed: true, encoding: 'utf-8' });
    const again = await runImport(admin, 'facts', 'facts.csv', file);
    expect(again.job).toMatchObject({ status: 'succeeded', inserted: 0, updated: 0, unchanged: 3 });
    const changed = await runImport(admin, 'facts', 'facts2.csv', [FACT_HEADER, fact('2026-01', '14700000001', '60.5')].join('\n'));
    expect(changed.job).toMatchObject({ status: 'succeeded', inserted: 0, updated: 1 });
    const rows = await q<{ month: string; paid: string; customer_no: string }>(sql`
      SELECT to_char(f.month, 'YYYY-MM') AS month, f.paid::text AS paid, c.customer_no FROM monthly_facts f JOIN customers c ON c.id = f.customer_id
      WHERE c.customer_no LIKE 'T-%' ORDER BY 1, 3`);
    expect(rows).toEqual([
      { month: '2026-01', paid: '60.50', customer_no: 'T-GZ-0001' },
      { month: '2026-01', paid: '88.00', customer_no: 'T-GZ-0002' },
      { month: '2026-02', paid: '88.00', customer_no: 'T-GZ-0001' },
    ]);
    // the customers' monthly totals that the rules run reads follow every load
    expect(await monthTotalsDrift(sys.database)).toEqual([]);
  });

  it('GBK and UTF-8 with BOM are both read', async () => {
    const text = [FACT_HEADER, fact('2026-03', '14700000001')].join('\r\n');
    const gbk = await runImport(admin, 'facts', 'gbk.csv', iconv.encode(text, 'gbk'));
    expect(gbk.job).toMatchObject({ status: 'succeeded', encoding: 'gbk', inserted: 1 });
    const bom = await runImport(admin, 'facts', 'bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.replace('2026-03', '2026-04'))]));
    expect(bom.job).toMatchObject({ status: 'succeeded', encoding: 'utf-8-bom', inserted: 1 });
  });

  it('dry run validates and reports but commits nothing', async () => {
    const before = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM monthly_facts f JOIN customers c ON c.id = f.customer_id WHERE c.customer_no LIKE 'T-%'`);
    const { job } = await runImport(admin, 'facts', 'dry.csv', [FACT_HEADER, fact('2026-05', '14700000001'), fact('2026-05', '14700000002')].join('\n'), { dryRun: true });
    expect(job).toMatchObject({ status: 'succeeded', committed: false, inserted: 2 });
    expect((await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM monthly_facts f JOIN customers c ON c.id = f.customer_id WHERE c.customer_no LIKE 'T-%'`))[0]!.n).toBe(before[0]!.n);
  });

  it('all-or-nothing by default; set-aside imports the good rows and lists exactly the bad ones', async () => {
    const file = [
      FACT_HEADER,
      fact('2026-06', '14700000001'), // row 2: good
      fact('2026-13', '14700000002'), // row 3: bad month
      fact('2026-06', '14711112222'), // row 4: unknown subscription
      fact('2026-06', '14700000003', '-5.00'), // row 5: negative
      fact('2026-06', '14700000002', 'abc'), // row 6: not a number
      fact('2026-07', '14700000001'), // row 7: duplicate of row 8
      fact('2026-07', '14700000001'), // row 8
      fact('2026-06', '14700000003', '1.234'), // row 9: 3 decimals
    ].join('\n');
    const before = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM monthly_facts f JOIN customers c ON c.id = f.customer_id WHERE c.customer_no LIKE 'T-%'`);
    const strict = await runImport(admin, 'facts', 'bad.csv', file);
    expect(strict.job).toMatchObject({ status: 'rejected', committed: false, rowsRejected: 7, inserted: 0 });
    expect((await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM monthly_facts f JOIN customers c ON c.id = f.customer_id WHERE c.customer_no LIKE 'T-%'`))[0]!.n).toBe(before[0]!.n);
    const report = await rejects(admin, strict.job!.id);
    expect(report).toEqual([
      ['3', '2026-13 14700000002', 'month', 'import_bad_month', 'month: not a month (YYYY-MM)'],
      ['4', '2026-06 14711112222', 'msisdn', 'import_unknown_subscription', 'msisdn: unknown subscription'],
      ['5', '2026-06 14700000003', 'paid', 'import_negative_amount', 'paid: negative amount'],
      ['6', '2026-06 14700000002', 'paid', 'import_not_a_number', 'paid: not a number'],
      ['7', '2026-07 14700000001', 'msisdn', 'import_duplicate_in_file', 'msisdn: duplicate key within the file (rows 7, 8)'],
      ['8', '2026-07 14700000001', 'msisdn', 'import_duplicate_in_file', 'msisdn: duplicate key within the file (rows 7, 8)'],
      ['9', '2026-06 14700000003', 'paid', 'import_too_many_decimals', 'paid: more than 2 decimal places'],
    ]);
    const aside = await runImport(admin, 'facts', 'bad.csv', file, { setAside: true });
    expect(aside.job).toMatchObject({ status: 'succeeded', committed: true, rowsRejected: 7, inserted: 1 });
    const [n] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM monthly_facts f JOIN customers c ON c.id = f.customer_id WHERE c.customer_no LIKE 'T-%' AND f.month IN ('2026-06-01', '2026-07-01')`);
    expect(n!.n).toBe(1);
    expect(await monthTotalsDrift(sys.database)).toEqual([]);
  });

  it('a customer name without a visible character is a row error; direction controls are dropped from names', async () => {
    const row = (no: string, name: string) => `${no},group,${name},GD-GZ,,,,,,,,,,,,`;
    const { job } = await runImport(admin, 'customers', 'names.csv', [CUSTOMER_HEADER_EN, row('T-NAME-1', '\u200b\u202e\u2060'), row('T-NAME-2', '宝利\u202e软件')].join('\n'), { setAside: true });
    expect(job).toMatchObject({ status: 'succeeded', rowsRejected: 1, inserted: 1 });
    expect((await rejects(admin, job!.id, 'zh-CN')).map((r) => r.slice(2, 4))).toEqual([['name', 'import_name_not_readable']]);
    const [stored] = await q<{ name: string }>(sql`SELECT name FROM customers WHERE customer_no = 'T-NAME-2'`);
    expect(stored!.name).toBe('宝利软件');
  });

  it('bad dates in subscriptions are row errors', async () => {
    const { job } = await runImport(admin, 'subscriptions', 'subs-bad.csv', [SUB_HEADER, '14700000009,T-GZ-0001,,套餐,normal,2026-02-30', '14700000010,T-GZ-0001,,套餐,normal,2026/01/01'].join('\n'));
    expect(job).toMatchObject({ status: 'rejected', rowsRejected: 2 });
    expect((await rejects(admin, job!.id)).map((r) => r[4])).toEqual(['opened_on: not a date (YYYY-MM-DD)', 'opened_on: not a date (YYYY-MM-DD)']);
    expect((await rejects(admin, job!.id, 'zh-CN')).map((r) => r.slice(3))).toEqual([
      ['import_bad_date', '开户日期：不是有效日期（YYYY-MM-DD）'],
      ['import_bad_date', '开户日期：不是有效日期（YYYY-MM-DD）'],
    ]);
  });
});

describe('bad files', () => {
  it('missing and extra columns fail the whole file, naming the columns', async () => {
    const header = FACT_HEADER.replace(',欠费金额', ',备注');
    const { job } = await runImport(admin, 'facts', 'cols.csv', [header, fact('2026-01', '14700000001')].join('\n'));
    expect(job).toMatchObject({ status: 'failed', committed: false, rowsRead: 0 });
    expect(job!.error!.code).toBe('columns');
    const en = (await admin.request({ method: 'GET', url: `/api/imports/${job!.id}`, headers: { 'accept-language': 'en-US' } })).json() as Job;
    expect(en.error!.message).toBe('the header does not match the facts layout: missing columns: 欠费金额 arrears; unknown columns: 备注');
    const zh = (await admin.request({ method: 'GET', url: `/api/imports/${job!.id}`, headers: { 'accept-language': 'zh-CN' } })).json() as Job;
    expect(zh.error).toEqual({ code: 'columns', message: '表头与经营分析月数据的格式不符：缺少列：欠费金额 arrears；未知列：备注' });
  });

  it('a 10 MB cell is a row error, not a crash', async () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const file = [CUSTOMER_HEADER_EN, `T-GZ-0300,group,${big},GD-GZ,,,,,,,,,,,,`, 'T-GZ-0301,group,正常公司,GD-GZ,,,,,,,,,,,,'].join('\n');
    const { job } = await runImport(admin, 'customers', 'big.csv', file);
    expect(job).toMatchObject({ status: 'rejected', rowsRejected: 1, inserted: 0 });
    const report = await rejects(admin, job!.id);
    expect(report[0]!.slice(0, 4)).toEqual(['2', 'T-GZ-0300', 'name', 'import_cell_too_long']);
    expect(report[0]![4]).toBe('name: cell too long (10485760 characters, at most 2000)');
    expect((await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM customers WHERE customer_no IN ('T-GZ-0300', 'T-GZ-0301')`))[0]!.n).toBe(0);
  });

  it('garbage, an unclosed quote, an empty file and an .xls file: clear errors, never a 500', async () => {
    const garbage = await runImport(admin, 'facts', 'garbage.csv', Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x81, 0x0a]));
    expect(garbage.job).toMatchObject({ status: 'failed' });
    const quote = await runImport(admin, 'facts', 'quote.csv', `${FACT_HEADER}\n"2026-01,14700000001`);
    expect(quote.job).toMatchObject({ status: 'failed' });
    expect(quote.job!.error!.code).toBe('csv_syntax');
    const xls = await runImport(admin, 'facts', 'old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]));
    expect(xls.job!.error!.code).toBe('unsupported_format');
    const zip = await runImport(admin, 'facts', 'broken.xlsx', Buffer.from('PK\u0003\u0004garbage'));
    expect(zip.job).toMatchObject({ status: 'failed' });
    const empty = await runImport(admin, 'facts', 'empty.csv', '');
    expect(empty.res.statusCode).toBe(400);
    const noKind = await admin.request({ method: 'POST', url: '/api/imports', ...multipart({ kind: 'bogus' }, { name: 'x.csv', data: Buffer.from('a') }) });
    expect(noKind.statusCode).toBe(400);
    const notMultipart = await admin.request({ method: 'POST', url: '/api/imports', payload: { kind: 'facts' } });
    expect(notMultipart.statusCode).toBe(415);
  });
});

describe('access', () => {
  it('a user without customers.import gets 403', async () => {
    const am = await sys.login('gz_am01');
    const res = await am.request({ method: 'POST', url: '/api/imports', ...multipart({ kind: 'facts' }, { name: 'f.csv', data: Buffer.from(FACT_HEADER) }) });
    expect(res.statusCode).toBe(403);
    expect((await am.request({ method: 'GET', url: '/api/imports' })).statusCode).toBe(403);
  });

  it('lists imports with totals', async () => {
    const res = await admin.request({ method: 'GET', url: '/api/imports?kind=facts&limit=2' });
    expect(res.statusCode).toBe(200);
    expect(Number(res.headers['x-total-count'])).toBeGreaterThan(2);
    expect((res.json() as Job[]).length).toBe(2);
  });
});

describe('a restart', () => {
  it('imports left queued or running by a process that is gone are marked failed when the server starts listening', async () => {
    const [{ unit_path: root }] = (await q<{ unit_path: string }>(sql`SELECT unit_path FROM import_jobs WHERE actor_username = 'admin' LIMIT 1`)) as [{ unit_path: string }];
    const orphan = async (status: string) => {
      const [row] = await q<{ id: number }>(sql`
        INSERT INTO import_jobs (kind, file_name, status, phase, unit_path, actor_username, started_at)
        VALUES ('facts', 'crashed.csv', ${status}, ${status === 'running' ? 'loading' : null}, ${root}, 'admin', now()) RETURNING id`);
      return Number(row!.id);
    };
    const running = await orphan('running');
    const queued = await orphan('queued');
    // its load had committed (the audit entry is written in the load's transaction) when the process died
    const loaded = await orphan('running');
    await audit(sys.database.db, systemActor(new Set()), { action: 'create', entity: 'import', entityId: loaded, unitPath: root, after: {} });
    // one this process is still working on
    const live = await orphan('running');
    const locks = runLocks({ database: sys.database, config: sys.config });
    expect(await locks.tryLock(runKey(LOCK_CLASS.importJob, live))).toBe(true);

    const job = async (id: number, lang = 'en-US') =>
      (await admin.request({ method: 'GET', url: `/api/imports/${id}`, headers: { 'accept-language': lang } })).json() as Job & { phase: string };
    // the onListen hooks run just after listen() resolves
    await sys.app.listen({ port: 0, host: '127.0.0.1' });
    for (let i = 0; i < 200 && (await job(queued)).status === 'queued'; i++) await new Promise((r) => setTimeout(r, 25));
    await locks.unlock(runKey(LOCK_CLASS.importJob, live));
    for (const id of [running, queued]) {
      expect(await job(id)).toMatchObject({
        status: 'failed',
        committed: false,
        phase: 'done',
        error: { code: 'interrupted', message: 'interrupted by a restart; import the file again (re-importing the same file is safe)' },
      });
    }
    expect((await job(running, 'zh-CN')).error!.message).toBe('导入因服务重启而中断；请重新导入该文件（重复导入同一文件不会产生重复数据）');
    expect(await job(loaded)).toMatchObject({ status: 'failed', committed: true, error: { code: 'interrupted' } });
    expect((await job(live)).status).toBe('running');
    // finished jobs are never touched
    const done = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM import_jobs WHERE status = 'failed' AND error->>'code' = 'interrupted'`);
    expect(done[0]!.n).toBe(3);
  });
});
