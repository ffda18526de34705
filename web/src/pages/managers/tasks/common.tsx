import { Progress, Tag } from 'antd';
import type { Schemas } from '../../../api/client';
import { tid } from '../../../components/EntityModalForm';
import { useI18n, type Translate } from '../../../i18n';

export type Task = Schemas['ManagerTask'];
export type TaskDetail = Schemas['ManagerTaskDetail'];
export type MyTask = Schemas['MyManagerTask'];
export type Assignment = TaskDetail['assignments'][number];
export type AssignmentStatus = Assignment['status'];
export type TaskStatus = Task['status'];
export type TargetKind = Task['target']['kind'];

export const ASSIGNMENT_STATUSES: AssignmentStatus[] = ['assigned', 'in_progress', 'submitted', 'evaluated', 'cancelled'];
export const TASK_STATUSES: TaskStatus[] = ['open', 'closed', 'cancelled'];
export const TARGET_KINDS: TargetKind[] = ['manager', 'team', 'filter', 'segment'];

const ASSIGNMENT_COLOR: Record<AssignmentStatus, string> = { assigned: 'blue', in_progress: 'geekblue', submitted: 'gold', evaluated: 'green', cancelled: 'default' };
const TASK_COLOR: Record<TaskStatus, string> = { open: 'processing', closed: 'green', cancelled: 'default' };

export function AssignmentStatusTag({ status, id }: { status: AssignmentStatus; id?: number }) {
  const { t } = useI18n();
  return (
    <Tag color={ASSIGNMENT_COLOR[status]} {...(id !== undefined ? tid(`task-assignment-status-${id}`) : {})} data-status={status}>
      {t(`tasks.assignment.status.${status}`)}
    </Tag>
  );
}

export function TaskStatusTag({ status, id }: { status: TaskStatus; id?: number }) {
  const { t } = useI18n();
  return (
    <Tag color={TASK_COLOR[status]} {...(id !== undefined ? tid(`task-status-${id}`) : {})} data-status={status}>
      {t(`tasks.status.${status}`)}
    </Tag>
  );
}

/** Today in 广东, YYYY-MM-DD (due days are calendar days of Asia/Shanghai). */
export const todayInShanghai = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

/** The due day with the days left, or overdue in red (only while the work is still to be done). */
export function DueTag({ dueOn, pending }: { dueOn: string; pending: boolean }) {
  const { t } = useI18n();
  const left = daysBetween(todayInShanghai(), dueOn);
  if (!pending) return <span>{dueOn}</span>;
  const color = left < 0 ? 'red' : left <= 2 ? 'orange' : 'default';
  const text = left < 0 ? t('tasks.overdueDays', { n: -left }) : left === 0 ? t('tasks.dueToday') : t('tasks.dueIn', { n: left });
  return (
    <span>
      {dueOn}{' '}
      <Tag color={color} data-overdue={left < 0 ? 'true' : 'false'}>
        {text}
      </Tag>
    </span>
  );
}

export function ProgressBar({ percent, overdue, testId }: { percent: number; overdue?: boolean; testId?: string }) {
  return <Progress percent={percent} size="small" status={overdue ? 'exception' : percent >= 100 ? 'success' : 'active'} style={{ minWidth: 120, margin: 0 }} {...(testId ? tid(testId) : {})} />;
}

/** Whom a task was set for, in words. */
export function targetText(t: Translate, target: Task['target']): string {
  const label = target.kind === 'filter' ? t('tasks.targetLabel.filter') : target.label;
  return `${t(`tasks.targetKind.${target.kind}`)}：${label}（${t('tasks.targetCount', { count: target.count })}）`;
}
