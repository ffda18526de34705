/**
 * Startup time of the server on an existing embedded (PGlite) data folder: wall time from spawning
 * `tsx src/main.ts serve` until `GET /api/health` answers 200, polled every 20 ms. Goal: ≤ 3 s.
 *
 * Baselines, spawned and polled the same way:
 *  - `tsx bench/bare-server.ts`: a Fastify hello-world through tsx, i.e. what node + tsx + Fastify cost
 *    before any of our code runs;
 *  - `node -e '<Fastify hello-world>'`: the same without tsx, i.e. what node + Fastify alone cost.
 *
 * Run alone: `npx tsx bench/startup.ts` (RUNS=5 by default).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort, isMain, machine, median, onCleanup, rootDir, runCleanups, spawnBare, spawnNode, spawnServer, tmpDir, waitFor200, type Child } from './lib.js';

export interface Timings {
  min: number;
  median: number;
  max: number;
  all: number[];
}

export interface StartupResult {
  /** first start on an empty folder: migrations + demo data (not part of the goal, shown for context) */
  firstStartMs: number;
  server: Timings;
  bareTsx: Timings;
  bareNode: Timings;
}

const GOAL_MS = 3_000;

const NODE_HELLO = `
import Fastify from 'fastify';
const app = Fastify({ logger: false });
app.get('/api/health', async () => ({ hello: 'world' }));
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
`;

const summarize = (all: number[]): Timings => ({ min: Math.min(...all), median: median(all), max: Math.max(...all), all });

/** Spawns one process, times it until /api/health answers 200, stops it. */
async function timeOnce(start: (port: number) => Child): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const child = start(port);
  const unregister = onCleanup(child.stop);
  try {
    await waitFor200(`http://127.0.0.1:${port}/api/health`, child, 60_000, 20);
    return performance.now() - t0;
  } finally {
    await child.stop();
    unregister();
  }
}

async function series(label: string, runs: number, start: (port: number) => Child): Promise<Timings> {
  const all: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = await timeOnce(start);
    all.push(t);
    console.log(`  ${label.padEnd(26)} run ${i + 1}/${runs}: ${Math.round(t)} ms`);
  }
  return summarize(all);
}

export async function runStartup(runs = 5): Promise<StartupResult> {
  const dataDir = await mkdtemp(path.join(tmpDir(), 'kam-bench-startup-'));
  onCleanup(() => rm(dataDir, { recursive: true, force: true }));
  const serverAt = (port: number) => spawnServer({ DATA_DIR: dataDir, PORT: String(port), DATABASE_URL: undefined });

  console.log(`startup: preparing ${dataDir} (first start: migrations + demo data)…`);
  const firstStartMs = await timeOnce(serverAt);
  console.log(`  first start (empty folder, seeded): ${Math.round(firstStartMs)} ms`);

  const server = await series('server (existing folder)', runs, serverAt);
  const bareTsx = await series('bare Fastify via tsx', runs, spawnBare);
  const bareNode = await series('bare Fastify via node -e', runs, (port) =>
    spawnNode(['--input-type=module', '-e', NODE_HELLO], { cwd: rootDir, env: { PORT: String(port) } }),
  );
  return { firstStartMs, server, bareTsx, bareNode };
}

export function printStartup(r: StartupResult): void {
  const row = (label: string, t: Timings) =>
    `| ${label} | ${Math.round(t.min)} | ${Math.round(t.median)} | ${Math.round(t.max)} | ${(t.median / r.bareTsx.median).toFixed(2)}× |`;
  console.log(`\n### Startup to first 200 on /api/health (${r.server.all.length} runs each, ms)\n`);
  console.log('| process | min | median | max | median vs bare tsx |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  console.log(row('server, existing PGlite folder', r.server));
  console.log(row('bare Fastify hello-world via tsx', r.bareTsx));
  console.log(row('bare Fastify hello-world via `node -e`', r.bareNode));
  const verdict = r.server.median <= GOAL_MS ? 'meets' : 'MISSES';
  console.log(
    `\nserver median ${Math.round(r.server.median)} ms ${verdict} the ≤ ${GOAL_MS} ms goal; ` +
      `${Math.round(r.server.median - r.bareTsx.median)} ms of it is ours (above the bare tsx baseline), ` +
      `${Math.round(r.bareTsx.median - r.bareNode.median)} ms is tsx. First start on an empty folder: ${Math.round(r.firstStartMs)} ms.`,
  );
}

if (isMain(import.meta.url)) {
  console.log(`machine: ${machine()}`);
  try {
    printStartup(await runStartup(Number(process.env.RUNS ?? 5)));
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  } finally {
    await runCleanups();
  }
}
