import type { SQL } from 'drizzle-orm';
import type { Deps } from '../../platform/deps.js';
import { addMonths, monthAt, toMonthDate } from '../../platform/months.js';
import type { Executor } from '../../db/client.js';
import { namedRows } from '../../db/statements.js';
import { audit, type AuditEntry } from '../../platform/audit/audit.js';
import { type Actor } from '../../platform/auth/principal.js';
import { limitPiiReveals } from '../../platform/auth/reveal-limit.js';
import { customerReader, inScope } from '../../platform/auth/scope.js';
import { pgErrorCode, PG_UNIQUE_VIOLATION } from '../../platform/db-errors.js';
import { AppError, duplicate, entityName, invalid, notFound, outOfScope, versionConflict } from '../../platform/errors.js';
import { messageRef, type MessageCode } from '../../platform/i18n/messages.js';
import type { Page } from '../../platform/http/list.js';
import { notifyUsers } from '../../platform/notify/notify.js';
import { publishEvents, resourceEvents } from '../../platform/outbox/outbox.js';
import type { DomainEvent } from '../../platform/outbox/types.js';
import { maskIdNumber, maskPhone } from '../../platform/pii.js';
import * as org from '../org/service.js';
import * as q from './queries.js';
// (list.service.ts imports this module's function declarations back: hoisted, so the cycle is harmless)
import { resolveFilter } from './list.service.js';
import {
  EDITABLE_FIELDS,
  type CreateCustomer,
  type CustomerFilter,
  type CustomerSummary,
  type CustomerView,
  type EditableField,
  type HistoryEntry,
  type PatchCustomer,
} from './schemas.js';

const ENTITY = 'customer';
/** Fields whose values are personal data: history and audit keep them masked. */
const PII_FIELDS = new Set<EditableField>(['idNumber', 'contactPhone']);

/**
 * How far an access to customers reaches (platform/auth/scope.ts): 'read' and 'serve' (what is done for a
 * customer at the counter: points redemption, benefit use) the actor's scope as a reader of key accounts,
 * widened to the area they serve with customers.read_area; 'manage' (profiles, portfolios, discounts,
 * candidates) their own subtree. Without customers.read_unit, either is narrowed to their own portfolio.
 */
export type CustomerAccess = 'read' | 'serve' | 'manage';

export function scopeOf(actor: Actor, access: CustomerAccess = 'read'): q.CustomerScope {
  const unitPath = access === 'manage' ? actor.unitPath : customerReader(actor).unitPath;
  return { unitPath, managerId: actor.permissions.has('customers.read_unit') ? null : actor.userId };
}

/** A condition on `c` (customers) keeping the customers the actor may see; other modules' lists of customers use it. */
export const visibleCustomersSql = (actor: Actor) => q.scopeCondition(scopeOf(actor));
/** A condition on `c` keeping the customers the actor may manage: other modules' decisions on a customer use it. */
export const managedCustomersSql = (actor: Actor) => q.scopeCondition(scopeOf(actor, 'manage'));

/**
 * A customer's summary as a list shows it, personal data masked. Built field by field rather than by copying the
 * row less some of its fields: a search's page of 20 took 45.5 µs so, 10.9 µs this way, and the compiled writer
 * reads such objects almost three times faster (docs/performance.md, "Summaries built field by field").
 */
export function toSummary(row: q.SummaryRow): CustomerSummary {
  return {
    id: row.id,
    customerNo: row.customerNo,
    kind: row.kind,
    name: row.name,
    archive: row.archive,
    unitId: row.unitId,
    unitName: row.unitName,
    unitNameEn: row.unitNameEn,
    managerId: row.managerId,
    managerName: row.managerName,
    industry: row.industry,
    brand: row.brand,
    contactPhone: maskPhone(row.contactPhone),
    creditCode: row.creditCode,
    idNumber: maskIdNumber(row.idNumberTail),
    joinedOn: row.joinedOn,
    level: row.level as CustomerSummary['level'],
    creditGrade: row.creditGrade,
    points: row.points,
    arrears: row.arrears,
    version: row.version,
    // raw SQL rows carry timestamps as text on both drivers
    updatedAt: new Date(row.updatedAt),
  };
}

/** A customer the actor may see (404 outside the scope, exactly as when there is none); other modules check access with it. */
export const loadVisibleCustomer = (deps: Deps, actor: Actor, id: number, executor: Executor = deps.database.db) =>
  loadDetail(deps.database, executor, actor, id);

async function loadDetail(db: Deps['database'], executor: Executor, actor: Actor, id: number): Promise<q.DetailRow> {
  return loadVisible(db, executor, id, q.selectDetail(id, scopeOf(actor)));
}

/**
 * 合并后冻结: the customer `id` for a change, locked in the caller's transaction until it commits (a merge
 * waits for it, or it sees the merge): 404 outside the scope of `access`, exactly as when there is none;
 * 409 customer_merged naming the survivor once merged (customer_merged_hidden when the survivor is out of the actor's scope). Every writer of a customer's data loads it here,
 * this module's and the other modules' (points, benefits, discounts, candidates).
 */
