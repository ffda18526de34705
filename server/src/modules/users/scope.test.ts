import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../db/testing.js';
import type { OrgUnit } from '../org/schemas.js';
import type { User } from './schemas.js';
import { newUserSession } from './testing.js';

/** A city administrator of 广州 against the data of 深圳: data scope is the unit subtree, in the data layer. */
let sys: TestSystem;
let admin: Session;
let gzAdmin: Session;
let units: OrgUnit[];
let szUser: User;
const unitByCode = (code: string) => units.find((u) => u.code === code)!;

beforeAll(async () => {
  sys = await startTestSystem();
  admin = await sys.login('admin');
  units = (await admin.request({ method: 'GET', url: '/api/org/units' })).json();
  const role = await admin.request({
    method: 'POST',
    url: '/api/roles',
    payload: { code: 'city_admin', name: '地市系统管理员', permissions: ['org.read', 'org.manage', 'users.read', 'users.manage', 'roles.read'] },
  });
  expect(role.statusCode).toBe(201);
  gzAdmin = await newUserSession(sys, admin, { username: 'gz_admin', displayName: '广州管理员', unitId: unitByCode('GD-GZ').id, roleIds: [role.json().id] });
  szUser = (await admin.request({ method: 'GET', url: '/api/users?q=sz_am01' })).json()[0];
});
afterAll(() => sys.close());

describe('data scope by unit subtree', () => {
  it('lists only the units and users of 广州', async () => {
    const myUnits = (await gzAdmin.request({ method: 'GET', url: '/api/org/units' })).json() as OrgUnit[];
    expect(myUnits.length).toBeGreaterThan(1);
    expect(myUnits.every((u) => u.path.startsWith(unitByCode('GD-GZ').path))).toBe(true);
    const myUsers = (await gzAdmin.request({ method: 'GET', url: '/api/users?limit=1000' })).json() as User[];
    expect(myUsers.length).toBeGreaterThan(0);
    expect(myUsers.every((u) => u.unitPath.startsWith(unitByCode('GD-GZ').path))).toBe(true);
    expect(myUsers.some((u) => u.username === 'sz_am01')).toBe(false);
  });

  it('cannot read a unit or a user of 深圳', async () => {
    expect((await gzAdmin.request({ method: 'GET', url: `/api/org/units/${unitByCode('GD-SZ').id}` })).statusCode).toBe(404);
    expect((await gzAdmin.request({ method: 'GET', url: `/api/users/${szUser.id}` })).statusCode).toBe(404);
    expect((await gzAdmin.request({ method: 'GET', url: `/api/users?unitId=${unitByCode('GD-SZ').id}` })).statusCode).toBe(404);
  });

  it('cannot change a unit or a user of 深圳, nor place anything there', async () => {
    const sz = unitByCode('GD-SZ');
    expect((await gzAdmin.request({ method: 'PATCH', url: `/api/org/units/${sz.id}`, payload: { version: sz.version, name: '改名' } })).statusCode).toBe(404);
    expect((await gzAdmin.request({ method: 'PATCH', url: `/api/users/${szUser.id}`, payload: { version: szUser.version, displayName: '改名' } })).statusCode).toBe(404);
    expect((await gzAdmin.request({ method: 'POST', url: `/api/users/${szUser.id}/unlock` })).statusCode).toBe(404);
    const intoSz = await gzAdmin.request({
      method: 'POST',
      url: '/api/users',
      payload: { username: 'sneaky', displayName: '越权', unitId: sz.id, roleIds: [], password: 'Sneaky#2026pw' },
    });
    expect(intoSz.statusCode).toBe(400);
    expect(intoSz.json().errors[0].field).toBe('body.unitId');
    const unitIntoSz = await gzAdmin.request({ method: 'POST', url: '/api/org/units', payload: { code: 'X1', name: '越权', kind: 'county', parentId: sz.id } });
    expect(unitIntoSz.statusCode).toBe(400);
  });

  it('cannot move its own city or grant a role larger than its own', async () => {
    const gz = unitByCode('GD-GZ');
    const move = await gzAdmin.request({ method: 'PATCH', url: `/api/org/units/${gz.id}`, payload: { version: gz.version, parentId: unitByCode('GD-SZ').id } });
    expect(move.statusCode).toBe(403);
    const roles = (await gzAdmin.request({ method: 'GET', url: '/api/roles' })).json() as { id: number; code: string }[];
    const sysadmin = roles.find((r) => r.code === 'sysadmin')!;
    const grab = await gzAdmin.request({
      method: 'POST',
      url: '/api/users',
      payload: { username: 'gz_root', displayName: '提权', unitId: gz.id, roleIds: [sysadmin.id], password: 'Escal#2026pw' },
    });
    expect(grab.statusCode).toBe(403);
    expect(grab.json().code).toBe('permission_escalation');
  });

  it('sees only the audit entries of its own subtree, and the security events of the administrator above it', async () => {
    const auditor = await sys.login('gd_auditor');
    const all = (await auditor.request({ method: 'GET', url: '/api/audit?limit=1000' })).json() as { unitPath: string | null; entity: string; actorUsername: string }[];
    expect(all.length).toBeGreaterThan(0);
    const outside = all.filter((e) => !e.unitPath?.startsWith(unitByCode('GD').path));
    expect(outside.every((e) => ['role', 'session', 'user'].includes(e.entity) && e.actorUsername === 'admin')).toBe(true);
  });
});
