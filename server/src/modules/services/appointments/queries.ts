/** SQL of the appointment service: resources, slots (each keeps `booked`, the places its bookings hold) and bookings. */
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.js';
import { appointmentResources, appointments, appointmentSlots } from '../../../db/schema/index.js';
import { updateAtVersion } from '../../../db/versioned.js';
import type { Appointment, Resource, SeriesInput, Slot } from './schemas.js';

/** Midnight of a calendar day in 广东, as a timestamptz: the edges of days and weeks. */
export const shanghaiMidnight = (day: string): SQL => sql`(${day}::date)::timestamp AT TIME ZONE 'Asia/Shanghai'`;
/** The half-open range [from 00:00, the day after `to` 00:00) of calendar days in 广东. */
const startsWithin = (column: SQL, from: string, to: string) =>
  sql`${column} >= ${shanghaiMidnight(from)} AND ${column} < ${shanghaiMidnight(to)} + interval '1 day'`;

type Dated<T, K extends keyof T> = Omit<T, K> & { [P in K]: T[P] extends Date ? string | Date : string | Date | null };
// raw SQL rows carry timestamps as text on both drivers
const at = (v: string | Date) => new Date(v);
const atOrNull = (v: string | Date | null) => (v === null ? null : new Date(v));
const idOrNull = (v: number | null) => (v === null ? null : Number(v));

// ---- resources

const RESOURCE = sql`
  r.id, r.kind, r.name, r.name_en AS "nameEn", r.unit_id AS "unitId", u.name AS "unitName", u.name_en AS "unitNameEn",
  r.user_id AS "userId", m.display_name AS "userName", r.active, r.version, r.created_at AS "createdAt", r.updated_at AS "updatedAt"`;
const RESOURCE_FROM = sql`FROM appointment_resources r JOIN org_units u ON u.id = r.unit_id LEFT JOIN users m ON m.id = r.user_id`;

type ResourceRaw = Dated<Resource, 'createdAt' | 'updatedAt'>;
const toResource = (r: ResourceRaw): Resource => ({
  ...r,
  id: Number(r.id),
  unitId: Number(r.unitId),
  userId: idOrNull(r.userId),
  createdAt: at(r.createdAt),
  updatedAt: at(r.updatedAt),
});

export async function listResources(database: Database, where: SQL, offset: number, limit: number): Promise<Resource[]> {
  const rows = await database.rows<ResourceRaw>(sql`SELECT ${RESOURCE} ${RESOURCE_FROM} WHERE ${where} ORDER BY u.path, r.kind DESC, r.name, r.id OFFSET ${offset} LIMIT ${limit}`);
  return rows.map(toResource);
}

