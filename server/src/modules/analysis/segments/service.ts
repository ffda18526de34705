/**
 * 目标客户群锁定 (DOMAIN.md §6): a segment is a condition tree (from a saved query, copied, or given), `live`
 * (evaluated on every read) or `frozen` (its customers stored at freezing, set-based). Whoever reads it sees only
 * the customers of their own data scope; size and profile come at once; it is exported with the customers
 * area's columns, masking and audit; handed to managers as one task each (managers/tasks createTask), or made
 * into a marketing campaign whose responses are recorded per customer, one by one or from a CSV file.
 *
 * Segments and campaigns belong to their owner's unit: every user of that unit's subtree with the permission
 * sees them; only the owner changes a segment; a campaign is changed by anyone who sees it with analysis.campaigns.
 */
import { sql, type SQL } from 'drizzle-orm';
import { analysisCampaigns, analysisSegments } from '../../../db/schema/index.js';
import { updateAtVersion } from '../../../db/versioned.js';
import { audit } from '../../../platform/audit/audit.js';
import type { Actor } from '../../../platform/auth/principal.js';
import { analyticsReads, type Deps } from '../../../platform/deps.js';
import { AppError, forbidden, invalid, notFound, versionConflict, type FieldError } from '../../../platform/errors.js';
import type { Page } from '../../../platform/http/list.js';
import { messageRef, type MessageCode } from '../../../platform/i18n/messages.js';
import type { Locale } from '../../../platform/i18n/locale.js';
import { exportColumns, exportCustomersWhere, exportFileName, scopeOf } from '../../customers/service.js';
import { createTask } from '../../managers/tasks/service.js';
import { checkTree, getSavedQuery, latestFactMonth, matchingSource, scopeSql, unitOfUser } from '../query/service.js';
import * as q from './queries.js';
import { RESPONSES, type Campaign, type CampaignInput, type CampaignMember, type Member, type CampaignPatch, type Figures, type HandOff, type Profile, type Response, type ResponseInput, type Segment, type SegmentInput } from './schemas.js';

const SEGMENT = 'analysis_segment';
const CAMPAIGN = 'analysis_campaign';

const visibleSegment = (actor: Actor) => q.visibleIn('s', actor.userId ?? 0, actor.unitPath);
const visibleCampaign = (actor: Actor) => q.visibleIn('k', actor.userId ?? 0, actor.unitPath);
const toSegment = (r: q.SegmentRow, actor: Actor): Segment => ({
  ...r,
  id: Number(r.id),
  queryId: r.queryId === null ? null : Number(r.queryId),
  ownerId: Number(r.ownerId),
  unitId: Number(r.unitId),
  frozenAt: r.frozenAt === null ? null : new Date(r.frozenAt),
  frozenSize: r.frozenSize === null ? null : Number(r.frozenSize),
  createdAt: new Date(r.createdAt),
  updatedAt: new Date(r.updatedAt),
  mine: Number(r.ownerId) === actor.userId,
});

async function ownerUnit(deps: Deps, actor: Actor): Promise<number> {
  if (actor.userId === null) throw forbidden();
  const unitId = await unitOfUser(deps, actor.userId);
  if (unitId === undefined) throw forbidden();
  return Number(unitId);
}

export async function listSegments(deps: Deps, actor: Actor): Promise<Segment[]> {
  return (await q.selectSegments(deps.database, visibleSegment(actor))).map((r) => toSegment(r, actor));
}

export async function getSegment(deps: Deps, actor: Actor, id: number): Promise<Segment> {
  const [row] = await q.selectSegments(deps.database, visibleSegment(actor), id);
  if (!row) throw notFound(SEGMENT);
  return toSegment(row, actor);
}

/** The customers of a segment the reader sees, as a source with `c` the customers. */
async function sourceOf(deps: Deps, actor: Actor, segment: Segment): Promise<SQL> {
  if (segment.mode === 'frozen') return q.frozenSource(segment.id, scopeSql(actor));
  return matchingSource(deps, actor, checkTree(segment.tree, 'tree'));
}

