/**
 * 逾期上报: assignments past their task's due day and not submitted, evaluated or cancelled escalate, once, to the
 * next head — the nearest holder of tasks.assign above the issuing unit (its parent unit upwards). Each batch
 * marks its assignments escalated in the transaction that tells the next head (one message per task) and the
 * manager (one per assignment), so a run cut short leaves the rest for the next one and nobody is told twice.
 */
import type { Deps } from '../../../platform/deps.js';
import type { JobDef } from '../../../platform/jobs/scheduler.js';
import { todayAt } from '../../../platform/months.js';
import { nearestHoldersSql, notifyUsers, type InAppMessage } from '../../../platform/notify/notify.js';
import * as q from './queries.js';

const BATCH = 2000;
const linkOf = (taskId: number) => `/managers/tasks/${taskId}`;

function messagesOf(escalated: q.Escalated[]): InAppMessage[] {
  const byHead = new Map<string, { first: q.Escalated; count: number }>();
  for (const e of escalated) {
    const key = `${e.taskId}:${e.escalatedTo}`;
    const seen = byHead.get(key);
    if (seen) seen.count++;
    else byHead.set(key, { first: e, count: 1 });
  }
  const common = (e: q.Escalated) => ({ link: linkOf(e.taskId), entity: 'manager_task', entityId: e.taskId });
  return [
    ...[...byHead.values()].map(({ first: e, count }) => ({
      userId: e.escalatedTo,
      code: 'notify_task_escalated' as const,
      params: { title: e.title, unit: e.unitName, issuer: e.issuedByName, dueOn: e.dueOn, count },
      ...common(e),
    })),
    ...escalated.map((e) => ({ userId: e.managerId, code: 'notify_task_overdue' as const, params: { title: e.title, dueOn: e.dueOn, head: e.headName }, ...common(e) })),
  ];
}

/** Escalates the overdue assignments not escalated yet (as of `now`'s day in 广东); returns the counts. */
export async function escalateOverdueTasks(deps: Deps, now = new Date()): Promise<{ day: string; escalated: number; tasks: number; messages: number }> {
  const { database } = deps;
  const day = todayAt(now);
  const totals = { day, escalated: 0, tasks: 0, messages: 0 };
  const tasks = new Set<number>();
  for (;;) {
    const done = await database.db.transaction(async (tx) => {
      const escalated = await q.escalateOverdue(database, tx, day, BATCH, (parentPath) => nearestHoldersSql(parentPath, 'tasks.assign'));
      totals.escalated += escalated.length;
      for (const e of escalated) tasks.add(e.taskId);
      totals.messages += await notifyUsers(tx, messagesOf(escalated));
      return escalated.length < BATCH;
    });
    if (done) break;
  }
  totals.tasks = tasks.size;
  return totals;
}

/** Hourly: a task due yesterday escalates in the first hour of today (Asia/Shanghai). */
export const taskOverdueJob: JobDef = { name: 'managers.tasks-overdue', pattern: '10 * * * *', run: (deps) => escalateOverdueTasks(deps) };
