import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { updateAtVersion } from '../../db/versioned.js';
import {
  customerChanges,
  customerProducts,
  customers,
  keyPersons,
  lifecycleEvents,
  savedFilters,
  subscriptions,
  visits,
} from '../../db/schema/index.js';
import { inSubtree, unitIdsInSubtree } from '../../platform/auth/scope.js';
import { LEVELS, type CustomerFilter, type CustomerView, type HistoryEntry } from './schemas.js';
import { searchArms, type FragmentLookup, type SearchArm } from './search.queries.js';

/** 数据范围: customers of units in the actor's subtree; for a portfolio-only reader, their own customers. */
export interface CustomerScope {
  unitPath: string;
  /** Set when the reader sees only their own portfolio (account managers). */
  managerId: number | null;
}

/** The scope as a condition on `c`; `unitPath` is the path of c's unit when the statement joins it already (cheaper to plan). */
export function scopeCondition(scope: CustomerScope, unitPath?: SQL): SQL {
  const inUnits = unitPath ? inSubtree(unitPath, scope.unitPath) : sql`c.unit_id IN (${unitIdsInSubtree(scope.unitPath)})`;
  return scope.managerId === null ? inUnits : sql`${inUnits} AND c.manager_id = ${scope.managerId}`;
}

export const unitIdsUnder = unitIdsInSubtree;

/** Conditions joined by AND (true without any). */
const allOf = (conds: SQL[]): SQL => (conds.length ? sql.join(conds, sql` AND `) : sql`true`);

/** What a list matches: conditions on the customers `c` (and their standings `st`), and the arms of the search box when there is a text. */
export interface CustomerMatch {
  /** Conditions on `c`, and on `st` (customer_standings, joined by the reader) when the filter names a standing. */
  conds: SQL;
  /** The part of `conds` that names the units (true when it names none), in the form for the count tables (`unitsIn`). */
  units: SQL;
  /** `conds` on customer_counts `c` (when `countable`), units in the form for the count tables. */
  onCounts: SQL;
  arms: SearchArm[] | null;
  /** The conditions name only columns of customer_counts (no text, no manager, no standing): the total can be summed from it. */
  countable: boolean;
  /** The filter names a level, credit grade, points or arrears (its conditions need `st`). */
  byStanding: boolean;
  /** The match without a text as conditions on `st` alone (region, archive and kind are copied there) … */
  onStandings: SQL;
  /** … and the conditions only the customers hold (manager, brand, industry), null without any. */
  onCustomersOnly: SQL | null;
  /** The match without a text as conditions on customer_standing_counts `sc`; null when it names a points threshold. */
  onStandingCounts: SQL | null;
}

/** How a search text is looked up: the keyed hash of the text as an ID number, and how its name fragment is found. */
export interface SearchLookup {
  idHash: string;
  fragment: FragmentLookup;
}

/** Where a list's standing filters are checked: each customer's standing, or the counts of standings. */
const STANDING_TABLES = {
  // the exact predicate of the partial index of customers in arrears (migration 0028)
  st: { inArrears: sql`st.arrears_fen > 0`, notInArrears: sql`coalesce(st.arrears_fen, 0) <= 0` },
  sc: { inArrears: sql`sc.in_arrears`, notInArrears: sql`NOT sc.in_arrears` },
} as const;

/**
 * The standing filters as conditions on `st` (customer_standings) or `sc` (customer_standing_counts, migration
 * 0027, which counts by level, grade and whether in arrears: null when the filter names a points threshold,
 * which it cannot count). Levels and grades are comma-separated lists (validated by the schema).
 */
function standingConds(f: CustomerFilter, t: 'st'): SQL[];
function standingConds(f: CustomerFilter, t: 'sc'): SQL[] | null;
function standingConds(f: CustomerFilter, t: keyof typeof STANDING_TABLES): SQL[] | null {
  const column = (name: string) => sql`${sql.identifier(t)}.${sql.identifier(name)}`;
  const conds: SQL[] = [];
  const list = (csv: string) => `{${csv}}`;
  if (f.level) conds.push(sql`${column('level')} = ANY(${list(f.level)}::text[])`);
  if (f.creditGrade) conds.push(sql`${column('credit_grade')} = ANY(${list(f.creditGrade)}::text[])`);
  // every rated customer has a level: naming them all lets a grade alone use the index's range per level
  // (unit, archive, level, grade) instead of reading the region's whole range (a city's AAA: 48 → 9 ms)
  if (f.creditGrade && !f.level) conds.push(sql`${column('level')} = ANY(${list(LEVELS.join(','))}::text[])`);
  if (f.pointsMin !== undefined) {
    if (t === 'sc') return null;
    conds.push(sql`st.points >= ${f.pointsMin}`);
  }
  if (f.arrears === 'yes') conds.push(STANDING_TABLES[t].inArrears);
  if (f.arrears === 'no') conds.push(STANDING_TABLES[t].notInArrears);
  return conds;
}

/**
 * The match of a list. `unitIds` are the units the list covers (the reader's scope, or the chosen
 * region inside it), resolved beforehand so that the planner sees the ids and their statistics; null
 * covers every unit.
 */
