import { Tag } from 'antd';
import type { Schemas } from '../../../api/client';
import { tid } from '../../../components/EntityModalForm';
import { useI18n, type Translate } from '../../../i18n';

export type Plan = Schemas['WorkPlan'];
export type PlanDetail = Schemas['WorkPlanDetail'];
export type PlanItem = Schemas['WorkPlanItem'];
export type OpenItem = Schemas['WorkPlanOpenItem'];
export type WorkLog = Schemas['WorkLog'];
export type WorkLogDetail = Schemas['WorkLogDetail'];
export type WorkComment = Schemas['WorkComment'];
export type PlanStatus = Plan['status'];
export type WorkKind = PlanItem['kind'];
export type LogResult = WorkLog['result'];

export const PLAN_STATUSES: PlanStatus[] = ['draft', 'submitted', 'approved', 'returned'];
export const WORK_KINDS: WorkKind[] = ['visit', 'call', 'proposal', 'collection'];
export const LOG_RESULTS: LogResult[] = ['positive', 'neutral', 'negative'];

const STATUS_COLOR: Record<PlanStatus, string> = { draft: 'default', submitted: 'blue', approved: 'green', returned: 'orange' };
const ITEM_COLOR: Record<PlanItem['status'], string> = { planned: 'blue', done: 'green', missed: 'red' };
const KIND_COLOR: Record<WorkKind, string> = { visit: 'geekblue', call: 'cyan', proposal: 'purple', collection: 'gold' };
export const RESULT_COLOR: Record<LogResult, string> = { positive: 'green', neutral: 'default', negative: 'red' };

export const kindName = (t: Translate, kind: WorkKind) => t(`plans.kind.${kind}`);
export const periodRange = (t: Translate, p: { period: Plan['period']; startsOn: string; endsOn: string }) => `${t(`plans.period.${p.period}`)} ${t('plans.range', { from: p.startsOn, to: p.endsOn })}`;

export function PlanStatusTag({ plan }: { plan: Pick<Plan, 'id' | 'status'> }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLOR[plan.status]} data-status={plan.status} {...tid(`plan-status-${plan.id}`)}>
      {t(`plans.status.${plan.status}`)}
    </Tag>
  );
}

export function ItemStatusTag({ item }: { item: Pick<PlanItem, 'id' | 'status'> }) {
  const { t } = useI18n();
  return (
    <Tag color={ITEM_COLOR[item.status]} data-status={item.status} {...tid(`plan-item-status-${item.id}`)}>
      {t(`plans.item.status.${item.status}`)}
    </Tag>
  );
}

export function KindTag({ kind }: { kind: WorkKind }) {
  const { t } = useI18n();
  return <Tag color={KIND_COLOR[kind]}>{kindName(t, kind)}</Tag>;
}
