/**
 * The indicator engine: evaluates catalogue indicators (built-in and administrators' derived ones) by up to
 * three dimensions over a range of months, in the reader's data scope, on the analytics reads (the read
 * replica when there is one). One SQL statement per source: the requested built-in indicators are grouped
 * by the table they read (queries.ts); derived indicators are combined from their operands' results here.
 *
 * Statistics, dashboards and exports call evaluateIndicators directly; the routes expose it as
 * POST /api/analysis/indicators/evaluate.
 */
import type { Actor } from '../../../platform/auth/principal.js';
import { analyticsReads, type Deps } from '../../../platform/deps.js';
import { invalid } from '../../../platform/errors.js';
import { BUILTIN_INDICATORS, builtinIndicator, DIMENSIONS, type Dimension, type IndicatorDef } from './catalogue.js';
import { derivedCatalogue, type DerivedFormula } from './derived.js';
import { drillStatement, drillCount } from './drill.js';
import { areaOfUnit, areaScope, MEASURES, sourceStatement, unitNames, userNames, type AnalysisScope, type SourceKey } from './queries.js';

export interface IndicatorQuery {
  /** catalogue codes (1..12) */
  indicators: string[];
  /** 0..3, the rows are the combinations present */
  dimensions: Dimension[];
  /** 'YYYY-MM' inclusive */
  from: string;
  to: string;
  /** keep only these keys (ids as strings for city/county/manager) */
  filters?: Partial<Record<Dimension, string[]>>;
}
export interface IndicatorRow {
  keys: Partial<Record<Dimension, string | null>>;
  labels: Partial<Record<Dimension, string | null>>;
  /** English names where there are any (units' name_en); the reader's language picks them over `labels` */
  labelsEn: Partial<Record<Dimension, string | null>>;
  values: Record<string, number | null>;
}
export interface IndicatorResult {
  rows: IndicatorRow[];
  totals: Record<string, number | null>;
}
export interface DrillCustomer {
  id: number;
  customerNo: string;
  name: string;
  kind: string;
  unitId: number;
  unitName: string;
  unitNameEn: string | null;
  managerId: number | null;
  managerName: string | null;
  /** the level in force now (customer_standings) */
  level: string | null;
}
export interface DrillQuery {
  indicator: string;
  keys: Partial<Record<Dimension, string>>;
  from: string;
  to: string;
}

export const MAX_INDICATORS = 12;
export const MAX_DIMENSIONS = 3;

/** The reader's scope: their unit subtree; an account manager (without customers.read_unit) their own portfolio. */
export function analysisScope(actor: Actor): AnalysisScope {
  return { unitPath: actor.unitPath, managerId: actor.permissions.has('customers.read_unit') ? null : actor.userId };
}

/** The whole catalogue: the built-in indicators and the administrators' derived ones. */
export async function indicatorCatalogue(deps: Deps): Promise<IndicatorDef[]> {
  return [...BUILTIN_INDICATORS, ...(await derivedCatalogue(analyticsReads(deps))).map((d) => d.def)];
}

/** An indicator to compute: a built-in one under fixed filters, or an operation on two of them. */
type Plan = { leaf: string; filters: Partial<Record<Dimension, string[]>> | null } | { op: 'ratio' | 'sum' | 'difference'; scale: number; left: Plan; right: Plan };

/** Merges fixed filters into the query's: an intersection per dimension; null when nothing can pass. */
function mergeFilters(a: Partial<Record<Dimension, string[]>> | null, b: Partial<Record<Dimension, string[]>> | undefined) {
  if (!a) return null;
  const out: Partial<Record<Dimension, string[]>> = { ...a };
  for (const [d, values] of Object.entries(b ?? {}) as [Dimension, string[]][]) {
    const kept = out[d] ? out[d]!.filter((v) => values.includes(v)) : values;
    if (kept.length === 0) return null;
    out[d] = kept;
  }
  return out;
}

function planOf(code: string, derived: Map<string, DerivedFormula>, filters: Partial<Record<Dimension, string[]>> | null, depth = 0): Plan {
  if (builtinIndicator(code)) return { leaf: code, filters };
  const f = derived.get(code);
  // validation on save refuses cycles; the depth bound only guards against a definition changed under us
  if (!f || depth > 8) throw invalid('body.indicators', 'analysis_indicator_unknown', { code });
  if (f.op === 'filter') return planOf(f.left, derived, mergeFilters(filters, f.filter), depth + 1);
  return { op: f.op, scale: f.scale ?? 1, left: planOf(f.left, derived, filters, depth + 1), right: planOf(f.right!, derived, filters, depth + 1) };
}

function leavesOf(p: Plan, out: { leaf: string; filters: Partial<Record<Dimension, string[]>> | null }[] = []) {
  if ('leaf' in p) out.push(p);
  else {
    leavesOf(p.left, out);
    leavesOf(p.right, out);
  }
  return out;
}

