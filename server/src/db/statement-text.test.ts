import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as customerQueries from '../modules/customers/queries.js';
import { customers } from './schema/customers.js';
import { statementText } from './statement-text.js';

const dialect = new PgDialect();

/** Values a template interpolates as parameters: what the modules pass (texts, numbers, nulls, dates, arrays' text forms). */
const value = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
  fc.date({ noInvalidDate: true }),
  fc.constantFrom('{1,2,3}', "O'Brien", '"quoted"', '$1', '%_\\'),
);

/** Templates nested as the modules nest them: texts, parameters, identifiers, lists, joins, raw text and params with encoders. */
const template: fc.Arbitrary<SQL> = fc.letrec<{ sql: SQL }>((tie) => ({
  sql: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    value.map((v) => sql`x = ${v}`),
    fc.string().map((s) => sql.raw(s)),
    fc.string().map((s) => sql`SELECT ${sql.identifier(s)}`),
    fc.array(value, { maxLength: 4 }).map((vs) => sql`IN ${vs}`),
    value.map((v) => sql`p = ${sql.param(v)}`),
    fc.array(tie('sql'), { maxLength: 4 }).map((parts) => sql.join(parts, sql` AND `)),
    fc.tuple(tie('sql'), value, tie('sql')).map(([a, v, b]) => sql`(${a}) OR ${v} <> (${b})`),
    fc.constant(sql.empty()),
  ),
})).sql;

describe('statementText', () => {
  it('renders any template exactly as Drizzle does: the same text and the same parameters in the same order', () => {
    fc.assert(
      fc.property(template, (query) => {
        const drizzle = dialect.sqlToQuery(query);
        expect(statementText(query)).toEqual({ sql: drizzle.sql, params: drizzle.params });
      }),
      { numRuns: 500 },
    );
  });

  it('renders the statements of the search box and the archive lists as Drizzle does', () => {
    const filter = { archive: 'in_network' as const, kind: 'group' as const, level: '5s,5g', arrears: 'yes' as const };
    const statements = ['宝利', '芳芳', '广州市天河', '19858192616', '91440101MA5CXXXX1X', 'a%_\\'].flatMap((q) =>
      (['index', 'scan'] as const).map((fragment) => {
        const match = customerQueries.matchCustomers([3, 4, 5], 7, { ...filter, q }, { idHash: 'h', fragment });
        return customerQueries.selectSearchPage(match, { sort: 'name', order: 'asc', offset: 0, limit: 20, byRank: true }, 100);
      }),
    );
    const list = customerQueries.matchCustomers(null, null, filter, { idHash: '', fragment: 'index' });
    statements.push(customerQueries.selectSummaries(customerQueries.whereOf(list), { sort: 'customerNo', order: 'desc', offset: 40, limit: 20, perUnit: [3, 4] }));
    for (const query of statements) {
      const drizzle = dialect.sqlToQuery(query);
      expect(statementText(query)).toEqual({ sql: drizzle.sql, params: drizzle.params });
    }
  });

  it("leaves a statement that names a table's columns or holds a placeholder to Drizzle, with the same result", () => {
    const withColumn = sql`SELECT ${customers.id} FROM ${customers} WHERE ${customers.name} = ${'宝利'}`;
    const withPlaceholder = sql`SELECT 1 WHERE x = ${sql.placeholder('x')} AND y = ${2}`;
    for (const query of [withColumn, withPlaceholder]) expect(statementText(query)).toEqual(dialect.sqlToQuery(query));
  });
});