export function matchCustomers(unitIds: number[] | null, managerId: number | null, f: CustomerFilter, search: SearchLookup): CustomerMatch {
  const unitList = unitIds ? `{${unitIds.join(',')}}` : null;
  // The count tables hold thousands of rows of hundreds of units: there the units are a hashed set. A generic
  // plan (the hot reads') does not hash `= ANY($1)`, so each row searched the list: a province head's total
  // took 5.6 ms, 1.2 ms as a set. On the customers' indexes the array keeps its index conditions.
  const unitsIn = (t: SQL, counting: boolean) =>
    counting ? sql`${t}.unit_id IN (SELECT unnest(${unitList}::bigint[]))` : sql`${t}.unit_id = ANY(${unitList}::bigint[])`;
  // region, archive and kind: columns of the customers that their standings carry too
  const shared = (t: SQL, counting = false) => {
    const conds: SQL[] = [];
    if (unitList) conds.push(unitsIn(t, counting));
    if (f.archive) conds.push(sql`${t}.archive = ${f.archive}`);
    if (f.kind) conds.push(sql`${t}.kind = ${f.kind}`);
    return conds;
  };
  const onCustomers: SQL[] = [];
  if (managerId !== null) onCustomers.push(sql`c.manager_id = ${managerId}`);
  if (f.industry) onCustomers.push(sql`c.industry = ${f.industry}`);
  if (f.brand) onCustomers.push(sql`c.brand = ${f.brand}`);
  if (f.managerId) onCustomers.push(sql`c.manager_id = ${f.managerId}`);
  const standing = standingConds(f, 'st');
  const counted = standingConds(f, 'sc');
  return {
    conds: allOf([...shared(sql`c`), ...onCustomers, ...standing]),
    units: unitList ? unitsIn(sql`c`, true) : sql`true`,
    onCounts: allOf([...shared(sql`c`, true), ...onCustomers]),
    arms: f.q ? searchArms(f.q, search.idHash, search.fragment) : null,
    countable: !f.q && managerId === null && !f.managerId && standing.length === 0,
    byStanding: standing.length > 0,
    onStandings: allOf([...shared(sql`st`), ...standing]),
    onCustomersOnly: onCustomers.length ? allOf(onCustomers) : null,
    onStandingCounts: counted && allOf([...shared(sql`sc`, true), ...counted]),
  };
}

/** The customers `c` with their standings `st` when the conditions need them. */
const customersFor = (m: CustomerMatch): SQL =>
  m.byStanding ? sql`customers c JOIN customer_standings st ON st.customer_id = c.id` : sql`customers c`;

/**
 * The match as one condition on `c` (the reader joins `st` when the match is by standing), for walks in
 * the sort order, counts and exports: the union of the arms' ids, looked up (checking the arms on each
 * row walked instead would find a common fragment's first rows at once, but read the whole table for
 * matches clustered at the far end of the order).
 */
export function whereOf(m: CustomerMatch): SQL {
  if (!m.arms) return m.conds;
  const ids = m.arms.map((arm) => sql`SELECT c.id FROM ${arm.from} WHERE ${arm.where}`);
  return sql`${m.conds} AND c.id IN (${sql.join(ids, sql` UNION `)})`;
}

/** The customers a match holds, as a source to select from (`FROM …`), `c` the customers. */
export const matchingCustomers = (m: CustomerMatch): SQL => sql`${customersFor(m)} WHERE ${whereOf(m)}`;

/** The exact number of customers a match holds (a count in the background, for a search with more matches than it lists). */
export const countCustomers = (m: CustomerMatch): SQL => sql`SELECT count(*)::int AS total FROM ${customersFor(m)} WHERE ${whereOf(m)}`;

/** The sort keys, named as the summary columns that show them and sort alike (dates as YYYY-MM-DD; levels by rank, grades by score). */
const SORT_COLUMNS = {
  name: sql`c.name`,
  customerNo: sql`c.customer_no`,
  joinedOn: sql`c.joined_on`,
  updatedAt: sql`c.updated_at`,
  level: sql`st.level_rank`,
  creditGrade: sql`st.credit_score`,
  points: sql`st.points`,
  arrears: sql`st.arrears_fen`,
} as const;
export type SortKey = keyof typeof SORT_COLUMNS;

/** The sort keys a customer's standing holds: a list by standing, or sorted by one, is read from customer_standings. */
export const STANDING_SORTS: readonly SortKey[] = ['level', 'creditGrade', 'points', 'arrears'];
/** The sort keys as columns of customer_standings `st`, where it has them. */
const STANDING_SORT_COLUMNS: Partial<Record<SortKey, SQL>> = { ...SORT_COLUMNS, customerNo: sql`st.customer_no`, name: undefined, joinedOn: undefined, updatedAt: undefined };

export interface SummaryRow {
  id: number;
  customerNo: string;
  kind: 'group' | 'individual';
  name: string;
  archive: 'in_network' | 'retained';
  unitId: number;
  unitName: string;
  unitNameEn: string | null;
  managerId: number | null;
  managerName: string | null;
  industry: string | null;
  brand: string | null;
  contactPhone: string | null;
  creditCode: string | null;
  idNumberTail: string | null;
  joinedOn: string | null;
  level: string | null;
  creditGrade: string | null;
  points: number | null;
  arrears: string | null;
  version: number;
  updatedAt: Date;
}

const SUMMARY_COLUMNS = sql`
  c.id, c.customer_no AS "customerNo", c.kind, c.name, c.archive, c.unit_id AS "unitId", u.name AS "unitName", u.name_en AS "unitNameEn",
  c.manager_id AS "managerId", m.display_name AS "managerName", c.industry, c.brand,
  c.contact_phone AS "contactPhone", c.credit_code AS "creditCode", c.id_number_tail AS "idNumberTail",
  to_char(c.joined_on, 'YYYY-MM-DD') AS "joinedOn", st.level, st.credit_grade AS "creditGrade", st.points,
  to_char(st.arrears_fen / 100.0, 'FM999999999990.00') AS arrears, c.version, c.updated_at AS "updatedAt"`;

/** The tables a summary reads besides the customers `c`: unit, manager, standing. */
const SUMMARY_JOINS = sql`
  JOIN org_units u ON u.id = c.unit_id
  LEFT JOIN users m ON m.id = c.manager_id
  LEFT JOIN customer_standings st ON st.customer_id = c.id`;

export interface DetailRow extends SummaryRow {
  address: string | null;
  legalRepresentative: string | null;
  employees: number | null;
  registeredCapital: string | null;
  revenueBand: string | null;
  itNeeds: string | null;
  gender: string | null;
  birthday: string | null;
  idType: string | null;
  idNumberEnc: Buffer | Uint8Array | null;
  idNumberHash: string | null;
  employer: string | null;
  jobTitle: string | null;
  preferences: string | null;
  contactChannel: string | null;
  realNameVerified: boolean;
  archivedReason: string | null;
  archivedOn: string | null;
  mergedInto: number | null;
  unitPath: string;
}

