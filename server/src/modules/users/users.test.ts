import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../db/testing.js';
import type { OrgUnit } from '../org/schemas.js';
import type { Role } from '../roles/schemas.js';
import type { User } from './schemas.js';

let sys: TestSystem;
let admin: Session;
let roles: Role[];
const roleId = (code: string) => roles.find((r) => r.code === code)!.id;
const unitId = async (code: string) =>
  ((await admin.request({ method: 'GET', url: `/api/org/units?q=${code}` })).json() as OrgUnit[]).find((u) => u.code === code)!.id;
const userByName = async (s: Session, username: string) =>
  ((await s.request({ method: 'GET', url: `/api/users?q=${username}` })).json() as User[]).find((u) => u.username === username);

beforeAll(async () => {
  sys = await startTestSystem();
  admin = await sys.login('admin');
  roles = (await admin.request({ method: 'GET', url: '/api/roles' })).json();
});
afterAll(() => sys.close());

describe('users', () => {
  it('creates a user who must change the password at first sign-in', async () => {
    const res = await admin.request({
      method: 'POST',
      url: '/api/users',
      payload: { username: 'gz_am99', displayName: '李明', unitId: await unitId('GD-GZ'), roleIds: [roleId('account_manager')], password: 'Harbour#Lantern42', phone: '13800138000' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ username: 'gz_am99', mustChangePassword: true, roleCodes: ['account_manager'] });
    const s = await sys.login('gz_am99', 'Harbour#Lantern42');
    const me = (await s.request({ method: 'GET', url: '/api/me' })).json();
    expect(me.mustChangePassword).toBe(true);
    const changed = await s.request({ method: 'POST', url: '/api/me/password', payload: { currentPassword: 'Harbour#Lantern42', newPassword: 'Better#Pass2026' } });
    expect(changed.statusCode).toBe(204);
    expect((await s.request({ method: 'GET', url: '/api/me' })).json().mustChangePassword).toBe(false);
  });

  it('masks phone numbers in lists and shows them in the audited detail', async () => {
    const listed = await userByName(admin, 'gz_am99');
    expect(listed!.phone).toBe('138****8000');
    const detail = (await admin.request({ method: 'GET', url: `/api/users/${listed!.id}` })).json();
    expect(detail.phone).toBe('13800138000');
    const trail = (await admin.request({ method: 'GET', url: `/api/audit?entity=user&entityId=${listed!.id}&action=read` })).json();
    expect(trail.length).toBeGreaterThan(0);
  });

  it('refuses a duplicate user name whatever its case', async () => {
    const res = await admin.request({
      method: 'POST',
      url: '/api/users',
      payload: { username: 'GZ_AM99', displayName: '重复', unitId: await unitId('GD-GZ'), roleIds: [], password: 'Harbour#Lantern42' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors[0].field).toBe('body.username');
  });

  it('enforces the password policy with field errors', async () => {
    const res = await admin.request({
      method: 'POST',
      url: '/api/users',
      payload: { username: 'weakling', displayName: '弱', unitId: await unitId('GD-GZ'), roleIds: [], password: 'abc' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { code: string }) => e.code)).toEqual(['password_too_short', 'password_classes']);
  });

  it('signs a deactivated user out at once and refuses their sign-in', async () => {
    // (a service agent: an account manager who still holds customers is not deactivated, managers/profiles)
    const s = await sys.login('zh_agent');
    const u = await userByName(admin, 'zh_agent');
    const res = await admin.request({ method: 'PATCH', url: `/api/users/${u!.id}`, payload: { version: u!.version, active: false } });
    expect(res.statusCode).toBe(200);
    expect((await s.request({ method: 'GET', url: '/api/me' })).statusCode).toBe(401);
    const again = await sys.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'zh_agent', password: 'Demo@2026!' } });
    expect(again.statusCode).toBe(401);
  });

  it('does not let administrators deactivate themselves', async () => {
    const me = (await admin.request({ method: 'GET', url: '/api/me' })).json();
    const res = await admin.request({ method: 'PATCH', url: `/api/users/${me.id}`, payload: { version: me.version, active: false } });
    expect(res.statusCode).toBe(400);
  });

  it('resets a password: the user is signed out and must change it', async () => {
    const s = await sys.login('st_am01');
    const u = await userByName(admin, 'st_am01');
    const res = await admin.request({ method: 'POST', url: `/api/users/${u!.id}/password`, payload: { newPassword: 'Reset#Pass2026' } });
    expect(res.statusCode).toBe(204);
    expect((await s.request({ method: 'GET', url: '/api/me' })).statusCode).toBe(401);
    const fresh = await sys.login('st_am01', 'Reset#Pass2026');
    expect((await fresh.request({ method: 'GET', url: '/api/me' })).json().mustChangePassword).toBe(true);
  });

  it('refuses breached and common passwords on every password set, the demo password included', async () => {
    const create = await admin.request({
      method: 'POST',
      url: '/api/users',
      payload: { username: 'gz_common', displayName: '常见', unitId: await unitId('GD-GZ'), roleIds: [], password: 'Demo@2026!' },
    });
    expect(create.statusCode).toBe(400);
    expect(create.json().errors).toContainEqual(expect.objectContaining({ field: 'body.password', code: 'password_common' }));
    const target = await userByName(admin, 'st_am02');
    const reset = await admin.request({ method: 'POST', url: `/api/users/${target!.id}/password`, payload: { newPassword: 'Password#2026' } });
    expect(reset.statusCode).toBe(400);
    expect(reset.json().errors).toContainEqual(expect.objectContaining({ field: 'body.newPassword', code: 'password_common' }));
    const s = await sys.login('st_am03');
    const own = await s.request({ method: 'POST', url: '/api/me/password', payload: { currentPassword: 'Demo@2026!', newPassword: 'QWERTYuiop#2026' } });
    expect(own.statusCode).toBe(400);
    expect(own.json().errors).toContainEqual(expect.objectContaining({ field: 'body.newPassword', code: 'password_common' }));
  });

  it('signs a user out everywhere on an administrator’s request, audited', async () => {
    const [a, b] = [await sys.login('mm_am01'), await sys.login('mm_am01')];
    const u = await userByName(admin, 'mm_am01');
    const res = await admin.request({ method: 'DELETE', url: `/api/users/${u!.id}/sessions` });
    expect(res.statusCode).toBe(200);
    expect(res.json().endedSessions).toBeGreaterThanOrEqual(2);
    expect((await a.request({ method: 'GET', url: '/api/me' })).statusCode).toBe(401);
    expect((await b.request({ method: 'GET', url: '/api/me' })).statusCode).toBe(401);
    const trail = (await admin.request({ method: 'GET', url: `/api/audit?entity=user&entityId=${u!.id}&action=logout` })).json();
    expect(trail[0]).toMatchObject({ actorUsername: 'admin', after: { endedSessions: res.json().endedSessions } });
    // the user can sign in again: ending sessions is not a lock
    expect((await sys.login('mm_am01')).cookie).toContain('kam_sid=');
  });

  it('refuses a wrong current password when changing one’s own', async () => {
    const s = await sys.login('gd_analyst');
    const res = await s.request({ method: 'POST', url: '/api/me/password', payload: { currentPassword: 'nope', newPassword: 'Another#Pass2026' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('body.currentPassword');
  });

  it('changes one’s own language at the version read', async () => {
    const s = await sys.login('gd_head');
    const me = (await s.request({ method: 'GET', url: '/api/me' })).json();
    const res = await s.request({ method: 'PATCH', url: '/api/me', payload: { version: me.version, locale: 'en-US' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().locale).toBe('en-US');
    const stale = await s.request({ method: 'PATCH', url: '/api/me', payload: { version: me.version, locale: 'zh-CN' } });
    expect(stale.statusCode).toBe(409);
  });
});
