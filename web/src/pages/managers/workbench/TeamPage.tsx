import { PageContainer } from '@ant-design/pro-components';
import { Card, Empty, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { useApi, type Answer } from '../../../api/swr';
import { Chart, type ChartOption } from '../../../components/Chart';
import { tid } from '../../../components/EntityModalForm';
import { UnitTreeSelect } from '../../../components/units';
import { localUnit, useI18n, type MessageKey } from '../../../i18n';

type Member = Answer<'/api/managers/team'>[number];

/** 团队概览: a head's account managers side by side — portfolio, open work, this week's plan, the last scorecard. */
export function TeamPage() {
  const { t, locale } = useI18n();
  const [unitId, setUnitId] = useState<number | undefined>();
  const { data = [], isLoading } = useApi('/api/managers/team', { query: unitId ? { unitId } : {} });
  const num = (key: keyof Member, title: MessageKey, danger = false) => ({
    title: t(title),
    dataIndex: key,
    align: 'right' as const,
    sorter: (a: Member, b: Member) => Number(a[key] ?? 0) - Number(b[key] ?? 0),
    render: (v: number) => (danger && v > 0 ? <Typography.Text type="danger">{v}</Typography.Text> : v),
  });
  return (
    <PageContainer
      title={t('menu.managers.team')}
      extra={<UnitTreeSelect value={unitId} onChange={setUnitId} allowClear placeholder={t('team.unit')} style={{ width: 260 }} {...tid('team-unit')} />}
    >
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Card size="small" title={t('team.chart')}>
          <WorkloadChart members={data} />
        </Card>
        <Table<Member>
          {...tid('team-table')}
          size="small"
          rowKey="managerId"
          loading={isLoading}
          dataSource={data}
          // as wide as the page (headers wrap: in English they did not fit at 1366 px), scrolled below 960 px
          tableLayout="auto"
          scroll={{ x: 960 }}
          pagination={{ defaultPageSize: 50, showSizeChanger: true }}
          locale={{ emptyText: <Empty description={t('team.empty')} /> }}
          columns={[
            { title: t('team.manager'), dataIndex: 'name', fixed: 'left', render: (name: string, m) => <Link to={`/managers/profiles/${m.managerId}`}>{name}</Link> },
            { title: t('team.unitName'), dataIndex: 'unitName', render: (_: string, m) => localUnit(locale, m) },
            num('customers', 'team.customers'),
            num('openRequests', 'team.openRequests'),
            num('breachedRequests', 'team.breachedRequests', true),
            num('openReminders', 'team.openReminders'),
            num('openTasks', 'team.openTasks'),
            num('overdueTasks', 'team.overdueTasks', true),
            {
              title: t('team.plan'),
              dataIndex: 'planStatus',
              render: (s: string | null) => (s ? <Tag>{t(`plans.status.${s}` as MessageKey)}</Tag> : <Typography.Text type="warning">{t('team.noPlan')}</Typography.Text>),
            },
            num('logsThisMonth', 'team.logs'),
            {
              title: t('team.score'),
              dataIndex: 'totalScore',
              align: 'right',
              sorter: (a, b) => Number(a.totalScore ?? 0) - Number(b.totalScore ?? 0),
              onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
              render: (score: string | null, m) => (score ? t('team.scoreOf', { score, month: m.scorecardMonth ?? '', rank: m.unitRank ?? '-' }) : '-'),
            },
          ]}
        />
      </Space>
    </PageContainer>
  );
}

/** Open requests and overdue tasks per manager, the busiest first: who needs help. */
function WorkloadChart({ members }: { members: Member[] }) {
  const { t } = useI18n();
  const busiest = useMemo(() => [...members].sort((a, b) => b.openRequests + b.overdueTasks - (a.openRequests + a.overdueTasks)).slice(0, 15), [members]);
  const option: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 32, bottom: 56 },
      xAxis: { type: 'category', data: busiest.map((m) => m.name), axisLabel: { rotate: 30 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('team.openRequests'), type: 'bar', data: busiest.map((m) => m.openRequests) },
        { name: t('team.breachedRequests'), type: 'bar', data: busiest.map((m) => m.breachedRequests) },
        { name: t('team.overdueTasks'), type: 'bar', data: busiest.map((m) => m.overdueTasks) },
      ],
    }),
    [busiest, t],
  );
  return <Chart option={option} height={260} testId="team-chart" />;
}