export async function loadWritableCustomer(deps: Deps, actor: Actor, id: number, tx: Executor, access: Exclude<CustomerAccess, 'read'> = 'manage'): Promise<q.DetailRow> {
  const row = await loadVisible<q.DetailRow>(deps.database, tx, id, q.selectDetail(id, scopeOf(actor, access), { forUpdate: true }));
  if (row.mergedInto === null) return row;
  const survivor = (await survivorOf(deps, row.id, tx))!;
  // the survivor is named only to those who may see it
  const [seen] = await deps.database.rows(q.selectDetail(survivor.id, scopeOf(actor)), tx);
  throw seen ? customerMerged(survivor) : new AppError(409, 'customer_merged_hidden');
}

/**
 * 跨地区服务: the key account whose own number (a subscription's MSISDN, or the contact phone) the customer gives
 * at a counter or on the hotline of another city, locked for a service request like loadWritableCustomer. The
 * number identifies them wherever they stand, so the reader's area does not bound it; nothing else of the
 * customer opens to the reader (the request shows its name and level only). 404 for an unknown number.
 */
export const loadCustomerByPhoneForService = (deps: Deps, actor: Actor, phone: string, tx: Executor) => loadCustomerFoundForService(deps, actor, q.customerIdByPhone(phone), tx);

/** 跨行业服务: the key account of a membership number (its customer number), as loadCustomerByPhoneForService. */
export const loadCustomerByNoForService = (deps: Deps, actor: Actor, customerNo: string, tx: Executor) =>
  loadCustomerFoundForService(deps, actor, q.customerIdByNo(customerNo.toUpperCase()), tx);

async function loadCustomerFoundForService(deps: Deps, actor: Actor, found: SQL, tx: Executor): Promise<q.DetailRow> {
  const [row] = await deps.database.rows<{ id: number }>(found, tx);
  if (!row) throw notFound('customer');
  const anywhere: Actor = { ...actor, unitPath: '/', areaPath: '/', permissions: new Set([...actor.permissions, 'customers.read_unit']) };
  return loadWritableCustomer(deps, anywhere, Number(row.id), tx, 'serve');
}

/** The code of the problem (and of an import's rejected row) for a change to a merged customer; its parameters are mergedParams. */
export const CUSTOMER_MERGED = 'customer_merged' satisfies MessageCode;

/** A customer that lives on: the survivor of a merge. */
export interface Survivor {
  id: number;
  customerNo: string;
  name: string;
}

/** The parameters of CUSTOMER_MERGED: the survivor's customer number and name. */
export const mergedParams = (s: Survivor) => ({ survivorNo: s.customerNo, survivorName: s.name });

const customerMerged = (s: Survivor) => new AppError(409, CUSTOMER_MERGED, mergedParams(s));

/** The customer a merged one lives on in (the end of its chain of merges), or null when it was not merged. */
export async function survivorOf(deps: Deps, customerId: number, executor: Executor = deps.database.db): Promise<Survivor | null> {
  const [row] = await deps.database.rows<q.MergedRow>(q.mergedCustomers(customerId), executor);
  return row ? { id: Number(row.survivor_id), customerNo: row.survivor_no, name: row.survivor_name } : null;
}

/**
 * Every merged customer with its survivor, as a relation (customer_id, customer_no, survivor_id,
 * survivor_no, survivor_name) for set-based checks: an import refuses rows of these customers.
 */
export const mergedCustomersSql = (): SQL => q.mergedCustomers();

/** The row of a query that selects customer `id` inside the actor's scope: 404 outside it as when there is none ('hot': a prepared read, outside any transaction). */
async function loadVisible<T>(db: Deps['database'], executor: Executor | 'hot', id: number, query: SQL): Promise<T> {
  const [row] = executor === 'hot' ? await db.hotRows<T>(query) : await namedRows<T>(executor, query);
  if (row) return row;
  // told apart for the audit trail of refused accesses only: both answer 404 not_found
  const [exists] = await db.rows(q.customerExists(id), executor === 'hot' ? undefined : executor);
  throw exists ? outOfScope('customer') : notFound('customer');
}

/** The first day of the month `n` months before this one (Asia/Shanghai), as YYYY-MM-DD. */
export function monthsAgo(n: number, now = new Date()): string {
  return toMonthDate(addMonths(monthAt(now), -n));
}

/** 客户全方位视图: profile, people, numbers, contracts, products, trend, arrears; PII masked. */
export async function getCustomerView(deps: Deps, actor: Actor, id: number, trendMonths = 24): Promise<CustomerView> {
  const { database } = deps;
  const row = await loadVisible<q.ViewRow>(database, 'hot', id, q.selectView(id, scopeOf(actor), monthsAgo(trendMonths)));
  const { idNumberEnc: _enc, idNumberHash: _hash, unitPath: _path, keyPersons, subscriptions, trend, ...profile } = row;
  return {
    ...omitSummary(profile),
    ...toSummary(row),
    keyPersons: keyPersons.map((k) => ({ ...k, phone: maskPhone(k.phone) })),
    subscriptions: subscriptions.map((s) => ({ ...s, msisdn: maskPhone(s.msisdn)! })),
    trend,
    currentArrears: trend.at(-1)?.arrears ?? '0.00',
  };
}

