import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, type ApiSession } from './support/api';
import { startHarness, type Harness } from './support/harness';
import { byTestId, signedIn } from './support/ui';

// This file has its own server (fresh data directory): its bookings change no other file's slots.
let h: Harness;
let agent: ApiSession;
const shots = process.env.E2E_SCREENSHOTS;

interface Resource {
  id: number;
  kind: string;
  name: string;
}
interface Slot {
  id: number;
  startsAt: string;
  capacity: number;
  booked: number;
}
interface Customer {
  id: number;
  name: string;
  customerNo: string;
}

const DAY_MS = 86_400_000;
/** A calendar day in 广东, `n` days from today. */
const shanghaiDay = (n: number) => new Date(Date.now() + 8 * 3_600_000 + n * DAY_MS).toISOString().slice(0, 10);

/** A slot of the resource with a free place, from tomorrow on. */
async function freeSlot(resource: Resource): Promise<Slot> {
  const slots = await agent.request<Slot[]>('GET', `/api/appointment-resources/${resource.id}/slots?from=${shanghaiDay(1)}&to=${shanghaiDay(14)}`);
  return slots.find((s) => s.booked < s.capacity)!;
}

beforeAll(async () => {
  h = await startHarness();
  agent = await apiSession(h.baseUrl, 'gz_agent');
});
afterAll(async () => {
  await h?.stop();
});

describe('预约服务', () => {
  it('lets a service agent book a customer in the city’s VIP lounge from the calendar, then cancel it on the customer’s page', async () => {
    const [lounge] = await agent.request<Resource[]>('GET', '/api/appointment-resources?kind=vip_lounge');
    expect(lounge!.name).toBe('广州贵宾厅');
    const slot = await freeSlot(lounge!);
    const [customer] = await agent.request<Customer[]>('GET', '/api/customers?archive=in_network&kind=group&limit=1');
    const page = await signedIn(h, 'gz_agent');
    const menu = byTestId(page, 'menu-services-appointments');
    if (!(await menu.isVisible())) await byTestId(page, 'menu-group-services').click();
    await menu.click();
    await page.waitForURL('**/services/appointments');
    await byTestId(page, 'calendar-grid').waitFor();
    if (shots) await page.screenshot({ path: `${shots}/appointments-week.png`, fullPage: true });

    const day = new Date(Date.parse(slot.startsAt) + 8 * 3_600_000).toISOString().slice(0, 10);
    await page.goto(`/services/appointments?resource=${lounge!.id}&date=${day}&view=day`);
    await byTestId(page, `slot-${slot.id}`).click();
    await expect.poll(() => byTestId(page, 'slot-places').innerText()).toBe(`${slot.booked}/${slot.capacity}`);
    await byTestId(page, 'slot-book').click();
    await byTestId(page, 'booking-form-customer').click();
    await page.keyboard.type(customer!.name);
    await page.locator('.ant-select-item-option', { hasText: customer!.customerNo }).first().click();
    await byTestId(page, 'booking-form-purpose').fill('国际漫游开通咨询');
    await byTestId(page, 'booking-form-submit').click();
    await expect.poll(() => byTestId(page, 'slot-places').innerText()).toBe(`${slot.booked + 1}/${slot.capacity}`);
    await expect.poll(() => byTestId(page, 'slot-bookings').innerText()).toContain(customer!.name);
    if (shots) await page.screenshot({ path: `${shots}/appointments-slot.png`, fullPage: true });

    await page.goto(`/customers/${customer!.id}`);
    await byTestId(page, 'customer-tab-appointments').click();
    const tab = byTestId(page, 'customer-appointments');
    await expect.poll(() => tab.innerText()).toContain('国际漫游开通咨询');
    expect(await tab.innerText()).toContain('已预约');
    if (shots) await page.screenshot({ path: `${shots}/appointments-customer-tab.png`, fullPage: true });
    const mine = await agent.request<{ id: number; slotId: number; status: string }[]>('GET', `/api/customers/${customer!.id}/appointments?limit=100`);
    const booked = mine.find((a) => a.slotId === slot.id && a.status === 'booked')!;
    await byTestId(page, `appointment-cancel-${booked.id}`).click();
    await byTestId(page, 'cancel-form-reason').fill('客户出差');
    await byTestId(page, 'cancel-form-submit').click();
    await expect.poll(() => tab.innerText()).toContain('已取消');
    const after = await agent.request<Slot[]>('GET', `/api/appointment-resources/${lounge!.id}/slots?from=${day}&to=${day}`);
    expect(after.find((s) => s.id === slot.id)!.booked).toBe(slot.booked);
  });

  it('lets a city head lay out a resource’s slots and shows the days in Chinese', async () => {
    const head = await apiSession(h.baseUrl, 'gz_head');
    const resource = await head.request<Resource>('POST', '/api/appointment-resources', { kind: 'outlet', name: '天河营业厅 VIP 窗口', unitId: head.me.unitId });
    const page = await signedIn(h, 'gz_head');
    await page.goto('/services/appointments/resources');
    await byTestId(page, `resource-series-${resource.id}`).waitFor();
    if (shots) await page.screenshot({ path: `${shots}/appointments-resources.png`, fullPage: true });
    await byTestId(page, `resource-series-${resource.id}`).click();
    const range = byTestId(page, 'series-form').locator('.ant-picker-range input');
    await range.first().click();
    await range.first().fill(shanghaiDay(1));
    await range.last().click();
    await range.last().fill(shanghaiDay(7));
    await page.keyboard.press('Enter');
    await byTestId(page, 'series-form-submit').click();
    await page.getByText(/已生成 \d+ 个时段，跳过 0 个/).waitFor();
    const slots = await head.request<Slot[]>('GET', `/api/appointment-resources/${resource.id}/slots?from=${shanghaiDay(1)}&to=${shanghaiDay(7)}`);
    expect(slots.length).toBe(5 * 6);
    const first = new Date(Date.parse(slots[0]!.startsAt) + 8 * 3_600_000).toISOString().slice(0, 10);
    await page.goto(`/services/appointments?resource=${resource.id}&date=${first}`);
    const grid = byTestId(page, 'calendar-grid');
    await expect.poll(() => grid.innerText()).toContain('0/3');
    expect(await grid.innerText()).toContain('周一');
    expect(await page.locator('[data-fullness="free"]').count()).toBeGreaterThan(0);
    if (shots) await page.screenshot({ path: `${shots}/appointments-resource-week.png`, fullPage: true });
  });
});
