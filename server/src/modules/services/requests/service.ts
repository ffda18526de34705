/**
 * 工单 (service requests, DOMAIN.md §5): raised for a customer the actor serves, handled by the unit its type's
 * rule names, moved through its status flow (flow.ts) with the SLA clock of its policy (services/sla), every
 * step kept in one timeline, every change audited and made at the version read.
 *
 * Who sees a request: whoever sees its customer, its handler, and — with customers.read_unit or
 * services.manage — the units where it was raised and where it is handled (跨地区服务: a request raised in
 * city B for a customer of city A is seen by both). Seeing a request does not open the customer's profile.
 */
import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../db/client.js';
import { audit } from '../../../platform/audit/audit.js';
import type { Actor } from '../../../platform/auth/principal.js';
import { servedAreaPath } from '../../../platform/auth/scope.js';
import type { Deps } from '../../../platform/deps.js';
import { AppError, invalid, notFound, outOfScope, versionConflict } from '../../../platform/errors.js';
import { attachmentType, cleanFileName } from '../../../platform/files/attachments.js';
import { formatBytes } from '../../../platform/files/zip.js';
import type { Page } from '../../../platform/http/list.js';
import { messageRef, translate, type MessageCode } from '../../../platform/i18n/messages.js';
import { notifyNearestHolders, notifyUsers, queueOutbound } from '../../../platform/notify/notify.js';
import { publishEvents, resourceEvents } from '../../../platform/outbox/outbox.js';
import { loadCustomerByPhoneForService, loadWritableCustomer, visibleCustomersSql } from '../../customers/service.js';
import { resumeAfterPause, slaTargetsFor } from '../sla/service.js';
import { allowedMoves, isReopening, isResponse } from './flow.js';
import * as q from './queries.js';
import { REQUEST_STATUSES, SLA_STATES, type AssignmentInput, type CommentInput, type CreateRequestInput, type RequestDetail, type RequestListQuery, type RequestStatus, type RequestType, type ServiceRequest, type SlaBoard, type Survey, type SurveyAnswer, type TransitionInput } from './schemas.js';

// the vocabulary of requests, for other areas' mappings of them (the TM Forum façade's TMF621)
export { CHANNELS, PRIORITIES, REQUEST_STATUSES, REQUEST_TYPES, type RequestDetail, type RequestStatus, type ServiceRequest } from './schemas.js';

/** 跨地区服务: the types done where the customer stands (at the counter of the unit that raises them); the rest by the customer's home unit. */
const HANDLED_LOCALLY: ReadonlySet<RequestType> = new Set(['sim_replacement', 'payment', 'repair']);
const handledLocally = (type: RequestType) => HANDLED_LOCALLY.has(type);

const managesRequests = (actor: Actor) => actor.permissions.has('services.manage');
/** Who sees every request of their units' (not only of the customers they see). */
const broadReader = (actor: Actor) => actor.permissions.has('customers.read_unit') || managesRequests(actor);

/** The requests the actor may see, as a condition on r (requests), c (customers), ru and hu (raised and handling units). */
export function visibleRequestsSql(actor: Actor): SQL {
  const arms = [visibleCustomersSql(actor)];
  if (actor.userId !== null) arms.push(sql`r.owner_id = ${actor.userId}`);
  if (broadReader(actor)) arms.push(q.ofUnits(actor.unitPath));
  return sql`(${sql.join(arms, sql` OR `)})`;
}

/** The id of the unit at the end of a path ("/1/4/17/" → 17); null for the root of the organisation ("/"). */
const unitIdOfPath = (path: string): number | null => {
  const ids = path.split('/').filter(Boolean);
  return ids.length ? Number(ids[ids.length - 1]) : null;
};

const statusRef = (s: RequestStatus) => messageRef(`request_status_${s}` as MessageCode);

/** A request the actor may see (404 outside, exactly as for none). */
async function visibleRequest(deps: Deps, actor: Actor, id: number, executor?: Executor): Promise<ServiceRequest> {
  const found = await q.getRequest(deps.database, id, visibleRequestsSql(actor), executor);
  if (found) return found;
  throw (await q.requestExists(deps.database, id, executor)) ? outOfScope('service_request') : notFound('service_request');
}