function combine(p: Plan, value: (leaf: string, filterKey: string) => number | null): number | null {
  if ('leaf' in p) return p.filters ? value(p.leaf, JSON.stringify(p.filters)) : null;
  const a = combine(p.left, value);
  const b = combine(p.right, value);
  if (p.op === 'ratio') return a === null || b === null || b === 0 ? null : (a / b) * p.scale;
  if (p.op === 'sum') return a === null && b === null ? null : (a ?? 0) + (b ?? 0);
  return a === null && b === null ? null : (a ?? 0) - (b ?? 0);
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function checkQuery(q: IndicatorQuery, defs: Map<string, IndicatorDef>) {
  if (!MONTH.test(q.from)) throw invalid('body.from', 'analysis_month_invalid');
  if (!MONTH.test(q.to) || q.to < q.from) throw invalid('body.to', 'analysis_month_invalid');
  if (q.indicators.length === 0 || q.indicators.length > MAX_INDICATORS) throw invalid('body.indicators', 'analysis_indicator_count', { max: MAX_INDICATORS });
  if (q.dimensions.length > MAX_DIMENSIONS || new Set(q.dimensions).size !== q.dimensions.length) throw invalid('body.dimensions', 'analysis_dimension_count', { max: MAX_DIMENSIONS });
  for (const code of q.indicators) {
    const def = defs.get(code);
    if (!def) throw invalid('body.indicators', 'analysis_indicator_unknown', { code });
    const missing = q.dimensions.find((d) => !def.dimensions.includes(d));
    if (missing) throw invalid('body.dimensions', 'analysis_dimension_unsupported', { code, dimension: missing });
    // a filter on a dimension the indicator has not would be ignored: refused instead
    const unfiltered = (Object.keys(q.filters ?? {}) as Dimension[]).find((d) => !def.dimensions.includes(d));
    if (unfiltered) throw invalid(`body.filters.${unfiltered}`, 'analysis_dimension_unsupported', { code, dimension: unfiltered });
  }
}

const rowKey = (keys: (string | null)[]) => JSON.stringify(keys);

/** Evaluates catalogue indicators for the actor's data scope (unit subtree; account managers: own portfolio), on analyticsReads(deps). */
export async function evaluateIndicators(deps: Deps, actor: Actor, q: IndicatorQuery): Promise<IndicatorResult> {
  const reads = analyticsReads(deps);
  const derived = await derivedCatalogue(reads);
  const defs = new Map<string, IndicatorDef>([...q.indicators.flatMap((c) => (builtinIndicator(c) ? [[c, builtinIndicator(c)!] as const] : [])), ...derived.map((d) => [d.def.code, d.def] as const)]);
  checkQuery(q, defs);
  const formulas = new Map(derived.map((d) => [d.def.code, d.formula]));
  const plans = new Map(q.indicators.map((code) => [code, planOf(code, formulas, mergeFilters({}, q.filters))]));

  // one statement per (fixed filters, source): the leaves grouped
  const jobs = new Map<string, { filters: Partial<Record<Dimension, string[]>>; bySource: Map<SourceKey, Set<string>> }>();
  for (const plan of plans.values()) {
    for (const leaf of leavesOf(plan)) {
      if (!leaf.filters) continue; // no key can pass the filters: null
      const source = MEASURES[leaf.leaf]!.source;
      const key = JSON.stringify(leaf.filters);
      const job = jobs.get(key) ?? { filters: leaf.filters, bySource: new Map() };
      jobs.set(key, job);
      job.bySource.set(source, (job.bySource.get(source) ?? new Set()).add(leaf.leaf));
    }
  }

  const [unit] = await reads.rows<{ id: number; kind: string }>(areaOfUnit(actor.unitPath));
  const scope = { ...analysisScope(actor), area: areaScope(unit, actor.unitPath) };
  const cells = new Map<string, Map<string, number | null>>(); // row key → `${leaf}|${filterKey}` → value
  const totals = new Map<string, number | null>();
  const keysOf = new Map<string, (string | null)[]>();
  const statements = [...jobs.entries()].flatMap(([filterKey, job]) =>
    [...job.bySource.entries()].map(([source, codes]) => ({ filterKey, source, codes: [...codes], filters: job.filters })),
  );
  // the statements run one after the other: on PGlite there is one connection anyway, and on PostgreSQL a
  // dashboard's few statements are each a scan of a small rollup
  for (const s of statements) {
    const rows = await reads.rows<Record<string, unknown>>(
      sourceStatement(s.source, s.codes, { dimensions: q.dimensions, from: q.from, to: q.to, filters: s.filters, scope }),
    );
    for (const r of rows) {
      const isTotal = q.dimensions.length > 0 && Number(r.g) === 1;
      const keys = q.dimensions.map((_, i) => (r[`d${i}`] ?? null) as string | null);
      const rk = rowKey(keys);
      const target = isTotal ? totals : cells.get(rk) ?? new Map<string, number | null>();
      if (!isTotal) {
        cells.set(rk, target);
        keysOf.set(rk, keys);
      }
      s.codes.forEach((code, i) => {
        const v = r[`v${i}`];
        target.set(`${code}|${s.filterKey}`, v === null || v === undefined ? null : Number(v));
      });
      // without dimensions the one row is both the row and the total
      if (q.dimensions.length === 0) s.codes.forEach((code, i) => totals.set(`${code}|${s.filterKey}`, r[`v${i}`] === null ? null : Number(r[`v${i}`])));
    }
  }

  const { labels, labelsEn } = await labelsOf(deps, q.dimensions, [...keysOf.values()]);
  const evaluate = (values: Map<string, number | null> | undefined) =>
    Object.fromEntries(q.indicators.map((code) => [code, combine(plans.get(code)!, (leaf, fk) => values?.get(`${leaf}|${fk}`) ?? null)]));
  const rows: IndicatorRow[] = [...keysOf.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([rk, keys]) => ({
      keys: Object.fromEntries(q.dimensions.map((d, i) => [d, keys[i]])),
      labels: Object.fromEntries(q.dimensions.map((d, i) => [d, keys[i] === null ? null : labels.get(`${d}:${keys[i]}`) ?? keys[i]])),
      labelsEn: Object.fromEntries(q.dimensions.flatMap((d, i) => (keys[i] !== null && labelsEn.has(`${d}:${keys[i]}`) ? [[d, labelsEn.get(`${d}:${keys[i]}`)!]] : []))),
      values: evaluate(cells.get(rk)),
    }));
  return { rows, totals: evaluate(totals) };
}

/**
 * Names of units (city, county: Chinese, and English where the unit has one) and managers (person names, one
 * language) among the keys; the other dimensions are named by the web's catalogues.
 */
async function labelsOf(deps: Deps, dimensions: Dimension[], keys: (string | null)[][]): Promise<{ labels: Map<string, string>; labelsEn: Map<string, string> }> {
  const out = new Map<string, string>();
  const en = new Map<string, string>();
  const ids = (d: Dimension) => [...new Set(keys.map((k) => k[dimensions.indexOf(d)]).filter((v): v is string => typeof v === 'string'))].map(Number);
  const unitIds = [...ids('city'), ...ids('county')];
  const reads = analyticsReads(deps);
  if (dimensions.some((d) => d === 'city' || d === 'county') && unitIds.length) {
    for (const r of await reads.rows<{ id: string; name: string; nameEn: string | null }>(unitNames(unitIds))) {
      for (const d of ['city', 'county']) {
        out.set(`${d}:${r.id}`, r.name);
        if (r.nameEn) en.set(`${d}:${r.id}`, r.nameEn);
      }
    }
  }
  if (dimensions.includes('manager') && ids('manager').length) {
    for (const r of await reads.rows<{ id: string; name: string }>(userNames(ids('manager')))) out.set(`manager:${r.id}`, r.name);
  }
  return { labels: out, labelsEn: en };
}

/** The customers behind one figure (drill-down): same scope, keys fix the dimensions; a page of customer ids + names + unit + manager + level. */
export async function drillCustomers(
  deps: Deps,
  actor: Actor,
  q: DrillQuery,
  page: { offset: number; limit: number },
): Promise<{ items: DrillCustomer[]; total: number }> {
  if (!MONTH.test(q.from)) throw invalid('query.from', 'analysis_month_invalid');
  if (!MONTH.test(q.to) || q.to < q.from) throw invalid('query.to', 'analysis_month_invalid');
  for (const d of Object.keys(q.keys)) if (!(DIMENSIONS as readonly string[]).includes(d)) throw invalid('query.keys', 'analysis_dimension_unsupported', { dimension: d });
  const reads = analyticsReads(deps);
  const derived = await derivedCatalogue(reads);
  const formulas = new Map(derived.map((d) => [d.def.code, d.formula]));
  // a derived indicator drills into its first operand, with its fixed filters as keys
  let code = q.indicator;
  let keys: Partial<Record<Dimension, string | string[]>> = { ...q.keys };
  for (let depth = 0; !builtinIndicator(code); depth++) {
    const f = formulas.get(code);
    if (!f || depth > 8) throw invalid('query.indicator', 'analysis_indicator_unknown', { code });
    if (f.op === 'filter') keys = { ...f.filter, ...keys };
    code = f.left;
  }
  const scope = analysisScope(actor);
  const drill = { code, keys, from: q.from, to: q.to, scope };
  const [count] = await reads.rows<{ total: number }>(drillCount(drill));
  const items = await reads.rows<DrillCustomer>(drillStatement(drill, page));
  return { items: items.map((i) => ({ ...i, id: Number(i.id), unitId: Number(i.unitId), managerId: i.managerId === null ? null : Number(i.managerId) })), total: Number(count?.total ?? 0) };
}
