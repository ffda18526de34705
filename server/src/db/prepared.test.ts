/**
 * Hot reads (`Database.hotRows`). On PostgreSQL they are prepared statements with generic plans on a pool
 * of their own (db/prepared.ts), with their own type parsers; on PGlite they are the ordinary read (one
 * connection, in process: nothing to prepare). On both, a hot read must give the values every other read
 * gives — written out below, not compared with another read that could be wrong the same way — and on
 * PostgreSQL the statements must really be prepared, with generic plans, and no more of them than the cap.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testDbKind, useFreshDatabase } from './testing.js';

const db = useFreshDatabase();

const typed = (n: number) => sql`
  SELECT ${n}::int8 AS id, 12.50::numeric AS amount, '2026-11-26 08:00:00+08'::timestamptz AS at, '2026-11-01'::date AS month,
         '{1,2}'::int8[] AS ids, json_build_object('a', 1) AS doc, true AS flag, NULL::text AS nothing, '1 day'::interval AS span`;

describe('hot reads', () => {
  it('answer with the value types of every read: ids as numbers, money as decimal strings, times and dates as text', async () => {
    const [row] = await db().hotRows<Record<string, unknown>>(typed(7));
    expect(row).toEqual({
      id: 7,
      amount: '12.50',
      at: expect.any(String),
      month: '2026-11-01',
      ids: [1, 2],
      doc: { a: 1 },
      flag: true,
      nothing: null,
      span: '1 day',
    });
    // the instant, in whatever time zone the server writes it
    expect(new Date(String(row!.at).replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString()).toBe('2026-11-26T00:00:00.000Z');
    expect(await db().rows(typed(7))).toEqual([row]);
  });

  it('reuse one statement with new values', async () => {
    for (const n of [1, 2, 3, 4, 5, 6, 7]) expect((await db().hotRows<{ id: number }>(typed(n)))[0]!.id).toBe(n);
  });

  it('still answer when more shapes than are prepared have been read', async () => {
    for (let i = 0; i < 120; i++) {
      const [row] = await db().hotRows<{ n: number }>(sql`SELECT ${i}::int AS n, ${sql.raw(String(i))} AS shape`);
      expect(row!.n).toBe(i);
    }
  });

  // PGlite has one in-process connection and no prepared-statement pool: there is nothing of this to test there
  it.skipIf(testDbKind !== 'postgres')('PostgreSQL: are named statements with generic plans, at most 100 shapes per connection', async () => {
    const probe = sql`SELECT current_setting('plan_cache_mode') AS mode,
        (SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'kam\\_%')::int AS prepared,
        (SELECT coalesce(sum(custom_plans), 0) FROM pg_prepared_statements WHERE name LIKE 'kam\\_%')::int AS custom,
        ${1}::int AS one`;
    for (let i = 0; i < 3; i++) await db().hotRows(probe);
    const [row] = await db().hotRows<{ mode: string; prepared: number; custom: number }>(probe);
    expect(row!.mode).toBe('force_generic_plan');
    expect(row!.prepared).toBeGreaterThan(0);
    expect(row!.prepared).toBeLessThanOrEqual(100);
    expect(row!.custom).toBe(0);
  });
});