export async function createSegment(deps: Deps, actor: Actor, input: SegmentInput): Promise<Segment> {
  const tree = input.queryId !== undefined ? checkTree((await getSavedQuery(deps, actor, input.queryId)).tree, 'body.queryId') : checkTree(input.tree);
  const unitId = await ownerUnit(deps, actor);
  const { database } = deps;
  const source = input.mode === 'frozen' ? await matchingSource(deps, actor, tree) : null;
  const id = await database.db.transaction(async (tx) => {
    const id = await q.insertSegment(database, tx, { name: input.name, queryId: input.queryId ?? null, tree, ownerId: actor.userId!, unitId });
    let size: number | null = null;
    if (source) {
      size = await q.snapshotMembers(database, tx, id, source);
      await database.rows(sql`UPDATE analysis_segments SET mode = 'frozen', frozen_at = now(), frozen_size = ${size} WHERE id = ${id}`, tx);
    }
    await audit(tx, actor, { action: 'create', entity: SEGMENT, entityId: id, unitPath: actor.unitPath, after: { name: input.name, queryId: input.queryId ?? null, tree, mode: input.mode, size } });
    return id;
  });
  return getSegment(deps, actor, id);
}

async function ownSegment(deps: Deps, actor: Actor, id: number): Promise<Segment> {
  const segment = await getSegment(deps, actor, id);
  if (!segment.mine) throw forbidden();
  return segment;
}

/** Freeze (take the snapshot now, replacing an earlier one) or go live (drop it), at the version read. */
export async function setMode(deps: Deps, actor: Actor, id: number, input: { version: number; mode: 'live' | 'frozen' }): Promise<Segment> {
  const segment = await ownSegment(deps, actor, id);
  const { database } = deps;
  // the snapshot is of the live tree, as its owner sees it now
  const source = input.mode === 'frozen' ? await matchingSource(deps, actor, checkTree(segment.tree, 'tree')) : null;
  await database.db.transaction(async (tx) => {
    let size: number | null = null;
    if (source) size = await q.snapshotMembers(database, tx, id, source);
    else await q.dropMembers(database, tx, id);
    const set = source ? { mode: 'frozen', frozenAt: new Date(), frozenSize: size } : { mode: 'live', frozenAt: null, frozenSize: null };
    if (!(await updateAtVersion(tx, analysisSegments, id, input.version, set))) throw versionConflict();
    await audit(tx, actor, { action: 'update', entity: SEGMENT, entityId: id, unitPath: actor.unitPath, before: { mode: segment.mode, frozenSize: segment.frozenSize }, after: { mode: input.mode, frozenSize: size } });
  });
  return getSegment(deps, actor, id);
}

export async function deleteSegment(deps: Deps, actor: Actor, id: number, version: number | undefined): Promise<void> {
  const segment = await ownSegment(deps, actor, id);
  if (version === undefined) throw invalid('query.version', 'analysis_version_required');
  const { database } = deps;
  await database.db.transaction(async (tx) => {
    await q.dropMembers(database, tx, id);
    const gone = await database.rows(sql`DELETE FROM analysis_segments WHERE id = ${id} AND version = ${version} RETURNING id`, tx);
    if (!gone.length) throw versionConflict();
    await audit(tx, actor, { action: 'delete', entity: SEGMENT, entityId: id, unitPath: actor.unitPath, before: { name: segment.name, mode: segment.mode, tree: segment.tree } });
  });
}

const money = (v: string | null) => (v === null ? null : Number(v));

