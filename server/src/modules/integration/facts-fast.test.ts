/**
 * The fast path of a facts CSV (PostgreSQL): strict lines go to COPY as bytes, every other line through the
 * JavaScript checks. A file that mixes both, with bad months, negative amounts, cells that are not numbers,
 * unknown numbers and duplicate keys, must be judged row by row exactly as the general path judges it, and be
 * imported all or nothing, or with exactly the bad rows set aside. A clean file of an empty month is loaded
 * directly (direct-load.ts); whatever stops the direct load hands the file to the staged path whole.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { monthTotalsDrift, startTestSystem, testDbKind, type Session, type TestSystem } from '../../db/testing.js';
import { csvRecords } from './csv-reader.js';
import { streamFactsCsv, type FastKind } from './facts-fast.js';
import { LAYOUTS, mapHeader, type HeaderMap } from './layouts.js';

/** Rows the scanner accepted, per run of the fast path (the service is spied on through this module). */
const fastRuns: number[] = [];
vi.mock('./facts-fast.js', async (importOriginal) => {
  const mod = await importOriginal<typeof import('./facts-fast.js')>();
  return {
    ...mod,
    streamFactsCsv: vi.fn(async (o: Parameters<typeof mod.streamFactsCsv>[0]) => {
      const res = await mod.streamFactsCsv(o);
      fastRuns.push(res.fastRows);
      return res;
    }),
  };
});

/** Direct loads (facts-direct.ts) that got past their first chunk: each one rewrites lines with a FactsToTable. */
let directRuns = 0;
vi.mock('./facts-direct.js', async (importOriginal) => {
  const mod = await importOriginal<typeof import('./facts-direct.js')>();
  class CountedFactsToTable extends mod.FactsToTable {
    constructor(...args: ConstructorParameters<typeof mod.FactsToTable>) {
      super(...args);
      directRuns++;
    }
  }
  return { ...mod, FactsToTable: CountedFactsToTable };
});

const dir = mkdtempSync(path.join(tmpdir(), 'kam-facts-fast-test-'));
const FACT_HEADER = '月份,手机号码,语音收入,短信收入,流量收入,增值业务收入,漫游收入,本地通话分钟,长途通话分钟,漫游通话分钟,短信条数,流量MB,出账金额,实收金额,欠费金额';
/** month, msisdn, then the 13 amounts and counts (paid is the 12th of them). */
const fact = (month: string, msisdn: string, o: { paid?: string; minLocal?: string; voice?: string; sms?: string } = {}) =>
  `${month},${msisdn},${o.voice ?? '10.00'},${o.sms ?? '2.00'},50.00,5.00,0,${o.minLocal ?? '300'},10,0,20,2048.5,67.00,${o.paid ?? '88.00'},0`;

const A = '14811110001';
const B = '14811110002';
const C = '14811110003';
const D = '14811110004';
const E = '14811110005';
const F = '14811110007';
const G = '14811110008';
const H = '14811110009';
const X = '14811110006';

/** The mixed file: rows 2, 3, 11 and 14 are good; 10 is blank; the rest are bad. LF lines, one CRLF, no final newline. */
const MIXED = [
  FACT_HEADER,
  fact('2030-01', A), // 2: good, strict (fast)
  fact('2030-01', B, { voice: ' 10.00', sms: '+2.00' }), // 3: good, but not strict (checked in JS)
  fact('2030-13', C), // 4: bad month
  fact('2030-01', C, { paid: '-5.00' }), // 5: negative amount
  fact('2030-01', D, { minLocal: 'abc' }), // 6: not a number
  fact('2030-01', '14699999999'), // 7: well formed, unknown number (strict: found by SQL)
  fact('2030-01', E), // 8: duplicate key with row 9 (strict)
  fact('2030-01-01', E), // 9: the same key written otherwise (JS)
  '', // 10: blank, skipped
  `${fact('2030-01', F)}\r`, // 11: good, CRLF
  fact('2030-01', '1481111000'), // 12: not a mobile number
  `${fact('2030-01', X)},extra`, // 13: more cells than the header
  fact('2030-01', G), // 14: good, no newline at the end
].join('\n');

