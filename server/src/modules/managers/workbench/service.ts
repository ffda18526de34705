/** 经理工作台 and 团队概览: read-only views over the manager's portfolio and the team's work. */
import { analyticsReads, type Deps } from '../../../platform/deps.js';
import { inScope } from '../../../platform/auth/scope.js';
import type { Actor } from '../../../platform/auth/principal.js';
import { notFound, outOfScope } from '../../../platform/errors.js';
import { addDays, addMonths, mondayOf, monthAt, todayAt } from '../../../platform/months.js';
import * as q from './queries.js';
import type { TeamMember, TeamQuery, Workbench } from './schemas.js';

/** How far ahead the workbench lists reminders and appointments. */
const HORIZON_DAYS = 7;
const TREND_MONTHS = 6;


export async function getWorkbench(deps: Deps, actor: Actor, now = new Date()): Promise<Workbench> {
  if (actor.userId === null) throw notFound('manager');
  const today = todayAt(now);
  const [row] = await deps.database.hotRows<q.WorkbenchRow>(
    q.selectWorkbench({
      managerId: actor.userId,
      today,
      weekStart: mondayOf(today),
      trendFrom: `${addMonths(monthAt(now), -TREND_MONTHS)}-01`,
      horizon: addDays(today, HORIZON_DAYS),
    }),
  );
  const r = row!;
  const latest = r.trend.at(-1) ?? null;
  return {
    today,
    portfolio: { customers: r.customers, month: latest?.month ?? null, billed: latest?.billed ?? '0.00', inArrears: r.in_arrears, byLevel: r.by_level, trend: r.trend },
    reminders: { open: r.reminders_open, byType: r.reminders_by_type, items: r.reminder_items.map((i) => ({ ...i, id: Number(i.id), customerId: i.customerId === null ? null : Number(i.customerId) })) },
    tasks: { open: r.tasks_open, overdue: r.tasks_overdue, items: r.task_items.map((i) => ({ ...i, assignmentId: Number(i.assignmentId), taskId: Number(i.taskId) })) },
    // ids inside json may come as text; days and instants come as ISO text on both drivers
    appointments: r.appointments.map((a) => ({ ...a, id: Number(a.id), customerId: Number(a.customerId) })),
    requests: {
      open: r.requests_open,
      warning: r.requests_warning,
      breached: r.requests_breached,
      items: r.request_items.map((i) => ({ ...i, id: Number(i.id), customerId: Number(i.customerId) })),
    },
    levelChanges: { month: r.rated_month, items: r.level_changes.map((c) => ({ ...c, customerId: Number(c.customerId) })) },
    plan: r.plan && { ...r.plan, id: Number(r.plan.id) },
    scorecard: r.scorecard && { ...r.scorecard, id: Number(r.scorecard.id) },
  };
}

export async function getTeam(deps: Deps, actor: Actor, query: TeamQuery, now = new Date()): Promise<TeamMember[]> {
  let unitPath = actor.unitPath;
  if (query.unitId !== undefined) {
    const [unit] = await deps.database.rows<{ path: string }>(q.selectUnitPath(query.unitId));
    if (!unit) throw notFound('org_unit');
    if (!inScope(actor, unit.path)) throw outOfScope('org_unit');
    unitPath = unit.path;
  }
  const today = todayAt(now);
  // a heavy read of the whole subtree's work: the read replica's when there is one (docs/scale-out.md)
  const rows = await analyticsReads(deps).rows<TeamMember>(q.selectTeam(unitPath, { today, weekStart: mondayOf(today), monthStart: `${monthAt(now)}-01`, horizon: addDays(today, HORIZON_DAYS) }));
  return rows.map((m) => ({ ...m, managerId: Number(m.managerId), unitId: Number(m.unitId) }));
}