const DETAIL_COLUMNS = sql`${SUMMARY_COLUMNS}, c.address, c.legal_representative AS "legalRepresentative", c.employees,
  c.registered_capital::text AS "registeredCapital", c.revenue_band AS "revenueBand", c.it_needs AS "itNeeds",
  c.gender, to_char(c.birthday, 'YYYY-MM-DD') AS birthday, c.id_type AS "idType", c.id_number_enc AS "idNumberEnc", c.id_number_hash AS "idNumberHash",
  c.employer, c.job_title AS "jobTitle", c.preferences, c.contact_channel AS "contactChannel",
  c.real_name_verified AS "realNameVerified", c.archived_reason AS "archivedReason",
  to_char(c.archived_on, 'YYYY-MM-DD') AS "archivedOn", c.merged_into AS "mergedInto", u.path AS "unitPath"`;

export interface PageOptions {
  sort: SortKey;
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
  /** Decrypting exports need the sealed ID number. */
  withSealedId?: boolean;
  /** Every column of each customer (DetailRow), not its summary: the TM Forum façade's lists map them. */
  details?: boolean;
  /**
   * The list covers these units: each unit's first rows come from its own ordered index range
   * (`customers (unit_id, customer_no)`) and PostgreSQL merges them (Merge Append), so that a city's
   * list never walks the other cities' customers.
   */
  perUnit?: number[];
  /** The conditions name the standings `st` (a walk joins them to each customer it reads). */
  withStandings?: boolean;
}

const columnsOf = (p: Pick<PageOptions, 'details'>) => (p.details ? DETAIL_COLUMNS : SUMMARY_COLUMNS);

const orderOf = (p: Pick<PageOptions, 'order'>) => (p.order === 'desc' ? sql`DESC` : sql`ASC`);

/**
 * A page of a large result (more matches than the exact-count bound) of a list not by standing: walking the
 * sort column's index and filtering as it goes finds the first rows of a dense result quickly; per unit
 * (see `perUnit`) when the matches cluster in a region.
 */
export function selectSummaries(where: SQL, p: PageOptions): SQL {
  const direction = orderOf(p);
  const orderBy = sql`ORDER BY ${SORT_COLUMNS[p.sort]} ${direction} NULLS LAST, c.id ${direction}`;
  let source = sql`customers c`;
  if (p.perUnit?.length) {
    const from = p.withStandings ? sql`customers c JOIN customer_standings st ON st.customer_id = c.id` : sql`customers c`;
    const arms = p.perUnit.map(
      (unitId) => sql`(SELECT c.* FROM ${from} WHERE c.unit_id = ${unitId} AND ${where} ${orderBy} LIMIT ${p.offset + p.limit})`,
    );
    source = sql`(${sql.join(arms, sql` UNION ALL `)}) c`;
  }
  return sql`
    SELECT ${columnsOf(p)}${p.withSealedId ? sql`, c.id_number_enc AS "idNumberEnc"` : sql``}
    FROM ${source}
    ${SUMMARY_JOINS}
    ${p.perUnit?.length ? sql`` : sql`WHERE ${where}`}
    ${orderBy}
    OFFSET ${p.offset} LIMIT ${p.limit}`;
}

/** A row of a counted page: the total, and a summary unless the page is empty (then only `total`); `sortRank`/`sortKey` order it. */
export type CountedRow = { total: number; sortRank?: unknown; sortKey?: unknown } & (SummaryRow | { [K in keyof SummaryRow]: null });

/**
 * The total of `hits` (rows of id, sort key `k` and rank `r`) and one page of them, sorted by rank first when
 * `byRank` — one statement, one round trip. The page is sorted from the hits' keys and only its rows are read
 * from the table; `pageWhen` may leave it empty (a count beyond the bound), `take` cuts it (a search lists at
 * most its bound). Always one row at least, carrying the total.
 */
function countedPage(hits: SQL, materialized: boolean, p: PageOptions, o: { byRank?: boolean; pageWhen?: SQL; take?: number }): SQL {
  const direction = orderOf(p);
  const order = (t: string) => sql`${o.byRank ? sql`${sql.identifier(t)}.r, ` : sql``}${sql.identifier(t)}.k ${direction} NULLS LAST, ${sql.identifier(t)}.id ${direction}`;
  return sql`
    WITH hits AS ${materialized ? sql`MATERIALIZED` : sql`NOT MATERIALIZED`} (${hits})
    SELECT t.total, s.*
    FROM (SELECT count(*)::int AS total FROM hits) t
    LEFT JOIN LATERAL (
      SELECT ${columnsOf(p)}, h.r AS "sortRank", h.k AS "sortKey"
      FROM (SELECT id, r, k FROM hits h WHERE ${o.pageWhen ?? sql`true`} ORDER BY ${order('h')} OFFSET ${p.offset} LIMIT ${o.take ?? p.limit}) h
      JOIN customers c ON c.id = h.id
      ${SUMMARY_JOINS}
    ) s ON true
    ORDER BY ${o.byRank ? sql`s."sortRank", ` : sql``}s."sortKey" ${direction} NULLS LAST, s.id ${direction}`;
}

/**
 * A list without a text that is not summed from customer_counts (a manager's portfolio): the matches counted
 * up to `bound` and, when they are no more, the page sorted from them. The matches are their ids and sort
 * keys, read from the covering index `customers_unit_filters_idx` where it serves (index-only), twice rather
 * than kept (NOT MATERIALIZED): the count alone when the total is beyond the bound (selectSummaries then
 * reads the page), which is then twice as fast. Few matches are filtered first and then sorted, whatever
 * the planner guesses, since matches clustered at the far end of the sort order would make an index walk
 * read most of the table.
 */
export function selectCountedPage(m: CustomerMatch, p: PageOptions, bound: number): SQL {
  const hits = sql`SELECT c.id, 0 AS r, ${SORT_COLUMNS[p.sort]} AS k FROM customers c WHERE ${m.conds} LIMIT ${bound + 1}`;
  return countedPage(hits, false, p, { pageWhen: sql`(SELECT count(*) FROM hits) <= ${bound}` });
}

