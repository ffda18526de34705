/**
 * Hot reads (`Database.hotRows`) are prepared statements with generic plans on PostgreSQL: they must
 * answer exactly as the ordinary reads do, value types included, and keep answering past the cap on shapes.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { useFreshDatabase } from './testing.js';

const db = useFreshDatabase();

const typed = (n: number) => sql`
  SELECT ${n}::int8 AS id, 12.50::numeric AS amount, '2026-11-26 08:00:00+08'::timestamptz AS at, '2026-11-01'::date AS month,
         '{1,2}'::int8[] AS ids, json_build_object('a', 1) AS doc, true AS flag, NULL::text AS nothing`;

it('answers as the ordinary read does, with the same value types', async () => {
  expect(await db().hotRows(typed(7))).toEqual(await db().rows(typed(7)));
});

it('reuses one statement with new values', async () => {
  for (const n of [1, 2, 3, 4, 5, 6, 7]) expect((await db().hotRows<{ id: number }>(typed(n)))[0]!.id).toBe(n);
});

it('still answers when more shapes than it prepares have been read', async () => {
  for (let i = 0; i < 120; i++) {
    const [row] = await db().hotRows<{ n: number }>(sql`SELECT ${i}::int AS n, ${sql.raw(String(i))} AS shape`);
    expect(row!.n).toBe(i);
  }
});
