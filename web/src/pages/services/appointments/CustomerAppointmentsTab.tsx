import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router-dom';
import { useApiList } from '../../../api/swr';
import { useSession } from '../../../app/session';
import { tid, useEditor } from '../../../components/EntityModalForm';
import { localName, useI18n } from '../../../i18n';
import { clockOf, dayOf, KindTag, StatusTag, type Appointment } from './common';
import { BookingActions, BookingForm } from './forms';

/** 预约 in the customer's 360° view: their appointments, latest slot first, with the actions and a button to book. */
export function CustomerAppointmentsTab({ customer }: { customer: { id: number; name: string; mergedInto: number | null } }) {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const booking = useEditor<void>();
  const remote = useApiList('/api/customers/{id}/appointments', { path: { id: customer.id }, query: { limit: 100 } });
  const columns: ColumnsType<Appointment> = [
    {
      title: t('appointments.time'),
      dataIndex: 'startsAt',
      width: 170,
      render: (_, a) => (
        <Link to={`/services/appointments?resource=${a.resourceId}&date=${dayOf(a.startsAt)}&view=day`}>
          {dayOf(a.startsAt)} {clockOf(a.startsAt)}–{clockOf(a.endsAt)}
        </Link>
      ),
    },
    {
      title: t('appointments.resource'),
      dataIndex: 'resourceName',
      render: (_, a) => (
        <Space size={4}>
          <KindTag kind={a.resourceKind} />
          {localName(locale, { name: a.resourceName, nameEn: a.resourceNameEn })}
        </Space>
      ),
    },
    { title: t('appointments.purpose'), dataIndex: 'purpose', ellipsis: true },
    { title: t('appointments.status'), dataIndex: 'status', width: 90, render: (_, a) => <StatusTag status={a.status} /> },
    { title: t('appointments.bookedBy'), dataIndex: 'bookedByName', width: 100, render: (_, a) => a.bookedByName ?? a.bookedBy ?? '-' },
    { title: t('common.actions'), key: 'actions', width: 200, render: (_, a) => <BookingActions appointment={a} /> },
  ];
  return (
    <Card
      size="small"
      title={
        <Space>
          {t('appointments.customerTab')}
          <Typography.Text type="secondary">{t('common.total', { total: remote.data?.total ?? 0 })}</Typography.Text>
        </Space>
      }
      extra={
        can('appointments.book') &&
        customer.mergedInto === null && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => booking.open()} {...tid('customer-appointment-new')}>
            {t('appointments.book')}
          </Button>
        )
      }
      {...tid('customer-appointments')}
    >
      <Table<Appointment>
        rowKey="id"
        size="small"
        loading={remote.isLoading}
        columns={columns}
        dataSource={remote.data?.items ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: t('appointments.customerTab.none') }}
        scroll={{ x: 900 }}
      />
      <BookingForm open={booking.isOpen} onClose={booking.close} customer={customer} />
    </Card>
  );
}
