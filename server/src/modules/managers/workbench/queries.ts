/**
 * SQL of the workbench and the team view. The workbench is one statement (a manager's portfolio is read once,
 * and every panel is a subquery on it), served from the hot pool: a manager opens it many times a day.
 */
import { sql } from 'drizzle-orm';
import { inSubtree } from '../../../platform/auth/scope.js';

const OPEN_REQUEST = sql`r.status NOT IN ('resolved', 'closed')`;
const OPEN_ASSIGNMENT = sql`a.status IN ('assigned', 'in_progress')`;

export interface WorkbenchParams {
  managerId: number;
  /** Today in 广东 (YYYY-MM-DD), the Monday of this week, and the first month of the trend. */
  today: string;
  weekStart: string;
  trendFrom: string;
  /** Reminders due up to this day are listed; appointments up to the end of that day. */
  horizon: string;
}

export function selectWorkbench(p: WorkbenchParams) {
  // a reminder shows when open, or snoozed until a day that has come
  const shown = sql`(m.status = 'open' OR (m.status = 'snoozed' AND m.snoozed_until <= ${p.today}::date))`;
  return sql`
    WITH mine AS MATERIALIZED (
      -- the portfolio's ids from the partial index alone; names are read only for the rows listed
      SELECT c.id FROM customers c WHERE c.manager_id = ${p.managerId} AND c.merged_into IS NULL AND c.archive = 'in_network'
    ),
    -- what the portfolio billed, month by month, as the monthly scorecards counted it (the portfolio at each
    -- month's end): six rows, where summing the customers' totals read 500 × 6 rows of the partitions
    trend AS (
      SELECT sc.month, l.value FROM scorecards sc JOIN scorecard_lines l ON l.scorecard_id = sc.id AND l.indicator = 'portfolio_revenue'
      WHERE sc.manager_id = ${p.managerId} AND sc.month >= ${p.trendFrom}::date AND l.value IS NOT NULL
    ),
    -- the portfolio's standings from one range of their own index (migrations 0037, 0041), not one lookup per customer
    standings AS MATERIALIZED (
      SELECT s.customer_id, s.level, s.level_rank, s.prev_level, s.arrears_fen FROM customer_standings s WHERE s.manager_id = ${p.managerId} AND s.archive = 'in_network'
    ),
    -- the requests carry their customer's manager (migration 0039): one range of their open index, then the
    -- portfolio's own conditions from the customers' primary key, for the hundred or so found
    open_requests AS MATERIALIZED (
      SELECT r.id, r.request_no, r.title, r.type, r.status, r.sla_state, r.resolve_due_at, r.customer_id
      FROM service_requests r JOIN customers c ON c.id = r.customer_id
      WHERE r.manager_id = ${p.managerId} AND ${OPEN_REQUEST} AND c.manager_id = ${p.managerId} AND c.merged_into IS NULL AND c.archive = 'in_network'
    ),
    shown_reminders AS MATERIALIZED (
      SELECT m.id, m.type, m.due_on, m.customer_id, m.params FROM reminders m
      WHERE m.manager_id = ${p.managerId} AND m.status <> 'dismissed' AND ${shown} AND m.due_on <= ${p.horizon}::date
    ),
    open_assignments AS MATERIALIZED (
      SELECT a.id, a.task_id, t.title, t.due_on, a.status, a.progress FROM manager_task_assignments a JOIN manager_tasks t ON t.id = a.task_id
      WHERE a.manager_id = ${p.managerId} AND ${OPEN_ASSIGNMENT}
    ),
    -- the run the standings hold (the latest completed, once the standings' job has seen it)
    rated AS (SELECT r.month FROM customer_standings_state st JOIN rule_runs r ON r.id = st.run_id)
    SELECT
      (SELECT count(*)::int FROM mine) AS customers,
      (SELECT coalesce(json_agg(json_build_object('month', to_char(month, 'YYYY-MM'), 'billed', round(value, 2)::text) ORDER BY month), '[]') FROM trend) AS trend,
      (SELECT count(*)::int FROM standings WHERE arrears_fen > 0) AS in_arrears,
      (SELECT coalesce(json_agg(json_build_object('level', level, 'customers', n) ORDER BY rank NULLS FIRST), '[]')
         FROM (SELECT level, min(level_rank) AS rank, count(*)::int AS n FROM standings GROUP BY level) l) AS by_level,
      (SELECT count(*)::int FROM shown_reminders) AS reminders_open,
      (SELECT coalesce(json_agg(json_build_object('type', type, 'count', n) ORDER BY type), '[]') FROM (SELECT type, count(*)::int AS n FROM shown_reminders GROUP BY type) b) AS reminders_by_type,
      (SELECT coalesce(json_agg(json_build_object('id', x.id, 'type', x.type, 'dueOn', x.due_on, 'customerId', x.customer_id, 'customerName', c.name, 'params', x.params) ORDER BY x.due_on, x.id), '[]')
         FROM (SELECT * FROM shown_reminders ORDER BY due_on, id LIMIT 10) x LEFT JOIN customers c ON c.id = x.customer_id) AS reminder_items,
      (SELECT count(*)::int FROM open_assignments) AS tasks_open,
      (SELECT count(*)::int FROM open_assignments WHERE due_on < ${p.today}::date) AS tasks_overdue,
      (SELECT coalesce(json_agg(json_build_object('assignmentId', x.id, 'taskId', x.task_id, 'title', x.title, 'dueOn', x.due_on, 'status', x.status, 'progress', x.progress) ORDER BY x.due_on, x.id), '[]')
         FROM (SELECT * FROM open_assignments ORDER BY due_on, id LIMIT 10) x) AS task_items,
      (SELECT coalesce(json_agg(json_build_object('id', x.id, 'startsAt', x.starts_at, 'customerId', x.customer_id, 'customerName', x.customer_name, 'resourceName', x.resource_name, 'purpose', x.purpose) ORDER BY x.starts_at, x.id), '[]')
         FROM (
           SELECT a.id, s.starts_at, a.customer_id, c.name AS customer_name, res.name AS resource_name, a.purpose
           FROM appointments a JOIN appointment_slots s ON s.id = a.slot_id JOIN appointment_resources res ON res.id = s.resource_id JOIN customers c ON c.id = a.customer_id
           WHERE a.status = 'booked' AND s.starts_at >= now() AND s.starts_at < (${p.horizon}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
             AND (a.customer_id IN (SELECT id FROM mine) OR res.user_id = ${p.managerId})
           ORDER BY s.starts_at, a.id LIMIT 10) x) AS appointments,
      (SELECT count(*)::int FROM open_requests) AS requests_open,
      (SELECT count(*)::int FROM open_requests WHERE sla_state = 'warning') AS requests_warning,
      (SELECT count(*)::int FROM open_requests WHERE sla_state = 'breached') AS requests_breached,
      (SELECT coalesce(json_agg(json_build_object('id', x.id, 'requestNo', x.request_no, 'title', x.title, 'type', x.type, 'status', x.status, 'slaState', x.sla_state,
                                                  'resolveDueAt', x.resolve_due_at, 'customerId', x.customer_id, 'customerName', c.name) ORDER BY x.resolve_due_at NULLS LAST, x.id), '[]')
         FROM (SELECT * FROM open_requests ORDER BY resolve_due_at NULLS LAST, id LIMIT 10) x JOIN customers c ON c.id = x.customer_id) AS request_items,
      (SELECT to_char(month, 'YYYY-MM') FROM rated) AS rated_month,
      -- the highest levels first: 20 read from the standings, their names alone from the customers (every customer of
      -- a first run has changed: 492 names, 6.5 ms, when they were sorted by name)
      (SELECT coalesce(json_agg(json_build_object('customerId', x.customer_id, 'customerName', c.name, 'from', x.prev_level, 'to', x.level)
                                ORDER BY x.level_rank DESC NULLS LAST, c.name, x.customer_id), '[]')
         FROM (SELECT * FROM standings WHERE level IS NOT NULL AND level IS DISTINCT FROM prev_level ORDER BY level_rank DESC NULLS LAST, customer_id LIMIT 20) x
         JOIN customers c ON c.id = x.customer_id) AS level_changes,
      (SELECT json_build_object('id', w.id, 'status', w.status, 'startsOn', w.starts_on,
                                'items', (SELECT count(*)::int FROM work_plan_items i WHERE i.plan_id = w.id),
                                'done', (SELECT count(*)::int FROM work_plan_items i WHERE i.plan_id = w.id AND i.status = 'done'),
                                'today', (SELECT count(*)::int FROM work_plan_items i WHERE i.plan_id = w.id AND i.planned_on = ${p.today}::date))
         FROM work_plans w WHERE w.manager_id = ${p.managerId} AND w.period = 'week' AND w.starts_on = ${p.weekStart}::date) AS plan,
      (SELECT json_build_object('id', sc.id, 'month', to_char(sc.month, 'YYYY-MM'), 'status', sc.status, 'totalScore', sc.total_score::text, 'unitRank', sc.unit_rank)
         FROM scorecards sc WHERE sc.manager_id = ${p.managerId} ORDER BY sc.month DESC LIMIT 1) AS scorecard`;
}

