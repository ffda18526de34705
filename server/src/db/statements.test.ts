/**
 * Named statements of the hot write paths (`namedRows`): in the caller's transaction, on its own connection, the
 * same rows as `Database.rows`; on PostgreSQL really prepared, once per connection and text, and never more
 * shapes than the cap.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { namedRows, statementNames, walkQueuesByIndex } from './statements.js';
import { testDbKind, useFreshDatabase } from './testing.js';

const db = useFreshDatabase();

const typed = (n: number) => sql`
  SELECT ${n}::int8 AS id, 12.50::numeric AS amount, '2026-11-01'::date AS month, json_build_object('a', 1) AS doc, NULL::text AS nothing`;

describe('named statements in a transaction', () => {
  it('give the rows every other read gives, with new values each time', async () => {
    await db().db.transaction(async (tx) => {
      for (const n of [1, 2, 3, 4, 5, 6, 7]) {
        const rows = await namedRows(tx, typed(n));
        expect(rows).toEqual([{ id: n, amount: '12.50', month: '2026-11-01', doc: { a: 1 }, nothing: null }]);
        expect(await db().rows(typed(n), tx)).toEqual(rows);
      }
    });
  });

  it('see the transaction’s own writes and leave nothing when it rolls back', async () => {
    await db().rows(sql`CREATE TABLE named_probe (n int)`);
    await expect(
      db().db.transaction(async (tx) => {
        await namedRows(tx, sql`INSERT INTO named_probe (n) VALUES (${1})`);
        expect(await namedRows(tx, sql`SELECT count(*)::int AS n FROM named_probe`)).toEqual([{ n: 1 }]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await db().rows(sql`SELECT count(*)::int AS n FROM named_probe`)).toEqual([{ n: 0 }]);
  });

  it('name at most as many texts as the cap, the same name for the same text', () => {
    const nameOf = statementNames(2);
    const first = nameOf('SELECT 1');
    expect(first).toMatch(/^kam_/);
    expect(nameOf('SELECT 2')).not.toBe(first);
    expect(nameOf('SELECT 3')).toBeUndefined();
    expect(nameOf('SELECT 1')).toBe(first);
  });

  // PGlite has one in-process connection and ignores the name: there is nothing of this to test there
  it.skipIf(testDbKind !== 'postgres')('PostgreSQL: are prepared once on the transaction’s connection', async () => {
    const probe = sql`SELECT (SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%named_once%')::int AS prepared, ${1}::int AS named_once`;
    await db().db.transaction(async (tx) => {
      await namedRows(tx, probe);
      await namedRows(tx, probe);
      expect(await namedRows(tx, probe)).toEqual([{ prepared: 1, named_once: 1 }]);
    });
  });
});

describe('a queue taken in the order of its partial index', () => {
  it('is walked without bitmap scans for the rest of the transaction only', async () => {
    const setting = async (executor?: Parameters<typeof namedRows>[0]) => (await db().rows<{ enable_bitmapscan: string }>(sql`SHOW enable_bitmapscan`, executor))[0]!.enable_bitmapscan;
    await db().db.transaction(async (tx) => {
      await walkQueuesByIndex(tx);
      expect(await setting(tx)).toBe('off');
    });
    expect(await setting()).toBe('on');
  });
});
