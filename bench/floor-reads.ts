/**
 * The floor of the read figures of issues 11 and 15 on this machine (p95 ≤ 50 ms at 32 connections): the least
 * server that can answer them (bench/floor/least-server.ts: Fastify alone, the very statements the system's
 * server sends for each request, their rows as JSON), measured beside the system's server on the same requests.
 *
 *   - searches of three and two characters cut from names (bench/customers.ts's sample), as the administrator;
 *   - the TMF629 list of 100 (`GET /tmf-api/customerManagement/v4/customer?limit=100`) as the province head and
 *     as 广州's head (bench/tmf.ts).
 *
 * The statements are recorded by calling the system's own services once per request on kam_large (the search's
 * statistics read first, as a running server has them); the least server then sends them all at once, named on
 * a pool with the hot reads' settings, and answers the rows without mapping them. Its `/memory` runs answer from
 * memory: HTTP alone. Each scenario also runs with PostgreSQL rendering the page's JSON (`json_agg` of the page's
 * rows as read: a search's unmasked), which the least server passes on as it comes: no row parsed, nothing
 * serialised in Node. When the least server misses a goal here, no change to the system's server can meet it on
 * this machine; when it meets it, the difference is the server's to win.
 *
 * Run: `npm run build -w server && npx tsx bench/floor-reads.ts` (BENCH_PG_URL, BENCH_LARGE_DB, CONNECTIONS 32,
 * DURATION 10 s; SCENARIOS=word,… picks scenarios by a word of their names).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { SQL } from 'drizzle-orm';
import type { Database } from '../server/src/db/client.js';
import { statementText } from '../server/src/db/statement-text.js';
import { listCustomers } from '../server/src/modules/customers/list.service.js';
import { listCustomersQuery } from '../server/src/modules/customers/schemas.js';
import { listCustomers as listTmfCustomers } from '../server/src/modules/tmf/customer/service.js';
import { customerListQuery } from '../server/src/modules/tmf/customer/schemas.js';
import { actorOfUser } from '../server/src/platform/auth/auth.service.js';
import type { Actor } from '../server/src/platform/auth/principal.js';
import type { Deps } from '../server/src/platform/deps.js';
import { sample } from './customers.js';
import type { FloorPlan, Statement } from './floor/least-server.js';
import { LARGE_DB as DB, PG_URL, withLargeDatabase } from './large-db.js';
import { benchDir, freePort, isMain, load, machine, ms, onCleanup, runCleanups, signIn, spawnNode, spawnServer, tsxCli, rootDir, waitFor200, type LoadResult } from './lib.js';

const CONNECTIONS = Number(process.env.CONNECTIONS ?? 32);
const DURATION = Number(process.env.DURATION ?? 10);
const GOAL_MS = 50;
const TMF_LIST = '/tmf-api/customerManagement/v4/customer?limit=100';

interface Scenario {
  name: string;
  username: string;
  /** The requests of the system's server. */
  paths: string[];
  /** The same requests' keys in the least server's plan. */
  floorPaths: string[];
  record: (deps: Deps, actor: Actor, path: string) => Promise<unknown>;
}

/** The database as the services see it, noting every statement they send into `log` as the server's pools send it. */
function recording(database: Database, log: Statement[]): Database {
  const note = (hot: boolean, query: SQL) => {
    const { sql: text, params } = statementText(query);
    log.push({ hot, text, params });
  };
  return {
    ...database,
    rows: (query, executor) => (note(false, query), database.rows(query, executor)),
    hotRows: (query) => (note(true, query), database.hotRows(query)),
  };
}

const queryOf = (p: string) => Object.fromEntries(new URL(p, 'http://x').searchParams);

async function scenarios(): Promise<Scenario[]> {
  const searches = (await sample()).filter((s) => s.name.includes('characters'));
  const search = (deps: Deps, actor: Actor, p: string) => listCustomers(deps, actor, listCustomersQuery.parse(queryOf(p)));
  const tmfList = (deps: Deps, actor: Actor, p: string) => listTmfCustomers(deps, actor, false, customerListQuery.parse(queryOf(p)));
  const only = process.env.SCENARIOS?.split(',');
  return [
    ...searches.map((s) => ({ name: s.name, username: 'admin', paths: s.paths, floorPaths: s.paths, record: search })),
    ...['gd_head', 'gz_head'].map((username) => ({
      name: `TMF629 list of 100, ${username}`,
      username,
      paths: [TMF_LIST],
      floorPaths: [`/as/${username}${TMF_LIST}`],
      record: tmfList,
    })),
  ].filter((s) => !only || only.some((w) => s.name.includes(w)));
}