const MIXED_REJECTS = [
  ['4', `2030-13 ${C}`, 'month', 'import_bad_month', 'month: not a month (YYYY-MM)'],
  ['5', `2030-01 ${C}`, 'paid', 'import_negative_amount', 'paid: negative amount'],
  ['6', `2030-01 ${D}`, 'min_local', 'import_not_whole_number', 'min_local: not a whole number'],
  ['7', '2030-01 14699999999', 'msisdn', 'import_unknown_subscription', 'msisdn: unknown subscription'],
  ['8', `2030-01 ${E}`, 'msisdn', 'import_duplicate_in_file', 'msisdn: duplicate key within the file (rows 8, 9)'],
  ['9', `2030-01 ${E}`, 'msisdn', 'import_duplicate_in_file', 'msisdn: duplicate key within the file (rows 8, 9)'],
  ['12', '2030-01 1481111000', 'msisdn', 'import_bad_msisdn', 'msisdn: not a mobile number (11 digits, 1[3-9]…)'],
  ['13', `2030-01 ${X}`, '', 'import_too_many_cells', 'the row has 16 cells, the header 15'],
];

describe('the scanner of the fast path (no database)', () => {
  it('passes strict lines on as bytes and hands every other line to the JavaScript checks', async () => {
    const file = path.join(dir, 'scan.csv');
    writeFileSync(file, MIXED);
    const layout = LAYOUTS.facts;
    const kinds: FastKind[] = layout.map((c) => (c.key === 'month' ? 'month' : c.key === 'msisdn' ? 'msisdn' : c.type === 'integer' ? 'count' : 'money'));
    const slow: number[] = [];
    const chunks: Buffer[] = [];
    const months: string[] = [];
    const res = await streamFactsCsv({
      path: file,
      encoding: 'utf-8',
      onBytes: () => undefined,
      kinds,
      header: (cells) => mapHeader('facts', cells) as HeaderMap,
      slowRow: (rowNo) => (slow.push(rowNo), null),
      write: (chunk) => (chunks.push(Buffer.from(chunk)), null),
      progress: () => undefined,
      month: (m) => months.push(m),
    });
    expect(res.fastRows).toBe(5);
    expect(slow).toEqual([3, 4, 5, 6, 9, 10, 12, 13]);
    expect(months).toEqual(['2030-01-01']);
    // each strict line: its row number, the month as a date, the rest of the line unchanged (no CR)
    expect(Buffer.concat(chunks).toString('utf8').split('\n').filter(Boolean)).toEqual(
      [
        [2, A],
        [7, '14699999999'],
        [8, E],
        [11, F],
        [14, G],
      ].map(([rowNo, msisdn]) => `${rowNo},${fact('2030-01-01', msisdn as string)}`),
    );
  });
});