export interface WorkbenchRow {
  customers: number;
  trend: { month: string; billed: string }[];
  in_arrears: number;
  by_level: { level: string | null; customers: number }[];
  reminders_open: number;
  reminders_by_type: { type: string; count: number }[];
  reminder_items: { id: number; type: string; dueOn: string; customerId: number | null; customerName: string | null; params: Record<string, unknown> }[];
  tasks_open: number;
  tasks_overdue: number;
  task_items: { assignmentId: number; taskId: number; title: string; dueOn: string; status: string; progress: number }[];
  appointments: { id: number; startsAt: string; customerId: number; customerName: string; resourceName: string; purpose: string }[];
  requests_open: number;
  requests_warning: number;
  requests_breached: number;
  request_items: { id: number; requestNo: string; title: string; type: string; status: string; slaState: string; resolveDueAt: string | null; customerId: number; customerName: string }[];
  rated_month: string | null;
  level_changes: { customerId: number; customerName: string; from: string | null; to: string }[];
  plan: { id: number; status: string; startsOn: string; items: number; done: number; today: number } | null;
  scorecard: { id: number; month: string; status: string; totalScore: string; unitRank: number | null } | null;
}

/**
 * The account managers of a unit's subtree (active users holding the account_manager role) with their counts.
 * Each count is a grouped subquery over that team, joined once: a city's 150 managers in one pass per table.
 */
