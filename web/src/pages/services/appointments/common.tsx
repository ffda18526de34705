import { Select, Tag, type SelectProps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { Schemas } from '../../../api/client';
import { revalidate, useApiList } from '../../../api/swr';
import { ZONE } from '../../../components/format';
import { localName, useI18n, type MessageKey, type Translate } from '../../../i18n';

export type Resource = Schemas['AppointmentResource'];
export type Slot = Schemas['AppointmentSlot'];
export type Appointment = Schemas['Appointment'];
export type AppointmentStatus = Appointment['status'];
export type ResourceKind = Resource['kind'];

export const RESOURCE_KINDS: ResourceKind[] = ['vip_lounge', 'outlet', 'manager'];
export const STATUS_COLOR: Record<AppointmentStatus, string> = { booked: 'blue', attended: 'green', no_show: 'red', cancelled: 'default' };
const KIND_COLOR: Record<ResourceKind, string> = { manager: 'purple', outlet: 'cyan', vip_lounge: 'gold' };

export const kindName = (t: Translate, kind: ResourceKind) => t(`appointments.kind.${kind}` as MessageKey);
export const statusName = (t: Translate, status: AppointmentStatus) => t(`appointments.status.${status}` as MessageKey);

export function KindTag({ kind }: { kind: ResourceKind }) {
  const { t } = useI18n();
  return (
    <Tag color={KIND_COLOR[kind]} style={{ whiteSpace: 'nowrap' }}>
      {kindName(t, kind)}
    </Tag>
  );
}

export function StatusTag({ status }: { status: AppointmentStatus }) {
  const { t } = useI18n();
  return <Tag color={STATUS_COLOR[status]}>{statusName(t, status)}</Tag>;
}

// ---- the 广东 calendar

/** An instant in Asia/Shanghai. */
export const local = (at: string | Dayjs) => dayjs(at).tz(ZONE);
export const dayOf = (at: string) => local(at).format('YYYY-MM-DD');
export const clockOf = (at: string) => local(at).format('HH:mm');
export const addDays = (day: string, n: number) => dayjs(day).add(n, 'day').format('YYYY-MM-DD');
/** ISO weekday, 1 Monday … 7 Sunday. */
export const isoWeekday = (day: string) => ((dayjs(day).day() + 6) % 7) + 1;
export const mondayOf = (day: string) => addDays(day, 1 - isoWeekday(day));
export const hasStarted = (slot: Pick<Slot, 'startsAt'>) => dayjs(slot.startsAt).valueOf() <= Date.now();

/** How full a slot is, for its colour: past, free, some, almost (three quarters or more), full. */
export type Fullness = 'past' | 'free' | 'some' | 'almost' | 'full';
export function fullnessOf(slot: Slot): Fullness {
  if (hasStarted(slot)) return 'past';
  if (slot.booked >= slot.capacity) return 'full';
  if (slot.booked === 0) return 'free';
  return slot.booked / slot.capacity >= 0.75 ? 'almost' : 'some';
}
export const FULLNESS_STYLE: Record<Fullness, { background: string; borderColor: string }> = {
  free: { background: '#f6ffed', borderColor: '#b7eb8f' },
  some: { background: '#e6f4ff', borderColor: '#91caff' },
  almost: { background: '#fff7e6', borderColor: '#ffd591' },
  full: { background: '#fff1f0', borderColor: '#ffa39e' },
  past: { background: '#fafafa', borderColor: '#d9d9d9' },
};

// ---- data

/** The active resources the reader books (the area where they read key accounts). */
export function useResources() {
  return useApiList('/api/appointment-resources', { query: { active: 'true', limit: 1000 } });
}

/** After a booking changed: the calendars, the lists and the customer's tab read again. */
export const refreshAppointments = () =>
  revalidate('/api/appointment-resources/{id}/slots', '/api/appointment-resources/{id}/appointments', '/api/customers/{id}/appointments', '/api/appointment-resources');

export function ResourceSelect(props: SelectProps<number> & { 'data-testid'?: string }) {
  const { t, locale } = useI18n();
  const { data, isLoading } = useResources();
  const resources = data?.items ?? [];
  const options = RESOURCE_KINDS.map((kind) => ({
    label: kindName(t, kind),
    options: resources.filter((r) => r.kind === kind).map((r) => ({ value: r.id, label: `${localName(locale, r)}` })),
  })).filter((g) => g.options.length > 0);
  return (
    <Select<number>
      showSearch
      optionFilterProp="label"
      loading={isLoading}
      placeholder={t('appointments.pickResource')}
      notFoundContent={isLoading ? undefined : t('appointments.noResources')}
      options={options}
      style={{ minWidth: 240 }}
      {...props}
    />
  );
}
