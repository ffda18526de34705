/**
 * 割接/停机通知 (planned-work notices, DOMAIN.md §5; 客户服务标准 2011 §2.6): planned work that stops service in
 * an area is announced to the affected key accounts at least 72 hours ahead; a window over 24 hours, or one
 * touching key accounts (nearly every one), is approved by a head first, and nobody decides their own.
 *
 * Who plans and decides: the holders of notices.manage / notices.approve whose subtree holds the outage's area
 * (404 outside it). Who reads: they, the broad readers of the area (customers.read_unit), and anyone who sees
 * one of the affected customers — an account manager sees the outages that touch their portfolio.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../db/client.js';
import { audit } from '../../../platform/audit/audit.js';
import type { Actor } from '../../../platform/auth/principal.js';
import { inScope } from '../../../platform/auth/scope.js';
import type { Deps } from '../../../platform/deps.js';
import { AppError, entityName, invalid, notFound, outOfScope, versionConflict } from '../../../platform/errors.js';
import type { Page } from '../../../platform/http/list.js';
import { messageRef, type MessageCode } from '../../../platform/i18n/messages.js';
import { notifyUsers } from '../../../platform/notify/notify.js';
import { maskPhone } from '../../../platform/pii.js';
import { loadVisibleCustomer, visibleCustomersSql } from '../../customers/service.js';
import { earliestStart, flowActions, isEditable, leavesNotice, MAX_WINDOW_DAYS, needsApproval, nextStatus, allowedActions, shanghaiMinute, windowText, NOTICE_HOURS } from './flow.js';
import * as q from './queries.js';
import type { ActionInput, AffectedCustomer, CancelInput, CreateOutage, CustomerOutage, Outage, OutageAction, OutageDetail, OutageQuery, OutageStatus, PatchOutage } from './schemas.js';
import { tellCancellation, tellCustomers } from './send.js';

const ENTITY = 'planned_outage';
const DAY_MS = 86_400_000;

/** Who reads every outage of their subtree's areas, not only those touching customers they see. */
const broadReader = (actor: Actor) => (['customers.read_unit', 'notices.manage', 'notices.approve'] as const).some((p) => actor.permissions.has(p));

/** The outages the actor may see, as a condition on o (outages) and au (their area unit). */
export function visibleOutagesSql(actor: Actor): SQL {
  const arms = [q.affecting(visibleCustomersSql(actor))];
  if (broadReader(actor)) arms.push(q.areaIn(actor.unitPath));
  return sql`(${sql.join(arms, sql` OR `)})`;
}

const statusRef = (s: OutageStatus) => messageRef(`outage_status_${s}` as MessageCode);
const actionRef = (a: OutageAction) => messageRef(`outage_action_${a}` as MessageCode);
const ownsIt = (actor: Actor, row: q.OutageRow) => actor.userId !== null && (row.createdBy === actor.userId || row.submittedBy === actor.userId);

function present(actor: Actor, row: q.OutageRow): Outage {
  const { areaPath, submittedBy: _submittedBy, ...fields } = row;
  return { ...fields, allowedActions: allowedActions(row.status, { permissions: actor.permissions, manages: inScope(actor, areaPath), ownsIt: ownsIt(actor, row) }) };
}

// ---- reads ----

async function visibleOutage(deps: Deps, actor: Actor, id: number): Promise<q.OutageRow> {
  const row = await q.getOutage(deps.database, id, visibleOutagesSql(actor));
  if (row) return row;
  throw (await q.outageExists(deps.database, id)) ? outOfScope(ENTITY) : notFound(ENTITY);
}

export async function getOutage(deps: Deps, actor: Actor, id: number): Promise<OutageDetail> {
  const row = await visibleOutage(deps, actor, id);
  return { ...present(actor, row), ...(await q.sendCounts(deps.database, id)) };
}

/** The outages the actor may see, latest window first, with a total. */
export async function listOutages(deps: Deps, actor: Actor, query: OutageQuery): Promise<Page<Outage>> {
  const where = sql`${visibleOutagesSql(actor)} AND ${q.outageFilter(query)}`;
  const [rows, total] = await Promise.all([q.listOutages(deps.database, where, query.offset, query.limit), q.countOutages(deps.database, where)]);
  return { items: rows.map((r) => present(actor, r)), total };
}

