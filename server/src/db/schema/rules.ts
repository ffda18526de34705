import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { customers } from './customers.js';
import { editable, id, money, ref, ts } from './columns.js';
import { users } from './platform.js';

/**
 * 服务规则: one row per version of a family's rule set (star 星级, group_class 集团分类, credit 信誉度,
 * points 积分, potential 潜在大客户, benefits 优惠). Versions are never changed; the version in effect for
 * a month is the highest one whose `effective_from` is on or before it. The per-customer results of a
 * run live in `customer_ratings` (partitioned by month, created in migration SQL).
 */
export const ruleSets = pgTable(
  'rule_sets',
  {
    id: id(),
    family: text('family').notNull(),
    version: integer('version').notNull(),
    effectiveFrom: date('effective_from').notNull(), // first of a month
    params: jsonb('params').notNull(),
    note: text('note'),
    createdBy: ref('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('rule_sets_family_version_uq').on(t.family, t.version)],
);

/** One monthly run (月度计算): which versions it used, what it counted, and whether it was rolled back. */
export const ruleRuns = pgTable(
  'rule_runs',
  {
    id: id(),
    month: date('month').notNull(),
    status: text('status').notNull(), // completed | failed | rolled_back
    trigger: text('trigger').notNull(), // api | cli | schedule
    versions: jsonb('versions').notNull(), // { star: 3, credit: 1, … }
    counts: jsonb('counts').notNull(),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
    actorId: ref('actor_id').references(() => users.id),
    startedAt: ts('started_at').notNull().defaultNow(),
    rolledBackAt: ts('rolled_back_at'),
    rolledBackBy: ref('rolled_back_by').references(() => users.id),
  },
  (t) => [index('rule_runs_month_idx').on(t.month, t.startedAt)],
);

/** 积分账户: the balance of a customer's points, never negative (also under concurrent redemptions). */
export const pointsAccounts = pgTable(
  'points_accounts',
  {
    // not a foreign key: a first run opens a million accounts, and the per-row check of the key cost as
    // much as the rest of the insert; accounts are opened only for existing customers (docs/decisions.md)
    customerId: ref('customer_id').primaryKey(),
    balance: integer('balance').notNull().default(0),
    earned: integer('earned').notNull().default(0), // earn + promo
    redeemed: integer('redeemed').notNull().default(0),
    expired: integer('expired').notNull().default(0),
    adjusted: integer('adjusted').notNull().default(0), // signed sum of adjustments
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('points_balance_not_negative', sql`${t.balance} >= 0`),
    check('points_conserved', sql`${t.balance} = ${t.earned} - ${t.redeemed} - ${t.expired} + ${t.adjusted}`),
  ],
);

/** 积分流水: every earn / promo / redeem / expire / adjust entry; `points` is signed. */
export const pointsLedger = pgTable(
  'points_ledger',
  {
    id: id(),
    // no foreign keys on this table: a run writes a million entries, and the per-row trigger of a foreign
    // key check (even on a null actor) costs more than the rest of the insert (docs/decisions.md)
    customerId: ref('customer_id').notNull(),
    kind: text('kind').notNull(), // earn | promo | redeem | expire | adjust
    points: integer('points').notNull(),
    month: date('month'), // the run month of earn / promo / expire entries
    runId: ref('run_id'),
    catalogueItemId: ref('catalogue_item_id'),
    quantity: integer('quantity'),
    reason: text('reason'),
    actorId: ref('actor_id'),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [
    index('points_ledger_customer_idx').on(t.customerId, t.at),
    // a month's run awards each kind at most once per customer; month first, it also serves the rollback
    // of a month and the expiry's search for old earnings
    uniqueIndex('points_ledger_run_entry_uq').on(t.month, t.kind, t.customerId).where(sql`${t.runId} IS NOT NULL`),
  ],
);

/** 积分兑换目录: what points can be redeemed for. */
export const pointsCatalogue = pgTable(
  'points_catalogue',
  {
    id: id(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    points: integer('points').notNull(),
    active: text('active').notNull().default('yes'), // yes | no
    ...editable(),
  },
  (t) => [uniqueIndex('points_catalogue_code_uq').on(t.code), check('points_catalogue_points_positive', sql`${t.points} > 0`)],
);

/** 权益使用: one use of a per-level benefit (VIP lounge visit, free SIM replacement …). */
export const benefitUsages = pgTable(
  'benefit_usages',
  {
    id: id(),
    customerId: ref('customer_id')
      .notNull()
      .references(() => customers.id),
    benefit: text('benefit').notNull(),
    year: integer('year').notNull(),
    quantity: integer('quantity').notNull(),
    note: text('note'),
    actorId: ref('actor_id').references(() => users.id),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('benefit_usages_customer_idx').on(t.customerId, t.benefit, t.year)],
);

/** 优惠申请: a custom discount that the right head approves according to its amount. */
export const discountRequests = pgTable(
  'discount_requests',
  {
    id: id(),
    customerId: ref('customer_id')
      .notNull()
      .references(() => customers.id),
    amount: money('amount').notNull(), // yuan per month
    months: integer('months').notNull(),
    reason: text('reason').notNull(),
    approverLevel: text('approver_level').notNull(), // city | province
    status: text('status').notNull().default('pending'), // pending | approved | rejected | withdrawn
    requestedBy: ref('requested_by').references(() => users.id),
    decidedBy: ref('decided_by').references(() => users.id),
    decidedAt: ts('decided_at'),
    decisionNote: text('decision_note'),
    ...editable(),
  },
  (t) => [index('discount_requests_status_idx').on(t.status, t.createdAt), index('discount_requests_customer_idx').on(t.customerId)],
);

/** 潜在大客户: a candidate found by a run, confirmed (enters the in-network archive) or rejected by a manager. */
export const potentialCandidates = pgTable(
  'potential_candidates',
  {
    id: id(),
    customerId: ref('customer_id')
      .notNull()
      .references(() => customers.id),
    month: date('month').notNull(),
    runId: ref('run_id').references(() => ruleRuns.id),
    reasons: jsonb('reasons').notNull(), // { spend: '812.40', growthPct: 35, employees: …, members: … }
    status: text('status').notNull().default('open'), // open | confirmed | rejected
    decidedBy: ref('decided_by').references(() => users.id),
    decidedAt: ts('decided_at'),
    decisionNote: text('decision_note'),
    confirmedLevel: text('confirmed_level'),
    ...editable(),
  },
  (t) => [
    uniqueIndex('potential_candidates_open_uq').on(t.customerId).where(sql`${t.status} = 'open'`),
    index('potential_candidates_status_idx').on(t.status, t.month),
  ],
);
