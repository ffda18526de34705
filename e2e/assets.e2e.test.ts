import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CDPSession, Page } from 'playwright-core';
import { DEMO_PASSWORD, startHarness, type Harness } from './support/harness';
import { byTestId, signIn, waitForShell } from './support/ui';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

interface Script {
  url: string;
  file: string;
  status: number;
  headers: Record<string, string>;
  /** Bytes on the wire: headers and the (compressed) body. */
  wire: number;
  /** Served by the browser's cache, no request to the server. */
  cached: boolean;
}

/** Records every script the page loads, as the network layer saw it (CDP), until `stop`. */
async function recordScripts(page: Page): Promise<{ scripts: Map<string, Script>; cdp: CDPSession }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const scripts = new Map<string, Script>();
  const cachedIds = new Set<string>();
  cdp.on('Network.requestServedFromCache', (e) => cachedIds.add(e.requestId));
  cdp.on('Network.responseReceived', (e) => {
    if (e.type !== 'Script') return;
    const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    const file = new URL(e.response.url).pathname.split('/').pop()!;
    const cached = cachedIds.has(e.requestId) || !!e.response.fromDiskCache;
    scripts.set(e.requestId, { url: e.response.url, file, status: e.response.status, headers, wire: 0, cached });
  });
  cdp.on('Network.loadingFinished', (e) => {
    const s = scripts.get(e.requestId);
    if (s) s.wire = e.encodedDataLength;
  });
  return { scripts, cdp };
}

const chunk = (s: Script) => s.file.replace(/-[\w-]{8}\.js$/, '');

describe('the console’s assets', () => {
  it('the sign-in page loads only its own split, precompressed, immutable chunks; index.html is asked again each time', async () => {
    const page = await h.newPage();
    const { scripts } = await recordScripts(page);
    const html = await page.goto('/login');
    expect(html?.headers()['cache-control']).toBe('no-cache');
    await byTestId(page, 'login-submit').waitFor();
    await page.waitForLoadState('networkidle');

    const loaded = [...scripts.values()];
    expect(loaded.length).toBeGreaterThan(1);
    for (const s of loaded) {
      expect(s.url, s.file).toContain('/assets/');
      expect(s.headers['content-encoding'], s.file).toBe('br');
      expect(s.headers['cache-control'], s.file).toBe('public, max-age=31536000, immutable');
      expect(s.headers.vary, s.file).toMatch(/accept-encoding/i);
    }
    // split: none of the console's pages, its frame, its libraries or ECharts before sign-in
    const names = loaded.map(chunk);
    for (const later of ['Shell', 'HomePage', 'console', 'echarts', 'CustomerListPage', 'RulesPage', 'ImportPage', 'RuleEditor']) expect(names).not.toContain(later);
    // the goal of issue 11: at most 400 KB of JavaScript on the wire for the sign-in page
    const wire = loaded.reduce((sum, s) => sum + s.wire, 0);
    expect(wire).toBeLessThanOrEqual(400 * 1024);

    // a client without brotli gets gzip, one without compression the file as it is
    const first = loaded[0]!.url;
    const gz = await fetch(first, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    const plain = await fetch(first, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(Number(plain.headers.get('content-length'))).toBeGreaterThan(Number(gz.headers.get('content-length')));
    // a client-side route answers the same index.html, never cached
    const route = await fetch(`${h.baseUrl}/customers/in-network`);
    expect(route.headers.get('cache-control')).toBe('no-cache');
    expect(await route.text()).toContain('<div id="root">');
  });

  it('the console’s chunks follow the sign-in, ECharts only with a chart; a second visit takes every script from the cache', async () => {
    const page = await h.newPage();
    const { scripts } = await recordScripts(page);
    await signIn(page, 'gd_auditor', DEMO_PASSWORD);
    await waitForShell(page);
    await byTestId(page, 'home-tasks').waitFor();
    await page.waitForLoadState('networkidle');
    const names = [...scripts.values()].map(chunk);
    expect(names).toEqual(expect.arrayContaining(['Shell', 'console', 'HomePage']));
    // the auditor's home has no chart: the charting library stays on the server
    expect(names).not.toContain('echarts');

    // the same browser again: the hashed chunks come from its cache without asking the server
    const again = await page.context().newPage();
    const second = await recordScripts(again);
    await again.goto('/');
    await byTestId(again, 'home-tasks').waitFor();
    await again.waitForLoadState('networkidle');
    const reloaded = [...second.scripts.values()];
    expect(reloaded.length).toBeGreaterThan(2);
    expect(reloaded.filter((s) => !s.cached).map((s) => s.file)).toEqual([]);
  });

  it('ECharts arrives with the first chart (a head’s home page)', async () => {
    const page = await h.newPage();
    const { scripts } = await recordScripts(page);
    await signIn(page, 'gz_head', DEMO_PASSWORD);
    await waitForShell(page);
    await byTestId(page, 'home-customers-chart').waitFor();
    expect([...scripts.values()].map(chunk)).toContain('echarts');
  });
});
