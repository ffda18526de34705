/**
 * 预约服务 (DOMAIN.md §5): a customer books a slot of an account manager's time, an outlet's counter or a VIP
 * lounge. Resources belong to a unit: heads (appointments.manage) keep those of their subtree; whoever books
 * (appointments.book) sees the resources of the area where they read key accounts (a service agent: the city
 * of the outlet). A booking is as visible as its customer. A slot's `booked` counts the places its bookings
 * hold, taken by one conditional UPDATE, so two agents booking the last place cannot both have it.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../db/client.js';
import { audit } from '../../../platform/audit/audit.js';
import type { Actor } from '../../../platform/auth/principal.js';
import { customerReader, inScope, inSubtree } from '../../../platform/auth/scope.js';
import type { Deps } from '../../../platform/deps.js';
import { AppError, entityName, invalid, notFound, outOfScope, versionConflict } from '../../../platform/errors.js';
import type { Page } from '../../../platform/http/list.js';
import { messageRef } from '../../../platform/i18n/messages.js';
import { todayAt } from '../../../platform/months.js';
import { loadVisibleCustomer, loadWritableCustomer, visibleCustomersSql } from '../../customers/service.js';
import * as org from '../../org/service.js';
import * as q from './queries.js';
import {
  MAX_RANGE_DAYS,
  MAX_SERIES_DAYS,
  type Appointment,
  type AppointmentStatus,
  type BookingInput,
  type RangeQuery,
  type Resource,
  type ResourceAppointmentsQuery,
  type ResourceInput,
  type ResourcePatch,
  type ResourceQuery,
  type SeriesInput,
  type Slot,
} from './schemas.js';

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** An instant as people in 广东 read it on a calendar: `YYYY-MM-DD HH:mm`. */
export const shanghaiClock = (d: Date) => new Date(d.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

/** The unit path under which the actor reads resources and books: the area where they read key accounts. */
const readerPath = (actor: Actor) => customerReader(actor).unitPath;

/** The days a calendar lists: as asked, by default the week from today (广东). */
function weekOf(range: RangeQuery): { from: string; to: string } {
  const from = range.from ?? todayAt();
  const to = range.to ?? new Date(Date.parse(from) + 6 * DAY_MS).toISOString().slice(0, 10);
  checkRange(from, to, MAX_RANGE_DAYS, 'query');
  return { from, to };
}

function checkRange(from: string, to: string, maxDays: number, where: 'body' | 'query') {
  const days = daysBetween(from, to);
  if (days < 0) throw invalid(`${where}.to`, 'appointment_range_order');
  if (days + 1 > maxDays) throw invalid(`${where}.to`, 'appointment_range_too_long', { days: maxDays });
}

// ---- resources

/** The resource if the actor reads it (`reading`) or keeps it; 404 otherwise, as when there is none. */
async function resourceFor(deps: Deps, actor: Actor, id: number, access: 'read' | 'manage', executor: Executor = deps.database.db, lock = false) {
  const row = await q.findResource(deps.database, executor, id, lock);
  if (!row) throw notFound('appointment_resource');
  const path = access === 'read' ? readerPath(actor) : actor.unitPath;
  if (!inScope({ unitPath: path }, row.unitPath)) throw outOfScope('appointment_resource');
  return row;
}

export async function listResources(deps: Deps, actor: Actor, query: ResourceQuery): Promise<Page<Resource>> {
  const conds: SQL[] = [inSubtree(sql`u.path`, readerPath(actor))];
  if (query.kind) conds.push(sql`r.kind = ${query.kind}`);
  if (query.unitId) conds.push(sql`starts_with(u.path, (SELECT path FROM org_units WHERE id = ${query.unitId}))`);
  if (query.active) conds.push(sql`r.active = ${query.active === 'true'}`);
  if (query.q) conds.push(sql`strpos(r.name, ${query.q}) > 0`);
  const where = sql.join(conds, sql` AND `);
  const [items, total] = await Promise.all([q.listResources(deps.database, where, query.offset, query.limit), q.countResources(deps.database, where)]);
  return { items, total };
}

export async function getResource(deps: Deps, actor: Actor, id: number): Promise<Resource> {
  const { unitPath: _path, ...resource } = await resourceFor(deps, actor, id, 'read');
  return resource;
}

/** A manager's resource names an active person of the actor's units; the others name nobody. */
async function checkManager(deps: Deps, actor: Actor, tx: Executor, kind: string, userId: number | null | undefined) {
  if (kind !== 'manager') {
    if (userId != null) throw invalid('body.userId', 'appointment_manager_only');
    return;
  }
  if (userId == null) throw invalid('body.userId', 'appointment_manager_required');
  if (!(await q.activeUserIn(deps.database, tx, userId, inSubtree(sql`o.path`, actor.unitPath)))) throw invalid('body.userId', 'appointment_manager_unknown');
}

export async function createResource(deps: Deps, actor: Actor, input: ResourceInput): Promise<Resource> {
  const id = await deps.database.db.transaction(async (tx) => {
    const unit = await org.getUnit(tx, actor, input.unitId).catch(() => {
      throw invalid('body.unitId', 'not_found', { entity: entityName('org_unit') });
    });
    await checkManager(deps, actor, tx, input.kind, input.userId);
    const row = { kind: input.kind, name: input.name, nameEn: input.nameEn ?? null, unitId: input.unitId, userId: input.userId ?? null };
    const id = await q.insertResource(tx, row);
    await audit(tx, actor, { action: 'create', entity: 'appointment_resource', entityId: id, unitPath: unit.path, after: row });
    return id;
  });
  return getResource(deps, actor, id);
}

export async function patchResource(deps: Deps, actor: Actor, id: number, patch: ResourcePatch): Promise<Resource> {
  await deps.database.db.transaction(async (tx) => {
    const before = await resourceFor(deps, actor, id, 'manage', tx, true);
    if (before.version !== patch.version) throw versionConflict();
    if (patch.userId !== undefined) await checkManager(deps, actor, tx, before.kind, patch.userId);
    const set = {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.nameEn !== undefined && { nameEn: patch.nameEn }),
      ...(patch.userId !== undefined && { userId: patch.userId }),
      ...(patch.active !== undefined && { active: patch.active }),
    };
    if (!(await q.updateResource(tx, id, patch.version, set))) throw versionConflict();
    const was = { name: before.name, nameEn: before.nameEn, userId: before.userId, active: before.active };
    await audit(tx, actor, { action: 'update', entity: 'appointment_resource', entityId: id, unitPath: before.unitPath, before: was, after: { ...was, ...set } });
  });
  return getResource(deps, actor, id);
}

