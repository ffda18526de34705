/**
 * 综合查询: the condition tree and its checking. A tree is a group (`match` all / any of its `conditions`), each a
 * condition or a group, nested at most MAX_DEPTH levels. A condition is on a profile field of the customer
 * (`field`), or on a measure over a period (`measure` with an aggregate). Every field and operator is one of the
 * lists below (the compiler maps them to SQL written here, never to text from the request), and every mistake is
 * reported with the path of the bad condition in the tree (`conditions[1].conditions[0].value`).
 */
import { AppError, type FieldError } from '../../../platform/errors.js';
import { messageRef, type MessageCode, type MessageRef } from '../../../platform/i18n/messages.js';
import { ARCHIVES, LEVELS } from '../../customers/service.js';

export const OPERATORS = ['eq', 'ne', 'in', 'between', 'gt', 'ge', 'lt', 'le', 'contains', 'empty', 'not_empty'] as const;
export type Operator = (typeof OPERATORS)[number];

export const KINDS = ['group', 'individual'] as const;
export const BRANDS = ['gotone', 'mzone', 'easyown'] as const;
export const INDUSTRIES = 'ABCDEFGHIJKLMNOPQRST'.split('');
export const CREDIT_GRADES = ['AAA', 'AA', 'A', 'B', 'C'] as const;

type FieldType = 'enum' | 'id' | 'unit' | 'text' | 'number' | 'date' | 'boolean' | 'within';
const NUMBER_OPS: Operator[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'between'];
const OPS: Record<FieldType, Operator[]> = {
  enum: ['eq', 'ne', 'in'],
  id: ['eq', 'ne', 'in'],
  unit: ['in'],
  text: ['eq', 'contains'],
  number: NUMBER_OPS,
  date: ['eq', 'gt', 'ge', 'lt', 'le', 'between'],
  boolean: ['eq'],
  within: ['le'],
};

export interface FieldDef {
  type: FieldType;
  values?: readonly string[];
  /** The field may be empty (no manager, no industry, never visited…): `empty` / `not_empty` apply. */
  nullable?: boolean;
}

/** The profile fields a query may name (the compiler holds the SQL of each). */
export const FIELDS = {
  kind: { type: 'enum', values: KINDS },
  archive: { type: 'enum', values: ARCHIVES },
  unit: { type: 'unit' }, // the customer's unit in the subtree of one of the units named
  manager: { type: 'id', nullable: true },
  industry: { type: 'enum', values: INDUSTRIES, nullable: true },
  brand: { type: 'enum', values: BRANDS, nullable: true },
  level: { type: 'enum', values: LEVELS, nullable: true }, // customer_standings: the latest completed rating
  creditGrade: { type: 'enum', values: CREDIT_GRADES, nullable: true },
  strategic: { type: 'boolean' },
  name: { type: 'text' },
  customerNo: { type: 'text' },
  joinedOn: { type: 'date', nullable: true },
  tenureMonths: { type: 'number', nullable: true }, // whole months since joined_on
  competitorProduct: { type: 'boolean' }, // holds a competitor's product (customer_products.competitor)
  contractExpiresWithinDays: { type: 'within' }, // a contract expiring between today and today + N days
  daysSinceVisit: { type: 'number', nullable: true }, // empty: never visited
  points: { type: 'number', nullable: true }, // points balance
  arrears: { type: 'number', nullable: true }, // yuan, at the end of the latest month with facts
} as const satisfies Record<string, FieldDef>;
export type ProfileField = keyof typeof FIELDS;

