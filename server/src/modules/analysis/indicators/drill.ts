/**
 * 钻取: the customers behind one figure. Each built-in indicator names the customers it counts or sums
 * (a condition on `c` over the period); the figure's keys fix the dimensions. Read from the customers and
 * the raw tables (not the rollup, which holds no customers), in the same scope as the figure.
 */
import { sql, type SQL } from 'drizzle-orm';
import { SCORECARD_INDICATORS } from '../../managers/scorecards/service.js';
import type { Dimension } from './catalogue.js';
import { monthDate, textArray, type AnalysisScope } from './queries.js';

export interface Drill {
  code: string;
  keys: Partial<Record<Dimension, string | string[]>>;
  from: string;
  to: string;
  scope: AnalysisScope;
}

interface Period {
  first: SQL; // the first month's first day
  last: SQL; // the last month's first day
  end: SQL; // the day after the period
  startTs: SQL;
  endTs: SQL;
}

const LEVEL_RANK = sql`coalesce(array_position('{1,2,3,4,5s,5g,5d}'::text[], r.level), array_position('{C,B,A}'::text[], r.level), 0)`;
const PREV_RANK = sql`coalesce(array_position('{1,2,3,4,5s,5g,5d}'::text[], r.prev_level), array_position('{C,B,A}'::text[], r.prev_level), 0)`;

const inNetworkAtEnd = (p: Period) =>
  sql`(c.merged_into IS NULL AND (c.archive = 'in_network' OR c.archived_on >= ${p.end}) AND coalesce(c.joined_on, ${p.first}) < ${p.end})`;
const lostIn = (p: Period) => sql`(c.archive = 'retained' AND c.archived_on >= ${p.first} AND c.archived_on < ${p.end})`;
const totals = (p: Period, cond: SQL = sql`true`) =>
  sql`EXISTS (SELECT 1 FROM customer_month_totals t WHERE t.customer_id = c.id AND t.month BETWEEN ${p.first} AND ${p.last} AND ${cond})`;
const ratings = (p: Period, cond: SQL = sql`true`) =>
  sql`EXISTS (SELECT 1 FROM customer_ratings r WHERE r.customer_id = c.id AND r.month BETWEEN ${p.first} AND ${p.last} AND ${cond})`;
const requests = (p: Period, column: string, cond: SQL = sql`true`) =>
  sql`EXISTS (SELECT 1 FROM service_requests s WHERE s.customer_id = c.id AND s.${sql.raw(column)} >= ${p.startTs} AND s.${sql.raw(column)} < ${p.endTs} AND ${cond})`;

/** Which customers each built-in indicator counts or sums over the period. */
function membership(code: string, p: Period): SQL {
  switch (code) {
    case 'customers':
      return sql`(${inNetworkAtEnd(p)} OR ${lostIn(p)} OR ${totals(p)})`;
    case 'in_network_customers':
      return inNetworkAtEnd(p);
    case 'strategic_customers':
      return sql`(${inNetworkAtEnd(p)} AND c.strategic)`;
    case 'new_customers':
      return sql`(c.joined_on >= ${p.first} AND c.joined_on < ${p.end})`;
    case 'lost_customers':
    case 'churn_rate':
      return lostIn(p);
    case 'rated_customers':
      return ratings(p);
    case 'level_upgrades':
      return ratings(p, sql`r.prev_level IS NOT NULL AND ${LEVEL_RANK} > ${PREV_RANK}`);
    case 'level_downgrades':
      return ratings(p, sql`r.prev_level IS NOT NULL AND ${LEVEL_RANK} < ${PREV_RANK}`);
    case 'billed_customers':
    case 'arpu':
    case 'mou':
    case 'dou':
      return totals(p, sql`t.billed_fen > 0`);
    case 'arrears_amount':
    case 'arrears_customers':
    case 'arrears_rate':
    case 'arrears_per_account':
      return totals(p, sql`t.arrears_fen > 0`);
    case 'arrears_age_1':
      return ratings(p, sql`r.arrears > 0 AND r.arrears_months = 1`);
    case 'arrears_age_2_3':
      return ratings(p, sql`r.arrears > 0 AND r.arrears_months BETWEEN 2 AND 3`);
    case 'arrears_age_4_plus':
      return ratings(p, sql`r.arrears > 0 AND r.arrears_months >= 4`);
    case 'points_earned':
      return ratings(p, sql`r.points_earned + r.points_promo > 0`);
    case 'points_expired':
      return ratings(p, sql`r.points_expired > 0`);
    case 'points_redeemed':
      return sql`EXISTS (SELECT 1 FROM points_ledger g WHERE g.customer_id = c.id AND g.kind = 'redeem' AND g.at >= ${p.startTs} AND g.at < ${p.endTs})`;
    case 'points_liability':
      return sql`EXISTS (SELECT 1 FROM points_accounts a WHERE a.customer_id = c.id AND a.balance > 0)`;
    case 'requests_raised':
      return requests(p, 'created_at');
    case 'complaints':
      return requests(p, 'created_at', sql`s.type = 'complaint'`);
    case 'requests_resolved':
    case 'sla_met_rate':
      return requests(p, 'resolved_at');
    case 'sla_breaches':
      return requests(p, 'breached_at');
    case 'fee_waivers':
      return sql`EXISTS (SELECT 1 FROM fee_waivers w WHERE w.customer_id = c.id AND w.month BETWEEN ${p.first} AND ${p.last})`;
    case 'satisfaction_avg':
    case 'surveys_answered':
      return sql`EXISTS (SELECT 1 FROM service_surveys v JOIN service_requests s ON s.id = v.request_id
                         WHERE s.customer_id = c.id AND v.score IS NOT NULL AND v.answered_at >= ${p.startTs} AND v.answered_at < ${p.endTs})`;
    case 'campaign_reach':
    case 'campaign_response_rate':
      return campaignMembers(p, sql`cm.response IS NOT NULL`);
    case 'campaign_responses':
      return campaignMembers(p, sql`cm.response IN ('responded', 'accepted', 'declined')`);
    default:
      if (code === 'scorecard_total' || code === 'scored_managers' || SCORECARD_INDICATORS.some((i) => `scorecard_${i.code}` === code)) {
        // a manager's figure: the customers of their portfolio
        return sql`(${inNetworkAtEnd(p)} AND c.manager_id IN (SELECT s.manager_id FROM scorecards s WHERE s.month BETWEEN ${p.first} AND ${p.last}))`;
      }
      // the facts' sums (volume, revenue, paid …): the customers billed in the period
      return totals(p);
  }
}

