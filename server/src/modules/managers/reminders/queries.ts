/**
 * SQL of the reminders: the daily generation (one INSERT … SELECT per type, set-based over every manager at
 * once, with each manager's settings resolved from their unit's path), the digest's counts, and the reads and
 * writes of the API.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.js';
import { reminders, reminderSettings } from '../../../db/schema/index.js';
import { updateAtVersion } from '../../../db/versioned.js';
import { DEFAULT_SETTINGS, type Reminder, type ReminderStatus, type ReminderType } from './schemas.js';

const intArray = (a: number[]) => sql`${`{${a.join(',')}}`}::int[]`;

/**
 * The settings of `type` in force for every active user, by their unit: the nearest unit at or above it with
 * a row of its own (an ancestor's path is a prefix of the unit's), else the code's default.
 */
export function effectiveSettingsSql(type: ReminderType): SQL {
  const def = DEFAULT_SETTINGS[type];
  return sql`
    SELECT m.id AS manager_id, coalesce(o.enabled, ${def.enabled}) AS enabled, coalesce(o.lead_days, ${intArray(def.leadDays)}) AS lead_days
    FROM users m JOIN org_units mu ON mu.id = m.unit_id
    LEFT JOIN LATERAL (
      SELECT rs.enabled, rs.lead_days FROM reminder_settings rs JOIN org_units a ON a.id = rs.unit_id
      WHERE rs.type = ${type} AND starts_with(mu.path, a.path)
      ORDER BY length(a.path) DESC LIMIT 1) o ON true
    WHERE m.active`;
}

/** The customers a manager holds and is reminded of: in the network, not merged away, held by an active user. */
const HELD = sql`c.manager_id IS NOT NULL AND c.archive = 'in_network' AND c.merged_into IS NULL`;

/**
 * An item to remind of: the manager, the reminded thing, its due day and the key naming it (without the lead,
 * which the insert appends when the type has leads).
 */
interface ItemsSql {
  /** SELECT manager_id, customer_id, entity, entity_id, due_on, item_key, params … */
  items: SQL;
  /** Dated types are reminded at each lead before the due day; the others on the day they are noticed. */
  dated: boolean;
}

/**
 * Inserts the reminders of one type for `today`, answering how many were new. A dated item is reminded at the
 * smallest lead that covers the days left (days left ≤ lead): on the day it comes within a lead, once per lead
 * (the lead is part of the key). A first run that comes late produces only the lead reached, never the
 * greater ones that were passed. The unique (manager, item key) makes a second run, a restart or another
 * instance produce nothing again.
 */
async function insertItems(database: Database, type: ReminderType, today: string, q: ItemsSql): Promise<number> {
  const lead = q.dated ? sql`(SELECT min(l) FROM unnest(e.lead_days) l WHERE l >= i.due_on - ${today}::date)` : sql`NULL::int`;
  const [row] = await database.rows<{ n: number }>(sql`
    WITH e AS (${effectiveSettingsSql(type)}),
    i AS (${q.items}),
    x AS (
      SELECT i.*, ${lead} AS lead FROM i JOIN e ON e.manager_id = i.manager_id AND e.enabled
      WHERE i.due_on >= ${today}::date),
    ins AS (
      INSERT INTO reminders (manager_id, type, item_key, customer_id, entity, entity_id, due_on, lead_days, params, generated_on)
      SELECT manager_id, ${type}, ${q.dated ? sql`item_key || ':' || lead` : sql`item_key`}, customer_id, entity, entity_id, due_on, lead, params, ${today}::date
      FROM x ${q.dated ? sql`WHERE lead IS NOT NULL` : sql``}
      ON CONFLICT (manager_id, item_key) DO NOTHING
      RETURNING 1)
    SELECT count(*)::int AS n FROM ins`);
  return Number(row?.n ?? 0);
}

/** The greatest lead of a type anywhere (the code's default or any unit's): items further off are not read. */
const horizon = (type: ReminderType) =>
  sql`(SELECT greatest(${Math.max(...DEFAULT_SETTINGS[type].leadDays)}, coalesce(max(l), 0)) FROM reminder_settings, unnest(lead_days) l WHERE type = ${type})`;

/**
 * The next birthday on or after today; one born on 29 February has it on 28 February in a common year
 * (adding whole years to 29 February lands there).
 */