function omitSummary<T extends Omit<q.DetailRow, 'idNumberEnc' | 'idNumberHash' | 'unitPath'>>(p: T) {
  const { idNumberTail: _t, contactPhone: _c, ...rest } = p;
  return rest;
}

export async function getHistory(deps: Deps, actor: Actor, id: number, offset: number, limit: number): Promise<Page<HistoryEntry>> {
  await loadDetail(deps.database, deps.database.db, actor, id);
  const [rows, counted] = await Promise.all([
    deps.database.rows<HistoryEntry>(q.selectHistory(id, offset, limit)),
    deps.database.rows<{ total: number | string }>(q.countHistory(id)),
  ]);
  return { items: rows.map((r) => ({ ...r, at: new Date(r.at) })), total: Number(counted[0]?.total ?? 0) };
}

/** The account managers an actor may filter by (or, of their own subtree, assign): those of their scope as a reader. */
export const listManagers = (deps: Deps, actor: Actor) =>
  deps.database.rows<{ id: number; displayName: string; unitName: string; unitNameEn: string | null }>(q.selectManagers(customerReader(actor).unitPath));

/** The stored form of the editable fields of a patch (ID numbers sealed), and their history form (PII masked). */
function storedValues(deps: Deps, fields: Partial<Record<EditableField, unknown>>) {
  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields) as [EditableField, unknown][]) {
    if (value === undefined) continue;
    if (key === 'idNumber') Object.assign(set, value ? deps.pii.seal(String(value)) : { idNumberEnc: null, idNumberHash: null, idNumberTail: null });
    else set[key] = value;
  }
  return set;
}

function shown(field: EditableField, value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (field === 'idNumber') return maskIdNumber(String(value).slice(-4));
  if (PII_FIELDS.has(field)) return maskPhone(String(value));
  return String(value);
}

function currentValue(row: q.DetailRow, field: EditableField, deps: Deps): unknown {
  if (field === 'idNumber') return row.idNumberEnc ? deps.pii.decrypt(Buffer.from(row.idNumberEnc)) : null;
  return (row as unknown as Record<string, unknown>)[field];
}

/**
 * 动态管理: applies field changes at the version read and keeps each change with its source, old and
 * new value, who and when. Returns the ids of the change rows.
 */
async function applyChanges(
  deps: Deps,
  tx: Executor,
  actor: Actor,
  before: q.DetailRow,
  version: number,
  fields: Partial<Record<EditableField, unknown>>,
  source: string,
  visitId: number | null,
) {
  const changes = EDITABLE_FIELDS.filter((f) => fields[f] !== undefined)
    .map((field) => ({ field, old: currentValue(before, field, deps), next: fields[field] ?? null }))
    .filter((c) => normalise(c.old) !== normalise(c.next));
  if (changes.length === 0) return 0;
  const ok = await q.updateCustomer(tx, before.id, version, storedValues(deps, Object.fromEntries(changes.map((c) => [c.field, c.next]))));
  if (!ok) throw versionConflict();
  await q.insertChanges(
    tx,
    changes.map((c) => ({
      customerId: before.id,
      field: c.field,
      oldValue: shown(c.field, c.old),
      newValue: shown(c.field, c.next),
      source,
      visitId,
      actorId: actor.userId,
    })),
  );
  const diff = Object.fromEntries(changes.map((c) => [c.field, shown(c.field, c.next)]));
  const old = Object.fromEntries(changes.map((c) => [c.field, shown(c.field, c.old)]));
  await audit(tx, actor, { action: 'update', entity: ENTITY, entityId: before.id, unitPath: before.unitPath, before: old, after: diff });
  await publishEvents(tx, keyAccountEvents(before, 'AttributeValueChange', changes.map((c) => c.field)));
  return changes.length;
}

/**
 * 事件通知: a key account's change as TMF events, written with the change (docs/events.md); `fieldPath` names the
 * fields changed. Imports and the monthly rules change customers by the hundred thousand and publish none.
 */
const customerEvent = resourceEvents('tmf629', 'Customer');
const PARTY_TYPES = { group: 'Organization', individual: 'Individual' } as const;

/**
 * The events of a change of a key account: its TMF629 Customer's and, when its TMF632 party (the Organization of a
 * group customer, the Individual of a person) shows the change, the party's. A party's status is its real-name
 * verification, an Organization's `closed` while retained (an Individual has no archive); a party shows no
 * account manager and no merge, whose events are the Customer's only (customerEvent).
 */