/** Monthly measures: of customer_month_totals (money in fen there) or summed over the customer's subscriptions in monthly_facts. */
export const MEASURES = {
  billed: { source: 'totals', column: 'billed_fen' },
  paid: { source: 'totals', column: 'paid_fen' },
  arrears: { source: 'totals', column: 'arrears_fen' },
  rev_voice: { source: 'facts', column: 'rev_voice' },
  rev_sms: { source: 'facts', column: 'rev_sms' },
  rev_data: { source: 'facts', column: 'rev_data' },
  rev_vas: { source: 'facts', column: 'rev_vas' },
  rev_roaming: { source: 'facts', column: 'rev_roaming' },
  minutes: { source: 'facts', column: 'minutes' }, // local + long distance + roaming
  min_roaming: { source: 'facts', column: 'min_roaming' },
  sms_count: { source: 'facts', column: 'sms_count' },
  data_mb: { source: 'facts', column: 'data_mb' },
} as const;
export type Measure = keyof typeof MEASURES;
export const AGGREGATES = ['avg', 'sum', 'min', 'max'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

export const MAX_DEPTH = 3;
export const MAX_CONDITIONS = 20;
export const MAX_MONTHS = 24;

export type Value = string | number | boolean | (string | number)[] | null;
export interface FieldCondition {
  field: ProfileField;
  op: Operator;
  value?: Value;
}
export type Period = { lastMonths: number } | { from: string; to: string };
export interface MeasureCondition {
  measure: Measure;
  aggregate: Aggregate;
  period: Period;
  op: Operator;
  value?: Value;
}
export interface Group {
  match: 'all' | 'any';
  conditions: Node[];
}
export type Node = Group | FieldCondition | MeasureCondition;

export const isGroup = (n: Node): n is Group => 'conditions' in n;
export const isMeasure = (n: Node): n is MeasureCondition => 'measure' in n;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const monthIndex = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;

/** The value an operator takes on a field type, as catalogue words (the error is worded in the reader's language). */
function expected(type: FieldType, op: Operator, values?: readonly string[]): MessageRef {
  const one = messageRef(`query_expect_${type}` as MessageCode, { values: values?.join(' / ') ?? '' });
  if (op === 'in') return messageRef('query_expect_list', { one });
  if (op === 'between') return messageRef('query_expect_between', { one });
  return one;
}

function validScalar(type: FieldType, v: unknown, values?: readonly string[]): boolean {
  switch (type) {
    case 'enum':
      return typeof v === 'string' && (values ?? []).includes(v);
    case 'id':
    case 'unit':
      return Number.isSafeInteger(v) && (v as number) > 0;
    case 'text':
      return typeof v === 'string' && v.trim().length > 0 && v.length <= 100;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < 1e12;
    case 'date':
      return typeof v === 'string' && DAY.test(v) && !Number.isNaN(Date.parse(v));
    case 'boolean':
      return typeof v === 'boolean';
    case 'within':
      return Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 3650;
  }
}

function validValue(type: FieldType, op: Operator, v: unknown, values?: readonly string[]): boolean {
  if (op === 'empty' || op === 'not_empty') return v === undefined || v === null;
  if (op === 'in') return Array.isArray(v) && v.length >= 1 && v.length <= 100 && v.every((x) => validScalar(type, x, values));
  if (op === 'between') return Array.isArray(v) && v.length === 2 && v.every((x) => validScalar(type, x, values)) && (v[0] as number | string) <= (v[1] as number | string);
  return validScalar(type, v, values);
}

const opsOf = (def: FieldDef): Operator[] => [...OPS[def.type], ...(def.nullable ? (['empty', 'not_empty'] as Operator[]) : [])];
/** The operators of a field, for the editor and the error. */
export const operatorsOf = (field: ProfileField): Operator[] => opsOf(FIELDS[field]);
export const MEASURE_OPS: Operator[] = NUMBER_OPS;

/**
 * Checks a tree from the request: the tree itself when valid, else a 400 naming every bad condition by its path
 * under `at` (`body.tree.conditions[1].conditions[0].value`), in the reader's language.
 */
export function checkTree(input: unknown, at = 'body.tree'): Group {
  const errors: FieldError[] = [];
  let count = 0;
  const fail = (field: string, code: MessageCode, params: Record<string, unknown> = {}) => errors.push({ field, code, message: '', params });

  const checkNode = (node: unknown, path: string, depth: number, top: boolean): void => {
    if (!isObject(node)) return void fail(path, 'query_node_invalid');
    if ('conditions' in node || top) {
      if (depth > MAX_DEPTH) return void fail(path, 'query_too_deep', { max: MAX_DEPTH });
      if (node.match !== 'all' && node.match !== 'any') fail(`${path}.match`, 'query_match_invalid');
      const list = node.conditions;
      if (!Array.isArray(list) || list.length < 1 || list.length > MAX_CONDITIONS) return void fail(`${path}.conditions`, 'query_group_empty', { max: MAX_CONDITIONS });
      const extra = Object.keys(node).filter((k) => k !== 'match' && k !== 'conditions');
      if (extra.length) fail(`${path}.${extra[0]}`, 'query_node_invalid');
      list.forEach((child, i) => checkNode(child, `${path}.conditions[${i}]`, depth + 1, false));
      return;
    }
    if (++count > MAX_CONDITIONS * 3) return void fail(path, 'query_group_empty', { max: MAX_CONDITIONS });
    if ('measure' in node) return checkMeasure(node, path);
    const field = node.field;
    if (typeof field !== 'string' || !Object.hasOwn(FIELDS, field)) return void fail(`${path}.field`, 'query_field_unknown', { field: String(field ?? '') });
    const extra = Object.keys(node).filter((k) => !['field', 'op', 'value'].includes(k));
    if (extra.length) fail(`${path}.${extra[0]}`, 'query_node_invalid');
    const def: FieldDef = FIELDS[field as ProfileField];
    checkOpValue(node, path, def.type, opsOf(def), def.values);
  };

  const checkOpValue = (node: Record<string, unknown>, path: string, type: FieldType, ops: Operator[], values?: readonly string[]) => {
    const op = node.op as Operator;
    if (!ops.includes(op)) return void fail(`${path}.op`, 'query_operator_invalid', { allowed: ops.join(', ') });
    if (!validValue(type, op, node.value, values)) {
      fail(`${path}.value`, 'query_value_invalid', { expected: op === 'empty' || op === 'not_empty' ? messageRef('query_expect_nothing') : expected(type, op, values) });
    }
  };

  const checkMeasure = (node: Record<string, unknown>, path: string) => {
    const extra = Object.keys(node).filter((k) => !['measure', 'aggregate', 'period', 'op', 'value'].includes(k));
    if (extra.length) fail(`${path}.${extra[0]}`, 'query_node_invalid');
    if (typeof node.measure !== 'string' || !Object.hasOwn(MEASURES, node.measure)) fail(`${path}.measure`, 'query_field_unknown', { field: String(node.measure ?? '') });
    if (!AGGREGATES.includes(node.aggregate as Aggregate)) fail(`${path}.aggregate`, 'query_aggregate_invalid');
    if (!validPeriod(node.period)) fail(`${path}.period`, 'query_period_invalid');
    checkOpValue(node, path, 'number', MEASURE_OPS);
  };

  checkNode(input, at, 1, true);
  if (errors.length) throw new AppError(400, 'query_tree_invalid', {}, errors);
  return input as Group;
}

function validPeriod(p: unknown): boolean {
  if (!isObject(p)) return false;
  if ('lastMonths' in p) return Object.keys(p).length === 1 && Number.isSafeInteger(p.lastMonths) && (p.lastMonths as number) >= 1 && (p.lastMonths as number) <= MAX_MONTHS;
  if (typeof p.from !== 'string' || typeof p.to !== 'string' || !MONTH.test(p.from) || !MONTH.test(p.to) || Object.keys(p).length !== 2) return false;
  const n = monthIndex(p.to) - monthIndex(p.from) + 1;
  return n >= 1 && n <= MAX_MONTHS;
}

/** The months of a period as first days ('YYYY-MM-01'), the last ones ending at `latest` ('YYYY-MM', the latest month with facts). */
export function monthsOf(period: Period, latest: string): string[] {
  const [from, to] = 'lastMonths' in period ? [monthIndex(latest) - period.lastMonths + 1, monthIndex(latest)] : [monthIndex(period.from), monthIndex(period.to)];
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(`${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`);
  return out;
}

