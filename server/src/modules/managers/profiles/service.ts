/**
 * 经理档案 (DOMAIN.md §7): an account manager is an active user holding the account_manager role; the profile adds
 * grade, start as a manager, skills, the portfolio's maximum and certifications. Portfolio size and value are read
 * from the customers and their monthly totals when asked. Heads (managers.read) see the managers of their unit's
 * subtree and (managers.edit) keep their profiles; a manager (work.own) sees their own. Moving customers between
 * managers (customers.assign) goes through the customers area, which keeps the portfolio history.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../db/client.js';
import { audit } from '../../../platform/audit/audit.js';
import type { Actor } from '../../../platform/auth/principal.js';
import { inScope, inSubtree } from '../../../platform/auth/scope.js';
import type { Deps } from '../../../platform/deps.js';
import { entityName, invalid, notFound, outOfScope, versionConflict } from '../../../platform/errors.js';
import type { Page } from '../../../platform/http/list.js';
import { addMonths, monthAt, todayAt, toMonth, toMonthDate } from '../../../platform/months.js';
import { maskPhone } from '../../../platform/pii.js';
import { moveCustomers } from '../../customers/service.js';
import * as q from './queries.js';
import type {
  Certification,
  CertificationInput,
  CertificationPatch,
  Grade,
  ManagerDetail,
  ManagerListQuery,
  ManagerSummary,
  PortfolioMoveInput,
  PortfolioMoveResult,
  ProfilePatch,
} from './schemas.js';

/** How far back the value month is looked for, and how many months the trend shows. */
const MONTHS_BACK = 24;
const TREND_MONTHS = 12;

/**
 * 最近完整月份: the latest month before this one (Asia/Shanghai) whose totals hold rows, or null; a portfolio's
 * value is its customers' billed total of that month. Each month is read from its own partition.
 */
export async function valueMonth(deps: Deps, now = new Date()): Promise<string | null> {
  const current = monthAt(now);
  for (let n = 1; n <= MONTHS_BACK; n++) {
    const month = toMonthDate(addMonths(current, -n));
    if (await q.monthHasTotals(deps.database, month)) return month;
  }
  return null;
}

function toSummary(row: q.ManagerRow, month: string | null): ManagerSummary {
  const size = Number(row.portfolioSize ?? 0);
  return {
    id: Number(row.id),
    username: row.username,
    displayName: row.displayName,
    unitId: Number(row.unitId),
    unitName: row.unitName,
    unitNameEn: row.unitNameEn,
    grade: (row.grade as Grade | null) ?? null,
    startedOn: row.startedOn,
    tenureMonths: row.tenureMonths === null ? null : Number(row.tenureMonths),
    skills: (row.skills ?? []) as ManagerSummary['skills'],
    certifications: Number(row.certifications ?? 0),
    nextExpiry: row.nextExpiry,
    expiredCertifications: Number(row.expiredCertifications ?? 0),
    portfolioSize: size,
    portfolioValue: row.portfolioValue ?? '0.00',
    valueMonth: month,
    maxPortfolio: row.maxPortfolio === null ? null : Number(row.maxPortfolio),
    overMax: row.maxPortfolio !== null && size > Number(row.maxPortfolio),
  };
}

/** 经理列表: the managers of the actor's subtree with their figures, one statement for the page. */
export async function listManagers(deps: Deps, actor: Actor, query: ManagerListQuery): Promise<Page<ManagerSummary>> {
  const conds: SQL[] = [inSubtree(sql`o.path`, actor.unitPath)];
  if (query.unitId) conds.push(sql`starts_with(o.path, (SELECT path FROM org_units WHERE id = ${query.unitId}))`);
  if (query.grade) conds.push(sql`p.grade = ${query.grade}`);
  if (query.skill) conds.push(sql`${query.skill} = ANY(p.skills)`);
  if (query.q) conds.push(sql`(strpos(u.display_name, ${query.q}) > 0 OR strpos(lower(u.username), lower(${query.q})) > 0)`);
  const where = sql.join(conds, sql` AND `);
  const [month, [counted]] = await Promise.all([valueMonth(deps), deps.database.rows<{ n: number }>(q.countManagers(where))]);
  const matched = Number(counted?.n ?? 0);
  const rows = await deps.database.rows<q.ManagerRow>(
    q.selectManagers({
      matched,
      where,
      month,
      today: todayAt(),
      sort: query.sort,
      order: query.order,
      overMax: query.overMax === undefined ? null : query.overMax === 'true',
      offset: query.offset,
      limit: query.limit,
    }),
  );
  // past the last page no row carries the total of those over (or within) their maximum: counted again
  const total = query.overMax === undefined ? matched : rows.length ? Number(rows[0]!.total) : query.offset > 0 ? Number((await listManagers(deps, actor, { ...query, offset: 0, limit: 1 })).total) : 0;
  return { items: rows.map((r) => toSummary(r, month)), total };
}

