/**
 * 目标客户群 on the `large` profile (PostgreSQL database kam_large: 1,000,000 customers, 24,000,000 fact rows).
 * Goal (issue 16): a segment of up to 200,000 customers — count ≤ 1 s, export ≤ 10 s, streamed in constant memory.
 *
 * The segment: the group customers (kind = group, 199,881 of the 1,000,000), seen by the province's system
 * administrator (the whole province in scope). Timed, each RUNS times (median and worst): the count of the live
 * segment (its tree compiled and evaluated), its size and profile (one statement), the freezing (INSERT … SELECT of
 * the members), the count of the frozen one; then the export of the live segment as CSV and as .xlsx through the
 * service the route streams from (the customers area's export: its snapshot, cursor batches, masking and audit),
 * written to a byte counter, with the process's resident memory sampled every 50 ms. The floor of the export: the
 * same rows and columns by `psql \copy` (ratio printed).
 *
 * The segments' tables come from the server's analysis migration (0034_analysis), applied to kam_large by
 * `withLargeDatabase` (bench/large-db.ts) as the server's start applies it. The bench's segment is deleted at the end.
 *
 * Run: `npx tsx bench/analysis-segments.ts` (BENCH_PG_URL, BENCH_LARGE_DB as in bench/services.ts; RUNS=5).
 */
