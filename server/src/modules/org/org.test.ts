import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../db/testing.js';
import type { OrgUnit } from './schemas.js';

let sys: TestSystem;
let admin: Session;
const unit = async (code: string): Promise<OrgUnit> =>
  (await admin.request({ method: 'GET', url: `/api/org/units?q=${code}` })).json().find((u: OrgUnit) => u.code === code);

beforeAll(async () => {
  sys = await startTestSystem();
  admin = await sys.login('admin');
});
afterAll(() => sys.close());

describe('organisation (组织结构)', () => {
  it('holds the demo tree HQ → 广东公司 → 21 cities → counties → outlets', async () => {
    const res = await admin.request({ method: 'GET', url: '/api/org/units' });
    const units = res.json() as OrgUnit[];
    expect(units.filter((u) => u.kind === 'city')).toHaveLength(21);
    expect(units.find((u) => u.code === 'GD-GZ')?.name).toBe('广州分公司');
    expect(Number(res.headers['x-total-count'])).toBe(units.length);
    const users = await admin.request({ method: 'GET', url: '/api/users?limit=1' });
    expect(units.reduce((n, u) => n + u.userCount, 0)).toBe(Number(users.headers['x-total-count']));
    expect(units.find((u) => u.code === 'GD-GZ')?.userCount).toBe(4); // the city head and three account managers
    // tree order: every unit comes after its parent
    const seen = new Set<number>();
    for (const u of units) {
      if (u.parentId) expect(seen.has(u.parentId)).toBe(true);
      seen.add(u.id);
    }
  });

  it("lists a service agent's own outlet, and the whole city whose key accounts the agent reads for the customers' filters", async () => {
    const agent = await sys.login('gz_agent');
    const own = (await agent.request({ method: 'GET', url: '/api/org/units' })).json() as OrgUnit[];
    expect(own.map((u) => u.kind)).toEqual(['outlet']);
    const res = await agent.request({ method: 'GET', url: '/api/org/units?scope=customers' });
    expect(res.statusCode, res.body).toBe(200);
    const served = res.json() as OrgUnit[];
    const gz = await unit('GD-GZ');
    expect(served[0]?.id).toBe(gz.id);
    expect(served.every((u) => u.path.startsWith(gz.path))).toBe(true);
    expect(served.some((u) => u.kind === 'county')).toBe(true);
    // a manager reads only their own unit's customers: the same units either way
    const manager = await sys.login('gz_am01');
    const mine = (await manager.request({ method: 'GET', url: '/api/org/units' })).json() as OrgUnit[];
    const theirs = (await manager.request({ method: 'GET', url: '/api/org/units?scope=customers' })).json() as OrgUnit[];
    expect(theirs).toEqual(mine);
    const bad = await agent.request({ method: 'GET', url: '/api/org/units?scope=all' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(['query.scope']);
  });

  it('lists the cities in their official order (广州 first, then 韶关, 深圳 …) and names every unit in English', async () => {
    const units = (await admin.request({ method: 'GET', url: '/api/org/units?limit=1000' })).json() as OrgUnit[];
    const cities = units.filter((u) => u.kind === 'city').map((u) => u.code);
    expect(cities.slice(0, 5)).toEqual(['GD-GZ', 'GD-SG', 'GD-SZ', 'GD-ZH', 'GD-ST']);
    expect(cities.at(-1)).toBe('GD-YF');
    // the counties of a city follow it, in their own order, before the next city
    const gz = units.findIndex((u) => u.code === 'GD-GZ');
    expect(units.slice(gz + 1, gz + 3).map((u) => u.code)).toEqual(['GD-GZ-01', 'GD-GZ-01-Y1']);
    expect(units.filter((u) => !u.nameEn).map((u) => u.code)).toEqual([]);
    expect(units.find((u) => u.code === 'GD-GZ-04')?.nameEn).toBe('Tianhe District Branch');
  });

  it('creates a unit under a parent of a higher kind and refuses a wrong nesting', async () => {
    const tianhe = await unit('GD-GZ-04');
    const ok = await admin.request({ method: 'POST', url: '/api/org/units', payload: { code: 'GD-GZ-04-Y9', name: '天河体育中心营业厅', kind: 'outlet', parentId: tianhe.id } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().path).toBe(`${tianhe.path}${ok.json().id}/`);
    const wrong = await admin.request({ method: 'POST', url: '/api/org/units', payload: { code: 'BAD', name: '错误', kind: 'city', parentId: tianhe.id } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0]).toMatchObject({ field: 'body.parentId', code: 'unit_kind_order' });
    const dup = await admin.request({ method: 'POST', url: '/api/org/units', payload: { code: 'GD-GZ-04-Y9', name: '重复', kind: 'outlet', parentId: tianhe.id } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0].field).toBe('body.code');
  });

  it('moves a county with its outlets to another city and rewrites the whole subtree', async () => {
    const county = await unit('GD-FS-05');
    const outlet = await unit('GD-FS-05-Y1');
    const target = await unit('GD-ZQ');
    const res = await admin.request({ method: 'PATCH', url: `/api/org/units/${county.id}`, payload: { version: county.version, parentId: target.id } });
    expect(res.statusCode).toBe(200);
    expect(res.json().path).toBe(`${target.path}${county.id}/`);
    expect((await unit('GD-FS-05-Y1')).path).toBe(`${target.path}${county.id}/${outlet.id}/`);
  });

  it('refuses to move a unit under its own descendant', async () => {
    const city = await unit('GD-SW');
    const child = await unit('GD-SW-01');
    const res = await admin.request({ method: 'PATCH', url: `/api/org/units/${city.id}`, payload: { version: city.version, parentId: child.id } });
    expect(res.statusCode).toBe(400);
  });

  it('deactivates only a unit without active sub-units, and deletes only an empty one', async () => {
    const county = await unit('GD-YF-02');
    const refused = await admin.request({ method: 'PATCH', url: `/api/org/units/${county.id}`, payload: { version: county.version, active: false } });
    expect(refused.statusCode).toBe(400);
    const outlet = await unit('GD-YF-02-Y1');
    const off = await admin.request({ method: 'PATCH', url: `/api/org/units/${outlet.id}`, payload: { version: outlet.version, active: false } });
    expect(off.statusCode).toBe(200);
    expect(off.json().active).toBe(false);
    const cityWithUsers = await unit('GD-YF');
    expect((await admin.request({ method: 'DELETE', url: `/api/org/units/${cityWithUsers.id}` })).statusCode).toBe(409);
    const del = await admin.request({ method: 'DELETE', url: `/api/org/units/${outlet.id}` });
    expect(del.statusCode, del.body).toBe(204);
    expect((await admin.request({ method: 'GET', url: `/api/org/units/${outlet.id}` })).statusCode).toBe(404);
  });

  it('lets exactly one of two concurrent edits at the same version win; the other gets 409', async () => {
    const u = await unit('GD-JM-01');
    const [a, b] = await Promise.all([
      admin.request({ method: 'PATCH', url: `/api/org/units/${u.id}`, payload: { version: u.version, name: '蓬江区分公司（甲）' } }),
      admin.request({ method: 'PATCH', url: `/api/org/units/${u.id}`, payload: { version: u.version, name: '蓬江区分公司（乙）' } }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json().code).toBe('version_conflict');
  });

  it('accepts merge-patch bodies', async () => {
    const u = await unit('GD-JM-02');
    const res = await admin.request({
      method: 'PATCH',
      url: `/api/org/units/${u.id}`,
      headers: { 'content-type': 'application/merge-patch+json' },
      payload: JSON.stringify({ version: u.version, nameEn: 'Jianghai' }),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().nameEn).toBe('Jianghai');
  });

  it('records every change in the audit trail with a before/after diff', async () => {
    const u = await unit('GD-JM-03');
    const res = await admin.request({ method: 'PATCH', url: `/api/org/units/${u.id}`, payload: { version: u.version, name: '新会区分公司（改）' } });
    const requestId = res.headers['x-request-id'];
    const trail = (await admin.request({ method: 'GET', url: `/api/audit?entity=org_unit&entityId=${u.id}` })).json();
    expect(trail[0]).toMatchObject({ action: 'update', actorUsername: 'admin', requestId, diff: { name: [u.name, '新会区分公司（改）'] } });
  });

  it('matches search text literally, with % and _ as plain characters', async () => {
    const res = await admin.request({ method: 'GET', url: `/api/org/units?q=${encodeURIComponent('%')}` });
    expect(res.json()).toEqual([]);
    const under = await admin.request({ method: 'GET', url: `/api/org/units?q=${encodeURIComponent('GD_GZ')}` });
    expect(under.json()).toEqual([]);
  });
});