/** The columns of `c` a search arm hands on: what the list's conditions and the sort keys name. */
const ARM_COLUMNS = sql`c.id, c.name, c.customer_no, c.joined_on, c.updated_at, c.unit_id, c.archive, c.kind, c.manager_id, c.industry, c.brand`;

/**
 * A search: each arm reads the customers it reaches with their rank and sort key, at most `bound` + 1 of them
 * (a fragment in many names is not read whole), once (MATERIALIZED); a customer reached by several arms keeps
 * its best rank. Up to `bound` matches are counted, sorted and paged exactly; beyond, the list holds the first
 * `bound` found in that order (exact and prefix matches first), and the total is counted apart (countCustomers).
 * Without an explicit sort (`byRank`), the matches come best first: exact, then by the start of a name, then
 * anywhere, each by name — and each arm that finds a fragment anywhere is not read at all when the customers
 * found before it are more than `bound` (a one-time filter: 广州市, 王; a person's given name in the customers'
 * names, before the key persons').
 */
export function selectSearchPage(m: CustomerMatch, p: PageOptions & { byRank: boolean }, bound: number): SQL {
  const standing = m.byStanding ? sql` JOIN customer_standings st ON st.customer_id = c.id` : sql``;
  // the arm's own index finds its customers, the list's conditions filter them (OFFSET 0 keeps them apart): with
  // generic plans the planner would otherwise AND the pairs' index with the archive's, reading 970,000 entries
  const arm = (a: SearchArm, when: SQL = sql`true`) => sql`(
    SELECT c.id, c.r, ${SORT_COLUMNS[p.sort]} AS k
    FROM (SELECT ${ARM_COLUMNS}, ${a.rank} AS r FROM ${a.from} WHERE ${a.where} AND ${when}${a.order ? sql` ORDER BY ${a.order}` : sql``} OFFSET 0) c${standing}
    WHERE ${m.conds} LIMIT ${bound + 1})`;
  const arms = m.arms!;
  const best = arms.filter((a) => !(p.byRank && a.anywhere));
  // the customers found before an arm counted distinct: one may match by its name and by a key person's (2-character
  // searches of the large profile: PostgreSQL 1.69 → 1.17 ms a search, docs/performance.md)
  const found = [sql`best`];
  const rest: SQL[] = [];
  for (const [i, a] of arms.filter((x) => p.byRank && x.anywhere).entries()) {
    const before = sql.join(found.map((t) => sql`SELECT id FROM ${t}`), sql` UNION ALL `);
    const name = sql`${sql.identifier(`anywhere${i}`)}`;
    rest.push(sql`, ${name} AS MATERIALIZED (${arm(a, sql`(SELECT count(DISTINCT id) FROM (${before}) f) <= ${bound}`)})`);
    found.push(name);
  }
  const hits = sql`
    WITH best AS MATERIALIZED (${sql.join(best.map((a) => arm(a)), sql` UNION ALL `)})${sql.join(rest, sql``)}
    SELECT id, min(r) AS r, k FROM (${sql.join(found.map((t) => sql`SELECT * FROM ${t}`), sql` UNION ALL `)}) a GROUP BY id, k`;
  return countedPage(hits, true, p, { byRank: p.byRank, take: Math.max(0, Math.min(p.limit, bound - p.offset)) });
}

/**
 * A list by standing (level, credit grade, points, arrears) or sorted by one: read from customer_standings,
 * which carries the region, archive and kind too (index `customer_standings_list_idx`), joined to the
 * customers only for what they alone hold (manager, brand, industry, a sort by name or date). Counted
 * exactly: a city's standings are read whole from the index in a few milliseconds.
 */
export function selectStandingPage(m: CustomerMatch, p: PageOptions): SQL {
  const key = STANDING_SORT_COLUMNS[p.sort];
  const withCustomers = m.onCustomersOnly !== null || key === undefined;
  const hits = withCustomers
    ? sql`SELECT c.id, 0 AS r, ${SORT_COLUMNS[p.sort]} AS k FROM customer_standings st JOIN customers c ON c.id = st.customer_id
          WHERE ${m.onStandings} AND ${m.onCustomersOnly ?? sql`true`}`
    : sql`SELECT st.customer_id AS id, 0 AS r, ${key} AS k FROM customer_standings st WHERE ${m.onStandings}`;
  return countedPage(hits, true, p, {});
}

/**
 * The exact number of customers a list by standing holds and of its units' customers (customer_counts): whether
 * the page is cheaper walked or filtered first. Summed from customer_standing_counts unless the list names a
 * points threshold; then counted from the standings' index.
 */
export const selectStandingCount = (m: CustomerMatch): SQL => sql`
  SELECT (${
    m.onStandingCounts
      ? sql`SELECT coalesce(sum(n), 0) FROM customer_standing_counts sc WHERE ${m.onStandingCounts}`
      : sql`SELECT count(*) FROM customer_standings st WHERE ${m.onStandings}`
  })::int AS total,
         (SELECT coalesce(sum(n), 0) FROM customer_counts c WHERE ${m.units})::int AS "ofUnits"`;

/** Sort keys a region's list walks per unit, largest first, in an index of their own (migration 0026). */
export const STANDING_WALKS: Partial<Record<SortKey, SQL>> = { points: sql`st.points`, arrears: sql`st.arrears_fen` };

/**
 * A region's list sorted by points or arrears, largest first, without a standing filter: each unit's first
 * rows in that order from its own index range, merged and sorted (the reader takes the total from
 * customer_counts; this statement's count is only of the rows walked).
 */
export function selectStandingWalk(m: CustomerMatch, p: PageOptions, unitIds: number[]): SQL {
  const key = STANDING_WALKS[p.sort]!;
  const arms = unitIds.map(
    (unitId) => sql`(SELECT st.customer_id AS id, 0 AS r, ${key} AS k FROM customer_standings st
      WHERE st.unit_id = ${unitId} AND ${m.onStandings} ORDER BY ${key} DESC NULLS LAST, st.customer_id DESC LIMIT ${p.offset + p.limit})`,
  );
  return countedPage(sql.join(arms, sql` UNION ALL `), true, p, {});
}

