/**
 * The facts' cell grammar (CELL_GRAMMAR in layouts.ts) is implemented three times: the per-cell checks that judge
 * every row of the general path, the byte scanner of the fast path (facts-fast.ts) that passes strict cells on as
 * bytes, and the direct load's amounts in fen (facts-direct.ts). Over generated cells, valid and invalid (signs,
 * decimals, exponents, spaces, thousands separators, full-width digits, huge values, any text), they agree:
 * whatever the scanner passes on, the checks accept and stage unchanged; every cell the checks stage unchanged
 * and the scanner could hold, it passes on; and a figure it passes on is, in fen, exactly its decimal value.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FACT_FIGURES } from '../customers/service.js';
import { fen } from './facts-direct.js';
import { okCount, okMoney, okMonth, okMsisdn } from './facts-fast.js';
import { CELL_GRAMMAR, checkCount, checkMoney, checkMonth, checkMsisdn, factsKinds, LAYOUTS } from './layouts.js';

/** A scanner predicate applied to a cell's UTF-8 bytes, as the scanner sees it inside a line. */
const scan = <T>(ok: (buf: Buffer, s: number, e: number) => T, cell: string): T => {
  // the cell sits between other bytes, as in a line: the scanner must look only at its own range
  const buf = Buffer.from(`9,${cell},9`, 'utf8');
  return ok(buf, 2, buf.length - 2);
};

const digit = fc.constantFrom(...'0123456789');
const digits = (minLength: number, maxLength: number) => fc.array(digit, { minLength, maxLength }).map((a) => a.join(''));
/** Full-width (０–９) and Arabic-Indic digits: digits to a person, not to the grammar. */
const foreignDigits = digits(1, 8).map((d) => [...d].map((c) => String.fromCharCode(c.charCodeAt(0) + (c < '5' ? 0xfee0 : 0x0630))).join(''));
/** Number-like text: sign, whole part, decimals, exponent, a trailing oddity. */
const numberLike = fc
  .tuple(
    fc.constantFrom('', '', '+', '-', ' ', '-0', '\u3000'),
    digits(0, 16),
    fc.option(digits(0, 4)),
    fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '-', '+'), digits(1, 3))),
    fc.constantFrom('', '', '', ' ', '.', '\t', '\u00a0', 'x'),
  )
  .map(([sign, whole, frac, exp, tail]) => `${sign}${whole}${frac === null ? '' : `.${frac}`}${exp ? exp.join('') : ''}${tail}`);
const thousands = fc.array(digits(3, 3), { minLength: 1, maxLength: 4 }).map((groups) => `1,${groups.join(',')}.00`);
const huge = digits(11, 40);
const soup = fc.array(fc.oneof(digit, fc.constantFrom(' ', '+', '-', '.', ',', 'e', '１', '\u0000', '"', '\r')), { maxLength: 20 }).map((a) => a.join(''));
const anyText = fc.string({ unit: 'binary', maxLength: 24 });
const figure = fc.oneof(numberLike, numberLike, thousands, foreignDigits, huge, soup, anyText);

const month = fc.oneof(
  fc.tuple(digits(4, 4), digits(1, 3), fc.constantFrom('', '', '-01', '-1', '-02', ' ')).map(([y, m, rest]) => `${y}-${m}${rest}`),
  fc.tuple(fc.integer({ min: 1990, max: 2110 }), fc.integer({ min: 0, max: 13 })).map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`),
  foreignDigits,
  soup,
);
const msisdn = fc.oneof(
  fc.tuple(fc.constantFrom('1', '0', '+86', ' 1', '１'), digits(9, 11)).map(([a, b]) => a + b),
  fc.integer({ min: 10_000_000_000, max: 19_999_999_999 }).map(String),
  soup,
);

/** The exact value of a plain decimal in fen, by integer arithmetic. */
function exactFen(cell: string): bigint {
  const [whole, frac = ''] = cell.split('.');
  return BigInt(whole!) * 100n + BigInt((frac + '00').slice(0, 2));
}

const RUNS = { numRuns: 20_000 };

describe('the facts cell grammar: checks, scanner and direct load agree', () => {
  it('money: the scanner passes on exactly what the check stages unchanged, and its fen are the exact amount', () => {
    fc.assert(
      fc.property(figure, (cell) => {
        const passed = scan(okMoney, cell);
        expect(passed).toBe(checkMoney(cell) === cell);
        if (passed) {
          const buf = Buffer.from(cell, 'latin1');
          expect(BigInt(fen(buf, 0, buf.length))).toBe(exactFen(cell));
          // and it fits the column: numeric(14,2)
          expect(cell.split('.')[0]!.length).toBeLessThanOrEqual(CELL_GRAMMAR.money.intDigits);
        }
      }),
      RUNS,
    );
  });

  it('counts: what the scanner passes on the check stages unchanged; the check’s short counts the scanner passes on', () => {
    fc.assert(
      fc.property(figure, (cell) => {
        const passed = scan(okCount, cell);
        const staged = checkCount(cell) === cell;
        if (passed) expect(staged).toBe(true);
        if (staged && cell.length <= CELL_GRAMMAR.count.fastDigits) expect(passed).toBe(true);
        if (staged) expect(Number(cell)).toBeLessThanOrEqual(CELL_GRAMMAR.count.max);
      }),
      RUNS,
    );
  });

  it('months: the scanner passes on YYYY-MM exactly when the check stages it as its first day', () => {
    fc.assert(
      fc.property(month, (cell) => {
        const ym = scan(okMonth, cell);
        expect(ym !== 0).toBe(checkMonth(cell) === `${cell}-01`);
        if (ym) expect(`${Math.floor(ym / 100)}-${String(ym % 100).padStart(2, '0')}`).toBe(cell);
      }),
      RUNS,
    );
  });

  it('MSISDNs: the scanner passes on exactly the numbers the check accepts', () => {
    fc.assert(
      fc.property(msisdn, (cell) => {
        expect(scan(okMsisdn, cell)).toBe(checkMsisdn(cell) === cell);
      }),
      RUNS,
    );
  });

  it('the customers area loads every figure of the facts layout', () => {
    expect(FACT_FIGURES).toEqual(LAYOUTS.facts.map((c) => c.key).filter((k) => k !== 'month' && k !== 'msisdn'));
  });

  it('the scanner reads each facts column by the grammar of its check', () => {
    expect(LAYOUTS.facts.map((c, i) => `${c.key}:${factsKinds()[i]}`)).toEqual([
      'month:month',
      'msisdn:msisdn',
      ...['rev_voice', 'rev_sms', 'rev_data', 'rev_vas', 'rev_roaming'].map((k) => `${k}:money`),
      ...['min_local', 'min_long_distance', 'min_roaming', 'sms_count'].map((k) => `${k}:count`),
      ...['data_mb', 'billed', 'paid', 'arrears'].map((k) => `${k}:money`),
    ]);
  });
});
