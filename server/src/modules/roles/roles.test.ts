import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../db/testing.js';
import { newUserSession } from '../users/testing.js';
import { BUILTIN_ROLES } from './builtin.js';

let sys: TestSystem;
let admin: Session;
beforeAll(async () => {
  sys = await startTestSystem();
  admin = await sys.login('admin');
});
afterAll(() => sys.close());

describe('roles and permissions', () => {
  it('has the built-in roles of the domain, with the administrator holding every permission', async () => {
    const roles = (await admin.request({ method: 'GET', url: '/api/roles' })).json() as { code: string; permissions: string[]; builtin: boolean }[];
    expect(roles.filter((r) => r.builtin).map((r) => r.code).sort()).toEqual(BUILTIN_ROLES.map((r) => r.code).sort());
    const catalogue = (await admin.request({ method: 'GET', url: '/api/permissions' })).json() as { code: string }[];
    expect(roles.find((r) => r.code === 'sysadmin')!.permissions.sort()).toEqual(catalogue.map((p) => p.code).sort());
  });

  it('creates a custom role, edits it at its version and deletes it while unused', async () => {
    const created = await admin.request({ method: 'POST', url: '/api/roles', payload: { code: 'org_viewer', name: '组织查看', permissions: ['org.read'] } });
    expect(created.statusCode).toBe(201);
    const role = created.json();
    const edited = await admin.request({ method: 'PATCH', url: `/api/roles/${role.id}`, payload: { version: role.version, permissions: ['org.read', 'users.read'] } });
    expect(edited.json().permissions).toEqual(['org.read', 'users.read']);
    const stale = await admin.request({ method: 'PATCH', url: `/api/roles/${role.id}`, payload: { version: role.version, name: '旧版本' } });
    expect(stale.statusCode).toBe(409);
    expect((await admin.request({ method: 'DELETE', url: `/api/roles/${role.id}` })).statusCode).toBe(204);
  });

  it('refuses unknown permissions, changes to built-in roles and deleting a role in use', async () => {
    const unknown = await admin.request({ method: 'POST', url: '/api/roles', payload: { code: 'bad', name: '坏', permissions: ['launch.missiles'] } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].field).toBe('body.permissions');
    const roles = (await admin.request({ method: 'GET', url: '/api/roles' })).json() as { id: number; code: string; version: number }[];
    const am = roles.find((r) => r.code === 'account_manager')!;
    const change = await admin.request({ method: 'PATCH', url: `/api/roles/${am.id}`, payload: { version: am.version, permissions: [] } });
    expect(change.statusCode).toBe(409);
    expect((await admin.request({ method: 'DELETE', url: `/api/roles/${am.id}` })).statusCode).toBe(409);
  });

  it('gives a new permission to the holders of a role at once', async () => {
    const role = (await admin.request({ method: 'POST', url: '/api/roles', payload: { code: 'grows', name: '渐进', permissions: [] } })).json();
    const gz = (await admin.request({ method: 'GET', url: '/api/org/units?q=GD-GZ' })).json()[0];
    const s = await newUserSession(sys, admin, { username: 'grower', displayName: '成长', unitId: gz.id, roleIds: [role.id] });
    expect((await s.request({ method: 'GET', url: '/api/org/units' })).json().code).toBe('forbidden');
    await admin.request({ method: 'PATCH', url: `/api/roles/${role.id}`, payload: { version: role.version, permissions: ['org.read'] } });
    expect((await s.request({ method: 'GET', url: '/api/org/units' })).statusCode).toBe(200);
  });
});
