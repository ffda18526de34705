/**
 * The demo's service requests (工单): about one a customer over the past year, of every type and status, with
 * their SLA targets from the policies in force (business clocks counting the demo's holidays), the timeline
 * of each, the breaches and fee waivers a year of faults brings, and the customers' satisfaction answers.
 * Deterministic from the seed; written in batches of rows decoded by the database (jsonb_to_recordset), not
 * row by row.
 */
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import type { Deps } from '../platform/deps.js';
import { slaPlanner } from '../modules/services/sla/service.js';
import { Random } from './random.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const BATCH = 2_000;

/** The types by how often key accounts ask for them. */
const TYPES: [string, number, string[]][] = [
  ['consultation', 25, ['咨询国际漫游资费', '咨询 5G 套餐升级', '咨询集团 V 网成员添加', '咨询发票开具']],
  ['fault', 18, ['专线中断', '宽带无法上网', '基站信号弱', '语音通话断续', '物联网卡离线']],
  ['bill_query', 15, ['账单金额异常', '流量费用核对', '集团账单拆分查询']],
  ['plan_change', 12, ['套餐变更', '增加流量包', '取消增值业务']],
  ['complaint', 8, ['对装机时效不满', '营业厅服务态度投诉', '扣费争议投诉']],
  ['sim_replacement', 7, ['补办 SIM 卡', 'eSIM 换卡']],
  ['payment', 7, ['缴费后未复机', '托收缴费失败']],
  ['repair', 5, ['终端维修', '路由器更换']],
  ['network_transfer', 3, ['携号转网咨询办理']],
];
const CHANNELS = ['hotline', 'hotline', 'outlet', 'outlet', 'manager', 'web'];

interface Customer {
  id: number;
  unit_id: number;
  manager_id: number | null;
  level: string | null;
}

function pickType(r: Random): [string, string] {
  const total = TYPES.reduce((s, [, w]) => s + w, 0);
  let x = r.next() * total;
  for (const [type, w, titles] of TYPES) {
    if ((x -= w) < 0) return [type, r.pick(titles)];
  }
  return ['consultation', TYPES[0]![2][0]!];
}

/** A working-hours moment (08:00–20:00 Asia/Shanghai) `daysAgo` days before now. */
function momentBefore(r: Random, now: number, daysAgo: number): Date {
  const day = Math.floor((now + 8 * HOUR) / DAY) * DAY - 8 * HOUR - daysAgo * DAY;
  return new Date(day + 8 * HOUR + r.int(0, 12 * 60 - 1) * 60_000);
}

