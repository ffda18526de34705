import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthTotalsDrift, startTestSystem, type Session, type TestSystem } from '../../db/testing.js';
import { makeDeps, type Deps } from '../../platform/deps.js';
import { csvRecords } from './csv-reader.js';
import { EXTRACT_COLUMNS, writeExtract } from './extract.js';
import { systemActor } from '../../platform/auth/principal.js';
import { runInbox } from './inbox.js';

const root = mkdtempSync(path.join(tmpdir(), 'kam-boss-test-'));
const inbox = path.join(root, 'inbox');
const outbox = path.join(root, 'outbox');
let sys: TestSystem;
let deps: Deps;
let admin: Session;
let msisdns: string[];

const q = <T = Record<string, unknown>>(query: ReturnType<typeof sql>) => sys.database.rows<T>(query);
const count = async (query: ReturnType<typeof sql>) => Number((await q<{ n: number }>(query))[0]!.n);
const FACT_HEADER = 'month,msisdn,rev_voice,rev_sms,rev_data,rev_vas,rev_roaming,min_local,min_long_distance,min_roaming,sms_count,data_mb,billed,paid,arrears';
const factLine = (month: string, msisdn: string, paid = '88.00') => `${month},${msisdn},10.00,2.00,50.00,5.00,0,300,10,0,20,2048.5,67.00,${paid},0`;
const record = (month: string, msisdn: string, paid: string | number = '88.00') =>
  JSON.stringify({ month, msisdn, revVoice: '10.00', revSms: 2, revData: '50.00', revVas: '5.00', revRoaming: 0, minLocal: 300, minLongDistance: 10,
    minRoaming: 0, smsCount: 20, dataMb: '2048.5', billed: '67.00', paid, arrears: '0' });

async function reportOf(file: string): Promise<string[][]> {
  const text = readFileSync(`${file}.report.csv`, 'utf8').replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  for await (const r of csvRecords((async function* () { yield text.trimEnd(); })())) rows.push(r);
  return rows.slice(1);
}

/** A run of the inbox as if its files had settled long ago. */
const runSettled = () => runInbox(deps, Date.now() + 60_000);

beforeAll(async () => {
  mkdirSync(inbox, { recursive: true });
  sys = await startTestSystem({ BOSS_INBOX_DIR: inbox, BOSS_OUTBOX_DIR: outbox, BOSS_INBOX_SETTLE_SECONDS: 5, BOSS_BATCH_MAX_LINES: 50 });
  deps = makeDeps(sys.config, sys.database);
  admin = await sys.login('admin');
  msisdns = (await q<{ msisdn: string }>(sql`SELECT msisdn FROM subscriptions ORDER BY id LIMIT 6`)).map((r) => r.msisdn);
});