/** Size and profile at once (one statement on the analytics reads). */
export async function profileSegment(deps: Deps, actor: Actor, segment: Segment): Promise<Profile> {
  const source = await sourceOf(deps, actor, segment);
  const reads = analyticsReads(deps);
  const latestMonth = (await latestFactMonth(reads)) ?? new Date().toISOString().slice(0, 7);
  const rows = await reads.rows<q.ProfileRow>(q.profileOf(source, latestMonth));
  const of = (dim: q.ProfileRow['dim']) =>
    rows
      .filter((r) => r.dim === dim)
      .map((r) => ({ key: r.key, label: r.label, labelEn: r.labelEn, customers: Number(r.customers), avgBilled: money(r.avgBilled) }))
      .sort((a, b) => b.customers - a.customers);
  const total = rows.find((r) => r.dim === 'total');
  return { size: Number(total?.customers ?? 0), avgBilled: money(total?.avgBilled ?? null), latestMonth, byLevel: of('level'), byIndustry: of('industry'), byCity: of('city'), byKind: of('kind') };
}

export async function getSegmentDetail(deps: Deps, actor: Actor, id: number) {
  const segment = await getSegment(deps, actor, id);
  return { ...segment, profile: await profileSegment(deps, actor, segment), exportLimit: deps.config.SEGMENT_EXPORT_MAX_ROWS };
}

/** The number of customers of a segment the reader sees (the bench's count). */
export async function countSegment(deps: Deps, actor: Actor, id: number): Promise<number> {
  const source = await sourceOf(deps, actor, await getSegment(deps, actor, id));
  const [r] = await analyticsReads(deps).rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${source}`);
  return Number(r?.n ?? 0);
}

export async function listMembers(deps: Deps, actor: Actor, id: number, page: { offset: number; limit: number; managerId?: number }): Promise<Page<Member>> {
  const source = await sourceOf(deps, actor, await getSegment(deps, actor, id));
  const reads = analyticsReads(deps);
  const narrowed = page.managerId === undefined ? source : sql`${source} AND c.manager_id = ${page.managerId}`;
  const [[counted], rows] = await Promise.all([reads.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${narrowed}`), reads.rows<Member>(q.membersPage(narrowed, page.offset, page.limit))]);
  return { total: Number(counted?.n ?? 0), items: rows.map((r) => ({ ...r, id: Number(r.id) })) };
}

/**
 * 导出: the segment's customers the reader sees, through the customers area's export (its columns in the reader's
 * language, phones and ID numbers masked unless customers.export_pii, audited with the row count), streamed.
 * More than SEGMENT_EXPORT_MAX_ROWS answer 413 before anything is streamed or audited.
 */
export async function exportSegment(deps: Deps, actor: Actor, id: number, choice: { format: 'csv' | 'xlsx'; withPii: boolean; locale: Locale }) {
  const segment = await getSegment(deps, actor, id);
  if (!actor.permissions.has('analysis.query')) throw forbidden();
  const source = await sourceOf(deps, actor, segment);
  const what = { segment: { id, name: segment.name, mode: segment.mode } };
  const { batches } = await exportCustomersWhere(deps, actor, sql`c.id IN (SELECT c.id FROM ${source})`, choice, what, deps.config.SEGMENT_EXPORT_MAX_ROWS).catch((err: unknown) => {
    // the customers' problem advises their background export, which a segment has not
    throw err instanceof AppError && err.code === 'export_too_large' ? new AppError(413, 'segment_export_too_large', err.params) : err;
  });
  return { batches, columns: exportColumns(choice.locale), fileName: `${segment.name}-${exportFileName(choice)}` };
}

// ---- 下达为任务 -----------------------------------------------------------------------------------------------------

/**
 * One task per manager holding customers of the segment (those the reader sees), set through the managers' task
 * service (createTask: its checks, audit and notice). A manager it refuses (not an active account manager of the
 * reader's subtree) is reported, not fatal.
 */
