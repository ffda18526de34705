import { sql } from 'drizzle-orm';
import { bigint, date, doublePrecision, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { editable, id, ref, ts } from './columns.js';

/**
 * 指标体系 (DOMAIN.md §9): the indicators administrators add on top of the built-in catalogue
 * (modules/analysis/indicators/catalogue.ts). Defined on existing indicators only — a ratio, sum or
 * difference of two, or one under fixed filters — never free SQL (modules/analysis/indicators/derived.ts).
 */
export const analysisIndicators = pgTable(
  'analysis_indicators',
  {
    id: id(),
    code: text('code').notNull(),
    group: text('group').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    definitionZh: text('definition_zh').notNull(),
    definitionEn: text('definition_en').notNull(),
    unit: text('unit').notNull(),
    direction: text('direction').notNull(),
    /** { op: ratio|sum|difference|filter, left, right?, scale?, filter? } */
    formula: jsonb('formula').notNull(),
    createdBy: ref('created_by'),
    updatedBy: ref('updated_by'),
    ...editable(),
  },
  (t) => [uniqueIndex('analysis_indicators_code_uq').on(t.code)],
);

/** The sums both rollup tables carry. */
const measures = () => ({
  customers: integer('customers').notNull(),
  inNetwork: integer('in_network').notNull(),
  newCustomers: integer('new_customers').notNull(),
  lostCustomers: integer('lost_customers').notNull(),
  strategic: integer('strategic').notNull(),
  rated: integer('rated').notNull(),
  levelUp: integer('level_up').notNull(),
  levelDown: integer('level_down').notNull(),
  subs: integer('subs').notNull(),
  billedCustomers: integer('billed_customers').notNull(),
  arrearsCustomers: integer('arrears_customers').notNull(),
  arrearsAge1: integer('arrears_age_1').notNull(),
  arrearsAge23: integer('arrears_age_2_3').notNull(),
  arrearsAge4Plus: integer('arrears_age_4_plus').notNull(),
  revVoiceFen: bigint('rev_voice_fen', { mode: 'number' }).notNull(),
  revSmsFen: bigint('rev_sms_fen', { mode: 'number' }).notNull(),
  revDataFen: bigint('rev_data_fen', { mode: 'number' }).notNull(),
  revVasFen: bigint('rev_vas_fen', { mode: 'number' }).notNull(),
  revRoamingFen: bigint('rev_roaming_fen', { mode: 'number' }).notNull(),
  billedFen: bigint('billed_fen', { mode: 'number' }).notNull(),
  paidFen: bigint('paid_fen', { mode: 'number' }).notNull(),
  arrearsFen: bigint('arrears_fen', { mode: 'number' }).notNull(),
  minLocal: bigint('min_local', { mode: 'number' }).notNull(),
  minLongDistance: bigint('min_long_distance', { mode: 'number' }).notNull(),
  minRoaming: bigint('min_roaming', { mode: 'number' }).notNull(),
  smsCount: bigint('sms_count', { mode: 'number' }).notNull(),
  dataMb: doublePrecision('data_mb').notNull(),
  pointsEarned: bigint('points_earned', { mode: 'number' }).notNull(),
  pointsExpired: bigint('points_expired', { mode: 'number' }).notNull(),
  pointsRedeemed: bigint('points_redeemed', { mode: 'number' }).notNull(),
  pointsBalance: bigint('points_balance', { mode: 'number' }).notNull(),
});

/**
 * 月度汇总 (the rollup): customers and their month's figures summed per month and the cuts the analyses use.
 * Rebuilt a month at a time by refresh_analysis_month(m) (the migration's SQL): after a facts import, after
 * the monthly rules run, by the demo loader and on an administrator's request. Money in fen (whole numbers:
 * their float8 sums are exact); the customer's unit is rolled up to its city and county here, so a
 * province-wide query reads this table alone. Counts of customers with a state (billed, in arrears …) are
 * per month: summed over months they are customer-months.
 */
export const analysisMonthCube = pgTable(
  'analysis_month_cube',
  {
    month: date('month').notNull(),
    unitId: ref('unit_id').notNull(),
    cityId: ref('city_id'),
    countyId: ref('county_id'),
    managerId: ref('manager_id'),
    level: text('level'), // the month's rating (level in force); null: not rated that month
    industry: text('industry'),
    brand: text('brand'),
    archive: text('archive').notNull(), // at the month's end
    kind: text('kind').notNull(),
    ...measures(),
  },
  (t) => [index('analysis_month_cube_month_idx').on(t.month, t.unitId)],
);

/**
 * The same sums without the unit and the manager: by city and county only. A province's or a city's figures read
 * this (a fraction of the rows: the manager dimension multiplies them); the manager cut, an outlet's scope and
 * an account manager's portfolio read analysis_month_cube. Written by refresh_analysis_month from the month's
 * rows of analysis_month_cube.
 */
export const analysisMonthAreaCube = pgTable(
  'analysis_month_area_cube',
  {
    month: date('month').notNull(),
    cityId: ref('city_id'),
    countyId: ref('county_id'),
    level: text('level'),
    industry: text('industry'),
    brand: text('brand'),
    archive: text('archive').notNull(),
    kind: text('kind').notNull(),
    ...measures(),
  },
  (t) => [index('analysis_month_area_cube_month_idx').on(t.month, t.cityId, t.countyId)],
);

/**
 * The same sums by manager: per (month, manager, unit, level, archive, kind), without industry and brand. The
 * manager cut (a manager's figures, a team's ranking) reads this: by unit and manager with every other cut the
 * rows are a few customers each. A manager cut by industry or brand reads analysis_month_cube.
 */
export const analysisMonthManagerCube = pgTable(
  'analysis_month_manager_cube',
  {
    month: date('month').notNull(),
    unitId: ref('unit_id').notNull(),
    cityId: ref('city_id'),
    countyId: ref('county_id'),
    managerId: ref('manager_id'),
    level: text('level'),
    archive: text('archive').notNull(),
    kind: text('kind').notNull(),
    ...measures(),
  },
  (t) => [index('analysis_month_manager_cube_month_idx').on(t.month, t.managerId)],
);

/**
 * 待重建的月份: months whose rollup is out of date. A facts import or a rules run marks its months in its own
 * transaction (a row, not the rebuild: their figures stay theirs); the job analysis.rollups rebuilds them within a
 * minute or two and removes the mark unless the month was marked again meanwhile.
 */
export const analysisStaleMonths = pgTable('analysis_stale_months', {
  month: date('month').primaryKey(),
  markedAt: ts('marked_at').notNull().defaultNow(),
});

/**
 * 异动 (abnormal changes) of a month: every customer whose spend or usage fell more than 10 % against the month
 * before (from at least ¥10 billed, or 10 MB/minutes used), with both months' figures; rebuilt with the month's
 * rollup (refresh_analysis_changes, migration 0035). Unit and manager are the customer's when the month was
 * rebuilt, as in the cubes, so the reader's scope applies to the rows themselves.
 */
export const analysisMonthChanges = pgTable(
  'analysis_month_changes',
  {
    month: date('month').notNull(),
    customerId: ref('customer_id').notNull(),
    unitId: ref('unit_id').notNull(),
    managerId: ref('manager_id'),
    billedBefore: doublePrecision('billed_before'),
    billedAfter: doublePrecision('billed_after'),
    usedBefore: doublePrecision('used_before'),
    usedAfter: doublePrecision('used_after'),
    /** Percent fallen (0–100), when billed the month before was worth noticing. */
    spendFall: doublePrecision('spend_fall'),
    usageFall: doublePrecision('usage_fall'),
  },
  // its indexes cover the dashboard's counts (INCLUDE, which the schema builder cannot say): migration 0035
);

/**
 * 集团产品 / 竞争对手: each group customer's products (ours, and competitors') one row per customer and product, with
 * its unit and manager and the first month it took the product up; rebuilt whole by refresh_analysis_current()
 * when a change of products or of customers' units, managers, kinds or merges marked it (analysisStaleCurrent).
 */
export const analysisGroupProducts = pgTable(
  'analysis_group_products',
  {
    customerId: ref('customer_id').notNull(),
    unitId: ref('unit_id').notNull(),
    managerId: ref('manager_id'),
    competitor: text('competitor'),
    product: text('product').notNull(),
    firstSince: date('first_since'),
    products: integer('products').notNull(),
    monthlyFee: doublePrecision('monthly_fee'),
  },
  (t) => [
    index('analysis_group_products_customer_idx').on(t.customerId),
    index('analysis_group_products_since_idx').on(t.firstSince).where(sql`competitor IS NULL`),
  ],
);

/**
 * 异动 of numbers: the customers with numbers suspended or ported out now (the subscriptions keep their status, not
 * its history), with their unit and manager; rebuilt with analysis_group_products.
 */
export const analysisNumberStates = pgTable('analysis_number_states', {
  customerId: ref('customer_id').primaryKey(),
  unitId: ref('unit_id').notNull(),
  managerId: ref('manager_id'),
  suspended: integer('suspended').notNull(),
  portedOut: integer('ported_out').notNull(),
});

/**
 * The transactions that changed what the current-state rollups (analysis_group_products, analysis_number_states)
 * show, one row each (their triggers, migration 0035): the job deletes the marks it sees, then rebuilds in the same
 * transaction, so a change committed meanwhile keeps its mark for the next round.
 */
export const analysisStaleCurrent = pgTable('analysis_stale_current', {
  xid: bigint('xid', { mode: 'number' }).primaryKey(),
});
