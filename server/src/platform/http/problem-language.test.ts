import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../db/testing.js';

/**
 * A person never reads a code or an English word on the Chinese side: the title of a problem and the
 * message beside each field are worded from the catalogue, names of records and unit kinds included.
 */
let sys: TestSystem;
let admin: Session;

beforeAll(async () => {
  sys = await startTestSystem();
  admin = await sys.login('admin');
});
afterAll(() => sys.close());

const LATIN_WORD = /[A-Za-z]{3,}/;

async function problemOf(opts: Parameters<Session['request']>[0], lang: 'zh-CN' | 'en-US') {
  const res = await admin.request({ ...opts, headers: { 'accept-language': lang } });
  expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, res.body).toBeLessThan(500);
  const body = res.json() as { title: string; errors?: { field: string; message: string }[] };
  return [body.title, ...(body.errors ?? []).map((e) => e.message)];
}

describe('problems in the reader’s language', () => {
  it('words the refusals of the services in Chinese, without codes, and in English when asked', async () => {
    const units = (await admin.request({ method: 'GET', url: '/api/org/units?limit=200' })).json() as { id: number; kind: string; version: number }[];
    const outlet = units.find((u) => u.kind === 'outlet')!;
    const province = units.find((u) => u.kind === 'province')!;
    const me = (await admin.request({ method: 'GET', url: '/api/me' })).json() as { id: number; version: number };
    const customer = (await admin.request({ method: 'GET', url: '/api/customers?limit=1' })).json()[0] as { id: number; version: number };
    const cases: Parameters<Session['request']>[0][] = [
      // a unit kind under the wrong parent: the kinds by name
      { method: 'POST', url: '/api/org/units', payload: { parentId: outlet.id, kind: 'city', code: 'X-CITY', name: '错位的地市' } },
      // an unknown unit named in a field
      { method: 'POST', url: '/api/users', payload: { username: 'lang_probe', displayName: '语言检查', unitId: 987654, roleIds: [], password: 'Lang#Probe2026x' } },
      // oneself deactivated
      { method: 'PATCH', url: `/api/users/${me.id}`, payload: { version: me.version, active: false } },
      // a customer merged with itself, a visit that updates without its version, a missing customer
      { method: 'POST', url: `/api/customers/${customer.id}/merge`, payload: { version: customer.version, duplicateId: customer.id, duplicateVersion: customer.version } },
      { method: 'POST', url: `/api/customers/${customer.id}/visits`, payload: { visitedOn: '2026-11-30', channel: 'phone', summary: '回访', updates: { address: '广州市天河区' } } },
      { method: 'GET', url: '/api/customers/987654321' },
    ];
    expect(province).toBeTruthy();
    for (const c of cases) {
      for (const text of await problemOf(c, 'zh-CN')) expect(text, `${c.method} ${c.url}`).not.toMatch(LATIN_WORD);
      for (const text of await problemOf(c, 'en-US')) expect(text, `${c.method} ${c.url}`).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
