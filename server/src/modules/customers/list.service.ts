/** 在网/保留档案库 lists and the search box: pages, totals and the customers' standings they filter by. */
import type { SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/principal.js';
import { atOrganisationRoot, customerReader } from '../../platform/auth/scope.js';
import type { Deps } from '../../platform/deps.js';
import type { Page } from '../../platform/http/list.js';
import * as org from '../org/service.js';
import { fragmentLookup } from './fragments.js';
import { mayBeCodeOrIdNumber } from './search.queries.js';
import * as q from './queries.js';
import type { CustomerFilter, CustomerSummary, ListCustomersQuery } from './schemas.js';
import { scopeOf, toSummary } from './service.js';

/**
 * The filter resolved for SQL: the units it covers (the region, which must lie in the actor's scope,
 * or the actor's subtree; none at all for a reader at the root of the organisation).
 */
export async function resolveFilter(deps: Deps, actor: Actor, filter: CustomerFilter) {
  const { db } = deps.database;
  const reader = customerReader(actor);
  const path = filter.unitId ? (await org.getUnit(db, reader, filter.unitId)).path : reader.unitPath;
  const atRoot = !filter.unitId && atOrganisationRoot(reader);
  const unitIds = atRoot ? null : (await deps.database.hotRows<{ id: number }>(q.unitIdsUnder(path))).map((u) => Number(u.id));
  // the keyed hash (an HMAC) only of a text that may be an ID number
  const idHash = filter.q && mayBeCodeOrIdNumber(filter.q) ? deps.pii.lookupHash(filter.q) : '';
  const search = { idHash, fragment: filter.q ? await fragmentLookup(deps.database, filter.q) : ('index' as const) };
  const match = q.matchCustomers(unitIds, scopeOf(actor).managerId, filter, search);
  return { match, unitIds };
}

/** Above this many units a list is not split per unit (the whole province: the merge would cost more). */
const PER_UNIT_MAX = 64;

/** The planner's row estimate of a list's matches: the total beyond the exact-count bound. */
async function estimateCustomers(deps: Deps, where: SQL): Promise<number> {
  const [plan] = await deps.database.rows<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] | string }>(q.explainCustomers(where));
  const raw = plan?.['QUERY PLAN'];
  const doc = typeof raw === 'string' ? (JSON.parse(raw) as [{ Plan: { 'Plan Rows': number } }]) : raw;
  return Math.round(doc?.[0]?.Plan['Plan Rows'] ?? 0);
}

/**
 * One page and the total:
 * - a search (a text): its best matches first (exact, the start of a name, elsewhere), exactly counted up to
 *   SEARCH_MATCH_LIMIT; beyond, that many are listed and the answer says there are more (`more`), without
 *   reading them all — the exact number comes from countCustomers when the reader asks for it;
 * - a list by level, credit grade, points or arrears, or sorted by one: from customer_standings, exact;
 * - a list by region, archive, kind, brand and industry only (no manager): the total is exact, summed from
 *   customer_counts (kept by triggers on customers); the page comes from filtering and sorting the matches
 *   when they are few against the customers of the region, else from walking the sort order, per unit;
 * - a manager's list: exact up to LIST_EXACT_COUNT_LIMIT, counted in the same statement as the page; beyond
 *   it, the planner's estimate, flagged as such, and the page is read by walking the sort order.
 */
export async function listCustomers(deps: Deps, actor: Actor, query: ListCustomersQuery): Promise<Page<CustomerSummary>> {
  const page = await pageOfRows(deps, actor, query, false);
  return { ...page, items: page.items.map(toSummary) };
}

/**
 * listCustomers with every column of each customer, personal data in clear (the caller masks what its reader may
 * not see): the TM Forum façade's lists map them without reading the page's customers a second time.
 */
export const listCustomerRecords = (deps: Deps, actor: Actor, query: ListCustomersQuery): Promise<Page<q.DetailRow>> =>
  pageOfRows(deps, actor, query, true) as Promise<Page<q.DetailRow>>;

