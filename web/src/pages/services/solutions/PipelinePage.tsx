import { PageContainer } from '@ant-design/pro-components';
import { Card, Col, Empty, Row, Segmented, Select, Space, Spin, Statistic, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useApi } from '../../../api/swr';
import { tid } from '../../../components/EntityModalForm';
import { formatMoney } from '../../../components/format';
import { UnitTreeSelect } from '../../../components/units';
import { useI18n } from '../../../i18n';
import { fenToYuan, KINDS, kindName, optionsOf, STATUS_HEX, STATUSES, statusName, toFen, type Pipeline, type SolutionKind, type SolutionStatus } from './common';

type By = 'unit' | 'owner';
type Row = Pipeline['rows'][number];

/** The list behind a figure: `/services/solutions` filtered as the figure counts. */
const listUrl = (filter: Record<string, string | number | undefined>) => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v !== undefined) params.set(k, String(v));
  return `/services/solutions?${params.toString()}`;
};

/** 方案漏斗: per status the count and expected monthly revenue of the solutions in scope, and the same per sub-unit or owner. */
export function PipelinePage() {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const [unitId, setUnitId] = useState<number | undefined>();
  const [kind, setKind] = useState<SolutionKind | undefined>();
  const [by, setBy] = useState<By>('unit');
  const { data, isLoading } = useApi('/api/solutions/pipeline', { query: { unitId, kind, by } });

  const filterOf = (row?: Row) => ({
    kind,
    unitId: by === 'unit' ? (row?.id ?? unitId) : unitId,
    ownerId: by === 'owner' && row?.id !== null ? row?.id : undefined,
  });
  const open = (status: SolutionStatus, row?: Row) => navigate(listUrl({ ...filterOf(row), status }));
  const rowName = (r: Row) => {
    if (r.id === null) return t('solutions.pipeline.noOwner');
    const name = (locale === 'en-US' && r.nameEn) || r.name || String(r.id);
    return by === 'unit' && r.id === data?.unitId ? t('solutions.pipeline.thisUnit', { name }) : name;
  };
  const openRevenue = (r: Pick<Pipeline, 'statuses'>) => fenToYuan(r.statuses.filter((f) => f.status !== 'signed' && f.status !== 'lost').reduce((sum, f) => sum + (toFen(f.revenue) ?? 0), 0));

  const columns: ColumnsType<Row> = [
    { title: t('solutions.pipeline.row'), key: 'name', fixed: 'left', width: 200, render: (_, r) => rowName(r) },
    ...STATUSES.map((status, i) => ({
      title: statusName(t, status),
      key: status,
      align: 'right' as const,
      render: (_: unknown, r: Row) => {
        const f = r.statuses[i]!;
        return f.count === 0 ? (
          <Typography.Text type="secondary">0</Typography.Text>
        ) : (
          <Typography.Link onClick={() => open(status, r)} {...tid(`pipeline-cell-${r.id ?? 'none'}-${status}`)}>
            {f.count} · ¥{formatMoney(f.revenue)}
          </Typography.Link>
        );
      },
    })),
    { title: t('solutions.pipeline.open'), key: 'open', align: 'right', render: (_, r) => `¥${formatMoney(openRevenue(r))}` },
  ];

  return (
    <PageContainer title={t('solutions.pipeline.title')} content={t('solutions.pipeline.intro')} {...tid('solutions-pipeline-page')}>
      <Space wrap style={{ marginBottom: 16 }}>
        <UnitTreeSelect forCustomers value={unitId} onChange={(v) => setUnitId(v ?? undefined)} placeholder={t('solutions.unit')} data-testid="pipeline-unit" />
        <Select<SolutionKind>
          allowClear
          value={kind}
          onChange={setKind}
          placeholder={t('solutions.kind')}
          options={optionsOf(KINDS, (k) => kindName(t, k))}
          style={{ minWidth: 160 }}
          {...tid('pipeline-kind')}
        />
        <Segmented<By>
          value={by}
          onChange={setBy}
          options={[
            { value: 'unit', label: t('solutions.pipeline.by.unit') },
            { value: 'owner', label: t('solutions.pipeline.by.owner') },
          ]}
          {...tid('pipeline-by')}
        />
      </Space>
      {isLoading || !data ? (
        <Spin />
      ) : (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <Row gutter={[12, 12]}>
            {data.statuses.map((f) => (
              <Col key={f.status} flex="1 1 180px">
                <Card
                  hoverable
                  size="small"
                  onClick={() => open(f.status)}
                  style={{ borderTop: `3px solid ${STATUS_HEX[f.status]}` }}
                  {...tid(`pipeline-status-${f.status}`)}
                >
                  <Statistic title={statusName(t, f.status)} value={f.count} />
                  <Typography.Text type="secondary">
                    {t('solutions.pipeline.revenue')} ¥<span {...tid(`pipeline-revenue-${f.status}`)}>{formatMoney(f.revenue)}</span>
                  </Typography.Text>
                </Card>
              </Col>
            ))}
          </Row>
          {data.rows.length === 0 ? (
            <Empty description={t('solutions.pipeline.empty')} />
          ) : (
            <Table<Row> {...tid('pipeline-table')} rowKey={(r) => String(r.id)} size="small" columns={columns} dataSource={data.rows} pagination={false} scroll={{ x: 900 }} />
          )}
        </Space>
      )}
    </PageContainer>
  );
}
