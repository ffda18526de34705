/**
 * The demo's manager tasks (任务管理): each city head has set six tasks to the city's account managers, one in each
 * state — open and just assigned, in progress with reports, partly submitted and evaluated, closed, overdue and
 * escalated to the province head, cancelled — and the province head one for every manager holding customers of
 * an industry. Due days count from the day of the seeding, so that what is overdue is overdue at the first start;
 * progress and scores are deterministic from the seed (md5 of the assignment and the seed), set-based.
 */
import { sql } from 'drizzle-orm';
import { escalateOverdueTasks } from '../modules/managers/tasks/overdue.js';
import type { Deps } from '../platform/deps.js';
import { todayAt } from '../platform/months.js';

/** A city head's task: what it says, how many days from today it is due, and the state the demo leaves it in. */
interface Template {
  key: string;
  title: string;
  description: string;
  expected: string;
  dueIn: number;
  state: 'assigned' | 'in_progress' | 'submitted' | 'closed' | 'overdue' | 'cancelled';
}

const TEMPLATES: Template[] = [
  { key: 'T1', title: '走访五星客户，摸排 5G 专网需求', description: '本月内逐户走访名下五星级集团客户，了解园区网络、视频监控与云业务需求。', expected: '形成每户的需求清单与跟进计划', dueIn: 12, state: 'assigned' },
  { key: 'T2', title: '集团客户年度续约跟进', description: '对合同将在 90 天内到期的集团客户逐一联系，确认续约意向与价格诉求。', expected: '续约意向表，重点客户报价方案', dueIn: 6, state: 'in_progress' },
  { key: 'T3', title: '欠费客户催缴', description: '对上月有欠费的客户电话或上门催缴，记录承诺缴费日期。', expected: '欠费清零或形成缴费承诺', dueIn: 3, state: 'submitted' },
  { key: 'T4', title: '重点客户满意度回访', description: '回访上季度有投诉或故障工单的客户，了解处理结果满意度。', expected: '回访记录，不满意客户的改进措施', dueIn: -12, state: 'closed' },
  { key: 'T5', title: '物联网卡业务推广', description: '向制造业与物流业客户推广定向流量物联网卡，每人至少促成两单。', expected: '每人两单以上签约', dueIn: -3, state: 'overdue' },
  { key: 'T6', title: '政企专线割接通知', description: '通知受核心网割接影响的专线客户，确认割接窗口。', expected: '受影响客户全部确认', dueIn: 8, state: 'cancelled' },
];

const REPORTS = ['已完成首轮电话沟通，客户有意向', '已上门拜访关键人，正在准备方案', '方案已提交客户，等待内部审批'];

