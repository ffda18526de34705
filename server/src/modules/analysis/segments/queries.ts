/** 目标客户群 and 营销活动: the SQL. Sources (`FROM …` with `c` the customers) come from the query sub-area. */
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.js';

/** Segments and campaigns are their unit's: the reader sees those whose unit's subtree holds the reader's unit. */
export const visibleIn = (alias: string, userId: number, unitPath: string): SQL =>
  sql`(${sql.identifier(alias)}.owner_id = ${userId} OR starts_with(${unitPath}::text, ou.path))`;

export interface SegmentRow {
  id: number;
  name: string;
  queryId: number | null;
  tree: Record<string, unknown>;
  mode: 'live' | 'frozen';
  frozenAt: string | null;
  frozenSize: number | null;
  ownerId: number;
  ownerName: string;
  unitId: number;
  unitName: string;
  unitNameEn: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function selectSegments(db: Database, visible: SQL, id?: number, executor?: Executor): Promise<SegmentRow[]> {
  return db.rows<SegmentRow>(
    sql`SELECT s.id, s.name, s.query_id AS "queryId", s.tree, s.mode, s.frozen_at AS "frozenAt", s.frozen_size AS "frozenSize",
               s.owner_id AS "ownerId", us.display_name AS "ownerName", s.unit_id AS "unitId", ou.name AS "unitName", ou.name_en AS "unitNameEn",
               s.version, s.created_at AS "createdAt", s.updated_at AS "updatedAt"
        FROM analysis_segments s JOIN org_units ou ON ou.id = s.unit_id JOIN users us ON us.id = s.owner_id
        WHERE ${visible}${id === undefined ? sql`` : sql` AND s.id = ${id}`}
        ORDER BY s.updated_at DESC, s.id DESC LIMIT 500`,
    executor,
  );
}

export async function insertSegment(db: Database, tx: Executor, row: { name: string; queryId: number | null; tree: unknown; ownerId: number; unitId: number }): Promise<number> {
  const [r] = await db.rows<{ id: number }>(
    sql`INSERT INTO analysis_segments (name, query_id, tree, owner_id, unit_id)
        VALUES (${row.name}, ${row.queryId}, ${JSON.stringify(row.tree)}::jsonb, ${row.ownerId}, ${row.unitId}) RETURNING id`,
    tx,
  );
  return Number(r!.id);
}

/**
 * The frozen members the reader sees, as a source with `c` the customers: read from the members' key, each
 * customer by its own (a semi-join instead read the whole customers table to count 200,000 members: 1.5 s).
 */
export const frozenSource = (segmentId: number, scope: SQL): SQL =>
  sql`analysis_segment_members sm JOIN customers c ON c.id = sm.customer_id WHERE sm.segment_id = ${segmentId} AND ${scope}`;

/** Freezes a segment: its members replaced by the customers of `source` now, set-based; the number stored. */
export async function snapshotMembers(db: Database, tx: Executor, segmentId: number, source: SQL): Promise<number> {
  await db.rows(sql`DELETE FROM analysis_segment_members WHERE segment_id = ${segmentId}`, tx);
  const [r] = await db.rows<{ n: number }>(
    sql`WITH ins AS (INSERT INTO analysis_segment_members (segment_id, customer_id) SELECT ${segmentId}::bigint, c.id FROM ${source} RETURNING 1)
        SELECT count(*)::int AS n FROM ins`,
    tx,
  );
  return Number(r?.n ?? 0);
}

export const dropMembers = (db: Database, tx: Executor, segmentId: number) => db.rows(sql`DELETE FROM analysis_segment_members WHERE segment_id = ${segmentId}`, tx);

export interface ProfileRow {
  dim: 'total' | 'level' | 'industry' | 'city' | 'kind';
  key: string | null;
  label: string | null;
  labelEn: string | null;
  customers: number;
  avgBilled: string | null;
}

/**
 * Size and profile at once: counts by level, industry, city and kind and the average billed of the latest month
 * with facts, in one statement (grouping sets over the members). City: the nearest ancestor-or-self unit of kind
 * city of the customer's unit, looked up once per unit (a few hundred), not per customer. The billed amount is read
 * per member by its key: as a join to the month's totals the planner guessed a billion rows (and compiled the
 * statement with JIT: 12 s instead of 7 s for 200,000 members on a loaded machine).
 */
export const profileOf = (source: SQL, latestMonth: string): SQL => sql`
  WITH m AS MATERIALIZED (
    SELECT c.id, c.kind, c.industry, c.unit_id,
           (SELECT t.billed_fen FROM customer_month_totals t WHERE t.customer_id = c.id AND t.month = ${`${latestMonth}-01`}::date) AS billed
    FROM ${source}),
  uc AS MATERIALIZED (SELECT u.id, (SELECT a.id FROM org_units a WHERE a.kind = 'city' AND u.path LIKE a.path || '%' ORDER BY length(a.path) DESC LIMIT 1) AS city FROM org_units u)
  SELECT CASE WHEN grouping(s.level) = 0 THEN 'level' WHEN grouping(m.industry) = 0 THEN 'industry'
              WHEN grouping(uc.city) = 0 THEN 'city' WHEN grouping(m.kind) = 0 THEN 'kind' ELSE 'total' END AS dim,
         coalesce(s.level, m.industry, uc.city::text, m.kind) AS key,
         CASE WHEN grouping(uc.city) = 0 THEN (SELECT name FROM org_units WHERE id = uc.city) END AS label,
         CASE WHEN grouping(uc.city) = 0 THEN (SELECT name_en FROM org_units WHERE id = uc.city) END AS "labelEn",
         count(*)::int AS customers, round(avg(coalesce(m.billed, 0)) / 100.0, 2)::text AS "avgBilled"
  FROM m JOIN uc ON uc.id = m.unit_id
  LEFT JOIN customer_standings s ON s.customer_id = m.id
  GROUP BY GROUPING SETS ((s.level), (m.industry), (uc.city), (m.kind), ())`;

/** The managers holding customers of a source, with how many each (null: customers without a manager). */
export const holders = (source: SQL): SQL =>
  sql`SELECT c.manager_id AS "managerId", count(*)::int AS customers FROM ${source} GROUP BY c.manager_id ORDER BY c.manager_id NULLS LAST`;

/** A page of a source's customers for the segment page, in customer-number order. */
export const membersPage = (source: SQL, offset: number, limit: number, managerId?: number): SQL => sql`
  SELECT c.id, c.customer_no AS "customerNo", c.name, c.kind, u.name AS "unitName", u.name_en AS "unitNameEn",
         mu.display_name AS "managerName", s.level
  FROM (SELECT c.id FROM ${source}${managerId === undefined ? sql`` : sql` AND c.manager_id = ${managerId}`} ORDER BY c.customer_no LIMIT ${limit} OFFSET ${offset}) ids
  JOIN customers c ON c.id = ids.id JOIN org_units u ON u.id = c.unit_id
  LEFT JOIN users mu ON mu.id = c.manager_id LEFT JOIN customer_standings s ON s.customer_id = c.id
  ORDER BY c.customer_no`;

// ---- campaigns ------------------------------------------------------------------------------------------------------

export interface CampaignRow {
  id: number;
  name: string;
  channel: string;
  startsOn: string;
  endsOn: string;
  offer: string;
  status: 'draft' | 'running' | 'closed';
  segmentId: number | null;
  segmentName: string | null;
  ownerId: number;
  ownerName: string;
  unitId: number;
  unitName: string;
  unitNameEn: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function selectCampaigns(db: Database, visible: SQL, id?: number, executor?: Executor): Promise<CampaignRow[]> {
  return db.rows<CampaignRow>(
    sql`SELECT k.id, k.name, k.channel, to_char(k.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(k.ends_on, 'YYYY-MM-DD') AS "endsOn",
               k.offer, k.status, k.segment_id AS "segmentId", sg.name AS "segmentName", k.owner_id AS "ownerId", us.display_name AS "ownerName",
               k.unit_id AS "unitId", ou.name AS "unitName", ou.name_en AS "unitNameEn", k.version, k.created_at AS "createdAt", k.updated_at AS "updatedAt"
        FROM analysis_campaigns k JOIN org_units ou ON ou.id = k.unit_id JOIN users us ON us.id = k.owner_id
        LEFT JOIN analysis_segments sg ON sg.id = k.segment_id
        WHERE ${visible}${id === undefined ? sql`` : sql` AND k.id = ${id}`}
        ORDER BY k.starts_on DESC, k.id DESC LIMIT 500`,
    executor,
  );
}

export async function insertCampaign(
  db: Database,
  tx: Executor,
  row: { name: string; channel: string; startsOn: string; endsOn: string; offer: string; segmentId: number; ownerId: number; unitId: number },
): Promise<number> {
  const [r] = await db.rows<{ id: number }>(
    sql`INSERT INTO analysis_campaigns (name, channel, starts_on, ends_on, offer, segment_id, owner_id, unit_id)
        VALUES (${row.name}, ${row.channel}, ${row.startsOn}::date, ${row.endsOn}::date, ${row.offer}, ${row.segmentId}, ${row.ownerId}, ${row.unitId}) RETURNING id`,
    tx,
  );
  return Number(r!.id);
}

/** The campaign's members: the customers of a source with their unit and manager now, set-based. */
export async function insertMembers(db: Database, tx: Executor, campaignId: number, source: SQL): Promise<number> {
  const [r] = await db.rows<{ n: number }>(
    sql`WITH ins AS (INSERT INTO analysis_campaign_members (campaign_id, customer_id, unit_id, manager_id)
                     SELECT ${campaignId}::bigint, c.id, c.unit_id, c.manager_id FROM ${source} RETURNING 1)
        SELECT count(*)::int AS n FROM ins`,
    tx,
  );
  return Number(r?.n ?? 0);
}

/** The members the reader sees (the unit subtree, a manager their own customers), as a condition on `cm`. */
export const membersInScope = (unitPath: string, managerId: number | null): SQL =>
  sql`cm.unit_id IN (SELECT id FROM org_units WHERE path LIKE ${`${unitPath.replace(/[\\%_]/g, '\\$&')}%`})${managerId === null ? sql`` : sql` AND cm.manager_id = ${managerId}`}`;

export interface FiguresRow {
  members: number;
  contacted: number;
  responded: number;
  accepted: number;
  declined: number;
  noAnswer: number;
}

/** Reach and response of one campaign within the reader's scope. */
export const figuresOf = (campaignId: number, scope: SQL): SQL => sql`
  SELECT count(*)::int AS members, count(cm.response)::int AS contacted,
         count(*) FILTER (WHERE cm.response IN ('responded', 'accepted', 'declined'))::int AS responded,
         count(*) FILTER (WHERE cm.response = 'accepted')::int AS accepted,
         count(*) FILTER (WHERE cm.response = 'declined')::int AS declined,
         count(*) FILTER (WHERE cm.response = 'no_answer')::int AS "noAnswer"
  FROM analysis_campaign_members cm WHERE cm.campaign_id = ${campaignId} AND ${scope}`;

export const campaignMembersPage = (campaignId: number, scope: SQL, offset: number, limit: number, response?: string): SQL => sql`
  SELECT c.id AS "customerId", c.customer_no AS "customerNo", c.name, u.name AS "unitName", u.name_en AS "unitNameEn", mu.display_name AS "managerName",
         cm.response, cm.responded_at AS "respondedAt", rb.display_name AS "recordedByName", cm.note, count(*) OVER ()::int AS total
  FROM analysis_campaign_members cm JOIN customers c ON c.id = cm.customer_id JOIN org_units u ON u.id = c.unit_id
  LEFT JOIN users mu ON mu.id = c.manager_id LEFT JOIN users rb ON rb.id = cm.recorded_by
  WHERE cm.campaign_id = ${campaignId} AND ${scope}
    ${response === undefined ? sql`` : response === 'none' ? sql`AND cm.response IS NULL` : sql`AND cm.response = ${response}`}
  ORDER BY c.customer_no LIMIT ${limit} OFFSET ${offset}`;

/**
 * Records responses set-based from a JSON array of { customerNo, response, at, note }: the members of the campaign
 * in the reader's scope matched by customer number. Answers the customer numbers it did not find.
 */
export async function applyResponses(db: Database, tx: Executor, campaignId: number, scope: SQL, recordedBy: number, rows: { customerNo: string; response: string; at: string; note: string | null }[]) {
  return db.rows<{ customerNo: string; found: boolean }>(
    sql`WITH r AS (SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x("customerNo" text, response text, at timestamptz, note text)),
        upd AS (
          UPDATE analysis_campaign_members cm SET response = r.response, responded_at = r.at, note = r.note, recorded_by = ${recordedBy}
          FROM r JOIN customers c ON c.customer_no = r."customerNo"
          WHERE cm.campaign_id = ${campaignId} AND cm.customer_id = c.id AND ${scope}
          RETURNING c.customer_no)
        SELECT r."customerNo", EXISTS (SELECT 1 FROM upd WHERE upd.customer_no = r."customerNo") AS found FROM r`,
    tx,
  );
}

/**
 * 营销活动 figures for the indicators engine: members, contacted (reach), responded, accepted by the campaigns
 * running in a period (their start month within from..to), cut by the dimensions given.
 */
export function figuresBy(scope: SQL, from: string, to: string, keys: SQL[], names: string[]): SQL {
  const select = keys.map((k, i) => sql`${k} AS ${sql.identifier(names[i]!)}`);
  return sql`
    SELECT ${select.length ? sql`${sql.join(select, sql`, `)}, ` : sql``}
           count(*)::int AS members, count(cm.response)::int AS contacted,
           count(*) FILTER (WHERE cm.response IN ('responded', 'accepted', 'declined'))::int AS responded,
           count(*) FILTER (WHERE cm.response = 'accepted')::int AS accepted
    FROM analysis_campaign_members cm JOIN analysis_campaigns k ON k.id = cm.campaign_id AND k.status <> 'draft'
    JOIN customers c ON c.id = cm.customer_id LEFT JOIN customer_standings s ON s.customer_id = c.id
    JOIN org_units u ON u.id = cm.unit_id
    WHERE ${scope} AND k.starts_on >= ${`${from}-01`}::date AND k.starts_on < (${`${to}-01`}::date + interval '1 month')
    ${keys.length ? sql`GROUP BY ${sql.raw(keys.map((_, i) => i + 1).join(', '))}` : sql``}`; // by position: a key's bound parameters differ between SELECT and GROUP BY
}
