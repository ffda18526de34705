/**
 * 综合统计 (DOMAIN.md §6): a pivot of catalogue indicators by up to three dimensions over a period, with 环比
 * (against the period just before) and 同比 (against the same months a year before), subtotals per value of the
 * first dimension and a grand total. Every figure comes from the indicator engine (evaluateIndicators), which
 * applies the reader's data scope: one call per period asked (the period, the previous one, the year-ago one),
 * and the same again by the first dimension alone for the subtotals, all in parallel — never one per row.
 *
 * Subtotals and totals are the engine's own (computed over the group), not sums of the rows: ARPU, shares and
 * distinct customer counts do not add up, and summing them would print wrong figures.
 */
import type { Actor } from '../../../platform/auth/principal.js';
import type { Deps } from '../../../platform/deps.js';
import type { Locale } from '../../../platform/i18n/messages.js';
import { addMonths, monthsBetween } from '../../../platform/months.js';
import type { Dimension } from '../indicators/catalogue.js';
import { evaluateIndicators, type IndicatorResult, type IndicatorRow } from '../indicators/engine.js';
import { checkIndicators, type IndicatorInfo } from './catalogue-access.js';
import type { Compare, Figures, Statistics, StatisticsInput, StatisticsRow } from './schemas.js';

type Values = Record<string, number | null>;
export interface Period {
  from: string;
  to: string;
}

/**
 * The periods compared with `from`..`to`. 环比 is the period of the same length just before; when the rows are
 * months it is each month's previous month (the period shifted by one), as a monthly report reads it. 同比 is
 * the same months a year before. `shift` is how many months a row's month key moves back.
 */
export function comparisonPeriods(from: string, to: string, compare: Compare, byMonth: boolean): { previous: (Period & { shift: number }) | null; year: (Period & { shift: number }) | null } {
  const length = monthsBetween(from, to) + 1;
  const back = byMonth ? 1 : length;
  const previous = compare === 'previous' || compare === 'both' ? { from: addMonths(from, -back), to: addMonths(to, -back), shift: back } : null;
  const year = compare === 'year' || compare === 'both' ? { from: addMonths(from, -12), to: addMonths(to, -12), shift: 12 } : null;
  return { previous, year };
}

/** Absolute change, or null when either side is missing. */
export const change = (now: number | null | undefined, before: number | null | undefined): number | null =>
  now === null || now === undefined || before === null || before === undefined ? null : round(now - before);

/** Percent change against `before` (its magnitude, so a smaller loss reads as a rise); null when `before` is 0 or missing. */
export const percentChange = (now: number | null | undefined, before: number | null | undefined): number | null =>
  now === null || now === undefined || before === null || before === undefined || before === 0 ? null : round(((now - before) / Math.abs(before)) * 100, 2);

/** Rounds away float noise (0.1 + 0.2) without losing the engine's precision. */
function round(v: number, digits = 6): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function figuresOf(codes: string[], values: Values, previous: Values | undefined, year: Values | undefined): Figures {
  const per = (f: (code: string) => number | null) => Object.fromEntries(codes.map((c) => [c, f(c)]));
  const out: Figures = { values: per((c) => values[c] ?? null) };
  if (previous) {
    out.previous = per((c) => previous[c] ?? null);
    out.previousChange = per((c) => change(values[c], previous[c]));
    out.previousPct = per((c) => percentChange(values[c], previous[c]));
  }
  if (year) {
    out.yearAgo = per((c) => year[c] ?? null);
    out.yearChange = per((c) => change(values[c], year[c]));
    out.yearPct = per((c) => percentChange(values[c], year[c]));
  }
  return out;
}

/** A row's identity across periods: its keys, with the month moved back by `shift` for the comparison period. */
function keyOf(dimensions: readonly Dimension[], keys: IndicatorRow['keys'], shift = 0): string {
  return JSON.stringify(dimensions.map((d) => (d === 'month' && keys[d] ? addMonths(keys[d].slice(0, 7), -shift) : (keys[d] ?? null))));
}