/** A request locked for a change by an actor who may see it. */
async function lockVisible(deps: Deps, actor: Actor, tx: Executor, id: number): Promise<q.LockedRequest> {
  const row = await q.lockRequest(deps.database, tx, id, visibleRequestsSql(actor));
  if (row) return row;
  throw (await q.requestExists(deps.database, id, tx)) ? outOfScope('service_request') : notFound('service_request');
}

/** Only the handler of an owned request, or a manager of the unit's requests, acts on it (403 naming the handler). */
async function checkHandler(deps: Deps, actor: Actor, tx: Executor, row: q.LockedRequest) {
  if (row.ownerId === null || row.ownerId === actor.userId || managesRequests(actor)) return;
  const request = await q.getRequest(deps.database, row.id, sql`true`, tx);
  throw new AppError(403, 'request_not_owner', { owner: request?.ownerName ?? '' });
}

export async function getRequestDetail(deps: Deps, actor: Actor, id: number, opts: { raised?: boolean } = {}): Promise<RequestDetail> {
  const request = await visibleRequest(deps, actor, id);
  // a request just raised has no attachment nor survey yet: its answer does not read them
  const [events, attachments, survey] = await Promise.all([
    q.listEvents(deps.database, id),
    opts.raised ? [] : q.listAttachments(deps.database, id),
    opts.raised ? null : q.getSurvey(deps.database, id),
  ]);
  const { id: _surveyId, ...surveyFields } = survey ?? { id: 0 };
  return { ...request, allowedMoves: allowedMoves(request.status, managesRequests(actor)), events, attachments, survey: survey ? (surveyFields as Survey) : null };
}

/** 我的工单 / 本单位工单 / 客户的工单, with a total. */
export async function listRequests(deps: Deps, actor: Actor, query: RequestListQuery, also: { statuses?: readonly RequestStatus[] } = {}): Promise<Page<ServiceRequest>> {
  const conds: SQL[] = [];
  // several statuses at once (the TM Forum façade's "acknowledged" is new or accepted): counted, not from the kept counts
  if (also.statuses) conds.push(sql`r.status IN (${sql.join(also.statuses.map((s) => sql`${s}`), sql`, `)})`);
  if (query.view === 'mine') conds.push(sql`r.owner_id = ${actor.userId ?? 0}`);
  if (query.view === 'unit') conds.push(q.ofUnits(actor.unitPath));
  const unit = query.unitId ? await q.unitById(deps.database, query.unitId) : null;
  if (query.unitId) conds.push(q.ofUnits(unit?.path ?? '/none/'));
  // the unit arms above are the reader's own subtree only for those who see all of it
  const scoped = query.view !== 'mine' && !(query.view === 'unit' && !query.unitId && broadReader(actor));
  if (scoped) conds.push(visibleRequestsSql(actor));
  if (query.open === 'true') conds.push(q.OPEN);
  if (query.open === 'false') conds.push(sql`NOT ${q.OPEN}`);
  if (query.status) conds.push(sql`r.status = ${query.status}`);
  if (query.type) conds.push(sql`r.type = ${query.type}`);
  if (query.slaState) conds.push(sql`r.sla_state = ${query.slaState}`);
  if (query.customerId) conds.push(sql`r.customer_id = ${query.customerId}`);
  if (query.q) conds.push(sql`r.request_no LIKE ${`%${query.q.replace(/[\\%_]/g, '\\$&')}`}`);
  const where = sql.join(conds, sql` AND `);
  const kept = also.statuses ? null : keptTotalOf(actor, query, unit);
  const [items, total] = await Promise.all([
    // only the scope's condition names the customers (c)
    q.listRequests(deps.database, where, { ...query, ofCustomers: scoped }),
    kept ? q.countOfUnits(deps.database, kept, query) : q.countRequests(deps.database, where, scoped),
  ]);
  return { items, total };
}

/** Requests by id in one statement, whoever may see them (the rendering of events); ids not found are left out. */
export const requestsByIds = (deps: Deps, ids: readonly number[]): Promise<ServiceRequest[]> =>
  q.requestsByIds(deps.database, ids);

/**
 * The unit subtree whose kept counts give a list's total, or null when the list must be counted: a reader who
 * sees all of their units' requests, listing their unit's (or a unit inside it) by status, type and SLA state only.
 */
function keptTotalOf(actor: Actor, query: RequestListQuery, unit: { path: string } | null): string | null {
  if (query.view !== 'unit' || !broadReader(actor) || query.customerId || query.q) return null;
  if (!unit) return actor.unitPath;
  return unit.path.startsWith(actor.unitPath) ? unit.path : null;
}

