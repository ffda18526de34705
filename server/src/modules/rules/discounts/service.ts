/**
 * 优惠申请: a custom discount for a customer, decided by the right head according to its amount — a
 * city head up to `benefits.cityApprovalMaxAmount` yuan a month, the province above. Requests are
 * scoped like the customers they are for; nobody decides their own; decisions carry the version read.
 */
import { sql, type SQL } from 'drizzle-orm';
import { audit } from '../../../platform/audit/audit.js';
import { type Actor } from '../../../platform/auth/principal.js';
import { atOrganisationRoot } from '../../../platform/auth/scope.js';
import type { Deps } from '../../../platform/deps.js';
import { AppError, invalid, notFound, outOfScope, versionConflict } from '../../../platform/errors.js';
import type { Page } from '../../../platform/http/list.js';
import { loadVisibleCustomer, loadWritableCustomer, managedCustomersSql } from '../../customers/service.js';
import * as q from './queries.js';
import type { ApproverLevel, DecisionInput, Discount, DiscountInput, InboxQuery } from './schemas.js';
import { currentMonthDate } from '../../../platform/months.js';
import { rulesInEffect } from '../service.js';

/** A decimal amount of yuan (up to two decimals) in whole fen, so that comparisons never meet a float. */
export function toFen(amount: string | number): number {
  if (typeof amount === 'number') return Math.round(amount * 100);
  const [whole, frac = ''] = amount.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

/** Who decides a discount of this amount: a city head up to the threshold, the province above it. */
export const approverLevelFor = (amount: string, cityMaxAmount: number): ApproverLevel =>
  toFen(amount) <= toFen(cityMaxAmount) ? 'city' : 'province';

/** What the actor may decide: a unit at the province (or the group HQ) decides every level; a city only city ones. */
export async function authorityOf(deps: Deps, actor: Actor): Promise<ApproverLevel | null> {
  if (atOrganisationRoot(actor)) return 'province';
  const kind = await q.unitKindAt(deps.database, actor.unitPath);
  return kind === 'hq' || kind === 'province' ? 'province' : kind === 'city' ? 'city' : null;
}

const APPROVER_NAMES: Record<ApproverLevel, { levelZh: string; levelEn: string }> = {
  city: { levelZh: '地市公司', levelEn: 'city' },
  province: { levelZh: '省公司', levelEn: 'province' },
};

/** 提交优惠申请: the approver level follows the amount and the benefits rules in effect; audited. */
export async function requestDiscount(deps: Deps, actor: Actor, customerId: number, input: DiscountInput): Promise<Discount> {
  const { params } = await rulesInEffect(deps, currentMonthDate());
  const approverLevel = approverLevelFor(input.amount, params.benefits.cityApprovalMaxAmount);
  const id = await deps.database.db.transaction(async (tx) => {
    const customer = await loadWritableCustomer(deps, actor, customerId, tx);
    const id = await q.insertDiscount(tx, { customerId, amount: input.amount, months: input.months, reason: input.reason, approverLevel, requestedBy: actor.userId });
    await audit(tx, actor, { action: 'create', entity: 'discount_request', entityId: id, unitPath: customer.unitPath, after: { customerId, amount: input.amount, months: input.months, reason: input.reason, approverLevel } });
    return id;
  });
  return (await q.getDiscount(deps.database, id))!;
}

/** 审批待办: requests of customers the actor manages at a level the actor decides (pending ones oldest first). */
export async function inbox(deps: Deps, actor: Actor, query: InboxQuery): Promise<Page<Discount>> {
  const authority = await authorityOf(deps, actor);
  if (!authority) return { items: [], total: 0 };
  const conds: SQL[] = [managedCustomersSql(actor), sql`d.status = ${query.status}`];
  if (authority === 'city') conds.push(sql`d.approver_level = 'city'`);
  const where = sql.join(conds, sql` AND `);
  const [items, total] = await Promise.all([
    q.listDiscounts(deps.database, where, query.status === 'pending' ? 'asc' : 'desc', query.offset, query.limit),
    q.countDiscounts(deps.database, where),
  ]);
  return { items, total };
}

/** A customer's requests, newest first. */
export async function customerDiscounts(deps: Deps, actor: Actor, customerId: number, query: { status?: string; offset: number; limit: number }): Promise<Page<Discount>> {
  await loadVisibleCustomer(deps, actor, customerId);
  const where = query.status ? sql`d.customer_id = ${customerId} AND d.status = ${query.status}` : sql`d.customer_id = ${customerId}`;
  const [items, total] = await Promise.all([q.listDiscounts(deps.database, where, 'desc', query.offset, query.limit), q.countDiscounts(deps.database, where)]);
  return { items, total };
}

/** 审批: approve or reject at the version read, by a head of the right level who did not ask for it, while the customer is not merged; audited. */
export async function decide(deps: Deps, actor: Actor, id: number, input: DecisionInput): Promise<Discount> {
  const note = input.note?.trim() || null;
  if (input.decision === 'reject' && !note) throw invalid('body.note', 'decision_reason_required', { min: 1 });
  const authority = await authorityOf(deps, actor);
  const { database } = deps;
  await database.db.transaction(async (tx) => {
    const row = await q.lockForDecision(database, tx, id, managedCustomersSql(actor));
    if (!row) throw notFound('discount_request');
    if (!row.visible) throw outOfScope('discount_request');
    await loadWritableCustomer(deps, actor, row.customerId, tx);
    if (row.status !== 'pending') throw new AppError(409, 'decision_already_made');
    if (row.version !== input.version) throw versionConflict();
    const level = row.approverLevel as ApproverLevel;
    if (!authority || (authority === 'city' && level === 'province')) throw new AppError(409, 'discount_wrong_approver', { level, ...APPROVER_NAMES[level] });
    if (row.requestedBy !== null && row.requestedBy === actor.userId) throw new AppError(409, 'discount_self_approval');
    const status = input.decision === 'approve' ? 'approved' : 'rejected';
    const ok = await q.updateDiscount(tx, id, input.version, { status, decidedBy: actor.userId, decidedAt: new Date(), decisionNote: note });
    if (!ok) throw versionConflict();
    await audit(tx, actor, { action: 'update', entity: 'discount_request', entityId: id, unitPath: row.unitPath, before: { status: row.status }, after: { status, note } });
  });
  return (await q.getDiscount(database, id))!;
}

/** 撤回: the requester takes back a request nobody has decided yet, at the version read (also once the customer is merged: it closes the request and changes nothing of the customer); audited. */
export async function withdraw(deps: Deps, actor: Actor, id: number, input: { version: number }): Promise<Discount> {
  const { database } = deps;
  await database.db.transaction(async (tx) => {
    const row = await q.lockForDecision(database, tx, id, managedCustomersSql(actor));
    if (!row) throw notFound('discount_request');
    if (!row.visible) throw outOfScope('discount_request');
    if (row.requestedBy !== actor.userId) throw new AppError(403, 'discount_not_requester');
    if (row.status !== 'pending') throw new AppError(409, 'decision_already_made');
    const ok = await q.updateDiscount(tx, id, input.version, { status: 'withdrawn' });
    if (!ok) throw versionConflict();
    await audit(tx, actor, { action: 'update', entity: 'discount_request', entityId: id, unitPath: row.unitPath, before: { status: row.status }, after: { status: 'withdrawn' } });
  });
  return (await q.getDiscount(database, id))!;
}