function keyAccountEvents(c: Pick<q.DetailRow, 'id' | 'kind' | 'archive'>, change: 'Create' | 'AttributeValueChange' | 'StateChange', fields: string[] = []): DomainEvent[] {
  const type = PARTY_TYPES[c.kind];
  const party = resourceEvents('tmf632', type);
  if (change === 'Create') return [customerEvent('CustomerCreateEvent', c.id), party(`${type}CreateEvent`, c.id)];
  if (change === 'StateChange') return [customerEvent('CustomerStateChangeEvent', c.id, 'status'), ...(c.kind === 'group' ? [party(`${type}StateChangeEvent`, c.id, 'status')] : [])];
  const attributes = fields.filter((f) => f !== 'realNameVerified');
  const verified = attributes.length < fields.length && (c.kind === 'individual' || c.archive === 'in_network');
  return [
    customerEvent('CustomerAttributeValueChangeEvent', c.id, fields.join(',')),
    ...(attributes.length ? [party(`${type}AttributeValueChangeEvent`, c.id, attributes.join(','))] : []),
    ...(verified ? [party(`${type}StateChangeEvent`, c.id, 'status')] : []),
  ];
}

const normalise = (v: unknown) => (v === null || v === undefined || v === '' ? null : String(v));

export async function patchCustomer(deps: Deps, actor: Actor, id: number, patch: PatchCustomer): Promise<CustomerView> {
  await deps.database.db.transaction((tx) => patchCustomerIn(deps, tx, actor, id, patch));
  return getCustomerView(deps, actor, id);
}

/** patchCustomer inside the caller's transaction (the TM Forum façade changes fields and the archive at one version). */
export async function patchCustomerIn(deps: Deps, tx: Executor, actor: Actor, id: number, patch: PatchCustomer) {
  const { version, source, ...fields } = patch;
  const before = await loadWritableCustomer(deps, actor, id, tx);
  if (before.version !== version) throw versionConflict();
  await applyChanges(deps, tx, actor, before, version, fields, source, null);
}

/** A customer as its detail row reads (personal data in clear: the caller masks what its reader may not see). */
export type CustomerRecord = q.DetailRow;

/**
 * Customers by id in one statement, those the actor may see (every one of them for `null`: the rendering of
 * events, whose listeners were authorised when they subscribed); ids not found are left out.
 */
export async function customersByIds(deps: Deps, ids: readonly number[], actor: Actor | null, executor?: Executor): Promise<CustomerRecord[]> {
  if (ids.length === 0) return [];
  const query = q.selectDetails(ids, actor ? scopeOf(actor) : null);
  // outside a transaction a prepared read (a page of an API list, planned once per connection)
  return executor ? deps.database.rows<CustomerRecord>(query, executor) : deps.database.hotRows<CustomerRecord>(query);
}

/** A manager's visit, and the fields it updates (source: manager_visit). */
export async function recordVisit(deps: Deps, actor: Actor, id: number, input: import('./schemas.js').VisitInput) {
  await deps.database.db.transaction((tx) => recordVisitIn(deps, tx, actor, id, input));
  return getCustomerView(deps, actor, id);
}

/**
 * recordVisit in the caller's transaction (a manager's work log records its visit or call with it, in the
 * log's own transaction); returns the visit's id. `versionField` names the input field a missing version is
 * reported on.
 */
export async function recordVisitIn(deps: Deps, tx: Executor, actor: Actor, id: number, input: import('./schemas.js').VisitInput, versionField = 'body.version'): Promise<number> {
  const before = await loadWritableCustomer(deps, actor, id, tx);
  const visitId = await q.insertVisit(tx, { customerId: id, managerId: actor.userId, visitedOn: input.visitedOn, channel: input.channel, summary: input.summary });
  await audit(tx, actor, { action: 'create', entity: 'visit', entityId: visitId, unitPath: before.unitPath, after: { customerId: id, visitedOn: input.visitedOn, channel: input.channel, summary: input.summary, updatedFields: Object.keys(input.updates ?? {}) } });
  if (input.updates && Object.keys(input.updates).length) {
    if (input.version === undefined) throw invalid(versionField, 'visit_version_required');
    if (before.version !== input.version) throw versionConflict();
    await applyChanges(deps, tx, actor, before, input.version, input.updates, 'manager_visit', visitId);
  }
  return visitId;
}

/** A visit as the demo writes it in bulk (no field changes). */
export interface DemoVisit {
  customerId: number;
  managerId: number;
  visitedOn: string;
  channel: 'visit' | 'phone' | 'wechat' | 'meeting';
  summary: string;
}

/** Demo data: records visits in one statement, returning their ids in the order given (the demo's work logs link them). */
export async function recordDemoVisits(tx: Executor, rows: DemoVisit[]): Promise<number[]> {
  return rows.length ? q.insertVisits(tx, rows) : [];
}

type DuplicateRow = { id: number; customerNo: string; name: string; archive: string; reason: string };
const duplicatesFor = (deps: Deps, c: Parameters<typeof q.selectDuplicates>[0]) => deps.database.rows<DuplicateRow>(q.selectDuplicates(c));