/** Only a resource no booking ever used is deleted (with its slots); one with bookings on record is deactivated instead. */
export async function deleteResource(deps: Deps, actor: Actor, id: number): Promise<void> {
  await deps.database.db.transaction(async (tx) => {
    const before = await resourceFor(deps, actor, id, 'manage', tx, true);
    if (!(await q.deleteResourceIfUnused(deps.database, tx, id))) throw new AppError(409, 'appointment_resource_in_use');
    await audit(tx, actor, { action: 'delete', entity: 'appointment_resource', entityId: id, unitPath: before.unitPath, before: { kind: before.kind, name: before.name, unitId: before.unitId } });
  });
}

// ---- slots

function checkSeries(s: SeriesInput) {
  checkRange(s.from, s.to, MAX_SERIES_DAYS, 'body');
  const minutes = [...new Set(s.times)].map((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3))).sort((a, b) => a - b);
  const late = minutes.find((m) => m + s.durationMinutes > 24 * 60);
  if (late !== undefined) throw invalid('body.times', 'appointment_ends_next_day', { time: `${String(Math.floor(late / 60)).padStart(2, '0')}:${String(late % 60).padStart(2, '0')}` });
  if (minutes.some((m, i) => i > 0 && m - minutes[i - 1]! < s.durationMinutes)) throw invalid('body.times', 'appointment_times_overlap', { minutes: s.durationMinutes });
}

/** 排班: the slots of a series, created in one statement; existing and started ones are skipped and counted. */
export async function createSeries(deps: Deps, actor: Actor, resourceId: number, input: SeriesInput) {
  checkSeries(input);
  const series = { ...input, times: [...new Set(input.times)], weekdays: [...new Set(input.weekdays)] };
  return deps.database.db.transaction(async (tx) => {
    const resource = await resourceFor(deps, actor, resourceId, 'manage', tx, true);
    const { requested, created } = await q.insertSeries(deps.database, tx, resourceId, series);
    await audit(tx, actor, { action: 'create', entity: 'appointment_slot', entityId: null, unitPath: resource.unitPath, after: { resourceId, ...series, created } });
    return { requested, created, skipped: requested - created };
  });
}

export async function listSlots(deps: Deps, actor: Actor, resourceId: number, range: RangeQuery): Promise<Page<Slot>> {
  const { from, to } = weekOf(range);
  await resourceFor(deps, actor, resourceId, 'read');
  const items = await q.listSlots(deps.database, resourceId, from, to);
  return { items, total: items.length };
}

async function slotFor(deps: Deps, actor: Actor, id: number, access: 'read' | 'manage', tx: Executor, lock = false) {
  const slot = await q.findSlot(deps.database, tx, id, lock);
  if (!slot) throw notFound('appointment_slot');
  if (!inScope({ unitPath: access === 'read' ? readerPath(actor) : actor.unitPath }, slot.unitPath)) throw outOfScope('appointment_slot');
  return slot;
}

