import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../db/testing.js';
import type { OrgUnit } from '../org/schemas.js';
import type { Role } from '../roles/schemas.js';
import type { User } from './schemas.js';
import { newUserSession } from './testing.js';

/**
 * 防止垂直越权: a city's holder of users.manage acts on a user only when it holds every permission that
 * user holds. The pen test: such a holder reset the password of the city's head, signed in as the head
 * and exported clear ID numbers.
 */
let sys: TestSystem;
let admin: Session;
let actor: Session;
let bigger: Session;
let gz: OrgUnit;
let gzCounty: OrgUnit;

const ACTOR_PERMISSIONS = ['org.read', 'users.read', 'users.manage', 'customers.read'];

/** Request bodies that would succeed on a user within the actor's permissions, per route of the catalogue. */
const bodies: Record<string, (u: User) => (object | undefined)[]> = {
  'PATCH /api/users/:id': (u) => [
    { version: u.version, displayName: '改名' },
    { version: u.version, active: false },
    { version: u.version, unitId: gzCounty.id },
    { version: u.version, roleIds: [] },
  ],
  'POST /api/users/:id/unlock': () => [undefined],
  'POST /api/users/:id/password': () => [{ newPassword: 'Taken#Lantern42' }],
  'DELETE /api/users/:id/sessions': () => [undefined],
};

/** Every route that acts on one user: those under /api/users/:id that are not reads. */
const actionsOnAUser = () => sys.app.accessCatalogue.filter((r) => r.url.startsWith('/api/users/:id') && r.method !== 'GET');

const userByName = async (username: string) =>
  ((await admin.request({ method: 'GET', url: `/api/users?q=${username}` })).json() as User[]).find((u) => u.username === username)!;

/** Everything an action could change about a user: the row, the roles and the live sessions. */
const snapshot = (userId: number) =>
  sys.database.rows(sql`
    SELECT u.*, (SELECT array_agg(role_id ORDER BY role_id) FROM user_roles WHERE user_id = u.id) AS roles,
           (SELECT count(*)::int FROM sessions WHERE user_id = u.id) AS sessions
    FROM users u WHERE u.id = ${userId}`);

beforeAll(async () => {
  sys = await startTestSystem();
  admin = await sys.login('admin');
  const units = (await admin.request({ method: 'GET', url: '/api/org/units' })).json() as OrgUnit[];
  gz = units.find((u) => u.code === 'GD-GZ')!;
  gzCounty = units.find((u) => u.code === 'GD-GZ-01')!;
  const roles = (await admin.request({ method: 'GET', url: '/api/roles' })).json() as Role[];
  const makeRole = async (code: string, permissions: string[]) =>
    (await admin.request({ method: 'POST', url: '/api/roles', payload: { code, name: code, permissions } })).json().id as number;
  const userAdmin = await makeRole('city_user_admin', ACTOR_PERMISSIONS);
  const viewer = await makeRole('org_viewer', ['org.read', 'customers.read']);
  const analyst = roles.find((r) => r.code === 'analyst')!.id;
  actor = await newUserSession(sys, admin, { username: 'gz_useradmin', displayName: '用户管理员', unitId: gz.id, roleIds: [userAdmin] });
  // a strict superset of the actor's permissions: the same role and the analyst's on top
  bigger = await newUserSession(sys, admin, { username: 'gz_bigger', displayName: '权限更大', unitId: gz.id, roleIds: [userAdmin, analyst] });
  await newUserSession(sys, admin, { username: 'gz_smaller', displayName: '权限更小', unitId: gz.id, roleIds: [viewer] });
});
afterAll(() => sys.close());

describe('no vertical privilege escalation through the users routes', () => {
  it('knows a request body for every action on a user', () => {
    const routes = actionsOnAUser().map((r) => `${r.method} ${r.url}`);
    expect(routes.length).toBeGreaterThanOrEqual(4);
    expect(routes.filter((r) => !bodies[r])).toEqual([]);
  });

  it('refuses every action on a user holding more permissions, and changes nothing', async () => {
    const target = await userByName('gz_bigger');
    const before = await snapshot(target.id);
    const failures: string[] = [];
    for (const r of actionsOnAUser()) {
      for (const payload of bodies[`${r.method} ${r.url}`]!(target)) {
        const res = await actor.request({ method: r.method as 'POST', url: r.url.replace(':id', String(target.id)), payload });
        if (res.statusCode !== 403 || res.json().code !== 'permission_escalation') failures.push(`${r.method} ${r.url} ${JSON.stringify(payload)} → ${res.statusCode} ${res.body}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await snapshot(target.id)).toEqual(before);
    expect((await bigger.request({ method: 'GET', url: '/api/me' })).statusCode).toBe(200);
  });

  it('names the permissions the actor lacks', async () => {
    const target = await userByName('gz_bigger');
    const res = await actor.request({ method: 'POST', url: `/api/users/${target.id}/unlock` });
    expect(res.json().title).toContain('customers.export');
  });

  it('refuses the pen test’s path: resetting the password of the city’s head', async () => {
    const head = await userByName('gz_head');
    const res = await actor.request({ method: 'POST', url: `/api/users/${head.id}/password`, payload: { newPassword: 'Taken#Lantern42' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('permission_escalation');
    expect((await sys.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'gz_head', password: 'Taken#Lantern42' } })).statusCode).toBe(401);
  });

  it('lets the same actor take every action on a user whose permissions are within its own', async () => {
    const failures: string[] = [];
    for (const r of actionsOnAUser()) {
      const make = bodies[`${r.method} ${r.url}`]!;
      const count = make(await userByName('gz_smaller')).length;
      for (let i = 0; i < count; i++) {
        // read afresh each time: every change moves the version
        const target = await userByName('gz_smaller');
        const payload = make(target)[i];
        const res = await actor.request({ method: r.method as 'POST', url: r.url.replace(':id', String(target.id)), payload });
        if (res.statusCode >= 300) failures.push(`${r.method} ${r.url} ${JSON.stringify(payload)} → ${res.statusCode} ${res.body}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