export async function seedDemoRequests(deps: Deps, seed: number): Promise<void> {
  const r = new Random(seed ^ 0x5e1c);
  const { database } = deps;
  const now = Date.now();
  const customers = await database.rows<Customer>(sql`
    SELECT c.id, c.unit_id, c.manager_id, st.level FROM customers c LEFT JOIN customer_standings st ON st.customer_id = c.id
    WHERE c.merged_into IS NULL AND c.archive = 'in_network' ORDER BY c.id`);
  const plan = await slaPlanner(deps, database.db);
  const requests: Record<string, unknown>[] = [];
  // numbered from the sequence the console's requests take theirs from, so that none is taken twice
  const [first] = await database.rows<{ n: string }>(sql`SELECT nextval('service_request_no_seq') AS n`);
  let n = Number(first!.n) - 1;
  for (const c of customers) {
    const count = r.next() < 0.35 ? 0 : r.int(1, 2);
    for (let k = 0; k < count; k++) {
      const [type, title] = pickType(r);
      const areaKind = r.next() < 0.25 ? 'rural' : 'town';
      const daysAgo = r.next() < 0.1 ? r.int(0, 6) : r.int(7, 364);
      const created = momentBefore(r, now, daysAgo);
      const targets = await plan({ type, level: c.level, areaKind }, created);
      const due = targets?.resolveDueAt.valueOf() ?? created.valueOf() + 3 * DAY;
      const span = due - created.valueOf();
      // most are done within the target; about one in eight faults and one in twenty others are late
      const late = r.next() < (type === 'fault' ? 0.12 : 0.05);
      const handled = created.valueOf() + (late ? span * (1.1 + r.next()) : span * (0.1 + 0.8 * r.next()));
      const open = handled > now || (daysAgo < 7 && r.next() < 0.5);
      const status = open ? r.pick(['new', 'accepted', 'in_progress', 'in_progress', 'waiting_customer']) : daysAgo < 10 && r.next() < 0.4 ? 'resolved' : 'closed';
      const responded = status === 'new' ? null : new Date(created.valueOf() + Math.min(span / 10, HOUR * r.next()));
      const resolved = open ? null : new Date(Math.min(handled, now - HOUR));
      const breached = targets && (late ? due < now : false);
      requests.push({
        no: `SR${created.toISOString().slice(0, 10).replaceAll('-', '')}${String(++n).padStart(6, '0')}`,
        customer_id: c.id,
        type,
        status,
        channel: r.pick(CHANNELS),
        priority: r.next() < 0.1 ? 'urgent' : 'normal',
        area_kind: areaKind,
        title,
        unit_id: c.unit_id,
        owner_id: status === 'new' ? null : c.manager_id,
        policy_id: targets?.policyId ?? null,
        clock: targets?.clock ?? 'calendar',
        respond_due: targets?.respondDueAt ?? null,
        resolve_due: targets?.resolveDueAt ?? null,
        warn_at: targets?.warnAt ?? null,
        responded,
        resolved,
        closed: status === 'closed' ? new Date(resolved!.valueOf() + HOUR) : null,
        paused: status === 'waiting_customer' ? new Date(now - r.int(1, 48) * HOUR) : null,
        sla_state: breached ? 'breached' : targets && !resolved && targets.warnAt.valueOf() < now ? 'warning' : 'ok',
        breached_at: breached ? new Date(due) : null,
        waives: breached && targets?.waivesFee && type === 'fault',
        created,
      });
    }
  }
  await database.db.transaction(async (tx) => {
    // the surveys and timelines are of these requests only (a database may hold others)
    const [last] = await database.rows<{ id: string | null }>(sql`SELECT max(id) AS id FROM service_requests`, tx);
    const after = Number(last?.id ?? 0);
    for (let i = 0; i < requests.length; i += BATCH) await insertBatch(tx, requests.slice(i, i + BATCH));
    await addSurveys(tx, after);
    await addTimelines(tx, after);
    await tx.execute(sql`SELECT setval('service_request_no_seq', ${Math.max(n, Number(first!.n))})`);
  });
}

async function insertBatch(tx: Executor, rows: Record<string, unknown>[]) {
  await tx.execute(sql`
    INSERT INTO service_requests (request_no, customer_id, type, status, channel, priority, area_kind, title, home_unit_id, raised_unit_id, handling_unit_id,
      owner_id, created_by, sla_policy_id, clock, respond_due_at, resolve_due_at, warn_at, responded_at, resolved_at, closed_at, paused_at,
      sla_state, warned_at, breached_at, resolve_breached_at, breach_reason, created_at, updated_at)
    SELECT x.no, x.customer_id, x.type, x.status, x.channel, x.priority, x.area_kind, x.title, x.unit_id, x.unit_id, x.unit_id,
      x.owner_id, x.owner_id, x.policy_id, x.clock, x.respond_due, x.resolve_due, x.warn_at, x.responded, x.resolved, x.closed, x.paused,
      x.sla_state, CASE WHEN x.sla_state <> 'ok' THEN x.warn_at END, x.breached_at, x.breached_at,
      CASE WHEN x.breached_at IS NOT NULL THEN '未在解决时限内解决' END, x.created, coalesce(x.closed, x.resolved, x.created)
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(
      no text, customer_id bigint, type text, status text, channel text, priority text, area_kind text, title text, unit_id bigint,
      owner_id bigint, policy_id bigint, clock text, respond_due timestamptz, resolve_due timestamptz, warn_at timestamptz, responded timestamptz,
      resolved timestamptz, closed timestamptz, paused timestamptz, sla_state text, breached_at timestamptz, waives boolean, created timestamptz)`);
  await tx.execute(sql`
    INSERT INTO fee_waivers (request_id, customer_id, month, reason, created_at)
    SELECT r.id, r.customer_id, date_trunc('month', x.breached_at AT TIME ZONE 'Asia/Shanghai')::date,
           '故障超过修复时限，免收故障期间月租（客户服务标准 2011）', x.breached_at
    FROM jsonb_to_recordset(${JSON.stringify(rows.filter((x) => x.waives))}::jsonb) AS x(no text, breached_at timestamptz)
    JOIN service_requests r ON r.request_no = x.no`);
}

