import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../db/testing.js';
import type { OrgUnit } from '../org/schemas.js';
import type { User } from '../users/schemas.js';
import { newUserSession } from '../users/testing.js';
import type { Role } from './schemas.js';

/**
 * 角色归属: built-in roles are global and change only at the organisation's root; a custom role belongs
 * to the unit that made it and is seen in that unit's subtree (and by those who have the unit in scope).
 */
let sys: TestSystem;
let admin: Session;
let gzRoles: Session;
let units: OrgUnit[];
const unit = (code: string) => units.find((u) => u.code === code)!;
let szRole: Role;
let rootRole: Role;

const rolesOf = async (s: Session) => (await s.request({ method: 'GET', url: '/api/roles' })).json() as Role[];
const createRole = async (s: Session, payload: object) => {
  const res = await s.request({ method: 'POST', url: '/api/roles', payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Role;
};

beforeAll(async () => {
  sys = await startTestSystem();
  admin = await sys.login('admin');
  units = (await admin.request({ method: 'GET', url: '/api/org/units' })).json();
  const manager = await createRole(admin, {
    code: 'gz_role_manager',
    name: '广州角色管理',
    unitId: unit('GD-GZ').id,
    permissions: ['org.read', 'roles.read', 'roles.manage', 'users.read', 'users.manage', 'customers.read'],
  });
  gzRoles = await newUserSession(sys, admin, { username: 'gz_roles', displayName: '角色管理员', unitId: unit('GD-GZ').id, roleIds: [manager.id] });
  szRole = await createRole(admin, { code: 'sz_special', name: '深圳专用', unitId: unit('GD-SZ').id, permissions: ['org.read'] });
  rootRole = await createRole(admin, { code: 'group_viewer', name: '集团查看', permissions: ['org.read'] });
});
afterAll(() => sys.close());

describe('built-in roles', () => {
  it('cannot be renamed by a city’s holder of roles.manage', async () => {
    const builtin = (await rolesOf(gzRoles)).find((r) => r.builtin)!;
    const res = await gzRoles.request({ method: 'PATCH', url: `/api/roles/${builtin.id}`, payload: { version: builtin.version, name: '被改名' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('role_builtin_root_only');
    expect((await gzRoles.request({ method: 'DELETE', url: `/api/roles/${builtin.id}` })).json().code).toBe('role_builtin_root_only');
    const after = (await rolesOf(admin)).find((r) => r.id === builtin.id)!;
    expect(after).toMatchObject({ name: builtin.name, version: builtin.version });
  });

  it('are renamed by the administrator at the organisation’s root, whose permission sets still follow the code', async () => {
    const analyst = (await rolesOf(admin)).find((r) => r.code === 'analyst')!;
    const renamed = await admin.request({ method: 'PATCH', url: `/api/roles/${analyst.id}`, payload: { version: analyst.version, name: '数据分析员' } });
    expect(renamed.statusCode).toBe(200);
    const perms = await admin.request({ method: 'PATCH', url: `/api/roles/${analyst.id}`, payload: { version: renamed.json().version, permissions: [] } });
    expect(perms.statusCode).toBe(409);
  });
});

describe('custom roles', () => {
  it('a city sees the built-in roles, its own, and those of the units above it, not another city’s', async () => {
    const mine = await createRole(gzRoles, { code: 'gz_viewer', name: '广州查看', permissions: ['org.read'] });
    expect(mine).toMatchObject({ unitId: unit('GD-GZ').id, unitPath: unit('GD-GZ').path, builtin: false });
    const seen = (await rolesOf(gzRoles)).map((r) => r.code);
    expect(seen).toEqual(expect.arrayContaining(['sysadmin', 'analyst', 'gz_role_manager', 'gz_viewer', 'group_viewer']));
    expect(seen).not.toContain('sz_special');
    expect((await gzRoles.request({ method: 'GET', url: `/api/roles/${szRole.id}` })).statusCode).toBe(404);
    // the root sees every role; 深圳 does not see 广州's
    expect((await rolesOf(admin)).map((r) => r.code)).toEqual(expect.arrayContaining(['gz_viewer', 'sz_special']));
    expect((await rolesOf(await sys.login('sz_head'))).map((r) => r.code)).not.toContain('gz_viewer');
  });

  it('are changed and deleted only with their owner unit in scope', async () => {
    const mine = (await rolesOf(gzRoles)).find((r) => r.code === 'gz_viewer')!;
    const edited = await gzRoles.request({ method: 'PATCH', url: `/api/roles/${mine.id}`, payload: { version: mine.version, name: '广州只读' } });
    expect(edited.statusCode).toBe(200);
    const above = await gzRoles.request({ method: 'PATCH', url: `/api/roles/${rootRole.id}`, payload: { version: rootRole.version, name: '改名' } });
    expect(above.statusCode).toBe(403);
    expect(above.json().code).toBe('role_owned_elsewhere');
    expect((await gzRoles.request({ method: 'PATCH', url: `/api/roles/${szRole.id}`, payload: { version: szRole.version, name: '改名' } })).statusCode).toBe(404);
    expect((await gzRoles.request({ method: 'DELETE', url: `/api/roles/${rootRole.id}` })).statusCode).toBe(403);
    expect((await gzRoles.request({ method: 'DELETE', url: `/api/roles/${mine.id}` })).statusCode).toBe(204);
  });

  it('cannot be made for a unit out of scope', async () => {
    const res = await gzRoles.request({ method: 'POST', url: '/api/roles', payload: { code: 'into_sz', name: '越权', unitId: unit('GD-SZ').id, permissions: [] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('body.unitId');
  });

  it('are assigned only where they are visible and available', async () => {
    const gz = unit('GD-GZ').id;
    const hidden = await gzRoles.request({
      method: 'POST',
      url: '/api/users',
      payload: { username: 'gz_hidden', displayName: '看不见', unitId: gz, roleIds: [szRole.id], password: 'Initial#Lantern42' },
    });
    expect(hidden.statusCode).toBe(400);
    expect(hidden.json().errors[0]).toMatchObject({ field: 'body.roleIds', code: 'not_found' });
    // even the root cannot give 深圳's role to a user of 广州, nor move its holder out of 深圳
    const elsewhere = await admin.request({
      method: 'POST',
      url: '/api/users',
      payload: { username: 'gz_elsewhere', displayName: '别处', unitId: gz, roleIds: [szRole.id], password: 'Initial#Lantern42' },
    });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().errors[0]).toMatchObject({ field: 'body.roleIds', code: 'role_not_available' });
    const holder = await admin.request({
      method: 'POST',
      url: '/api/users',
      payload: { username: 'sz_holder', displayName: '持有人', unitId: unit('GD-SZ').id, roleIds: [szRole.id], password: 'Initial#Lantern42' },
    });
    expect(holder.statusCode).toBe(201);
    const user = holder.json() as User;
    const move = await admin.request({ method: 'PATCH', url: `/api/users/${user.id}`, payload: { version: user.version, unitId: gz } });
    expect(move.statusCode).toBe(400);
    expect(move.json().errors[0].code).toBe('role_not_available');
    // the roles of the units above are available below
    const ok = await gzRoles.request({
      method: 'POST',
      url: '/api/users',
      payload: { username: 'gz_inherits', displayName: '继承', unitId: gz, roleIds: [rootRole.id], password: 'Initial#Lantern42' },
    });
    expect(ok.statusCode).toBe(201);
  });
});
