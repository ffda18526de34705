import { sql } from 'drizzle-orm';
import { boolean, check, customType, date, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { editable, id, money, ref, ts } from './columns.js';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * 工单 (service requests, DOMAIN.md §5): one row per request with its SLA clock. The due times are computed
 * when the request is created and moved on when a pause ends (services/sla/clock.ts), so that the SLA job is
 * a set-based comparison with now() over the open requests (partial indexes below).
 * `raised_unit_id` is where the request was made (an outlet of city B for a customer of city A: 跨地区服务);
 * `handling_unit_id` the unit that handles it (its type's rule: the customer's home unit or the local one);
 * the three units each see the request and count it in their reports.
 */
export const serviceRequests = pgTable(
  'service_requests',
  {
    id: id(),
    requestNo: text('request_no').notNull(),
    customerId: ref('customer_id').notNull(),
    type: text('type').notNull(), // consultation | complaint | fault | bill_query | plan_change | sim_replacement | repair | payment | network_transfer | reconnection
    status: text('status').notNull().default('new'), // new | accepted | in_progress | waiting_customer | resolved | closed
    channel: text('channel').notNull(), // hotline | outlet | manager | web | partner
    priority: text('priority').notNull().default('normal'), // normal | urgent
    areaKind: text('area_kind').notNull().default('town'), // town | rural (城镇 / 农村): the SLA of faults differs
    title: text('title').notNull(),
    description: text('description'),
    homeUnitId: ref('home_unit_id').notNull(), // the customer's unit when the request was raised: it counts in that unit's reports
    raisedUnitId: ref('raised_unit_id').notNull(),
    handlingUnitId: ref('handling_unit_id').notNull(),
    crossRegion: boolean('cross_region').notNull().default(false), // raised outside the area (city) of the customer's unit
    ownerId: ref('owner_id'),
    createdBy: ref('created_by'),
    slaPolicyId: ref('sla_policy_id'),
    clock: text('clock').notNull().default('calendar'), // calendar | business
    respondDueAt: ts('respond_due_at'),
    resolveDueAt: ts('resolve_due_at'),
    warnAt: ts('warn_at'), // when the warning before a breach of the resolution target is due
    respondedAt: ts('responded_at'),
    resolvedAt: ts('resolved_at'),
    closedAt: ts('closed_at'),
    pausedAt: ts('paused_at'), // set while waiting for the customer: the clock stands still
    slaState: text('sla_state').notNull().default('ok'), // ok | warning | breached
    warnedAt: ts('warned_at'),
    breachedAt: ts('breached_at'), // the first breach, of either target
    resolveBreachedAt: ts('resolve_breached_at'), // the breach of the resolution target (a fault's fee is waived then)
    breachReason: text('breach_reason'),
    reopenCount: integer('reopen_count').notNull().default(0),
    // an open request's customer's account manager, kept by triggers (migration 0039): a portfolio's open requests in one range
    managerId: ref('manager_id'),
    ...editable(),
  },
  (t) => [
    uniqueIndex('service_requests_no_uq').on(t.requestNo),
    // the open requests of a manager's portfolio (the workbench): one range instead of a probe per customer
    index('service_requests_manager_open_idx').on(t.managerId).where(sql`${t.status} NOT IN ('resolved', 'closed')`),
    index('service_requests_customer_idx').on(t.customerId, t.createdAt),
    // a customer's open requests (its 360° view)
    index('service_requests_customer_open_idx').on(t.customerId).where(sql`${t.status} NOT IN ('resolved', 'closed')`),
    index('service_requests_handling_open_idx').on(t.handlingUnitId, t.createdAt).where(sql`${t.status} NOT IN ('resolved', 'closed')`),
    index('service_requests_raised_open_idx').on(t.raisedUnitId, t.createdAt).where(sql`${t.status} NOT IN ('resolved', 'closed')`),
    index('service_requests_home_open_idx').on(t.homeUnitId, t.createdAt).where(sql`${t.status} NOT IN ('resolved', 'closed')`),
    index('service_requests_owner_idx').on(t.ownerId, t.status),
    index('service_requests_due_idx').on(t.resolveDueAt).where(sql`${t.status} IN ('new', 'accepted', 'in_progress') AND ${t.resolveBreachedAt} IS NULL`),
    index('service_requests_handling_idx').on(t.handlingUnitId, t.createdAt),
    index('service_requests_warn_idx').on(t.warnAt).where(sql`${t.slaState} = 'ok' AND ${t.status} IN ('new', 'accepted', 'in_progress')`),
    index('service_requests_respond_idx').on(t.respondDueAt).where(sql`${t.respondedAt} IS NULL AND ${t.status} = 'new' AND ${t.slaState} <> 'breached'`),
  ],
);

/** The timeline of a request: every step (status, owner, note, reply, attachment, SLA warning and breach, waiver). */
export const serviceRequestEvents = pgTable(
  'service_request_events',
  {
    id: id(),
    requestId: ref('request_id').notNull(),
    kind: text('kind').notNull(), // created | status | assigned | note | reply | attachment | sla_warning | sla_breach | fee_waived | survey | reopened
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    body: text('body'),
    // internal notes are for staff; replies are what the customer is told (the same on every channel)
    visibility: text('visibility').notNull().default('internal'), // internal | customer
    detail: jsonb('detail'),
    actorId: ref('actor_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('service_request_events_request_idx').on(t.requestId, t.id)],
);

/** Files attached to a request (screenshots, scanned forms), kept in the database so that any instance serves them. */
export const serviceRequestAttachments = pgTable(
  'service_request_attachments',
  {
    id: id(),
    requestId: ref('request_id').notNull(),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    data: bytea('data').notNull(),
    uploadedBy: ref('uploaded_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('service_request_attachments_request_idx').on(t.requestId)],
);

/**
 * SLA policies (服务时限): targets per request type, customer level and area; the most specific active one
 * applies (a level and area named before "any"). Minutes of the policy's clock: calendar, or business hours.
 */
export const slaPolicies = pgTable(
  'sla_policies',
  {
    id: id(),
    requestType: text('request_type').notNull(),
    level: text('level'), // a customer level (rules/params.ts LEVELS), null: any
    areaKind: text('area_kind'), // town | rural, null: any
    respondMinutes: integer('respond_minutes').notNull(),
    resolveMinutes: integer('resolve_minutes').notNull(),
    clock: text('clock').notNull().default('calendar'), // calendar | business
    warnPercent: integer('warn_percent').notNull().default(80), // warn when this share of the resolution time has passed
    waivesFee: boolean('waives_fee').notNull().default(false), // a breach waives the month's fee for the outage (faults)
    active: boolean('active').notNull().default(true),
    note: text('note'),
    ...editable(),
  },
  (t) => [
    uniqueIndex('sla_policies_scope_uq').on(t.requestType, sql`coalesce(${t.level}, '')`, sql`coalesce(${t.areaKind}, '')`),
    check('sla_policies_positive', sql`${t.respondMinutes} > 0 AND ${t.resolveMinutes} >= ${t.respondMinutes}`),
    check('sla_policies_warn_percent', sql`${t.warnPercent} BETWEEN 1 AND 99`),
  ],
);

/** 节假日: days off (holiday) and weekend days worked instead (workday, 调休) for business-hours clocks. */
export const holidays = pgTable('holidays', {
  day: date('day').primaryKey(),
  kind: text('kind').notNull(), // holiday | workday
  name: text('name').notNull(),
  createdBy: ref('created_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** 免收月租: a fault that outlasted its limit waives the month's fee for the outage (2011 standard). */
export const feeWaivers = pgTable(
  'fee_waivers',
  {
    id: id(),
    requestId: ref('request_id').notNull(),
    customerId: ref('customer_id').notNull(),
    month: date('month').notNull(),
    reason: text('reason').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('fee_waivers_request_uq').on(t.requestId), index('fee_waivers_customer_idx').on(t.customerId, t.month)],
);

/** 预约服务: what can be booked — a manager's time, an outlet's counter, a VIP lounge — in a unit. */
export const appointmentResources = pgTable(
  'appointment_resources',
  {
    id: id(),
    kind: text('kind').notNull(), // manager | outlet | vip_lounge
    name: text('name').notNull(),
    nameEn: text('name_en'),
    unitId: ref('unit_id').notNull(),
    userId: ref('user_id'), // the manager of a manager's resource
    active: boolean('active').notNull().default(true),
    ...editable(),
  },
  (t) => [index('appointment_resources_unit_idx').on(t.unitId)],
);

/** A bookable slot of a resource with its capacity; `booked` counts the bookings that hold a place. */
export const appointmentSlots = pgTable(
  'appointment_slots',
  {
    id: id(),
    resourceId: ref('resource_id').notNull(),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    capacity: integer('capacity').notNull(),
    booked: integer('booked').notNull().default(0),
    ...editable(),
  },
  (t) => [
    uniqueIndex('appointment_slots_resource_start_uq').on(t.resourceId, t.startsAt),
    index('appointment_slots_start_idx').on(t.startsAt),
    check('appointment_slots_capacity', sql`${t.capacity} > 0 AND ${t.booked} BETWEEN 0 AND ${t.capacity}`),
    check('appointment_slots_window', sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

/** A customer's booking of a slot: booked, then attended or no-show, or cancelled (moving re-books another slot). */
export const appointments = pgTable(
  'appointments',
  {
    id: id(),
    slotId: ref('slot_id').notNull(),
    customerId: ref('customer_id').notNull(),
    status: text('status').notNull().default('booked'), // booked | attended | no_show | cancelled
    purpose: text('purpose').notNull(),
    note: text('note'),
    bookedBy: ref('booked_by'),
    remindedAt: ts('reminded_at'),
    ...editable(),
  },
  (t) => [index('appointments_slot_idx').on(t.slotId), index('appointments_customer_idx').on(t.customerId, t.createdAt)],
);

/** 解决方案目录: products and bundles (a bundle lists its products) with their standard monthly fee. */
export const solutionProducts = pgTable(
  'solution_products',
  {
    id: id(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    kind: text('kind').notNull(), // product | bundle
    category: text('category').notNull(), // e.g. connectivity | cloud | ict | voice | iot | personal
    monthlyFee: money('monthly_fee').notNull(),
    description: text('description'),
    active: boolean('active').notNull().default(true),
    ...editable(),
  },
  (t) => [uniqueIndex('solution_products_code_uq').on(t.code)],
);

export const solutionBundleItems = pgTable(
  'solution_bundle_items',
  {
    bundleId: ref('bundle_id').notNull(),
    productId: ref('product_id').notNull(),
    quantity: integer('quantity').notNull().default(1),
  },
  (t) => [primaryKey({ columns: [t.bundleId, t.productId] })],
);

/** 集团/个人解决方案: a proposal for a customer, from draft to signed or lost (with the reason). */
export const solutions = pgTable(
  'solutions',
  {
    id: id(),
    customerId: ref('customer_id').notNull(),
    kind: text('kind').notNull(), // group | personal
    title: text('title').notNull(),
    status: text('status').notNull().default('draft'), // draft | proposed | negotiating | signed | lost
    expectedMonthlyRevenue: money('expected_monthly_revenue').notNull().default('0'),
    lostReason: text('lost_reason'),
    ownerId: ref('owner_id'),
    proposedAt: ts('proposed_at'),
    signedAt: ts('signed_at'),
    closedAt: ts('closed_at'),
    note: text('note'),
    ...editable(),
  },
  (t) => [index('solutions_customer_idx').on(t.customerId), index('solutions_owner_idx').on(t.ownerId, t.status), index('solutions_status_idx').on(t.status, t.updatedAt)],
);

export const solutionItems = pgTable(
  'solution_items',
  {
    id: id(),
    solutionId: ref('solution_id').notNull(),
    productId: ref('product_id').notNull(),
    quantity: integer('quantity').notNull().default(1),
    monthlyFee: money('monthly_fee').notNull(), // agreed fee per unit, may differ from the catalogue's
  },
  (t) => [index('solution_items_solution_idx').on(t.solutionId), check('solution_items_quantity', sql`${t.quantity} > 0`)],
);

/**
 * 消息通知 (platform/notify): in-app messages to a user; the text is a catalogue code with its parameters,
 * worded in the reader's language when read.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    userId: ref('user_id').notNull(),
    code: text('code').notNull(),
    params: jsonb('params').notNull().default({}),
    link: text('link'), // a console path (/services/requests/17)
    entity: text('entity'),
    entityId: ref('entity_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
    readAt: ts('read_at'),
  },
  (t) => [index('notifications_user_idx').on(t.userId, t.createdAt), index('notifications_unread_idx').on(t.userId).where(sql`${t.readAt} IS NULL`)],
);

/**
 * 外发消息: SMS and e-mail waiting for an adapter to send them. The recipient is kept encrypted (the PII
 * vault) with a masked copy to show; `dedupe_key` makes a reminder or a notice sent once however often a
 * job runs.
 */
export const outboundMessages = pgTable(
  'outbound_messages',
  {
    id: id(),
    channel: text('channel').notNull(), // sms | email
    recipientEnc: text('recipient_enc').notNull(),
    recipientMasked: text('recipient_masked').notNull(),
    body: text('body').notNull(),
    status: text('status').notNull().default('pending'), // pending | sent | failed
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    dedupeKey: text('dedupe_key'),
    entity: text('entity'),
    entityId: ref('entity_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    sentAt: ts('sent_at'),
  },
  (t) => [
    uniqueIndex('outbound_messages_dedupe_uq').on(t.dedupeKey),
    index('outbound_messages_pending_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('outbound_messages_entity_idx').on(t.entity, t.entityId),
  ],
);

/** 满意度调查: one survey per closed request, answered once (score 1–5, a comment, whether the handling itself is complained of). */
export const serviceSurveys = pgTable(
  'service_surveys',
  {
    id: id(),
    requestId: ref('request_id').notNull(),
    channel: text('channel').notNull(), // in_app | sms
    sentAt: ts('sent_at').notNull().defaultNow(),
    answeredAt: ts('answered_at'),
    score: integer('score'),
    comment: text('comment'),
    complaint: boolean('complaint').notNull().default(false),
    answeredBy: ref('answered_by'), // the agent who keyed in an answer given by phone; null from the customer's link
  },
  (t) => [uniqueIndex('service_surveys_request_uq').on(t.requestId), check('service_surveys_score', sql`${t.score} IS NULL OR ${t.score} BETWEEN 1 AND 5`)],
);

/**
 * 割接/停机通知 (planned-work notices, DOMAIN.md §5; 客户服务标准 2011 §2.6): planned work that stops service in an
 * area — the subtree of `area_unit_id` — during a window. Customers are told at least 72 h ahead; a window over
 * 24 h or one touching key accounts is approved by a head first. draft → pending_approval → approved →
 * notified → completed; cancelled from any open state; a rejection goes back to draft with the head's note.
 */
export const plannedOutages = pgTable(
  'planned_outages',
  {
    id: id(),
    title: text('title').notNull(),
    description: text('description'),
    kind: text('kind').notNull(), // cutover 割接 | maintenance 维护 | upgrade 升级
    areaUnitId: ref('area_unit_id').notNull(),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    status: text('status').notNull().default('draft'), // draft | pending_approval | approved | notified | completed | cancelled
    needsApproval: boolean('needs_approval').notNull().default(true),
    submittedBy: ref('submitted_by'),
    submittedAt: ts('submitted_at'),
    approvedBy: ref('approved_by'), // the head who approved, or who rejected (decision_note says why)
    approvedAt: ts('approved_at'),
    decisionNote: text('decision_note'),
    createdBy: ref('created_by'),
    notifiedAt: ts('notified_at'),
    cancelledAt: ts('cancelled_at'),
    cancelReason: text('cancel_reason'),
    completedAt: ts('completed_at'),
    affectedCount: integer('affected_count'), // the key accounts in outage_customers; null until submitted
    ...editable(),
  },
  (t) => [
    index('planned_outages_area_idx').on(t.areaUnitId, t.startsAt),
    index('planned_outages_status_idx').on(t.status, t.startsAt),
    check('planned_outages_window', sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

/** The key accounts a planned outage affects (computed set-based when it is submitted and approved), and when each was told. */
export const outageCustomers = pgTable(
  'outage_customers',
  {
    outageId: ref('outage_id').notNull(),
    customerId: ref('customer_id').notNull(),
    notifiedAt: ts('notified_at'),
  },
  (t) => [primaryKey({ columns: [t.outageId, t.customerId] }), index('outage_customers_customer_idx').on(t.customerId)],
);

/**
 * 跨行业合作伙伴 (services/partners): an airline lounge, a hotel, a hospital… registered by an administrator with
 * the benefits it may confirm. It calls the partner API with a credential, never a session.
 */
export const partners = pgTable(
  'partners',
  {
    id: id(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    industry: text('industry').notNull(), // airline | hotel | hospital | golf | rail | other
    unitId: ref('unit_id').notNull(), // the unit that keeps the partnership (its administrators see it)
    active: boolean('active').notNull().default(true),
    benefits: text('benefits').array().notNull().default(sql`'{}'::text[]`), // benefit codes of the benefits rules it may confirm
    verifyByMemberNo: boolean('verify_by_member_no').notNull().default(false), // may verify by the membership number alone
    rateLimitPerMinute: integer('rate_limit_per_minute').notNull().default(600),
    note: text('note'),
    ...editable(),
  },
  (t) => [
    uniqueIndex('partners_code_uq').on(t.code),
    index('partners_unit_idx').on(t.unitId),
    check('partners_rate_limit', sql`${t.rateLimitPerMinute} BETWEEN 1 AND 1000000`),
  ],
);

/**
 * A partner's API credential: `key_id` is public (sent with every call), the secret is kept only as its SHA-256
 * (256 random bits: a slow hash adds nothing, docs/decisions.md). Rotation issues a new one while the old keeps
 * working until it is revoked or expires.
 */
export const partnerCredentials = pgTable(
  'partner_credentials',
  {
    id: id(),
    partnerId: ref('partner_id').notNull(),
    keyId: text('key_id').notNull(),
    secretHash: text('secret_hash').notNull(),
    label: text('label'),
    createdBy: ref('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at'),
    revokedAt: ts('revoked_at'),
    revokedBy: ref('revoked_by'),
  },
  (t) => [uniqueIndex('partner_credentials_key_uq').on(t.keyId), index('partner_credentials_partner_idx').on(t.partnerId)],
);

/**
 * 身份认证: one verification of a key account by a partner — a one-time code sent to the customer's phone
 * (`code_hash`, keyed by the verification's id), or the membership number alone. `customer_id` is null when the
 * number named nobody (the partner is answered alike, so that numbers cannot be probed).
 */
export const partnerVerifications = pgTable(
  'partner_verifications',
  {
    id: id(),
    partnerId: ref('partner_id').notNull(),
    customerId: ref('customer_id'),
    method: text('method').notNull(), // otp | member_no
    customerLabel: text('customer_label'), // the masked name (张**), all a partner ever sees of it
    codeHash: text('code_hash'),
    attempts: integer('attempts').notNull().default(0),
    expiresAt: ts('expires_at').notNull(),
    verifiedAt: ts('verified_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('partner_verifications_customer_idx').on(t.partnerId, t.customerId, t.createdAt)],
);

/** 消费确认: a partner's confirmation of a benefit used, once per partner transaction id; `answer` is the first answer, replayed. */
export const partnerConfirmations = pgTable(
  'partner_confirmations',
  {
    id: id(),
    partnerId: ref('partner_id').notNull(),
    partnerTxnId: text('partner_txn_id').notNull(),
    verificationId: ref('verification_id').notNull(),
    customerId: ref('customer_id').notNull(),
    benefit: text('benefit').notNull(),
    quantity: integer('quantity').notNull(),
    usageId: ref('usage_id'),
    answer: jsonb('answer'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('partner_confirmations_txn_uq').on(t.partnerId, t.partnerTxnId), index('partner_confirmations_partner_idx').on(t.partnerId, t.createdAt)],
);