const nextBirthday = (birthday: SQL, today: string) => sql`(CASE
  WHEN (${birthday} + make_interval(years => extract(year from ${today}::date)::int - extract(year from ${birthday})::int))::date >= ${today}::date
  THEN (${birthday} + make_interval(years => extract(year from ${today}::date)::int - extract(year from ${birthday})::int))::date
  ELSE (${birthday} + make_interval(years => extract(year from ${today}::date)::int + 1 - extract(year from ${birthday})::int))::date END)`;

/** The levels in order, as the standings rank them. */
const LEVEL_ORDER = sql`ARRAY['unrated', '1', '2', '3', '4', '5s', '5g', '5d', 'C', 'B', 'A']::text[]`;

/**
 * The month-days (MMDD) of the days from today to the horizon, with 29 February when 28 February is among them
 * (it is kept on the 28th in a common year): a cheap first filter, before the next birthday is computed.
 */
const birthdayWindow = (today: string) => sql`(
  SELECT array_agg(to_char(d, 'MMDD')) || CASE WHEN bool_or(to_char(d, 'MMDD') = '0228') THEN ARRAY['0229'] ELSE ARRAY[]::text[] END
  FROM generate_series(${today}::date, ${today}::date + ${horizon('birthday')}, interval '1 day') d)::text[]`;