/** The manager `id` if the actor may see them: a head within their subtree, or a manager themselves; 404 otherwise. */
async function managerFor(deps: Deps, actor: Actor, id: number, access: 'read' | 'edit', month: string | null, executor?: Executor) {
  const row = await q.findManager(deps.database, id, month, todayAt(), executor);
  if (!row) throw notFound('manager');
  const asHead = actor.permissions.has(access === 'read' ? 'managers.read' : 'managers.edit') && inScope(actor, row.unitPath);
  const asSelf = access === 'read' && actor.userId === id && actor.permissions.has('work.own');
  if (!asHead && !asSelf) throw outOfScope('manager');
  return row;
}

/** 经理档案详情: profile, certifications and portfolio figures (by level, by archive, the value of the last 12 months). */
export async function getManager(deps: Deps, actor: Actor, id: number): Promise<ManagerDetail> {
  const month = await valueMonth(deps);
  const row = await managerFor(deps, actor, id, 'read', month);
  const today = todayAt();
  const to = month ?? toMonthDate(addMonths(monthAt(new Date()), -1));
  const from = toMonthDate(addMonths(toMonth(to), -(TREND_MONTHS - 1)));
  const [certificationList, breakdown, trend] = await Promise.all([
    q.listCertifications(deps.database, id, today),
    q.portfolioBreakdown(deps.database, id),
    q.portfolioTrend(deps.database, id, from, to),
  ]);
  return {
    ...toSummary(row, month),
    phone: maskPhone(row.phone),
    email: row.email,
    note: row.note,
    profileVersion: Number(row.profileVersion),
    profileUpdatedAt: row.profileUpdatedAt === null ? null : new Date(row.profileUpdatedAt),
    certificationList,
    byLevel: breakdown.byLevel.map((b) => ({ level: b.level as ManagerDetail['byLevel'][number]['level'], customers: Number(b.customers) })),
    byArchive: breakdown.byArchive.map((b) => ({ archive: b.archive as 'in_network' | 'retained', customers: Number(b.customers) })),
    trend,
  };
}

/**
 * 档案维护 (merge-patch at the profile version read): the first edit (version 0) records the profile; a stale
 * version answers 409. Audited with the fields before and after.
 */
export async function patchProfile(deps: Deps, actor: Actor, id: number, patch: ProfilePatch): Promise<ManagerDetail> {
  await deps.database.db.transaction(async (tx) => {
    const manager = await managerFor(deps, actor, id, 'edit', null, tx);
    const { version, ...fields } = patch;
    const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<Omit<ProfilePatch, 'version'>>;
    const values = {
      ...(set.grade !== undefined && { grade: set.grade }),
      ...(set.startedOn !== undefined && { startedOn: set.startedOn }),
      ...(set.skills !== undefined && { skills: [...new Set(set.skills)] }),
      ...(set.maxPortfolio !== undefined && { maxPortfolio: set.maxPortfolio }),
      ...(set.note !== undefined && { note: set.note || null }),
    };
    if (set.startedOn && set.startedOn > todayAt()) throw invalid('body.startedOn', 'manager_started_on_future');
    const before = await q.lockProfile(deps.database, tx, id);
    if ((before?.version ?? 0) !== version) throw versionConflict();
    if (before) {
      if (!(await q.updateProfile(tx, id, version, values))) throw versionConflict();
    } else if (!(await q.insertProfile(tx, { userId: id, ...values }))) throw versionConflict();
    const was = before ? { grade: before.grade, startedOn: before.startedOn, skills: before.skills, maxPortfolio: before.maxPortfolio, note: before.note } : null;
    await audit(tx, actor, { action: before ? 'update' : 'create', entity: 'manager_profile', entityId: id, unitPath: manager.unitPath, before: was, after: { ...was, ...values } });
  });
  return getManager(deps, actor, id);
}

// ---- certifications

function checkDates(c: { issuedOn?: string | null; expiresOn?: string | null }) {
  if (c.issuedOn && c.expiresOn && c.expiresOn <= c.issuedOn) throw invalid('body.expiresOn', 'certification_dates_order');
}

