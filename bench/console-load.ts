/**
 * The sign-in page on a slow link (issue 11): Chromium with its network emulated through CDP
 * (`Network.emulateNetworkConditions`, 2 Mbit/s both ways, 100 ms latency) opens `/login` on the
 * real server; "ready" is the moment the sign-in button is on screen. Printed: the ready time (median
 * of RUNS cold loads with the browser cache off, then the same page from the cache), the JavaScript
 * the page fetched (bytes on the wire, compressed), and as baseline the same cold load with
 * `Accept-Encoding: identity` (what the page cost before precompression). Then the build's chunks.
 * Goals: ready ≤ 3 s, JavaScript ≤ 400 KB compressed.
 * Run: `npm run build -w web && npx tsx bench/console-load.ts` (RUNS=5; the server runs from its sources).
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type CDPSession } from 'playwright-core';
import { freePort, isMain, machine, median, onCleanup, rootDir, runCleanups, serverDir, spawnNode, tmpDir, tsxCli, waitFor200 } from './lib.js';

const RUNS = Number(process.env.RUNS ?? 5);
const LINK = { latency: 100, throughput: 2_000_000 / 8 }; // 100 ms, 2 Mbit/s in bytes per second
const GOAL_MS = 3000;
const GOAL_JS_KB = 400;
const distAssets = path.join(rootDir, 'web', 'dist', 'assets');

interface Load {
  readyMs: number;
  /** Bytes on the wire (headers and compressed body) of every script, by file name. */
  scripts: Map<string, number>;
}

export interface ConsoleLoadResult {
  cold: Load[];
  warm: Load[];
  identity: Load[];
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const jsBytes = (l: Load) => [...l.scripts.values()].reduce((s, n) => s + n, 0);

/** Counts the bytes of each script response as the network layer received them. */
function watchScripts(cdp: CDPSession): Map<string, number> {
  const scripts = new Map<string, number>();
  const urls = new Map<string, string>();
  cdp.on('Network.responseReceived', (e) => {
    if (e.type === 'Script') urls.set(e.requestId, e.response.url);
  });
  cdp.on('Network.loadingFinished', (e) => {
    const url = urls.get(e.requestId);
    if (url) scripts.set(path.basename(new URL(url).pathname), e.encodedDataLength);
  });
  return scripts;
}

async function openLogin(browser: Browser, baseUrl: string, opts: { cache: 'cold' | 'warm'; identity?: boolean }): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN' });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    if (opts.identity) await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } });
    if (opts.cache === 'warm') {
      // a first visit fills the cache (at full speed); the measured one is the visit after it
      await page.goto(`${baseUrl}/login`);
      await page.locator('[data-testid="login-submit"]').waitFor();
      await page.goto('about:blank');
    } else {
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    }
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: LINK.latency,
      downloadThroughput: LINK.throughput,
      uploadThroughput: LINK.throughput,
    });
    const scripts = watchScripts(cdp);
    const started = performance.now();
    await page.goto(`${baseUrl}/login`, { waitUntil: 'commit' });
    await page.locator('[data-testid="login-submit"]').waitFor({ state: 'visible', timeout: 60_000 });
    const readyMs = performance.now() - started;
    return { readyMs, scripts };
  } finally {
    await context.close();
  }
}

export async function runConsoleLoad(runs = RUNS): Promise<ConsoleLoadResult> {
  const dataDir = mkdtempSync(path.join(tmpDir(), 'kam-console-load-'));
  onCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // no demo data: the sign-in page reads none, and the server is up in seconds
  const server = spawnNode([tsxCli, 'src/main.ts', 'serve'], {
    cwd: serverDir,
    env: { LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, DEMO_PROFILE: 'none' },
  });
  onCleanup(server.stop);
  await waitFor200(`${baseUrl}/api/health`, server);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  onCleanup(() => browser.close());
  // one unmeasured load: the server's first answers (file system, JIT) are not the link's
  await openLogin(browser, baseUrl, { cache: 'cold' });
  const result: ConsoleLoadResult = { cold: [], warm: [], identity: [] };
  for (let i = 0; i < runs; i++) {
    result.cold.push(await openLogin(browser, baseUrl, { cache: 'cold' }));
    result.warm.push(await openLogin(browser, baseUrl, { cache: 'warm' }));
    result.identity.push(await openLogin(browser, baseUrl, { cache: 'cold', identity: true }));
  }
  return result;
}

