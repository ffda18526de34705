/**
 * Facts import benchmark (issue 3: ≥ 200,000 rows/s on PostgreSQL, and the ratio to `psql \copy` of the same
 * rows into the same partition, goal ≥ 0.5).
 *
 *   npx tsx bench/import-facts.ts [--rows 2000000] [--runs 2]
 *
 * Uses the database kam_large on 127.0.0.1:5432 when it exists (the `large` profile), else creates
 * kam_import_bench with enough customers and subscriptions (kam_large is only read: the file has at most as many
 * rows as it has subscriptions). Writes two files of the same rows for one month
 * that no profile uses (2030-01): the import layout (month, msisdn, …) and the table layout (month,
 * subscription_id, customer_id, …) for psql. Each run empties the partition first; runs alternate.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { prepareDatabase } from '../server/src/bootstrap.js';
import { loadConfig } from '../server/src/config.js';
import { importFile } from '../server/src/modules/integration/service.js';
import { ALL_PERMISSIONS } from '../server/src/platform/auth/permissions.js';
import { systemActor } from '../server/src/platform/auth/principal.js';
import { makeDeps } from '../server/src/platform/deps.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const ROWS = arg('--rows', 2_000_000);
const RUNS = arg('--runs', 2);
const MONTH = '2030-01-01';
const PARTITION = 'monthly_facts_203001';
const HOST = 'postgres://postgres@127.0.0.1:5432';

async function query(url: string, text: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows as Record<string, unknown>[];
  } finally {
    await c.end();
  }
}

async function chooseDatabase(): Promise<{ url: string; name: string }> {
  const dbs = await query(`${HOST}/postgres`, "SELECT datname FROM pg_database WHERE datname IN ('kam_large', 'kam_import_bench')");
  const names = dbs.map((r) => r.datname);
  if (names.includes('kam_large')) return { url: `${HOST}/kam_large`, name: 'kam_large' };
  if (!names.includes('kam_import_bench')) await query(`${HOST}/postgres`, 'CREATE DATABASE kam_import_bench');
  return { url: `${HOST}/kam_import_bench`, name: 'kam_import_bench' };
}

/** Enough subscriptions for the file, made in two set-based statements. */
async function ensureSubscriptions(url: string) {
  const [{ n }] = (await query(url, 'SELECT count(*)::int AS n FROM subscriptions')) as [{ n: number }];
  if (n >= ROWS) return;
  console.log(`creating ${ROWS - n} customers and subscriptions …`);
  await query(
    url,
    `INSERT INTO org_units (code, name, kind, path) SELECT 'BENCH', '基准测试', 'province', '/' WHERE NOT EXISTS (SELECT 1 FROM org_units WHERE code = 'BENCH');
     UPDATE org_units SET path = '/' || id || '/' WHERE code = 'BENCH';
     INSERT INTO customers (customer_no, kind, name, unit_id)
     SELECT 'B' || lpad(g::text, 9, '0'), 'individual', '基准客户' || g, (SELECT id FROM org_units WHERE code = 'BENCH')
     FROM generate_series(${n + 1}, ${ROWS}) g;
     INSERT INTO subscriptions (msisdn, customer_id, plan, opened_on)
     SELECT '178' || lpad(g::text, 8, '0'), c.id, '基准套餐', '2020-01-01'
     FROM generate_series(${n + 1}, ${ROWS}) g JOIN customers c ON c.customer_no = 'B' || lpad(g::text, 9, '0');`,
  );
}

/** Writes the same rows twice: import layout (by msisdn) and table layout (by ids). */
async function writeFiles(url: string, importFileName: string, tableFileName: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const imp = createWriteStream(importFileName);
  const tab = createWriteStream(tableFileName);
  imp.write('month,msisdn,rev_voice,rev_sms,rev_data,rev_vas,rev_roaming,min_local,min_long_distance,min_roaming,sms_count,data_mb,billed,paid,arrears\n');
  tab.write('month,subscription_id,customer_id,rev_voice,rev_sms,rev_data,rev_vas,rev_roaming,min_local,min_long_distance,min_roaming,sms_count,data_mb,billed,paid,arrears\n');
  const stream = c.query(copyTo(`COPY (SELECT id, msisdn, customer_id FROM subscriptions ORDER BY id LIMIT ${ROWS}) TO STDOUT`));
  let rest = '';
  let a = '';
  let b = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const lines = (rest + chunk.toString('utf8')).split('\n');
    rest = lines.pop()!;
    for (const line of lines) {
      const [idText, msisdn, customerId] = line.split('\t') as [string, string, string];
      const id = Number(idText);
      const voice = ((id * 7919) % 20000) / 100;
      const sms = ((id * 104729) % 1000) / 100;
      const data = ((id * 1299709) % 30000) / 100;
      const billed = (voice + sms + data).toFixed(2);
      const paid = id % 17 === 0 ? '0.00' : billed;
      const arrears = id % 17 === 0 ? billed : '0';
      const tail = `${voice.toFixed(2)},${sms.toFixed(2)},${data.toFixed(2)},5.00,0,${id % 900},${id % 60},${id % 7},${id % 300},${(id % 40000) / 10},${billed},${paid},${arrears}`;
      a += `2030-01,${msisdn},${tail}\n`;
      b += `${MONTH},${id},${customerId},${tail}\n`;
    }
    if (a.length > 1 << 20) {
      if (!imp.write(a)) await once(imp, 'drain');
      if (!tab.write(b)) await once(tab, 'drain');
      a = '';
      b = '';
    }
  }
  imp.end(a);
  tab.end(b);
  await Promise.all([once(imp, 'finish'), once(tab, 'finish')]);
  await c.end();
}