/** Whether the customer's unit and the raising unit serve different areas (cities): 跨地区服务, as a value of the insert. */
const crossesRegion = (raisedPath: string, customerUnitPath: string): SQL =>
  sql`${servedAreaPath(sql`${raisedPath}::text`)} IS DISTINCT FROM ${servedAreaPath(sql`${customerUnitPath}::text`)}`;

/** 事件通知: a request's change as a TMF621 event, written with the change (docs/events.md); `fieldPath` names what changed. */
const ticketEvent = resourceEvents('tmf621', 'TroubleTicket');

/** 受理登记: a request for a customer the actor serves, with its SLA targets from now; audited; queued for the handling unit when nobody owns it. */
export async function createRequest(deps: Deps, actor: Actor, input: CreateRequestInput): Promise<RequestDetail> {
  const { database } = deps;
  const id = await database.db.transaction(async (tx) => {
    const customer = input.phone ? await loadCustomerByPhoneForService(deps, actor, input.phone, tx) : await loadWritableCustomer(deps, actor, input.customerId!, tx, 'serve');
    const customerId = Number(customer.id);
    const raisedUnitId = unitIdOfPath(actor.unitPath) ?? Number(customer.unitId);
    const raisedPath = actor.unitPath === '/' ? customer.unitPath : actor.unitPath;
    const local = handledLocally(input.type);
    const handlingUnitId = local ? raisedUnitId : Number(customer.unitId);
    const handlingPath = local ? raisedPath : customer.unitPath;
    const now = new Date();
    const targets = await slaTargetsFor(deps, tx, { type: input.type, level: customer.level, areaKind: input.areaKind }, now);
    // the one who raises it handles it when they belong to the handling unit and may handle requests
    const ownerId = actor.userId !== null && actor.unitPath.startsWith(handlingPath) && actor.permissions.has('services.handle') ? actor.userId : null;
    const { id, requestNo } = await q.insertRequest(tx, {
      requestNo: q.nextRequestNo(),
      customerId,
      type: input.type,
      channel: input.channel,
      priority: input.priority,
      areaKind: input.areaKind,
      title: input.title,
      description: input.description ?? null,
      homeUnitId: Number(customer.unitId),
      raisedUnitId,
      handlingUnitId,
      crossRegion: crossesRegion(raisedPath, customer.unitPath),
      ownerId,
      createdBy: actor.userId,
      slaPolicyId: targets?.policyId ?? null,
      clock: targets?.clock ?? 'calendar',
      respondDueAt: targets?.respondDueAt ?? null,
      resolveDueAt: targets?.resolveDueAt ?? null,
      warnAt: targets?.warnAt ?? null,
    });
    await q.insertEvent(tx, { requestId: id, kind: 'created', toStatus: 'new', actorId: actor.userId, detail: { channel: input.channel, type: input.type } });
    await audit(tx, actor, {
      action: 'create',
      entity: 'service_request',
      entityId: id,
      unitPath: handlingPath,
      after: { requestNo, customerId, type: input.type, channel: input.channel, priority: input.priority, areaKind: input.areaKind, handlingUnitId, ownerId },
    });
    await publishEvents(tx, [ticketEvent('TroubleTicketCreateEvent', id)]);
    if (ownerId === null) {
      const queued = { code: 'notify_request_queued', params: { requestNo, customerName: customer.name }, link: `/services/requests/${id}`, entity: 'service_request', entityId: id } as const;
      await notifyNearestHolders(tx, handlingPath, 'services.manage', queued);
    }
    return id;
  });
  return getRequestDetail(deps, actor, id, { raised: true });
}

