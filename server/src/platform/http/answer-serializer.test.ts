import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { customerSummarySchema } from '../../modules/customers/schemas.js';
import { answerSerializer, writable } from './answer-serializer.js';

const compile = (schema: z.ZodType, verify = false) => answerSerializer({ verify })({ schema, method: 'GET', url: '/x', httpStatus: '200' });
const viaZod = (schema: z.ZodType, data: unknown) => JSON.stringify(schema.encode(data as never));

// any text a name or a note may hold: quotes, backslashes, control characters, lone surrogates, CJK
const character = fc.oneof(fc.constantFrom('"', '\\', '\n', '\u0000', '\u2028', '\ud800', '宝', '利'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));
const text = fc.string({ unit: character, maxLength: 60 });
const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const validDate = fc.date({ min: new Date(-62_000_000_000_000), max: new Date(250_000_000_000_000), noInvalidDate: true });

const summary = fc.record({
  id: fc.integer({ min: 1 }),
  customerNo: text,
  kind: fc.constantFrom('group', 'individual'),
  name: text,
  archive: fc.constantFrom('in_network', 'retained'),
  unitId: fc.integer(),
  unitName: text,
  unitNameEn: nullable(text),
  managerId: nullable(fc.integer()),
  managerName: nullable(text),
  industry: nullable(text),
  brand: nullable(text),
  contactPhone: nullable(text),
  creditCode: nullable(text),
  idNumber: nullable(text),
  joinedOn: nullable(text),
  level: nullable(fc.constantFrom('5s', '5g', '5d', 'A', 'B')),
  creditGrade: nullable(text),
  points: nullable(fc.integer()),
  arrears: nullable(text),
  version: fc.integer(),
  updatedAt: validDate,
});

describe('answers written by compiled writers', () => {
  it('writes a page of customer summaries exactly as zod and JSON.stringify do, whatever their text', () => {
    const page = z.array(customerSummarySchema);
    const write = compile(page);
    fc.assert(
      fc.property(fc.array(summary, { maxLength: 5 }), (rows) => {
        expect(write(rows)).toBe(viaZod(page, rows));
      }),
      { numRuns: 300 },
    );
  });

  it('writes values of any kind as zod does', () => {
    const schema = z.array(z.object({ id: z.number(), detail: z.unknown(), extra: z.unknown().optional() }));
    const write = compile(schema);
    const value = fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.dictionary(text, fc.jsonValue()));
    const row = fc.record({ id: fc.integer(), detail: value, extra: value });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 4 }), (rows) => {
        expect(write(rows)).toBe(viaZod(schema, rows));
      }),
      { numRuns: 300 },
    );
  });

  it('leaves out the keys its schema does not name, as zod does (a sealed column never leaks)', () => {
    const schema = z.object({ id: z.number(), name: z.string() });
    const row = { id: 1, secret: '4401…', name: '邹芳芳' };
    expect(compile(schema)(row)).toBe('{"id":1,"name":"邹芳芳"}');
    expect(compile(schema)(row)).toBe(viaZod(schema, row));
  });

  it('keeps the order of the schema, optional keys included, and omits an optional key left undefined', () => {
    const schema = z.object({ a: z.string(), b: z.number().optional(), c: z.boolean(), d: z.date().nullable() });
    for (const data of [{ a: 'x', c: true, d: null }, { a: 'x', b: 2, c: false, d: new Date(0) }]) expect(compile(schema)(data)).toBe(viaZod(schema, data));
  });

  it('leaves to zod every schema whose encoding may write something else', () => {
    const others: z.ZodType[] = [
      z.string().transform((s) => s.length),
      z.object({ a: z.string() }).passthrough(),
      z.object({ a: z.string().default('x') }),
      z.union([z.string(), z.number()]),
      z.literal(1),
      // zod leaves out an own key named __proto__, fast-json-stringify writes it
      z.record(z.string(), z.number()),
      z.unknown().nullable(),
    ];
    for (const schema of others) expect(writable(schema), String(schema._zod.def.type)).toBeNull();
    const union = z.union([z.string(), z.number()]);
    expect(compile(union)(3)).toBe('3');
  });

  it('refuses, when verifying, an answer outside its schema, as zod alone did', () => {
    const schema = z.object({ kind: z.enum(['group', 'individual']), count: z.number().int() });
    expect(compile(schema)({ kind: 'company', count: 1.5 })).toBe('{"kind":"company","count":1.5}');
    expect(() => compile(schema, true)({ kind: 'company', count: 1 })).toThrow();
    expect(() => compile(schema, true)({ kind: 'group', count: 1.5 })).toThrow();
    expect(compile(schema, true)({ kind: 'group', count: 2 })).toBe('{"kind":"group","count":2}');
  });
});
