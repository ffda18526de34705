import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Card, DatePicker, Empty, Popconfirm, Space, Spin, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api, call } from '../../../api/client';
import { revalidate, useApiList } from '../../../api/swr';
import { useSession } from '../../../app/session';
import { Chart, type ChartOption } from '../../../components/Chart';
import { tid } from '../../../components/EntityModalForm';
import { UnitTreeSelect, useUnits } from '../../../components/units';
import { useAction } from '../../../components/useSubmit';
import { localName, localUnit, useI18n } from '../../../i18n';
import { GROUP_COLOR, GROUPS, lastMonth, type Scorecard } from './common';

/** 业绩考核: the month's scorecards of the units in scope ranked per unit, with a chart of the ranking; heads compute and close. */
export function ScorecardListPage() {
  const { t, locale } = useI18n();
  const { can, me } = useSession();
  const navigate = useNavigate();
  const act = useAction();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const month = params.get('month') ?? lastMonth();
  const unitId = params.get('unitId') ? Number(params.get('unitId')) : undefined;
  const head = can('managers.read');
  const manages = can('scorecards.manage');
  const { units } = useUnits();
  const [busy, setBusy] = useState(false);
  const { data, isLoading } = useApiList('/api/scorecards', { query: { month, unitId, limit: 1000 } });
  const cards = useMemo(() => data?.items ?? [], [data]);
  const set = (next: Record<string, string | undefined>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v === undefined) p.delete(k);
      else p.set(k, v);
    }
    setParams(p, { replace: true });
  };
  const closeUnitId = unitId ?? me?.unitId;
  const closeUnit = units.find((u) => u.id === closeUnitId);

  const run = () =>
    act(async () => {
      setBusy(true);
      try {
        const r = await call(api.POST('/api/scorecards/runs', { body: { month } }));
        await revalidate('/api/scorecards');
        message.success(t('scorecards.action.runDone', { computed: r.computed, closed: r.closed, base: r.base }));
      } finally {
        setBusy(false);
      }
    });
  const close = () =>
    act(async () => {
      const r = await call(api.POST('/api/scorecards/close', { body: { month, unitId: closeUnitId! } }));
      await revalidate('/api/scorecards');
      message.success(t('scorecards.action.closeDone', { closed: r.closed }));
    });

  const columns: ColumnsType<Scorecard> = [
    { title: t('scorecards.unit'), key: 'unit', render: (_, s) => localUnit(locale, s), width: 160 },
    { title: t('scorecards.rank'), dataIndex: 'unitRank', width: 90, render: (_, s) => (s.unitRank === null ? '-' : t('scorecards.rankOf', { rank: s.unitRank, size: s.unitSize })) },
    {
      title: t('scorecards.manager'),
      key: 'manager',
      render: (_, s) => (
        <Link to={`/managers/scorecards/${s.id}`} {...tid(`scorecard-link-${s.id}`)}>
          {s.managerName}
        </Link>
      ),
    },
    ...(head ? [] : [{ title: t('scorecards.month'), dataIndex: 'month', width: 100 } as const]),
    { title: t('scorecards.total'), dataIndex: 'totalScore', align: 'right', width: 90, render: (v: number) => <Typography.Text strong>{v.toFixed(2)}</Typography.Text> },
    ...GROUPS.map((g) => ({ title: t(`scorecards.group.${g}`), dataIndex: g, align: 'right' as const, width: 100, render: (v: number) => v.toFixed(2) })),
    {
      title: t('scorecards.status'),
      dataIndex: 'status',
      width: 100,
      render: (_, s) => <Tag color={s.status === 'closed' ? 'default' : 'processing'}>{t(`scorecards.status.${s.status}`)}</Tag>,
    },
    { title: t('scorecards.revision'), dataIndex: 'revision', width: 90, align: 'right', render: (v: number) => v - 1 },
  ];

  return (
    <PageContainer
      title={t('scorecards.title')}
      content={t('scorecards.intro')}
      {...tid('scorecards-page')}
      extra={
        manages && (
          <Space wrap>
            <Popconfirm title={t('scorecards.action.runConfirm', { month })} onConfirm={() => void run()} okButtonProps={tid('scorecards-run-confirm')}>
              <Button type="primary" loading={busy} {...tid('scorecards-run')}>
                {t('scorecards.action.run')}
              </Button>
            </Popconfirm>
            <Popconfirm
              title={t('scorecards.action.closeConfirm', { month, unit: closeUnit ? localName(locale, closeUnit) : '' })}
              onConfirm={() => void close()}
              okButtonProps={tid('scorecards-close-confirm')}
              disabled={!closeUnitId || !cards.some((c) => c.status === 'open')}
            >
              <Button disabled={!closeUnitId || !cards.some((c) => c.status === 'open')} {...tid('scorecards-close')}>
                {t('scorecards.action.close')}
              </Button>
            </Popconfirm>
            <Button onClick={() => navigate('/managers/scorecards/weights')} {...tid('scorecards-weights')}>
              {t('scorecards.action.weights')}
            </Button>
          </Space>
        )
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <DatePicker
          picker="month"
          allowClear={false}
          value={dayjs(`${month}-01`)}
          disabledDate={(d) => d.isAfter(dayjs(), 'month')}
          onChange={(d) => d && set({ month: d.format('YYYY-MM') })}
          {...tid('scorecards-month')}
        />
        {head && (
          <UnitTreeSelect
            value={unitId}
            onChange={(v) => set({ unitId: v === undefined || v === null ? undefined : String(v) })}
            placeholder={t('scorecards.unit')}
            allowClear
            style={{ minWidth: 220 }}
            data-testid="scorecards-unit"
          />
        )}
      </Space>
      {isLoading ? (
        <Spin />
      ) : cards.length === 0 ? (
        <Empty description={head ? t('scorecards.empty') : t('scorecards.emptyOwn')} />
      ) : (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          {head && cards.length > 1 && (
            <Card size="small" title={t('scorecards.chart.title')}>
              <RankingChart cards={cards} />
            </Card>
          )}
          <Table<Scorecard> {...tid('scorecards-table')} rowKey="id" size="small" columns={columns} dataSource={cards} pagination={{ pageSize: 50, hideOnSinglePage: true }} scroll={{ x: 900 }} />
        </Space>
      )}
    </PageContainer>
  );
}

/** The ranking as stacked bars: each manager's score per group, best first (the first units' first forty). */
function RankingChart({ cards }: { cards: Scorecard[] }) {
  const { t } = useI18n();
  const option: ChartOption = useMemo(() => {
    const shown = [...cards].sort((a, b) => b.totalScore - a.totalScore).slice(0, 40);
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 60, right: 16, top: 36, bottom: 60 },
      xAxis: { type: 'category', data: shown.map((c) => c.managerName), axisLabel: { rotate: shown.length > 12 ? 40 : 0 } },
      yAxis: { type: 'value', name: t('scorecards.total') },
      series: GROUPS.map((g) => ({ name: t(`scorecards.group.${g}`), type: 'bar' as const, stack: 'total', itemStyle: { color: GROUP_COLOR[g] }, data: shown.map((c) => c[g]) })),
    };
  }, [cards, t]);
  return <Chart option={option} height={300} testId="scorecards-ranking-chart" />;
}
