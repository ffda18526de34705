import fc from 'fast-check';
import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client.js';
import { freshTestDatabase } from '../../../db/testing.js';
import { classifySql } from './queries.js';
import { addMonths, monthAt, monthsBetween } from '../../../platform/months.js';
import { DEFAULT_PARAMS, levelRank, type RuleParams } from '../params.js';

let database: Database;
let drop: () => Promise<void>;
beforeAll(async () => ({ database, drop } = await freshTestDatabase()), 60_000);
afterAll(() => drop?.());

interface Inputs {
  kind: 'individual' | 'group';
  tenure: number;
  realName: boolean;
  paid: number;
  paidStar: number;
  billedGroup: number;
  arrearsMonths: number;
  members: number;
  strategic: boolean;
  prevLevel: string | null;
  prevBelow: number;
  gap: number;
}

/** The classification of literal inputs, exactly as the monthly run classifies the rows it aggregates. */
async function classify(rows: Inputs[], params: RuleParams = DEFAULT_PARAMS, month = '2026-10-01') {
  const values = rows.map(
    (r, i) => sql`(${i + 1}::bigint, ${r.kind}::text, ${r.tenure}::int, ${r.realName}::boolean, ${r.paid}::numeric, 0::numeric,
      ${r.paidStar}::numeric, ${r.billedGroup}::numeric, ${r.arrearsMonths}::int, 0::int, ${r.members}::int, ${r.strategic}::boolean,
      NULL::int, ${r.prevLevel}::text, ${r.prevBelow}::int, ${r.gap}::int)`,
  );
  const inputs: SQL = sql`SELECT * FROM (VALUES ${sql.join(values, sql`, `)}) AS v(customer_id, kind, tenure_months, real_name, paid,
    arrears, paid_star, billed_group, arrears_months, suspended_subs, members, strategic, birthday_month, prev_level, prev_below, gap)`;
  return database.rows<{ customer_id: number; level: string; computed_level: string; below_months: number; credit_score: number; points_earned: number }>(
    sql`SELECT * FROM (${classifySql(month, params, inputs)}) r ORDER BY customer_id`,
  );
}

const individual = (over: Partial<Inputs> = {}): Inputs => ({
  kind: 'individual',
  tenure: 40,
  realName: true,
  paid: 300,
  paidStar: 3600,
  billedGroup: 0,
  arrearsMonths: 0,
  members: 0,
  strategic: false,
  prevLevel: null,
  prevBelow: 0,
  gap: 1,
  ...over,
});

const money = fc.integer({ min: 0, max: 5_000_000 }).map((cents) => cents / 100);

describe('star rating (星级)', () => {
  it('never falls when the bill rises with all else equal', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            low: money,
            rise: money,
            tenure: fc.integer({ min: 0, max: 120 }),
            realName: fc.boolean(),
            arrearsMonths: fc.integer({ min: 0, max: 12 }),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        async (cases) => {
          const rows = cases.flatMap((c) => [
            individual({ ...c, paidStar: c.low * 12 }),
            individual({ ...c, paidStar: (c.low + c.rise) * 12 }),
          ]);
          const out = await classify(rows);
          for (let i = 0; i < out.length; i += 2) {
            expect(levelRank(out[i + 1]!.level)).toBeGreaterThanOrEqual(levelRank(out[i]!.level));
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('rates 五星金 at an average paid bill of ¥612.40 with 38 months of tenure', async () => {
    const [r] = await classify([individual({ paidStar: 612.4 * 12, tenure: 38 })]);
    expect(r!.level).toBe('5g');
  });

  it('leaves customers with short tenure, no real name or on the arrears blacklist unrated', async () => {
    const out = await classify([
      individual({ tenure: 5 }),
      individual({ realName: false }),
      individual({ arrearsMonths: 3 }),
      individual({ arrearsMonths: 2 }),
    ]);
    expect(out.map((r) => r.level)).toEqual(['unrated', 'unrated', 'unrated', '4']);
  });
});

describe('downgrade grace period (降级宽限期)', () => {
  it('upgrades at once and downgrades only after the grace period', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('1', '2', '3', '4', '5s', '5g', '5d'),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        async (prevLevel, prevBelow, gap) => {
          const [low] = await classify([individual({ paidStar: 0, prevLevel, prevBelow, gap })]); // computes '1'
          const grace = DEFAULT_PARAMS.star.downgradeGraceMonths;
          if (prevLevel === '1') expect(low!.level).toBe('1');
          else if (prevBelow + gap >= grace) expect([low!.level, low!.below_months]).toEqual(['1', 0]);
          else expect([low!.level, low!.below_months]).toEqual([prevLevel, prevBelow + gap]);
          const [high] = await classify([individual({ paidStar: 2000 * 12, prevLevel, prevBelow, gap })]);
          expect([high!.level, high!.below_months]).toEqual(['5d', 0]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('counts whole months across year ends', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2100 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: -60, max: 60 }), (y, m, k) => {
        const month = `${y}-${String(m).padStart(2, '0')}`;
        expect(monthsBetween(month, addMonths(month, k))).toBe(k);
      }),
    );
    expect(monthsBetween('2025-11', '2026-02')).toBe(3);
    expect(addMonths('2025-12', 1)).toBe('2026-01');
  });
});

describe('months in Asia/Shanghai', () => {
  const shanghaiMonth = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' });

  it('puts every instant in the month people in 广东 see on the calendar', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), (d) => {
        expect(monthAt(d)).toBe(shanghaiMonth.format(d).slice(0, 7));
      }),
    );
    expect(monthAt(new Date('2026-10-31T15:59:59.999Z'))).toBe('2026-10');
    expect(monthAt(new Date('2026-10-31T16:00:00.000Z'))).toBe('2026-11');
  });
});

describe('group classes (集团分类)', () => {
  it('classes groups by revenue or members, strategic ones in the top class', async () => {
    const group = (over: Partial<Inputs>) => individual({ kind: 'group', paidStar: 0, ...over });
    const out = await classify([
      group({ billedGroup: 9000 * 3 }),
      group({ members: 60 }),
      group({ billedGroup: 100 }),
      group({ strategic: true }),
    ]);
    expect(out.map((r) => r.level)).toEqual(['A', 'B', 'C', 'A']);
  });
});

describe('points earned (消费积分)', () => {
  it('is the paid bill times the level multiplier, rounded up', async () => {
    const [r] = await classify([individual({ paid: 612.41, paidStar: 612.4 * 12 })]);
    expect(r!.points_earned).toBe(Math.ceil(612.41 * DEFAULT_PARAMS.points.multipliers['5g']));
  });
});