/**
 * 满意度: a survey for every closed request, answered for about two in three (scores mostly 4–5, a few 1–2 with
 * a complaint about the handling), derived from the request's number so that the demo is the same each time.
 */
async function addSurveys(tx: Executor, after: number) {
  await tx.execute(sql`
    INSERT INTO service_surveys (request_id, channel, sent_at, answered_at, score, comment, complaint)
    SELECT r.id, CASE WHEN c.contact_phone IS NULL THEN 'in_app' ELSE 'sms' END, r.closed_at,
           CASE WHEN h.x % 3 <> 0 THEN r.closed_at + interval '3 hours' END,
           CASE WHEN h.x % 3 <> 0 THEN (ARRAY[5, 5, 5, 4, 4, 4, 3, 5, 4, 2, 5, 1])[1 + h.x % 12] END,
           CASE WHEN h.x % 3 <> 0 AND h.x % 12 IN (9, 11) THEN '处理太慢，问题反复出现' WHEN h.x % 3 <> 0 AND h.x % 12 < 3 THEN '服务很及时，谢谢' END,
           h.x % 3 <> 0 AND h.x % 12 = 11
    FROM service_requests r JOIN customers c ON c.id = r.customer_id
    CROSS JOIN LATERAL (SELECT abs(hashtext(r.request_no)) AS x) h
    WHERE r.id > ${after} AND r.closed_at IS NOT NULL`);
}

/** Each request's steps, from its own times: raised, answered, at work or waiting for the customer, breached, waived, resolved (told to the customer), closed. */
async function addTimelines(tx: Executor, after: number) {
  await tx.execute(sql`
    INSERT INTO service_request_events (request_id, kind, from_status, to_status, body, visibility, actor_id, detail, created_at)
    SELECT id, 'created', NULL, 'new', NULL, 'internal', created_by, jsonb_build_object('channel', channel, 'type', type), created_at FROM service_requests WHERE id > ${after}
    UNION ALL
    SELECT id, 'status', 'new', 'accepted', NULL, 'internal', owner_id, NULL, responded_at FROM service_requests WHERE id > ${after} AND responded_at IS NOT NULL
    UNION ALL
    SELECT id, 'status', 'accepted', status, NULL, 'internal', owner_id, NULL, least(responded_at + interval '30 minutes', coalesce(paused_at, now()))
    FROM service_requests WHERE id > ${after} AND status IN ('in_progress', 'waiting_customer') AND responded_at IS NOT NULL
    UNION ALL
    SELECT id, 'sla_breach', NULL, NULL, NULL, 'internal', NULL, jsonb_build_object('reason', 'sla_breach_resolution'), breached_at FROM service_requests WHERE id > ${after} AND breached_at IS NOT NULL
    UNION ALL
    SELECT w.request_id, 'fee_waived', NULL, NULL, NULL, 'customer', NULL, jsonb_build_object('month', to_char(w.month, 'YYYY-MM')), w.created_at FROM fee_waivers w WHERE w.request_id > ${after}
    UNION ALL
    SELECT id, 'status', 'accepted', 'resolved', '问题已处理，感谢您的耐心等待', 'customer', owner_id, NULL, resolved_at FROM service_requests WHERE id > ${after} AND resolved_at IS NOT NULL
    UNION ALL
    SELECT id, 'status', 'resolved', 'closed', NULL, 'internal', owner_id, NULL, closed_at FROM service_requests WHERE id > ${after} AND closed_at IS NOT NULL
    UNION ALL
    SELECT request_id, 'survey', NULL, NULL, comment, 'internal', NULL, jsonb_build_object('score', score, 'complaint', complaint), answered_at
    FROM service_surveys WHERE request_id > ${after} AND answered_at IS NOT NULL
    ORDER BY 9, 1`);
}
