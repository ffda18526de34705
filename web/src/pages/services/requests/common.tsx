import { Tag, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import type { Schemas } from '../../../api/client';
import { tid } from '../../../components/EntityModalForm';
import { formatDateTime } from '../../../components/format';
import { useI18n, type Translate } from '../../../i18n';

export type ServiceRequest = Schemas['ServiceRequest'];
export type RequestDetail = Schemas['ServiceRequestDetail'];
export type RequestStatus = ServiceRequest['status'];
export type RequestType = ServiceRequest['type'];

export const REQUEST_TYPES: RequestType[] = ['consultation', 'complaint', 'fault', 'bill_query', 'plan_change', 'sim_replacement', 'repair', 'payment', 'network_transfer'];
export const REQUEST_STATUSES: RequestStatus[] = ['new', 'accepted', 'in_progress', 'waiting_customer', 'resolved', 'closed'];
export const CHANNELS: ServiceRequest['channel'][] = ['hotline', 'outlet', 'manager', 'web', 'partner'];
export const SLA_STATES: ServiceRequest['slaState'][] = ['ok', 'warning', 'breached'];

const STATUS_COLOR: Record<RequestStatus, string> = { new: 'blue', accepted: 'cyan', in_progress: 'geekblue', waiting_customer: 'gold', resolved: 'green', closed: 'default' };
export const SLA_COLOR: Record<ServiceRequest['slaState'], string> = { ok: 'green', warning: 'orange', breached: 'red' };

export const typeName = (t: Translate, type: RequestType) => t(`sla.type.${type}`);

export function StatusTag({ request }: { request: Pick<ServiceRequest, 'id' | 'status'> }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLOR[request.status]} {...tid(`request-status-${request.id}`)} data-status={request.status}>
      {t(`requests.status.${request.status}`)}
    </Tag>
  );
}

/** The time now, moving on every minute (the time left to a deadline counts down on screen). */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** A span of time in the largest unit that reads well: 2 天 5 小时, 3 小时, 45 分钟. */
export function spanText(t: Translate, ms: number): string {
  const minutes = Math.max(1, Math.round(Math.abs(ms) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return hours ? `${t('requests.days', { n: days })} ${t('requests.hours', { n: hours })}` : t('requests.days', { n: days });
  if (hours > 0) return t('requests.hours', { n: hours });
  return t('requests.minutes', { n: minutes });
}

/** The SLA state of a request with the time left (or overdue) to its resolution target; paused while waiting for the customer. */
export function SlaTag({ request }: { request: ServiceRequest }) {
  const { t } = useI18n();
  const now = useNow();
  const open = request.status !== 'resolved' && request.status !== 'closed';
  const due = request.resolveDueAt ? new Date(request.resolveDueAt).valueOf() : null;
  let text = t(`requests.sla.${request.slaState}`);
  if (open && request.pausedAt) text = t('requests.paused');
  else if (open && due !== null) text = due >= now ? t('requests.leftTime', { time: spanText(t, due - now) }) : t('requests.overdueBy', { time: spanText(t, now - due) });
  return (
    <Tooltip title={request.resolveDueAt ? `${t('requests.resolveDueAt')} ${formatDateTime(request.resolveDueAt)}` : t('requests.noDeadline')}>
      <Tag color={request.pausedAt && open ? 'default' : SLA_COLOR[request.slaState]} {...tid(`request-sla-${request.id}`)} data-sla={request.slaState}>
        {text}
      </Tag>
    </Tooltip>
  );
}
