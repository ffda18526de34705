import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { startTestSystem, type Session, type TestSystem } from '../../db/testing.js';

/** 个人信息批量查看: more than PII_REVEAL_MAX_PER_MINUTE reveals a minute are refused and raise one alert. */
let sys: TestSystem;
let head: Session;
let customerId: number;
const MAX = 3;

const reveal = (s: Session) => s.request({ method: 'POST', url: `/api/customers/${customerId}/reveal`, payload: { field: 'idNumber' } });
const alerts = async () => (await sys.login('admin')).request({ method: 'GET', url: '/api/audit?action=alert&entity=pii_reveal' }).then((r) => r.json() as { actorUsername: string; after: Record<string, unknown> }[]);

beforeAll(async () => {
  sys = await startTestSystem({ PII_REVEAL_MAX_PER_MINUTE: MAX });
  head = await sys.login('gz_head');
  customerId = (await head.request({ method: 'GET', url: '/api/customers?limit=1' })).json()[0].id;
});
afterAll(() => sys.close());

describe('bulk reveals of personal data', () => {
  it('are refused past the limit with their own code, and raise one alert per minute, not one per refusal', async () => {
    for (let i = 0; i < MAX; i++) expect((await reveal(head)).statusCode).toBe(200);
    for (let i = 0; i < 3; i++) {
      const refused = await reveal(head);
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['retry-after']).toBe('60');
      expect(refused.json().code).toBe('pii_reveal_rate_limited');
      expect(refused.json().title).toContain(String(MAX));
    }
    const raised = await alerts();
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ actorUsername: 'gz_head', after: { reason: 'bulk_reveal', limitPerMinute: MAX } });
  });

  it('count per user: another user reveals as usual', async () => {
    expect((await reveal(await sys.login('gd_head'))).statusCode).toBe(200);
  });

  it('start again in the next minute', async () => {
    await sys.database.db.execute(sql`UPDATE pii_reveal_windows SET window_start = window_start - interval '1 minute'`);
    expect((await reveal(head)).statusCode).toBe(200);
  });

  it('are counted across server instances that share the database', async () => {
    const second = await buildApp(sys.config, sys.database);
    await second.ready();
    try {
      await sys.database.db.execute(sql`UPDATE pii_reveal_windows SET window_start = window_start - interval '1 minute'`);
      const login = await second.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'gz_head', password: 'Demo@2026!' } });
      const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      const onSecond = () =>
        second.inject({ method: 'POST', url: `/api/customers/${customerId}/reveal`, headers: { cookie, 'x-csrf-token': login.json().csrfToken }, payload: { field: 'idNumber' } });
      const onFirst = () => reveal(head);
      const codes = [];
      for (const call of [onFirst, onSecond, onFirst, onSecond]) codes.push((await call()).statusCode);
      expect(codes).toEqual([200, 200, 200, 429]);
    } finally {
      await second.close();
    }
  });
});