/** Possible duplicates of a stored customer: same credit code, same ID number, or same name and phone. */
export async function duplicatesOf(deps: Deps, actor: Actor, id: number): Promise<DuplicateRow[]> {
  const row = await loadDetail(deps.database, deps.database.db, actor, id);
  return duplicatesFor(deps, { id, creditCode: row.creditCode, idNumberHash: row.idNumberHash, name: row.name, phone: row.contactPhone });
}

/** Creates a customer in the in-network archive; possible duplicates are flagged in the answer, not refused. */
export async function createCustomer(deps: Deps, actor: Actor, input: CreateCustomer) {
  const { db } = deps.database;
  const unit = await org.getUnit(db, actor, input.unitId).catch(() => {
    throw invalid('body.unitId', 'not_found', { entity: entityName('org_unit') });
  });
  const { customerNo, kind, unitId, managerId: requested, ...fields } = input;
  // naming another account manager is an assignment (分配客户经理), which the console offers with that permission only
  if (requested && requested !== actor.userId && !actor.permissions.has('customers.assign')) {
    throw new AppError(403, 'forbidden', {}, [{ field: 'body.managerId', code: 'forbidden', message: '', params: {} }]);
  }
  // an account manager's new customer joins their own portfolio, or they could not see it
  const managerId = requested ?? (scopeOf(actor).managerId === null ? null : actor.userId);
  try {
    const id = await db.transaction(async (tx) => {
      if (managerId) await checkManager(deps, tx, actor, managerId);
      const newId = await q.insertCustomer(tx, {
        customerNo: customerNo.toUpperCase(),
        kind,
        unitId,
        managerId,
        ...(storedValues(deps, fields) as { name: string }),
      });
      if (managerId) await q.reassign(tx, newId, managerId, new Date().toISOString().slice(0, 10), actor.userId);
      await audit(tx, actor, { action: 'create', entity: ENTITY, entityId: newId, unitPath: unit.path, after: { customerNo, kind, name: input.name, unitId } });
      await publishEvents(tx, keyAccountEvents({ id: newId, kind, archive: 'in_network' }, 'Create'));
      return newId;
    });
    const duplicates = await duplicatesFor(deps, {
      id,
      creditCode: input.creditCode ?? null,
      idNumberHash: input.idNumber ? deps.pii.lookupHash(input.idNumber) : null,
      name: input.name,
      phone: input.contactPhone ?? null,
    });
    return { customer: await getCustomerView(deps, actor, id), duplicates };
  } catch (err) {
    if (pgErrorCode(err) === PG_UNIQUE_VIOLATION) throw duplicate('body.customerNo');
    throw err;
  }
}

/** Moves a customer between the in-network and retained archives (入库/转保留库/复用), with reason and date. */
export async function moveArchive(deps: Deps, actor: Actor, id: number, input: import('./schemas.js').LifecycleInput) {
  await deps.database.db.transaction((tx) => moveArchiveIn(deps, tx, actor, id, input));
  return getCustomerView(deps, actor, id);
}

/** 入库 / 转保留库 inside the caller's transaction (other modules' decisions that move a customer). */
export async function moveArchiveIn(deps: Deps, tx: Executor, actor: Actor, id: number, input: import('./schemas.js').LifecycleInput) {
  const before = await loadWritableCustomer(deps, actor, id, tx);
  if (before.version !== input.version) throw versionConflict();
  if (before.archive === input.toArchive) throw invalid('body.toArchive', 'archive_unchanged', { archive: messageRef(`archive_${input.toArchive}`) });
  const retained = input.toArchive === 'retained';
  const ok = await q.updateCustomer(tx, id, input.version, {
    archive: input.toArchive,
    archivedReason: retained ? input.reason : null,
    archivedOn: retained ? input.effectiveOn : null,
  });
  if (!ok) throw versionConflict();
  await q.insertLifecycleEvent(tx, { customerId: id, fromArchive: before.archive, toArchive: input.toArchive, reason: input.reason, effectiveOn: input.effectiveOn, note: input.note ?? null, actorId: actor.userId });
  await audit(tx, actor, { action: 'update', entity: ENTITY, entityId: id, unitPath: before.unitPath, before: { archive: before.archive }, after: { archive: input.toArchive, reason: input.reason } });
  await publishEvents(tx, keyAccountEvents(before, 'StateChange'));
}

/** A manager must be an active user of the actor's subtree (`field` names the input that chose them). */
async function checkManager(deps: Deps, tx: Executor, actor: Actor, managerId: number, field = 'body.managerId') {
  const [manager] = await deps.database.rows<{ path: string }>(q.managerUnitPath(managerId), tx);
  if (!manager || !inScope(actor, manager.path)) {
    throw invalid(field, 'not_found', { entity: entityName('user') });
  }
}

