/** SQL of 流失预警: the months with facts, the training rows, the models, the scoring statement and the reads. */
import { sql, type SQL } from 'drizzle-orm';
import type { AnalyticsReads, Database, Executor } from '../../../db/client.js';
import { FEATURES, featureRowsSql } from './features.js';
import type { Band } from './schemas.js';

const floatArray = (a: number[]) => sql`${`{${a.map((v) => (Number.isFinite(v) ? String(v) : '0')).join(',')}}`}::float8[]`;
const textArray = (a: readonly string[]) => sql`${`{${a.join(',')}}`}::text[]`;
const col = (f: string) => sql.identifier(f);

/** The first and the latest month with billed facts (YYYY-MM-01), from the monthly totals. */
export async function factMonths(reads: AnalyticsReads): Promise<{ first: string | null; last: string | null }> {
  const [row] = await reads.rows<{ first: string | null; last: string | null }>(
    sql`SELECT min(month)::text AS first, max(month)::text AS last FROM customer_month_totals WHERE billed_fen > 0`,
  );
  return { first: row?.first ?? null, last: row?.last ?? null };
}

export const billingCustomers = async (reads: AnalyticsReads, month: string) =>
  Number((await reads.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM customer_month_totals WHERE month = ${month}::date AND billed_fen > 0`))[0]?.n ?? 0);

/** A deterministic sample of the customers (a share of them by a hash of the id), or all of them. */
export const sampleOf = (rate: number): SQL => (rate >= 1 ? sql`true` : sql`(abs(hashint8extended(c.id, 20261)) % 1000000) < ${Math.max(1, Math.round(rate * 1e6))}`);

export interface LabelledRow {
  values: number[];
  label: boolean;
}

/** The labelled feature rows of the months for the sampled customers, in one query. */
export async function labelledRows(reads: AnalyticsReads, months: string[], sample: SQL, horizon: number): Promise<LabelledRow[]> {
  const rows = await reads.rows<Record<string, number | string | boolean>>(featureRowsSql({ months, customers: sample, labelHorizon: horizon }));
  return rows.map((r) => ({ values: FEATURES.map((f) => Number(r[f])), label: r.label === true || r.label === 't' }));
}

export interface ModelRow {
  id: number;
  features: string[];
  means: number[];
  sds: number[];
  coefficients: number[];
  intercept: number;
  trainFrom: string;
  trainTo: string;
  validationMonth: string;
  horizonMonths: number;
  highThreshold: number;
  mediumThreshold: number;
  figures: Record<string, number>;
  createdAt: Date;
}

const MODEL = sql`id, features, means, sds, coefficients, intercept, train_from::text AS "trainFrom", train_to::text AS "trainTo",
  validation_month::text AS "validationMonth", horizon_months AS "horizonMonths", high_threshold AS "highThreshold",
  medium_threshold AS "mediumThreshold", figures, created_at AS "createdAt"`;

const toModel = (r: ModelRow): ModelRow => ({
  ...r,
  id: Number(r.id),
  means: r.means.map(Number),
  sds: r.sds.map(Number),
  coefficients: r.coefficients.map(Number),
  intercept: Number(r.intercept),
  highThreshold: Number(r.highThreshold),
  mediumThreshold: Number(r.mediumThreshold),
  createdAt: new Date(r.createdAt),
});

export async function insertModel(tx: Executor, database: Database, m: Omit<ModelRow, 'id' | 'createdAt'>, createdBy: number | null): Promise<number> {
  const [row] = await database.rows<{ id: number }>(
    sql`INSERT INTO churn_models (features, means, sds, coefficients, intercept, train_from, train_to, validation_month, horizon_months,
                                  high_threshold, medium_threshold, figures, created_by)
        VALUES (${textArray(m.features)}, ${floatArray(m.means)}, ${floatArray(m.sds)}, ${floatArray(m.coefficients)}, ${m.intercept},
                ${m.trainFrom}::date, ${m.trainTo}::date, ${m.validationMonth}::date, ${m.horizonMonths}, ${m.highThreshold}, ${m.mediumThreshold},
                ${JSON.stringify(m.figures)}::jsonb, ${createdBy})
        RETURNING id`,
    tx,
  );
  return Number(row!.id);
}

export async function listModels(reads: AnalyticsReads, limit = 20): Promise<ModelRow[]> {
  return (await reads.rows<ModelRow>(sql`SELECT ${MODEL} FROM churn_models ORDER BY id DESC LIMIT ${limit}`)).map(toModel);
}

export async function findModel(database: Database, id: number | null, executor?: Executor): Promise<ModelRow | null> {
  const [row] = await database.rows<ModelRow>(sql`SELECT ${MODEL} FROM churn_models ${id === null ? sql`` : sql`WHERE id = ${id}`} ORDER BY id DESC LIMIT 1`, executor);
  return row ? toModel(row) : null;
}

/**
 * Scores every in-network key account billing in `month` in ONE statement: the features, each standardised and
 * multiplied by its coefficient (the model's arrays bound as parameters), the score, the band and the top 3
 * contributions as reasons. The month's earlier scores are replaced in the same transaction.
 */
export async function scoreMonth(database: Database, tx: Executor, model: ModelRow, month: string): Promise<{ scored: number; high: number; medium: number }> {
  await database.rows(sql`DELETE FROM churn_scores WHERE month = ${month}::date`, tx);
  const features = model.features;
  const values = sql.join(features.map((f) => sql`r.${col(f)}`), sql`, `);
  const contribs = sql.join(features.map((f, j) => sql`p.coef[${sql.raw(String(j + 1))}] * (r.${col(f)} - p.mean[${sql.raw(String(j + 1))}]) / p.sd[${sql.raw(String(j + 1))}]`), sql`, `);
  const [row] = await database.rows<{ scored: number; high: number; medium: number }>(
    sql`
    WITH p AS (SELECT ${floatArray(model.coefficients)} AS coef, ${floatArray(model.means)} AS mean, ${floatArray(model.sds)} AS sd),
    r AS (${featureRowsSql({ months: [month], customers: sql`c.archive = 'in_network' AND c.merged_into IS NULL` })}),
    x AS (
      SELECT r.customer_id, ARRAY[${values}]::float8[] AS vals, ARRAY[${contribs}]::float8[] AS contribs FROM r CROSS JOIN p),
    s AS (
      SELECT x.*, 1 / (1 + exp(-greatest(-30, least(30, ${model.intercept}::float8 + (SELECT sum(v) FROM unnest(x.contribs) v))))) AS score FROM x),
    -- bands by rank within the month, so that their sizes do not drift with the months' levels (the validation
    -- month's top decile is where the figures are measured; the high band is half of it)
    ranked AS (SELECT s.*, cume_dist() OVER (ORDER BY s.score DESC) AS share FROM s),
    ins AS (
      INSERT INTO churn_scores (month, customer_id, model_id, score, band, reasons)
      SELECT ${month}::date, s.customer_id, ${model.id}, s.score,
             CASE WHEN s.share <= 0.05 THEN 'high' WHEN s.share <= 0.2 THEN 'medium' ELSE 'low' END,
             coalesce((SELECT jsonb_agg(jsonb_build_object('feature', f, 'value', round(v::numeric, 4), 'contribution', round(ct::numeric, 4)) ORDER BY ct DESC)
                       FROM (SELECT f, v, ct FROM unnest(${textArray(features)}, s.vals, s.contribs) u(f, v, ct) WHERE ct > 0 ORDER BY ct DESC LIMIT 3) top), '[]'::jsonb)
      FROM ranked s
      RETURNING band)
    SELECT count(*)::int AS scored, count(*) FILTER (WHERE band = 'high')::int AS high, count(*) FILTER (WHERE band = 'medium')::int AS medium FROM ins`,
    tx,
  );
  return { scored: Number(row?.scored ?? 0), high: Number(row?.high ?? 0), medium: Number(row?.medium ?? 0) };
}

export const latestScoredMonth = async (reads: AnalyticsReads): Promise<string | null> =>
  (await reads.rows<{ m: string | null }>(sql`SELECT max(month)::text AS m FROM churn_scores`))[0]?.m ?? null;

export interface ScoreRaw {
  month: string;
  customerId: number;
  customerNo: string;
  customerName: string;
  unitId: number;
  unitName: string;
  unitNameEn: string | null;
  managerId: number | null;
  managerName: string | null;
  modelId: number;
  score: number;
  band: Band;
  reasons: { feature: string; value: number; contribution: number }[];
}

const SCORE = sql`to_char(s.month, 'YYYY-MM') AS month, s.customer_id AS "customerId", c.customer_no AS "customerNo", c.name AS "customerName",
  c.unit_id AS "unitId", o.name AS "unitName", o.name_en AS "unitNameEn", c.manager_id AS "managerId", m.display_name AS "managerName", s.model_id AS "modelId",
  s.score, s.band, s.reasons`;
const SCORE_FROM = sql`FROM churn_scores s JOIN customers c ON c.id = s.customer_id JOIN org_units o ON o.id = c.unit_id LEFT JOIN users m ON m.id = c.manager_id`;

const toScore = (r: ScoreRaw): ScoreRaw => ({
  ...r,
  customerId: Number(r.customerId),
  unitId: Number(r.unitId),
  managerId: r.managerId === null ? null : Number(r.managerId),
  modelId: Number(r.modelId),
  score: Number(r.score),
  reasons: r.reasons.map((x) => ({ feature: x.feature, value: Number(x.value), contribution: Number(x.contribution) })),
});

export interface ScoreFilter {
  month: string;
  band?: Band;
  unitId?: number;
  managerId?: number;
  /** A condition on `c`: the actor's scope. */
  scope: SQL;
}

function scoreWhere(f: ScoreFilter): SQL {
  const conds = [sql`s.month = ${f.month}::date`, sql`(${f.scope})`];
  if (f.band) conds.push(sql`s.band = ${f.band}`);
  if (f.unitId) conds.push(sql`c.unit_id IN (SELECT u.id FROM org_units u JOIN org_units top ON top.id = ${f.unitId} WHERE starts_with(u.path, top.path))`);
  if (f.managerId) conds.push(sql`c.manager_id = ${f.managerId}`);
  return sql.join(conds, sql` AND `);
}

export async function listScores(reads: AnalyticsReads, f: ScoreFilter, offset: number, limit: number) {
  const where = scoreWhere(f);
  const [rows, [total]] = await Promise.all([
    reads.rows<ScoreRaw>(sql`SELECT ${SCORE} ${SCORE_FROM} WHERE ${where} ORDER BY s.score DESC, s.customer_id OFFSET ${offset} LIMIT ${limit}`),
    reads.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM churn_scores s JOIN customers c ON c.id = s.customer_id WHERE ${where}`),
  ]);
  return { items: rows.map(toScore), total: Number(total?.n ?? 0) };
}

/** The high-band customers of a month in the scope, by manager (for handing them over as tasks). */
export async function highByManager(reads: AnalyticsReads, f: ScoreFilter): Promise<{ managerId: number; customers: { name: string; customerNo: string; reason: string | null }[] }[]> {
  const rows = await reads.rows<ScoreRaw>(sql`SELECT ${SCORE} ${SCORE_FROM} WHERE ${scoreWhere({ ...f, band: 'high' })} AND c.manager_id IS NOT NULL ORDER BY c.manager_id, s.score DESC`);
  const by = new Map<number, { name: string; customerNo: string; reason: string | null }[]>();
  for (const r of rows) {
    const list = by.get(Number(r.managerId)) ?? [];
    list.push({ name: r.customerName, customerNo: r.customerNo, reason: r.reasons[0]?.feature ?? null });
    by.set(Number(r.managerId), list);
  }
  return [...by].map(([managerId, customers]) => ({ managerId, customers }));
}

export async function customerHistory(reads: AnalyticsReads, customerId: number) {
  const rows = await reads.rows<ScoreRaw>(sql`SELECT ${SCORE} ${SCORE_FROM} WHERE s.customer_id = ${customerId} ORDER BY s.month DESC`);
  return rows.map(toScore);
}
