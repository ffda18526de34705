import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../db/testing.js';

/** Session and response hygiene: caching, cookies, the client address behind a proxy, repeated guesses. */
let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem({ LOGIN_MAX_FAILURES: 3, LOGIN_ACCOUNT_RATE_LIMIT_PER_MINUTE: 5 });
});
afterAll(() => sys.close());

const login = (username: string, password: string, remoteAddress = '127.0.0.1', headers: Record<string, string> = {}) =>
  sys.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, headers, payload: { username, password } });

describe('answers with personal data', () => {
  it('are never stored by a browser or proxy: every /api answer says no-store', async () => {
    const head = await sys.login('gz_head');
    const customer = (await head.request({ method: 'GET', url: '/api/customers?limit=1' })).json()[0];
    const admin = await sys.login('admin');
    const user = (await admin.request({ method: 'GET', url: '/api/users?q=gz_am01' })).json()[0];
    const answers = [
      await head.request({ method: 'GET', url: '/api/me' }),
      await head.request({ method: 'GET', url: `/api/customers/${customer.id}` }),
      await head.request({ method: 'POST', url: `/api/customers/${customer.id}/reveal`, payload: { field: 'idNumber' } }),
      await head.request({ method: 'GET', url: '/api/customers/export?format=csv' }),
      await admin.request({ method: 'GET', url: `/api/users/${user.id}` }),
      await sys.app.inject({ url: '/api/health' }),
      await sys.app.inject({ url: '/api/no-such-route' }),
    ];
    expect(answers.map((res) => res.statusCode)).toEqual([200, 200, 200, 200, 200, 200, 404]);
    for (const [i, res] of answers.entries()) expect(res.headers['cache-control'], `answer ${i}`).toBe('no-store');
  });

  it('leaves other answers (the console’s static files) to their own caching', async () => {
    expect((await sys.app.inject({ url: '/assets/missing.js' })).headers['cache-control']).not.toBe('no-store');
  });
});

describe('the session cookie', () => {
  it('ends with the browser session: no Expires or Max-Age, while the server keeps its own limits', async () => {
    const res = await login('gd_head', 'Demo@2026!');
    expect(res.statusCode).toBe(200);
    const cookies = [res.headers['set-cookie']].flat().map(String);
    expect(cookies.length).toBe(2);
    for (const c of cookies) {
      expect(c).not.toMatch(/expires=|max-age=/i);
      expect(c).not.toMatch(/;\s*secure/i);
    }
    expect(new Date(res.json().expiresAt).getTime()).toBeGreaterThan(Date.now());
  });
});

describe('repeated sign-in failures', () => {
  it('throttle one address at one account, not the account’s owner elsewhere nor its neighbours behind the same NAT', async () => {
    const outlet = '10.20.30.40';
    for (let i = 0; i < 5; i++) expect((await login('no_such_clerk', 'wrong', outlet)).statusCode).toBe(401);
    const throttled = await login('no_such_clerk', 'wrong', outlet);
    expect(throttled.statusCode).toBe(429);
    expect(throttled.headers['retry-after']).toBe('60');
    expect(throttled.json().code).toBe('rate_limited');
    // the same account from elsewhere, and a colleague at the same outlet, are still answered
    expect((await login('no_such_clerk', 'wrong', '10.99.0.1')).statusCode).toBe(401);
    expect((await login('gz_am02', 'Demo@2026!', outlet)).statusCode).toBe(200);
  });

  it('of the current password lock the account and end its sessions, like failed sign-ins', async () => {
    const s = await sys.login('gz_am03');
    const other = await sys.login('gz_am03');
    const wrong = () => s.request({ method: 'POST', url: '/api/me/password', payload: { currentPassword: 'Guess#Lantern1', newPassword: 'Own#Lantern2026' } });
    for (let i = 0; i < 2; i++) {
      const res = await wrong();
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0]).toMatchObject({ field: 'body.currentPassword', code: 'wrong_current_password' });
    }
    const third = await wrong();
    expect(third.statusCode).toBe(423);
    expect(third.json().code).toBe('account_locked');
    expect((await s.request({ method: 'GET', url: '/api/me' })).statusCode).toBe(401);
    expect((await other.request({ method: 'GET', url: '/api/me' })).statusCode).toBe(401);
    expect((await login('gz_am03', 'Demo@2026!')).statusCode).toBe(401);

    const admin = await sys.login('admin');
    const trail = (await admin.request({ method: 'GET', url: '/api/audit?actor=gz_am03' })).json() as { action: string }[];
    expect(trail.filter((e) => e.action === 'password_change_failed')).toHaveLength(3);
    expect(trail.filter((e) => e.action === 'lock')).toHaveLength(1);
    const user = (await admin.request({ method: 'GET', url: '/api/users?q=gz_am03' })).json()[0];
    expect((await admin.request({ method: 'POST', url: `/api/users/${user.id}/unlock` })).statusCode).toBe(200);
    expect((await login('gz_am03', 'Demo@2026!')).statusCode).toBe(200);
  });

  it('take the client address from the connection unless a proxy is trusted', async () => {
    await login('gd_analyst', 'Demo@2026!', '127.0.0.1', { 'x-forwarded-for': '203.0.113.7' });
    const admin = await sys.login('admin');
    const [entry] = (await admin.request({ method: 'GET', url: '/api/audit?actor=gd_analyst&action=login' })).json();
    expect(entry.ip).toBe('127.0.0.1');
  });
});

describe('behind a TLS proxy (BEHIND_TLS_PROXY, TRUST_PROXY)', () => {
  let proxied: TestSystem;
  beforeAll(async () => {
    proxied = await startTestSystem({ BEHIND_TLS_PROXY: true, TRUST_PROXY: ['127.0.0.1'] });
  });
  afterAll(() => proxied.close());

  it('marks the cookies Secure, sends HSTS and records the client the proxy names', async () => {
    const res = await proxied.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'x-forwarded-for': '203.0.113.7' },
      payload: { username: 'gd_analyst', password: 'Demo@2026!' },
    });
    expect(res.statusCode).toBe(200);
    for (const c of [res.headers['set-cookie']].flat().map(String)) expect(c).toMatch(/;\s*secure/i);
    expect(res.headers['strict-transport-security']).toContain('max-age=');
    const admin = await proxied.login('admin');
    const [entry] = (await admin.request({ method: 'GET', url: '/api/audit?actor=gd_analyst&action=login' })).json();
    expect(entry.ip).toBe('203.0.113.7');
  });
});