export async function seedDemoManagerTasks(deps: Deps, seed: number): Promise<void> {
  const { database } = deps;
  const today = todayAt();
  const s = String(seed);
  /** A number in [0, 2^31) from md5 of a row key and a salt: the same on PGlite and PostgreSQL for the same seed. */
  const hash = (key: ReturnType<typeof sql>, salt: string) => sql`((('x' || substr(md5(${key}::text || ${salt}), 1, 8))::bit(32)::int) & 2147483647)`;
  const templates = JSON.stringify(TEMPLATES.map((t) => ({ ...t, dueOn: new Date(Date.parse(today) + t.dueIn * 86_400_000).toISOString().slice(0, 10) })));

  await database.db.transaction(async (tx) => {
    // every city head's six tasks, to the account managers of the city (a team target); created a fortnight before their due day
    await tx.execute(sql`
      WITH heads AS (
        SELECT u.id AS head_id, u.unit_id, ou.name AS unit_name, ou.path FROM users u JOIN org_units ou ON ou.id = u.unit_id
        JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id
        WHERE r.code = 'city_head' AND u.active
      ), tpl AS (SELECT * FROM jsonb_to_recordset(${templates}::jsonb) AS x(key text, title text, description text, expected text, "dueOn" date, state text))
      INSERT INTO manager_tasks (title, description, expected_outcome, due_on, unit_id, issued_by, target, status, created_at, updated_at)
      SELECT tpl.title, tpl.description, tpl.expected, tpl."dueOn", h.unit_id, h.head_id,
             jsonb_build_object('kind', 'team', 'unitId', h.unit_id, 'label', h.unit_name, 'count', 0, 'demo', tpl.key),
             CASE tpl.state WHEN 'closed' THEN 'closed' WHEN 'cancelled' THEN 'cancelled' ELSE 'open' END,
             tpl."dueOn" - 14, tpl."dueOn" - 14
      FROM heads h CROSS JOIN tpl ORDER BY h.head_id, tpl.key`);
    await tx.execute(sql`
      INSERT INTO manager_task_assignments (task_id, manager_id, created_at, updated_at)
      SELECT DISTINCT t.id, u.id, t.created_at, t.created_at FROM manager_tasks t JOIN org_units tu ON tu.id = t.unit_id
      JOIN org_units ou ON starts_with(ou.path, tu.path) JOIN users u ON u.unit_id = ou.id AND u.active
      JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id
      WHERE t.target ? 'demo' AND r.code = 'account_manager'`);
    // the province head's task for every manager holding customers of 信息技术 (industry I)
    await tx.execute(sql`
      WITH head AS (
        SELECT u.id, u.unit_id, ou.path FROM users u JOIN org_units ou ON ou.id = u.unit_id JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id
        WHERE r.code = 'province_head' AND u.active ORDER BY u.id LIMIT 1
      ), task AS (
        INSERT INTO manager_tasks (title, description, expected_outcome, due_on, unit_id, issued_by, target)
        SELECT '信息技术行业客户云业务专项营销', '对名下信息传输、软件和信息技术服务业客户推介移动云主机与云专线。', '每户一份上云方案', ${today}::date + 20, head.unit_id, head.id,
               jsonb_build_object('kind', 'filter', 'filter', jsonb_build_object('industry', 'I'), 'label', '', 'count', 0, 'demo', 'P1')
        FROM head RETURNING id, unit_id
      )
      INSERT INTO manager_task_assignments (task_id, manager_id)
      SELECT DISTINCT task.id, c.manager_id FROM task JOIN org_units pu ON pu.id = task.unit_id
      JOIN customers c ON c.industry = 'I' AND c.manager_id IS NOT NULL JOIN org_units cu ON cu.id = c.unit_id AND starts_with(cu.path, pu.path)
      JOIN users u ON u.id = c.manager_id AND u.active`);
    await tx.execute(sql`
      UPDATE manager_tasks t SET target = jsonb_set(t.target, '{count}', to_jsonb((SELECT count(*) FROM manager_task_assignments a WHERE a.task_id = t.id)))
      WHERE t.target ? 'demo'`);

    // the states: n numbers the managers of a task (1, 2, 3 …) so that each task shows a mix
    await tx.execute(sql`
      WITH ranked AS (
        SELECT a.id, t.due_on, t.target->>'demo' AS key, row_number() OVER (PARTITION BY a.task_id ORDER BY a.manager_id) AS n, ${hash(sql`a.id`, s)} AS h
        FROM manager_task_assignments a JOIN manager_tasks t ON t.id = a.task_id WHERE t.target ? 'demo'
      ), state AS (
        SELECT id, due_on, h,
          CASE key
            WHEN 'T1' THEN 'assigned'
            WHEN 'T2' THEN CASE WHEN n % 3 = 0 THEN 'assigned' ELSE 'in_progress' END
            WHEN 'T3' THEN CASE n % 3 WHEN 1 THEN 'evaluated' WHEN 2 THEN 'submitted' ELSE 'in_progress' END
            WHEN 'T4' THEN 'evaluated'
            WHEN 'T5' THEN CASE n % 3 WHEN 1 THEN 'submitted' WHEN 2 THEN 'in_progress' ELSE 'assigned' END
            WHEN 'T6' THEN 'cancelled'
            WHEN 'P1' THEN CASE WHEN n % 2 = 0 THEN 'in_progress' ELSE 'assigned' END
          END AS status
        FROM ranked
      )
      UPDATE manager_task_assignments a SET
        status = st.status,
        progress = CASE st.status WHEN 'in_progress' THEN 20 + (st.h % 7) * 10 WHEN 'submitted' THEN 100 WHEN 'evaluated' THEN 100 ELSE 0 END,
        submitted_at = CASE WHEN st.status IN ('submitted', 'evaluated') THEN (st.due_on - 1 - st.h % 3)::timestamp + interval '16 hours' END,
        score = CASE WHEN st.status = 'evaluated' THEN 62 + st.h % 37 END,
        evaluation = CASE WHEN st.status = 'evaluated' THEN (ARRAY['按期完成，成果扎实', '完成较好，客户反馈积极', '基本完成，方案细节需加强', '完成出色，可作为团队范例'])[1 + st.h % 4] END,
        evaluated_by = CASE WHEN st.status = 'evaluated' THEN (SELECT issued_by FROM manager_tasks WHERE id = a.task_id) END,
        evaluated_at = CASE WHEN st.status = 'evaluated' THEN st.due_on::timestamp + interval '10 hours' END,
        version = CASE WHEN st.status = 'assigned' THEN 1 ELSE 2 END
      FROM state st WHERE st.id = a.id`);

    // 进展报告: one or two reports of every assignment worked on, and a head's reply on some
    const reports = `{${REPORTS.map((r) => `"${r}"`).join(',')}}`;
    await tx.execute(sql`
      INSERT INTO manager_task_reports (assignment_id, author_id, progress, body, created_at)
      SELECT a.id, a.manager_id, greatest(10, a.progress - (2 - k) * 20), (${reports}::text[])[k], t.created_at + (k * 2 || ' days')::interval + interval '15 hours'
      FROM manager_task_assignments a JOIN manager_tasks t ON t.id = a.task_id CROSS JOIN generate_series(1, 2) k
      WHERE t.target ? 'demo' AND a.status IN ('in_progress', 'submitted', 'evaluated') AND (k = 1 OR ${hash(sql`a.id`, `${s}:r`)} % 2 = 0)`);
    await tx.execute(sql`
      INSERT INTO manager_task_reports (assignment_id, author_id, progress, body, created_at)
      SELECT a.id, t.issued_by, NULL, '收到，注意把握客户预算节点，有困难及时反馈。', t.created_at + interval '5 days 9 hours'
      FROM manager_task_assignments a JOIN manager_tasks t ON t.id = a.task_id
      WHERE t.target ? 'demo' AND a.status IN ('in_progress', 'submitted') AND ${hash(sql`a.id`, `${s}:h`)} % 3 = 0`);
  });
  // 逾期上报: the overdue ones escalate as the hourly job would escalate them, to the province head
  await escalateOverdueTasks(deps);
  await database.rows(sql`UPDATE manager_tasks SET target = target - 'demo' WHERE target ? 'demo'`);
}
