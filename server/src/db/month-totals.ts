/**
 * 客户月度汇总 (customer_month_totals, migration 0014): the facts summed per customer and month, which the
 * rules run reads. Statements on monthly_facts keep it up to date by trigger; bulk loads that write a
 * month's partition directly, or many rows at once, defer the trigger and rebuild their whole months.
 */
import { sql } from 'drizzle-orm';

/** Skips the statement triggers' upkeep for the rest of the transaction (the caller refreshes its months). */
export const deferMonthTotals = sql`SELECT set_config('kam.month_totals', 'deferred', true)`;

/** Rebuilds one month (`YYYY-MM-DD`, any day of it) of the totals from its facts. */
export const refreshMonthTotals = (month: string) => sql`SELECT refresh_month_totals(${month}::date)`;