/** 工单流转: one move of the status flow at the version read; the clock stops while waiting for the customer and runs on after. */
export async function transition(deps: Deps, actor: Actor, id: number, input: TransitionInput): Promise<RequestDetail> {
  const { database } = deps;
  await database.db.transaction(async (tx) => {
    const row = await lockVisible(deps, actor, tx, id);
    const allowed = allowedMoves(row.status, managesRequests(actor));
    if (!allowed.includes(input.to)) {
      throw new AppError(409, 'request_illegal_move', {
        from: statusRef(row.status),
        to: statusRef(input.to),
        allowed: allowed.length ? allowed.map(statusRef) : messageRef('request_no_moves'),
      });
    }
    await checkHandler(deps, actor, tx, row);
    const note = input.note?.trim() || null;
    const reopening = isReopening(row.status, input.to);
    if (reopening && !note) throw invalid('body.note', 'request_reopen_reason_required');
    if (row.version !== input.version) throw versionConflict();

    const now = new Date();
    const set: Parameters<typeof q.updateRequest>[3] = { status: input.to };
    if (isResponse(row.status)) set.respondedAt = now;
    if (row.status === 'new' && row.ownerId === null && actor.userId !== null && actor.permissions.has('services.handle')) set.ownerId = actor.userId;
    if (input.to === 'waiting_customer') set.pausedAt = now;
    if (row.pausedAt) {
      Object.assign(set, await resumeAfterPause(deps, tx, row, row.pausedAt, now));
      set.pausedAt = null;
    }
    if (input.to === 'resolved') set.resolvedAt = now;
    if (input.to === 'closed') set.closedAt = now;
    if (reopening) Object.assign(set, { resolvedAt: null, closedAt: null, reopenCount: sql`reopen_count + 1` });
    if (!(await q.updateRequest(tx, id, input.version, set))) throw versionConflict();
    await q.insertEvent(tx, {
      requestId: id,
      kind: reopening ? 'reopened' : 'status',
      fromStatus: row.status,
      toStatus: input.to,
      body: note,
      // what the handler writes when resolving is what the customer is told
      visibility: input.to === 'resolved' && note ? 'customer' : 'internal',
      actorId: actor.userId,
    });
    await audit(tx, actor, { action: 'update', entity: 'service_request', entityId: id, unitPath: row.handlingPath, before: { status: row.status }, after: { status: input.to } });
    await publishEvents(tx, [ticketEvent('TroubleTicketStatusChangeEvent', id, 'status')]);
    if (input.to === 'closed') await sendSurvey(deps, tx, row);
  });
  return getRequestDetail(deps, actor, id);
}

/** 满意度调查: once per request, at its first closing — an SMS to the customer's contact phone, else an in-app survey an agent takes by phone. */
async function sendSurvey(deps: Deps, tx: Executor, row: q.LockedRequest) {
  const contact = await q.customerContact(deps.database, row.customerId, tx);
  const channel = contact?.phone ? 'sms' : 'in_app';
  if (!(await q.insertSurvey(tx, row.id, channel)) || !contact?.phone) return;
  await queueOutbound(tx, deps.pii, {
    channel: 'sms',
    recipient: contact.phone,
    body: translate('survey_sms', 'zh-CN', { requestNo: row.requestNo }),
    dedupeKey: `survey:${row.id}`,
    entity: 'service_request',
    entityId: row.id,
  });
}

/**
 * 满意度回访: the customer's answer (by SMS reply or by phone, keyed in by an agent), once. A score of 1–2 or a
 * complaint about the handling reopens the request for the unit's heads: the request goes back to work and they are told.
 */
export async function answerSurvey(deps: Deps, actor: Actor, id: number, answer: SurveyAnswer): Promise<RequestDetail> {
  await deps.database.db.transaction(async (tx) => {
    const row = await lockVisible(deps, actor, tx, id);
    const comment = answer.comment?.trim() || null;
    if (!(await q.getSurvey(deps.database, id, tx))) throw new AppError(409, 'survey_not_sent');
    if (!(await q.answerSurvey(tx, id, { score: answer.score, comment, complaint: answer.complaint, answeredBy: actor.userId }))) throw new AppError(409, 'survey_answered');
    await q.insertEvent(tx, { requestId: id, kind: 'survey', body: comment, actorId: actor.userId, detail: { score: answer.score, complaint: answer.complaint } });
    await audit(tx, actor, { action: 'update', entity: 'service_request', entityId: id, unitPath: row.handlingPath, after: { surveyScore: answer.score, complaint: answer.complaint } });
    if (answer.score > 2 && !answer.complaint) return;
    await q.reopen(tx, id);
    await publishEvents(tx, [ticketEvent('TroubleTicketStatusChangeEvent', id, 'status')]);
    await q.insertEvent(tx, { requestId: id, kind: 'reopened', fromStatus: row.status, toStatus: 'in_progress', body: translate('survey_reopen_note', 'zh-CN', { score: answer.score }), detail: { survey: true } });
    const request = (await q.getRequest(deps.database, id, sql`true`, tx))!;
    const reopened = { code: 'notify_request_reopened', params: { requestNo: request.requestNo, customerName: request.customerName }, link: `/services/requests/${id}`, entity: 'service_request', entityId: id } as const;
    await notifyNearestHolders(tx, row.handlingPath, 'services.manage', reopened);
  });
  return getRequestDetail(deps, actor, id);
}

