import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Drawer, InputNumber, Popconfirm, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, call } from '../../../api/client';
import { useSession } from '../../../app/session';
import { tid, useEditor } from '../../../components/EntityModalForm';
import { formatDateTime } from '../../../components/format';
import { useAction } from '../../../components/useSubmit';
import { localName, useI18n } from '../../../i18n';
import { clockOf, dayOf, hasStarted, refreshAppointments, StatusTag, type Appointment, type Resource, type Slot } from './common';
import { BookingActions, BookingForm } from './forms';

/** One slot of the calendar: its bookings with their actions, booking a customer, and (heads) its capacity. */
export function SlotDrawer({ slot, resource, bookings, onClose }: { slot: Slot | null; resource: Resource; bookings: Appointment[]; onClose: () => void }) {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const booking = useEditor<void>();
  if (!slot) return null;
  const started = hasStarted(slot);
  const full = slot.booked >= slot.capacity;
  const columns: ColumnsType<Appointment> = [
    {
      title: t('appointments.customer'),
      dataIndex: 'customerName',
      render: (_, a) => (
        <Space direction="vertical" size={0}>
          <Link to={`/customers/${a.customerId}`}>{a.customerName}</Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {a.customerNo}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('appointments.purpose'), dataIndex: 'purpose', ellipsis: true },
    { title: t('appointments.status'), dataIndex: 'status', width: 90, render: (_, a) => <StatusTag status={a.status} /> },
    { title: t('appointments.bookedBy'), dataIndex: 'bookedByName', width: 90, render: (_, a) => a.bookedByName ?? a.bookedBy ?? '-' },
    { title: t('common.actions'), key: 'actions', width: 200, render: (_, a) => <BookingActions appointment={a} /> },
  ];
  return (
    <Drawer
      open
      width={860}
      onClose={onClose}
      title={t('appointments.slot.title', { resource: localName(locale, resource), day: dayOf(slot.startsAt), from: clockOf(slot.startsAt), to: clockOf(slot.endsAt) })}
      extra={
        can('appointments.book') && (
          <Button type="primary" icon={<PlusOutlined />} disabled={started || full || !resource.active} onClick={() => booking.open()} {...tid('slot-book')}>
            {t('appointments.book')}
          </Button>
        )
      }
      {...tid('slot-drawer')}
    >
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        {(started || full) && <Alert type="info" showIcon message={t(started ? 'appointments.slot.started' : 'appointments.slot.full')} />}
        <Descriptions size="small" column={2} bordered>
          <Descriptions.Item label={t('appointments.slot.booked')}>
            <span {...tid('slot-places')}>{t('appointments.places', { booked: slot.booked, capacity: slot.capacity })}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('appointments.slot.capacity')}>{can('appointments.manage') ? <CapacityEditor key={`${slot.id}:${slot.version}`} slot={slot} onDeleted={onClose} /> : slot.capacity}</Descriptions.Item>
        </Descriptions>
        <Table<Appointment>
          {...tid('slot-bookings')}
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={bookings}
          pagination={false}
          locale={{ emptyText: t('appointments.noBookings') }}
          expandable={{ expandedRowRender: (a) => <Typography.Text type="secondary">{[a.note, a.remindedAt && `${t('appointments.reminded')} ${formatDateTime(a.remindedAt)}`].filter(Boolean).join(' · ') || '-'}</Typography.Text> }}
        />
      </Space>
      <BookingForm open={booking.isOpen} onClose={booking.close} slotId={slot.id} />
    </Drawer>
  );
}

/** A head changes the slot's capacity (never below the places booked) or deletes a slot nobody booked. */
function CapacityEditor({ slot, onDeleted }: { slot: Slot; onDeleted: () => void }) {
  const { t } = useI18n();
  const act = useAction();
  const [capacity, setCapacity] = useState(slot.capacity);
  const save = () =>
    act(() => call(api.PATCH('/api/appointment-slots/{id}', { params: { path: { id: slot.id } }, body: { version: slot.version, capacity } })).then(refreshAppointments), {
      success: t('appointments.slot.capacitySaved'),
      onConflict: () => void refreshAppointments(),
    });
  const remove = () =>
    act(
      () =>
        call(api.DELETE('/api/appointment-slots/{id}', { params: { path: { id: slot.id } } })).then(() => {
          onDeleted();
          return refreshAppointments();
        }),
      { success: t('appointments.slot.deleted') },
    );
  return (
    <Space wrap>
      <InputNumber min={Math.max(1, slot.booked)} max={500} value={capacity} onChange={(v) => setCapacity(v ?? slot.capacity)} {...tid('slot-capacity')} />
      <Button size="small" disabled={capacity === slot.capacity} onClick={save} {...tid('slot-capacity-save')}>
        {t('appointments.slot.saveCapacity')}
      </Button>
      {slot.booked === 0 && (
        <Popconfirm title={t('appointments.slot.confirmDelete')} onConfirm={remove} okButtonProps={tid('slot-delete-confirm')}>
          <Button size="small" danger {...tid('slot-delete')}>
            {t('appointments.slot.delete')}
          </Button>
        </Popconfirm>
      )}
    </Space>
  );
}