/**
 * 客户经理调整, one customer or many: the portfolio rows closed and opened (source console, who assigned), the audit
 * entry, and both managers told in the console (the one who hands over, when there was one, and the one who takes over).
 */
async function handOver(
  deps: Deps,
  tx: Executor,
  actor: Actor,
  move: { customerIds: number | number[]; from: number | null; to: number; fromDate: string | undefined; link: (managerId: number) => string },
  entry: Omit<AuditEntry, 'action'>,
) {
  await q.reassign(tx, move.customerIds, move.to, move.fromDate ?? new Date().toISOString().slice(0, 10), actor.userId);
  await audit(tx, actor, { action: 'update', ...entry });
  await publishEvents(tx, [move.customerIds].flat().map((id) => customerEvent('CustomerAttributeValueChangeEvent', id, 'managerId')));
  if (move.from === move.to) return;
  const count = [move.customerIds].flat().length;
  const names = new Map((await deps.database.rows<{ id: number; name: string }>(q.displayNames([move.from ?? move.to, move.to, actor.userId ?? move.to]), tx)).map((u) => [Number(u.id), u.name]));
  const by = (actor.userId !== null && names.get(actor.userId)) || actor.username || '';
  await notifyUsers(tx, [
    ...(move.from === null ? [] : [{ userId: move.from, code: 'portfolio_moved_out' as const, params: { count, to: names.get(move.to) ?? '', by }, link: move.link(move.from) }]),
    { userId: move.to, code: move.from === null ? ('portfolio_assigned' as const) : ('portfolio_moved_in' as const), params: { count, from: names.get(move.from ?? move.to) ?? '', by }, link: move.link(move.to) },
  ]);
}

/** 客户经理分配: the manager must belong to the customer's city subtree; the portfolio history is kept. */
export async function assignManager(deps: Deps, actor: Actor, id: number, input: { version: number; managerId: number; fromDate?: string }) {
  await deps.database.db.transaction(async (tx) => {
    const before = await loadWritableCustomer(deps, actor, id, tx);
    if (before.version !== input.version) throw versionConflict();
    await checkManager(deps, tx, actor, input.managerId);
    const ok = await q.updateCustomer(tx, id, input.version, { managerId: input.managerId });
    if (!ok) throw versionConflict();
    const move = { customerIds: id, from: before.managerId === null ? null : Number(before.managerId), to: input.managerId, fromDate: input.fromDate, link: () => `/customers/${id}` };
    await handOver(deps, tx, actor, move, { entity: ENTITY, entityId: id, unitPath: before.unitPath, before: { managerId: before.managerId }, after: { managerId: input.managerId } });
  });
  return getCustomerView(deps, actor, id);
}

/** The customers list's filter and the values it names, for other modules' inputs that choose customers as the list does. */
export { ARCHIVES, createCustomerBody, CUSTOMER_NO_PATTERN, customerFilter, LEVELS, type CreateCustomer, type CustomerFilter } from './schemas.js';
// the key-account lists, for other areas' lists of customers (the TM Forum façade)
export { listCustomerRecords, listCustomers } from './list.service.js';
export { exportCustomersWhere, exportFileName } from './export.service.js';
export { exportColumns } from './export-columns.js';
export type { CustomerSummary, ListCustomersQuery } from './schemas.js';

/** A bulk move of customers from one account manager to another (客户批量调整). */
export interface PortfolioMove {
  fromManagerId: number;
  toManagerId: number;
  /** These customers of the source manager (all must be movable by the actor) … */
  customerIds?: number[];
  /** … or those the customers list's filter matches (all of the source manager's without either). */
  filter?: CustomerFilter;
  fromDate?: string;
  dryRun?: boolean;
  /** The console page a manager's message opens. */
  link: (managerId: number) => string;
}

/**
 * 批量调整, set-based, in one transaction: the source manager's customers (not merged) in the actor's
 * managing scope that the ids or the filter name get the target manager — an active account manager of the
 * actor's subtree — each version bumped, its open portfolio row closed and a new one opened as an assignment
 * does (source console, who assigned); one audit entry with the count. A dry run counts and changes nothing.
 * Never sets a customer's manager to null. Returns the customers the move takes.
 */
export async function moveCustomers(deps: Deps, actor: Actor, input: PortfolioMove): Promise<number> {
  if (input.fromManagerId === input.toManagerId) throw invalid('body.toManagerId', 'portfolio_move_same_manager');
  // the filter is resolved before the transaction (its lookups read outside it)
  const match = input.filter ? (await resolveFilter(deps, actor, input.filter)).match : null;
  return deps.database.db.transaction((tx) => moveMatching(deps, tx, actor, input, match));
}

