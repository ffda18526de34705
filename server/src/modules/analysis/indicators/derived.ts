/**
 * Administrators' indicators (自定义指标): defined on the catalogue's indicators, never on free SQL —
 * a ratio, sum or difference of two indicators, or one indicator under fixed filters ('data revenue of
 * group customers' = revenue_data with kind = group). Validated on save: the operands exist, no cycle,
 * the filters name dimensions the operand can be cut by; the indicator's dimensions are the intersection
 * of its operands'.
 */
import { sql } from 'drizzle-orm';
import type { AnalyticsReads } from '../../../db/client.js';
import { duplicate, invalid } from '../../../platform/errors.js';
import { builtinIndicator, DIMENSIONS, type Dimension, type IndicatorDef, type IndicatorGroup, type IndicatorUnit } from './catalogue.js';

export const DERIVED_OPS = ['ratio', 'sum', 'difference', 'filter'] as const;
export type DerivedOp = (typeof DERIVED_OPS)[number];

export interface DerivedFormula {
  op: DerivedOp;
  left: string;
  /** the second operand of ratio, sum and difference */
  right?: string;
  /** a ratio's factor (100 for a percentage) */
  scale?: number;
  /** filter: the fixed keys per dimension */
  filter?: Partial<Record<Dimension, string[]>>;
}

export interface DerivedRow {
  id: number;
  code: string;
  group: IndicatorGroup;
  nameZh: string;
  nameEn: string;
  definitionZh: string;
  definitionEn: string;
  unit: IndicatorUnit;
  direction: IndicatorDef['direction'];
  formula: DerivedFormula;
  version: number;
}

export interface DerivedIndicator {
  id: number;
  version: number;
  def: IndicatorDef;
  formula: DerivedFormula;
}

export const selectDerived = sql`
  SELECT id, code, "group", name_zh AS "nameZh", name_en AS "nameEn", definition_zh AS "definitionZh",
         definition_en AS "definitionEn", unit, direction, formula, version
  FROM analysis_indicators ORDER BY code`;

const OP_WORDS: Record<Exclude<DerivedOp, 'filter'>, [string, string]> = { ratio: ['÷', '÷'], sum: ['+', '+'], difference: ['−', '−'] };

/** The formula in words, from the operands' names. */
function formulaWords(f: DerivedFormula, nameOf: (code: string, lang: 'zh-CN' | 'en-US') => string): IndicatorDef['formula'] {
  const words = (lang: 'zh-CN' | 'en-US') => {
    const left = nameOf(f.left, lang);
    if (f.op === 'filter') {
      const keys = Object.entries(f.filter ?? {}).map(([d, v]) => `${d} ∈ {${(v ?? []).join(', ')}}`).join('; ');
      return lang === 'zh-CN' ? `${left}（限定 ${keys}）` : `${left} (where ${keys})`;
    }
    const op = OP_WORDS[f.op][lang === 'zh-CN' ? 0 : 1];
    const scale = f.op === 'ratio' && f.scale && f.scale !== 1 ? ` × ${f.scale}` : '';
    return `${left} ${op} ${nameOf(f.right!, lang)}${scale}`;
  };
  return { 'zh-CN': words('zh-CN'), 'en-US': words('en-US') };
}

/**
 * The derived indicators with their catalogue entries. The dimensions and source follow the operands
 * (resolved in order of dependency; a broken definition — an operand deleted since — is left out).
 */
