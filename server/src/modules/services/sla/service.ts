/**
 * 服务时限 (SLA): the policies that set a request's due times, and the holiday calendar of the business
 * clock. Both belong to the whole organisation: one set of policies, one calendar (no data scope).
 */
import { sql } from 'drizzle-orm';
import type { Executor } from '../../../db/client.js';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '../../../platform/db-errors.js';
import { audit } from '../../../platform/audit/audit.js';
import type { Actor } from '../../../platform/auth/principal.js';
import type { Deps } from '../../../platform/deps.js';
import { AppError, invalid, notFound, versionConflict } from '../../../platform/errors.js';
import type { Page } from '../../../platform/http/list.js';
import { addClockMinutes, addClockMs, calendarOf, clockMsBetween, type Clock, type HolidayCalendar } from './clock.js';
import * as q from './queries.js';
import type { Holiday, HolidayInput, HolidayKind, HolidaysQuery, PoliciesQuery, Policy, PolicyInput, PolicyPatch, RequestType } from './schemas.js';

export { addClockMinutes, clockMinutesBetween, calendarOf, type Clock, type HolidayCalendar } from './clock.js';
export { REQUEST_TYPES, AREA_KINDS, type RequestType, type AreaKind } from './schemas.js';

export interface SlaTargets {
  policyId: number;
  clock: Clock;
  respondDueAt: Date;
  resolveDueAt: Date;
  warnAt: Date;
  waivesFee: boolean;
}

type TargetRequest = { type: string; level: string | null; areaKind: 'town' | 'rural' };
export type SlaPlan = (request: TargetRequest, start: Date) => Promise<SlaTargets | null>;

/**
 * Targets for many requests (the demo's year, a benchmark's load): each kind of request's policy is read once,
 * the calendar once. The most specific active policy applies (a named level before any, a named area before any).
 */
export async function slaPlanner(deps: Deps, executor: Executor): Promise<SlaPlan> {
  const cal = await loadCalendar(deps, executor);
  const policies = new Map<string, Promise<Policy | null>>();
  return async (request, start) => {
    const key = `${request.type}|${request.level ?? ''}|${request.areaKind}`;
    if (!policies.has(key)) policies.set(key, q.applicablePolicy(deps.database, executor, request));
    const policy = await policies.get(key)!;
    if (!policy) return null;
    const due = (minutes: number) => addClockMinutes(start, minutes, policy.clock, cal);
    return {
      policyId: policy.id,
      clock: policy.clock,
      respondDueAt: due(policy.respondMinutes),
      resolveDueAt: due(policy.resolveMinutes),
      warnAt: due((policy.resolveMinutes * policy.warnPercent) / 100),
      waivesFee: policy.waivesFee,
    };
  };
}

/** The most specific active policy and its due times from `start`; null when no policy covers the type. */
export async function slaTargetsFor(deps: Deps, executor: Executor, request: TargetRequest, start: Date): Promise<SlaTargets | null> {
  return (await slaPlanner(deps, executor))(request, start);
}

type DueTimes = { respondDueAt: Date | null; resolveDueAt: Date | null; warnAt: Date | null };

/**
 * Due times moved on by the clock time of a pause (waiting for the customer) from `pausedAt` to `resumedAt`.
 * A due time already passed when the pause began stays where it is: the breach happened before the pause.
 */
export async function resumeAfterPause(deps: Deps, executor: Executor, due: { clock: Clock } & DueTimes, pausedAt: Date, resumedAt: Date): Promise<DueTimes> {
  const cal = await loadCalendar(deps, executor);
  const paused = clockMsBetween(pausedAt, resumedAt, due.clock, cal);
  const move = (at: Date | null) => (at === null || at <= pausedAt ? at : addClockMs(at, paused, due.clock, cal));
  return { respondDueAt: move(due.respondDueAt), resolveDueAt: move(due.resolveDueAt), warnAt: move(due.warnAt) };
}

// The calendar of each database, cached for a minute: an edit on another instance is seen within that time.
const CALENDAR_TTL_MS = 60_000;
const calendars = new WeakMap<object, { loadedAt: number; calendar: HolidayCalendar }>();

/** The holiday calendar as stored (cached in the process for at most 60 s and dropped at once on an edit of this instance). */
export async function loadCalendar(deps: Deps, executor?: Executor): Promise<HolidayCalendar> {
  const cached = calendars.get(deps.database);
  if (cached && Date.now() - cached.loadedAt < CALENDAR_TTL_MS) return cached.calendar;
  const calendar = calendarOf(await q.allCalendarDays(deps.database, executor));
  calendars.set(deps.database, { loadedAt: Date.now(), calendar });
  return calendar;
}

const forgetCalendar = (deps: Deps) => calendars.delete(deps.database);

// ---- policies ----

export async function listPolicies(deps: Deps, query: PoliciesQuery): Promise<Page<Policy>> {
  const where = policyFilter(query);
  const [items, total] = await Promise.all([q.listPolicies(deps.database, where, query.offset, query.limit), q.countPolicies(deps.database, where)]);
  return { items, total };
}

function policyFilter(filter: { requestType?: RequestType; active?: boolean }) {
  const conds = [sql`true`];
  if (filter.requestType) conds.push(sql`p.request_type = ${filter.requestType}`);
  if (filter.active !== undefined) conds.push(sql`p.active = ${filter.active}`);
  return sql.join(conds, sql` AND `);
}