/** The affected key accounts of an outage that the actor sees (a manager: their own portfolio's), phones masked. */
export async function affectedCustomers(deps: Deps, actor: Actor, id: number, page: { offset: number; limit: number }): Promise<Page<AffectedCustomer>> {
  await visibleOutage(deps, actor, id);
  const visible = visibleCustomersSql(actor);
  const [rows, total] = await Promise.all([q.listAffected(deps.database, id, visible, page.offset, page.limit), q.countAffected(deps.database, id, visible)]);
  return { items: rows.map((r) => ({ ...r, contactPhone: maskPhone(r.contactPhone) })), total };
}

/** The notices of a customer's 360° view: the outages affecting it, with when it was told. */
export async function customerOutages(deps: Deps, actor: Actor, customerId: number, page: { offset: number; limit: number }): Promise<Page<CustomerOutage>> {
  await loadVisibleCustomer(deps, actor, customerId);
  const [rows, total] = await Promise.all([q.customerOutages(deps.database, customerId, page.offset, page.limit), q.countCustomerOutages(deps.database, customerId)]);
  return { items: rows.map(({ customerNotifiedAt, ...row }) => ({ ...present(actor, row), customerNotifiedAt })), total };
}

// ---- planning ----

/** The window: ahead of now by the 72 hours' notice, ending after it starts, at most 30 days long. */
function checkWindow(startsAt: Date, endsAt: Date, now: Date) {
  if (startsAt.getTime() <= now.getTime()) throw invalid('body.startsAt', 'outage_in_past');
  if (!leavesNotice(startsAt, now)) throw invalid('body.startsAt', 'outage_notice_too_short', { hours: NOTICE_HOURS, earliest: shanghaiMinute(earliestStart(now)) });
  if (endsAt.getTime() <= startsAt.getTime()) throw invalid('body.endsAt', 'outage_ends_before_start');
  if (endsAt.getTime() - startsAt.getTime() > MAX_WINDOW_DAYS * DAY_MS) throw invalid('body.endsAt', 'outage_window_too_long', { days: MAX_WINDOW_DAYS });
}

/** The area: an active unit of the actor's subtree; its path. */
async function checkArea(deps: Deps, tx: Executor, actor: Actor, unitId: number): Promise<string> {
  const path = await q.unitPathOf(deps.database, unitId, tx);
  if (!path) throw invalid('body.areaUnitId', 'not_found', { entity: entityName('org_unit') });
  if (!inScope(actor, path)) throw invalid('body.areaUnitId', 'outage_area_outside');
  return path;
}

const record = (o: Pick<q.OutageRow, 'title' | 'description' | 'kind' | 'areaUnitId' | 'startsAt' | 'endsAt'>) => ({
  title: o.title,
  description: o.description,
  kind: o.kind,
  areaUnitId: o.areaUnitId,
  startsAt: o.startsAt.toISOString(),
  endsAt: o.endsAt.toISOString(),
});

/** 编制通知: a draft for an area of the actor's subtree; audited. */
export async function createOutage(deps: Deps, actor: Actor, input: CreateOutage): Promise<OutageDetail> {
  const [startsAt, endsAt] = [new Date(input.startsAt), new Date(input.endsAt)];
  checkWindow(startsAt, endsAt, new Date());
  const id = await deps.database.db.transaction(async (tx) => {
    const areaPath = await checkArea(deps, tx, actor, input.areaUnitId);
    const fields = { title: input.title, description: input.description || null, kind: input.kind, areaUnitId: input.areaUnitId, startsAt, endsAt };
    const id = await q.insertOutage(tx, { ...fields, createdBy: actor.userId });
    await audit(tx, actor, { action: 'create', entity: ENTITY, entityId: id, unitPath: areaPath, after: record(fields) });
    return id;
  });
  return getOutage(deps, actor, id);
}

/** The outage locked for a change by one whose subtree holds its area (404 outside, as for none). */
async function lockManaged(deps: Deps, actor: Actor, tx: Executor, id: number) {
  const row = await q.lockOutage(deps.database, tx, id, q.areaIn(actor.unitPath));
  if (!row) throw notFound(ENTITY);
  if (!row.manageable) throw outOfScope(ENTITY);
  return row;
}