/** The exact total of a countable match (CustomerMatch.countable) and the number of customers of its units, summed from customer_counts. */
export const selectCountsTotal = (m: CustomerMatch): SQL => sql`
  SELECT coalesce(sum(n) FILTER (WHERE ${m.onCounts}), 0)::int AS total, coalesce(sum(n), 0)::int AS "ofUnits"
  FROM customer_counts c WHERE ${m.units}`;

export const explainCustomers = (where: SQL): SQL => sql`EXPLAIN (FORMAT JSON) SELECT 1 FROM customers c WHERE ${where}`;

/** A row of an export as read (selectExport): the sealed ID number only for a reader who exports personal data. */
export interface ExportReadRow {
  customerNo: string;
  name: string;
  kind: 'group' | 'individual';
  archive: 'in_network' | 'retained';
  unitName: string;
  unitNameEn: string | null;
  managerName: string | null;
  industry: string | null;
  brand: string | null;
  level: string | null;
  creditGrade: string | null;
  points: number | null;
  arrearsFen: number | null;
  contactPhone: string | null;
  idNumberTail: string | null;
  idNumberEnc?: Uint8Array | null;
  creditCode: string | null;
  joinedOn: string | null;
}

/**
 * Every customer of a match in customer-number order (the key: unique, never changed), with the columns an
 * export writes, for a cursor in one snapshot; with the sealed ID number for a reader who exports personal data.
 */
export const selectExport = (m: CustomerMatch, withSealedId: boolean): SQL => sql`
  SELECT c.customer_no AS "customerNo", c.name, c.kind, c.archive, u.name AS "unitName", u.name_en AS "unitNameEn",
         m.display_name AS "managerName", c.industry, c.brand, st.level, st.credit_grade AS "creditGrade", st.points,
         st.arrears_fen AS "arrearsFen", c.contact_phone AS "contactPhone", c.id_number_tail AS "idNumberTail",
         c.credit_code AS "creditCode", to_char(c.joined_on, 'YYYY-MM-DD') AS "joinedOn"${withSealedId ? sql`, c.id_number_enc AS "idNumberEnc"` : sql``}
  FROM customers c
  ${SUMMARY_JOINS}
  WHERE ${whereOf(m)}
  ORDER BY c.customer_no`;

/** Brings customer_standings up to date (migration 0022): the rows written, -1 when nothing had changed. */
export const refreshStandings = (): SQL => sql`SELECT refresh_customer_standings() AS written`;

/** After a refresh that rewrote many standings: their lists read the index alone again (visibility map), planned on fresh statistics. */
export const vacuumStandings = (): SQL => sql`VACUUM (ANALYZE) customer_standings`;

/** The customer `id` if the scope covers it; `extra` adds columns computed for that customer only. */
const selectVisible = (id: number, scope: CustomerScope, extra: SQL = sql``, lock: SQL = sql``): SQL => sql`
  SELECT ${DETAIL_COLUMNS}${extra}
  FROM customers c
  ${SUMMARY_JOINS}
  WHERE c.id = ${id} AND ${scopeCondition(scope, sql`u.path`)}${lock}`;

/** Customers by id (those the scope covers; all of them without one: an event's rendering), in no particular order. */
export const selectDetails = (ids: readonly number[], scope: CustomerScope | null): SQL => sql`
  SELECT ${DETAIL_COLUMNS}
  FROM customers c
  ${SUMMARY_JOINS}
  WHERE c.id = ANY(${`{${ids.join(',')}}`}::bigint[])${scope ? sql` AND ${scopeCondition(scope, sql`u.path`)}` : sql``}`;

/** The customer `id` if the scope covers it; `forUpdate` locks its row for a change (writers of one customer take turns). */
export const selectDetail = (id: number, scope: CustomerScope, opts: { forUpdate?: boolean } = {}): SQL =>
  selectVisible(id, scope, sql``, opts.forUpdate ? sql` FOR NO KEY UPDATE OF c` : sql``);

export interface MergedRow {
  customer_id: number;
  customer_no: string;
  survivor_id: number;
  survivor_no: string;
  survivor_name: string;
}

/**
 * Merged customers (all, or `customerId`) with the customer each lives on in: the end of its chain of
 * merges, since a survivor may be merged in turn (a merge refuses merged customers, so chains never loop).
 */
export const mergedCustomers = (customerId?: number): SQL => sql`
  WITH RECURSIVE chain AS (
    SELECT c.id AS customer_id, c.merged_into AS survivor_id, 1 AS depth
    FROM customers c WHERE c.merged_into IS NOT NULL${customerId === undefined ? sql`` : sql` AND c.id = ${customerId}`}
    UNION ALL
    SELECT ch.customer_id, s.merged_into, ch.depth + 1
    FROM chain ch JOIN customers s ON s.id = ch.survivor_id
    WHERE s.merged_into IS NOT NULL
  )
  SELECT DISTINCT ON (ch.customer_id) ch.customer_id, m.customer_no, ch.survivor_id, s.customer_no AS survivor_no, s.name AS survivor_name
  FROM chain ch JOIN customers m ON m.id = ch.customer_id JOIN customers s ON s.id = ch.survivor_id
  ORDER BY ch.customer_id, ch.depth DESC`;

/** The rows of a query as one JSON array, `[]` without rows. Money and sums are text in the queries: JSON numbers would round them. */
const jsonRows = (rows: SQL, orderBy: SQL): SQL => sql`(SELECT coalesce(json_agg(r ORDER BY ${orderBy}), '[]') FROM (${rows}) r)`;

const keyPersonRows = (customerId: number): SQL => sql`
  SELECT id, name, role, title, phone, to_char(birthday, 'YYYY-MM-DD') AS birthday, preferences, version
  FROM key_persons WHERE customer_id = ${customerId}`;

const subscriptionRows = (customerId: number): SQL => sql`
  SELECT id, msisdn, plan, status, to_char(opened_on, 'YYYY-MM-DD') AS "openedOn", group_customer_id AS "groupCustomerId"
  FROM subscriptions WHERE customer_id = ${customerId}`;