afterAll(async () => {
  await sys?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the BOSS inbox', () => {
  it('imports a good file, moves it to done/ with its report, and keeps the months\' totals', async () => {
    writeFileSync(path.join(inbox, 'BILL_202611_001.csv'), [FACT_HEADER, factLine('2026-11', msisdns[0]!), factLine('2026-11', msisdns[1]!)].join('\n'));
    expect(await runSettled()).toEqual({ imported: 1 });
    expect(existsSync(path.join(inbox, 'BILL_202611_001.csv'))).toBe(false);
    const report = await reportOf(path.join(inbox, 'done', 'BILL_202611_001.csv'));
    expect(report).toEqual([['', '', '', 'boss_inbox_imported', expect.stringContaining('新增 2 行'), expect.stringContaining('2 inserted')]]);
    expect(await count(sql`SELECT count(*)::int AS n FROM monthly_facts WHERE month = '2026-11-01'`)).toBe(2);
    expect(await monthTotalsDrift(sys.database)).toEqual([]);
    const [row] = await q<{ status: string; sha256: string; moved_to: string }>(sql`SELECT status, sha256, moved_to FROM boss_inbox_files WHERE file_name = 'BILL_202611_001.csv'`);
    const sha = createHash('sha256').update(readFileSync(path.join(inbox, 'done', 'BILL_202611_001.csv'))).digest('hex');
    expect(row).toEqual({ status: 'imported', sha256: sha, moved_to: path.join('done', 'BILL_202611_001.csv') });
  });

  it('moves the same content again to done/ as a duplicate without importing it', async () => {
    const jobs = await count(sql`SELECT count(*)::int AS n FROM import_jobs`);
    writeFileSync(path.join(inbox, 'BILL_202611_002.csv'), [FACT_HEADER, factLine('2026-11', msisdns[0]!), factLine('2026-11', msisdns[1]!)].join('\n'));
    expect(await runSettled()).toEqual({ duplicate: 1 });
    expect(await count(sql`SELECT count(*)::int AS n FROM import_jobs`)).toBe(jobs);
    const report = await reportOf(path.join(inbox, 'done', 'BILL_202611_002.csv'));
    expect(report[0]!.slice(3, 4)).toEqual(['boss_inbox_duplicate']);
    expect(report[0]![5]).toContain('BILL_202611_001.csv');
  });

  it('moves a file with bad rows to failed/ with a report naming the rows and fields, and imports none of it', async () => {
    const lines = [FACT_HEADER, factLine('2026-11', msisdns[2]!), factLine('2026-11', '12345'), factLine('2026-11', msisdns[3]!, '-5')];
    writeFileSync(path.join(inbox, 'BILL_202611_003.csv'), lines.join('\n'));
    expect(await runSettled()).toEqual({ rejected: 1 });
    const report = await reportOf(path.join(inbox, 'failed', 'BILL_202611_003.csv'));
    expect(report[0]![3]).toBe('boss_inbox_rejected');
    expect(report.slice(1).map((r) => [r[0], r[2], r[3]])).toEqual([
      ['3', 'msisdn', 'import_bad_msisdn'],
      ['4', 'paid', 'import_negative_amount'],
    ]);
    expect(report[1]![4]).toContain('手机号码');
    expect(report[1]![5]).toContain('msisdn: not a mobile number');
    expect(await count(sql`SELECT count(*)::int AS n FROM monthly_facts f JOIN subscriptions s ON s.id = f.subscription_id WHERE f.month = '2026-11-01' AND s.msisdn = ${msisdns[2]!}`)).toBe(0);
  });

  it('moves a file of no convention to failed/ saying why, and leaves partial and fresh files alone', async () => {
    writeFileSync(path.join(inbox, 'billing-november.csv'), FACT_HEADER);
    writeFileSync(path.join(inbox, 'BILL_202611_004.csv.part'), FACT_HEADER);
    expect(await runSettled()).toEqual({ unknown_name: 1 });
    const report = await reportOf(path.join(inbox, 'failed', 'billing-november.csv'));
    expect(report[0]!.slice(3)).toEqual(['boss_inbox_unknown_name', expect.stringContaining('命名约定'), expect.stringContaining('follows no convention')]);
    expect(existsSync(path.join(inbox, 'BILL_202611_004.csv.part'))).toBe(true);
    // a file still being written (changed within BOSS_INBOX_SETTLE_SECONDS) waits for the next run
    writeFileSync(path.join(inbox, 'CUST_20261201_001.csv'), 'customer_no');
    expect(await runInbox(deps, Date.now())).toEqual({});
    expect(readdirSync(inbox).sort()).toEqual(['BILL_202611_004.csv.part', 'CUST_20261201_001.csv', 'done', 'failed']);
    const log = await admin.request({ method: 'GET', url: '/api/integration/inbox' });
    expect(log.json().map((f: { fileName: string; status: string }) => [f.fileName, f.status])).toEqual([
      ['billing-november.csv', 'unknown_name'],
      ['BILL_202611_003.csv', 'rejected'],
      ['BILL_202611_002.csv', 'duplicate'],
      ['BILL_202611_001.csv', 'imported'],
    ]);
  });

  it('does nothing while the inbox folder does not exist', async () => {
    const off = { ...deps, config: { ...deps.config, BOSS_INBOX_DIR: path.join(root, 'absent') } };
    expect(await runInbox(off, Date.now() + 60_000)).toEqual({ skipped: 'no inbox folder' });
  });
});

