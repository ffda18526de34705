import { Alert, Card, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useApiList, type Item } from '../../../api/swr';
import { tid } from '../../../components/EntityModalForm';
import { formatDateTime } from '../../../components/format';
import { useI18n } from '../../../i18n';
import type { Snapshot } from './Summary';
import { alertText } from './words';

type AlertRow = Item<'/api/system/alerts'>;
const PAGE = 10;

/** The alerts standing now, at the top of the page. */
export function StandingAlerts({ alerts }: { alerts: Snapshot['alerts'] }) {
  const { t, locale } = useI18n();
  if (!alerts.length) return <Alert type="success" showIcon message={t('monitor.alerts.none')} {...tid('monitor-alerts-none')} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }} {...tid('monitor-alerts-standing')}>
      {alerts.map((a) => (
        <Alert key={a.id} type="error" showIcon message={alertText(t, locale, a)} description={formatDateTime(a.raisedAt)} />
      ))}
    </Space>
  );
}

/** 告警记录: every alert raised, newest first, with when it cleared. */
export function AlertHistory({ refresh }: { refresh: number }) {
  const { t, locale } = useI18n();
  const [page, setPage] = useState(1);
  const { data, isLoading } = useApiList('/api/system/alerts', { query: { offset: (page - 1) * PAGE, limit: PAGE } }, { refreshInterval: refresh });
  return (
    <Card title={t('monitor.alerts.history')} size="small">
      <Table<AlertRow>
        {...tid('monitor-alert-history')}
        rowKey="id"
        size="small"
        loading={isLoading}
        dataSource={data?.items ?? []}
        pagination={{ current: page, pageSize: PAGE, total: data?.total ?? 0, onChange: setPage, showTotal: (total) => t('common.total', { total }) }}
        columns={[
          { title: t('monitor.alerts.what'), dataIndex: 'kind', render: (_, a) => alertText(t, locale, a) },
          { title: t('monitor.alerts.raisedAt'), dataIndex: 'raisedAt', width: 180, render: (_, a) => formatDateTime(a.raisedAt) },
          {
            title: t('monitor.alerts.clearedAt'),
            dataIndex: 'clearedAt',
            width: 180,
            render: (_, a) => (a.clearedAt ? formatDateTime(a.clearedAt) : <Tag color="red">{t('monitor.alerts.open')}</Tag>),
          },
        ]}
      />
    </Card>
  );
}