/** A new capacity, never below the places booked; at the version read. */
export async function setCapacity(deps: Deps, actor: Actor, id: number, input: { version: number; capacity: number }): Promise<Slot> {
  return deps.database.db.transaction(async (tx) => {
    const slot = await slotFor(deps, actor, id, 'manage', tx, true);
    if (slot.version !== input.version) throw versionConflict();
    if (input.capacity < slot.booked) throw new AppError(409, 'appointment_capacity_below_booked', { booked: slot.booked });
    if (!(await q.updateSlot(tx, id, input.version, { capacity: input.capacity }))) throw versionConflict();
    await audit(tx, actor, { action: 'update', entity: 'appointment_slot', entityId: id, unitPath: slot.unitPath, before: { capacity: slot.capacity }, after: { capacity: input.capacity } });
    return (await q.getSlot(deps.database, id, tx))!;
  });
}

/** Only a slot no booking ever held is deleted; the others stay as history. */
export async function deleteSlot(deps: Deps, actor: Actor, id: number): Promise<void> {
  await deps.database.db.transaction(async (tx) => {
    const slot = await slotFor(deps, actor, id, 'manage', tx, true);
    if (!(await q.deleteUnusedSlot(deps.database, tx, id))) throw new AppError(409, 'appointment_slot_in_use');
    await audit(tx, actor, { action: 'delete', entity: 'appointment_slot', entityId: id, unitPath: slot.unitPath, before: { resourceId: slot.resourceId, startsAt: slot.startsAt, capacity: slot.capacity } });
  });
}

// ---- bookings

/** A slot the actor may book now: in their area, of an active resource, not started. */
async function bookableSlot(deps: Deps, actor: Actor, slotId: number, tx: Executor) {
  const slot = await slotFor(deps, actor, slotId, 'read', tx);
  if (!slot.resourceActive) throw new AppError(409, 'appointment_resource_inactive');
  if (slot.startsAt.getTime() <= Date.now()) throw new AppError(422, 'appointment_slot_past');
  return slot;
}

/** Takes a place of the slot, or 409 slot_full naming the resource's next free slot. */
async function takePlace(deps: Deps, tx: Executor, slot: q.SlotRow) {
  if (await q.takePlace(deps.database, tx, slot.id)) return;
  const next = await q.nextFreeSlot(deps.database, tx, slot.resourceId, slot.startsAt);
  throw new AppError(409, 'slot_full', { next: next ? messageRef('slot_next_free', { at: shanghaiClock(next) }) : messageRef('slot_none_free') });
}

/** 预约: a place of a slot for a customer the actor serves, with its purpose; audited. */
export async function book(deps: Deps, actor: Actor, input: BookingInput): Promise<Appointment> {
  const id = await deps.database.db.transaction(async (tx) => {
    const slot = await bookableSlot(deps, actor, input.slotId, tx);
    const customer = await loadWritableCustomer(deps, actor, input.customerId, tx, 'serve');
    if (await q.holdsBooking(deps.database, tx, customer.id, slot.id)) throw new AppError(409, 'appointment_duplicate');
    await takePlace(deps, tx, slot);
    const row = { slotId: slot.id, customerId: customer.id, purpose: input.purpose, note: input.note || null, bookedBy: actor.userId };
    const id = await q.insertAppointment(tx, row);
    await audit(tx, actor, { action: 'create', entity: 'appointment', entityId: id, unitPath: customer.unitPath, after: { ...row, resourceId: slot.resourceId, startsAt: slot.startsAt } });
    return id;
  });
  return (await q.getAppointment(deps.database, id))!;
}

const ACTIONS = { move: 'appointment_action_move', cancel: 'appointment_action_cancel', outcome: 'appointment_action_outcome' } as const;

/** The booking for a change by the actor: visible through its customer, still booked, at the version read. */
async function bookingFor(deps: Deps, actor: Actor, id: number, version: number, action: keyof typeof ACTIONS, tx: Executor) {
  const row = await q.lockAppointment(deps.database, tx, id, visibleCustomersSql(actor));
  if (!row) throw notFound('appointment');
  if (!row.visible) throw outOfScope('appointment');
  await loadWritableCustomer(deps, actor, row.customerId, tx, 'serve');
  if (row.status !== 'booked') {
    throw new AppError(409, 'appointment_status', { status: messageRef(`appointment_status_${row.status as AppointmentStatus}`), action: messageRef(ACTIONS[action]) });
  }
  if (row.version !== version) throw versionConflict();
  return row;
}

/**
 * 改约: to another slot in one transaction, the old place released and the new one taken (409 when full, and
 * nothing changes). The two slots are updated in the order of their ids, so that two moves between the same
 * slots in opposite directions wait for each other instead of deadlocking. The reminder is due again.
 */