/** What sends a submitted or approved outage back to draft: its decision and affected customers are undone. */
const BACK_TO_DRAFT = { status: 'draft', submittedBy: null, submittedAt: null, approvedBy: null, approvedAt: null, affectedCount: null } as const;

/**
 * Changes an outage nobody has been told of yet, at the version read; a change to a submitted or approved one
 * sends it back to draft (it is decided again). A new window is checked as a new one is; audited.
 */
export async function patchOutage(deps: Deps, actor: Actor, id: number, input: PatchOutage): Promise<OutageDetail> {
  const { version, ...changes } = input;
  await deps.database.db.transaction(async (tx) => {
    const row = await lockManaged(deps, actor, tx, id);
    if (!isEditable(row.status)) throw new AppError(409, 'outage_not_editable', { status: statusRef(row.status) });
    if (row.version !== version) throw versionConflict();
    const next = {
      title: changes.title ?? row.title,
      description: changes.description === undefined ? row.description : changes.description || null,
      kind: changes.kind ?? row.kind,
      areaUnitId: changes.areaUnitId ?? row.areaUnitId,
      startsAt: changes.startsAt ? new Date(changes.startsAt) : row.startsAt,
      endsAt: changes.endsAt ? new Date(changes.endsAt) : row.endsAt,
    };
    if (changes.startsAt || changes.endsAt) checkWindow(next.startsAt, next.endsAt, new Date());
    const areaPath = changes.areaUnitId ? await checkArea(deps, tx, actor, changes.areaUnitId) : row.areaPath;
    const reopened = row.status !== 'draft';
    if (!(await q.updateOutage(tx, id, version, { ...next, ...(reopened && BACK_TO_DRAFT) }))) throw versionConflict();
    if (reopened) await q.clearAffected(tx, id);
    await audit(tx, actor, {
      action: 'update',
      entity: ENTITY,
      entityId: id,
      unitPath: areaPath,
      before: { ...record(row), status: row.status },
      after: { ...record(next), status: reopened ? 'draft' : row.status },
    });
  });
  return getOutage(deps, actor, id);
}

// ---- the flow ----

interface Step {
  deps: Deps;
  actor: Actor;
  tx: Executor;
  row: q.OutageRow;
  now: Date;
  note: string | null;
}

/** 72 hours' notice is still possible (409 naming the earliest start a new window could have). */
function requireNotice(row: q.OutageRow, now: Date) {
  if (!leavesNotice(row.startsAt, now)) throw new AppError(409, 'outage_notice_late', { hours: NOTICE_HOURS, earliest: shanghaiMinute(earliestStart(now)) });
}

function refuseOwn(actor: Actor, row: q.OutageRow) {
  if (ownsIt(actor, row)) throw new AppError(409, 'outage_self_approval');
}

const windowOf = (row: q.OutageRow) => windowText(row.startsAt, row.endsAt);
const inAppOf = (row: q.OutageRow) => ({ link: `/services/notices/${row.id}`, entity: ENTITY, entityId: row.id });
/** Who put the outage forward: told of the decision. */
const proposers = (row: q.OutageRow) => [...new Set([row.submittedBy, row.createdBy].filter((u): u is number => u !== null))];

/** Each action: its checks, the columns it sets, and what it tells whom; run with the outage locked. */
type StepFn = (s: Step) => Promise<q.OutageChange>;