export async function handToManagers(deps: Deps, actor: Actor, id: number, input: { title: string; description?: string | null; dueOn: string }): Promise<HandOff> {
  const segment = await getSegment(deps, actor, id);
  const source = await sourceOf(deps, actor, segment);
  const held = await deps.database.rows<{ managerId: number | null; customers: number }>(q.holders(source));
  const names = new Map(
    (await deps.database.rows<{ id: number; name: string }>(sql`SELECT id, display_name AS name FROM users WHERE id = ANY(${`{${held.filter((h) => h.managerId !== null).map((h) => h.managerId).join(',')}}`}::bigint[])`)).map((u) => [Number(u.id), u.name]),
  );
  const out: HandOff = { tasks: [], skipped: [], unassigned: 0 };
  for (const h of held) {
    if (h.managerId === null) {
      out.unassigned = Number(h.customers);
      continue;
    }
    const managerId = Number(h.managerId);
    const managerName = names.get(managerId) ?? '';
    const customers = Number(h.customers);
    const description = [input.description?.trim(), `目标客户群“${segment.name}”中您的客户 ${customers} 户：/analysis/segments/${id}?managerId=${managerId}`].filter(Boolean).join('\n\n');
    try {
      const task = await createTask(deps, actor, { title: input.title, description, dueOn: input.dueOn, target: { kind: 'manager', managerId } });
      out.tasks.push({ managerId, managerName, customers, taskId: task.id });
    } catch (err) {
      if (err instanceof AppError && err.code === 'task_due_in_past') throw invalid('body.dueOn', 'task_due_in_past', err.params);
      if (err instanceof AppError && err.status === 400) out.skipped.push({ managerId, managerName, customers });
      else throw err;
    }
  }
  if (!out.tasks.length && !out.skipped.length) throw new AppError(400, 'segment_empty');
  return out;
}

// ---- 营销活动 -------------------------------------------------------------------------------------------------------

/** The members of a campaign the reader sees (their unit subtree at the time added; a manager, their own). */
const memberScope = (actor: Actor) => {
  const scope = scopeOf(actor);
  return q.membersInScope(scope.unitPath, scope.managerId);
};

const pct = (a: number, b: number) => (b ? Math.round((a / b) * 10000) / 100 : null);
function figuresFrom(r: q.FiguresRow | undefined): Figures {
  const f = { members: 0, contacted: 0, responded: 0, accepted: 0, declined: 0, noAnswer: 0, ...Object.fromEntries(Object.entries(r ?? {}).map(([k, v]) => [k, Number(v)])) } as q.FiguresRow;
  return { ...f, reachRate: pct(f.contacted, f.members), responseRate: pct(f.responded, f.contacted), acceptanceRate: pct(f.accepted, f.contacted) };
}

async function toCampaign(deps: Deps, actor: Actor, r: q.CampaignRow): Promise<Campaign> {
  const [f] = await deps.database.rows<q.FiguresRow>(q.figuresOf(Number(r.id), memberScope(actor)));
  return {
    ...r,
    id: Number(r.id),
    segmentId: r.segmentId === null ? null : Number(r.segmentId),
    ownerId: Number(r.ownerId),
    unitId: Number(r.unitId),
    channel: r.channel as Campaign['channel'],
    createdAt: new Date(r.createdAt),
    updatedAt: new Date(r.updatedAt),
    figures: figuresFrom(f),
  };
}

export async function listCampaigns(deps: Deps, actor: Actor): Promise<Campaign[]> {
  const rows = await q.selectCampaigns(deps.database, visibleCampaign(actor));
  return Promise.all(rows.map((r) => toCampaign(deps, actor, r)));
}

export async function getCampaign(deps: Deps, actor: Actor, id: number): Promise<Campaign> {
  const [row] = await q.selectCampaigns(deps.database, visibleCampaign(actor), id);
  if (!row) throw notFound(CAMPAIGN);
  return toCampaign(deps, actor, row);
}

