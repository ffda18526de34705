/**
 * Shared helpers of the benchmarks: child processes (the server and the bare baseline run in their own
 * process, never in the load generator's event loop), readiness polling, autocannon with an exact p95,
 * and a cleanup registry that also runs on Ctrl-C and on errors.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';

export const benchDir = path.dirname(fileURLToPath(import.meta.url));
export const rootDir = path.resolve(benchDir, '..');
export const serverDir = path.join(rootDir, 'server');
/** The tsx CLI, run by this very node binary, exactly as `npx tsx` / `npm start` would run it. */
export const tsxCli = path.join(rootDir, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** True when `import.meta.url` is the script node was asked to run (so a module can be both a script and a library). */
export function isMain(metaUrl: string): boolean {
  const entry = process.argv[1];
  return !!entry && pathToFileURL(path.resolve(entry)).href === metaUrl;
}

// ---------------------------------------------------------------- cleanup

type Cleanup = () => Promise<void> | void;
const cleanups: Cleanup[] = [];
const children = new Set<ChildProcess>();

/** Registers a cleanup step; steps run last-in first-out from {@link runCleanups}. Returns an unregister function. */
export function onCleanup(fn: Cleanup): () => void {
  cleanups.push(fn);
  return () => {
    const i = cleanups.indexOf(fn);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

export async function runCleanups(): Promise<void> {
  while (cleanups.length) {
    const fn = cleanups.pop()!;
    try {
      await fn();
    } catch (err) {
      console.error('cleanup step failed:', err instanceof Error ? err.message : err);
    }
  }
}

let signalled = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (signalled) process.exit(130);
    signalled = true;
    console.error(`\n${sig}: cleaning up…`);
    void runCleanups().finally(() => process.exit(130));
  });
}
// last resort: never leave a server behind, even on an uncaught error
process.on('exit', () => {
  for (const child of children) killGroup(child, 'SIGKILL');
});

// ---------------------------------------------------------------- child processes

export interface Child {
  proc: ChildProcess;
  /** Everything the child wrote, for error messages. */
  output: () => string;
  stop: () => Promise<void>;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal); // the child leads its own process group (tsx runs node below it)
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

/** Spawns `node <args>` in its own process group; stop() sends SIGTERM, then SIGKILL after 5 s. */
export function spawnNode(args: string[], opts: { cwd: string; env?: Record<string, string | undefined> }): Child {
  const proc = spawn(process.execPath, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.add(proc);
  let out = '';
  const keep = (b: Buffer) => {
    out += b.toString();
    if (out.length > 20_000) out = out.slice(-20_000);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      killGroup(proc, 'SIGTERM');
      const timer = setTimeout(() => killGroup(proc, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    // tsx's own node child may outlive the CLI process for a moment
    killGroup(proc, 'SIGKILL');
    children.delete(proc);
  };
  return { proc, output: () => out, stop };
}

/** Runs the compiled server (`node dist/main.js serve`) from server/, as `npm start -w server` does; run `npm run build -w server` first. */
export function spawnServer(env: Record<string, string | undefined>): Child {
  // BENCH_SERVER_FLAGS: Node flags for the server alone, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` (not allowed in NODE_OPTIONS)
  const flags = process.env.BENCH_SERVER_FLAGS?.split(' ').filter(Boolean) ?? [];
  return spawnNode([...flags, 'dist/main.js', 'serve'], { cwd: serverDir, env: { LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env } });
}

/** The bare baseline: a Fastify hello-world, started by tsx the same way. */
export function spawnBare(port: number): Child {
  return spawnNode([tsxCli, path.join(benchDir, 'bare-server.ts')], { cwd: rootDir, env: { PORT: String(port) } });
}

/** Signs in through the API: the session's cookies and the CSRF token that a write sends with them. */
export async function signIn(base: string, username: string, password = process.env.DEMO_PASSWORD ?? 'Demo@2026!') {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login ${username} answered ${res.status}: ${await res.text()}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '), csrfToken };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `url` every `everyMs` until it answers 200; fails when the child exits or the timeout passes. */
export async function waitFor200(url: string, child: Child, timeoutMs = 120_000, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.proc.exitCode !== null || child.proc.signalCode !== null) {
      throw new Error(`process exited (${child.proc.exitCode ?? child.proc.signalCode}) before ${url} answered:\n${child.output()}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms:\n${child.output()}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

// ---------------------------------------------------------------- load

export interface LoadResult {
  /** average requests per second over the run (autocannon's requests.average) */
  rps: number;
  /** exact percentiles (ms) of the 2xx responses, computed from every response time */
  p50: number;
  p95: number;
  p99: number;
  /** autocannon's own percentiles, for cross-checking */
  p90: number;
  p97_5: number;
  total: number;
  non2xx: number;
  errors: number;
}

/** The nearest-rank percentile `p` (0–100) of times sorted ascending; NaN for none. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length); // nearest-rank
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** One request of a load: a write carries its JSON body. */
export interface LoadRequest {
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
  /** Makes each request afresh (a one-time code used once, a new transaction id): what it returns is sent. */
  setupRequest?: (req: Omit<LoadRequest, 'setupRequest'>) => Omit<LoadRequest, 'setupRequest'>;
}

/**
 * autocannon against one URL. Its summary has p90 and p97.5 but no p95, so every 2xx response time is
 * also kept and the percentiles are computed exactly. A short warm-up run (not reported) comes first.
 */
export async function load(
  url: string,
  opts: { connections: number; duration: number; warmup?: number; headers?: Record<string, string>; paths?: string[]; requests?: LoadRequest[] },
): Promise<LoadResult> {
  // with `paths`, each connection cycles through those requests (varied search terms, ids, …); `requests` for writes
  const requests = opts.requests ?? opts.paths?.map((p) => ({ method: 'GET', path: p }));
  if (opts.warmup) await autocannon({ url, connections: opts.connections, duration: opts.warmup, headers: opts.headers, requests });
  const times: number[] = [];
  const instance = autocannon({ url, connections: opts.connections, duration: opts.duration, headers: opts.headers, requests });
  const stopOnSignal = onCleanup(() => instance.stop());
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) times.push(responseTime);
  });
  const r = await instance;
  stopOnSignal();
  const sorted = Float64Array.from(times).sort();
  return {
    rps: r.requests.average,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    p90: r.latency.p90,
    p97_5: r.latency.p97_5,
    total: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

// ---------------------------------------------------------------- formatting

export const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(n < 10 ? 2 : 1)} ms` : 'n/a');
export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
export const tmpDir = () => os.tmpdir();

// ---------------------------------------------------------------- timing in-process (the job benchmarks)

/** Runs `fn` once: what it returned and the milliseconds it took. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t };
}

/** The exact (nearest-rank) p95 of some times, in any order. */
export const p95 = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 95);

/** One untimed warm-up call (plans, buffers; `warm: false` to time the cold call too), then `runs` timed calls one after another. */
export async function repeat(fn: () => Promise<unknown>, runs: number, opts: { warm?: boolean } = {}): Promise<{ p95: number; median: number; worst: number; times: number[] }> {
  if (opts.warm ?? true) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await timed(fn)).ms);
  return { p95: p95(times), median: median(times), worst: Math.max(...times), times };
}

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, load avg ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join('/')}`;
}