describe.skipIf(testDbKind !== 'postgres')('a facts CSV of mixed lines on the PostgreSQL fast path', () => {
  let sys: TestSystem;
  let admin: Session;
  const q = <T = Record<string, unknown>>(query: ReturnType<typeof sql>) => sys.database.rows<T>(query);

  function multipart(fields: Record<string, string>, file: { name: string; data: Buffer }) {
    const boundary = `----kam${Math.random().toString(16).slice(2)}`;
    const head = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
    const payload = Buffer.concat([
      Buffer.from(`${head.join('')}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`),
      file.data,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
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
  }

  async function runImport(kind: string, name: string, data: string, setAside = false): Promise<Job> {
    const res = await admin.request({ method: 'POST', url: '/api/imports', ...multipart({ kind, setAside: String(setAside) }, { name, data: Buffer.from(data) }) });
    expect(res.statusCode, res.body).toBe(202);
    let job = res.json() as Job;
    for (let i = 0; i < 600 && (job.status === 'queued' || job.status === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await admin.request({ method: 'GET', url: `/api/imports/${job.id}` })).json() as Job;
    }
    return job;
  }

  async function rejects(id: number): Promise<string[][]> {
    const res = await admin.request({ method: 'GET', url: `/api/imports/${id}/rejects.csv`, headers: { 'accept-language': 'en-US' } });
    const records: string[][] = [];
    for await (const r of csvRecords((async function* () { yield res.body.replace(/^\uFEFF/, '').trimEnd(); })())) records.push(r);
    return records.slice(1);
  }

  /** The facts of the test's numbers in 2030-01: msisdn → paid and voice revenue. */
  const facts = () =>
    q<{ msisdn: string; paid: string; rev_voice: string; rev_sms: string }>(sql`
      SELECT s.msisdn, f.paid::text AS paid, f.rev_voice::text AS rev_voice, f.rev_sms::text AS rev_sms
      FROM monthly_facts f JOIN subscriptions s ON s.id = f.subscription_id
      WHERE f.month = '2030-01-01' AND s.msisdn LIKE '148111100%' ORDER BY 1`);

  beforeAll(async () => {
    sys = await startTestSystem();
    admin = await sys.login('admin');
    const customerHeader = 'customer_no,kind,name,unit_code,manager,industry,brand,contact_phone,address,joined_on,credit_code,employees,gender,birthday,id_type,id_number';
    const customers = await runImport('customers', 'fast-customers.csv', [customerHeader, 'F-0001,group,快速通道测试有限公司,GD-GZ,,,,,,,,,,,,'].join('\n'));
    expect(customers.status).toBe('succeeded');
    const subs = [A, B, C, D, E, X, F, G, H].map((m) => `${m},F-0001,,集团V网套餐,normal,2020-01-01`);
    const s = await runImport('subscriptions', 'fast-subs.csv', ['msisdn,customer_no,group_customer_no,plan,status,opened_on', ...subs].join('\n'));
    expect(s.status).toBe('succeeded');
    // the month is empty: nothing of the demo data lies in 2030
    expect(await q(sql`SELECT 1 FROM monthly_facts WHERE month = '2030-01-01' LIMIT 1`)).toEqual([]);
  });

  afterAll(async () => {
    await sys?.close();
  });

  it('all or nothing: the bad rows are reported exactly and nothing is imported', async () => {
    fastRuns.length = 0;
    const job = await runImport('facts', 'mixed.csv', MIXED);
    expect(job).toMatchObject({ status: 'rejected', committed: false, rowsRead: 12, rowsRejected: 8, inserted: 0, updated: 0 });
    expect(fastRuns).toEqual([5]);
    expect(await rejects(job.id)).toEqual(MIXED_REJECTS);
    expect(await facts()).toEqual([]);
  });

  it('set aside: exactly the good rows land in the empty month, whose partition is whole and indexed', async () => {
    fastRuns.length = 0;
    const job = await runImport('facts', 'mixed.csv', MIXED, true);
    expect(job).toMatchObject({ status: 'succeeded', committed: true, rowsRead: 12, rowsRejected: 8, inserted: 4, updated: 0, unchanged: 0 });
    expect(fastRuns).toEqual([5]);
    expect(await rejects(job.id)).toEqual(MIXED_REJECTS);
    expect(await facts()).toEqual([
      { msisdn: A, paid: '88.00', rev_voice: '10.00', rev_sms: '2.00' },
      { msisdn: B, paid: '88.00', rev_voice: '10.00', rev_sms: '2.00' },
      { msisdn: F, paid: '88.00', rev_voice: '10.00', rev_sms: '2.00' },
      { msisdn: G, paid: '88.00', rev_voice: '10.00', rev_sms: '2.00' },
    ]);
    // the month was loaded into a fresh table and swapped in: attached, with the partition's indexes
    const [part] = await q<{ name: string }>(sql`
      SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'monthly_facts'::regclass AND pg_get_expr(c.relpartbound, c.oid) LIKE '%2030-01-01%'`);
    expect(part).toBeDefined();
    const indexes = await q<{ def: string }>(sql`SELECT indexdef AS def FROM pg_indexes WHERE tablename = ${part!.name} ORDER BY 1`);
    expect(indexes.map((i) => i.def.replace(/^.* USING /, ''))).toEqual(['btree (customer_id, month)', 'btree (month, subscription_id)']);
    const [n] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM monthly_facts WHERE month = '2030-01-01'`);
    expect(n!.n).toBe(4);
    // the customers' monthly totals of the swapped-in month are rebuilt with it
    expect(await monthTotalsDrift(sys.database)).toEqual([]);
  });

  it('into a month that has data (the upsert): all or nothing, then set aside', async () => {
    const file = [
      FACT_HEADER,
      fact('2030-01', A, { paid: '60.50' }), // 2: changes a fact (strict)
      fact('2030-01-01', H), // 3: a new fact (JS)
      fact('2030-01', B, { paid: 'n/a' }), // 4: not a number
      fact('2030-01', F), // 5: duplicate key with row 6
      fact('2030-01', F, { paid: '1.00' }), // 6
    ].join('\n');
    fastRuns.length = 0;
    const strict = await runImport('facts', 'upsert.csv', file);
    expect(strict).toMatchObject({ status: 'rejected', committed: false, rowsRead: 5, rowsRejected: 3, inserted: 0, updated: 0 });
    expect(fastRuns).toEqual([3]);
    expect((await rejects(strict.id)).map((r) => [r[0], r[3]])).toEqual([
      ['4', 'import_not_a_number'],
      ['5', 'import_duplicate_in_file'],
      ['6', 'import_duplicate_in_file'],
    ]);
    const before = await facts();
    expect(before.map((f) => [f.msisdn, f.paid])).toEqual([[A, '88.00'], [B, '88.00'], [F, '88.00'], [G, '88.00']]);

    const aside = await runImport('facts', 'upsert.csv', file, true);
    expect(aside).toMatchObject({ status: 'succeeded', committed: true, rowsRead: 5, rowsRejected: 3, inserted: 1, updated: 1, unchanged: 0 });
    expect((await facts()).map((f) => [f.msisdn, f.paid])).toEqual([[A, '60.50'], [B, '88.00'], [F, '88.00'], [G, '88.00'], [H, '88.00']]);
    expect(await monthTotalsDrift(sys.database)).toEqual([]);
  });

  const monthFacts = (month: string) =>
    q<{ msisdn: string; paid: string; arrears: string; data_mb: string; min_local: number }>(sql`
      SELECT s.msisdn, f.paid::text AS paid, f.arrears::text AS arrears, f.data_mb::text AS data_mb, f.min_local
      FROM monthly_facts f JOIN subscriptions s ON s.id = f.subscription_id AND s.customer_id = f.customer_id
      WHERE f.month = ${month}::date AND s.msisdn LIKE '148111100%' ORDER BY 1`);

  it('a clean file of an empty month loads directly, without staging, with its partition and totals whole', async () => {
    directRuns = 0;
    const file = [
      FACT_HEADER,
      fact('2030-02', A, { paid: '60.5' }),
      fact('2030-02', B, { voice: ' 10.00', sms: '+2.00' }), // checked in JS, then loaded directly all the same
      `${fact('2030-02', F, { paid: '0.07' })}\r`,
      '',
      fact('2030-02', G).replace(/,0$/, ',12.3'), // in arrears
    ].join('\n');
    const job = await runImport('facts', 'clean.csv', file);
    expect(job).toMatchObject({ status: 'succeeded', committed: true, rowsRead: 4, rowsRejected: 0, inserted: 4, updated: 0, unchanged: 0 });
    expect(directRuns).toBe(1);
    expect((await monthFacts('2030-02-01')).map((f) => [f.msisdn, f.paid, f.arrears, f.data_mb, f.min_local])).toEqual([
      [A, '60.50', '0.00', '2048.50', 300],
      [B, '88.00', '0.00', '2048.50', 300],
      [F, '0.07', '0.00', '2048.50', 300],
      [G, '88.00', '12.30', '2048.50', 300],
    ]);
    const indexes = await q<{ def: string }>(sql`SELECT indexdef AS def FROM pg_indexes WHERE tablename = 'monthly_facts_203002' ORDER BY 1`);
    expect(indexes.map((i) => i.def.replace(/^.* USING /, ''))).toEqual(['btree (customer_id, month)', 'btree (month, subscription_id)']);
    expect(await monthTotalsDrift(sys.database)).toEqual([]);

    // the same file again: the month holds facts now, so the staged upsert path finds nothing to change
    directRuns = 0;
    const again = await runImport('facts', 'clean.csv', file);
    expect(again).toMatchObject({ status: 'succeeded', inserted: 0, updated: 0, unchanged: 4 });
    expect(directRuns).toBe(0);
  });

  it('an unknown or repeated number met in the middle of a direct load hands the file to the staged path, which reports it', async () => {
    for (const [month, bad, reasons] of [
      ['2030-03', fact('2030-03', '14699999999'), [['3', 'import_unknown_subscription']]],
      ['2030-04', fact('2030-04', A, { paid: '1.00' }), [['2', 'import_duplicate_in_file'], ['3', 'import_duplicate_in_file']]],
      ['2030-05', fact('2030-06', B), []],
    ] as const) {
      directRuns = 0;
      const job = await runImport('facts', 'abort.csv', [FACT_HEADER, fact(month, A), bad, fact(month, F)].join('\n'));
      expect(directRuns).toBe(1);
      if (reasons.length) {
        expect(job).toMatchObject({ status: 'rejected', committed: false, inserted: 0 });
        expect((await rejects(job.id)).map((r) => [r[0], r[3]])).toEqual(reasons);
        expect(await monthFacts(`${month}-01`)).toEqual([]);
      } else {
        // two months in one file: no direct load, the staged path loads both
        expect(job).toMatchObject({ status: 'succeeded', committed: true, inserted: 3 });
        expect((await monthFacts('2030-05-01')).map((f) => f.msisdn)).toEqual([A, F]);
        expect((await monthFacts('2030-06-01')).map((f) => f.msisdn)).toEqual([B]);
      }
    }
    expect(await monthTotalsDrift(sys.database)).toEqual([]);
  });
});