/** Each request's statements, recorded once (a first call reads what the services keep, such as the search's statistics). */
async function planOf(list: Scenario[]): Promise<FloorPlan> {
  return withLargeDatabase(async (deps, database) => {
    const log: Statement[] = [];
    const recorded = { ...deps, database: recording(database, log) };
    const paths: Record<string, Statement[]> = {};
    for (const s of list) {
      const actor = await actorOfUser(database, s.username);
      await s.record(recorded, actor, s.paths[0]!);
      for (const [i, p] of s.paths.entries()) {
        log.length = 0;
        await s.record(recorded, actor, p);
        paths[s.floorPaths[i]!] = [...log];
        paths[`/sql${s.floorPaths[i]!}`] = [...log.slice(0, -1), renderedBySql(log.at(-1)!)];
      }
    }
    return { url: `${PG_URL}/${DB}`, hotConnections: deps.config.HOT_READ_CONNECTIONS, paths };
  });
}

/** The statement's rows as one JSON text, made by PostgreSQL. */
const renderedBySql = (s: Statement): Statement => ({ ...s, text: `SELECT coalesce(json_agg(t), '[]')::text AS answer FROM (${s.text}) t` });

const line = (what: string, r: LoadResult) =>
  `    ${what}: ${Math.round(r.rps)} req/s, p50 ${ms(r.p50)}, p95 ${ms(r.p95)} (goal ≤ ${GOAL_MS} ms: ${r.p95 <= GOAL_MS ? 'within reach' : 'BEYOND'}), ${r.non2xx} non-2xx, ${r.errors} errors, load avg ${loadavg()[0]!.toFixed(2)}`;

const run = (base: string, paths: string[], cookie?: string) =>
  load(base, { connections: CONNECTIONS, duration: DURATION, warmup: 3, paths, ...(cookie && { headers: { cookie } }) });

async function main() {
  console.log(`machine: ${machine()}; database ${DB}; ${CONNECTIONS} connections, ${DURATION} s each\n`);
  const list = await scenarios();
  const plan = await planOf(list);
  const dir = mkdtempSync(path.join(tmpdir(), 'floor-reads-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'plan.json'), JSON.stringify(plan));
  const counts = Object.values(plan.paths).map((s) => s.length);
  console.log(`recorded ${counts.length} requests, ${Math.min(...counts)}–${Math.max(...counts)} statements each\n`);

  const floorPort = await freePort();
  const floorBase = `http://127.0.0.1:${floorPort}`;
  const least = spawnNode([tsxCli, path.join(benchDir, 'floor', 'least-server.ts')], { cwd: rootDir, env: { PORT: String(floorPort), FLOOR_PLAN: path.join(dir, 'plan.json') } });
  onCleanup(() => least.stop());
  await waitFor200(`${floorBase}/api/health`, least);
  const floors = new Map<string, LoadResult[]>();
  for (const s of list) {
    const within = (prefix: string) => run(floorBase, s.floorPaths.map((p) => `${prefix}${p}`));
    floors.set(s.name, [await within('/memory'), await within(''), await within('/sql')]);
  }
  await least.stop();

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawnServer({ DATABASE_URL: `${PG_URL}/${DB}`, PORT: String(port), DEMO_PROFILE: 'none' });
  onCleanup(() => server.stop());
  await waitFor200(`${base}/api/health`, server);
  for (const s of list) {
    const { cookie } = await signIn(base, s.username);
    const [memory, statements, rendered] = floors.get(s.name)!;
    console.log(`${s.name} (${s.paths.length} requests):`);
    console.log(line('least server, from memory (HTTP alone)', memory!));
    console.log(line('least server, the statements and their rows', statements!));
    console.log(line('least server, the statements, the JSON made by PostgreSQL', rendered!));
    console.log(line("the system's server", await run(base, s.paths, cookie)));
  }
  await server.stop();
}

if (isMain(import.meta.url)) {
  try {
    await main();
  } catch (err) {
    console.error(`benchmark failed: ${err instanceof Error ? err.stack : err}`);
    process.exitCode = 1;
  } finally {
    await runCleanups();
  }
}