export const GENERATORS: Record<ReminderType, (today: string) => ItemsSql[]> = {
  // key persons' birthdays, and individual key accounts' own
  birthday: (today) => [
    {
      dated: true,
      items: sql`
        SELECT c.manager_id, c.id AS customer_id, 'key_person' AS entity, k.id AS entity_id, b.due_on,
               'birthday:kp:' || k.id || ':' || extract(year from b.due_on) AS item_key,
               jsonb_build_object('name', k.name, 'title', k.title) AS params
        FROM key_persons k JOIN customers c ON c.id = k.customer_id
        CROSS JOIN LATERAL (SELECT ${nextBirthday(sql`k.birthday`, today)} AS due_on) b
        WHERE k.birthday IS NOT NULL AND to_char(k.birthday, 'MMDD') = ANY(${birthdayWindow(today)}) AND ${HELD} AND b.due_on - ${today}::date <= ${horizon('birthday')}`,
    },
    {
      dated: true,
      items: sql`
        SELECT c.manager_id, c.id AS customer_id, 'customer' AS entity, c.id AS entity_id, b.due_on,
               'birthday:customer:' || c.id || ':' || extract(year from b.due_on) AS item_key,
               jsonb_build_object('name', c.name) AS params
        FROM customers c
        CROSS JOIN LATERAL (SELECT ${nextBirthday(sql`c.birthday`, today)} AS due_on) b
        WHERE c.kind = 'individual' AND c.birthday IS NOT NULL AND to_char(c.birthday, 'MMDD') = ANY(${birthdayWindow(today)}) AND ${HELD} AND b.due_on - ${today}::date <= ${horizon('birthday')}`,
    },
  ],
  contract_expiry: (today) => [
    {
      dated: true,
      items: sql`
        SELECT c.manager_id, c.id AS customer_id, 'contract' AS entity, k.id AS entity_id, k.expires_on AS due_on,
               'contract_expiry:' || k.id || ':' || k.expires_on AS item_key,
               jsonb_build_object('contractNo', k.contract_no, 'title', k.title) AS params
        FROM contracts k JOIN customers c ON c.id = k.customer_id
        WHERE k.expires_on BETWEEN ${today}::date AND ${today}::date + ${horizon('contract_expiry')} AND ${HELD}`,
    },
  ],
  // bookings of the manager's customers, and bookings of a resource the manager is (their own time)
  appointment: (today) => [
    {
      dated: true,
      items: sql`
        SELECT w.manager_id, a.customer_id, 'appointment' AS entity, a.id AS entity_id,
               (s.starts_at AT TIME ZONE 'Asia/Shanghai')::date AS due_on,
               'appointment:' || a.id || ':' || s.id AS item_key,
               jsonb_build_object('at', to_char(s.starts_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), 'purpose', a.purpose, 'resource', r.name) AS params
        FROM appointment_slots s JOIN appointments a ON a.slot_id = s.id JOIN appointment_resources r ON r.id = s.resource_id
        JOIN customers c ON c.id = a.customer_id
        CROSS JOIN LATERAL (SELECT c.manager_id UNION SELECT r.user_id) w(manager_id)
        WHERE a.status = 'booked' AND w.manager_id IS NOT NULL AND s.starts_at >= now()
          AND s.starts_at < ((${today}::date + ${horizon('appointment')} + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`,
    },
  ],
  // open requests of the portfolio in warning or breached: once per state
  sla_warning: (today) => [
    {
      dated: false,
      items: sql`
        SELECT c.manager_id, c.id AS customer_id, 'service_request' AS entity, q.id AS entity_id, ${today}::date AS due_on,
               'sla_warning:' || q.id || ':' || q.sla_state AS item_key,
               jsonb_build_object('requestNo', q.request_no, 'title', q.title, 'slaState', q.sla_state,
                 'dueAt', to_char(q.resolve_due_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')) AS params
        FROM service_requests q JOIN customers c ON c.id = q.customer_id
        WHERE q.status NOT IN ('resolved', 'closed') AND q.sla_state IN ('warning', 'breached') AND ${HELD}`,
    },
  ],
  // in arrears at the end of the latest month with facts (customer_standings, migration 0028): once a month
  arrears: (today) => [
    {
      dated: false,
      items: sql`
        SELECT c.manager_id, c.id AS customer_id, 'customer' AS entity, c.id AS entity_id, ${today}::date AS due_on,
               'arrears:' || c.id || ':' || to_char(${today}::date, 'YYYY-MM') AS item_key,
               jsonb_build_object('amount', to_char(st.arrears_fen / 100.0, 'FM999999999990.00')) AS params
        FROM customer_standings st JOIN customers c ON c.id = st.customer_id
        WHERE st.arrears_fen > 0 AND ${HELD}`,
    },
  ],
  // the level changes of the latest completed monthly run (customer_ratings: level against prev_level), when it ran within 35 days
  level_change: (today) => [
    {
      dated: false,
      items: sql`
        WITH run AS (
          SELECT id, month FROM rule_runs WHERE status = 'completed' ORDER BY month DESC, id DESC LIMIT 1)
        SELECT c.manager_id, c.id AS customer_id, 'customer' AS entity, c.id AS entity_id, ${today}::date AS due_on,
               'level_change:' || c.id || ':' || to_char(run.month, 'YYYY-MM') || ':' || r.level AS item_key,
               jsonb_build_object('from', r.prev_level, 'to', r.level, 'month', to_char(run.month, 'YYYY-MM'),
                 'direction', CASE WHEN array_position(${LEVEL_ORDER}, r.level) > array_position(${LEVEL_ORDER}, r.prev_level) THEN 'up' ELSE 'down' END) AS params
        FROM run JOIN rule_runs rr ON rr.id = run.id
        JOIN customer_ratings r ON r.month = run.month
        JOIN customers c ON c.id = r.customer_id
        WHERE rr.started_at >= (${today}::date - 35)::timestamp AT TIME ZONE 'Asia/Shanghai'
          AND r.prev_level IS NOT NULL AND r.level IS DISTINCT FROM r.prev_level AND ${HELD}`,
    },
  ],
  // 流失预警: the customers of the latest churn scoring (analysis/churn) in the high band, when scored within 35 days: once a scored month
  churn_warning: (today) => [
    {
      dated: false,
      items: sql`
        WITH latest AS (SELECT max(month) AS month FROM churn_scores)
        SELECT c.manager_id, c.id AS customer_id, 'customer' AS entity, c.id AS entity_id, ${today}::date AS due_on,
               'churn_warning:' || c.id || ':' || to_char(s.month, 'YYYY-MM') AS item_key,
               jsonb_build_object('month', to_char(s.month, 'YYYY-MM'), 'score', round(s.score::numeric * 100, 1)::float8,
                 'reason', s.reasons->0->>'feature', 'value', (s.reasons->0->>'value')::float8) AS params
        FROM latest JOIN churn_scores s ON s.month = latest.month
        JOIN customers c ON c.id = s.customer_id
        WHERE s.band = 'high' AND s.scored_at >= (${today}::date - 35)::timestamp AT TIME ZONE 'Asia/Shanghai' AND ${HELD}`,
    },
  ],
  // the manager's own certifications
  certification_expiry: (today) => [
    {
      dated: true,
      items: sql`
        SELECT mc.user_id AS manager_id, NULL::bigint AS customer_id, 'certification' AS entity, mc.id AS entity_id, mc.expires_on AS due_on,
               'certification_expiry:' || mc.id || ':' || mc.expires_on AS item_key,
               jsonb_build_object('name', mc.name, 'issuer', mc.issuer) AS params
        FROM manager_certifications mc
        WHERE mc.expires_on BETWEEN ${today}::date AND ${today}::date + ${horizon('certification_expiry')}`,
    },
  ],
};

/** Produces the reminders of one type for `today`; answers how many were new. */
export async function generateType(database: Database, type: ReminderType, today: string): Promise<number> {
  let n = 0;
  for (const q of GENERATORS[type](today)) n += await insertItems(database, type, today, q);
  return n;
}