/** 分派: take a request (any handler of its unit), or give it to someone else or to another unit (a manager of requests). */
export async function assign(deps: Deps, actor: Actor, id: number, input: AssignmentInput): Promise<RequestDetail> {
  const { database } = deps;
  await database.db.transaction(async (tx) => {
    const row = await lockVisible(deps, actor, tx, id);
    if (row.status === 'closed') throw new AppError(409, 'request_closed');
    const toOther = input.ownerId !== actor.userId || (input.handlingUnitId !== undefined && input.handlingUnitId !== row.handlingUnitId);
    if (toOther && !managesRequests(actor)) throw new AppError(403, 'request_assign_others');
    let unit = { id: row.handlingUnitId, path: row.handlingPath };
    if (input.handlingUnitId !== undefined && input.handlingUnitId !== row.handlingUnitId) {
      const found = await q.unitById(database, input.handlingUnitId, tx);
      if (!found) throw invalid('body.handlingUnitId', 'unit_not_found');
      unit = found;
    }
    if (input.ownerId !== null && !(await q.handlerIn(database, input.ownerId, unit.path, tx))) throw invalid('body.ownerId', 'request_owner_not_handler');
    if (row.version !== input.version) throw versionConflict();
    if (!(await q.updateRequest(tx, id, input.version, { ownerId: input.ownerId, handlingUnitId: unit.id }))) throw versionConflict();
    await q.insertEvent(tx, { requestId: id, kind: 'assigned', actorId: actor.userId, detail: { ownerId: input.ownerId, handlingUnitId: unit.id } });
    await audit(tx, actor, {
      action: 'update',
      entity: 'service_request',
      entityId: id,
      unitPath: unit.path,
      before: { ownerId: row.ownerId, handlingUnitId: row.handlingUnitId },
      after: { ownerId: input.ownerId, handlingUnitId: unit.id },
    });
    await publishEvents(tx, [ticketEvent('TroubleTicketAttributeValueChangeEvent', id, 'ownerId,handlingUnitId')]);
    if (input.ownerId !== null && input.ownerId !== actor.userId) {
      const request = (await q.getRequest(database, id, sql`true`, tx))!;
      await notifyUsers(tx, [
        { userId: input.ownerId, code: 'notify_request_assigned', params: { requestNo: request.requestNo, customerName: request.customerName }, link: `/services/requests/${id}`, entity: 'service_request', entityId: id },
      ]);
    }
  });
  return getRequestDetail(deps, actor, id);
}

/** 备注 / 答复: an internal note for staff, or a reply the customer is told; not on a closed request. */
export async function comment(deps: Deps, actor: Actor, id: number, input: CommentInput): Promise<RequestDetail> {
  await deps.database.db.transaction(async (tx) => {
    const row = await lockVisible(deps, actor, tx, id);
    if (row.status === 'closed') throw new AppError(409, 'request_closed');
    await q.insertEvent(tx, { requestId: id, kind: input.kind, body: input.body, visibility: input.kind === 'reply' ? 'customer' : 'internal', actorId: actor.userId });
    await audit(tx, actor, { action: 'update', entity: 'service_request', entityId: id, unitPath: row.handlingPath, after: { [input.kind]: true } });
  });
  return getRequestDetail(deps, actor, id);
}

/** 超时原因: the handler's account of a breach, kept with the request. */
export async function recordBreachReason(deps: Deps, actor: Actor, id: number, input: { version: number; reason: string }): Promise<RequestDetail> {
  await deps.database.db.transaction(async (tx) => {
    const row = await lockVisible(deps, actor, tx, id);
    await checkHandler(deps, actor, tx, row);
    if (row.slaState !== 'breached') throw new AppError(409, 'request_not_breached');
    if (row.version !== input.version) throw versionConflict();
    if (!(await q.updateRequest(tx, id, input.version, { breachReason: input.reason }))) throw versionConflict();
    await q.insertEvent(tx, { requestId: id, kind: 'note', body: input.reason, actorId: actor.userId, detail: { breachReason: true } });
    await audit(tx, actor, { action: 'update', entity: 'service_request', entityId: id, unitPath: row.handlingPath, after: { breachReason: input.reason } });
  });
  return getRequestDetail(deps, actor, id);
}

