/**
 * The statistics of 流失预警, in plain TypeScript (no library: a logistic regression of ten features is a few
 * dozen lines and stays explainable): standardisation, a logistic regression fitted by Newton's method (IRLS)
 * with a small ridge penalty, and the validation figures (AUC, precision in the top decile, lift).
 */

export interface Standardiser {
  means: number[];
  sds: number[];
}

/** Means and standard deviations of each column; a constant column gets sd 1 (its coefficient then stays 0). */
export function standardiser(rows: number[][], width: number): Standardiser {
  const n = rows.length;
  const means = Array<number>(width).fill(0);
  const sds = Array<number>(width).fill(0);
  for (const r of rows) for (let j = 0; j < width; j++) means[j]! += r[j]! / n;
  for (const r of rows) for (let j = 0; j < width; j++) sds[j]! += (r[j]! - means[j]!) ** 2 / n;
  return { means, sds: sds.map((v) => (v > 1e-12 ? Math.sqrt(v) : 1)) };
}

export const standardise = (s: Standardiser, r: number[]) => r.map((x, j) => (x - s.means[j]!) / s.sds[j]!);

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export interface Fit {
  intercept: number;
  coefficients: number[];
  iterations: number;
}

/**
 * Logistic regression on standardised rows by IRLS: each step solves (XᵀWX + λI)Δ = Xᵀ(y − p) − λβ. The ridge λ
 * (not on the intercept) keeps a separable or rare-event sample from running off to infinity.
 */
export function fitLogistic(x: number[][], y: boolean[], lambda = 1, maxIter = 25): Fit {
  const k = (x[0]?.length ?? 0) + 1;
  const beta = Array<number>(k).fill(0);
  // start at the base rate: fewer steps, and no overflow on the first one
  const rate = Math.min(Math.max(y.filter(Boolean).length / Math.max(1, y.length), 1e-6), 1 - 1e-6);
  beta[0] = Math.log(rate / (1 - rate));
  let it = 0;
  for (; it < maxIter; it++) {
    const h = Array.from({ length: k }, () => Array<number>(k).fill(0));
    const g = Array<number>(k).fill(0);
    for (let i = 0; i < x.length; i++) {
      const row = x[i]!;
      let z = beta[0]!;
      for (let j = 1; j < k; j++) z += beta[j]! * row[j - 1]!;
      const p = sigmoid(z);
      const w = Math.max(p * (1 - p), 1e-9);
      const r = (y[i] ? 1 : 0) - p;
      for (let a = 0; a < k; a++) {
        const xa = a === 0 ? 1 : row[a - 1]!;
        g[a]! += xa * r;
        for (let b = 0; b <= a; b++) h[a]![b]! += xa * (b === 0 ? 1 : row[b - 1]!) * w;
      }
    }
    for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) h[b]![a] = h[a]![b]!;
    for (let a = 1; a < k; a++) {
      h[a]![a]! += lambda;
      g[a]! -= lambda * beta[a]!;
    }
    const step = solve(h, g);
    let max = 0;
    for (let a = 0; a < k; a++) {
      beta[a]! += step[a]!;
      max = Math.max(max, Math.abs(step[a]!));
    }
    if (max < 1e-7) break;
  }
  return { intercept: beta[0]!, coefficients: beta.slice(1), iterations: it + 1 };
}

/** Solves A·x = b by Gaussian elimination with partial pivoting (A is small and symmetric positive definite). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const d = m[c]![c]! || 1e-12;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / d;
      if (f === 0) continue;
      for (let j = c; j <= n; j++) m[r]![j]! -= f * m[c]![j]!;
    }
  }
  return m.map((row, i) => row[n]! / (row[i]! || 1e-12));
}

export const predict = (fit: Pick<Fit, 'intercept' | 'coefficients'>, z: number[]) => sigmoid(z.reduce((s, v, j) => s + v * fit.coefficients[j]!, fit.intercept));

/** AUC by ranks (Mann–Whitney), ties sharing their average rank; 0.5 when one class is missing. */
export function auc(scores: number[], labels: boolean[]): number {
  const idx = scores.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  let rankSumPos = 0;
  let pos = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1]![0] === idx[i]![0]) j++;
    const rank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) if (labels[idx[t]![1]]) {
      rankSumPos += rank;
      pos++;
    }
    i = j + 1;
  }
  const neg = scores.length - pos;
  if (pos === 0 || neg === 0) return 0.5;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

export interface Validation {
  auc: number;
  topDecilePrecision: number;
  lift: number;
  baseRate: number;
  rows: number;
  positives: number;
  /** The scores at which the top 5 % and the top 20 % begin. */
  p95: number;
  p80: number;
}

export function validate(scores: number[], labels: boolean[]): Validation {
  const n = scores.length;
  const positives = labels.filter(Boolean).length;
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0]);
  const top = Math.max(1, Math.ceil(n / 10));
  let hits = 0;
  for (let i = 0; i < top && i < n; i++) if (labels[order[i]![1]]) hits++;
  const baseRate = n ? positives / n : 0;
  const at = (q: number) => (n ? order[Math.min(n - 1, Math.floor(n * q))]![0] : 1);
  const topDecilePrecision = n ? hits / Math.min(top, n) : 0;
  return { auc: auc(scores, labels), topDecilePrecision, lift: baseRate > 0 ? topDecilePrecision / baseRate : 0, baseRate, rows: n, positives, p95: at(0.05), p80: at(0.2) };
}
