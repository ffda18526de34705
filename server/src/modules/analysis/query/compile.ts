/**
 * 综合查询 → SQL: a checked condition tree (tree.ts) as one condition on the customers `c` (and their standings
 * `st` when it names a level, grade, points or arrears). Every column and operator is written here; the request
 * gives only values, and those are bound parameters.
 *
 * Measures over a period are correlated subqueries on the customer's rows of customer_month_totals (billed,
 * paid, arrears) or monthly_facts summed per month (product revenue and usage), both read by their
 * (customer_id, month) keys: PostgreSQL evaluates them after the cheaper conditions of the same AND (it orders
 * a scan's filters by cost), so "manufacturing and no visit and 6-month data revenue > 200" reads the facts
 * only of the customers the profile conditions kept. A month without facts counts as 0: the average is over
 * all the period's months, and the min/max of a period with a missing month are taken with that 0.
 */
import { sql, type SQL } from 'drizzle-orm';
import { likeEscape } from '../../../platform/db-errors.js';
import { FIELDS, isGroup, isMeasure, MEASURES, monthsOf, type FieldCondition, type Group, type MeasureCondition, type Node, type Operator, type ProfileField, type Value } from './tree.js';

export interface CompileContext {
  /** The latest month with facts ('YYYY-MM'): `lastMonths` periods end there. */
  latest: string;
  /** Today (Asia/Shanghai, 'YYYY-MM-DD'): days since a visit, tenure and contracts count from it. */
  today: string;
}

export interface Compiled {
  /** The condition on `c` (and `st`). */
  where: SQL;
  /** It names customer_standings `st`: the reader joins it. */
  standings: boolean;
  /** The measures the tree names, each as an expression on `c` (for the result's columns), in tree order. */
  measures: { key: string; label: MeasureCondition; expr: SQL }[];
}

type Cast = 'numeric' | 'date' | 'text' | 'boolean' | 'bigint';

/** A pg array literal of checked values (enum codes, ids), quoted: bound as one parameter. */
const arrayOf = (values: (string | number)[]) => `{${values.map((v) => `"${String(v).replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

/** `expr <op> value` with the value bound and cast to the column's type. */
function compare(expr: SQL, op: Operator, value: Value | undefined, cast: Cast): SQL {
  const v = (x: unknown) => sql`${x}::${sql.raw(cast)}`; // cast: one of the literal types above, never input
  switch (op) {
    case 'eq':
      return sql`${expr} = ${v(value)}`;
    case 'ne':
      return sql`${expr} IS DISTINCT FROM ${v(value)}`;
    case 'in':
      return sql`${expr} = ANY(${arrayOf(value as (string | number)[])}::${sql.raw(cast)}[])`;
    case 'between': {
      const [lo, hi] = value as (string | number)[];
      return sql`${expr} BETWEEN ${v(lo)} AND ${v(hi)}`;
    }
    case 'gt':
      return sql`${expr} > ${v(value)}`;
    case 'ge':
      return sql`${expr} >= ${v(value)}`;
    case 'lt':
      return sql`${expr} < ${v(value)}`;
    case 'le':
      return sql`${expr} <= ${v(value)}`;
    case 'contains':
      return sql`${expr} ILIKE ${`%${likeEscape(String(value))}%`}`;
    case 'empty':
      return sql`${expr} IS NULL`;
    case 'not_empty':
      return sql`${expr} IS NOT NULL`;
  }
}

/** The SQL of each profile field: the column or expression on `c` / `st`, and its type. */
function fieldExpr(field: ProfileField, ctx: CompileContext): { expr: SQL; cast: Cast; standings?: true } {
  const today = sql`${ctx.today}::date`;
  switch (field) {
    case 'kind':
      return { expr: sql`c.kind`, cast: 'text' };
    case 'archive':
      return { expr: sql`c.archive`, cast: 'text' };
    case 'manager':
      return { expr: sql`c.manager_id`, cast: 'bigint' };
    case 'industry':
      return { expr: sql`c.industry`, cast: 'text' };
    case 'brand':
      return { expr: sql`c.brand`, cast: 'text' };
    case 'level':
      return { expr: sql`st.level`, cast: 'text', standings: true };
    case 'creditGrade':
      return { expr: sql`st.credit_grade`, cast: 'text', standings: true };
    case 'strategic':
      return { expr: sql`c.strategic`, cast: 'boolean' };
    case 'name':
      return { expr: sql`c.name`, cast: 'text' };
    case 'customerNo':
      return { expr: sql`c.customer_no`, cast: 'text' };
    case 'joinedOn':
      return { expr: sql`c.joined_on`, cast: 'date' };
    case 'tenureMonths':
      return { expr: sql`(extract(year FROM age(${today}, c.joined_on)) * 12 + extract(month FROM age(${today}, c.joined_on)))`, cast: 'numeric' };
    case 'daysSinceVisit':
      return { expr: sql`(${today} - (SELECT max(v.visited_on) FROM visits v WHERE v.customer_id = c.id))`, cast: 'numeric' };
    case 'points':
      return { expr: sql`st.points`, cast: 'numeric', standings: true };
    case 'arrears':
      return { expr: sql`(st.arrears_fen / 100.0)`, cast: 'numeric', standings: true };
    case 'unit':
    case 'competitorProduct':
    case 'contractExpiresWithinDays':
      throw new Error(`${field} is compiled on its own`);
  }
}