export async function countResources(database: Database, where: SQL): Promise<number> {
  const [row] = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n ${RESOURCE_FROM} WHERE ${where}`);
  return Number(row?.n ?? 0);
}

/** A resource with its unit's path (the scope checks), locked for a change when `lock`. */
export async function findResource(database: Database, executor: Executor, id: number, lock = false): Promise<(Resource & { unitPath: string }) | null> {
  const [row] = await database.rows<ResourceRaw & { unitPath: string }>(
    sql`SELECT ${RESOURCE}, u.path AS "unitPath" ${RESOURCE_FROM} WHERE r.id = ${id} ${lock ? sql`FOR UPDATE OF r` : sql``}`,
    executor,
  );
  return row ? { ...toResource(row), unitPath: row.unitPath } : null;
}

export async function insertResource(tx: Executor, row: typeof appointmentResources.$inferInsert): Promise<number> {
  const [created] = await tx.insert(appointmentResources).values(row).returning({ id: appointmentResources.id });
  return created!.id;
}

export const updateResource = (tx: Executor, id: number, version: number, set: Partial<typeof appointmentResources.$inferInsert>) =>
  updateAtVersion(tx, appointmentResources, id, version, set);

/** Deletes a resource and its slots unless a booking ever held one of them; false when one did. */
export async function deleteResourceIfUnused(database: Database, tx: Executor, id: number): Promise<boolean> {
  const [used] = await database.rows(sql`SELECT 1 FROM appointments a JOIN appointment_slots s ON s.id = a.slot_id WHERE s.resource_id = ${id} LIMIT 1`, tx);
  if (used) return false;
  await tx.execute(sql`DELETE FROM appointment_slots WHERE resource_id = ${id}`);
  await tx.execute(sql`DELETE FROM appointment_resources WHERE id = ${id}`);
  return true;
}

/** Is the user an active person of the subtree at `unitPath` (the manager a resource names)? */
export async function activeUserIn(database: Database, executor: Executor, userId: number, inUnits: SQL): Promise<boolean> {
  const [row] = await database.rows(sql`SELECT 1 FROM users m JOIN org_units o ON o.id = m.unit_id WHERE m.id = ${userId} AND m.active AND ${inUnits}`, executor);
  return !!row;
}

// ---- slots

const SLOT = sql`s.id, s.resource_id AS "resourceId", s.starts_at AS "startsAt", s.ends_at AS "endsAt", s.capacity, s.booked, s.version`;
type SlotRaw = Dated<Slot, 'startsAt' | 'endsAt'>;
const toSlot = (r: SlotRaw): Slot => ({ ...r, id: Number(r.id), resourceId: Number(r.resourceId), startsAt: at(r.startsAt), endsAt: at(r.endsAt) });

/**
 * One slot per chosen weekday and start time of the days from–to (广东 calendar), in one statement; those
 * that exist already (same resource and start) or have started are left as they are.
 */
export async function insertSeries(database: Database, tx: Executor, resourceId: number, s: SeriesInput): Promise<{ requested: number; created: number }> {
  const [row] = await database.rows<{ requested: number; created: number }>(
    sql`
    WITH wanted AS (
      SELECT ((d::date + t::time)::timestamp AT TIME ZONE 'Asia/Shanghai') AS starts_at
      FROM generate_series(${s.from}::date, ${s.to}::date, interval '1 day') d
      CROSS JOIN unnest(${`{${s.times.join(',')}}`}::text[]) t
      WHERE extract(isodow FROM d)::int = ANY(${`{${s.weekdays.join(',')}}`}::int[])
    ), created AS (
      INSERT INTO appointment_slots (resource_id, starts_at, ends_at, capacity)
      SELECT ${resourceId}, starts_at, starts_at + make_interval(mins => ${s.durationMinutes}), ${s.capacity}
      FROM wanted WHERE starts_at > now()
      ON CONFLICT (resource_id, starts_at) DO NOTHING
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM wanted)::int AS requested, (SELECT count(*) FROM created)::int AS created`,
    tx,
  );
  return { requested: Number(row!.requested), created: Number(row!.created) };
}

export async function listSlots(database: Database, resourceId: number, from: string, to: string): Promise<Slot[]> {
  const rows = await database.rows<SlotRaw>(
    sql`SELECT ${SLOT} FROM appointment_slots s WHERE s.resource_id = ${resourceId} AND ${startsWithin(sql`s.starts_at`, from, to)} ORDER BY s.starts_at`,
  );
  return rows.map(toSlot);
}

export type SlotRow = Slot & { unitPath: string; resourceActive: boolean; resourceName: string; used: boolean };

/** A slot with its resource's unit path and state, and whether a booking ever held it; locked for a change when `lock`. */
export async function findSlot(database: Database, executor: Executor, id: number, lock = false): Promise<SlotRow | null> {
  const [row] = await database.rows<SlotRaw & { unitPath: string; resourceActive: boolean; resourceName: string; used: boolean }>(
    sql`SELECT ${SLOT}, u.path AS "unitPath", r.active AS "resourceActive", r.name AS "resourceName",
               EXISTS (SELECT 1 FROM appointments a WHERE a.slot_id = s.id) AS used
        FROM appointment_slots s JOIN appointment_resources r ON r.id = s.resource_id JOIN org_units u ON u.id = r.unit_id
        WHERE s.id = ${id} ${lock ? sql`FOR UPDATE OF s` : sql``}`,
    executor,
  );
  return row ? { ...toSlot(row), unitPath: row.unitPath, resourceActive: row.resourceActive, resourceName: row.resourceName, used: row.used } : null;
}

/**
 * Takes one place of a slot, atomically: of two bookings of the last place one updates the row, the other
 * waits for it and then finds the slot full. False when full.
 */
export async function takePlace(database: Database, tx: Executor, slotId: number): Promise<boolean> {
  const rows = await database.rows(sql`UPDATE appointment_slots SET booked = booked + 1 WHERE id = ${slotId} AND booked < capacity RETURNING id`, tx);
  return rows.length > 0;
}

export async function releasePlace(tx: Executor, slotId: number): Promise<void> {
  await tx.execute(sql`UPDATE appointment_slots SET booked = booked - 1 WHERE id = ${slotId} AND booked > 0`);
}

/** The start of the resource's next slot with a free place after `after`, or null. */
export async function nextFreeSlot(database: Database, executor: Executor, resourceId: number, after: Date): Promise<Date | null> {
  const [row] = await database.rows<{ startsAt: string | Date }>(
    sql`SELECT starts_at AS "startsAt" FROM appointment_slots WHERE resource_id = ${resourceId} AND starts_at > ${after.toISOString()} AND booked < capacity ORDER BY starts_at LIMIT 1`,
    executor,
  );
  return row ? at(row.startsAt) : null;
}

export const updateSlot = (tx: Executor, id: number, version: number, set: Partial<typeof appointmentSlots.$inferInsert>) => updateAtVersion(tx, appointmentSlots, id, version, set);

/** Deletes a slot no booking ever held; false otherwise. */
export async function deleteUnusedSlot(database: Database, tx: Executor, id: number): Promise<boolean> {
  const rows = await database.rows(
    sql`DELETE FROM appointment_slots s WHERE s.id = ${id} AND s.booked = 0 AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.slot_id = s.id) RETURNING id`,
    tx,
  );
  return rows.length > 0;
}

export async function getSlot(database: Database, id: number, executor?: Executor): Promise<Slot | null> {
  const [row] = await database.rows<SlotRaw>(sql`SELECT ${SLOT} FROM appointment_slots s WHERE s.id = ${id}`, executor);
  return row ? toSlot(row) : null;
}

// ---- bookings

const APPOINTMENT = sql`
  a.id, a.slot_id AS "slotId", s.resource_id AS "resourceId", r.kind AS "resourceKind", r.name AS "resourceName", r.name_en AS "resourceNameEn",
  s.starts_at AS "startsAt", s.ends_at AS "endsAt", a.customer_id AS "customerId", c.customer_no AS "customerNo", c.name AS "customerName",
  a.status, a.purpose, a.note, b.username AS "bookedBy", b.display_name AS "bookedByName", a.reminded_at AS "remindedAt",
  a.version, a.created_at AS "createdAt", a.updated_at AS "updatedAt"`;
const APPOINTMENT_FROM = sql`
  FROM appointments a
  JOIN appointment_slots s ON s.id = a.slot_id
  JOIN appointment_resources r ON r.id = s.resource_id
  JOIN customers c ON c.id = a.customer_id
  LEFT JOIN users b ON b.id = a.booked_by`;

type AppointmentRaw = Dated<Appointment, 'startsAt' | 'endsAt' | 'remindedAt' | 'createdAt' | 'updatedAt'>;
const toAppointment = (r: AppointmentRaw): Appointment => ({
  ...r,
  id: Number(r.id),
  slotId: Number(r.slotId),
  resourceId: Number(r.resourceId),
  customerId: Number(r.customerId),
  startsAt: at(r.startsAt),
  endsAt: at(r.endsAt),
  remindedAt: atOrNull(r.remindedAt),
  createdAt: at(r.createdAt),
  updatedAt: at(r.updatedAt),
});

export async function listAppointments(database: Database, where: SQL, order: 'asc' | 'desc', offset: number, limit: number): Promise<Appointment[]> {
  const dir = order === 'asc' ? sql`ASC` : sql`DESC`;
  const rows = await database.rows<AppointmentRaw>(sql`SELECT ${APPOINTMENT} ${APPOINTMENT_FROM} WHERE ${where} ORDER BY s.starts_at ${dir}, a.id ${dir} OFFSET ${offset} LIMIT ${limit}`);
  return rows.map(toAppointment);
}

export async function countAppointments(database: Database, where: SQL): Promise<number> {
  const [row] = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n ${APPOINTMENT_FROM} WHERE ${where}`);
  return Number(row?.n ?? 0);
}