/** Members of the campaigns started in the period (the month a campaign starts counts its members), as the engine counts them. */
const campaignMembers = (p: Period, cond: SQL) => sql`EXISTS (
  SELECT 1 FROM analysis_campaign_members cm JOIN analysis_campaigns k ON k.id = cm.campaign_id AND k.status <> 'draft'
  WHERE cm.customer_id = c.id AND date_trunc('month', k.starts_on)::date BETWEEN ${p.first} AND ${p.last} AND ${cond})`;

const values = (v: string | string[]) => textArray(Array.isArray(v) ? v : [v]);

function conditions(d: Drill): { where: SQL[]; period: Period } {
  // a month key narrows the period to that month
  const from = typeof d.keys.month === 'string' ? d.keys.month : d.from;
  const to = typeof d.keys.month === 'string' ? d.keys.month : d.to;
  const period: Period = {
    first: sql`${monthDate(from)}::date`,
    last: sql`${monthDate(to)}::date`,
    end: sql`(${monthDate(to)}::date + interval '1 month')::date`,
    startTs: sql`(${monthDate(from)}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`,
    endTs: sql`((${monthDate(to)}::date + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai')`,
  };
  const where: SQL[] = [membership(d.code, period)];
  if (d.scope.unitPath !== '/') where.push(sql`u.path LIKE ${`${d.scope.unitPath.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  if (d.scope.managerId !== null) where.push(sql`c.manager_id = ${d.scope.managerId}`);
  const k = d.keys;
  if (k.city) where.push(sql`u.city_id::text = ANY(${values(k.city)})`);
  if (k.county) where.push(sql`u.county_id::text = ANY(${values(k.county)})`);
  if (k.manager) where.push(sql`c.manager_id::text = ANY(${values(k.manager)})`);
  if (k.industry) where.push(sql`c.industry = ANY(${values(k.industry)})`);
  if (k.brand) where.push(sql`c.brand = ANY(${values(k.brand)})`);
  if (k.kind) where.push(sql`c.kind = ANY(${values(k.kind)})`);
  if (Array.isArray(d.keys.month)) where.push(sql`false`); // a month list is not a figure's key
  if (k.archive) {
    // the archive at the period's end, as the rollup counts it
    where.push(sql`(CASE WHEN c.archive = 'retained' AND (c.archived_on IS NULL OR c.archived_on < ${period.end}) THEN 'retained' ELSE 'in_network' END) = ANY(${values(k.archive)})`);
  }
  if (k.level) where.push(ratings(period, sql`r.level = ANY(${values(k.level)})`));
  return { where, period };
}

export function drillCount(d: Drill): SQL {
  const { where } = conditions(d);
  return sql`SELECT count(*)::int AS total FROM customers c JOIN analysis_unit_areas u ON u.unit_id = c.unit_id WHERE ${sql.join(where, sql` AND `)}`;
}

export function drillStatement(d: Drill, page: { offset: number; limit: number }): SQL {
  const { where } = conditions(d);
  return sql`
    SELECT c.id, c.customer_no AS "customerNo", c.name, c.kind, c.unit_id AS "unitId", o.name AS "unitName", o.name_en AS "unitNameEn",
           c.manager_id AS "managerId", m.display_name AS "managerName", st.level
    FROM customers c
    JOIN analysis_unit_areas u ON u.unit_id = c.unit_id
    JOIN org_units o ON o.id = c.unit_id
    LEFT JOIN users m ON m.id = c.manager_id
    LEFT JOIN customer_standings st ON st.customer_id = c.id
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY c.customer_no
    OFFSET ${page.offset} LIMIT ${page.limit}`;
}
