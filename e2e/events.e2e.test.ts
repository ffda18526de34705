import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, type ApiSession } from './support/api';
import { startHarness, type Harness } from './support/harness';
import { byTestId, openFromMenu, signedIn } from './support/ui';

// This file has its own server (fresh data directory), told to give an event up after two quick attempts.
let h: Harness;
let admin: ApiSession;
let listener: http.Server;
let answer = 500;
const received: { eventType: string; event: { customer: { id: string } } }[] = [];
const shots = process.env.E2E_SCREENSHOTS;
const SETTINGS = { EVENT_DELIVERY_MAX_ATTEMPTS: '2', EVENT_RETRY_BASE_MS: '50', EVENT_RETRY_MAX_SECONDS: '1' };

beforeAll(async () => {
  listener = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (answer === 200) received.push(JSON.parse(Buffer.concat(chunks).toString()));
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, SETTINGS);
  try {
    h = await startHarness();
  } finally {
    for (const k of Object.keys(SETTINGS)) delete process.env[k];
  }
  admin = await apiSession(h.baseUrl, 'admin');
});
afterAll(async () => {
  await h?.stop();
  listener?.close();
});

describe('事件订阅', () => {
  it('shows a listener’s dead letter, and resending it from the page delivers it', async () => {
    const port = (listener.address() as AddressInfo).port;
    const hub = await admin.request<{ id: string }>('POST', '/tmf-api/customerManagement/v4/hub', { callback: `http://127.0.0.1:${port}/events` });
    const [customer] = await admin.request<{ id: number }[]>('GET', '/api/customers?limit=1');
    const view = await admin.request<{ version: number }>('GET', `/api/customers/${customer!.id}`);
    await admin.request('PATCH', `/api/customers/${customer!.id}`, { version: view.version, address: '广州市天河区珠江新城' });
    await expect
      .poll(async () => (await admin.request<unknown[]>('GET', `/api/system/events/dead-letters?subscriptionId=${hub.id}`)).length, { timeout: 30_000 })
      .toBe(1);

    const page = await signedIn(h, 'admin');
    await openFromMenu(page, 'system', 'system-events', '**/system/events');
    await expect.poll(() => byTestId(page, `event-sub-dead-${hub.id}`).innerText()).toBe('1');
    const deadTable = byTestId(page, 'events-dead-letters');
    await expect.poll(() => deadTable.innerText()).toContain('客户资料变更');
    expect(await deadTable.innerText()).toContain('HTTP 500');
    if (shots) await page.screenshot({ path: `${shots}/events.png`, fullPage: true });

    answer = 200;
    await deadTable.locator('[data-testid^="event-dead-replay-"]').first().click();
    await expect.poll(() => received.length, { timeout: 30_000 }).toBe(1);
    expect(received[0]).toMatchObject({ eventType: 'CustomerAttributeValueChangeEvent', event: { customer: { id: String(customer!.id) } } });
    await expect.poll(() => byTestId(page, `event-sub-dead-${hub.id}`).innerText(), { timeout: 15_000 }).toBe('0');
  });
});
