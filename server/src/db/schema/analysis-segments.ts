import { bigint, boolean, date, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { editable, id, ref, ts } from './columns.js';

/**
 * 综合查询 and 目标客户群 (DOMAIN.md §6, modules/analysis/query and segments). A saved query keeps its condition
 * tree; it is its owner's, and shared with the users of the owner's unit subtree when `shared`. Who sees which
 * customers is never stored: every evaluation applies the reader's own data scope.
 */
export const analysisSavedQueries = pgTable(
  'analysis_saved_queries',
  {
    id: id(),
    name: text('name').notNull(),
    tree: jsonb('tree').notNull(), // the condition tree (modules/analysis/query/tree.ts)
    ownerId: ref('owner_id').notNull(),
    unitId: ref('unit_id').notNull(), // the owner's unit when saved: sharing reaches its subtree
    shared: boolean('shared').notNull().default(false), // visible to the unit subtree's users with analysis.query
    ...editable(),
  },
  (t) => [index('analysis_saved_queries_owner_idx').on(t.ownerId), index('analysis_saved_queries_unit_idx').on(t.unitId)],
);

/** 目标客户群: a segment made from a condition tree, `live` (evaluated on each read) or `frozen` (its members stored). */
export const analysisSegments = pgTable(
  'analysis_segments',
  {
    id: id(),
    name: text('name').notNull(),
    queryId: ref('query_id'), // the saved query it was made from, if any (the tree is copied: editing the query leaves it)
    tree: jsonb('tree').notNull(),
    mode: text('mode').notNull().default('live'), // live | frozen
    frozenAt: ts('frozen_at'),
    frozenSize: integer('frozen_size'),
    ownerId: ref('owner_id').notNull(),
    unitId: ref('unit_id').notNull(),
    ...editable(),
  },
  (t) => [index('analysis_segments_unit_idx').on(t.unitId)],
);

/** The snapshot of a frozen segment: its customers when it was frozen (set-based INSERT … SELECT). */
export const analysisSegmentMembers = pgTable(
  'analysis_segment_members',
  {
    segmentId: bigint('segment_id', { mode: 'number' }).notNull(),
    customerId: bigint('customer_id', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.segmentId, t.customerId] })],
);

/** 营销活动: a campaign to a segment's customers (channel, period, offer), draft → running → closed. */
export const analysisCampaigns = pgTable(
  'analysis_campaigns',
  {
    id: id(),
    name: text('name').notNull(),
    channel: text('channel').notNull(), // sms | phone | visit | wechat | email | outlet
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on').notNull(),
    offer: text('offer').notNull(),
    status: text('status').notNull().default('draft'), // draft | running | closed
    segmentId: ref('segment_id'),
    ownerId: ref('owner_id').notNull(),
    unitId: ref('unit_id').notNull(),
    ...editable(),
  },
  (t) => [index('analysis_campaigns_unit_idx').on(t.unitId, t.startsOn)],
);

/** A campaign's customer and its response (responded / accepted / declined / no_answer; null: not contacted yet). */
export const analysisCampaignMembers = pgTable(
  'analysis_campaign_members',
  {
    campaignId: bigint('campaign_id', { mode: 'number' }).notNull(),
    customerId: bigint('customer_id', { mode: 'number' }).notNull(),
    unitId: ref('unit_id').notNull(), // the customer's unit and manager when added: the figures are cut by them
    managerId: ref('manager_id'),
    response: text('response'),
    respondedAt: ts('responded_at'),
    recordedBy: ref('recorded_by'),
    note: text('note'),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.customerId] }), index('analysis_campaign_members_customer_idx').on(t.customerId)],
);
