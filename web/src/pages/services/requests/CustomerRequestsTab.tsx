import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useNavigate } from 'react-router-dom';
import { useApiList } from '../../../api/swr';
import { useSession } from '../../../app/session';
import { tid } from '../../../components/EntityModalForm';
import { formatDateTime } from '../../../components/format';
import { useI18n } from '../../../i18n';
import { SlaTag, StatusTag, typeName, type ServiceRequest } from './common';

/** 服务工单 in the customer's 360° view: the customer's requests, newest first, and the monthly fees waived for faults. */
export function CustomerRequestsTab({ customerId }: { customerId: number }) {
  const { t } = useI18n();
  const { can } = useSession();
  const navigate = useNavigate();
  const remote = useApiList('/api/services/requests', { query: { view: 'all', customerId, limit: 100, sort: 'created' } });
  const requests = remote.data?.items ?? [];
  const waived = requests.filter((r) => r.feeWaivedMonth);

  const columns: ColumnsType<ServiceRequest> = [
    { title: t('requests.requestNo'), dataIndex: 'requestNo', width: 190, render: (_, r) => <Link to={`/services/requests/${r.id}`}>{r.requestNo}</Link> },
    { title: t('requests.createdAt'), dataIndex: 'createdAt', width: 170, render: formatDateTime },
    { title: t('requests.type'), dataIndex: 'type', width: 100, render: (_, r) => typeName(t, r.type) },
    { title: t('requests.title'), dataIndex: 'title', ellipsis: true },
    { title: t('requests.status'), dataIndex: 'status', width: 110, render: (_, r) => <StatusTag request={r} /> },
    { title: t('requests.slaState'), dataIndex: 'slaState', width: 150, render: (_, r) => <SlaTag request={r} /> },
    { title: t('requests.owner'), dataIndex: 'ownerName', width: 100, render: (_, r) => r.ownerName ?? '-' },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }} {...tid('customer-requests')}>
      {waived.length > 0 && (
        <Card size="small" title={t('requests.customerWaivers')} {...tid('customer-fee-waivers')}>
          <Space wrap>
            {waived.map((r) => (
              <Tag key={r.id} color="green">
                <Link to={`/services/requests/${r.id}`}>{t('requests.feeWaived', { month: r.feeWaivedMonth! })}</Link> · {r.requestNo}
              </Tag>
            ))}
          </Space>
        </Card>
      )}
      <Card
        size="small"
        title={
          <Space>
            {t('requests.customerTab')}
            <Typography.Text type="secondary">{t('common.total', { total: remote.data?.total ?? 0 })}</Typography.Text>
          </Space>
        }
        extra={
          can('services.handle') && (
            <Button size="small" icon={<PlusOutlined />} onClick={() => navigate(`/services/desk?customerId=${customerId}`)} {...tid('customer-request-new')}>
              {t('requests.newForCustomer')}
            </Button>
          )
        }
      >
        <Table<ServiceRequest> rowKey="id" size="small" loading={remote.isLoading} columns={columns} dataSource={requests} pagination={{ pageSize: 10 }} locale={{ emptyText: t('requests.none') }} scroll={{ x: 900 }} />
      </Card>
    </Space>
  );
}
