/**
 * The demo's work plans and daily logs (工作计划与工作日志): for each account manager, the weekly plans of the
 * last six weeks (this one included) and the monthly plans of this month and the last, in every status — the
 * older ones approved (a few returned first, with the head's comment), last week's submitted or returned, this
 * week's and month's drafted or submitted (the first manager of each city has this week's submitted: a head
 * finds a plan to review) — with items of their portfolio: kept by a log entry, missed once the period ended,
 * or still planned. Besides the logs that keep items, the last 60 days carry about one entry a working day;
 * each visit and call is also a visit in the customer's profile, recorded through the customers area's own
 * bulk function. Deterministic from the seed, relative to today; written in batches, not row by row.
 */
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { workComments, workLogs, workPlanItems, workPlans } from '../db/schema/index.js';
import { recordDemoVisits, type DemoVisit } from '../modules/customers/service.js';
import type { Deps } from '../platform/deps.js';
import { addDays, mondayOf, todayAt } from '../platform/months.js';
import { nearestHoldersSql } from '../platform/notify/notify.js';
import { Random } from './random.js';

const BATCH = 1_000;

type Kind = 'visit' | 'call' | 'proposal' | 'collection';
type Status = 'draft' | 'submitted' | 'approved' | 'returned';

const KINDS: [Kind, number][] = [
  ['visit', 40],
  ['call', 35],
  ['proposal', 15],
  ['collection', 10],
];
const GOALS: Record<Kind, string[]> = {
  visit: ['了解集团专线续约意向', '拜访信息部负责人，介绍 5G 专网', '回访上月装机情况', '了解明年信息化预算', '送达年度服务报告'],
  call: ['电话确认账单疑问已解决', '电话预约下周上门拜访', '回访满意度', '确认新增成员名单'],
  proposal: ['提交云专线扩容方案', '提交企业短信套餐方案', '提交物联网卡资费方案', '提交视频监控一体化方案'],
  collection: ['催缴上月欠费', '确认托收账户变更', '跟进分期缴费安排'],
};
const OUTCOMES: Record<Kind, string[]> = {
  visit: ['拜访信息部王经理，客户有意扩容专线带宽', '与财务负责人沟通续约，客户希望价格优惠', '现场查看机房，专线运行正常', '客户对 5G 专网感兴趣，约定技术交流', '送达服务报告，客户满意'],
  call: ['电话沟通账单疑问，已解释清楚', '客户同意下周三上门拜访', '回访满意度，客户评价良好', '客户反映信号问题，已转网络部门'],
  proposal: ['方案已发送客户，等待内部评审', '客户要求调整报价后再议', '方案通过客户技术评审'],
  collection: ['客户承诺本周内缴清欠费', '已确认托收账户，下月自动扣款', '客户资金紧张，申请分两期缴纳'],
};
const NEXT_STEPS = ['提交正式报价', '预约技术交流', '跟进合同签订', '回访确认问题解决', '邀请参加客户沙龙', '确认缴费到账'];
const RETURN_COMMENTS = ['重点客户覆盖不够，请增加两家五星客户的拜访', '催收事项请明确到具体日期', '本周计划偏少，请补充方案类事项'];
const APPROVE_COMMENTS = ['同意', '同意，注意跟进续约客户', '', '计划合理，按计划执行'];

function pickKind(r: Random): Kind {
  let x = r.next() * 100;
  for (const [kind, w] of KINDS) if ((x -= w) < 0) return kind;
  return 'visit';
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const isWeekday = (day: string) => ![0, 6].includes(new Date(Date.parse(day)).getUTCDay());
/** An instant of a day in 广东 at a working hour. */
const at = (day: string, r: Random) => new Date(Date.parse(`${day}T00:00:00+08:00`) + (9 + r.int(0, 8)) * 3_600_000 + r.int(0, 59) * 60_000);

interface Manager {
  id: number;
  username: string;
  head: number | null;
  customers: number[];
}

interface PlanRow {
  managerId: number;
  period: 'week' | 'month';
  startsOn: string;
  endsOn: string;
  title: string | null;
  status: Status;
  submittedAt: Date | null;
  reviewedBy: number | null;
  reviewedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}
interface ItemRow {
  plan: number; // index into plans
  customerId: number;
  kind: Kind;
  plannedOn: string;
  goal: string;
  status: 'planned' | 'done' | 'missed';
  log: number | null; // index into logs
}
interface LogRow {
  managerId: number;
  customerId: number;
  loggedOn: string;
  kind: Kind;
  outcome: string;
  result: 'positive' | 'neutral' | 'negative';
  nextStep: string | null;
  nextStepOn: string | null;
  item: number | null; // index into items
  createdAt: Date;
}
interface CommentRow {
  plan: number;
  authorId: number;
  decision: 'approved' | 'returned' | null;
  body: string;
  createdAt: Date;
}

async function insertInOrder<T>(rows: T[], write: (batch: T[]) => Promise<{ id: number }[]>): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += BATCH) {
    // identity values are drawn row by row in the order given: ascending ids are the rows' order
    ids.push(...(await write(rows.slice(i, i + BATCH))).map((r) => Number(r.id)).sort((a, b) => a - b));
  }
  return ids;
}

