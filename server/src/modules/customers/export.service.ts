/**
 * 导出: a customer list as CSV or .xlsx, every code named in the reader's language. The rows are read in
 * customer-number order by a cursor in one read-only snapshot (rows that move or arrive meanwhile are neither
 * skipped nor read twice; memory holds one batch), counted in that snapshot first, and every export is
 * audited with that count. Up to EXPORT_DIRECT_MAX_ROWS a download answers at once; more run as a background
 * export whose file is downloaded when done (platform/export/jobs.ts).
 */
import { sql, type SQL } from 'drizzle-orm';
import { audit } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/auth/principal.js';
import { analyticsReads, type Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { startExportJob, type ExportSource } from '../../platform/export/jobs.js';
import type { TabularFormat } from '../../platform/export/tabular.js';
import { translate, type Locale } from '../../platform/i18n/messages.js';
import { exportColumns, type ExportRow } from './export-columns.js';
import { resolveFilter } from './list.service.js';
import * as q from './queries.js';
import type { CustomerFilter } from './schemas.js';
import { maskIdNumber, maskPhone } from '../../platform/pii.js';

export interface ExportChoice {
  filter: CustomerFilter;
  format: TabularFormat;
  /** Phones and ID numbers in clear (customers.export_pii). */
  withPii: boolean;
  locale: Locale;
}

/** Rows a cursor hands over at a time. */
const BATCH = 500;

/** The file's name in the reader's language, with the time it was made (客户清单-20261204-1530.xlsx). */
export function exportFileName(choice: Pick<ExportChoice, 'format' | 'locale'>, now = new Date()): string {
  const stamp = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  return `${translate('export_file_name', choice.locale)}-${stamp}.${choice.format}`;
}

/** Export rows in batches as the cursor hands them over: masked, or in clear for a reader of personal data. */
async function* exportBatches(deps: Deps, batches: AsyncIterable<q.ExportReadRow[]>, withPii: boolean): AsyncGenerator<ExportRow[]> {
  for await (const rows of batches) {
    yield rows.map((r) => ({
      customerNo: r.customerNo,
      name: r.name,
      kind: r.kind,
      archive: r.archive,
      unitName: r.unitName,
      unitNameEn: r.unitNameEn,
      managerName: r.managerName,
      industry: r.industry,
      brand: r.brand,
      level: r.level as ExportRow['level'],
      creditGrade: r.creditGrade,
      points: r.points,
      arrears: r.arrearsFen === null ? null : Number(r.arrearsFen) / 100,
      contactPhone: withPii ? r.contactPhone : maskPhone(r.contactPhone),
      idNumber: withPii ? (r.idNumberEnc ? deps.pii.decrypt(Buffer.from(r.idNumberEnc)) : null) : maskIdNumber(r.idNumberTail),
      creditCode: r.creditCode,
      joinedOn: r.joinedOn,
    }));
  }
}

/**
 * Opens an export: the snapshot, the count in it, the audit entry with that count, then the rows. Refuses
 * (before auditing anything) more rows than `maxRows`.
 */
async function openExport(deps: Deps, actor: Actor, choice: ExportChoice, maxRows = Infinity): Promise<ExportSource<ExportRow>> {
  if (choice.withPii && !actor.permissions.has('customers.export_pii')) throw new AppError(403, 'forbidden');
  const { match } = await resolveFilter(deps, actor, choice.filter);
  return openMatch(deps, actor, match, choice, { filter: choice.filter }, maxRows);
}

/** The snapshot, the count in it, the audit entry (`what` names the set exported) and the rows of a match. */
async function openMatch(deps: Deps, actor: Actor, match: q.CustomerMatch, choice: Omit<ExportChoice, 'filter'>, what: Record<string, unknown>, maxRows: number): Promise<ExportSource<ExportRow>> {
  // counted and read on the read replica when there is one (docs/scale-out.md); the audit entry goes to the primary
  const snapshot = await analyticsReads(deps).snapshot();
  try {
    const [counted] = await snapshot.rows<{ total: number }>(q.countCustomers(match));
    const total = Number(counted?.total ?? 0);
    if (total > maxRows) throw new AppError(413, 'export_too_large', { rows: total, limit: maxRows });
    await audit(deps.database.db, actor, {
      action: 'export',
      entity: 'customer',
      unitPath: actor.unitPath,
      after: { ...what, format: choice.format, withPii: choice.withPii, rows: total },
    });
    const batches = snapshot.batches<q.ExportReadRow>(q.selectExport(match, choice.withPii), BATCH);
    return { total, batches: exportBatches(deps, batches, choice.withPii), close: () => snapshot.close() };
  } catch (err) {
    await snapshot.close();
    throw err;
  }
}

/**
 * An export of the customers another area selected (an analysis segment): `where` is a condition on `c` that
 * already holds the reader's scope. The same columns, masking and audit as the lists' exports, streamed from one
 * snapshot at once; more rows than `maxRows` (counted in that snapshot) answer 413 export_too_large, unaudited.
 */
export async function exportCustomersWhere(
  deps: Deps,
  actor: Actor,
  where: SQL,
  choice: Omit<ExportChoice, 'filter'>,
  what: Record<string, unknown>,
  maxRows = Infinity,
): Promise<{ total: number; batches: AsyncIterable<ExportRow[]> }> {
  if (choice.withPii && !actor.permissions.has('customers.export_pii')) throw new AppError(403, 'forbidden');
  const match: q.CustomerMatch = { conds: where, units: sql`true`, onCounts: where, arms: null, countable: false, byStanding: false, onStandings: sql`true`, onCustomersOnly: null, onStandingCounts: null };
  const source = await openMatch(deps, actor, match, choice, what, maxRows);
  return {
    total: source.total,
    batches: (async function* () {
      try {
        yield* source.batches;
      } finally {
        await source.close();
      }
    })(),
  };
}

/** A download at once (up to EXPORT_DIRECT_MAX_ROWS rows): its rows in batches, ending the snapshot when they end or are let go. */
export async function exportCustomers(deps: Deps, actor: Actor, choice: ExportChoice): Promise<{ batches: AsyncIterable<ExportRow[]> }> {
  const source = await openExport(deps, actor, choice, deps.config.EXPORT_DIRECT_MAX_ROWS);
  return {
    batches: (async function* () {
      try {
        yield* source.batches;
      } finally {
        await source.close();
      }
    })(),
  };
}

/** A background export of any size (后台导出): its job at once; the rows are written after the answer. */
export async function startCustomerExport(deps: Deps, actor: Actor, choice: ExportChoice, onError: (err: unknown) => void) {
  if (choice.withPii && !actor.permissions.has('customers.export_pii')) throw new AppError(403, 'forbidden');
  await resolveFilter(deps, actor, choice.filter); // a region outside the reader's scope is refused now, not in the background
  const spec = {
    kind: 'customers',
    format: choice.format,
    fileName: exportFileName(choice),
    locale: choice.locale,
    params: { filter: choice.filter, withPii: choice.withPii },
    columns: exportColumns(choice.locale),
  };
  return startExportJob(deps, actor.userId!, spec, () => openExport(deps, actor, choice), onError);
}
