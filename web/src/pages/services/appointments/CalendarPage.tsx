import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Button, Card, DatePicker, Empty, Segmented, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState, type CSSProperties } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useApiList } from '../../../api/swr';
import { useSession } from '../../../app/session';
import { tid } from '../../../components/EntityModalForm';
import { today } from '../../../components/format';
import { useI18n, type MessageKey } from '../../../i18n';
import { addDays, clockOf, dayOf, FULLNESS_STYLE, fullnessOf, isoWeekday, mondayOf, ResourceSelect, useResources, type Appointment, type Fullness, type Slot } from './common';
import { SlotDrawer } from './SlotDrawer';

type View = 'day' | 'week';

/** 预约日历: a resource's slots of a day or a week as a grid (days × start times), coloured by how full they are. */
export function CalendarPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const resources = useResources();
  const resourceId = Number(params.get('resource')) || resources.data?.items[0]?.id;
  const view: View = params.get('view') === 'day' ? 'day' : 'week';
  const day = /^\d{4}-\d{2}-\d{2}$/.test(params.get('date') ?? '') ? params.get('date')! : today();
  const from = view === 'week' ? mondayOf(day) : day;
  const to = view === 'week' ? addDays(from, 6) : day;
  const [openSlot, setOpenSlot] = useState<number | null>(null);

  const set = (next: Record<string, string | number>) => {
    const merged = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) merged.set(k, String(v));
    setParams(merged, { replace: true });
  };
  const range = resourceId ? { path: { id: resourceId }, query: { from, to } } : null;
  const slots = useApiList('/api/appointment-resources/{id}/slots', range);
  const bookings = useApiList('/api/appointment-resources/{id}/appointments', range && { ...range, query: { ...range.query, limit: 2000 } });
  const resource = resources.data?.items.find((r) => r.id === resourceId);
  const slotList = slots.data?.items ?? [];
  const bySlot = useMemo(() => {
    const map = new Map<number, Appointment[]>();
    for (const a of bookings.data?.items ?? []) map.set(a.slotId, [...(map.get(a.slotId) ?? []), a]);
    return map;
  }, [bookings.data]);
  const step = view === 'week' ? 7 : 1;
  const unit = t(`appointments.view.${view}`);

  return (
    <PageContainer title={t('appointments.calendar.title')} content={t('appointments.calendar.intro')} {...tid('appointments-calendar-page')}>
      <Card size="small">
        <Space wrap style={{ marginBottom: 16 }}>
          <ResourceSelect value={resourceId} onChange={(id) => set({ resource: id })} data-testid="calendar-resource" />
          <Segmented<View>
            value={view}
            onChange={(v) => set({ view: v })}
            options={[
              { value: 'day', label: t('appointments.view.day') },
              { value: 'week', label: t('appointments.view.week') },
            ]}
            {...tid('calendar-view')}
          />
          <Button icon={<LeftOutlined />} onClick={() => set({ date: addDays(day, -step) })} aria-label={t('appointments.prev', { unit })} {...tid('calendar-prev')} />
          <Button onClick={() => set({ date: today() })} {...tid('calendar-today')}>
            {t('appointments.today')}
          </Button>
          <Button icon={<RightOutlined />} onClick={() => set({ date: addDays(day, step) })} aria-label={t('appointments.next', { unit })} {...tid('calendar-next')} />
          <DatePicker allowClear={false} value={dayjs(day)} onChange={(d) => set({ date: d.format('YYYY-MM-DD') })} {...tid('calendar-date')} />
          {can('appointments.manage') && <Link to="/services/appointments/resources">{t('menu.services.appointmentResources')}</Link>}
        </Space>
        <Legend />
        {!resourceId ? (
          <Empty description={resources.isLoading ? undefined : t('appointments.noResources')} />
        ) : (
          <SlotGrid days={view === 'week' ? Array.from({ length: 7 }, (_, i) => addDays(from, i)) : [day]} slots={slotList} bookings={bySlot} detailed={view === 'day'} onOpen={setOpenSlot} loading={slots.isLoading} />
        )}
      </Card>
      {resource && (
        <SlotDrawer slot={slotList.find((s) => s.id === openSlot) ?? null} resource={resource} bookings={openSlot ? (bySlot.get(openSlot) ?? []) : []} onClose={() => setOpenSlot(null)} />
      )}
    </PageContainer>
  );
}

