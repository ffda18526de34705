/** SQL of service requests (工单), their timeline and attachments. */
import { sql, type SQL } from 'drizzle-orm';
import type { PgInsertValue } from 'drizzle-orm/pg-core';
import type { Database, Executor } from '../../../db/client.js';
import { namedRows } from '../../../db/statements.js';
import { serviceRequestAttachments, serviceRequestEvents, serviceRequests, serviceSurveys } from '../../../db/schema/index.js';
import { updateAtVersion } from '../../../db/versioned.js';
import { inSubtree, unitIdsInSubtree } from '../../../platform/auth/scope.js';
import type { Attachment, RequestEvent, ServiceRequest, Survey } from './schemas.js';

/** The statuses whose requests are open, as SQL (the partial indexes of migration 0029 name the same list). */
export const OPEN = sql`r.status NOT IN ('resolved', 'closed')`;

const COLUMNS = sql`
  r.id, r.request_no AS "requestNo", r.customer_id AS "customerId", c.customer_no AS "customerNo", c.name AS "customerName", st.level AS "customerLevel",
  r.type, r.status, r.channel, r.priority, r.area_kind AS "areaKind", r.title, r.description,
  r.raised_unit_id AS "raisedUnitId", ru.name AS "raisedUnitName", ru.name_en AS "raisedUnitNameEn",
  r.handling_unit_id AS "handlingUnitId", hu.name AS "handlingUnitName", hu.name_en AS "handlingUnitNameEn",
  r.cross_region AS "crossRegion",
  r.owner_id AS "ownerId", o.display_name AS "ownerName", cb.display_name AS "createdByName",
  r.clock, r.respond_due_at AS "respondDueAt", r.resolve_due_at AS "resolveDueAt", r.warn_at AS "warnAt",
  r.responded_at AS "respondedAt", r.resolved_at AS "resolvedAt", r.closed_at AS "closedAt", r.paused_at AS "pausedAt",
  r.sla_state AS "slaState", r.breached_at AS "breachedAt", r.breach_reason AS "breachReason",
  (SELECT to_char(fw.month, 'YYYY-MM') FROM fee_waivers fw WHERE fw.request_id = r.id) AS "feeWaivedMonth",
  r.reopen_count AS "reopenCount", r.version, r.created_at AS "createdAt", r.updated_at AS "updatedAt"`;

const FROM = sql`
  FROM service_requests r
  JOIN customers c ON c.id = r.customer_id
  LEFT JOIN customer_standings st ON st.customer_id = r.customer_id
  JOIN org_units ru ON ru.id = r.raised_unit_id
  JOIN org_units hu ON hu.id = r.handling_unit_id
  LEFT JOIN users o ON o.id = r.owner_id
  LEFT JOIN users cb ON cb.id = r.created_by`;

const DATES = ['respondDueAt', 'resolveDueAt', 'warnAt', 'respondedAt', 'resolvedAt', 'closedAt', 'pausedAt', 'breachedAt', 'createdAt', 'updatedAt'] as const;
type Raw = Record<string, unknown>;

// raw SQL rows carry timestamps as text and bigints as strings on the drivers
const toDate = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
function toRequest(r: Raw): ServiceRequest {
  const out = { ...r } as Raw;
  for (const k of DATES) out[k] = toDate(r[k]);
  for (const k of ['id', 'customerId', 'raisedUnitId', 'handlingUnitId']) out[k] = Number(r[k]);
  out.ownerId = r.ownerId === null ? null : Number(r.ownerId);
  return out as unknown as ServiceRequest;
}

/** Requests of a unit subtree: handled, raised or of a customer there (跨地区: each of the units sees them), by the partial indexes of open requests. */
export function ofUnits(unitPath: string): SQL {
  // an array computed once (an InitPlan), so that each arm reads its partial index and the three are ORed as bitmaps;
  // `IN (subquery)` arms were read by a scan of the whole table (800 ms against 117 ms for a city, large profile)
  const units = sql`ARRAY(${unitIdsInSubtree(unitPath)})`;
  return sql`(r.handling_unit_id = ANY(${units}) OR r.raised_unit_id = ANY(${units}) OR r.home_unit_id = ANY(${units}))`;
}

/** The requests, and their customers (c) when the conditions name them: a join planned and probed for nothing otherwise. */
const requestsOf = (ofCustomers: boolean) => sql`service_requests r${ofCustomers ? sql` JOIN customers c ON c.id = r.customer_id` : sql``}`;