export function toDerived(rows: DerivedRow[]): DerivedIndicator[] {
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const done = new Map<string, DerivedIndicator>();
  const resolve = (code: string, seen: Set<string>): IndicatorDef | undefined => {
    const builtin = builtinIndicator(code);
    if (builtin) return builtin;
    if (done.has(code)) return done.get(code)!.def;
    const r = byCode.get(code);
    if (!r || seen.has(code)) return undefined;
    seen.add(code);
    const left = resolve(r.formula.left, seen);
    const right = r.formula.op === 'filter' ? left : r.formula.right ? resolve(r.formula.right, seen) : undefined;
    if (!left || !right) return undefined;
    const nameOf = (c: string, lang: 'zh-CN' | 'en-US') => (c === left.code ? left : right).name[lang];
    const def: IndicatorDef = {
      code: r.code,
      group: r.group,
      name: { 'zh-CN': r.nameZh, 'en-US': r.nameEn },
      definition: { 'zh-CN': r.definitionZh, 'en-US': r.definitionEn },
      formula: formulaWords(r.formula, nameOf),
      unit: r.unit,
      dimensions: left.dimensions.filter((d) => right.dimensions.includes(d)),
      source: left.source,
      reads: left.reads === 'raw' || right.reads === 'raw' ? 'raw' : 'rollup',
      direction: r.direction,
      derived: true,
    };
    done.set(code, { id: r.id, version: r.version, def, formula: r.formula });
    return def;
  };
  for (const r of rows) resolve(r.code, new Set());
  return rows.flatMap((r) => (done.has(r.code) ? [done.get(r.code)!] : []));
}

export async function derivedCatalogue(reads: Pick<AnalyticsReads, 'rows'>): Promise<DerivedIndicator[]> {
  const rows = await reads.rows<DerivedRow>(selectDerived);
  return toDerived(rows.map((r) => ({ ...r, id: Number(r.id), version: Number(r.version) })));
}

/**
 * Checks a definition against the catalogue as it would be with it saved: the operands exist, the graph
 * has no cycle, a filter names dimensions its operand can be cut by. Each problem names its field.
 */
export function validateFormula(code: string, formula: DerivedFormula, others: DerivedIndicator[]): void {
  if (builtinIndicator(code)) throw duplicate('body.code');
  const known = new Map<string, IndicatorDef>(others.filter((o) => o.def.code !== code).map((o) => [o.def.code, o.def]));
  const formulas = new Map(others.filter((o) => o.def.code !== code).map((o) => [o.def.code, o.formula]));
  const lookup = (c: string) => builtinIndicator(c) ?? known.get(c);
  const left = lookup(formula.left);
  if (!left) throw invalid('body.formula.left', 'analysis_indicator_unknown', { code: formula.left });
  if (formula.op === 'filter') {
    const entries = Object.entries(formula.filter ?? {}) as [string, string[]][];
    if (entries.length === 0) throw invalid('body.formula.filter', 'analysis_filter_empty');
    for (const [d, values] of entries) {
      if (!(DIMENSIONS as readonly string[]).includes(d) || !left.dimensions.includes(d as Dimension))
        throw invalid(`body.formula.filter.${d}`, 'analysis_dimension_unsupported', { code: formula.left, dimension: d });
      if (!values?.length) throw invalid(`body.formula.filter.${d}`, 'analysis_filter_empty');
    }
  } else {
    if (!formula.right) throw invalid('body.formula.right', 'analysis_indicator_unknown', { code: '' });
    const right = lookup(formula.right);
    if (!right) throw invalid('body.formula.right', 'analysis_indicator_unknown', { code: formula.right });
    if (!left.dimensions.some((d) => right.dimensions.includes(d))) throw invalid('body.formula.right', 'analysis_dimensions_disjoint');
  }
  // a cycle: the new definition reaches itself through the others
  const reaches = (from: string, seen = new Set<string>()): boolean => {
    if (from === code) return true;
    if (seen.has(from)) return false;
    seen.add(from);
    const f = formulas.get(from);
    return !!f && (reaches(f.left, seen) || (!!f.right && reaches(f.right, seen)));
  };
  const operands = [formula.left, ...(formula.op !== 'filter' && formula.right ? [formula.right] : [])];
  const cyclic = operands.find((o) => reaches(o));
  if (cyclic) throw invalid(cyclic === formula.left ? 'body.formula.left' : 'body.formula.right', 'analysis_indicator_cycle', { code: cyclic });
}
