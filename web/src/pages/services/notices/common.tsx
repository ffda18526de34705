import { Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { Schemas } from '../../../api/client';
import { tid } from '../../../components/EntityModalForm';
import { ZONE } from '../../../components/format';
import { useI18n, type Translate } from '../../../i18n';

export type Outage = Schemas['PlannedOutage'];
export type OutageDetail = Schemas['PlannedOutageDetail'];
export type CustomerOutage = Schemas['CustomerOutage'];
export type OutageCustomer = Schemas['OutageCustomer'];
export type OutageStatus = Outage['status'];
export type OutageKind = Outage['kind'];
export type OutageAction = Outage['allowedActions'][number];

export const STATUSES: OutageStatus[] = ['draft', 'pending_approval', 'approved', 'notified', 'completed', 'cancelled'];
export const KINDS: OutageKind[] = ['cutover', 'maintenance', 'upgrade'];

const STATUS_COLOR: Record<OutageStatus, string> = { draft: 'default', pending_approval: 'orange', approved: 'blue', notified: 'green', completed: 'cyan', cancelled: 'red' };

export const statusName = (t: Translate, s: OutageStatus) => t(`notices.status.${s}`);
export const kindName = (t: Translate, k: OutageKind) => t(`notices.kind.${k}`);

export function StatusTag({ outage }: { outage: Pick<Outage, 'id' | 'status'> }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLOR[outage.status]} {...tid(`notice-status-${outage.id}`)} data-status={outage.status}>
      {statusName(t, outage.status)}
    </Tag>
  );
}

// Windows are picked and shown in Beijing time whatever the browser's zone: the pickers hold the wall-clock
// time of Asia/Shanghai (a plain dayjs in the browser's zone with those fields), sent with its +08:00 offset
// (China has had no daylight saving time since 1991).
const WALL = 'YYYY-MM-DD HH:mm';

/** An instant from the API as the wall-clock time of Beijing, for a picker. */
export const toWall = (iso: string): Dayjs => dayjs(dayjs(iso).tz(ZONE).format(WALL));
/** A picker's wall-clock time of Beijing as the instant the API takes. */
export const fromWall = (d: Dayjs): string => `${d.format('YYYY-MM-DDTHH:mm')}:00+08:00`;
/** An instant in Beijing time to the minute. */
export const minuteOf = (iso: string | Date) => dayjs(iso).tz(ZONE).format(WALL);

/** The earliest start 72 hours' notice allows from now, to the minute (rounded up), as Beijing wall-clock time. */
export function earliestStart(now = Date.now()): Dayjs {
  const t = Math.ceil((now + 72 * 3_600_000) / 60_000) * 60_000;
  return toWall(new Date(t).toISOString());
}

/** A window in Beijing time: `2026-12-01 00:00–06:00` within a day, else both ends in full; with its length. */
export function windowText(t: Translate, o: Pick<Outage, 'startsAt' | 'endsAt'>): string {
  const [from, to] = [minuteOf(o.startsAt), minuteOf(o.endsAt)];
  const hours = Math.round((dayjs(o.endsAt).valueOf() - dayjs(o.startsAt).valueOf()) / 360_000) / 10;
  return `${from}–${from.slice(0, 10) === to.slice(0, 10) ? to.slice(11) : to} · ${t('notices.hours', { hours })}`;
}

export const optionsOf = <T extends string>(codes: T[], name: (c: T) => string) => codes.map((c) => ({ value: c, label: name(c) }));