export async function listRequests(
  database: Database,
  where: SQL,
  page: { sort: 'created' | 'due'; offset: number; limit: number; ofCustomers: boolean },
): Promise<ServiceRequest[]> {
  const order = page.sort === 'due' ? sql`r.resolve_due_at ASC NULLS LAST, r.id` : sql`r.created_at DESC, r.id DESC`;
  // the page's ids from the requests (and their customers), then their rows: planning the seven joins with the
  // page's conditions took 30 ms a page, the ids alone 1.25 ms with the customers' join, 0.7 ms without (docs/decisions.md)
  const ids = await database.rows<{ id: string }>(sql`SELECT r.id FROM ${requestsOf(page.ofCustomers)} WHERE ${where} ORDER BY ${order} OFFSET ${page.offset} LIMIT ${page.limit}`);
  return requestsByIds(database, ids.map((r) => Number(r.id)));
}

/** Requests by id, in the order given (ids not found are left out): a prepared read, its joins planned once per connection. */
export async function requestsByIds(database: Database, ids: readonly number[]): Promise<ServiceRequest[]> {
  if (!ids.length) return [];
  const rows = await database.hotRows<Raw>(sql`SELECT ${COLUMNS} ${FROM} WHERE r.id = ANY(${`{${ids.join(',')}}`}::bigint[])`);
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [toRequest(row)] : [];
  });
}