type PolicyValues = Omit<Policy, 'id' | 'version' | 'createdAt' | 'updatedAt'>;

function checkTargets(p: PolicyValues) {
  if (p.resolveMinutes < p.respondMinutes) throw invalid('body.resolveMinutes', 'sla_resolve_before_respond', { respond: p.respondMinutes });
}

/** One policy per scope (type, level, area): a second one would make "the most specific" ambiguous. */
const scopeTaken = () => new AppError(409, 'sla_policy_scope_taken', {}, ['requestType', 'level', 'areaKind'].map((f) => ({ field: `body.${f}`, code: 'sla_policy_scope_taken', message: '' })));

async function refuseTakenScope(deps: Deps, tx: Executor, p: PolicyValues, exceptId?: number) {
  if ((await q.policyWithScope(tx, deps.database, p, exceptId)) !== null) throw scopeTaken();
}

/** The unique index still guards a scope taken by a concurrent write between the check and the insert. */
async function mapScopeViolation<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (pgErrorCode(err) === PG_UNIQUE_VIOLATION) throw scopeTaken();
    throw err;
  }
}

const policyRecord = ({ version: _v, createdAt: _c, updatedAt: _u, ...p }: Policy) => p;

export async function createPolicy(deps: Deps, actor: Actor, input: PolicyInput): Promise<Policy> {
  const values = { ...input, note: input.note || null };
  checkTargets(values);
  const id = await mapScopeViolation(() =>
    deps.database.db.transaction(async (tx) => {
      await refuseTakenScope(deps, tx, values);
      const id = await q.insertPolicy(tx, values);
      await audit(tx, actor, { action: 'create', entity: 'sla_policy', entityId: id, after: values });
      return id;
    }),
  );
  return (await q.getPolicy(deps.database, id))!;
}

/** Changes a policy at the version read; deactivating it (`active: false`) is how a policy goes: requests keep the one they were given. */
export async function patchPolicy(deps: Deps, actor: Actor, id: number, input: PolicyPatch): Promise<Policy> {
  const { version, ...fields } = input;
  if (fields.note !== undefined) fields.note = fields.note || null;
  await mapScopeViolation(() =>
    deps.database.db.transaction(async (tx) => {
      const before = await q.getPolicy(deps.database, id, tx, true);
      if (!before) throw notFound('sla_policy');
      if (before.version !== version) throw versionConflict();
      const after = { ...policyRecord(before), ...fields };
      checkTargets(after);
      await refuseTakenScope(deps, tx, after, id);
      if (!(await q.updatePolicy(tx, id, version, fields))) throw versionConflict();
      await audit(tx, actor, { action: 'update', entity: 'sla_policy', entityId: id, before: policyRecord(before), after });
    }),
  );
  return (await q.getPolicy(deps.database, id))!;
}

// ---- holidays ----

export async function holidaysOfYear(deps: Deps, query: HolidaysQuery): Promise<Page<Holiday>> {
  const [items, total] = await Promise.all([q.holidaysOfYear(deps.database, query.year, query.offset, query.limit), q.countHolidaysOfYear(deps.database, query.year)]);
  return { items, total };
}

const isWeekend = (day: string) => [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());

/**
 * Marks a day as a holiday or as a worked weekend day (调休), replacing what the day was. A `workday` is
 * meaningful only on a Saturday or Sunday (a weekday is worked anyway); a holiday may fall on any day, as
 * the published schedules list the weekend days inside a holiday week too.
 */
export async function putHoliday(deps: Deps, actor: Actor, day: string, input: HolidayInput): Promise<Holiday> {
  if (input.kind === 'workday' && !isWeekend(day)) throw invalid('body.kind', 'sla_workday_not_weekend', { day });
  const holiday = await deps.database.db.transaction(async (tx) => {
    const before = await q.getHoliday(deps.database, tx, day, true);
    await q.upsertHoliday(deps.database, tx, { day, kind: input.kind, name: input.name, createdBy: actor.userId });
    const after = { day, kind: input.kind, name: input.name };
    await audit(tx, actor, { action: before ? 'update' : 'create', entity: 'holiday', entityId: day, before: before && { day, kind: before.kind, name: before.name }, after });
    return (await q.getHoliday(deps.database, tx, day))!;
  });
  forgetCalendar(deps);
  return holiday;
}

/** Adds days the calendar lacks, leaving a day already set as an administrator set it (the demo's calendar). */
export async function addMissingHolidays(deps: Deps, days: { day: string; kind: HolidayKind; name: string }[]): Promise<void> {
  await q.insertMissingHolidays(deps.database, days);
  forgetCalendar(deps);
}

export async function deleteHoliday(deps: Deps, actor: Actor, day: string): Promise<void> {
  await deps.database.db.transaction(async (tx) => {
    const before = await q.getHoliday(deps.database, tx, day, true);
    if (!before) throw notFound('holiday');
    await q.deleteHoliday(deps.database, tx, day);
    await audit(tx, actor, { action: 'delete', entity: 'holiday', entityId: day, before: { day, kind: before.kind, name: before.name } });
  });
  forgetCalendar(deps);
}