/** Whether the actor may attach a file to the request (404 outside their scope, 409 once closed), asked before the upload is read. */
export async function attachable(deps: Deps, actor: Actor, id: number): Promise<void> {
  const request = await visibleRequest(deps, actor, id);
  if (request.status === 'closed') throw new AppError(409, 'request_closed');
}

/** 上传附件: a file checked by its bytes and size, kept in the database; audited with its name, type, size and digest. */
export async function attach(deps: Deps, actor: Actor, id: number, file: { fileName: string; data: Buffer }): Promise<RequestDetail> {
  const limit = deps.config.ATTACHMENT_MAX_BYTES;
  if (file.data.length > limit) throw new AppError(413, 'attachment_too_large', { limit: formatBytes(limit) }, [{ field: 'body.file', code: 'attachment_too_large', message: '', params: { limit: formatBytes(limit) } }]);
  const fileName = cleanFileName(file.fileName);
  const type = attachmentType(fileName, file.data);
  if ('refused' in type) {
    const ext = fileName.includes('.') ? fileName.slice(fileName.lastIndexOf('.')) : '';
    throw new AppError(415, type.refused, { ext }, [{ field: 'body.file', code: type.refused, message: '', params: { ext } }]);
  }
  await deps.database.db.transaction(async (tx) => {
    const row = await lockVisible(deps, actor, tx, id);
    if (row.status === 'closed') throw new AppError(409, 'request_closed');
    const sha256 = createHash('sha256').update(file.data).digest('hex');
    const attachmentId = await q.insertAttachment(tx, { requestId: id, fileName, contentType: type.contentType, size: file.data.length, sha256, data: file.data, uploadedBy: actor.userId });
    await q.insertEvent(tx, { requestId: id, kind: 'attachment', body: fileName, actorId: actor.userId, detail: { attachmentId, size: file.data.length } });
    await audit(tx, actor, { action: 'create', entity: 'service_request_attachment', entityId: attachmentId, unitPath: row.handlingPath, after: { requestId: id, fileName, contentType: type.contentType, size: file.data.length, sha256 } });
  });
  return getRequestDetail(deps, actor, id);
}

/** 下载附件: the file of a request the actor may see. */
export async function readAttachment(deps: Deps, actor: Actor, id: number, attachmentId: number) {
  await visibleRequest(deps, actor, id);
  const file = await q.readAttachment(deps.database, id, attachmentId);
  if (!file) throw notFound('attachment');
  return file;
}

/** SLA 看板: the open requests of a unit subtree (the actor's, or one inside it) counted by status and SLA state. */
export async function board(deps: Deps, actor: Actor, unitId?: number): Promise<SlaBoard> {
  let unitPath = actor.unitPath;
  if (unitId !== undefined) {
    const unit = await q.unitById(deps.database, unitId);
    if (!unit || !unit.path.startsWith(actor.unitPath)) throw notFound('unit');
    unitPath = unit.path;
  }
  const where = broadReader(actor) ? q.ofUnits(unitPath) : sql`${q.ofUnits(unitPath)} AND ${visibleRequestsSql(actor)}`;
  const rows = await q.boardCounts(deps.database, where, new Date());
  const zero = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  const result: SlaBoard = { total: 0, byStatus: zero(REQUEST_STATUSES), bySlaState: zero(SLA_STATES), dueSoon: 0, satisfaction: await q.satisfaction(deps.database, where) };
  for (const r of rows) {
    result.total += r.n;
    result.byStatus[r.status as RequestStatus] += r.n;
    result.bySlaState[r.slaState as keyof SlaBoard['bySlaState']] += r.n;
    result.dueSoon += r.dueSoon;
  }
  return result;
}

/** Whom the request may be given to: the handlers of its handling unit's subtree. */
export async function handlersOf(deps: Deps, actor: Actor, id: number) {
  const request = await visibleRequest(deps, actor, id);
  const unit = await q.unitById(deps.database, request.handlingUnitId);
  return unit ? q.handlersIn(deps.database, unit.path) : [];
}