export async function countRequests(database: Database, where: SQL, ofCustomers: boolean): Promise<number> {
  // the conditions name r and c only: the other joins of a list would be paid for nothing
  const [row] = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${requestsOf(ofCustomers)} WHERE ${where}`);
  return Number(row?.n ?? 0);
}

/** A request if `visible` (conditions on r and c) keeps it: in the transaction given, else as a prepared read. */
export async function getRequest(database: Database, id: number, visible: SQL, executor?: Executor): Promise<ServiceRequest | null> {
  const query = sql`SELECT ${COLUMNS} ${FROM} WHERE r.id = ${id} AND ${visible}`;
  // prepared, its generic plan starts from the request's key whatever the reader's conditions: planning the seven
  // joins with them cost 8 ms of each raised request's answer, and a check apart one more round trip
  const [row] = executor ? await database.rows<Raw>(query, executor) : await database.hotRows<Raw>(query);
  return row ? toRequest(row) : null;
}

export async function requestExists(database: Database, id: number, executor?: Executor): Promise<boolean> {
  const [row] = await database.rows(sql`SELECT 1 FROM service_requests WHERE id = ${id}`, executor);
  return !!row;
}

/** The request locked for a change, with what the change checks: its state, clock and the paths of its units. */
export interface LockedRequest {
  id: number;
  customerId: number;
  status: ServiceRequest['status'];
  version: number;
  ownerId: number | null;
  handlingUnitId: number;
  handlingPath: string;
  clock: 'calendar' | 'business';
  respondDueAt: Date | null;
  resolveDueAt: Date | null;
  warnAt: Date | null;
  pausedAt: Date | null;
  respondedAt: Date | null;
  slaState: string;
  requestNo: string;
}

export async function lockRequest(database: Database, tx: Executor, id: number, visible: SQL): Promise<LockedRequest | null> {
  const [row] = await database.rows<Raw>(
    sql`SELECT r.id, r.customer_id AS "customerId", r.status, r.version, r.owner_id AS "ownerId", r.handling_unit_id AS "handlingUnitId", hu.path AS "handlingPath",
               r.clock, r.respond_due_at AS "respondDueAt", r.resolve_due_at AS "resolveDueAt", r.warn_at AS "warnAt", r.paused_at AS "pausedAt",
               r.responded_at AS "respondedAt", r.sla_state AS "slaState", r.request_no AS "requestNo"
        ${FROM} WHERE r.id = ${id} AND ${visible} FOR NO KEY UPDATE OF r`,
    tx,
  );
  if (!row) return null;
  return {
    ...(row as unknown as LockedRequest),
    id: Number(row.id),
    customerId: Number(row.customerId),
    ownerId: row.ownerId === null ? null : Number(row.ownerId),
    handlingUnitId: Number(row.handlingUnitId),
    respondDueAt: toDate(row.respondDueAt),
    resolveDueAt: toDate(row.resolveDueAt),
    warnAt: toDate(row.warnAt),
    pausedAt: toDate(row.pausedAt),
    respondedAt: toDate(row.respondedAt),
  };
}

/** The next request number: SR, the day in Asia/Shanghai, a number from one sequence (unique across instances); a value of the insert. */
export const nextRequestNo = (): SQL => sql`'SR' || to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || lpad(nextval('service_request_no_seq')::text, 6, '0')`;

/**
 * A new request, its number and region flag computed by the insert itself (`nextRequestNo`, `crossRegion` as SQL):
 * one round trip where three were (raising a request at 32 connections, docs/performance.md).
 */
export async function insertRequest(tx: Executor, row: PgInsertValue<typeof serviceRequests>): Promise<{ id: number; requestNo: string }> {
  // the row as the database names its columns: a named statement's rows are not mapped by Drizzle
  const [created] = await namedRows<{ id: number; request_no: string }>(
    tx,
    tx.insert(serviceRequests).values(row).returning({ id: serviceRequests.id, requestNo: serviceRequests.requestNo }).getSQL(),
  );
  return { id: Number(created!.id), requestNo: created!.request_no };
}

export const updateRequest = (tx: Executor, id: number, version: number, set: Partial<typeof serviceRequests.$inferInsert>) =>
  updateAtVersion(tx, serviceRequests, id, version, set);

export async function insertEvent(tx: Executor, row: typeof serviceRequestEvents.$inferInsert): Promise<void> {
  await namedRows(tx, tx.insert(serviceRequestEvents).values(row).getSQL());
}

/**
 * A request's timeline, as a prepared read. Each actor's name is looked up by key: a generic plan that guessed
 * hundreds of events per request (statistics not yet analysed) hashed every user first (1.1 ms instead of 0.03).
 */
export async function listEvents(database: Database, requestId: number): Promise<RequestEvent[]> {
  const rows = await database.hotRows<Raw>(sql`
    SELECT e.id, e.kind, e.from_status AS "fromStatus", e.to_status AS "toStatus", e.body, e.visibility, e.detail,
           (SELECT u.display_name FROM users u WHERE u.id = e.actor_id) AS "actorName", e.created_at AS "createdAt"
    FROM service_request_events e WHERE e.request_id = ${requestId} ORDER BY e.id`);
  return rows.map((r) => ({ ...(r as unknown as RequestEvent), id: Number(r.id), createdAt: new Date(r.createdAt as string) }));
}

export async function listAttachments(database: Database, requestId: number): Promise<Attachment[]> {
  const rows = await database.hotRows<Raw>(sql`
    SELECT a.id, a.file_name AS "fileName", a.content_type AS "contentType", a.size,
           (SELECT u.display_name FROM users u WHERE u.id = a.uploaded_by) AS "uploadedByName", a.created_at AS "createdAt"
    FROM service_request_attachments a WHERE a.request_id = ${requestId} ORDER BY a.id`);
  return rows.map((r) => ({ ...(r as unknown as Attachment), id: Number(r.id), createdAt: new Date(r.createdAt as string) }));
}

export async function insertAttachment(tx: Executor, row: typeof serviceRequestAttachments.$inferInsert): Promise<number> {
  const [created] = await tx.insert(serviceRequestAttachments).values(row).returning({ id: serviceRequestAttachments.id });
  return created!.id;
}

export async function readAttachment(database: Database, requestId: number, attachmentId: number) {
  const [row] = await database.rows<{ fileName: string; contentType: string; data: Buffer | Uint8Array }>(sql`
    SELECT file_name AS "fileName", content_type AS "contentType", data FROM service_request_attachments WHERE id = ${attachmentId} AND request_id = ${requestId}`);
  return row ? { ...row, data: Buffer.from(row.data) } : null;
}

/** A unit's id and path, if it exists. */
export async function unitById(database: Database, id: number, executor?: Executor) {
  const [row] = await database.rows<{ id: number; path: string }>(sql`SELECT id, path FROM org_units WHERE id = ${id} AND active`, executor);
  return row ? { id: Number(row.id), path: row.path } : null;
}

/** An active user of a unit's subtree who handles requests (the owner of a request must be one). */
export async function handlerIn(database: Database, userId: number, unitPath: string, executor?: Executor): Promise<boolean> {
  const [row] = await database.rows(
    sql`SELECT 1 FROM users u JOIN org_units ou ON ou.id = u.unit_id JOIN user_roles ur ON ur.user_id = u.id JOIN roles ro ON ro.id = ur.role_id
        WHERE u.id = ${userId} AND u.active AND ${inSubtree(sql`ou.path`, unitPath)} AND 'services.handle' = ANY(ro.permissions) LIMIT 1`,
    executor,
  );
  return !!row;
}

/** The SLA board's counts of open requests: by status and SLA state, and those due within a day. */
export async function boardCounts(database: Database, where: SQL, now: Date) {
  return database.rows<{ status: string; slaState: string; n: number; dueSoon: number }>(sql`
    SELECT r.status, r.sla_state AS "slaState", count(*)::int AS n,
           count(*) FILTER (WHERE r.status <> 'waiting_customer' AND r.resolve_due_at > ${now} AND r.resolve_due_at <= ${now}::timestamptz + interval '1 day')::int AS "dueSoon"
    FROM service_requests r JOIN customers c ON c.id = r.customer_id
    WHERE ${OPEN} AND ${where} GROUP BY r.status, r.sla_state`);
}

/** The active users of a unit's subtree who handle requests, by name (whom a request may be given to). */
export async function handlersIn(database: Database, unitPath: string) {
  const rows = await database.rows<{ id: number; displayName: string; unitName: string; unitNameEn: string | null }>(sql`
    SELECT DISTINCT u.id, u.display_name AS "displayName", ou.name AS "unitName", ou.name_en AS "unitNameEn"
    FROM users u JOIN org_units ou ON ou.id = u.unit_id JOIN user_roles ur ON ur.user_id = u.id JOIN roles ro ON ro.id = ur.role_id
    WHERE u.active AND ${inSubtree(sql`ou.path`, unitPath)} AND 'services.handle' = ANY(ro.permissions)
    ORDER BY u.display_name, u.id LIMIT 500`);
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** The survey of a request, if one was sent. */
export async function getSurvey(database: Database, requestId: number, executor?: Executor): Promise<(Survey & { id: number }) | null> {
  const query = sql`
    SELECT id, channel, sent_at AS "sentAt", answered_at AS "answeredAt", score, comment, complaint FROM service_surveys WHERE request_id = ${requestId}`;
  const [row] = executor ? await database.rows<Record<string, unknown>>(query, executor) : await database.hotRows<Record<string, unknown>>(query);
  return row
    ? { ...(row as unknown as Survey), id: Number(row.id), sentAt: new Date(row.sentAt as string), answeredAt: row.answeredAt ? new Date(row.answeredAt as string) : null }
    : null;
}

/** Sends the survey of a closed request once (false when it was sent already, at an earlier closing). */
export async function insertSurvey(tx: Executor, requestId: number, channel: 'sms' | 'in_app'): Promise<boolean> {
  const rows = await tx.insert(serviceSurveys).values({ requestId, channel }).onConflictDoNothing({ target: serviceSurveys.requestId }).returning({ id: serviceSurveys.id });
  return rows.length > 0;
}

/** Records the answer of a survey not answered yet; false when it was answered already. */
export async function answerSurvey(tx: Executor, requestId: number, answer: { score: number; comment: string | null; complaint: boolean; answeredBy: number | null }): Promise<boolean> {
  const rows = await tx
    .update(serviceSurveys)
    .set({ ...answer, answeredAt: new Date() })
    .where(sql`${serviceSurveys.requestId} = ${requestId} AND ${serviceSurveys.answeredAt} IS NULL`)
    .returning({ id: serviceSurveys.id });
  return rows.length > 0;
}

/** The customer's contact phone and name, for the messages of a request (the survey's SMS). */
export async function customerContact(database: Database, customerId: number, executor?: Executor) {
  const [row] = await database.rows<{ name: string; phone: string | null }>(sql`SELECT name, contact_phone AS phone FROM customers WHERE id = ${customerId}`, executor);
  return row ?? null;
}

/** Satisfaction of the answered surveys of requests matching `where` (on r) closed in the last 90 days. */
export async function satisfaction(database: Database, where: SQL) {
  const [row] = await database.rows<{ answered: number; average: string | null; low: number }>(sql`
    SELECT count(*)::int AS answered, round(avg(s.score), 2)::text AS average, count(*) FILTER (WHERE s.score <= 2 OR s.complaint)::int AS low
    FROM service_surveys s JOIN service_requests r ON r.id = s.request_id
    WHERE s.answered_at IS NOT NULL AND s.answered_at > now() - interval '90 days' AND ${where}`);
  return { answered: Number(row?.answered ?? 0), average: row?.average ?? null, low: Number(row?.low ?? 0) };
}

/** Back to work after a dissatisfied answer: in progress again, resolved and closed times cleared. */
export async function reopen(tx: Executor, id: number): Promise<void> {
  await tx.execute(sql`
    UPDATE service_requests SET status = 'in_progress', resolved_at = NULL, closed_at = NULL, reopen_count = reopen_count + 1, version = version + 1, updated_at = now()
    WHERE id = ${id}`);
}

/** The total of a unit subtree's requests from the kept counts (migration 0030): the weights of its units summed. */
export async function countOfUnits(database: Database, unitPath: string, filter: { open?: 'true' | 'false'; status?: string; type?: string; slaState?: string }): Promise<number> {
  const conds: SQL[] = [sql`sc.unit_id = ANY(ARRAY(${unitIdsInSubtree(unitPath)}))`];
  if (filter.open === 'true') conds.push(sql`sc.status NOT IN ('resolved', 'closed')`);
  if (filter.open === 'false') conds.push(sql`sc.status IN ('resolved', 'closed')`);
  if (filter.status) conds.push(sql`sc.status = ${filter.status}`);
  if (filter.type) conds.push(sql`sc.type = ${filter.type}`);
  if (filter.slaState) conds.push(sql`sc.sla_state = ${filter.slaState}`);
  const [row] = await database.hotRows<{ n: number }>(sql`SELECT coalesce(sum(sc.n), 0)::int AS n FROM service_request_counts sc WHERE ${sql.join(conds, sql` AND `)}`);
  return Number(row?.n ?? 0);
}