async function moveMatching(deps: Deps, tx: Executor, actor: Actor, input: PortfolioMove, match: q.CustomerMatch | null): Promise<number> {
  await checkManager(deps, tx, actor, input.toManagerId, 'body.toManagerId');
  const [role] = await deps.database.rows(q.selectManagers(actor.unitPath, input.toManagerId), tx);
  if (!role) throw invalid('body.toManagerId', 'portfolio_move_not_manager');
  const ids = input.customerIds ? [...new Set(input.customerIds)] : null;
  const picked = { from: input.fromManagerId, scope: managedCustomersSql(actor), match, ids };
  if (input.dryRun) {
    const [counted] = await deps.database.rows<{ n: number }>(q.countMovable(picked), tx);
    const n = Number(counted?.n ?? 0);
    if (ids && n !== ids.length) throw invalid('body.customerIds', 'portfolio_move_customers_unavailable', { count: ids.length - n });
    return n;
  }
  const moved = (await deps.database.rows<{ id: number }>(q.moveMovable(picked, input.toManagerId), tx)).map((r) => Number(r.id));
  if (ids && moved.length !== ids.length) throw invalid('body.customerIds', 'portfolio_move_customers_unavailable', { count: ids.length - moved.length });
  if (moved.length === 0) return 0;
  const filter = input.filter ?? null;
  const move = { customerIds: moved, from: input.fromManagerId, to: input.toManagerId, fromDate: input.fromDate, link: input.link };
  await handOver(deps, tx, actor, move, {
    entity: 'portfolio_move',
    entityId: input.fromManagerId,
    unitPath: actor.unitPath,
    before: { managerId: input.fromManagerId },
    after: { managerId: input.toManagerId, moved: moved.length, filter, customerIds: ids ? moved : null, fromDate: input.fromDate ?? null },
  });
  return moved.length;
}

/** How many customers (not merged) a user holds as their account manager. */
export async function customersHeldBy(deps: Deps, tx: Executor, userId: number): Promise<number> {
  const [row] = await deps.database.rows<{ n: number }>(q.countHeld(userId), tx);
  return Number(row?.n ?? 0);
}

/** 个人信息保护: one field of one customer in clear, for a permitted reader; every reveal is audited. */
export async function revealPii(deps: Deps, actor: Actor, id: number, field: 'idNumber' | 'contactPhone' | 'subscription' | 'keyPersonPhone', refId?: number) {
  await limitPiiReveals(deps, actor);
  return deps.database.db.transaction(async (tx) => {
    const row = await loadDetail(deps.database, tx, actor, id);
    let value: string | null = null;
    if (field === 'idNumber') value = row.idNumberEnc ? deps.pii.decrypt(Buffer.from(row.idNumberEnc)) : null;
    else if (field === 'contactPhone') value = row.contactPhone;
    else {
      if (!refId) throw invalid('body.refId', 'reveal_ref_required');
      const found = field === 'subscription' ? (await q.findSubscriptionMsisdn(tx, id, refId))?.msisdn : (await q.findKeyPersonPhone(tx, id, refId))?.phone;
      if (found === undefined) throw notFound(field === 'subscription' ? 'subscription' : 'key_person');
      value = found;
    }
    await audit(tx, actor, { action: 'read', entity: ENTITY, entityId: id, unitPath: row.unitPath, after: { revealed: field, refId: refId ?? null } });
    return { field, value };
  });
}

/**
 * 合并: the duplicate's numbers, people, contracts, products and facts move to the survivor; the
 * duplicate stays, retained and pointing at the survivor, so both histories are kept.
 */
export async function mergeCustomers(deps: Deps, actor: Actor, id: number, input: { version: number; duplicateId: number; duplicateVersion: number }) {
  if (id === input.duplicateId) throw invalid('body.duplicateId', 'merge_self');
  await deps.database.db.transaction(async (tx) => {
    const survivor = await loadWritableCustomer(deps, actor, id, tx);
    const dup = await loadWritableCustomer(deps, actor, input.duplicateId, tx).catch((err: unknown) => {
      if (err instanceof AppError && err.status === 404) throw invalid('body.duplicateId', 'not_found', { entity: entityName('customer') });
      throw err;
    });
    if (survivor.version !== input.version || dup.version !== input.duplicateVersion) throw versionConflict();
    await q.moveOwnedRows(tx, dup.id, survivor.id);
    const today = new Date().toISOString().slice(0, 10);
    const ok =
      (await q.updateCustomer(tx, dup.id, dup.version, { archive: 'retained', archivedReason: 'merged', archivedOn: today, mergedInto: survivor.id })) &&
      (await q.updateCustomer(tx, survivor.id, survivor.version, {}));
    if (!ok) throw versionConflict();
    await q.insertLifecycleEvent(tx, { customerId: dup.id, fromArchive: dup.archive, toArchive: 'retained', reason: 'merged', effectiveOn: today, note: `→ ${survivor.customerNo}`, actorId: actor.userId });
    await q.insertChanges(tx, [{ customerId: survivor.id, field: 'mergedFrom', oldValue: null, newValue: dup.customerNo, source: 'console', actorId: actor.userId }]);
    await audit(tx, actor, { action: 'update', entity: ENTITY, entityId: survivor.id, unitPath: survivor.unitPath, after: { mergedFrom: dup.id } });
    await publishEvents(tx, [...keyAccountEvents(dup, 'StateChange'), customerEvent('CustomerAttributeValueChangeEvent', survivor.id, 'mergedFrom')]);
  });
  return getCustomerView(deps, actor, id);
}

