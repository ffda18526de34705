/**
 * Restart time of `npm start` — the README's first command — when nothing changed since the last build:
 * wall time from spawning `npm start` (the root script: build-if-stale check, then `node dist/main.js
 * serve` through npm) until `GET /api/health` answers 200, on a PGlite folder the first start filled
 * with the demo data. Before the check, every start rebuilt the server (tsc) and the web console (vite).
 *
 * Run alone: `npx tsx bench/restart.ts` (RUNS=5 by default). `FORCE_BUILD=1` also times one start whose
 * builds are forced (their records removed): what every start cost before.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort, isMain, machine, median, onCleanup, rootDir, runCleanups, spawnNode, tmpDir, waitFor200 } from './lib.js';

const npmCli = process.env.npm_execpath ?? path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
const records = path.join(rootDir, 'node_modules', '.cache', 'kam-build');

/** One `npm start` on `dataDir`, timed until /api/health answers 200, then stopped. */
async function timeStart(dataDir: string): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawnNode([npmCli, 'start'], {
    cwd: rootDir,
    env: { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
  });
  const unregister = onCleanup(child.stop);
  try {
    await waitFor200(`http://127.0.0.1:${port}/api/health`, child, 600_000, 20);
    return performance.now() - t0;
  } finally {
    await child.stop();
    unregister();
    await groupGone(child.proc.pid!);
  }
}

/** npm exits before the server below it has closed its database: the next start must not meet it. */
async function groupGone(pid: number) {
  for (;;) {
    try {
      process.kill(-pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function runRestart(runs: number) {
  const dataDir = mkdtempSync(path.join(tmpDir(), 'kam-restart-'));
  onCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
  const first = await timeStart(dataDir);
  const restarts: number[] = [];
  for (let i = 0; i < runs; i++) restarts.push(await timeStart(dataDir));
  let forced: number | undefined;
  if (process.env.FORCE_BUILD) {
    for (const name of ['server', 'web']) if (existsSync(path.join(records, `${name}.sha256`))) rmSync(path.join(records, `${name}.sha256`));
    forced = await timeStart(dataDir);
  }
  return { first, restarts, forced };
}

if (isMain(import.meta.url)) {
  console.log(`machine: ${machine()}`);
  try {
    const { first, restarts, forced } = await runRestart(Number(process.env.RUNS ?? 5));
    const s = (n: number) => `${(n / 1000).toFixed(2)} s`;
    console.log(`first start (builds if needed, migrations, demo data): ${s(first)}`);
    console.log(`restart, nothing changed: median ${s(median(restarts))} (${restarts.map(s).join(', ')})`);
    if (forced !== undefined) console.log(`start with both builds forced (every start before): ${s(forced)}`);
    console.log(`load avg after: ${machine().split('load avg ')[1]}`);
  } finally {
    await runCleanups();
  }
}
