import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { editable, id, money, ref, ts } from './columns.js';
import { orgUnits, users } from './platform.js';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * 大客户档案: one row per key account, group (集团客户) or individual (个人大客户). `archive` says which
 * archive it is in (在网 in_network / 保留 retained); nothing is ever deleted. Kind-specific columns are
 * null for the other kind. ID numbers are stored encrypted (AES-256-GCM) with a keyed hash for lookup.
 */
export const customers = pgTable(
  'customers',
  {
    id: id(),
    customerNo: text('customer_no').notNull(),
    kind: text('kind').notNull(), // group | individual
    name: text('name').notNull(),
    archive: text('archive').notNull().default('in_network'), // in_network | retained
    archivedReason: text('archived_reason'),
    archivedOn: date('archived_on'),
    unitId: ref('unit_id')
      .notNull()
      .references(() => orgUnits.id),
    managerId: ref('manager_id').references(() => users.id),
    industry: text('industry'), // GB/T 4754 section letter
    brand: text('brand'), // 全球通 gotone | 动感地带 mzone | 神州行 easyown
    contactPhone: text('contact_phone'),
    address: text('address'),
    joinedOn: date('joined_on'), // 入网日期: tenure counts from here
    // group customers (集团客户)
    creditCode: text('credit_code'), // 统一社会信用代码
    legalRepresentative: text('legal_representative'),
    employees: integer('employees'),
    registeredCapital: money('registered_capital'),
    revenueBand: text('revenue_band'),
    itNeeds: text('it_needs'),
    strategic: boolean('strategic').notNull().default(false), // 战略客户: class A whatever the figures
    // individual key accounts (个人大客户)
    gender: text('gender'),
    birthday: date('birthday'),
    idType: text('id_type'),
    idNumberEnc: bytea('id_number_enc'),
    idNumberHash: text('id_number_hash'),
    idNumberTail: text('id_number_tail'), // last four characters, for the masked display
    employer: text('employer'),
    jobTitle: text('job_title'),
    preferences: text('preferences'),
    contactChannel: text('contact_channel'),
    realNameVerified: boolean('real_name_verified').notNull().default(true),
    mergedInto: ref('merged_into'),
    ...editable(),
  },
  (t) => [
    uniqueIndex('customers_no_uq').on(t.customerNo),
    index('customers_unit_idx').on(t.unitId),
    index('customers_unit_no_idx').on(t.unitId, t.customerNo),
    index('customers_manager_idx').on(t.managerId),
    // a manager's portfolio (the workbench, the team view, portfolio sizes) counted from the index alone; with the
    // ids, its value too (joined to a month's totals by customer: 经理档案's list sorted by portfolio value)
    index('customers_portfolio_idx').on(t.managerId, t.id).where(sql`${t.mergedInto} IS NULL AND ${t.archive} = 'in_network'`),
    index('customers_archive_idx').on(t.archive, t.kind),
    // the usual list filters with the default sort key and the id: a region's bounded count and the keys of
    // its page come from this index alone (index-only scan), not from the table
    index('customers_unit_filters_idx').on(t.unitId, t.archive, t.kind, t.brand, t.customerNo, t.id),
    index('customers_credit_code_idx').on(t.creditCode),
    index('customers_id_hash_idx').on(t.idNumberHash),
    index('customers_name_trgm_idx').using('gin', sql`${t.name} gin_trgm_ops`),
    // a name's start (a two-character personal name) with the default sort key, the unit and the id: the
    // search box's prefix arm reads its matches from this index alone (index-only scan)
    index('customers_name_prefix_keys_idx').on(sql`${t.name} text_pattern_ops`, t.customerNo, t.unitId, t.id),
    index('customers_contact_phone_idx').on(t.contactPhone),
  ],
);

/** 关键人: the people who matter at a group customer. */
export const keyPersons = pgTable(
  'key_persons',
  {
    id: id(),
    customerId: ref('customer_id')
      .notNull()
      .references(() => customers.id),
    name: text('name').notNull(),
    role: text('role').notNull(), // decision_maker | it_contact | finance_contact | other
    title: text('title'),
    phone: text('phone'),
    birthday: date('birthday'),
    preferences: text('preferences'),
    ...editable(),
  },
  (t) => [
    index('key_persons_customer_idx').on(t.customerId),
    index('key_persons_name_trgm_idx').using('gin', sql`${t.name} gin_trgm_ops`),
    index('key_persons_name_prefix_keys_idx').on(sql`${t.name} text_pattern_ops`, t.customerId),
  ],
);

