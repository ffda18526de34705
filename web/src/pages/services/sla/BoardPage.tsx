import { PageContainer } from '@ant-design/pro-components';
import { Card, Col, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useApi, useApiList } from '../../../api/swr';
import { useSession } from '../../../app/session';
import { tid } from '../../../components/EntityModalForm';
import { UnitTreeSelect } from '../../../components/units';
import { useI18n } from '../../../i18n';
import { REQUEST_STATUSES, SLA_COLOR, SlaTag, StatusTag, typeName, type ServiceRequest } from '../requests/common';

/** SLA 看板: the unit's open requests against their targets — counts by SLA state and status, and the most urgent ones first. */
export function BoardPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const [unitId, setUnitId] = useState<number | undefined>();
  const board = useApi('/api/services/requests/board', { query: { unitId } }, { refreshInterval: 60_000 });
  const urgent = useApiList('/api/services/requests', { query: { view: 'unit', open: 'true', sort: 'due', limit: 20, ...(unitId && { unitId }) } }, { refreshInterval: 60_000 });
  const b = board.data;

  const columns: ColumnsType<ServiceRequest> = [
    { title: t('requests.slaState'), dataIndex: 'slaState', width: 160, render: (_, r) => <SlaTag request={r} /> },
    { title: t('requests.requestNo'), dataIndex: 'requestNo', width: 190, render: (_, r) => <Link to={`/services/requests/${r.id}`}>{r.requestNo}</Link> },
    { title: t('requests.type'), dataIndex: 'type', width: 100, render: (_, r) => typeName(t, r.type) },
    { title: t('requests.title'), dataIndex: 'title', ellipsis: true },
    { title: t('requests.customer'), dataIndex: 'customerName', width: 200, ellipsis: true },
    { title: t('requests.status'), dataIndex: 'status', width: 110, render: (_, r) => <StatusTag request={r} /> },
    { title: t('requests.owner'), dataIndex: 'ownerName', width: 100, render: (_, r) => r.ownerName ?? t('requests.unassigned') },
  ];
  return (
    <PageContainer
      title={t('requests.boardTitle')}
      content={t('requests.boardIntro')}
      extra={can('org.read') ? <UnitTreeSelect allowClear placeholder={t('requests.board.unitAll')} style={{ minWidth: 240 }} value={unitId} onChange={(v) => setUnitId(v ?? undefined)} {...tid('board-unit')} /> : null}
      {...tid('sla-board')}
    >
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Card size="small" loading={!b}>
            <Statistic title={t('requests.board.total')} value={b?.total ?? 0} {...tid('board-total')} />
          </Card>
        </Col>
        {(['warning', 'breached'] as const).map((s) => (
          <Col xs={12} md={6} key={s}>
            <Card size="small" loading={!b}>
              <Statistic title={t(`requests.sla.${s}`)} value={b?.bySlaState[s] ?? 0} valueStyle={{ color: SLA_COLOR[s] === 'red' ? '#cf1322' : '#d46b08' }} {...tid(`board-${s}`)} />
            </Card>
          </Col>
        ))}
        <Col xs={12} md={6}>
          <Card size="small" loading={!b}>
            <Statistic title={t('requests.board.dueSoon')} value={b?.dueSoon ?? 0} {...tid('board-due-soon')} />
          </Card>
        </Col>
        <Col span={24}>
          <Card size="small">
            <Space wrap>
              <Typography.Text type="secondary">{t('requests.board.satisfaction')}</Typography.Text>
              <Typography.Text {...tid('board-satisfaction')}>
                {b?.satisfaction.average ? t('requests.board.satisfactionValue', { average: b.satisfaction.average, answered: b.satisfaction.answered, low: b.satisfaction.low }) : '-'}
              </Typography.Text>
              {REQUEST_STATUSES.filter((s) => s !== 'resolved' && s !== 'closed').map((s) => (
                <Tag key={s}>
                  {t(`requests.status.${s}`)} {b?.byStatus[s] ?? 0}
                </Tag>
              ))}
            </Space>
          </Card>
        </Col>
        <Col span={24}>
          <Card size="small" title={t('requests.board.nearest')}>
            <Table<ServiceRequest> rowKey="id" size="small" loading={urgent.isLoading} columns={columns} dataSource={urgent.data?.items ?? []} pagination={false} scroll={{ x: 1000 }} {...tid('board-urgent')} />
          </Card>
        </Col>
      </Row>
    </PageContainer>
  );
}
