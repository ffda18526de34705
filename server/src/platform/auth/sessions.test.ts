import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../db/testing.js';
import { forgetAllSessions } from './auth.service.js';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem({ SESSION_IDLE_MINUTES: 30, SESSION_ABSOLUTE_HOURS: 12, LOGIN_RATE_LIMIT_PER_MINUTE: 4 });
});
afterAll(() => sys.close());

const backdate = (column: 'last_seen_at' | 'expires_at', interval: string) =>
  sys.database.db.execute(sql`UPDATE sessions SET ${sql.raw(column)} = now() - ${interval}::interval`);

describe('sessions', () => {
  it('ends a session idle for longer than the idle limit', async () => {
    const s = await sys.login('gd_head');
    expect((await s.request({ method: 'GET', url: '/api/me' })).statusCode).toBe(200);
    await backdate('last_seen_at', '31 minutes');
    forgetAllSessions();
    expect((await s.request({ method: 'GET', url: '/api/me' })).statusCode).toBe(401);
  });

  it('ends a session at its absolute expiry even when active', async () => {
    const s = await sys.login('gd_analyst');
    await backdate('expires_at', '1 second');
    forgetAllSessions();
    expect((await s.request({ method: 'GET', url: '/api/me' })).statusCode).toBe(401);
  });

  it('ignores a forged or oversized session cookie', async () => {
    const res = await sys.app.inject({ url: '/api/me', headers: { cookie: `kam_sid=${'x'.repeat(5000)}` } });
    expect(res.statusCode).toBe(401);
  });

  it('limits the rate of sign-in attempts with a 429 problem', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await sys.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.9.8.7', payload: { username: 'nobody', password: 'x' } });
      codes.push(res.statusCode);
    }
    expect(codes.slice(-1)[0]).toBe(429);
    expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(4);
  });
});
