/**
 * TMF629 Customer Management over the key accounts (customers area): each key account a `Customer` whose
 * engagedParty is its TMF632 Organization or Individual, its level, credit grade and points as characteristics,
 * its account manager as a related party. Reads and changes go through the customers area's service, in the
 * caller's data scope; lists are the console's lists (the same indexes and statements), reading every column of
 * the page's customers at once.
 */
import type { Actor } from '../../../platform/auth/principal.js';
import type { Deps } from '../../../platform/deps.js';
import { AppError, forbidden, invalid } from '../../../platform/errors.js';
import type { Page } from '../../../platform/http/list.js';
import { todayAt } from '../../../platform/months.js';
import * as customers from '../../customers/service.js';
import { checkVersion, compact, hrefOf, typed } from '../common/conventions.js';
import { contactMediaOf, partyRefOf, validForOf } from '../common/party.js';
import { CUSTOMER_STATUSES, type CustomerCreate, type CustomerListQuery, type CustomerPatch, type CustomerStatus } from './schemas.js';

const statusOf = (archive: customers.CustomerRecord['archive']) => (archive === 'in_network' ? 'active' : 'inactive') satisfies CustomerStatus;

const characteristic = (name: string, valueType: string, value: unknown) => (value === null || value === undefined ? [] : [{ name, valueType, value }]);

/** A key account as a TMF629 Customer; contact media masked unless `pii`. */
export function toCustomer(c: customers.CustomerRecord, pii: boolean) {
  return compact({
    id: String(c.id),
    href: hrefOf('tmf629', 'customer', c.id),
    name: c.name,
    status: statusOf(c.archive),
    statusReason: c.archive === 'retained' ? (c.archivedReason ?? undefined) : undefined,
    validFor: validForOf(c),
    engagedParty: partyRefOf(c),
    characteristic: [
      ...characteristic('customerNo', 'string', c.customerNo),
      ...characteristic('level', 'string', c.level),
      ...characteristic('creditGrade', 'string', c.creditGrade),
      ...characteristic('pointsBalance', 'integer', c.points === null ? null : Number(c.points)),
      ...characteristic('industry', 'string', c.industry),
      ...characteristic('brand', 'string', c.brand),
      ...characteristic('unit', 'string', c.unitName),
    ],
    contactMedium: contactMediaOf(c, pii),
    relatedParty: c.managerId === null ? [] : [{ id: String(c.managerId), name: c.managerName ?? undefined, role: 'accountManager', '@referredType': 'Individual' }].map(compact),
    ...typed('tmf629', 'Customer', 'PartyRole'),
  });
}
export type TmfCustomer = ReturnType<typeof toCustomer>;

/** The console's list filter of a TMF query. */
export const filterOf = (query: CustomerListQuery) => ({
  q: query.name,
  archive: query.status ? CUSTOMER_STATUSES[query.status] : undefined,
  level: query.level,
  creditGrade: query.creditGrade,
});

/** Customers by id in the order given, in the reader's scope (every one of them for `null`: events), in one statement. */
export async function recordsOf(deps: Deps, actor: Actor | null, ids: number[]): Promise<customers.CustomerRecord[]> {
  const rows = await customers.customersByIds(deps, ids, actor);
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** A page of key accounts of the reader's scope (the console's list, in customer-number order), as `map` renders them. */
export async function pageOfRecords<T>(
  deps: Deps,
  actor: Actor,
  query: { offset: number; limit: number } & Partial<customers.CustomerFilter>,
  map: (c: customers.CustomerRecord) => T,
): Promise<Page<T>> {
  const { offset, limit, ...filter } = query;
  const page = await customers.listCustomerRecords(deps, actor, { ...filter, offset, limit, order: 'asc', sort: filter.q ? undefined : 'customerNo' });
  return { ...page, items: page.items.map(map) };
}

export function listCustomers(deps: Deps, actor: Actor, pii: boolean, query: CustomerListQuery) {
  return pageOfRecords(deps, actor, { offset: query.offset, limit: query.limit, ...filterOf(query) }, (c) => toCustomer(c, pii));
}

