import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, type ApiSession } from './support/api';
import { startHarness, type Harness } from './support/harness';
import { byTestId, openFromMenu, signedIn } from './support/ui';

// This file has its own server (fresh data directory): its customer and requests are seen by no other file.
let h: Harness;
let admin: ApiSession;
let customerId: number;
let requestId: number;
const PHONE = '13822223333';
const shots = process.env.E2E_SCREENSHOTS;

beforeAll(async () => {
  h = await startHarness();
  admin = await apiSession(h.baseUrl, 'admin');
  const units = await admin.request<{ id: number; code: string }[]>('GET', '/api/org/units');
  const managers = await admin.request<{ id: number; username: string }[]>('GET', '/api/users?q=gz_am01');
  const created = await admin.request<{ customer: { id: number } }>('POST', '/api/customers', {
    customerNo: 'E2E-SR-001',
    kind: 'group',
    name: '广州市天河区工单演示有限公司',
    unitId: units.find((u) => u.code === 'GD-GZ-01')!.id,
    managerId: managers.find((m) => m.username === 'gz_am01')!.id,
    contactPhone: PHONE,
  });
  customerId = created.customer.id;
});
afterAll(async () => {
  await h?.stop();
});

describe('服务工单', () => {
  it('(a) an agent finds the customer by phone, sees the level and benefits, raises a fault and works it to closed', async () => {
    const page = await signedIn(h, 'gz_agent');
    await openFromMenu(page, 'services', 'services-desk', '**/services/desk');
    await byTestId(page, 'desk-search').fill(PHONE);
    await byTestId(page, 'desk-search').press('Enter');
    await byTestId(page, `desk-customer-${customerId}`).click();
    await byTestId(page, 'desk-benefits').waitFor();
    await byTestId(page, 'desk-type').click();
    await page.locator('.ant-select-item-option', { hasText: '故障' }).first().click();
    await byTestId(page, 'desk-title').fill('专线中断');
    await byTestId(page, 'desk-description').fill('客户反映 10:00 起专线中断');
    if (shots) await page.screenshot({ path: `${shots}/request-desk.png`, fullPage: true });
    await byTestId(page, 'desk-submit').click();
    await page.waitForURL('**/services/requests/*');
    requestId = Number(page.url().split('/').pop());
    await expect.poll(() => byTestId(page, `request-status-${requestId}`).innerText()).toBe('新建');
    expect(await byTestId(page, `request-sla-${requestId}`).innerText()).toMatch(/剩余/);

    await byTestId(page, 'request-move-accepted').click();
    await expect.poll(() => byTestId(page, `request-status-${requestId}`).innerText()).toBe('已受理');
    await byTestId(page, 'request-note-kind').getByText('答复客户').click();
    await byTestId(page, 'request-note-body').fill('您好，工程师已出发');
    await byTestId(page, 'request-note-add').click();
    await expect.poll(() => byTestId(page, 'request-timeline').innerText()).toContain('您好，工程师已出发');

    await byTestId(page, 'request-move-resolved').click();
    await byTestId(page, 'request-move-note').fill('光缆已熔接，专线恢复');
    await byTestId(page, 'request-move-form-submit').click();
    await expect.poll(() => byTestId(page, `request-status-${requestId}`).innerText()).toBe('已解决');
    await byTestId(page, 'request-move-closed').click();
    await expect.poll(() => byTestId(page, `request-status-${requestId}`).innerText()).toBe('已关闭');

    // the customer rated the service 2 on the phone: the request goes back to work
    await byTestId(page, 'request-survey').waitFor();
    await byTestId(page, 'request-survey-rate').locator('.ant-rate-star').nth(1).click();
    await byTestId(page, 'request-survey-save').click();
    await expect.poll(() => byTestId(page, `request-status-${requestId}`).innerText()).toBe('处理中');
    expect(await byTestId(page, 'request-timeline').innerText()).toContain('重新打开');
    if (shots) await page.screenshot({ path: `${shots}/request.png`, fullPage: true });
  });

  it('(b) the city head is told, opens the request from the bell, and sees it on the board and on the customer’s page', async () => {
    const page = await signedIn(h, 'gz_head');
    await byTestId(page, 'notification-bell').click();
    const message = byTestId(page, 'notifications').locator('[data-testid^="notification-"]', { hasText: '重新打开' }).first();
    await message.click();
    await page.waitForURL(`**/services/requests/${requestId}`);
    await expect.poll(() => byTestId(page, 'request-no').innerText()).toMatch(/^SR/);
    await expect.poll(() => byTestId(page, 'notifications').isVisible()).toBe(false);

    await openFromMenu(page, 'services', 'services-board', '**/services/board');
    await expect.poll(async () => Number(await byTestId(page, 'board-total').locator('.ant-statistic-content-value').innerText())).toBeGreaterThan(0);
    if (shots) await page.screenshot({ path: `${shots}/sla-board.png`, fullPage: true });

    await page.goto(`/customers/${customerId}`);
    await byTestId(page, 'customer-tab-requests').click();
    await expect.poll(() => byTestId(page, 'customer-requests').innerText()).toContain('专线中断');
  });

  it('(c) the request list opens on the unit’s open requests, with names, not codes', async () => {
    const page = await signedIn(h, 'gz_head');
    await openFromMenu(page, 'services', 'services-requests', '**/services/requests');
    await byTestId(page, `request-link-${requestId}`).waitFor();
    const text = await byTestId(page, 'requests-table').innerText();
    expect(text).toContain('故障');
    expect(text).not.toMatch(/\b(fault|in_progress|outlet)\b/);
  });
});