const STEPS: Record<Exclude<OutageAction, 'cancel'>, StepFn> = {
  /** 提交: the affected key accounts computed; to a head when approval is needed, else approved at once. */
  async submit({ deps, actor, tx, row, now }) {
    requireNotice(row, now);
    const affected = await q.replaceAffected(deps.database, tx, row.id, row.areaPath);
    const needs = needsApproval(row.startsAt, row.endsAt, affected);
    if (needs) {
      const heads = await q.approversOf(deps.database, tx, row.areaPath, [row.createdBy, actor.userId]);
      const params = { title: row.title, area: row.areaUnitName, window: windowOf(row), count: affected };
      await notifyUsers(tx, heads.map((userId) => ({ userId, code: 'notify_outage_pending', params, ...inAppOf(row) })));
    }
    return { status: nextStatus('submit', needs), needsApproval: needs, affectedCount: affected, submittedBy: actor.userId, submittedAt: now, approvedBy: null, approvedAt: null, decisionNote: null };
  },
  /** 审批通过: by another head; the affected customers are counted again as they are now. */
  async approve({ deps, actor, tx, row, now, note }) {
    refuseOwn(actor, row);
    requireNotice(row, now);
    const affected = await q.replaceAffected(deps.database, tx, row.id, row.areaPath);
    await notifyUsers(tx, proposers(row).map((userId) => ({ userId, code: 'notify_outage_approved', params: { title: row.title }, ...inAppOf(row) })));
    return { status: 'approved', approvedBy: actor.userId, approvedAt: now, decisionNote: note, affectedCount: affected };
  },
  /** 退回: back to draft with the head's reason, for the planner to change and submit again. */
  async reject({ actor, tx, row, now, note }) {
    refuseOwn(actor, row);
    if (!note) throw invalid('body.note', 'decision_reason_required', { min: 1 });
    await q.clearAffected(tx, row.id);
    await notifyUsers(tx, proposers(row).map((userId) => ({ userId, code: 'notify_outage_rejected', params: { title: row.title, note }, ...inAppOf(row) })));
    return { ...BACK_TO_DRAFT, approvedBy: actor.userId, approvedAt: now, decisionNote: note };
  },
  /** 发送: SMS to the customers not told yet (those who joined the area since approval too), messages to their managers. */
  async send({ deps, tx, row, now }) {
    if (row.status === 'approved') requireNotice(row, now);
    else if (row.startsAt.getTime() <= now.getTime()) throw new AppError(409, 'outage_started');
    const affected = await q.addNewlyAffected(deps.database, tx, row.id, row.areaPath);
    await tellCustomers(deps, tx, row);
    return { status: 'notified', notifiedAt: row.notifiedAt ?? now, affectedCount: affected };
  },
  /** 完成: once the window has begun. */
  async complete({ row, now }) {
    if (row.startsAt.getTime() > now.getTime()) throw new AppError(409, 'outage_not_started', { startsAt: shanghaiMinute(row.startsAt) });
    return { status: 'completed', completedAt: now };
  },
};

/** One action of the flow at the version read (409 naming the actions open for any other); audited. */
async function act(deps: Deps, actor: Actor, id: number, action: OutageAction, version: number, step: StepFn, note: string | null) {
  await deps.database.db.transaction(async (tx) => {
    const row = await lockManaged(deps, actor, tx, id);
    const open = flowActions(row.status);
    if (!open.includes(action)) {
      throw new AppError(409, 'outage_illegal_action', {
        action: actionRef(action),
        status: statusRef(row.status),
        allowed: open.length ? open.map(actionRef) : messageRef('outage_no_actions'),
      });
    }
    if (row.version !== version) throw versionConflict();
    const set = await step({ deps, actor, tx, row, now: new Date(), note });
    if (!(await q.updateOutage(tx, id, version, set))) throw versionConflict();
    await audit(tx, actor, {
      action: 'update',
      entity: ENTITY,
      entityId: id,
      unitPath: row.areaPath,
      before: { status: row.status },
      after: { action, status: set.status ?? row.status, ...(note && { note }), ...(set.affectedCount != null && { affectedCount: set.affectedCount }) },
    });
  });
  return getOutage(deps, actor, id);
}

export const runAction = (deps: Deps, actor: Actor, id: number, action: Exclude<OutageAction, 'cancel'>, input: ActionInput) =>
  act(deps, actor, id, action, input.version, STEPS[action], input.note?.trim() || null);

/** 取消: the work is called off; customers already told get an SMS saying so. */
export const cancelOutage = (deps: Deps, actor: Actor, id: number, input: CancelInput) =>
  act(
    deps,
    actor,
    id,
    'cancel',
    input.version,
    async ({ deps: d, tx, row, now }) => {
      if (row.status === 'notified') await tellCancellation(d, tx, row);
      return { status: 'cancelled', cancelledAt: now, cancelReason: input.reason };
    },
    input.reason,
  );
