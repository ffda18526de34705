import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../db/testing.js';
import { OPEN_BEFORE_PASSWORD_CHANGE } from '../http/access.js';

/**
 * A user created by an administrator, or whose password was reset, uses the API only to change the
 * password (or to see who they are, or to sign out) until they do: the server enforces it, not the console.
 */
let sys: TestSystem;
let admin: Session;
let gzId: number;
let sysadminRole: number;

const concrete = (url: string) => url.replace(/:(\w+)/g, '1');
const withBody = (method: string) => method !== 'GET' && method !== 'DELETE';

async function createUser(username: string, password: string) {
  const res = await admin.request({
    method: 'POST',
    url: '/api/users',
    // every permission there is: the refusal must not depend on what the user may do
    payload: { username, displayName: '新用户', unitId: gzId, roleIds: [sysadminRole], password },
  });
  expect(res.statusCode).toBe(201);
  return res.json().id as number;
}

beforeAll(async () => {
  sys = await startTestSystem();
  admin = await sys.login('admin');
  gzId = (await admin.request({ method: 'GET', url: '/api/org/units?q=GD-GZ' })).json()[0].id;
  sysadminRole = (await admin.request({ method: 'GET', url: '/api/roles' })).json().find((r: { code: string }) => r.code === 'sysadmin').id;
});
afterAll(() => sys.close());

describe('a password the user must change', () => {
  it('serves only sign-out, GET /api/me and the change, which are all routes of the catalogue', () => {
    const routes = new Set(sys.app.accessCatalogue.map((r) => `${r.method} ${r.url}`));
    expect([...OPEN_BEFORE_PASSWORD_CHANGE].filter((r) => !routes.has(r))).toEqual([]);
  });

  it('answers every other route of the catalogue 403 password_change_required', async () => {
    await createUser('first_day', 'Initial#Lantern42');
    const s = await sys.login('first_day', 'Initial#Lantern42');
    const failures: string[] = [];
    // the partner API takes no session at all (a partner's key), so no user's password is asked there
    for (const r of sys.app.accessCatalogue.filter((x) => x.access !== 'public' && x.access !== 'partner' && x.access !== 'machine' && !OPEN_BEFORE_PASSWORD_CHANGE.has(`${x.method} ${x.url}`))) {
      const res = await s.request({ method: r.method as 'GET', url: concrete(r.url), payload: withBody(r.method) ? {} : undefined });
      if (res.statusCode !== 403 || res.json().code !== 'password_change_required') failures.push(`${r.method} ${r.url} → ${res.statusCode}`);
    }
    expect(failures).toEqual([]);
    const me = await s.request({ method: 'GET', url: '/api/me' });
    expect(me.statusCode).toBe(200);
    expect(me.json().mustChangePassword).toBe(true);
  });

  it('opens the API once the password is changed, in the same session', async () => {
    const s = await sys.login('first_day', 'Initial#Lantern42');
    expect((await s.request({ method: 'GET', url: '/api/users' })).json().code).toBe('password_change_required');
    const bad = await s.request({ method: 'POST', url: '/api/me/password', payload: { currentPassword: 'Initial#Lantern42', newPassword: 'short' } });
    expect(bad.statusCode).toBe(400);
    const changed = await s.request({ method: 'POST', url: '/api/me/password', payload: { currentPassword: 'Initial#Lantern42', newPassword: 'Own#Lantern2026' } });
    expect(changed.statusCode).toBe(204);
    expect((await s.request({ method: 'GET', url: '/api/users' })).statusCode).toBe(200);
  });

  it('applies again after an administrator resets the password, and lets the user sign out', async () => {
    const id = await createUser('reset_me', 'Initial#Lantern42');
    const s = await sys.login('reset_me', 'Initial#Lantern42');
    await s.request({ method: 'POST', url: '/api/me/password', payload: { currentPassword: 'Initial#Lantern42', newPassword: 'Own#Lantern2026' } });
    expect((await s.request({ method: 'GET', url: '/api/users' })).statusCode).toBe(200);
    expect((await admin.request({ method: 'POST', url: `/api/users/${id}/password`, payload: { newPassword: 'Given#Lantern2026' } })).statusCode).toBe(204);
    const again = await sys.login('reset_me', 'Given#Lantern2026');
    const refused = await again.request({ method: 'GET', url: '/api/customers' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('password_change_required');
    expect((await again.request({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
  });
});
