import { Empty, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router-dom';
import { useApiList } from '../../../api/swr';
import { useSession } from '../../../app/session';
import { tid } from '../../../components/EntityModalForm';
import { formatDateTime } from '../../../components/format';
import { localName, useI18n } from '../../../i18n';
import { kindName, StatusTag, windowText, type CustomerOutage } from './common';

/** 割接通知 in the customer's 360° view: the planned outages affecting the customer, latest window first, and whether it was told. */
export function CustomerNoticesTab({ customerId }: { customerId: number }) {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const remote = useApiList('/api/customers/{id}/outages', { path: { id: customerId }, query: { limit: 100 } });

  const columns: ColumnsType<CustomerOutage> = [
    {
      title: t('notices.titleField'),
      dataIndex: 'title',
      ellipsis: true,
      render: (_, o) => (can('notices.read') ? <Link to={`/services/notices/${o.id}`} {...tid(`customer-notice-${o.id}`)}>{o.title}</Link> : <span {...tid(`customer-notice-${o.id}`)}>{o.title}</span>),
    },
    { title: t('notices.kind'), dataIndex: 'kind', width: 110, render: (_, o) => kindName(t, o.kind) },
    { title: t('notices.area'), dataIndex: 'areaUnitName', width: 150, render: (_, o) => localName(locale, { name: o.areaUnitName, nameEn: o.areaUnitNameEn }) },
    { title: t('notices.window'), dataIndex: 'startsAt', width: 260, render: (_, o) => windowText(t, o) },
    { title: t('common.status'), dataIndex: 'status', width: 100, render: (_, o) => <StatusTag outage={o} /> },
    {
      title: t('notices.customers.notifiedAt'),
      dataIndex: 'customerNotifiedAt',
      width: 190,
      render: (_, o) =>
        o.customerNotifiedAt ? t('notices.tab.toldAt', { at: formatDateTime(o.customerNotifiedAt) }) : <Typography.Text type="secondary">{t('notices.tab.notTold')}</Typography.Text>,
    },
  ];
  return (
    <Table<CustomerOutage>
      {...tid('customer-notices')}
      rowKey="id"
      size="small"
      loading={remote.isLoading}
      columns={columns}
      dataSource={remote.data?.items ?? []}
      pagination={{ pageSize: 10 }}
      locale={{ emptyText: <Empty description={t('notices.tab.empty')} /> }}
      scroll={{ x: 900 }}
    />
  );
}