/** A campaign from a segment: its customers the reader sees become the members (set-based). */
export async function createCampaign(deps: Deps, actor: Actor, input: CampaignInput): Promise<Campaign> {
  if (input.endsOn < input.startsOn) throw invalid('body.endsOn', 'campaign_period_invalid');
  const segment = await getSegment(deps, actor, input.segmentId).catch((err: unknown) => {
    throw err instanceof AppError && err.status === 404 ? invalid('body.segmentId', 'not_found', { entity: messageRef('entity_analysis_segment') }) : err;
  });
  const source = await sourceOf(deps, actor, segment);
  const unitId = await ownerUnit(deps, actor);
  const { database } = deps;
  const id = await database.db.transaction(async (tx) => {
    const id = await q.insertCampaign(database, tx, { ...input, ownerId: actor.userId!, unitId });
    const members = await q.insertMembers(database, tx, id, source);
    if (!members) throw new AppError(400, 'segment_empty');
    await audit(tx, actor, { action: 'create', entity: CAMPAIGN, entityId: id, unitPath: actor.unitPath, after: { ...input, members } });
    return id;
  });
  return getCampaign(deps, actor, id);
}

const statusRef = (s: string) => messageRef(`campaign_status_${s}` as MessageCode);

export async function updateCampaign(deps: Deps, actor: Actor, id: number, patch: CampaignPatch): Promise<Campaign> {
  const before = await getCampaign(deps, actor, id);
  if (before.status === 'closed') throw new AppError(409, 'campaign_not_open', { status: statusRef(before.status) });
  const { version, ...set } = patch;
  if ((set.endsOn ?? before.endsOn) < (set.startsOn ?? before.startsOn)) throw invalid('body.endsOn', 'campaign_period_invalid');
  await deps.database.db.transaction(async (tx) => {
    if (!(await updateAtVersion(tx, analysisCampaigns, id, version, set))) throw versionConflict();
    await audit(tx, actor, { action: 'update', entity: CAMPAIGN, entityId: id, unitPath: actor.unitPath, before: pick(before, Object.keys(set)), after: set });
  });
  return getCampaign(deps, actor, id);
}

const pick = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, o[k]]));
const NEXT: Record<string, string> = { draft: 'running', running: 'closed' };

/** draft → running → closed, at the version read. */
export async function moveCampaign(deps: Deps, actor: Actor, id: number, input: { version: number; status: 'draft' | 'running' | 'closed' }): Promise<Campaign> {
  const before = await getCampaign(deps, actor, id);
  if (NEXT[before.status] !== input.status) throw new AppError(409, 'campaign_move_invalid');
  await deps.database.db.transaction(async (tx) => {
    if (!(await updateAtVersion(tx, analysisCampaigns, id, input.version, { status: input.status }))) throw versionConflict();
    await audit(tx, actor, { action: 'update', entity: CAMPAIGN, entityId: id, unitPath: actor.unitPath, before: { status: before.status }, after: { status: input.status } });
  });
  return getCampaign(deps, actor, id);
}

export async function listCampaignMembers(deps: Deps, actor: Actor, id: number, page: { offset: number; limit: number; response?: string }) {
  await getCampaign(deps, actor, id);
  const rows = await deps.database.rows<Omit<CampaignMember, 'respondedAt'> & { total: number; respondedAt: string | null }>(q.campaignMembersPage(id, memberScope(actor), page.offset, page.limit, page.response));
  return {
    total: Number(rows[0]?.total ?? 0),
    items: rows.map(({ total: _t, ...r }) => ({ ...r, id: Number(r.customerId), customerId: Number(r.customerId), respondedAt: r.respondedAt === null ? null : new Date(r.respondedAt) })),
  };
}

async function openCampaign(deps: Deps, actor: Actor, id: number): Promise<Campaign> {
  const campaign = await getCampaign(deps, actor, id);
  if (campaign.status !== 'running') throw new AppError(409, 'campaign_not_open', { status: statusRef(campaign.status) });
  return campaign;
}