/** The build's chunks, largest first: raw, gzip and brotli sizes. */
function chunkTable(): string[] {
  const size = (f: string) => {
    try {
      return statSync(path.join(distAssets, f)).size;
    } catch {
      return 0;
    }
  };
  const chunks = readdirSync(distAssets)
    .filter((f) => f.endsWith('.js'))
    .map((f) => ({ f, raw: size(f), gz: size(`${f}.gz`), br: size(`${f}.br`) }))
    .sort((a, b) => b.raw - a.raw);
  const lines = ['| chunk | raw | gzip | brotli |', '| --- | ---: | ---: | ---: |'];
  for (const c of chunks.slice(0, 12)) lines.push(`| ${c.f.replace(/-[\w-]{8}\.js$/, '')} | ${kb(c.raw)} | ${kb(c.gz)} | ${kb(c.br)} |`);
  const rest = chunks.slice(12);
  lines.push(`| ${rest.length} other chunks | ${kb(rest.reduce((s, c) => s + c.raw, 0))} | ${kb(rest.reduce((s, c) => s + c.gz, 0))} | ${kb(rest.reduce((s, c) => s + c.br, 0))} |`);
  lines.push(`| **all ${chunks.length} chunks** | ${kb(chunks.reduce((s, c) => s + c.raw, 0))} | ${kb(chunks.reduce((s, c) => s + c.gz, 0))} | ${kb(chunks.reduce((s, c) => s + c.br, 0))} |`);
  return lines;
}

export function printConsoleLoad(r: ConsoleLoadResult): void {
  const readyCold = median(r.cold.map((l) => l.readyMs));
  const readyWarm = median(r.warm.map((l) => l.readyMs));
  const readyIdentity = median(r.identity.map((l) => l.readyMs));
  const js = jsBytes(r.cold[0]!);
  const jsIdentity = jsBytes(r.identity[0]!);
  console.log(`sign-in page on an emulated link of 2 Mbit/s, 100 ms latency; ${r.cold.length} runs each, medians`);
  console.log(`  cold (no cache):        ready ${Math.round(readyCold)} ms (${r.cold.map((l) => Math.round(l.readyMs)).join(', ')})`);
  console.log(`  from the cache:         ready ${Math.round(readyWarm)} ms (${r.warm.map((l) => Math.round(l.readyMs)).join(', ')}), JavaScript fetched ${kb(jsBytes(r.warm[0]!))}`);
  console.log(`  uncompressed baseline:  ready ${Math.round(readyIdentity)} ms, JavaScript ${kb(jsIdentity)}`);
  console.log(`  JavaScript of the sign-in page: ${kb(js)} in ${r.cold[0]!.scripts.size} files`);
  for (const [file, bytes] of [...r.cold[0]!.scripts].sort((a, b) => b[1] - a[1])) console.log(`    ${file}  ${kb(bytes)}`);
  console.log();
  console.log('| figure | measured | baseline (uncompressed) | ratio | goal | |');
  console.log('| --- | ---: | ---: | ---: | --- | --- |');
  console.log(`| sign-in page ready, cold | ${Math.round(readyCold)} ms | ${Math.round(readyIdentity)} ms | ${(readyCold / readyIdentity).toFixed(2)} | ≤ ${GOAL_MS} ms | ${readyCold <= GOAL_MS ? 'ok' : '**missed**'} |`);
  console.log(`| JavaScript of the sign-in page, on the wire | ${kb(js)} | ${kb(jsIdentity)} | ${(js / jsIdentity).toFixed(2)} | ≤ ${GOAL_JS_KB} KB | ${js <= GOAL_JS_KB * 1024 ? 'ok' : '**missed**'} |`);
  console.log(`| sign-in page ready, from the cache | ${Math.round(readyWarm)} ms | | | | |`);
  console.log();
  for (const line of chunkTable()) console.log(line);
}

if (isMain(import.meta.url)) {
  console.log(`machine: ${machine()}; load average at start ${loadavg().map((n) => n.toFixed(2)).join(' ')}\n`);
  try {
    printConsoleLoad(await runConsoleLoad());
  } catch (err) {
    console.error(`\nbenchmark failed: ${err instanceof Error ? err.message : err}`);
    process.exitCode = 1;
  } finally {
    await runCleanups();
    console.log(`\nload average at end ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
  }
}