export function selectTeam(unitPath: string, p: { today: string; weekStart: string; monthStart: string; horizon: string }) {
  return sql`
    WITH team AS MATERIALIZED (
      SELECT u.id, u.display_name, u.unit_id, o.name AS unit_name, o.name_en AS unit_name_en FROM users u JOIN org_units o ON o.id = u.unit_id
      WHERE u.active AND ${inSubtree(sql`o.path`, unitPath)}
        AND EXISTS (SELECT 1 FROM user_roles ur JOIN roles ro ON ro.id = ur.role_id WHERE ur.user_id = u.id AND ro.code = 'account_manager')
    ),
    portfolio AS (
      SELECT c.manager_id, count(*)::int AS n FROM customers c JOIN team ON team.id = c.manager_id
      WHERE c.merged_into IS NULL AND c.archive = 'in_network' GROUP BY c.manager_id
    ),
    -- an open request carries its customer's manager (migration 0039): one range of the partial index per manager,
    -- not the subtree's open requests joined to their customers (广州, large profile: 435 → 138–169 ms)
    requests AS (
      SELECT r.manager_id, count(*)::int AS open, count(*) FILTER (WHERE r.sla_state = 'breached')::int AS breached
      FROM service_requests r JOIN team ON team.id = r.manager_id
      WHERE r.status NOT IN ('resolved', 'closed') GROUP BY r.manager_id
    ),
    reminders_open AS (
      SELECT m.manager_id, count(*)::int AS n FROM reminders m JOIN team ON team.id = m.manager_id
      WHERE (m.status = 'open' OR (m.status = 'snoozed' AND m.snoozed_until <= ${p.today}::date)) AND m.due_on <= ${p.horizon}::date GROUP BY m.manager_id
    ),
    tasks AS (
      SELECT a.manager_id, count(*)::int AS open, count(*) FILTER (WHERE t.due_on < ${p.today}::date)::int AS overdue
      FROM manager_task_assignments a JOIN manager_tasks t ON t.id = a.task_id JOIN team ON team.id = a.manager_id
      WHERE a.status IN ('assigned', 'in_progress') GROUP BY a.manager_id
    ),
    logs AS (
      SELECT l.manager_id, count(*)::int AS n FROM work_logs l JOIN team ON team.id = l.manager_id
      WHERE l.logged_on >= ${p.monthStart}::date GROUP BY l.manager_id
    ),
    cards AS (
      SELECT DISTINCT ON (sc.manager_id) sc.manager_id, to_char(sc.month, 'YYYY-MM') AS month, sc.total_score::text AS total, sc.unit_rank
      FROM scorecards sc JOIN team ON team.id = sc.manager_id ORDER BY sc.manager_id, sc.month DESC
    )
    SELECT team.id AS "managerId", team.display_name AS name, team.unit_id AS "unitId", team.unit_name AS "unitName", team.unit_name_en AS "unitNameEn",
      coalesce(portfolio.n, 0) AS customers, coalesce(requests.open, 0) AS "openRequests", coalesce(requests.breached, 0) AS "breachedRequests",
      coalesce(reminders_open.n, 0) AS "openReminders", coalesce(tasks.open, 0) AS "openTasks", coalesce(tasks.overdue, 0) AS "overdueTasks",
      w.status AS "planStatus", coalesce(logs.n, 0) AS "logsThisMonth",
      cards.month AS "scorecardMonth", cards.total AS "totalScore", cards.unit_rank AS "unitRank"
    FROM team
    LEFT JOIN portfolio ON portfolio.manager_id = team.id
    LEFT JOIN requests ON requests.manager_id = team.id
    LEFT JOIN reminders_open ON reminders_open.manager_id = team.id
    LEFT JOIN tasks ON tasks.manager_id = team.id
    LEFT JOIN logs ON logs.manager_id = team.id
    LEFT JOIN cards ON cards.manager_id = team.id
    LEFT JOIN work_plans w ON w.manager_id = team.id AND w.period = 'week' AND w.starts_on = ${p.weekStart}::date
    ORDER BY team.unit_name, team.display_name`;
}

/** The path of a unit, or null when it does not exist. */
export const selectUnitPath = (unitId: number) => sql`SELECT path FROM org_units WHERE id = ${unitId}`;