import { execFile } from 'node:child_process';
import { statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import type { Database } from '../server/src/db/client.js';
import { countSegment, createSegment, deleteSegment, exportSegment, getSegment, profileSegment, setMode } from '../server/src/modules/analysis/segments/service.js';
import { ALL_PERMISSIONS } from '../server/src/platform/auth/permissions.js';
import type { Actor } from '../server/src/platform/auth/principal.js';
import { writeTabular } from '../server/src/platform/export/tabular.js';
import { LARGE_DB as DB, PG_URL, withLargeDatabase } from './large-db.js';
import { isMain, machine, median, ms, repeat, timed, tmpDir } from './lib.js';

const RUNS = Number(process.env.RUNS ?? 5);
const COUNT_GOAL_MS = 1_000;
const EXPORT_GOAL_MS = 10_000;
const rssMb = () => process.memoryUsage().rss / 2 ** 20;

async function adminActor(database: Database): Promise<Actor> {
  const [u] = await database.rows<{ id: number; path: string }>(sql`SELECT u.id, ou.path FROM users u JOIN org_units ou ON ou.id = u.unit_id WHERE u.username = 'admin'`);
  if (!u) throw new Error('no admin user in kam_large');
  return { userId: Number(u.id), username: 'admin', unitPath: u.path, areaPath: u.path, permissions: new Set(ALL_PERMISSIONS), requestId: null, ip: null };
}

async function main() {
  await withLargeDatabase(async (deps, database) => {
    const actor = await adminActor(database);
    const [sizes] = await database.rows<Record<string, number>>(sql`SELECT (SELECT count(*) FROM customers)::int AS customers, (SELECT count(*) FROM customers WHERE kind = 'group')::int AS groups`);
    console.log(`machine: ${machine()}; database ${DB}; ${JSON.stringify(sizes)}; runs ${RUNS}\n`);

    const tree = { match: 'all', conditions: [{ field: 'kind', op: 'eq', value: 'group' }] };
    const seg = await createSegment(deps, actor, { name: 'bench: 集团客户', tree, mode: 'live' });
    try {
      const rows: string[] = [];
      const row = (what: string, times: number[], goal?: number, extra = '') =>
        rows.push(`| ${what} | ${ms(median(times))} | ${ms(Math.max(...times))} | ${goal ? `≤ ${ms(goal)}: ${Math.max(...times) <= goal ? 'met' : '**missed**'}` : ''} | ${extra} |`);

      const liveCounts: number[] = [];
      let size = 0;
      for (let i = 0; i < RUNS; i++) {
        const r = await timed(() => countSegment(deps, actor, seg.id));
        liveCounts.push(r.ms);
        size = r.value;
      }
      row('count, live', liveCounts, COUNT_GOAL_MS, `${size.toLocaleString('en')} customers`);
      const profiles = await repeat(() => profileSegment(deps, actor, seg), RUNS, { warm: false });
      row('size and profile (one statement), live', profiles.times);

      const freeze = await timed(() => setMode(deps, actor, seg.id, { version: seg.version, mode: 'frozen' }));
      row('freeze (INSERT … SELECT of the members)', [freeze.ms], undefined, `${freeze.value.frozenSize?.toLocaleString('en')} members`);
      const frozen = await getSegment(deps, actor, seg.id);
      const frozenCounts = await repeat(() => countSegment(deps, actor, seg.id), RUNS, { warm: false });
      row('count, frozen', frozenCounts.times, COUNT_GOAL_MS);
      const frozenProfiles = await repeat(() => profileSegment(deps, actor, frozen), RUNS, { warm: false });
      row('size and profile, frozen', frozenProfiles.times);
      await setMode(deps, actor, seg.id, { version: frozen.version, mode: 'live' });

      for (const format of ['csv', 'xlsx'] as const) {
        const before = rssMb();
        let peak = before;
        const sampler = setInterval(() => (peak = Math.max(peak, rssMb())), 50);
        let bytes = 0;
        const sink = new Writable({
          write(chunk: Buffer, _enc, done) {
            bytes += chunk.length;
            done();
          },
        });
        const r = await timed(async () => {
          const out = await exportSegment(deps, actor, seg.id, { format, withPii: false, locale: 'zh-CN' });
          return writeTabular(sink, { format, columns: out.columns, rows: { batches: out.batches }, locale: 'zh-CN' });
        });
        clearInterval(sampler);
        row(`export ${format}, live`, [r.ms], EXPORT_GOAL_MS, `${r.value.toLocaleString('en')} rows, ${(bytes / 2 ** 20).toFixed(1)} MB; RSS ${before.toFixed(0)} → peak ${peak.toFixed(0)} MB`);
      }

      const floor = await psqlCopy(database);
      row('floor: psql \\copy of the same rows and columns', [floor.ms], undefined, `${(floor.bytes / 2 ** 20).toFixed(1)} MB`);
      console.log('| what | median | worst | goal | |');
      console.log('| --- | ---: | ---: | --- | --- |');
      for (const r of rows) console.log(r);
    } finally {
      const last = await getSegment(deps, actor, seg.id);
      await deleteSegment(deps, actor, seg.id, last.version);
    }
  });
}

/** The customers area's export SELECT for the same segment, its parameters written in, by psql \copy to a file. */
async function psqlCopy(database: Database): Promise<{ ms: number; bytes: number }> {
  void database;
  const select = `SELECT c.customer_no, c.name, c.kind, c.archive, u.name, u.name_en, m.display_name, c.industry, c.brand, st.level, st.credit_grade, st.points,
    st.arrears_fen, c.contact_phone, c.id_number_tail, c.credit_code, to_char(c.joined_on, 'YYYY-MM-DD')
    FROM customers c JOIN org_units u ON u.id = c.unit_id LEFT JOIN users m ON m.id = c.manager_id LEFT JOIN customer_standings st ON st.customer_id = c.id
    WHERE c.kind = 'group' AND c.merged_into IS NULL ORDER BY c.customer_no`;
  const file = path.join(tmpDir(), `kam-segment-floor-${process.pid}.csv`);
  const t = performance.now();
  await promisify(execFile)('psql', [`${PG_URL}/${DB}`, '-q', '-c', `\\copy (${select.replace(/\s+/g, ' ')}) TO '${file}' CSV HEADER`]);
  const elapsed = performance.now() - t;
  const bytes = statSync(file).size;
  unlinkSync(file);
  return { ms: elapsed, bytes };
}

if (isMain(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(`benchmark failed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exitCode = 1;
  });
}