/** A page of the list as its rows read: DetailRow with `details`, else SummaryRow. */
async function pageOfRows(deps: Deps, actor: Actor, query: ListCustomersQuery, details: boolean): Promise<Page<q.SummaryRow>> {
  const { match, unitIds } = await resolveFilter(deps, actor, query);
  const sort = query.sort ?? (match.arms ? 'name' : 'customerNo');
  const page = { ...query, sort, details };
  if (match.arms) return searchPage(deps, match, { ...page, byRank: !query.sort });
  const perUnit = unitIds && unitIds.length <= PER_UNIT_MAX ? unitIds : undefined;
  if (match.byStanding || q.STANDING_SORTS.includes(sort)) {
    // a region by points or arrears, largest first: walked per unit, the total from customer_counts
    if (perUnit && match.countable && match.onCustomersOnly === null && q.STANDING_WALKS[sort] && query.order === 'desc') {
      const [[counts], walked] = await Promise.all([
        deps.database.hotRows<{ total: number }>(q.selectCountsTotal(match)),
        counted(deps, q.selectStandingWalk(match, page, perUnit)),
      ]);
      return { items: walked.items, total: Number(counts?.total ?? 0), estimated: false };
    }
    // a region's list by standing and customer number: counted from the standings' index, then walked per
    // unit like the archive lists when the matches are dense (a city's AAA customers), else filtered first:
    // a walk reads about units × (offset + limit) × ofUnits / total customers, filtering first the total
    if (perUnit && match.byStanding && match.onCustomersOnly === null && !q.STANDING_SORTS.includes(sort)) {
      const [counts] = await deps.database.hotRows<{ total: number; ofUnits: number }>(q.selectStandingCount(match));
      const total = Number(counts?.total ?? 0);
      if (perUnit.length * (query.offset + query.limit) * Number(counts?.ofUnits ?? 0) < total * total) {
        const rows = await deps.database.hotRows<q.SummaryRow>(q.selectSummaries(match.conds, { ...page, perUnit, withStandings: true }));
        return { items: rows, total, estimated: false };
      }
    }
    return { ...(await counted(deps, q.selectStandingPage(match, page))), estimated: false };
  }
  const walk = (read: (query: SQL) => Promise<q.SummaryRow[]>) => read(q.selectSummaries(q.whereOf(match), { ...page, perUnit }));
  const bound = deps.config.LIST_EXACT_COUNT_LIMIT;
  if (match.countable) {
    const [counts] = await deps.database.hotRows<{ total: number; ofUnits: number }>(q.selectCountsTotal(match));
    const total = Number(counts?.total ?? 0);
    // a walk in the sort order reads about (offset + limit) × ofUnits / total rows, filtering first reads the
    // total: the cheaper one, filtering first only up to the bound (a city's 10,000 groups are walked)
    const reach = query.offset + query.limit;
    const filtered = total <= bound && reach * Number(counts?.ofUnits ?? 0) >= total * total ? await counted(deps, q.selectCountedPage(match, page, bound)) : null;
    // (a page counted beyond the bound: customers came in since the counts were read)
    const items = filtered && filtered.total <= bound ? filtered.items : await walk((sql) => deps.database.hotRows(sql));
    return { items, total, estimated: false };
  }
  const bounded = await counted(deps, q.selectCountedPage(match, page, bound));
  if (bounded.total <= bound) return { ...bounded, estimated: false };
  // beyond the bound the page walks the sort order: planned for its own values
  const [estimate, rows] = await Promise.all([estimateCustomers(deps, q.whereOf(match)), walk((sql) => deps.database.rows(sql))]);
  return { items: rows, total: Math.max(bounded.total, estimate), estimated: true };
}

/** A search's page: up to SEARCH_MATCH_LIMIT matches counted and listed; beyond, that many and `more`. */
async function searchPage(deps: Deps, match: q.CustomerMatch, page: q.PageOptions & { byRank: boolean }): Promise<Page<q.SummaryRow>> {
  const bound = deps.config.SEARCH_MATCH_LIMIT;
  const found = await counted(deps, q.selectSearchPage(match, page, bound));
  return found.total > bound ? { items: found.items, total: bound, estimated: true, more: true } : { ...found, estimated: false };
}

/** The rows of a counted page (one statement, a prepared read): its customers and the total. */
async function counted(deps: Deps, query: SQL) {
  const rows = await deps.database.hotRows<q.CountedRow>(query);
  // the rows keep their total and sort columns, which no reader of a page reads: this copy without them and the
  // summary's own took 1.8 µs a row (docs/performance.md, "Summaries built field by field")
  const items: q.SummaryRow[] = rows.filter((r): r is q.CountedRow & q.SummaryRow => r.id !== null);
  return { items, total: Number(rows[0]?.total ?? 0) };
}

/**
 * The exact number of customers a filter matches, however many: what a search with more matches than it
 * lists counts in the background, at the reader's request (planned for its own values, not prepared).
 */
export async function countCustomers(deps: Deps, actor: Actor, filter: CustomerFilter): Promise<number> {
  const { match } = await resolveFilter(deps, actor, filter);
  const [row] = await deps.database.rows<{ total: number }>(q.countCustomers(match));
  return Number(row?.total ?? 0);
}

/**
 * Brings the customers' standings (level, credit grade, points, arrears) up to date with the rules runs, the
 * points and the latest month's facts: the rows written, or -1 when nothing had changed (a job calls it every
 * two minutes; tests after a run).
 */
export async function refreshStandings(deps: Deps): Promise<number> {
  const [row] = await deps.database.rows<{ written: number }>(q.refreshStandings());
  const written = Number(row?.written ?? -1);
  if (written > VACUUM_AFTER_ROWS) await deps.database.rows(q.vacuumStandings());
  return written;
}

/** A refresh that wrote more rows than this (a monthly run rewrites most) vacuums the standings at once. */
const VACUUM_AFTER_ROWS = 10_000;
