/**
 * The direct load's two pieces without a database: the subscriptions read from COPY text, and staged lines
 * rewritten as the table's lines with each customer's totals summed exactly in fen, whatever the chunking.
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DirectAbort, FactsToTable, firstMonth, MsisdnSlots, readSubscriptionIndex, type SubscriptionIndex } from './facts-direct.js';

/** Cuts `text` into pieces at the given fractions (any byte, or only after a LF when `lines`). */
function cut(text: string, at: number[], lines = false): Buffer[] {
  const buf = Buffer.from(text, 'latin1');
  let points = [...new Set(at.map((f) => Math.floor(f * buf.length)))].sort((a, b) => a - b);
  if (lines) points = [...new Set(points.map((p) => buf.indexOf(10, p) + 1).filter((p) => p > 0 && p < buf.length))].sort((a, b) => a - b);
  return [0, ...points].map((p, i, all) => buf.subarray(p, all[i + 1] ?? buf.length)).filter((b) => b.length);
}

const subscription = fc.record({ msisdn: fc.integer({ min: 13_000_000_000, max: 19_999_999_999 }), customer: fc.integer({ min: 1, max: 40 }) });
const subscriptions = fc.uniqueArray(subscription, { selector: (s) => s.msisdn, minLength: 1, maxLength: 40 });
/** COPY text of the subscriptions in customer order, ids 1… in that order. */
const copyText = (subs: { msisdn: number; customer: number }[]) =>
  [...subs].sort((a, b) => a.customer - b.customer).map((s, i) => `${s.msisdn}\t${i + 1}\t${s.customer}\n`).join('');

describe('the subscriptions index', () => {
  it('finds every number set, and no other, past many growths of its table', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 13_000_000_000, max: 19_999_999_999 }), { minLength: 1, maxLength: 300_000 }), fc.integer(), (keys, seed) => {
        const slots = new MsisdnSlots();
        keys.forEach((k, i) => slots.set(k, i));
        slots.set(keys[0]!, -7); // setting a number again replaces its slot
        expect(slots.size).toBe(keys.length);
        keys.forEach((k, i) => expect(slots.get(k)).toBe(i === 0 ? -7 : i));
        const absent = 12_000_000_000 + (Math.abs(seed) % 999_999_999);
        expect(slots.get(absent)).toBe(-1);
      }),
      { numRuns: 5 },
    );
  });

  it('maps every 11-digit number to its subscription and customer, customers in id order, however COPY cuts its stream', async () => {
    await fc.assert(
      fc.asyncProperty(subscriptions, fc.array(fc.double({ min: 0, max: 1, noNaN: true })), async (subs, at) => {
        const text = `${copyText(subs)}013800000000\t999\t1\n12345\t998\t2\n`;
        const index = await readSubscriptionIndex(Readable.from(cut(text, at)));
        const sorted = [...subs].sort((a, b) => a.customer - b.customer);
        expect(index.slotOf.size).toBe(subs.length);
        sorted.forEach((s, i) => {
          const slot = index.slotOf.get(s.msisdn);
          expect(index.subscriptionId[slot]).toBe(i + 1);
          expect(index.customerId[index.customerSlot[slot]!]).toBe(s.customer);
        });
        expect(index.customerId).toEqual([...new Set(sorted.map((s) => s.customer))]);
      }),
      { numRuns: 100 },
    );
  });
});

const money = fc.tuple(fc.nat({ max: 99_999_999 }), fc.constantFrom('', '.0', '.5', '.05', '.99', '.1')).map(([w, f]) => `${w}${f}`);
const toFen = (v: string) => {
  const [w, f = ''] = v.split('.');
  return Number(w) * 100 + Number(f.padEnd(2, '0'));
};
/** The file's columns in an unusual order: figures around the key cells. */
const FILE_COLUMNS = ['paid', 'month', 'rev_voice', 'msisdn', 'billed', 'min_local', 'arrears'];

