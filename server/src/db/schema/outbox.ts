import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { editable, id, ref, ts } from './columns.js';

/**
 * 事件通知 (platform/outbox): the events of the TM Forum APIs, written in the transaction of the change. The id
 * names an event; `position` is the order of delivery, given after the commit (delivery.ts `placeEvents`, from the
 * sequence event_outbox_position_seq) in the order the events became visible, so that an event committed late is
 * placed after those already delivered instead of behind a cursor. Each subscription reads the placed events of its
 * API after its cursor, so that an event is kept once however many listeners there are. Events name the resource
 * only: the delivery renders it.
 */
export const eventOutbox = pgTable(
  'event_outbox',
  {
    id: id(),
    api: text('api').notNull(), // tmf629 | tmf632 | tmf621 | tmf658
    eventType: text('event_type').notNull(),
    resourceType: text('resource_type').notNull(),
    resourceId: text('resource_id').notNull(),
    fields: jsonb('fields'),
    createdAt: ts('created_at').notNull().defaultNow(),
    /** Null until placed, a moment after its transaction committed. */
    position: ref('position'),
  },
  (t) => [
    index('event_outbox_api_position_idx').on(t.api, t.position),
    index('event_outbox_unplaced_idx').on(t.id).where(sql`${t.position} IS NULL`),
  ],
);

/**
 * A listener registered at a TMF hub (POST <api>/hub). Delivered in order: `cursor` is the position of the last
 * event of its API handed over (or dead-lettered); the head event after it is retried with back-off (`failures` in a row decide
 * the delay, `head_attempts` and `head_failing_since` when it is given up). The HMAC secret is sealed by the PII vault.
 */
export const eventSubscriptions = pgTable(
  'event_subscriptions',
  {
    id: id(),
    api: text('api').notNull(),
    callback: text('callback').notNull(),
    query: text('query'),
    secretEnc: text('secret_enc').notNull(),
    clientId: text('client_id'),
    userId: ref('user_id'),
    active: boolean('active').notNull().default(true),
    cursor: ref('cursor').notNull().default(0),
    failures: integer('failures').notNull().default(0),
    headAttempts: integer('head_attempts').notNull().default(0),
    headFailingSince: ts('head_failing_since'),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    lastError: text('last_error'),
    lastErrorAt: ts('last_error_at'),
    lastDeliveredAt: ts('last_delivered_at'),
    delivered: ref('delivered').notNull().default(0),
    ...editable(),
  },
  (t) => [index('event_subscriptions_api_idx').on(t.api)],
);

/** Events a subscription gave up on after its attempts; an administrator replays them (`replay_requested_at`). */
export const eventDeadLetters = pgTable(
  'event_dead_letters',
  {
    id: id(),
    subscriptionId: ref('subscription_id').notNull(),
    eventId: ref('event_id').notNull(),
    attempts: integer('attempts').notNull(),
    lastError: text('last_error'),
    deadAt: ts('dead_at').notNull().defaultNow(),
    replayRequestedAt: ts('replay_requested_at'),
  },
  (t) => [
    index('event_dead_letters_subscription_idx').on(t.subscriptionId, t.eventId),
    index('event_dead_letters_replay_idx').on(t.subscriptionId).where(sql`${t.replayRequestedAt} IS NOT NULL`),
  ],
);
