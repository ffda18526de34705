import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../db/testing.js';

/** No password, hash or session token appears in the logs or in any API answer. */
let sys: TestSystem;
const logged: string[] = [];
beforeAll(async () => {
  sys = await startTestSystem({ LOG_LEVEL: 'trace' }, { logStream: { write: (line) => void logged.push(line) } });
});
afterAll(() => sys.close());

describe('secrets stay secret', () => {
  it('logs no password, hash, session token or CSRF token, and answers none', async () => {
    const admin = await sys.login('admin');
    const answers: string[] = [];
    const gz = (await admin.request({ method: 'GET', url: '/api/org/units?q=GD-GZ' })).json()[0];
    const created = await admin.request({
      method: 'POST',
      url: '/api/users',
      payload: { username: 'secret_keeper', displayName: '保密', unitId: gz.id, roleIds: [], password: 'Hidden#Pass2026' },
    });
    answers.push(created.body);
    const s = await sys.login('secret_keeper', 'Hidden#Pass2026');
    answers.push((await s.request({ method: 'POST', url: '/api/me/password', payload: { currentPassword: 'Hidden#Pass2026', newPassword: 'Hidden#Pass2027' } })).body);
    answers.push((await s.request({ method: 'GET', url: '/api/me' })).body);
    answers.push((await admin.request({ method: 'GET', url: '/api/users?limit=500' })).body);
    answers.push((await admin.request({ method: 'GET', url: `/api/users/${created.json().id}` })).body);
    answers.push((await admin.request({ method: 'GET', url: '/api/audit?limit=500' })).body);
    const failed = await sys.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'Typo#Secret99' } });
    answers.push(failed.body);

    const sessionToken = s.cookie.match(/kam_sid=([^;]+)/)![1]!;
    const forbidden = ['Hidden#Pass2026', 'Hidden#Pass2027', 'Typo#Secret99', 'Demo@2026!', '$argon2', sessionToken, s.csrfToken, admin.csrfToken];
    const logText = logged.join('\n');
    expect(logged.length).toBeGreaterThan(10);
    for (const secret of forbidden) {
      expect(logText.includes(secret), `log contains ${secret.slice(0, 6)}…`).toBe(false);
      // /api/me answers the caller's own CSRF token by design; no other answer holds a secret
      for (const body of answers.filter((b) => !b.includes('"csrfToken"'))) expect(body.includes(secret)).toBe(false);
    }
    expect(answers.join('').includes('passwordHash')).toBe(false);
  });
});
