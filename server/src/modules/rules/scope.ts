/**
 * Data scope of the rules' customer lists (candidates, discount inbox) and Asia/Shanghai calendar
 * helpers of points, benefits and discounts. Mirrors the customer lists: customers of units in the
 * actor's subtree and, for a reader without customers.read_unit (account managers), their portfolio.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/principal.js';
import { likeEscape } from '../../platform/db-errors.js';
import { monthAt } from './months.js';

/** A condition on `c` (customers) that keeps the customers the actor may see. */
export function visibleCustomerSql(actor: Actor, alias = sql.raw('c')): SQL {
  const inUnits = sql`${alias}.unit_id IN (SELECT id FROM org_units WHERE path LIKE ${`${likeEscape(actor.unitPath)}%`})`;
  return actor.permissions.has('customers.read_unit') ? inUnits : sql`${inUnits} AND ${alias}.manager_id = ${actor.userId ?? -1}`;
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** Today in 广东 as YYYY-MM-DD. */
export const todayAt = (now = new Date()) => new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
/** The calendar year in 广东 (yearly allowances count from 1 January, Asia/Shanghai). */
export const yearAt = (now = new Date()) => Number(monthAt(now).slice(0, 4));
/** The first day of the current month in 广东, YYYY-MM-01: the month whose rules are in effect now. */
export const currentMonthDate = (now = new Date()) => `${monthAt(now)}-01`;