function fieldCondition(c: FieldCondition, ctx: CompileContext, out: { standings: boolean }): SQL {
  const today = sql`${ctx.today}::date`;
  switch (c.field) {
    case 'unit': // the customer's unit in the subtree of any of the units named
      return sql`c.unit_id IN (SELECT d.id FROM org_units a JOIN org_units d ON d.path LIKE a.path || '%' WHERE a.id = ANY(${arrayOf(c.value as number[])}::bigint[]))`;
    case 'competitorProduct': {
      const held = sql`EXISTS (SELECT 1 FROM customer_products p WHERE p.customer_id = c.id AND p.competitor IS NOT NULL)`;
      return c.value ? held : sql`NOT ${held}`;
    }
    case 'contractExpiresWithinDays':
      return sql`EXISTS (SELECT 1 FROM contracts k WHERE k.customer_id = c.id AND k.expires_on >= ${today} AND k.expires_on <= ${today} + ${c.value as number}::int)`;
    default: {
      const f = fieldExpr(c.field, ctx);
      if (f.standings) out.standings = true;
      return compare(f.expr, c.op, c.value, f.cast);
    }
  }
}

/** A measure of the period as an expression on `c`: the aggregate of its monthly values, a missing month as 0. */
export function measureExpr(m: MeasureCondition, ctx: CompileContext): SQL {
  const months = monthsOf(m.period, ctx.latest);
  const n = months.length;
  const [from, to] = [months[0]!, months[n - 1]!];
  const def = MEASURES[m.measure];
  const monthly =
    def.source === 'totals'
      ? sql`SELECT t.${sql.identifier(def.column)} / 100.0 AS v FROM customer_month_totals t WHERE t.customer_id = c.id AND t.month BETWEEN ${from}::date AND ${to}::date`
      : sql`SELECT sum(${def.column === 'minutes' ? sql`f.min_local + f.min_long_distance + f.min_roaming` : sql`f.${sql.identifier(def.column)}`}) AS v
            FROM monthly_facts f WHERE f.customer_id = c.id AND f.month BETWEEN ${from}::date AND ${to}::date GROUP BY f.month`;
  const agg = {
    sum: sql`coalesce(sum(x.v), 0)`,
    avg: sql`coalesce(sum(x.v), 0) / ${n}::int`,
    min: sql`CASE WHEN count(*) < ${n}::int THEN least(coalesce(min(x.v), 0), 0) ELSE min(x.v) END`,
    max: sql`CASE WHEN count(*) < ${n}::int THEN greatest(coalesce(max(x.v), 0), 0) ELSE max(x.v) END`,
  }[m.aggregate];
  return sql`(SELECT round((${agg})::numeric, 2) FROM (${monthly}) x)`;
}

/** A checked tree as one condition on `c` / `st`, with the measures it names. */
export function compileTree(tree: Group, ctx: CompileContext): Compiled {
  const out = { standings: false };
  const measures: Compiled['measures'] = [];
  const walk = (node: Node): SQL => {
    if (isGroup(node)) {
      const parts = node.conditions.map(walk);
      return sql`(${sql.join(parts, node.match === 'all' ? sql` AND ` : sql` OR `)})`;
    }
    if (isMeasure(node)) {
      const expr = measureExpr(node, ctx);
      measures.push({ key: `m${measures.length}`, label: node, expr });
      return compare(expr, node.op, node.value, 'numeric');
    }
    return fieldCondition(node, ctx, out);
  };
  const where = walk(tree);
  return { where, standings: out.standings, measures };
}

/** The fields a tree names, for the result's columns (the profile fields shown beside the customer). */
export const namedFields = (tree: Group): ProfileField[] => {
  const seen = new Set<ProfileField>();
  const walk = (n: Node) => (isGroup(n) ? n.conditions.forEach(walk) : isMeasure(n) ? undefined : seen.add(n.field));
  walk(tree);
  return [...seen].filter((f) => f in FIELDS);
};