const contractRows = (customerId: number): SQL => sql`
  SELECT id, contract_no AS "contractNo", title, to_char(signed_on, 'YYYY-MM-DD') AS "signedOn",
         to_char(expires_on, 'YYYY-MM-DD') AS "expiresOn", amount::text AS amount
  FROM contracts WHERE customer_id = ${customerId}`;

const productRows = (customerId: number): SQL => sql`
  SELECT id, competitor, product, to_char(since, 'YYYY-MM-DD') AS since, monthly_fee::text AS "monthlyFee", note
  FROM customer_products WHERE customer_id = ${customerId}`;

/**
 * Revenue and usage per month from `fromMonth` on (趋势), summed over the customer's subscriptions. The
 * window's start is a bound value, known when the statement is planned: the older monthly partitions are pruned.
 */
const trendRows = (customerId: number, fromMonth: string): SQL => sql`
  SELECT to_char(month, 'YYYY-MM') AS month,
         sum(rev_voice + rev_sms + rev_data + rev_vas + rev_roaming)::text AS revenue,
         sum(billed)::text AS billed, sum(paid)::text AS paid, sum(arrears)::text AS arrears,
         sum(min_local + min_long_distance + min_roaming)::int AS "voiceMinutes",
         sum(sms_count)::int AS "smsCount", sum(data_mb)::text AS "dataMb"
  FROM monthly_facts
  WHERE customer_id = ${customerId} AND month >= ${fromMonth}::date
  GROUP BY month`;

/** The customer's level and credit grade from the latest completed rules run, and the points balance. */
const standingRow = (customerId: number): SQL => sql`
  SELECT r.level, r.credit_grade AS "creditGrade",
         CASE WHEN a.balance IS NOT NULL OR r.level IS NOT NULL THEN coalesce(a.balance, 0) END AS points
  FROM (SELECT 1) one
  LEFT JOIN customer_ratings r ON r.customer_id = ${customerId}
    AND r.month = (SELECT max(month) FROM rule_runs WHERE status = 'completed')
  LEFT JOIN points_accounts a ON a.customer_id = ${customerId}`;

export type ViewRow = DetailRow & Pick<CustomerView, 'keyPersons' | 'subscriptions' | 'groupMembers' | 'contracts' | 'products' | 'trend' | 'rules' | 'openServiceRequests'>;

/**
 * 客户全方位视图 in one statement, one round trip: the profile with each related list as a JSON array
 * (people, numbers, contracts, products, the trend from `fromMonth`), the group's member count and the
 * rules standing. As seven queries, a view held seven pool connections and queued behind them under load.
 */
export const selectView = (id: number, scope: CustomerScope, fromMonth: string): SQL =>
  selectVisible(
    id,
    scope,
    sql`,
    ${jsonRows(keyPersonRows(id), sql`r.id`)} AS "keyPersons",
    ${jsonRows(subscriptionRows(id), sql`r."openedOn", r.id`)} AS subscriptions,
    (SELECT count(*)::int FROM subscriptions WHERE group_customer_id = ${id}) AS "groupMembers",
    ${jsonRows(contractRows(id), sql`r."expiresOn", r.id`)} AS contracts,
    ${jsonRows(productRows(id), sql`r.id`)} AS products,
    ${jsonRows(trendRows(id, fromMonth), sql`r.month`)} AS trend,
    (SELECT row_to_json(s) FROM (${standingRow(id)}) s) AS rules,
    (SELECT count(*)::int FROM service_requests sr WHERE sr.customer_id = ${id} AND sr.status NOT IN ('resolved', 'closed')) AS "openServiceRequests"`,
  );

export const selectHistory = (customerId: number, offset: number, limit: number): SQL => sql`
  SELECT * FROM (
    SELECT 'change' AS kind, ch.at, ch.field, ch.old_value AS "oldValue", ch.new_value AS "newValue", ch.source,
           u.display_name AS "actorName", NULL AS detail
    FROM customer_changes ch LEFT JOIN users u ON u.id = ch.actor_id WHERE ch.customer_id = ${customerId}
    UNION ALL
    SELECT 'visit', v.created_at, NULL, NULL, NULL, v.channel, u.display_name, to_char(v.visited_on, 'YYYY-MM-DD') || ' ' || v.summary
    FROM visits v LEFT JOIN users u ON u.id = v.manager_id WHERE v.customer_id = ${customerId}
    UNION ALL
    SELECT 'lifecycle', l.at, 'archive', l.from_archive, l.to_archive, l.reason, u.display_name,
           to_char(l.effective_on, 'YYYY-MM-DD') || coalesce(' ' || l.note, '')
    FROM lifecycle_events l LEFT JOIN users u ON u.id = l.actor_id WHERE l.customer_id = ${customerId}
    UNION ALL
    -- 经理分配: the manager before and after, where it came from, who assigned, and the period it covers
    SELECT 'assignment', p.from_date::timestamptz, 'manager', lag(m.display_name) OVER (ORDER BY p.from_date, p.id), m.display_name,
           p.source, a.display_name, to_char(p.from_date, 'YYYY-MM-DD') || ' → ' || coalesce(to_char(p.until_date, 'YYYY-MM-DD'), '')
    FROM portfolio_assignments p JOIN users m ON m.id = p.manager_id LEFT JOIN users a ON a.id = p.assigned_by
    WHERE p.customer_id = ${customerId}
  ) h
  ORDER BY at DESC
  OFFSET ${offset} LIMIT ${limit}`;

export const countHistory = (customerId: number): SQL => sql`
  SELECT (SELECT count(*) FROM customer_changes WHERE customer_id = ${customerId})
       + (SELECT count(*) FROM visits WHERE customer_id = ${customerId})
       + (SELECT count(*) FROM lifecycle_events WHERE customer_id = ${customerId})
       + (SELECT count(*) FROM portfolio_assignments WHERE customer_id = ${customerId}) AS total`;

/** Active account managers (users holding the account_manager role) in a unit subtree (the one of them `userId` names, when given). */
export const selectManagers = (unitPath: string, userId?: number): SQL => sql`
  SELECT u.id, u.display_name AS "displayName", o.name AS "unitName", o.name_en AS "unitNameEn"
  FROM users u JOIN org_units o ON o.id = u.unit_id
  WHERE u.active AND ${inSubtree(sql`o.path`, unitPath)}${userId === undefined ? sql`` : sql` AND u.id = ${userId}`}
    AND EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id AND r.code = 'account_manager')
  ORDER BY o.path, u.display_name`;

