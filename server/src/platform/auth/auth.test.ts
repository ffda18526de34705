import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../db/testing.js';
import { loadSession } from './auth.queries.js';
import { actorOfUser, sessionIdOf } from './auth.service.js';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem({ LOGIN_MAX_FAILURES: 3, LOGIN_LOCK_MINUTES: 15 });
});
afterAll(() => sys.close());

const login = (username: string, password: string) =>
  sys.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

describe('sign-in', () => {
  it('opens a session with an HttpOnly SameSite=Strict cookie and answers /api/me', async () => {
    const res = await login('admin', 'Demo@2026!');
    expect(res.statusCode).toBe(200);
    const sid = res.cookies.find((c) => c.name === 'kam_sid')!;
    expect(sid.httpOnly).toBe(true);
    expect(sid.sameSite).toBe('Strict');
    const me = await sys.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: `kam_sid=${sid.value}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: 'admin', roleCodes: ['sysadmin'] });
    expect(me.body).not.toContain('passwordHash');
  });

  it('answers an unknown user and a wrong password alike', async () => {
    const a = await login('nobody', 'Demo@2026!');
    const b = await login('gd_analyst', 'wrong-password');
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(a.json().code).toBe('invalid_credentials');
    expect(b.json().code).toBe('invalid_credentials');
    expect(a.headers['content-type']).toContain('application/problem+json');
  });

  it('locks an account after the configured number of failures without saying so, and an administrator unlocks it', async () => {
    const unknown = (await login('sz_nobody', 'bad')).json();
    const shape = (p: Record<string, unknown>) => ({ ...p, requestId: undefined });
    for (let i = 0; i < 3; i++) {
      const res = await login('sz_am01', 'bad');
      expect(res.statusCode).toBe(401);
      expect(shape(res.json())).toEqual(shape(unknown));
    }
    // even the right password is refused while locked, with the answer an unknown user gets
    const locked = await login('sz_am01', 'Demo@2026!');
    expect(locked.statusCode).toBe(401);
    expect(shape(locked.json())).toEqual(shape(unknown));
    expect(locked.json().title).toMatch(/锁定/);

    const admin = await sys.login('admin');
    // the trail still tells the failures apart
    const failed = (await admin.request({ method: 'GET', url: '/api/audit?actor=sz_am01&action=login_failed' })).json() as { after: { reason: string } }[];
    expect(failed.map((e) => e.after.reason).sort()).toEqual(['locked', 'wrong_password', 'wrong_password', 'wrong_password']);
    expect((await admin.request({ method: 'GET', url: '/api/audit?actor=sz_am01&action=lock' })).json()).toHaveLength(1);
    const list = await admin.request({ method: 'GET', url: '/api/users?q=sz_am01' });
    const user = list.json()[0];
    expect(user.locked).toBe(true);
    const unlock = await admin.request({ method: 'POST', url: `/api/users/${user.id}/unlock` });
    expect(unlock.statusCode).toBe(200);
    expect((await login('sz_am01', 'Demo@2026!')).statusCode).toBe(200);
  });

  it('refuses a cookie-authenticated write without the CSRF token', async () => {
    const admin = await sys.login('admin');
    const res = await sys.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: admin.cookie },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('csrf_failed');
  });

  it('ends the session at sign-out', async () => {
    const s = await sys.login('gz_am01');
    expect((await s.request({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
    expect((await s.request({ method: 'GET', url: '/api/me' })).statusCode).toBe(401);
  });
});

describe('acting as a user without signing in (the demo seed, the benchmarks)', () => {
  it("gives the user's unit, served area and permissions exactly as a session of theirs loads them", async () => {
    // an agent at an outlet serves its city: the area differs from the unit
    for (const username of ['gz_agent', 'gd_head', 'admin']) {
      const session = await sys.login(username);
      const token = /kam_sid=([^;]+)/.exec(session.cookie)![1]!;
      const loaded = (await loadSession(sys.database, sessionIdOf(token), sys.config.SESSION_IDLE_MINUTES))!;
      const actor = await actorOfUser(sys.database, username);
      expect({ ...actor, permissions: [...actor.permissions].sort() }).toEqual({
        userId: loaded.userId,
        username,
        unitPath: loaded.unitPath,
        areaPath: loaded.areaPath,
        permissions: [...loaded.permissions].sort(),
        requestId: null,
        ip: null,
      });
    }
    const agent = await actorOfUser(sys.database, 'gz_agent');
    expect(agent.areaPath).not.toBe(agent.unitPath);
  });

  it('names no user it cannot find', async () => {
    await expect(actorOfUser(sys.database, 'nobody')).rejects.toThrow('no active user nobody');
  });
});