/** The bookings whose slot starts within the calendar days from–to (广东). */
export const startingWithin = (from: string, to: string) => startsWithin(sql`s.starts_at`, from, to);

export async function getAppointment(database: Database, id: number, executor?: Executor): Promise<Appointment | null> {
  const [row] = await database.rows<AppointmentRaw>(sql`SELECT ${APPOINTMENT} ${APPOINTMENT_FROM} WHERE a.id = ${id}`, executor);
  return row ? toAppointment(row) : null;
}

export interface LockedAppointment {
  customerId: number;
  slotId: number;
  resourceId: number;
  status: string;
  version: number;
  startsAt: Date;
  unitPath: string;
  visible: boolean;
}

/** A booking locked for a change, with its slot's start, its customer's unit path and whether `visible` (a condition on `c`) keeps it. */
export async function lockAppointment(database: Database, tx: Executor, id: number, visible: SQL): Promise<LockedAppointment | null> {
  const [row] = await database.rows<Omit<LockedAppointment, 'startsAt'> & { startsAt: string | Date }>(
    sql`SELECT a.customer_id AS "customerId", a.slot_id AS "slotId", s.resource_id AS "resourceId", a.status, a.version, s.starts_at AS "startsAt",
               u.path AS "unitPath", (${visible}) AS visible
        FROM appointments a JOIN appointment_slots s ON s.id = a.slot_id JOIN customers c ON c.id = a.customer_id JOIN org_units u ON u.id = c.unit_id
        WHERE a.id = ${id} FOR UPDATE OF a`,
    tx,
  );
  return row ? { ...row, customerId: Number(row.customerId), slotId: Number(row.slotId), resourceId: Number(row.resourceId), startsAt: at(row.startsAt) } : null;
}