export type HistoryRow = HistoryEntry;

export const updateCustomer = (db: Executor, id: number, version: number, set: Partial<typeof customers.$inferInsert>) =>
  updateAtVersion(db, customers, id, version, set);

export async function insertCustomer(db: Executor, values: typeof customers.$inferInsert) {
  const [row] = await db.insert(customers).values(values).returning({ id: customers.id });
  return row!.id;
}

export const insertChanges = (db: Executor, rows: (typeof customerChanges.$inferInsert)[]) =>
  rows.length ? db.insert(customerChanges).values(rows) : Promise.resolve();

export async function insertVisit(db: Executor, values: typeof visits.$inferInsert) {
  const [row] = await db.insert(visits).values(values).returning({ id: visits.id });
  return row!.id;
}

/** Visits in one statement; their ids ascending, which is the order given (identity values are drawn row by row in that order). */
export async function insertVisits(db: Executor, values: (typeof visits.$inferInsert)[]): Promise<number[]> {
  const rows = await db.insert(visits).values(values).returning({ id: visits.id });
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

export const insertLifecycleEvent = (db: Executor, values: typeof lifecycleEvents.$inferInsert) => db.insert(lifecycleEvents).values(values);

/** Products of ours a customer took up (a signed solution's items). */
export async function insertProducts(db: Executor, rows: (typeof customerProducts.$inferInsert)[]): Promise<number[]> {
  const created = await db.insert(customerProducts).values(rows).returning({ id: customerProducts.id });
  return created.map((r) => r.id);
}

/**
 * Closes the open assignments and opens the new ones, made in the console (客户经理归属 with its history): for one
 * customer (an assignment) or many in one statement (a bulk move between managers), set-based either way.
 */
export async function reassign(db: Executor, customerIds: number | readonly number[], managerId: number, fromDate: string, assignedBy: number | null) {
  const ids = `{${[customerIds].flat().join(',')}}`;
  // the data-modifying CTE closes the rows of the statement's snapshot: the rows it inserts are not among them
  await db.execute(sql`
    WITH closed AS (
      UPDATE portfolio_assignments SET until_date = ${fromDate}::date
      WHERE customer_id = ANY(${ids}::bigint[]) AND until_date IS NULL RETURNING id
    )
    INSERT INTO portfolio_assignments (customer_id, manager_id, from_date, assigned_by, source)
    SELECT customer_id, ${managerId}::bigint, ${fromDate}::date, ${assignedBy}::bigint, 'console' FROM unnest(${ids}::bigint[]) AS customer_id`);
}

/**
 * 批量调整: the customers of manager `from` that a bulk move takes — not merged, in the mover's scope (a condition
 * on `c`), matching the customers list's filter (`match`, when given) and among `ids` (when given).
 */
const movable = (m: { from: number; scope: SQL; match: CustomerMatch | null; ids: readonly number[] | null }) => sql`
  FROM ${m.match ? customersFor(m.match) : sql`customers c`}
  WHERE c.manager_id = ${m.from} AND c.merged_into IS NULL AND ${m.scope}
    ${m.match ? sql`AND ${whereOf(m.match)}` : sql``}
    ${m.ids ? sql`AND c.id = ANY(${`{${m.ids.join(',')}}`}::bigint[])` : sql``}`;

export const countMovable = (m: Parameters<typeof movable>[0]): SQL => sql`SELECT count(*)::int AS n ${movable(m)}`;

/** Moves the customers of a bulk move to manager `to` (each locked, its version bumped); their ids. */
export const moveMovable = (m: Parameters<typeof movable>[0], to: number): SQL => sql`
  WITH picked AS (SELECT c.id ${movable(m)} ORDER BY c.id FOR NO KEY UPDATE OF c)
  UPDATE customers c SET manager_id = ${to}, version = c.version + 1, updated_at = now()
  FROM picked WHERE c.id = picked.id AND c.manager_id = ${m.from}
  RETURNING c.id`;

/** Users' display names (the managers and the actor a move's messages name). */
export const displayNames = (ids: (number | null)[]): SQL => sql`SELECT id, display_name AS name FROM users WHERE id = ANY(${`{${ids.filter((i) => i !== null).join(',')}}`}::bigint[])`;

/** How many customers (not merged) a user holds: a user who holds any stays active until they are moved. */
export const countHeld = (userId: number): SQL => sql`SELECT count(*)::int AS n FROM customers c WHERE c.manager_id = ${userId} AND c.merged_into IS NULL`;

/** Possible duplicates: same credit code, same ID number, or same name and contact phone (or MSISDN). */
export const selectDuplicates = (c: { id: number | null; creditCode: string | null; idNumberHash: string | null; name: string; phone: string | null }): SQL => sql`
  SELECT c.id, c.customer_no AS "customerNo", c.name, c.archive,
         CASE WHEN ${c.creditCode}::text IS NOT NULL AND c.credit_code = ${c.creditCode} THEN 'credit_code'
              WHEN ${c.idNumberHash}::text IS NOT NULL AND c.id_number_hash = ${c.idNumberHash} THEN 'id_number'
              ELSE 'name_phone' END AS reason
  FROM customers c
  WHERE c.merged_into IS NULL AND c.id IS DISTINCT FROM ${c.id}
    AND ((${c.creditCode}::text IS NOT NULL AND c.credit_code = ${c.creditCode})
      OR (${c.idNumberHash}::text IS NOT NULL AND c.id_number_hash = ${c.idNumberHash})
      OR (${c.phone}::text IS NOT NULL AND c.name = ${c.name}
          AND (c.contact_phone = ${c.phone} OR c.id IN (SELECT customer_id FROM subscriptions WHERE msisdn = ${c.phone}))))
  LIMIT 20`;

/** How a candidate matches an existing customer: credit code, ID number, name and contact phone, name and one of its numbers. */
export type DuplicateMatch = 'credit_code' | 'id_number' | 'name_phone' | 'name_msisdn';

/**
 * The rule of selectDuplicates for many candidates at once (imports), set-based: each pair of a candidate and an
 * existing customer `c` of another customer number, not merged away, that holds the candidate's credit code, its ID
 * number (keyed hash), or its name with its phone (as contact phone or as one of its numbers). `candidates` is a
 * relation with the columns row_no, customer_no, credit_code, id_number_hash, name, contact_phone; `skip(match)` is
 * a condition on `c` that leaves it out (e.g. the same import changes the values that match).
 * Answers row_no, key ('credit_code' | 'id_number' | 'name_phone'), customer_no and unit_id of the existing customer.
 */
export function selectDuplicatePairs(candidates: SQL, skip: (match: DuplicateMatch) => SQL = () => sql`false`): SQL {
  const other = (match: DuplicateMatch) => sql`c.merged_into IS NULL AND c.customer_no <> n.customer_no AND NOT (${skip(match)})`;
  return sql`
  WITH n AS NOT MATERIALIZED (${candidates})
  SELECT n.row_no, 'credit_code' AS key, c.customer_no, c.unit_id
  FROM n JOIN customers c ON c.credit_code = n.credit_code WHERE ${other('credit_code')}
  UNION ALL
  SELECT n.row_no, 'id_number', c.customer_no, c.unit_id
  FROM n JOIN customers c ON c.id_number_hash = n.id_number_hash WHERE ${other('id_number')}
  UNION ALL
  SELECT n.row_no, 'name_phone', c.customer_no, c.unit_id
  FROM n JOIN customers c ON c.name = n.name AND c.contact_phone = n.contact_phone WHERE ${other('name_phone')}
  UNION ALL
  SELECT n.row_no, 'name_phone', c.customer_no, c.unit_id
  FROM n JOIN subscriptions sub ON sub.msisdn = n.contact_phone JOIN customers c ON c.id = sub.customer_id AND c.name = n.name
  WHERE ${other('name_msisdn')}`;
}

/** Moves everything a duplicate owns to the surviving customer (合并): subscriptions, people, contracts, products, history. */
export async function moveOwnedRows(db: Executor, from: number, to: number) {
  await db.execute(sql`UPDATE subscriptions SET customer_id = ${to} WHERE customer_id = ${from}`);
  await db.execute(sql`UPDATE subscriptions SET group_customer_id = ${to} WHERE group_customer_id = ${from}`);
  await db.execute(sql`UPDATE monthly_facts SET customer_id = ${to} WHERE customer_id = ${from}`);
  await db.execute(sql`UPDATE key_persons SET customer_id = ${to} WHERE customer_id = ${from}`);
  await db.execute(sql`UPDATE contracts SET customer_id = ${to} WHERE customer_id = ${from}`);
  await db.execute(sql`UPDATE customer_products SET customer_id = ${to} WHERE customer_id = ${from}`);
}

export const listSavedFilters = (db: Executor, userId: number) =>
  db
    .select({ id: savedFilters.id, name: savedFilters.name, filter: savedFilters.filter })
    .from(savedFilters)
    .where(and(eq(savedFilters.userId, userId), eq(savedFilters.target, 'customers')))
    .orderBy(savedFilters.name);

export async function insertSavedFilter(db: Executor, userId: number, name: string, filter: unknown) {
  const [row] = await db
    .insert(savedFilters)
    .values({ userId, target: 'customers', name, filter })
    .onConflictDoUpdate({ target: [savedFilters.userId, savedFilters.target, savedFilters.name], set: { filter, updatedAt: sql`now()` } })
    .returning({ id: savedFilters.id, name: savedFilters.name, filter: savedFilters.filter });
  return row!;
}

export const deleteSavedFilter = (db: Executor, userId: number, id: number) =>
  db
    .delete(savedFilters)
    .where(and(eq(savedFilters.id, id), eq(savedFilters.userId, userId)))
    .returning({ id: savedFilters.id })
    .then((r) => r.length > 0);

export async function insertKeyPerson(db: Executor, values: typeof keyPersons.$inferInsert) {
  const [row] = await db.insert(keyPersons).values(values).returning({ id: keyPersons.id });
  return row!.id;
}

export const findKeyPersonPhone = (db: Executor, customerId: number, id: number) =>
  db
    .select({ phone: keyPersons.phone })
    .from(keyPersons)
    .where(and(eq(keyPersons.id, id), eq(keyPersons.customerId, customerId)))
    .then((r) => r[0]);

export const findSubscriptionMsisdn = (db: Executor, customerId: number, id: number) =>
  db
    .select({ msisdn: subscriptions.msisdn })
    .from(subscriptions)
    .where(and(eq(subscriptions.id, id), eq(subscriptions.customerId, customerId)))
    .then((r) => r[0]);

/** The unit path of an active user, to check that a manager lies in the assigner's scope. */
/** The unit path of an active user; their row is share-locked, so that they stay active until the caller's transaction ends (a deactivation waits, then counts the customers given to them). */
export const managerUnitPath = (userId: number): SQL =>
  sql`SELECT o.path FROM users u JOIN org_units o ON o.id = u.unit_id WHERE u.id = ${userId} AND u.active FOR SHARE OF u`;

export const customerExists = (id: number): SQL => sql`SELECT 1 AS one FROM customers WHERE id = ${id}`;

/** The customer of a customer number (a membership number to partners), unless merged away. */
export const customerIdByNo = (customerNo: string): SQL => sql`SELECT id FROM customers WHERE customer_no = ${customerNo} AND merged_into IS NULL`;

/** The customer who holds a number: the subscription's owner first, else the customer whose contact phone it is. */
export const customerIdByPhone = (phone: string): SQL => sql`
  SELECT id FROM (
    SELECT s.customer_id AS id, 0 AS pref FROM subscriptions s WHERE s.msisdn = ${phone}
    UNION ALL
    SELECT c.id, 1 FROM customers c WHERE c.contact_phone = ${phone} AND c.merged_into IS NULL
  ) x ORDER BY pref, id LIMIT 1`;
