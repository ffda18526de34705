import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  inet,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { editable, id, ts } from './columns.js';


/** 组织结构: HQ → province → city → county → outlet. `path` is the materialised path of ids ("/1/4/17/"). */
export const orgUnits = pgTable(
  'org_units',
  {
    id: id(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    kind: text('kind').notNull(),
    parentId: bigint('parent_id', { mode: 'number' }),
    path: text('path').notNull(),
    /** The place among its siblings (the province's cities in their official order); none: after, by code. */
    sortOrder: integer('sort_order'),
    active: boolean('active').notNull().default(true),
    ...editable(),
  },
  (t) => [
    uniqueIndex('org_units_code_uq').on(t.code),
    index('org_units_path_idx').on(sql`${t.path} text_pattern_ops`),
    index('org_units_parent_idx').on(t.parentId),
  ],
);

export const roles = pgTable(
  'roles',
  {
    id: id(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    description: text('description'),
    builtin: boolean('builtin').notNull().default(false),
    permissions: text('permissions').array().notNull().default(sql`'{}'::text[]`),
    /** The unit that made a custom role: it is visible in that unit's subtree. Built-in roles have none (global). */
    unitId: bigint('unit_id', { mode: 'number' }).references(() => orgUnits.id),
    ...editable(),
  },
  (t) => [uniqueIndex('roles_code_uq').on(t.code), index('roles_unit_idx').on(t.unitId)],
);

export const users = pgTable(
  'users',
  {
    id: id(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    email: text('email'),
    phone: text('phone'),
    unitId: bigint('unit_id', { mode: 'number' })
      .notNull()
      .references(() => orgUnits.id),
    passwordHash: text('password_hash').notNull(),
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    active: boolean('active').notNull().default(true),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    lockedUntil: ts('locked_until'),
    passwordChangedAt: ts('password_changed_at').notNull().defaultNow(),
    lastLoginAt: ts('last_login_at'),
    locale: text('locale').notNull().default('zh-CN'),
    ...editable(),
  },
  (t) => [uniqueIndex('users_username_uq').on(sql`lower(${t.username})`), index('users_unit_idx').on(t.unitId)],
);

export const userRoles = pgTable(
  'user_roles',
  {
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    roleId: bigint('role_id', { mode: 'number' })
      .notNull()
      .references(() => roles.id),
  },
  (t) => [primaryKey({ columns: [t.userId, t.roleId] }), index('user_roles_role_idx').on(t.roleId)],
);

/** Server-side sessions; `id` is the SHA-256 of the cookie token, so a database read never yields a usable token. */
/** Reveals of personal data per user in the current minute (platform/auth/reveal-limit.ts), shared by every instance. */
export const piiRevealWindows = pgTable('pii_reveal_windows', {
  userId: bigint('user_id', { mode: 'number' })
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  windowStart: ts('window_start').notNull(),
  reveals: integer('reveals').notNull(),
});

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
    ip: inet('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

/**
 * 日志管理: the append-only audit trail, hash-chained with a key the database never sees: the audit writer
 * signs each entry's content (entry_mac) in the writing transaction, without a position; the sealer
 * (platform/audit/sealer.ts) gives the committed entries their positions and chain hashes after the commit.
 * Triggers (migrations 0001, 0020, 0036) refuse an entry inserted with a position, an unsigned one, any
 * UPDATE but the sealer's, DELETE and TRUNCATE.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** Position in the hash chain, given by the sealer after the commit (null until then); the chain's order is the sealing order. */
    seq: bigint('seq', { mode: 'number' }),
    at: ts('at').notNull().defaultNow(),
    actorId: bigint('actor_id', { mode: 'number' }),
    actorUsername: text('actor_username'),
    /** The actor's unit when they acted (an auditor at or below it sees the actor's security events). */
    actorUnitPath: text('actor_unit_path'),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    unitPath: text('unit_path'),
    before: jsonb('before'),
    after: jsonb('after'),
    diff: jsonb('diff'),
    requestId: text('request_id'),
    ip: text('ip'),
    prevHash: text('prev_hash'),
    /** The chain hash (null until sealed). */
    hash: text('hash'),
    /** The audit key that signed the entry (its fingerprint); null for the key-less entries older than migration 0020. */
    keyId: text('key_id'),
    /** HMAC of the entry's content, signed in the writing transaction; null for entries older than migration 0036. */
    entryMac: text('entry_mac'),
  },
  (t) => [
    uniqueIndex('audit_log_seq_uq').on(t.seq),
    /** The entries waiting for the sealer. */
    index('audit_log_unsealed_idx').on(t.id).where(sql`${t.seq} IS NULL`),
    index('audit_log_at_idx').on(t.at),
    index('audit_log_entity_idx').on(t.entity, t.entityId),
    index('audit_log_actor_idx').on(t.actorId),
  ],
);

/** Scheduled job runs; the scheduler takes an advisory lock so that one run happens across instances. */
export const jobRuns = pgTable(
  'job_runs',
  {
    id: id(),
    job: text('job').notNull(),
    startedAt: ts('started_at').notNull().defaultNow(),
    finishedAt: ts('finished_at'),
    status: text('status').notNull(),
    detail: jsonb('detail'),
    /** The tick of a scheduled run (null for a run started by hand): one run per job and tick across instances. */
    scheduledFor: ts('scheduled_for'),
  },
  (t) => [index('job_runs_job_idx').on(t.job, t.startedAt), uniqueIndex('job_runs_tick_idx').on(t.job, t.scheduledFor)],
);