export async function addKeyPerson(deps: Deps, actor: Actor, id: number, input: import('zod').infer<typeof import('./schemas.js').keyPersonBody>) {
  await deps.database.db.transaction(async (tx) => {
    const row = await loadWritableCustomer(deps, actor, id, tx);
    const kpId = await q.insertKeyPerson(tx, { customerId: id, ...input, birthday: input.birthday ?? null });
    await q.insertChanges(tx, [{ customerId: id, field: 'keyPerson', oldValue: null, newValue: `${input.name} (${input.role})`, source: 'console', actorId: actor.userId }]);
    await audit(tx, actor, { action: 'create', entity: 'key_person', entityId: kpId, unitPath: row.unitPath, after: { customerId: id, name: input.name, role: input.role, title: input.title ?? null, phone: input.phone ?? null, birthday: input.birthday ?? null } });
  });
  return getCustomerView(deps, actor, id);
}

/** A product of ours a customer takes up (产品使用), as another module records it (a signed solution). */
export interface OwnProduct {
  product: string;
  since: string;
  monthlyFee: string;
  note: string | null;
}

/**
 * Adds products of ours to a customer in the caller's transaction, on a customer the caller loaded with
 * loadWritableCustomer (so locked, in scope and not merged); audited.
 */
export async function addOwnProducts(tx: Executor, actor: Actor, customer: Pick<q.DetailRow, 'id' | 'unitPath'>, products: OwnProduct[], source: { entity: string; id: number }) {
  if (products.length === 0) return [];
  const ids = await q.insertProducts(tx, products.map((p) => ({ ...p, customerId: customer.id, competitor: null })));
  await audit(tx, actor, { action: 'create', entity: 'customer_product', entityId: customer.id, unitPath: customer.unitPath, after: { products, source } });
  return ids;
}

export const listSavedFilters = (deps: Deps, actor: Actor) => q.listSavedFilters(deps.database.db, actor.userId!);

/**
 * The customers a list filter matches within the actor's scope (exactly as the list finds them), as an SQL source
 * with `c` the customers: `SELECT DISTINCT c.manager_id FROM ${source}` (managers/tasks reaches the managers holding
 * a segment's customers through it).
 */
export async function customersMatchingSql(deps: Deps, actor: Actor, filter: CustomerFilter): Promise<SQL> {
  const { match } = await resolveFilter(deps, actor, filter);
  return q.matchingCustomers(match);
}
export const saveFilter = (deps: Deps, actor: Actor, name: string, filter: CustomerFilter) =>
  q.insertSavedFilter(deps.database.db, actor.userId!, name, filter);
export async function deleteSavedFilter(deps: Deps, actor: Actor, id: number) {
  if (!(await q.deleteSavedFilter(deps.database.db, actor.userId!, id))) throw notFound('saved_filter');
}

// ---- 批量装载: imports of BOSS extracts (modules/integration) ----------------------------------------------------
// The import area reads a file, checks its rows and stages the good ones in a table of its connection (`stage`);
// these write them into the customers area's tables, set-based, in the import's transaction (import.queries.ts).

import * as bulk from './import.queries.js';

export { selectDuplicatePairs, type DuplicateMatch } from './queries.js';
export {
  attachLoadTable,
  createLoadTable,
  dropLoadTable,
  ensureFactPartitions,
  FACT_FIGURES,
  indexLoadTable,
  lockEmptyFactMonth,
  totalsPartition,
  type UpsertCounts as ImportCounts,
} from './import.queries.js';

/**
 * Customers of an import: each changed field of an existing customer to its history (source boss_import, personal
 * data masked as the console masks it), then the upsert of the editable fields the file carries (EDITABLE_FIELDS)
 * with unit and manager, then the portfolio history. A merged customer is left as it is.
 */
export async function importCustomers(tx: Executor, stage: string, stagedColumns: readonly string[], actor: Actor) {
  const fields = bulk.importedFields(EDITABLE_FIELDS, stagedColumns);
  await bulk.insertImportedChanges(tx, stage, fields, PII_FIELDS, actor.userId);
  const counts = await bulk.upsertImportedCustomers(tx, stage, fields);
  await bulk.syncImportedPortfolio(tx, stage, actor.userId);
  return counts;
}

/** Subscriptions of an import, by MSISDN. */
export const importSubscriptions = (tx: Executor, stage: string) => bulk.upsertImportedSubscriptions(tx, stage);

/** Facts of an import for `months` (YYYY-MM-01); `swapEmptyMonth` on PostgreSQL, where an empty month is swapped in whole. */
export const importFacts = (tx: Executor, stage: string, months: string[], swapEmptyMonth: boolean) =>
  bulk.upsertImportedFacts(tx, stage, months, swapEmptyMonth);