export const contracts = pgTable(
  'contracts',
  {
    id: id(),
    customerId: ref('customer_id')
      .notNull()
      .references(() => customers.id),
    contractNo: text('contract_no').notNull(),
    title: text('title').notNull(),
    signedOn: date('signed_on').notNull(),
    expiresOn: date('expires_on').notNull(),
    amount: money('amount'),
    ...editable(),
  },
  (t) => [uniqueIndex('contracts_no_uq').on(t.contractNo), index('contracts_customer_idx').on(t.customerId, t.expiresOn)],
);

/** Our products in use at a customer (集团V网, 专线, 移动总机, 企业短信 …) and competitors' (竞争对手信息). */
export const customerProducts = pgTable(
  'customer_products',
  {
    id: id(),
    customerId: ref('customer_id')
      .notNull()
      .references(() => customers.id),
    competitor: text('competitor'), // null: ours; else 中国电信 / 中国联通 / 中国广电 …
    product: text('product').notNull(),
    since: date('since'),
    monthlyFee: money('monthly_fee'),
    note: text('note'),
    ...editable(),
  },
  (t) => [index('customer_products_customer_idx').on(t.customerId)],
);

/** 号码: a subscription (MSISDN) of one customer, optionally a member of a group customer. */
export const subscriptions = pgTable(
  'subscriptions',
  {
    id: id(),
    msisdn: text('msisdn').notNull(),
    customerId: ref('customer_id')
      .notNull()
      .references(() => customers.id),
    groupCustomerId: ref('group_customer_id').references(() => customers.id),
    plan: text('plan').notNull(),
    status: text('status').notNull().default('normal'), // normal | suspended | ported_out | closed
    openedOn: date('opened_on').notNull(),
    ...editable(),
  },
  (t) => [
    uniqueIndex('subscriptions_msisdn_uq').on(t.msisdn),
    index('subscriptions_customer_idx').on(t.customerId),
    index('subscriptions_group_idx').on(t.groupCustomerId),
    // 异动: the few numbers suspended or ported out, read by the abnormal-changes dashboard without the other two million
    index('subscriptions_abnormal_idx').on(t.status, t.customerId).where(sql`status IN ('suspended', 'ported_out')`),
  ],
);

/** 动态管理: every field change of a customer, with its source. */
export const customerChanges = pgTable(
  'customer_changes',
  {
    id: id(),
    customerId: ref('customer_id')
      .notNull()
      .references(() => customers.id),
    field: text('field').notNull(),
    oldValue: text('old_value'),
    newValue: text('new_value'),
    source: text('source').notNull(), // boss_import | manager_visit | self_report | service_agent | console
    visitId: ref('visit_id'),
    actorId: ref('actor_id'),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('customer_changes_customer_idx').on(t.customerId, t.at)],
);

/** A manager's visit (走访) or call, from which fields may be updated. */
export const visits = pgTable(
  'visits',
  {
    id: id(),
    customerId: ref('customer_id')
      .notNull()
      .references(() => customers.id),
    managerId: ref('manager_id').references(() => users.id),
    visitedOn: date('visited_on').notNull(),
    channel: text('channel').notNull(), // visit | phone | wechat | meeting
    summary: text('summary').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('visits_customer_idx').on(t.customerId, t.visitedOn)],
);

/** Moves between the archives: port-out, closure, lost status, win-back … */
export const lifecycleEvents = pgTable(
  'lifecycle_events',
  {
    id: id(),
    customerId: ref('customer_id')
      .notNull()
      .references(() => customers.id),
    fromArchive: text('from_archive').notNull(),
    toArchive: text('to_archive').notNull(),
    reason: text('reason').notNull(),
    effectiveOn: date('effective_on').notNull(),
    note: text('note'),
    actorId: ref('actor_id'),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('lifecycle_events_customer_idx').on(t.customerId, t.at)],
);

/** 客户经理归属: who served whom, when. The open row (until null) is the current assignment. */
export const portfolioAssignments = pgTable(
  'portfolio_assignments',
  {
    id: id(),
    customerId: ref('customer_id')
      .notNull()
      .references(() => customers.id),
    managerId: ref('manager_id')
      .notNull()
      .references(() => users.id),
    fromDate: date('from_date').notNull(),
    untilDate: date('until_date'),
    assignedBy: ref('assigned_by'),
    /** Where the assignment came from, as a field change's source: console, boss_import (loads take the default). */
    source: text('source').default('boss_import'),
  },
  (t) => [index('portfolio_customer_idx').on(t.customerId, t.fromDate), index('portfolio_manager_idx').on(t.managerId)],
);

export const savedFilters = pgTable(
  'saved_filters',
  {
    id: id(),
    userId: ref('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    target: text('target').notNull(), // customers
    name: text('name').notNull(),
    filter: jsonb('filter').notNull(),
    ...editable(),
  },
  (t) => [uniqueIndex('saved_filters_user_name_uq').on(t.userId, t.target, t.name)],
);
