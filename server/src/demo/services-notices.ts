/**
 * The demo's planned-work notices (割接/停机通知): in 广州, 深圳 and 佛山 one notice in each state — a draft, one
 * waiting for the province head, one approved, one sent to its customers, one completed last month and one
 * called off — over a district of the city (the sent one over the whole city). They are made through the
 * notices' own service, by the city head and approved by the province head, so the affected customers, the
 * SMS and the managers' messages are what the console makes; the completed one is then moved into the past
 * and its SMS marked sent. Deterministic from the seed, relative to today (windows at night, Beijing time).
 */
import { sql } from 'drizzle-orm';
import { actorOfUser } from '../platform/auth/auth.service.js';
import type { Deps } from '../platform/deps.js';
import { todayAt } from '../platform/months.js';
import { cancelOutage, createOutage, runAction } from '../modules/services/notices/service.js';
import { Random } from './random.js';

const DAY = 86_400_000;
const CITIES = ['GZ', 'SZ', 'FS'];

/** What the work is, by kind: titles and how long it takes at night (hours from 00:00). */
const WORK = [
  { kind: 'cutover', titles: ['核心网设备割接', '传输环网割接', '光缆迁改割接', '无线基站搬迁割接'], hours: [4, 6] },
  { kind: 'maintenance', titles: ['机房电源系统检修', '基站空调及动环维护', '汇聚机房设备例行维护'], hours: [3, 5] },
  { kind: 'upgrade', titles: ['计费系统版本升级', '5G 核心网软件升级', '集团专线网管系统升级'], hours: [2, 30] },
] as const;

type Plan = 'draft' | 'pending_approval' | 'approved' | 'notified' | 'completed' | 'cancelled';
/** Each state's first night from today, and whether the notice covers the whole city rather than a district. */
const PLANS: { plan: Plan; day: number; wholeCity?: boolean }[] = [
  { plan: 'draft', day: 12 },
  { plan: 'pending_approval', day: 9 },
  { plan: 'approved', day: 7 },
  { plan: 'notified', day: 4, wholeCity: true },
  { plan: 'completed', day: 5 },
  { plan: 'cancelled', day: 6 },
];

/** 00:00 Beijing time `days` after today, plus `hours`, as the API takes it. */
const nightOf = (days: number, hours: number) => new Date(Date.parse(`${todayAt()}T00:00:00+08:00`) + days * DAY + hours * 3_600_000).toISOString();

export async function seedDemoNotices(deps: Deps, seed: number): Promise<void> {
  const r = new Random(seed ^ 0x6e6f7463);
  const province = await actorOfUser(deps.database, 'gd_head');
  for (const city of CITIES) {
    const head = await actorOfUser(deps.database, `${city.toLowerCase()}_head`);
    const units = await deps.database.rows<{ id: number; name: string }>(sql`
      SELECT k.id, replace(k.name, '分公司', '') AS name FROM org_units c JOIN org_units k ON k.parent_id = c.id
      WHERE c.code = ${`GD-${city}`} ORDER BY k.code`);
    const [cityUnit] = await deps.database.rows<{ id: number }>(sql`SELECT id FROM org_units WHERE code = ${`GD-${city}`}`);
    for (const { plan, day, wholeCity } of PLANS) {
      const work = r.pick(WORK);
      const district = r.pick(units);
      const hours = r.int(work.hours[0], work.hours[1]);
      const area = wholeCity ? { id: Number(cityUnit!.id), name: '全市' } : { id: Number(district.id), name: district.name };
      let o = await createOutage(deps, head, {
        title: `${area.name}${r.pick(work.titles)}`,
        description: `${work.kind === 'upgrade' ? '版本升级期间' : '作业期间'}相关区域的语音、数据及专线业务可能中断，请客户经理提前告知重点客户做好准备。`,
        kind: work.kind,
        areaUnitId: area.id,
        startsAt: nightOf(day, 0),
        endsAt: nightOf(day, hours),
      });
      if (plan === 'draft') continue;
      o = await runAction(deps, head, o.id, 'submit', { version: o.version });
      if (plan === 'cancelled') {
        await cancelOutage(deps, head, o.id, { version: o.version, reason: '与重大活动通信保障期冲突，另行安排' });
        continue;
      }
      if (plan === 'pending_approval') continue;
      // a short night's work in a district without key accounts needs no approval: it is approved already
      if (o.status === 'pending_approval') o = await runAction(deps, province, o.id, 'approve', { version: o.version, note: '同意，请做好回退预案并提前告知客户' });
      if (plan === 'approved') continue;
      o = await runAction(deps, head, o.id, 'send', { version: o.version });
      if (plan === 'completed') await intoThePast(deps, o.id, 30);
    }
  }
}

/** Moves a sent notice `days` back, as if its work was done last month, its SMS sent then; completes it. */
async function intoThePast(deps: Deps, id: number, days: number) {
  const back = sql`${`${days} days`}::interval`;
  await deps.database.db.transaction(async (tx) => {
    await tx.execute(sql`
      UPDATE planned_outages SET starts_at = starts_at - ${back}, ends_at = ends_at - ${back}, submitted_at = submitted_at - ${back},
        approved_at = approved_at - ${back}, notified_at = notified_at - ${back}, created_at = created_at - ${back},
        status = 'completed', completed_at = ends_at - ${back}, version = version + 1
      WHERE id = ${id}`);
    await tx.execute(sql`UPDATE outage_customers SET notified_at = notified_at - ${back} WHERE outage_id = ${id}`);
    await tx.execute(sql`
      UPDATE outbound_messages SET status = 'sent', created_at = created_at - ${back}, sent_at = created_at - ${back}
      WHERE entity = 'planned_outage' AND entity_id = ${id}`);
    await tx.execute(sql`UPDATE notifications SET created_at = created_at - ${back}, read_at = created_at - ${back} WHERE entity = 'planned_outage' AND entity_id = ${id}`);
  });
}
