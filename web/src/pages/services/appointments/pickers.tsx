import { DatePicker, Select, Space } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useApiList } from '../../../api/swr';
import { today } from '../../../components/format';
import { useI18n } from '../../../i18n';
import { clockOf, hasStarted, ResourceSelect } from './common';

/**
 * Picks a slot that can still be booked: a resource (fixed when `resourceId` is given), a day, then one of
 * the day's slots with free places (full and started ones shown disabled).
 */
export function SlotPicker({ value, onChange, resourceId: fixed, exclude }: { value?: number; onChange?: (slotId: number | undefined) => void; resourceId?: number; exclude?: number }) {
  const { t } = useI18n();
  const [resourceId, setResourceId] = useState<number | undefined>(fixed);
  const [day, setDay] = useState(today());
  const slots = useApiList('/api/appointment-resources/{id}/slots', resourceId ? { path: { id: resourceId }, query: { from: day, to: day } } : null);
  const options = (slots.data?.items ?? [])
    .filter((s) => s.id !== exclude)
    .map((s) => {
      const left = s.capacity - s.booked;
      const disabled = left <= 0 || hasStarted(s);
      return { value: s.id, disabled, label: t(left > 0 ? 'appointments.slotOption' : 'appointments.slotOptionFull', { time: clockOf(s.startsAt), n: left }) };
    });
  const pickResource = (id: number) => {
    setResourceId(id);
    onChange?.(undefined);
  };
  return (
    <Space wrap>
      {fixed === undefined && <ResourceSelect value={resourceId} onChange={pickResource} data-testid="slot-picker-resource" />}
      <DatePicker
        allowClear={false}
        value={dayjs(day)}
        disabledDate={(d) => d.format('YYYY-MM-DD') < today()}
        onChange={(d) => {
          setDay(d.format('YYYY-MM-DD'));
          onChange?.(undefined);
        }}
        data-testid="slot-picker-day"
      />
      <Select<number>
        value={value}
        onChange={(id) => onChange?.(id)}
        loading={slots.isLoading}
        disabled={!resourceId}
        placeholder={t('appointments.pickSlot')}
        notFoundContent={t('appointments.noSlots')}
        options={options}
        style={{ minWidth: 160 }}
        data-testid="slot-picker-slot"
      />
    </Space>
  );
}