/** One customer's response (the campaign running); audited. */
export async function recordResponse(deps: Deps, actor: Actor, id: number, customerId: number, input: ResponseInput): Promise<Campaign> {
  await openCampaign(deps, actor, id);
  const at = input.at ?? new Date().toISOString();
  await deps.database.db.transaction(async (tx) => {
    const done = await deps.database.rows(
      sql`UPDATE analysis_campaign_members cm SET response = ${input.response}, responded_at = ${at}::timestamptz, note = ${input.note ?? null}, recorded_by = ${actor.userId}
          WHERE cm.campaign_id = ${id} AND cm.customer_id = ${customerId} AND ${memberScope(actor)} RETURNING cm.customer_id`,
      tx,
    );
    if (!done.length) throw notFound('customer');
    await audit(tx, actor, { action: 'update', entity: CAMPAIGN, entityId: id, unitPath: actor.unitPath, after: { customerId, response: input.response, at, note: input.note ?? null } });
  });
  return getCampaign(deps, actor, id);
}

/** The words a response file may use for each response, Chinese or the code. */
const RESPONSE_WORDS: Record<string, Response> = {
  ...Object.fromEntries(RESPONSES.map((r) => [r, r])),
  已响应: 'responded',
  响应: 'responded',
  接受: 'accepted',
  已接受: 'accepted',
  拒绝: 'declined',
  已拒绝: 'declined',
  未接通: 'no_answer',
  无应答: 'no_answer',
};

/** RFC 4180 records of a CSV text (quotes, doubled quotes, CRLF or LF), a BOM dropped. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  return records;
}

const HEADERS: Record<string, 'customerNo' | 'response' | 'at' | 'note'> = { customerNo: 'customerNo', 客户编号: 'customerNo', response: 'response', 响应: 'response', 响应结果: 'response', at: 'at', 时间: 'at', 响应时间: 'at', note: 'note', 备注: 'note' };

/**
 * 批量登记响应: a CSV (客户编号, 响应, 响应时间, 备注 — or customerNo, response, at, note) checked whole first; any bad
 * row (unknown response, bad time, a customer not a member the reader sees, a customer twice) refuses the file with
 * every bad line named, and nothing is recorded. Otherwise one statement records them all.
 */
export async function importResponses(deps: Deps, actor: Actor, id: number, csv: string): Promise<{ recorded: number }> {
  await openCampaign(deps, actor, id);
  const [header, ...records] = parseCsv(csv).filter((r) => r.some((f) => f.trim() !== ''));
  const cols = (header ?? []).map((h) => HEADERS[h.trim()]);
  const errors: FieldError[] = [];
  const bad = (line: number, column: string, code: MessageCode, params: Record<string, unknown> = {}) => errors.push({ field: `file.line[${line}].${column}`, code, message: '', params });
  if (!cols.includes('customerNo') || !cols.includes('response')) bad(1, 'header', 'query_value_invalid', { expected: '客户编号, 响应, 响应时间, 备注' });
  const rows: { customerNo: string; response: string; at: string; note: string | null }[] = [];
  const seen = new Map<string, number>();
  const now = new Date().toISOString();
  records.forEach((rec, i) => {
    const line = i + 2;
    const get = (k: string) => rec[cols.indexOf(k as never)]?.trim() ?? '';
    const customerNo = get('customerNo');
    const response = RESPONSE_WORDS[get('response')];
    const atText = get('at');
    const at = atText === '' ? now : !Number.isNaN(Date.parse(atText)) && /^\d{4}-\d{2}-\d{2}/.test(atText) ? new Date(/T|\s\d/.test(atText) ? atText : `${atText}T00:00:00+08:00`).toISOString() : null;
    if (!customerNo) bad(line, 'customerNo', 'query_value_invalid', { expected: messageRef('query_expect_text') });
    else if (seen.has(customerNo)) bad(line, 'customerNo', 'duplicate', { field: customerNo });
    if (!response) bad(line, 'response', 'query_value_invalid', { expected: '已响应 / 接受 / 拒绝 / 未接通' });
    if (at === null) bad(line, 'at', 'query_value_invalid', { expected: messageRef('query_expect_date') });
    if (get('note').length > 1000) bad(line, 'note', 'query_value_invalid', { expected: messageRef('query_expect_text') });
    seen.set(customerNo, line);
    if (customerNo && response && at) rows.push({ customerNo, response, at, note: get('note') || null });
  });
  if (!records.length && !errors.length) bad(2, 'customerNo', 'query_value_invalid', { expected: messageRef('query_expect_text') });
  const { database } = deps;
  if (!errors.length) {
    try {
      await database.db.transaction(async (tx) => {
        const result = await q.applyResponses(database, tx, id, memberScope(actor), actor.userId!, rows);
        for (const r of result) if (!r.found) bad(seen.get(r.customerNo)!, 'customerNo', 'campaign_member_unknown', { customerNo: r.customerNo });
        if (errors.length) throw new Error('rollback');
        await audit(tx, actor, { action: 'update', entity: CAMPAIGN, entityId: id, unitPath: actor.unitPath, after: { imported: rows.length } });
      });
    } catch (err) {
      if (!errors.length) throw err;
    }
  }
  if (errors.length) throw new AppError(400, 'campaign_import_invalid', { count: new Set(errors.map((e) => e.field.split('.')[1])).size }, errors.slice(0, 200));
  return { recorded: rows.length };
}

