/**
 * The search box's prefix arm reads a range of the name index instead of LIKE 'ab%' (so that a generic
 * plan keeps the index): the range must hold exactly the names that start with the prefix, for any
 * characters, including the last ones before the surrogates and the last code point.
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { useFreshDatabase } from '../../db/testing.js';
import { statementText } from '../../db/statement-text.js';
import { searchArms, startsWith } from './search.queries.js';

const db = useFreshDatabase();

const matches = async (names: string[], prefix: string) => {
  const rows = await db().rows<{ name: string }>(sql`
    SELECT name FROM unnest(ARRAY[${sql.join(names.map((n) => sql`${n}`), sql`, `)}]::text[]) AS t(name)
    WHERE ${startsWith(sql`name`, prefix)} ORDER BY name`);
  return rows.map((r) => r.name).sort();
};

const edge = ['\u{D7FF}', '\u{E000}', '\u{FFFF}', '\u{10000}', '\u{10FFFF}', '林', '林晓', '林晔', '%', '_', '\\', "'"];
const char = fc.oneof(fc.constantFrom(...edge), fc.constantFrom('a', 'b', '晓', '华'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }).filter((c) => !c.includes('\0')));
const word = fc.array(char, { minLength: 1, maxLength: 4 }).map((cs) => cs.join(''));

it('finds exactly the names that start with the prefix', async () => {
  await fc.assert(
    fc.asyncProperty(word, fc.array(word, { minLength: 1, maxLength: 12 }), async (prefix, others) => {
      const names = [...new Set([...others, ...others.map((o) => prefix + o), prefix])];
      const expected = names.filter((n) => n.startsWith(prefix)).sort();
      expect(await matches(names, prefix)).toEqual(expected);
    }),
    { numRuns: 150 },
  );
});

it('treats LIKE wildcards and quotes in the prefix as themselves', async () => {
  expect(await matches(['%a', 'ba', '_x', 'yx', "'q", '\\z'], '%')).toEqual(['%a']);
  expect(await matches(['%a', 'ba', '_x', 'yx', "'q", '\\z'], '_')).toEqual(['_x']);
  expect(await matches(['%a', 'ba', "'q", '\\z'], "'")).toEqual(["'q"]);
  expect(await matches(['%a', 'ba', "'q", '\\z'], '\\')).toEqual(['\\z']);
});

it('looks a text up as a customer number only when it may be one (letters, digits and dashes)', () => {
  const conditions = (q: string) => statementText(sql.join(searchArms(q, '', 'index').map((arm) => arm.where), sql` OR `));
  expect(conditions('宝利软').sql).not.toContain('customer_no');
  expect(conditions('宝利').sql).not.toContain('customer_no');
  const byNumber = conditions('c4401-0001');
  expect(byNumber.sql).toContain('c.customer_no = $1');
  expect(byNumber.params[0]).toBe('C4401-0001');
});