function Legend() {
  const { t } = useI18n();
  const kinds: Fullness[] = ['free', 'some', 'almost', 'full', 'past'];
  return (
    <Space size={4} style={{ marginBottom: 12 }}>
      {kinds.map((k) => (
        <Tag key={k} style={{ ...FULLNESS_STYLE[k], color: 'inherit' }}>
          {t(`appointments.legend.${k}` as MessageKey)}
        </Tag>
      ))}
    </Space>
  );
}

interface GridProps {
  days: string[];
  slots: Slot[];
  bookings: Map<number, Appointment[]>;
  /** The day view names the customers booked in each slot. */
  detailed: boolean;
  loading: boolean;
  onOpen: (slotId: number) => void;
}

/** Rows are the start times of the period's slots, columns its days; a cell is a slot, or empty. */
function SlotGrid({ days, slots, bookings, detailed, loading, onOpen }: GridProps) {
  const { t } = useI18n();
  const times = [...new Set(slots.map((s) => clockOf(s.startsAt)))].sort();
  const at = new Map(slots.map((s) => [`${dayOf(s.startsAt)} ${clockOf(s.startsAt)}`, s]));
  if (!loading && slots.length === 0) return <Empty description={t('appointments.noSlots')} {...tid('calendar-empty')} />;
  const cell: CSSProperties = { border: '1px solid #f0f0f0', padding: 4, verticalAlign: 'top' };
  return (
    <div style={{ overflowX: 'auto' }}>
      <table style={{ borderCollapse: 'collapse', width: '100%', tableLayout: 'fixed', minWidth: days.length * 110 + 70 }} {...tid('calendar-grid')}>
        <thead>
          <tr>
            <th style={{ ...cell, width: 70 }} />
            {days.map((d) => (
              <th key={d} style={{ ...cell, background: d === today() ? '#e6f4ff' : '#fafafa', fontWeight: 500 }}>
                {t(`appointments.weekday.${isoWeekday(d)}` as MessageKey)} {d.slice(5)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {times.map((time) => (
            <tr key={time}>
              <td style={{ ...cell, textAlign: 'right', color: '#8c8c8c' }}>{time}</td>
              {days.map((d) => {
                const slot = at.get(`${d} ${time}`);
                return <td key={d} style={cell}>{slot && <SlotCell slot={slot} bookings={bookings.get(slot.id) ?? []} detailed={detailed} onOpen={onOpen} />}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SlotCell({ slot, bookings, detailed, onOpen }: { slot: Slot; bookings: Appointment[]; detailed: boolean; onOpen: (id: number) => void }) {
  const { t } = useI18n();
  const fullness = fullnessOf(slot);
  const held = bookings.filter((a) => a.status !== 'cancelled');
  return (
    <div
      role="button"
      tabIndex={0}
      onClick={() => onOpen(slot.id)}
      onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && onOpen(slot.id)}
      style={{ ...FULLNESS_STYLE[fullness], border: `1px solid ${FULLNESS_STYLE[fullness].borderColor}`, borderRadius: 4, padding: '4px 6px', cursor: 'pointer', minHeight: 32 }}
      data-fullness={fullness}
      {...tid(`slot-${slot.id}`)}
    >
      <Typography.Text strong>{t('appointments.places', { booked: slot.booked, capacity: slot.capacity })}</Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 6 }}>
        {clockOf(slot.startsAt)}–{clockOf(slot.endsAt)}
      </Typography.Text>
      {detailed && held.length > 0 && (
        <div style={{ fontSize: 12 }}>
          {held.map((a) => (
            <div key={a.id}>{a.customerName}</div>
          ))}
        </div>
      )}
    </div>
  );
}
