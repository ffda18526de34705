/**
 * Requests per route read from this process's Prometheus histogram `kam_http_request_duration_seconds`: counts,
 * the share of 5xx answers and percentiles estimated from the buckets (as Prometheus's histogram_quantile does:
 * linear within the bucket). Totals are since the process started; `windowed` gives the change over the last
 * minutes from samples the alerts job keeps.
 */
import type { Registry } from 'prom-client';

export const HTTP_HISTOGRAM = 'kam_http_request_duration_seconds';

/** One route's totals: requests, 5xx answers, and the cumulative bucket counts by upper bound (seconds). */
export interface RouteTotals {
  method: string;
  route: string;
  count: number;
  errors: number;
  sum: number;
  buckets: Map<number, number>;
}

export interface RouteStats {
  method: string;
  route: string;
  count: number;
  errorRate: number;
  /** Seconds; null without requests. */
  p50: number | null;
  p95: number | null;
  meanSeconds: number | null;
}

type Labels = Record<string, string | number | undefined>;
const keyOf = (l: Labels) => `${String(l.method)} ${String(l.route)}`;

/** The totals of every route, summed over the statuses. */
export async function routeTotals(registry: Registry): Promise<Map<string, RouteTotals>> {
  const metric = registry.getSingleMetric(HTTP_HISTOGRAM);
  const totals = new Map<string, RouteTotals>();
  if (!metric) return totals;
  const { values } = await metric.get();
  for (const v of values) {
    const labels = v.labels as Labels;
    const key = keyOf(labels);
    let t = totals.get(key);
    if (!t) totals.set(key, (t = { method: String(labels.method), route: String(labels.route), count: 0, errors: 0, sum: 0, buckets: new Map() }));
    const name = (v as { metricName?: string }).metricName ?? '';
    if (name.endsWith('_bucket')) {
      const le = labels.le === '+Inf' ? Infinity : Number(labels.le);
      t.buckets.set(le, (t.buckets.get(le) ?? 0) + v.value);
    } else if (name.endsWith('_count')) {
      t.count += v.value;
      if (Number(labels.status) >= 500) t.errors += v.value;
    } else if (name.endsWith('_sum')) t.sum += v.value;
  }
  return totals;
}

/** The q-quantile of cumulative buckets (upper bound → count), linear within the bucket; the highest finite bound caps it. */
export function quantile(q: number, buckets: Map<number, number>): number | null {
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  const total = buckets.get(Infinity) ?? (bounds.length ? buckets.get(bounds[bounds.length - 1]!)! : 0);
  if (!total) return null;
  const rank = q * total;
  let prevBound = 0;
  let prevCount = 0;
  for (const bound of bounds) {
    const count = buckets.get(bound)!;
    if (count >= rank) {
      if (bound === Infinity) return prevBound;
      return prevBound + (bound - prevBound) * ((rank - prevCount) / Math.max(count - prevCount, 1e-9));
    }
    prevBound = bound;
    prevCount = count;
  }
  return prevBound;
}

export const statsOf = (t: RouteTotals): RouteStats => ({
  method: t.method,
  route: t.route,
  count: t.count,
  errorRate: t.count ? t.errors / t.count : 0,
  p50: quantile(0.5, t.buckets),
  p95: quantile(0.95, t.buckets),
  meanSeconds: t.count ? t.sum / t.count : null,
});

/** What happened between two readings of the totals (a route new since `before` counts from zero). */
export function difference(now: Map<string, RouteTotals>, before: Map<string, RouteTotals>): RouteTotals[] {
  return [...now.entries()].map(([key, t]) => {
    const b = before.get(key);
    if (!b) return t;
    const buckets = new Map([...t.buckets].map(([le, c]) => [le, c - (b.buckets.get(le) ?? 0)]));
    return { ...t, count: t.count - b.count, errors: t.errors - b.errors, sum: t.sum - b.sum, buckets };
  });
}

interface Sample {
  at: number;
  totals: Map<string, RouteTotals>;
}
const samples = new WeakMap<Registry, Sample[]>();

/**
 * The requests of the last `windowMs` per route: the change since the oldest reading kept within the window (this
 * process's readings, one a minute by the alerts job), or since the start when there is none yet.
 */
export async function windowed(registry: Registry, windowMs: number, now = Date.now()): Promise<RouteTotals[]> {
  const totals = await routeTotals(registry);
  const kept = (samples.get(registry) ?? []).filter((s) => now - s.at <= windowMs);
  samples.set(registry, [...kept, { at: now, totals }]);
  return kept.length ? difference(totals, kept[0]!.totals) : [...totals.values()];
}