export async function addCertification(deps: Deps, actor: Actor, userId: number, input: CertificationInput): Promise<Certification> {
  checkDates(input);
  const id = await deps.database.db.transaction(async (tx) => {
    const manager = await managerFor(deps, actor, userId, 'edit', null, tx);
    const row = { userId, name: input.name, issuer: input.issuer || null, certificateNo: input.certificateNo || null, issuedOn: input.issuedOn ?? null, expiresOn: input.expiresOn ?? null };
    const id = await q.insertCertification(tx, row);
    await audit(tx, actor, { action: 'create', entity: 'manager_certification', entityId: id, unitPath: manager.unitPath, after: row });
    return id;
  });
  return (await q.findCertification(deps.database, deps.database.db, userId, id, todayAt()))!;
}

async function certificationFor(deps: Deps, actor: Actor, userId: number, id: number, tx: Executor) {
  const manager = await managerFor(deps, actor, userId, 'edit', null, tx);
  const cert = await q.findCertification(deps.database, tx, userId, id, todayAt(), true);
  if (!cert) throw notFound('manager_certification');
  return { manager, cert };
}

export async function patchCertification(deps: Deps, actor: Actor, userId: number, id: number, patch: CertificationPatch): Promise<Certification> {
  await deps.database.db.transaction(async (tx) => {
    const { manager, cert } = await certificationFor(deps, actor, userId, id, tx);
    if (cert.version !== patch.version) throw versionConflict();
    const set = {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.issuer !== undefined && { issuer: patch.issuer || null }),
      ...(patch.certificateNo !== undefined && { certificateNo: patch.certificateNo || null }),
      ...(patch.issuedOn !== undefined && { issuedOn: patch.issuedOn }),
      ...(patch.expiresOn !== undefined && { expiresOn: patch.expiresOn }),
    };
    checkDates({ issuedOn: set.issuedOn === undefined ? cert.issuedOn : set.issuedOn, expiresOn: set.expiresOn === undefined ? cert.expiresOn : set.expiresOn });
    if (!(await q.updateCertification(tx, id, patch.version, set))) throw versionConflict();
    const was = { name: cert.name, issuer: cert.issuer, certificateNo: cert.certificateNo, issuedOn: cert.issuedOn, expiresOn: cert.expiresOn };
    await audit(tx, actor, { action: 'update', entity: 'manager_certification', entityId: id, unitPath: manager.unitPath, before: was, after: { ...was, ...set } });
  });
  return (await q.findCertification(deps.database, deps.database.db, userId, id, todayAt()))!;
}

export async function deleteCertification(deps: Deps, actor: Actor, userId: number, id: number): Promise<void> {
  await deps.database.db.transaction(async (tx) => {
    const { manager, cert } = await certificationFor(deps, actor, userId, id, tx);
    await q.deleteCertification(tx, id);
    await audit(tx, actor, { action: 'delete', entity: 'manager_certification', entityId: id, unitPath: manager.unitPath, before: { name: cert.name, expiresOn: cert.expiresOn } });
  });
}

// ---- portfolio moves

/**
 * 客户批量调整: the source manager's customers (those chosen, or those a filter of the customers list matches, or
 * all) go to the target manager in one transaction through the customers area, which keeps each customer's
 * portfolio history, audits the move with its count and tells both managers. A dry run counts and changes nothing.
 */
export async function movePortfolio(deps: Deps, actor: Actor, input: PortfolioMoveInput): Promise<PortfolioMoveResult> {
  if (input.customerIds && input.filter) throw invalid('body.filter', 'portfolio_move_ids_or_filter');
  if (input.fromDate && input.fromDate > todayAt()) throw invalid('body.fromDate', 'portfolio_move_date_future');
  // the source is a user of the actor's subtree (active or not: an old portfolio may still need moving)
  const source = await q.userUnitPath(deps.database, deps.database.db, input.fromManagerId);
  if (!source || !inScope(actor, source.path)) throw invalid('body.fromManagerId', 'not_found', { entity: entityName('manager') });
  const customers = await moveCustomers(deps, actor, { ...input, fromDate: input.fromDate ?? todayAt(), link: (managerId) => `/managers/profiles/${managerId}` });
  const target = await q.portfolioSize(deps.database, deps.database.db, input.toManagerId);
  return { dryRun: input.dryRun, customers, targetSize: target.size + (input.dryRun ? customers : 0), targetMax: target.max };
}