export async function holdsBooking(database: Database, tx: Executor, customerId: number, slotId: number): Promise<boolean> {
  const [row] = await database.rows(sql`SELECT 1 FROM appointments WHERE customer_id = ${customerId} AND slot_id = ${slotId} AND status = 'booked' LIMIT 1`, tx);
  return !!row;
}

export async function insertAppointment(tx: Executor, row: typeof appointments.$inferInsert): Promise<number> {
  const [created] = await tx.insert(appointments).values(row).returning({ id: appointments.id });
  return created!.id;
}

export const updateAppointment = (tx: Executor, id: number, version: number, set: Partial<typeof appointments.$inferInsert>) =>
  updateAtVersion(tx, appointments, id, version, set);

// ---- reminders

export interface DueReminder {
  id: number;
  bookedBy: number | null;
  managerId: number | null;
  resourceId: number;
  resourceName: string;
  customerName: string;
  contactPhone: string | null;
  slotId: number;
  day: string;
  at: string;
  purpose: string;
}

/**
 * Marks reminded a batch of the bookings whose slot starts on `day` (广东) and that nobody reminded yet,
 * returning what their messages need; SKIP LOCKED lets two runs share the work without reminding twice.
 */
export async function markRemindersDue(database: Database, tx: Executor, day: string, batch: number): Promise<DueReminder[]> {
  const rows = await database.rows<DueReminder>(
    sql`
    WITH due AS (
      SELECT a.id FROM appointments a JOIN appointment_slots s ON s.id = a.slot_id
      WHERE a.status = 'booked' AND a.reminded_at IS NULL AND ${startsWithin(sql`s.starts_at`, day, day)}
      ORDER BY a.id LIMIT ${batch}
      FOR UPDATE OF a SKIP LOCKED
    )
    UPDATE appointments a SET reminded_at = now()
    FROM due, appointment_slots s, appointment_resources r, customers c
    WHERE a.id = due.id AND s.id = a.slot_id AND r.id = s.resource_id AND c.id = a.customer_id
    RETURNING a.id, a.booked_by AS "bookedBy", r.user_id AS "managerId", r.id AS "resourceId", r.name AS "resourceName", c.name AS "customerName",
              c.contact_phone AS "contactPhone", s.id AS "slotId", to_char(s.starts_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day,
              to_char(s.starts_at AT TIME ZONE 'Asia/Shanghai', 'HH24:MI') AS at, a.purpose`,
    tx,
  );
  return rows.map((r) => ({ ...r, id: Number(r.id), bookedBy: idOrNull(r.bookedBy), managerId: idOrNull(r.managerId), resourceId: Number(r.resourceId), slotId: Number(r.slotId) }));
}