/** Snoozed reminders whose snooze has ended open again; answers how many. */
export async function reopenSnoozed(database: Database, today: string): Promise<number> {
  const [row] = await database.rows<{ n: number }>(sql`
    WITH up AS (
      UPDATE reminders SET status = 'open', snoozed_until = NULL, version = version + 1, updated_at = now()
      WHERE status = 'snoozed' AND snoozed_until <= ${today}::date RETURNING 1)
    SELECT count(*)::int AS n FROM up`);
  return Number(row?.n ?? 0);
}

export interface DigestRow {
  managerId: number;
  email: string | null;
  locale: string;
  counts: Record<string, number>;
}

/**
 * The managers with reminders generated on `today` who have no digest of the day yet, with their counts by type
 * (the digest's notification is named by the day: entity reminder_digest, entity id YYYYMMDD).
 */
export async function digestsDue(database: Database, tx: Executor, today: string, dayId: number): Promise<DigestRow[]> {
  const rows = await database.rows<{ managerId: number; email: string | null; locale: string; counts: Record<string, number> }>(
    sql`
    SELECT r.manager_id AS "managerId", u.email, u.locale, jsonb_object_agg(r.type, r.n) AS counts
    FROM (SELECT manager_id, type, count(*)::int AS n FROM reminders WHERE generated_on = ${today}::date GROUP BY 1, 2) r
    JOIN users u ON u.id = r.manager_id
    WHERE NOT EXISTS (
      SELECT 1 FROM notifications n WHERE n.user_id = r.manager_id AND n.code = 'reminder_digest' AND n.entity = 'reminder_digest' AND n.entity_id = ${dayId}
        AND n.created_at >= now() - interval '2 days')
    GROUP BY r.manager_id, u.email, u.locale
    ORDER BY r.manager_id`,
    tx,
  );
  return rows.map((r) => ({ ...r, managerId: Number(r.managerId) }));
}

/** Holds the digest of the day to one writer at a time (two instances running the job at once). */
export const lockDigest = (database: Database, tx: Executor) => database.rows(sql`SELECT pg_advisory_xact_lock(hashtext('managers.reminders.digest'))`, tx);

// ---- the API's reads and writes

const REMINDER = sql`
  r.id, r.manager_id AS "managerId", r.type, r.item_key AS "itemKey", r.customer_id AS "customerId", c.name AS "customerName",
  c.customer_no AS "customerNo", r.entity, r.entity_id AS "entityId", r.due_on::text AS "dueOn", r.lead_days AS "leadDays", r.params,
  r.generated_on::text AS "generatedOn", r.status, r.snoozed_until::text AS "snoozedUntil", r.version, r.created_at AS "createdAt", r.updated_at AS "updatedAt"`;
const REMINDER_FROM = sql`FROM reminders r LEFT JOIN customers c ON c.id = r.customer_id`;

type ReminderRaw = Omit<Reminder, 'createdAt' | 'updatedAt'> & { createdAt: string | Date; updatedAt: string | Date };
const toReminder = (r: ReminderRaw): Reminder => ({
  ...r,
  id: Number(r.id),
  managerId: Number(r.managerId),
  customerId: r.customerId === null ? null : Number(r.customerId),
  entityId: r.entityId === null ? null : Number(r.entityId),
  createdAt: new Date(r.createdAt),
  updatedAt: new Date(r.updatedAt),
});

export interface ListFilter {
  type?: ReminderType;
  status?: ReminderStatus;
  from?: string;
  to?: string;
}

/** A manager's reminders: by default the open ones and the snoozed ones whose snooze has ended, by due day. */
function listWhere(managerId: number, f: ListFilter, today: string): SQL {
  const conds: SQL[] = [sql`r.manager_id = ${managerId}`];
  if (f.status) conds.push(sql`r.status = ${f.status}`);
  else conds.push(sql`(r.status = 'open' OR (r.status = 'snoozed' AND r.snoozed_until <= ${today}::date))`);
  if (f.type) conds.push(sql`r.type = ${f.type}`);
  if (f.from) conds.push(sql`r.due_on >= ${f.from}::date`);
  if (f.to) conds.push(sql`r.due_on <= ${f.to}::date`);
  return sql.join(conds, sql` AND `);
}