describe('inbound billing batches', () => {
  const send = (session: Session, id: string, lines: string[], type = 'application/x-ndjson') =>
    session.request({ method: 'POST', url: `/api/integration/billing-batches/${id}`, headers: { 'content-type': type }, payload: `${lines.join('\n')}\n` });
  const dec = (msisdn: string) => count(sql`SELECT count(*)::int AS n FROM monthly_facts f JOIN subscriptions s ON s.id = f.subscription_id WHERE f.month = '2026-12-01' AND s.msisdn = ${msisdn}`);

  it('writes a batch whole and keeps the months\' totals', async () => {
    const res = await send(admin, 'B-2026-12-0001', [record('2026-12', msisdns[0]!), record('2026-12', msisdns[1]!, 12.5)]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ batchId: 'B-2026-12-0001', status: 'accepted', lines: 2, inserted: 2, updated: 0 });
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    expect(await dec(msisdns[1]!)).toBe(1);
    expect(await monthTotalsDrift(sys.database)).toEqual([]);
    const got = await admin.request({ method: 'GET', url: '/api/integration/billing-batches/B-2026-12-0001' });
    expect(got.json()).toMatchObject({ status: 'accepted', inserted: 2 });
    // a batch of the whole organisation is out of a city head's scope: as if it did not exist
    const head = await sys.login('gz_head');
    expect((await head.request({ method: 'GET', url: '/api/integration/billing-batches/B-2026-12-0001' })).statusCode).toBe(404);
  });

  it('answers a replay with the first answer and changes nothing; other content under the id is 409', async () => {
    const first = (await admin.request({ method: 'GET', url: '/api/integration/billing-batches/B-2026-12-0001' })).json();
    const jobs = await count(sql`SELECT count(*)::int AS n FROM import_jobs`);
    const again = await send(admin, 'B-2026-12-0001', [record('2026-12', msisdns[0]!), record('2026-12', msisdns[1]!, 12.5)]);
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first);
    expect(await count(sql`SELECT count(*)::int AS n FROM import_jobs`)).toBe(jobs);
    const other = await send(admin, 'B-2026-12-0001', [record('2026-12', msisdns[0]!, '99.00')]);
    expect(other.statusCode).toBe(409);
    expect(other.json()).toMatchObject({ code: 'boss_batch_conflict' });
  });

  it('writes nothing of a batch with one bad line and lists the lines and fields (422)', async () => {
    const lines = [record('2026-12', msisdns[2]!), record('2026-12', '999'), '{"month":"2026-12"', record('2026-12', msisdns[3]!, '1.234')];
    const res = await send(admin, 'B-2026-12-0002', lines);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'boss_batch_invalid', errors: [{ field: 'line.3', code: 'boss_batch_not_json' }] });
    // every line a record: the checks of the facts import name each bad line and field
    const fixed = [lines[0]!, lines[1]!, record('2026-12', msisdns[4]!), lines[3]!];
    const again = await send(admin, 'B-2026-12-0002', fixed);
    expect(again.statusCode).toBe(422);
    expect(again.json().errors.map((e: { field: string; code: string }) => [e.field, e.code])).toEqual([
      ['line.2.msisdn', 'import_bad_msisdn'],
      ['line.4.paid', 'import_too_many_decimals'],
    ]);
    expect(await dec(msisdns[2]!)).toBe(0);
    expect(await dec(msisdns[4]!)).toBe(0);
    const unknown = await send(admin, 'B-2026-12-0003', [JSON.stringify({ month: '2026-12', msisdn: msisdns[2], tip: 1 })]);
    expect(unknown.json().errors[0]).toMatchObject({ field: 'line.1.tip', code: 'boss_batch_unknown_field' });
    // a rejected batch binds nothing: sent again corrected under its id, it is accepted
    const ok = await send(admin, 'B-2026-12-0002', [lines[0]!, record('2026-12', msisdns[4]!)]);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await dec(msisdns[2]!)).toBe(1);
  });

  it('answers 409 while an earlier request of the batch id is still importing, and takes over a batch whose request died', async () => {
    const [running] = await q<{ id: number }>(sql`
      INSERT INTO import_jobs (kind, file_name, status, unit_path) VALUES ('facts', 'billing-batch-B-busy.ndjson', 'running', '/') RETURNING id`);
    const [ended] = await q<{ id: number }>(sql`
      INSERT INTO import_jobs (kind, file_name, status, unit_path) VALUES ('facts', 'billing-batch-B-dead.ndjson', 'failed', '/') RETURNING id`);
    await q(sql`INSERT INTO boss_billing_batches (batch_id, sha256, status, import_job_id, unit_path) VALUES
      ('B-busy', 'x', 'processing', ${running!.id}, '/'), ('B-dead', 'x', 'processing', ${ended!.id}, '/')`);
    const busy = await send(admin, 'B-busy', [record('2026-12', msisdns[5]!)]);
    expect(busy.statusCode).toBe(409);
    expect(busy.json().code).toBe('boss_batch_conflict');
    const dead = await send(admin, 'B-dead', [record('2026-12', msisdns[3]!)]);
    expect(dead.statusCode, dead.body).toBe(200);
    expect(await dec(msisdns[3]!)).toBe(1);
  });

  it('refuses a batch past the limit (413), another media type (415), and a user without the permission (403)', async () => {
    const many = Array.from({ length: 51 }, () => record('2026-12', msisdns[5]!));
    expect((await send(admin, 'B-big', many)).statusCode).toBe(413);
    expect(await q(sql`SELECT 1 FROM boss_billing_batches WHERE batch_id = 'B-big'`)).toEqual([]);
    expect((await send(admin, 'B-json', [record('2026-12', msisdns[5]!)], 'application/json')).statusCode).toBe(415);
    const agent = await sys.login('gz_agent');
    expect((await send(agent, 'B-2026-12-0009', [record('2026-12', msisdns[5]!)])).statusCode).toBe(403);
    expect((await agent.request({ method: 'GET', url: '/api/integration/billing-batches/B-2026-12-0001' })).statusCode).toBe(403);
    expect(await dec(msisdns[5]!)).toBe(0);
  });

  it('takes a batch from a machine client whose token holds boss.billing, and refuses one without the scope', async () => {
    const tokenOf = async (scopes: string[]) => {
      const made = await admin.request({ method: 'POST', url: '/api/system/clients', payload: { name: `BOSS ${scopes.join(' ')}`, scopes } });
      expect(made.statusCode, made.body).toBe(201);
      const { client, secret } = made.json() as { client: { clientId: string }; secret: string };
      const res = await sys.app.inject({ method: 'POST', url: '/api/oauth/token', payload: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: secret } });
      expect(res.statusCode, res.body).toBe(200);
      return { clientId: client.clientId, token: res.json().access_token as string };
    };
    const boss = await tokenOf(['boss.billing']);
    const post = (token: string, id: string) =>
      sys.app.inject({ method: 'POST', url: `/api/integration/billing-batches/${id}`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' }, payload: record('2026-12', msisdns[5]!) });
    const res = await post(boss.token, 'B-client-1');
    expect(res.statusCode, res.body).toBe(200);
    expect(await dec(msisdns[5]!)).toBe(1);
    expect((await q<{ client_id: string }>(sql`SELECT client_id FROM boss_billing_batches WHERE batch_id = 'B-client-1'`))[0]!.client_id).toBe(boss.clientId);
    const other = await tokenOf(['tmf629.read']);
    expect((await post(other.token, 'B-client-2')).statusCode).toBe(403);
  });
});