async function main() {
  const { url, name } = await chooseDatabase();
  const config = loadConfig({ ...process.env, DATABASE_URL: url, DEMO_PROFILE: 'none', LOG_LEVEL: 'silent' });
  const { database } = await prepareDatabase(config);
  // kam_large belongs to the large profile: read it, never add to it (the file then has as many rows as it has subscriptions)
  if (name !== 'kam_large') await ensureSubscriptions(url);
  const deps = makeDeps(config, database);
  const dir = os.tmpdir();
  const importPath = path.join(dir, 'kam-bench-facts-import.csv');
  const tablePath = path.join(dir, 'kam-bench-facts-table.csv');
  let t = Date.now();
  await writeFiles(url, importPath, tablePath);
  const rows = Number((await query(url, `SELECT least(count(*), ${ROWS})::int AS n FROM subscriptions`))[0]!.n);
  console.log(`database ${name}; ${rows} rows; files written in ${((Date.now() - t) / 1000).toFixed(1)} s (${((await stat(importPath)).size / 1e6).toFixed(0)} MB)`);
  await query(url, `SELECT ensure_fact_partition('${MONTH}')`);

  // the month's facts emptied, and with them the customers' monthly totals that follow them
  const emptyMonth = async () => {
    await query(url, `TRUNCATE ${PARTITION}`);
    await query(url, `SELECT refresh_month_totals('${MONTH}')`);
  };
  const results: { copy: number; ours: number }[] = [];
  for (let run = 1; run <= RUNS; run++) {
    await emptyMonth();
    t = Date.now();
    const psql = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-c', `\\copy ${PARTITION} FROM '${tablePath}' CSV HEADER`], { encoding: 'utf8' });
    const copySeconds = (Date.now() - t) / 1000;
    if (psql.status !== 0) throw new Error(`psql failed: ${psql.stderr}`);

    await emptyMonth();
    t = Date.now();
    const job = await importFile(deps, systemActor(new Set(ALL_PERMISSIONS)), importPath, {
      kind: 'facts',
      fileName: path.basename(importPath),
      fileSize: (await stat(importPath)).size,
      dryRun: false,
      setAside: false,
    });
    const ourSeconds = (Date.now() - t) / 1000;
    if (job.status !== 'succeeded' || job.inserted !== rows) throw new Error(`import did not load every row: ${JSON.stringify(job)}`);
    results.push({ copy: copySeconds, ours: ourSeconds });
    console.log(
      `run ${run}: psql \\copy ${copySeconds.toFixed(2)} s (${Math.round(rows / copySeconds)} rows/s); ` +
        `import ${ourSeconds.toFixed(2)} s (${Math.round(rows / ourSeconds)} rows/s); ratio ${(copySeconds / ourSeconds).toFixed(2)}`,
    );
  }
  // re-import of the same file: every row unchanged
  t = Date.now();
  const again = await importFile(deps, systemActor(new Set(ALL_PERMISSIONS)), importPath, {
    kind: 'facts', fileName: 'again.csv', fileSize: (await stat(importPath)).size, dryRun: false, setAside: false,
  });
  console.log(`re-import of the same file: ${((Date.now() - t) / 1000).toFixed(2)} s, inserted ${again.inserted}, updated ${again.updated}, unchanged ${again.unchanged}`);
  const best = results.reduce((a, b) => (b.ours < a.ours ? b : a));
  console.log(`\nbest import: ${Math.round(rows / best.ours)} rows/s (goal ≥ 200,000); ratio to psql \\copy in that run ${(best.copy / best.ours).toFixed(2)} (goal ≥ 0.5)`);
  await emptyMonth();
  await database.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