export async function move(deps: Deps, actor: Actor, id: number, input: { version: number; slotId: number }): Promise<Appointment> {
  await deps.database.db.transaction(async (tx) => {
    const row = await bookingFor(deps, actor, id, input.version, 'move', tx);
    if (row.slotId === input.slotId) throw invalid('body.slotId', 'appointment_same_slot');
    const slot = await bookableSlot(deps, actor, input.slotId, tx);
    if (await q.holdsBooking(deps.database, tx, row.customerId, slot.id)) throw new AppError(409, 'appointment_duplicate');
    if (row.slotId < slot.id) {
      await q.releasePlace(tx, row.slotId);
      await takePlace(deps, tx, slot);
    } else {
      await takePlace(deps, tx, slot);
      await q.releasePlace(tx, row.slotId);
    }
    if (!(await q.updateAppointment(tx, id, input.version, { slotId: slot.id, remindedAt: null }))) throw versionConflict();
    await audit(tx, actor, { action: 'update', entity: 'appointment', entityId: id, unitPath: row.unitPath, before: { slotId: row.slotId, startsAt: row.startsAt }, after: { slotId: slot.id, startsAt: slot.startsAt } });
  });
  return (await q.getAppointment(deps.database, id))!;
}

/** 取消: the place is released; the reason goes to the audit trail. */
export async function cancel(deps: Deps, actor: Actor, id: number, input: { version: number; reason?: string | null }): Promise<Appointment> {
  await deps.database.db.transaction(async (tx) => {
    const row = await bookingFor(deps, actor, id, input.version, 'cancel', tx);
    await q.releasePlace(tx, row.slotId);
    if (!(await q.updateAppointment(tx, id, input.version, { status: 'cancelled' }))) throw versionConflict();
    await audit(tx, actor, { action: 'update', entity: 'appointment', entityId: id, unitPath: row.unitPath, before: { status: 'booked' }, after: { status: 'cancelled', reason: input.reason || null } });
  });
  return (await q.getAppointment(deps.database, id))!;
}

/** 到场 / 爽约: recorded once the slot has started; the place stays taken. */
export async function recordOutcome(deps: Deps, actor: Actor, id: number, input: { version: number; outcome: 'attended' | 'no_show' }): Promise<Appointment> {
  await deps.database.db.transaction(async (tx) => {
    const row = await bookingFor(deps, actor, id, input.version, 'outcome', tx);
    if (row.startsAt.getTime() > Date.now()) throw new AppError(409, 'appointment_not_started', { at: shanghaiClock(row.startsAt) });
    if (!(await q.updateAppointment(tx, id, input.version, { status: input.outcome }))) throw versionConflict();
    await audit(tx, actor, { action: 'update', entity: 'appointment', entityId: id, unitPath: row.unitPath, before: { status: 'booked' }, after: { status: input.outcome } });
  });
  return (await q.getAppointment(deps.database, id))!;
}

export async function getAppointment(deps: Deps, actor: Actor, id: number): Promise<Appointment> {
  const [row] = await deps.database.rows<{ visible: boolean }>(
    sql`SELECT (${visibleCustomersSql(actor)}) AS visible FROM appointments a JOIN customers c ON c.id = a.customer_id WHERE a.id = ${id}`,
  );
  if (!row) throw notFound('appointment');
  if (!row.visible) throw outOfScope('appointment');
  return (await q.getAppointment(deps.database, id))!;
}

/** 客户的预约 (the 360° view's tab): newest slot first. */
export async function customerAppointments(deps: Deps, actor: Actor, customerId: number, query: { status?: AppointmentStatus; offset: number; limit: number }): Promise<Page<Appointment>> {
  await loadVisibleCustomer(deps, actor, customerId);
  const conds = [sql`a.customer_id = ${customerId}`, ...(query.status ? [sql`a.status = ${query.status}`] : [])];
  const where = sql.join(conds, sql` AND `);
  const [items, total] = await Promise.all([q.listAppointments(deps.database, where, 'desc', query.offset, query.limit), q.countAppointments(deps.database, where)]);
  return { items, total };
}

/** A resource's bookings of a day or a week, in slot order: those of the customers the actor sees. */
export async function resourceAppointments(deps: Deps, actor: Actor, resourceId: number, query: ResourceAppointmentsQuery & { offset: number; limit: number }): Promise<Page<Appointment>> {
  const { from, to } = weekOf(query);
  await resourceFor(deps, actor, resourceId, 'read');
  const conds = [sql`s.resource_id = ${resourceId}`, q.startingWithin(from, to), visibleCustomersSql(actor), ...(query.status ? [sql`a.status = ${query.status}`] : [])];
  const where = sql.join(conds, sql` AND `);
  const [items, total] = await Promise.all([q.listAppointments(deps.database, where, 'asc', query.offset, query.limit), q.countAppointments(deps.database, where)]);
  return { items, total };
}