describe('the monthly extract for BOSS', () => {
  it('refuses a month whose rules have not run', async () => {
    await expect(writeExtract(deps, systemActor(new Set()), '2026-09')).rejects.toMatchObject({ code: 'boss_extract_no_run' });
  });

  it('writes every key account with a header, the columns and a trailer of count and checksum, renamed when complete', async () => {
    const run = await admin.request({ method: 'POST', url: '/api/rules/runs', payload: { month: '2026-10' } });
    expect(run.statusCode, run.body).toBe(201);
    const res = await writeExtract(deps, systemActor(new Set()), '2026-10', new Date('2026-11-03T04:00:00Z'));
    expect(res.name).toBe('KAM_LEVELS_202610.csv');
    expect(readdirSync(outbox)).toEqual(['KAM_LEVELS_202610.csv']); // no temporary file left
    const text = readFileSync(path.join(outbox, res.name), 'utf8');
    const lines = text.split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toMatch(/^H,KAM_LEVELS,1\.0,2026-10,2026-11-03T04:00:00\.000Z,\d+$/);
    expect(lines[1]).toBe(EXTRACT_COLUMNS.join(','));
    const customers = await count(sql`SELECT count(*)::int AS n FROM customers WHERE merged_into IS NULL`);
    const trailer = lines.at(-2)!.split(',');
    expect(trailer.slice(0, 2)).toEqual(['T', String(customers)]);
    expect(lines.length - 4).toBe(customers);
    const body = text.slice(0, text.length - lines.at(-2)!.length - 1);
    expect(trailer[2]).toBe(createHash('sha256').update(body, 'utf8').digest('hex'));
    const [sample] = await q<{ customer_no: string; level: string; credit_grade: string }>(sql`
      SELECT c.customer_no, r.level, r.credit_grade FROM customers c JOIN customer_ratings r ON r.customer_id = c.id AND r.month = '2026-10-01' ORDER BY c.id LIMIT 1`);
    const line = lines.find((l) => l.startsWith(`${sample!.customer_no},`))!.split(',');
    expect([line[4], line[7]]).toEqual([sample!.level, sample!.credit_grade]);
    const [entry] = await q<{ after: { rows: number } }>(sql`SELECT after FROM audit_log WHERE entity = 'boss_extract' ORDER BY id DESC LIMIT 1`);
    expect(entry!.after.rows).toBe(customers);
  });

  it('lists and downloads the extracts for a user of the whole organisation', async () => {
    const list = await admin.request({ method: 'GET', url: '/api/integration/extracts' });
    expect(list.json()).toMatchObject([{ name: 'KAM_LEVELS_202610.csv', month: '2026-10' }]);
    const file = await admin.request({ method: 'GET', url: '/api/integration/extracts/KAM_LEVELS_202610.csv' });
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe(readFileSync(path.join(outbox, 'KAM_LEVELS_202610.csv'), 'utf8'));
    expect((await admin.request({ method: 'GET', url: '/api/integration/extracts/..%2Fsecret.csv' })).statusCode).toBe(404);
    const head = await sys.login('gz_head');
    expect((await head.request({ method: 'GET', url: '/api/integration/extracts/KAM_LEVELS_202610.csv' })).statusCode).toBe(404);
  });
});