export async function getCustomer(deps: Deps, actor: Actor, pii: boolean, id: number) {
  // the prepared read first; what it does not find is told apart (missing, or out of scope: both 404) by the customers area
  const [row = await customers.loadVisibleCustomer(deps, actor, id)] = await customers.customersByIds(deps, [id], actor);
  return { customer: toCustomer(row, pii), version: row.version };
}

/** Events: the Customers of these ids, whoever may see them, contact media masked. */
export async function renderCustomers(deps: Deps, ids: string[]): Promise<Map<string, unknown>> {
  const rows = await recordsOf(deps, null, ids.map(Number).filter(Number.isSafeInteger));
  return new Map(rows.map((r) => [String(r.id), toCustomer(r, false)]));
}

/** The contact phone and address a body's contact media give (undefined: not changed; null: removed). */
function contactOf(patch: Pick<CustomerPatch, 'contactMedium'>) {
  if (patch.contactMedium === undefined) return {};
  const media = patch.contactMedium ?? [];
  const phone = media.find((m) => m.characteristic?.phoneNumber)?.characteristic?.phoneNumber ?? null;
  const street = media.find((m) => m.characteristic?.street1)?.characteristic?.street1 ?? null;
  return { contactPhone: phone, address: street };
}

/** The fields the customers area names in its refusals of a creation, as a Customer_Create names them. */
const CREATE_FIELDS: Record<string, string> = {
  'body.customerNo': 'body.characteristic.customerNo',
  'body.unitId': 'body.characteristic.unitId',
  'body.managerId': 'body.relatedParty',
};

function renamedFields(err: unknown): never {
  if (!(err instanceof AppError) || !err.fieldErrors.length) throw err;
  const rename = <T extends { field?: unknown } | undefined>(o: T): T => (o && typeof o.field === 'string' ? { ...o, field: CREATE_FIELDS[o.field] ?? o.field } : o);
  throw new AppError(err.status, err.code, rename(err.params), err.fieldErrors.map((e) => ({ ...rename(e), params: rename(e.params) })));
}

/**
 * 新建客户 for a machine: the console's creation (its checks, data scope, audit, duplicate number refused and the
 * CustomerCreateEvent), the engagedParty's type choosing the kind; possible duplicates (same credit code, ID
 * number, or name and phone) are flagged in the console, not refused, as when a person creates it there.
 */
export async function createCustomer(deps: Deps, actor: Actor, pii: boolean, body: CustomerCreate) {
  const manager = body.relatedParty?.[0];
  const { customer } = await customers
    .createCustomer(deps, actor, {
      ...body.characteristic,
      name: body.name,
      kind: body.engagedParty['@referredType'] === 'Organization' ? 'group' : 'individual',
      managerId: manager ? Number(manager.id) : null,
      ...contactOf(body),
    })
    .catch(renamedFields);
  return getCustomer(deps, actor, pii, customer.id);
}

/**
 * A merge-patch at the version read (If-Match): the status moves the key account between the archives (入库 /
 * 转保留库, which needs customers.lifecycle and a reason), name and contact media change its profile; one
 * transaction, one version step per kind of change, each audited by the customers area.
 */
export async function patchCustomer(deps: Deps, actor: Actor, pii: boolean, id: number, ifMatch: number | null, patch: CustomerPatch) {
  const fields = { ...(patch.name !== undefined && { name: patch.name }), ...contactOf(patch) };
  await deps.database.db.transaction(async (tx) => {
    const before = await customers.loadWritableCustomer(deps, actor, id, tx);
    checkVersion(ifMatch, before.version);
    let at = before.version;
    const toArchive = patch.status ? CUSTOMER_STATUSES[patch.status] : before.archive;
    if (toArchive !== before.archive) {
      if (!actor.permissions.has('customers.lifecycle')) throw forbidden();
      if (!patch.statusReason) throw invalid('body.statusReason', 'tmf_status_reason_required');
      await customers.moveArchiveIn(deps, tx, actor, id, { version: at, toArchive, reason: patch.statusReason, effectiveOn: todayAt() });
      at += 1;
    }
    if (Object.keys(fields).length) await customers.patchCustomerIn(deps, tx, actor, id, { version: at, source: 'console', ...fields });
  });
  return getCustomer(deps, actor, pii, id);
}