async function indexOf(subs: { msisdn: number; customer: number }[]): Promise<SubscriptionIndex> {
  return readSubscriptionIndex(Readable.from([Buffer.from(copyText(subs))]));
}

describe('staged lines as table lines', () => {
  it('puts the two ids in the number’s place, keeps every other cell, and sums each customer’s figures in fen', async () => {
    await fc.assert(
      fc.asyncProperty(
        subscriptions.chain((subs) =>
          fc.tuple(
            fc.constant(subs),
            fc.shuffledSubarray(subs, { minLength: 1 }).chain((rows) => fc.tuple(fc.constant(rows), fc.array(fc.tuple(money, money, money, money, fc.nat()), { minLength: rows.length, maxLength: rows.length }))),
            fc.array(fc.double({ min: 0, max: 1, noNaN: true })),
          ),
        ),
        async ([subs, [rows, figures], at]) => {
          const index = await indexOf(subs);
          const staged = rows.map((r, i) => {
            const [paid, voice, billed, arrears, minutes] = figures[i]!;
            return `${i + 2},${paid},2030-01-01,${voice},${r.msisdn},${billed},${minutes},${arrears}\n`;
          });
          const toTable = new FactsToTable(index, FILE_COLUMNS);
          expect(toTable.columns).toEqual(['paid', 'month', 'rev_voice', 'subscription_id', 'customer_id', 'billed', 'min_local', 'arrears']);
          const out = cut(staged.join(''), at, true).map((chunk) => toTable.convert(chunk).toString('latin1')).join('');
          const expected = rows.map((r, i) => {
            const slot = index.slotOf.get(r.msisdn);
            const [paid, voice, billed, arrears, minutes] = figures[i]!;
            return `${paid},2030-01-01,${voice},${index.subscriptionId[slot]},${r.customer},${billed},${minutes},${arrears}\n`;
          });
          expect(out).toBe(expected.join(''));
          expect(toTable.rows).toBe(rows.length);
          expect(toTable.month).toBe('2030-01-01');

          const sums = new Map<number, number[]>();
          rows.forEach((r, i) => {
            const [paid, , billed, arrears] = figures[i]!;
            const t = sums.get(r.customer) ?? [0, 0, 0, 0, 0];
            sums.set(r.customer, [t[0]! + toFen(paid), t[1]! + toFen(billed), t[2]! + toFen(arrears), t[3]! + (toFen(arrears) > 0 ? 1 : 0), t[4]! + 1]);
          });
          const totals = [...sums].sort((a, b) => a[0] - b[0]).map(([c, t]) => `2030-01-01,${c},${t.join(',')}\n`);
          expect(Buffer.concat([...toTable.totals()]).toString('latin1')).toBe(totals.join(''));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('stops at a number without a subscription, a number met twice, or a second month', async () => {
    const index = await indexOf([{ msisdn: 13800000001, customer: 1 }, { msisdn: 13800000002, customer: 2 }]);
    const line = (month: string, msisdn: number) => Buffer.from(`2,1.00,${month},0,${msisdn},1.00,0,0\n`);
    expect(() => new FactsToTable(index, FILE_COLUMNS).convert(line('2030-01-01', 13800000009))).toThrow(DirectAbort);
    const twice = new FactsToTable(index, FILE_COLUMNS);
    twice.convert(line('2030-01-01', 13800000001));
    expect(() => twice.convert(line('2030-01-01', 13800000001))).toThrow(DirectAbort);
    const months = new FactsToTable(index, FILE_COLUMNS);
    months.convert(line('2030-01-01', 13800000001));
    expect(() => months.convert(line('2030-02-01', 13800000002))).toThrow(DirectAbort);
  });

  it('reads the month of the first staged line', () => {
    expect(firstMonth(Buffer.from('17,3.00,2030-01-01,0\n18,1,2030-02-01,0\n'), 1)).toBe('2030-01-01');
    expect(firstMonth(Buffer.from('2,2030-03-01\n'), 0)).toBe('2030-03-01');
  });
});