export async function seedDemoManagerPlans(deps: Deps, seed: number): Promise<void> {
  const { database } = deps;
  const r = new Random(seed ^ 0x9a7e);
  const today = todayAt();
  const thisMonday = mondayOf(today);
  const thisMonth = `${today.slice(0, 7)}-01`;
  const lastMonth = dayOf(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 2, 1));
  const monthEnd = (first: string) => dayOf(Date.UTC(Number(first.slice(0, 4)), Number(first.slice(5, 7)), 0));

  const rows = await database.rows<{ id: number; username: string; head: number | null; customers: number[] | null }>(sql`
    SELECT m.id, m.username,
      (${nearestHoldersSql(sql`mo.path`, 'work.review')} ORDER BY 1 LIMIT 1) AS head,
      (SELECT array_agg(c.id ORDER BY c.id) FROM customers c WHERE c.manager_id = m.id AND c.merged_into IS NULL AND c.archive = 'in_network') AS customers
    FROM users m JOIN org_units mo ON mo.id = m.unit_id
    WHERE m.active AND EXISTS (SELECT 1 FROM user_roles ur JOIN roles ro ON ro.id = ur.role_id WHERE ur.user_id = m.id AND ro.code = 'account_manager')
    ORDER BY m.username`);
  const managers: Manager[] = rows
    .map((m) => ({ id: Number(m.id), username: m.username, head: m.head === null ? null : Number(m.head), customers: (m.customers ?? []).map(Number) }))
    .filter((m) => m.customers.length > 0);
  if (!managers.length) return;

  const plans: PlanRow[] = [];
  const items: ItemRow[] = [];
  const logs: LogRow[] = [];
  const comments: CommentRow[] = [];

  const addPlan = (m: Manager, period: 'week' | 'month', startsOn: string, endsOn: string, status: Status, title: string | null) => {
    const created = at(addDays(startsOn, -3), r);
    const submitted = status === 'draft' ? null : at(addDays(startsOn, -1), r);
    // a returned plan that was approved afterwards keeps both decisions
    const returnedFirst = status === 'approved' && r.next() < 0.2;
    const reviewed = status === 'approved' || status === 'returned' ? new Date(submitted!.getTime() + r.int(1, 20) * 3_600_000) : null;
    const plan = plans.push({ managerId: m.id, period, startsOn, endsOn, title, status, submittedAt: submitted, reviewedBy: reviewed && m.head ? m.head : null, reviewedAt: reviewed, createdAt: created, updatedAt: reviewed ?? submitted ?? created }) - 1;
    if (m.head && returnedFirst) comments.push({ plan, authorId: m.head, decision: 'returned', body: r.pick(RETURN_COMMENTS), createdAt: new Date(submitted!.getTime() - 3_600_000) });
    if (m.head && reviewed) {
      const body = status === 'returned' ? r.pick(RETURN_COMMENTS) : r.pick(APPROVE_COMMENTS);
      comments.push({ plan, authorId: m.head, decision: status as 'approved' | 'returned', body, createdAt: reviewed });
    }
    return plan;
  };

  const addItems = (m: Manager, plan: number, count: number) => {
    const p = plans[plan]!;
    const days: string[] = [];
    for (let d = p.startsOn; d <= p.endsOn; d = addDays(d, 1)) if (isWeekday(d)) days.push(d);
    for (let k = 0; k < count; k++) {
      const kind = pickKind(r);
      const customerId = r.pick(m.customers);
      const plannedOn = r.pick(days);
      const item = items.push({ plan, customerId, kind, plannedOn, goal: r.pick(GOALS[kind]), status: 'planned', log: null }) - 1;
      if (plannedOn >= today || p.status === 'draft') continue;
      if (r.next() < 0.72) {
        // kept: on the day planned or a day or two later, within the period and not after today
        let loggedOn = addDays(plannedOn, r.pick([0, 0, 0, 1, 2]));
        if (loggedOn > p.endsOn || loggedOn > today) loggedOn = plannedOn;
        items[item]!.status = 'done';
        items[item]!.log = logs.push(logOf(m, customerId, kind, loggedOn, item)) - 1;
      } else if (p.endsOn < today) {
        items[item]!.status = 'missed';
      }
    }
  };

  const logOf = (m: Manager, customerId: number, kind: Kind, loggedOn: string, item: number | null): LogRow => {
    const next = r.next() < 0.6;
    const roll = r.next();
    return {
      managerId: m.id,
      customerId,
      loggedOn,
      kind,
      outcome: r.pick(OUTCOMES[kind]),
      result: roll < 0.45 ? 'positive' : roll < 0.85 ? 'neutral' : 'negative',
      nextStep: next ? r.pick(NEXT_STEPS) : null,
      nextStepOn: next ? addDays(loggedOn, r.int(1, 10)) : null,
      item,
      createdAt: at(loggedOn, r),
    };
  };

  for (const m of managers) {
    const first = m.username.endsWith('am01');
    for (let k = 5; k >= 0; k--) {
      const monday = addDays(thisMonday, -7 * k);
      const status: Status =
        k === 0 ? (first || r.next() < 0.5 ? 'submitted' : 'draft') : k === 1 ? (r.next() < 0.3 ? 'returned' : r.next() < 0.5 ? 'submitted' : 'approved') : r.next() < 0.1 ? 'returned' : 'approved';
      const plan = addPlan(m, 'week', monday, addDays(monday, 6), status, null);
      addItems(m, plan, r.int(3, 6));
    }
    const prev = addPlan(m, 'month', lastMonth, monthEnd(lastMonth), 'approved', null);
    addItems(m, prev, r.int(4, 8));
    const current = addPlan(m, 'month', thisMonth, monthEnd(thisMonth), r.next() < 0.5 ? 'submitted' : 'draft', null);
    addItems(m, current, r.int(4, 8));
    // the day-to-day entries of the last 60 days, besides those that kept plan items
    for (let d = 60; d >= 0; d--) {
      const day = addDays(today, -d);
      if (!isWeekday(day)) continue;
      const count = r.next() < 0.35 ? 0 : r.int(1, 2);
      for (let k = 0; k < count; k++) logs.push(logOf(m, r.pick(m.customers), pickKind(r), day, null));
    }
  }
  // the titles of the plans, by their period (工作计划标题)
  for (const p of plans) p.title = p.period === 'week' ? `${p.startsOn} 当周客户工作计划` : `${p.startsOn.slice(0, 7)} 月度客户工作计划`;

  await database.db.transaction(async (tx: Executor) => {
    const planIds = await insertInOrder(plans, (batch) => tx.insert(workPlans).values(batch).returning({ id: workPlans.id }));
    const itemIds = await insertInOrder(items, (batch) =>
      tx
        .insert(workPlanItems)
        .values(batch.map((i) => ({ planId: planIds[i.plan]!, customerId: i.customerId, kind: i.kind, plannedOn: i.plannedOn, goal: i.goal, status: i.status, createdAt: plans[i.plan]!.createdAt, updatedAt: plans[i.plan]!.updatedAt })))
        .returning({ id: workPlanItems.id }),
    );
    // each visit or call is a visit in the customer's profile, written by the customers area
    const visitLike = logs.map((l, index) => ({ l, index })).filter(({ l }) => l.kind === 'visit' || l.kind === 'call');
    const visits: DemoVisit[] = visitLike.map(({ l }) => ({ customerId: l.customerId, managerId: l.managerId, visitedOn: l.loggedOn, channel: l.kind === 'visit' ? 'visit' : 'phone', summary: l.outcome }));
    const visitIds: number[] = [];
    for (let i = 0; i < visits.length; i += BATCH) visitIds.push(...(await recordDemoVisits(tx, visits.slice(i, i + BATCH))));
    const visitOf = new Map(visitLike.map(({ index }, k) => [index, visitIds[k]!]));
    const logIds = await insertInOrder(
      logs.map((l, index) => ({ l, index })),
      (batch) =>
        tx
          .insert(workLogs)
          .values(
            batch.map(({ l, index }) => ({
              managerId: l.managerId,
              customerId: l.customerId,
              loggedOn: l.loggedOn,
              kind: l.kind,
              outcome: l.outcome,
              result: l.result,
              nextStep: l.nextStep,
              nextStepOn: l.nextStepOn,
              planItemId: l.item === null ? null : itemIds[l.item]!,
              visitId: visitOf.get(index) ?? null,
              createdAt: l.createdAt,
              updatedAt: l.createdAt,
            })),
          )
          .returning({ id: workLogs.id }),
    );
    const kept = items.flatMap((i, k) => (i.log === null ? [] : [{ item: itemIds[k]!, log: logIds[i.log]! }]));
    for (let i = 0; i < kept.length; i += BATCH) {
      await tx.execute(sql`
        UPDATE work_plan_items i SET log_id = x.log FROM jsonb_to_recordset(${JSON.stringify(kept.slice(i, i + BATCH))}::jsonb) AS x(item bigint, log bigint) WHERE i.id = x.item`);
    }
    for (let i = 0; i < comments.length; i += BATCH) {
      await tx.insert(workComments).values(comments.slice(i, i + BATCH).map((c) => ({ planId: planIds[c.plan]!, authorId: c.authorId, decision: c.decision, body: c.body, createdAt: c.createdAt })));
    }
    // a few heads' remarks on recent entries
    await tx.execute(sql`
      INSERT INTO work_comments (log_id, author_id, body, created_at)
      SELECT l.id, h.head, '跟进及时，注意下一步时间节点', l.created_at + interval '3 hours'
      FROM work_logs l JOIN users m ON m.id = l.manager_id JOIN org_units mo ON mo.id = m.unit_id
      CROSS JOIN LATERAL (${nearestHoldersSql(sql`mo.path`, 'work.review')} ORDER BY 1 LIMIT 1) AS h(head)
      WHERE l.id = ANY(${`{${logIds.filter((_, k) => k % 17 === 0).join(',')}}`}::bigint[])`);
  });
}