// ---- figures for the indicators engine ------------------------------------------------------------------------------

export type CampaignDimension = 'city' | 'county' | 'level' | 'industry' | 'brand' | 'manager' | 'month' | 'archive' | 'kind';

/** The ancestor-or-self unit of a kind (city, county) of the member's unit `u`. */
const unitOfKind = (kind: string) => sql`(SELECT a.id FROM org_units a WHERE a.kind = ${kind} AND u.path LIKE a.path || '%' ORDER BY length(a.path) DESC LIMIT 1)::text`;
const DIMENSION_SQL: Record<CampaignDimension, SQL> = {
  city: unitOfKind('city'),
  county: unitOfKind('county'),
  level: sql`s.level`,
  industry: sql`c.industry`,
  brand: sql`c.brand`,
  manager: sql`cm.manager_id::text`,
  month: sql`to_char(k.starts_on, 'YYYY-MM')`,
  archive: sql`c.archive`,
  kind: sql`c.kind`,
};

export interface CampaignFigureRow {
  keys: Partial<Record<CampaignDimension, string | null>>;
  members: number;
  contacted: number;
  responded: number;
  accepted: number;
  reachRate: number | null;
  responseRate: number | null;
  acceptanceRate: number | null;
}

/**
 * 营销 indicators' source: members, reach (contacted), responses and acceptances of the campaigns started within
 * from..to ('YYYY-MM', drafts left out), cut by up to three dimensions, within the actor's data scope, on the
 * analytics reads. Rates in percent.
 */
export async function campaignFigures(deps: Deps, actor: Actor, input: { from: string; to: string; dimensions: CampaignDimension[] }): Promise<CampaignFigureRow[]> {
  const keys = input.dimensions.map((d) => DIMENSION_SQL[d]);
  const rows = await analyticsReads(deps).rows<Record<string, string | number | null>>(q.figuresBy(memberScope(actor), input.from, input.to, keys, input.dimensions));
  return rows.map((r) => {
    const [members, contacted, responded, accepted] = [r.members, r.contacted, r.responded, r.accepted].map(Number) as [number, number, number, number];
    return {
      keys: Object.fromEntries(input.dimensions.map((d) => [d, r[d] === null ? null : String(r[d])])),
      members,
      contacted,
      responded,
      accepted,
      reachRate: pct(contacted, members),
      responseRate: pct(responded, contacted),
      acceptanceRate: pct(accepted, contacted),
    };
  });
}