/** The comparison's values by the row key of the period asked. */
function indexOf(dimensions: readonly Dimension[], result: IndicatorResult | null): Map<string, Values> | null {
  if (!result) return null;
  return new Map(result.rows.map((r) => [keyOf(dimensions, r.keys), r.values]));
}

/** Joins the period's rows with the comparison periods' (month keys shifted back). Pure: the tests feed it by hand. */
export function joinPeriods(
  codes: string[],
  dimensions: readonly Dimension[],
  current: IndicatorResult,
  previous: { result: IndicatorResult; shift: number } | null,
  year: { result: IndicatorResult; shift: number } | null,
): { rows: StatisticsRow[]; total: Figures } {
  const prev = previous && indexOf(dimensions, previous.result);
  const ago = year && indexOf(dimensions, year.result);
  const rows = current.rows.map((r) => ({
    keys: r.keys as Record<string, string | null>,
    labels: r.labels as Record<string, string | null>,
    labelsEn: r.labelsEn as Record<string, string | null>,
    ...figuresOf(
      codes,
      r.values,
      prev ? (prev.get(keyOf(dimensions, r.keys, previous.shift)) ?? {}) : undefined,
      ago ? (ago.get(keyOf(dimensions, r.keys, year.shift)) ?? {}) : undefined,
    ),
  }));
  return { rows, total: figuresOf(codes, current.totals, previous?.result.totals, year?.result.totals) };
}

/** The pivot: the engine's figures for the period and its comparisons, joined row by row. */
export async function statistics(deps: Deps, actor: Actor, input: StatisticsInput, locale: Locale = 'zh-CN'): Promise<Statistics & { info: IndicatorInfo[] }> {
  const info = await checkIndicators(deps, input.indicators, input.dimensions, locale);
  const { indicators, dimensions, from, to, filters } = input;
  const byMonth = dimensions.includes('month');
  const { previous, year } = comparisonPeriods(from, to, input.compare, byMonth);
  const run = (p: Period | null, dims: Dimension[]) => (p ? evaluateIndicators(deps, actor, { indicators, dimensions: dims, from: p.from, to: p.to, ...(filters && { filters }) }) : Promise.resolve(null));
  const first = dimensions.length >= 2 ? dimensions.slice(0, 1) : null;
  // every period (and its subtotals) at once: the engine's statements run side by side
  const [cur, prv, ago, curSub, prvSub, agoSub] = await Promise.all([
    run({ from, to }, dimensions),
    run(previous, dimensions),
    run(year, dimensions),
    first ? run({ from, to }, first) : null,
    first ? run(previous, first) : null,
    first ? run(year, first) : null,
  ]);
  const joined = joinPeriods(indicators, dimensions, cur!, prv && previous && { result: prv, shift: previous.shift }, ago && year && { result: ago, shift: year.shift });
  const subtotals =
    first && curSub
      ? joinPeriods(indicators, first, curSub, prvSub && previous && { result: prvSub, shift: previous.shift }, agoSub && year && { result: agoSub, shift: year.shift }).rows
      : [];
  return {
    info,
    indicators: info.map((i) => ({ code: i.code, name: i.name, unit: i.unit, direction: i.direction })),
    dimensions,
    from,
    to,
    compare: input.compare,
    previousPeriod: previous && { from: previous.from, to: previous.to },
    yearPeriod: year && { from: year.from, to: year.to },
    rows: sortRows(joined.rows, dimensions),
    subtotals: sortRows(subtotals, first ?? []),
    total: joined.total,
  };
}

/** Rows in the order of their keys (months in time order, the rest by label), so that a table reads naturally. */
function sortRows(rows: StatisticsRow[], dimensions: readonly Dimension[]): StatisticsRow[] {
  const text = (r: StatisticsRow, d: Dimension) => (d === 'month' ? (r.keys[d] ?? '') : (r.labels[d] ?? r.keys[d] ?? ''));
  return rows.sort((a, b) => {
    for (const d of dimensions) {
      const c = text(a, d).localeCompare(text(b, d), 'zh-CN');
      if (c) return c;
    }
    return 0;
  });
}