export async function listReminders(database: Database, managerId: number, f: ListFilter, today: string, offset: number, limit: number) {
  const where = listWhere(managerId, f, today);
  const [rows, [total]] = await Promise.all([
    database.rows<ReminderRaw>(sql`SELECT ${REMINDER} ${REMINDER_FROM} WHERE ${where} ORDER BY r.due_on, r.type, r.id OFFSET ${offset} LIMIT ${limit}`),
    database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM reminders r WHERE ${where}`),
  ]);
  return { items: rows.map(toReminder), total: Number(total?.n ?? 0) };
}

export async function findReminder(database: Database, executor: Executor, id: number, lock = false): Promise<Reminder | null> {
  const [row] = await database.rows<ReminderRaw>(sql`SELECT ${REMINDER} ${REMINDER_FROM} WHERE r.id = ${id} ${lock ? sql`FOR UPDATE OF r` : sql``}`, executor);
  return row ? toReminder(row) : null;
}

export const setReminderStatus = (tx: Executor, id: number, version: number, status: ReminderStatus, snoozedUntil: string | null) =>
  updateAtVersion(tx, reminders, id, version, { status, snoozedUntil });

/** A user with their unit's path, when active or not. */
export async function userWithPath(database: Database, id: number): Promise<{ id: number; unitPath: string } | null> {
  const [row] = await database.rows<{ id: number; unitPath: string }>(sql`SELECT u.id, o.path AS "unitPath" FROM users u JOIN org_units o ON o.id = u.unit_id WHERE u.id = ${id}`);
  return row ? { id: Number(row.id), unitPath: row.unitPath } : null;
}

// ---- settings

/** The unit at a path (the actor's own). */
export async function unitIdByPath(database: Database, path: string): Promise<number> {
  const [row] = await database.rows<{ id: number }>(sql`SELECT id FROM org_units WHERE path = ${path}`);
  return Number(row?.id ?? 0);
}

export interface SettingRow {
  type: ReminderType;
  enabled: boolean;
  leadDays: number[];
  unitId: number;
  unitName: string;
  depth: number;
  version: number;
}

/** The rows of the unit and of every unit above it, nearest first (its own at depth 0). */
export async function settingsAbove(database: Database, executor: Executor, unitPath: string): Promise<SettingRow[]> {
  const rows = await database.rows<SettingRow>(
    sql`SELECT rs.type, rs.enabled, rs.lead_days AS "leadDays", rs.unit_id AS "unitId", a.name AS "unitName",
               length(${unitPath}) - length(a.path) AS depth, rs.version
        FROM reminder_settings rs JOIN org_units a ON a.id = rs.unit_id
        WHERE starts_with(${unitPath}::text, a.path)
        ORDER BY length(a.path) DESC`,
    executor,
  );
  return rows.map((r) => ({ ...r, unitId: Number(r.unitId), leadDays: r.leadDays.map(Number), depth: Number(r.depth) }));
}

export async function findOwnSetting(database: Database, executor: Executor, unitId: number, type: ReminderType, lock = false) {
  const [row] = await database.rows<{ enabled: boolean; leadDays: number[]; version: number }>(
    sql`SELECT enabled, lead_days AS "leadDays", version FROM reminder_settings WHERE unit_id = ${unitId} AND type = ${type} ${lock ? sql`FOR UPDATE` : sql``}`,
    executor,
  );
  return row ? { ...row, leadDays: row.leadDays.map(Number) } : null;
}

/** Creates the unit's own row; false when one was created meanwhile (the caller answers 409). */
export async function insertSetting(tx: Executor, unitId: number, type: ReminderType, enabled: boolean, leadDays: number[]): Promise<boolean> {
  const rows = await tx.insert(reminderSettings).values({ unitId, type, enabled, leadDays }).onConflictDoNothing().returning({ v: reminderSettings.version });
  return rows.length > 0;
}

export async function updateSetting(database: Database, tx: Executor, unitId: number, type: ReminderType, version: number, enabled: boolean, leadDays: number[]): Promise<boolean> {
  const rows = await database.rows(
    sql`UPDATE reminder_settings SET enabled = ${enabled}, lead_days = ${intArray(leadDays)}, version = version + 1, updated_at = now()
        WHERE unit_id = ${unitId} AND type = ${type} AND version = ${version} RETURNING 1`,
    tx,
  );
  return rows.length > 0;
}

export async function deleteSetting(database: Database, tx: Executor, unitId: number, type: ReminderType, version: number): Promise<boolean> {
  const rows = await database.rows(sql`DELETE FROM reminder_settings WHERE unit_id = ${unitId} AND type = ${type} AND version = ${version} RETURNING 1`, tx);
  return rows.length > 0;
}
