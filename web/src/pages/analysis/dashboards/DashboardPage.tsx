import { PageContainer } from '@ant-design/pro-components';
import { Button, Card, Col, DatePicker, Empty, InputNumber, Row, Space, Statistic, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useParams } from 'react-router-dom';
import { download, downloadUrl, type Schemas } from '../../../api/client';
import { useApi } from '../../../api/swr';
import { Chart, type ChartOption } from '../../../components/Chart';
import { tid } from '../../../components/EntityModalForm';
import { UnitTreeSelect } from '../../../components/units';
import { useI18n } from '../../../i18n';
import { dimensionName, formatFigure, keyName, unitName } from '../statistics/labels';
import { DrillDrawer, type DrillTarget } from './DrillDrawer';

type Dashboard = Schemas['AnalysisDashboard'];
type Panel = Dashboard['panels'][number];
type PanelRow = Panel['rows'][number];

/** The `before`/`after` columns of a special panel's customer list, where they mean something. */
const FIGURES: Record<string, DrillTarget['figures']> = {
  'abnormal/summary': { before: 'dash.col.before', after: 'dash.col.after' },
  'competitors/by_competitor': { after: 'dash.col.fee' },
  'competitors/by_product': { after: 'dash.col.fee' },
  'group_products/by_product': { after: 'dash.col.fee' },
};

/**
 * Dashboards read only from current-state rollups, whatever the period: no period picker, a caption instead, and no
 * period sent. (集团产品 is not one: its 期内新增 and 新增订购趋势 count take-ups within the period.)
 */
const CURRENT_STATE = new Set(['competitors']);

/** One dashboard: the period, a city or county, the abnormal-change threshold; every panel as a chart; a click lists the customers. */
export function DashboardPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const [period, setPeriod] = useState<{ from?: string; to?: string }>({});
  const [unitId, setUnitId] = useState<number | undefined>();
  const [pct, setPct] = useState<number>(30);
  const [drill, setDrill] = useState<DrillTarget | null>(null);
  const current = CURRENT_STATE.has(id);
  const query = { ...(!current && period), unitId, ...(id === 'abnormal' && { pct }) };
  const { data, isLoading } = useApi('/api/analysis/dashboards/{id}', { path: { id }, query });
  const shown = data ? { from: data.from, to: data.to } : period;
  /** The period of a drill-down or an export: the one shown, unless the dashboard has none. */
  const dataPeriod = data && !current ? { from: data.from, to: data.to } : {};

  const open = (panel: Panel, row: PanelRow | null, measure: string | undefined, title: string) => {
    if (!panel.drill || !data) return;
    const keys = Object.fromEntries(Object.entries(row?.keys ?? {}).filter(([, v]) => v !== null)) as Record<string, string>;
    setDrill({
      dashboard: id,
      panel: panel.id,
      title,
      query: { ...dataPeriod, unitId, ...(id === 'abnormal' && { pct }), ...keys, ...(measure && panel.measures.some((m) => m.code === measure) && !FIGURES[`${id}/${panel.id}`] && { indicator: measure }) },
      figures: FIGURES[`${id}/${panel.id}`],
    });
  };

  return (
    <PageContainer
      title={data?.title ?? t('menu.analysis.dashboard')}
      subTitle={data?.description}
      loading={isLoading && !data}
      extra={
        <Space wrap>
          {current ? (
            <Typography.Text type="secondary" {...tid('dashboard-current')}>
              {t('dash.currentState')}
            </Typography.Text>
          ) : (
            <DatePicker.RangePicker
              picker="month"
              value={shown.from && shown.to ? [dayjs(shown.from), dayjs(shown.to)] : null}
              onChange={(v) => setPeriod(v?.[0] && v[1] ? { from: v[0].format('YYYY-MM'), to: v[1].format('YYYY-MM') } : {})}
              {...tid('dashboard-period')}
            />
          )}
          <UnitTreeSelect value={unitId} onChange={setUnitId} allowClear placeholder={t('dash.unit')} style={{ width: 220 }} {...tid('dashboard-unit')} />
          {id === 'abnormal' && (
            <Space.Compact>
              <InputNumber min={10} max={100} precision={0} value={pct} onChange={(v) => setPct(v ?? 30)} addonBefore={t('dash.pct')} addonAfter={t('dash.pctSuffix')} style={{ width: 260 }} {...tid('dashboard-pct')} />
            </Space.Compact>
          )}
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('dash.drillHint')}</Typography.Paragraph>
      <Row gutter={[16, 16]}>
        {data?.panels.map((p) => (
          <Col key={p.id} xs={24} xl={p.span}>
            <Card
              size="small"
              title={p.title}
              {...tid(`panel-${p.id}`)}
              extra={
                <Space size={4}>
                  {(['csv', 'xlsx'] as const).map((format) => (
                    <Button key={format} size="small" type="link" onClick={() => download(downloadUrl(`/api/analysis/dashboards/${id}/panels/${p.id}/export`, { ...dataPeriod, unitId, format, ...(id === 'abnormal' && { pct }) }))}>
                      {t(format === 'csv' ? 'dash.exportCsv' : 'dash.exportXlsx')}
                    </Button>
                  ))}
                </Space>
              }
            >
              <PanelView dashboard={id} panel={p} onOpen={(row, measure, title) => open(p, row, measure, title)} />
            </Card>
          </Col>
        ))}
      </Row>
      <DrillDrawer key={JSON.stringify(drill?.query)} target={drill} onClose={() => setDrill(null)} />
    </PageContainer>
  );
}

function PanelView({ dashboard, panel, onOpen }: { dashboard: string; panel: Panel; onOpen: (row: PanelRow | null, measure: string | undefined, title: string) => void }) {
  const { t, locale } = useI18n();
  const empty = !panel.rows.length && Object.values(panel.totals).every((v) => v === null || v === 0);
  const option = useMemo((): ChartOption | null => {
    const rowName = (r: PanelRow) => panel.dimensions.map((d) => keyName(t, d, r, locale)).join(' / ');
    const dim = panel.dimensions[0];
    const axisUnit = panel.measures[0] ? unitName(t, panel.measures[0].unit) : '';
    if (panel.chart === 'line' || (panel.chart === 'bar' && dim)) {
      return {
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { top: 36, left: 60, right: 16, bottom: panel.chart === 'bar' ? 70 : 30 },
        xAxis: { type: 'category', data: panel.rows.map(rowName), axisLabel: panel.chart === 'bar' ? { rotate: 35 } : {} },
        yAxis: { type: 'value', name: axisUnit },
        series: panel.measures.map((m) => ({ type: panel.chart === 'line' ? 'line' : 'bar', name: m.name, data: panel.rows.map((r) => r.values[m.code] ?? null) })),
      } as ChartOption;
    }
    if (panel.chart === 'pie') {
      const slices = dim
        ? panel.rows.map((r) => ({ name: rowName(r), value: r.values[panel.measures[0]!.code] ?? 0 }))
        : panel.measures.map((m) => ({ name: m.name, value: panel.totals[m.code] ?? 0 }));
      return { tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' }, legend: { type: 'scroll', bottom: 0 }, series: [{ type: 'pie', radius: ['35%', '65%'], data: slices }] };
    }
    return null;
  }, [panel, t, locale]);

  const rowName = (r: PanelRow) => panel.dimensions.map((d) => keyName(t, d, r, locale)).join(' / ');
  if (empty) return <Empty description={dashboard === 'marketing' ? t('dash.noCampaigns') : t('dash.empty')} />;
  if (panel.chart === 'kpi' && !panel.dimensions.length) {
    return (
      <Row gutter={16}>
        {panel.measures.map((m) => (
          <Col key={m.code} flex="1 1 160px">
            <div role="button" tabIndex={0} style={{ cursor: panel.drill ? 'pointer' : undefined }} onClick={() => onOpen(null, m.code, m.name)} onKeyDown={(e) => e.key === 'Enter' && onOpen(null, m.code, m.name)}>
              <Statistic title={`${m.name}（${unitName(t, m.unit)}）`} value={formatFigure(panel.totals[m.code], m.unit, locale)} />
            </div>
          </Col>
        ))}
      </Row>
    );
  }
  if (option) {
    return (
      <Chart
        option={option}
        testId={`chart-${panel.id}`}
        onClick={({ seriesIndex, dataIndex }) => {
          if (panel.chart === 'pie' && !panel.dimensions.length) {
            const m = panel.measures[dataIndex]!;
            return onOpen(null, m.code, m.name);
          }
          const row = panel.rows[dataIndex];
          const m = panel.measures[panel.chart === 'pie' ? 0 : seriesIndex];
          if (row) onOpen(row, m?.code, `${rowName(row)} · ${m?.name ?? ''}`);
        }}
      />
    );
  }
  // table (and a KPI by a dimension): a row per key combination, a click lists its customers
  return (
    <Table<PanelRow & { k: string }>
      size="small"
      rowKey="k"
      dataSource={panel.rows.map((r, i) => ({ ...r, k: String(i) }))}
      pagination={{ defaultPageSize: 10, hideOnSinglePage: true }}
      scroll={{ x: 'max-content' }}
      onRow={(r) => ({ onClick: () => onOpen(r, panel.measures[0]?.code, rowName(r)), style: { cursor: panel.drill ? 'pointer' : undefined } })}
      columns={[
        ...panel.dimensions.map((d) => ({ title: dimensionName(t, d), key: d, render: (_: unknown, r: PanelRow) => keyName(t, d, r, locale) })),
        ...panel.measures.map((m) => ({
          title: `${m.name}（${unitName(t, m.unit)}）`,
          key: m.code,
          align: 'right' as const,
          sorter: (a: PanelRow, b: PanelRow) => (a.values[m.code] ?? 0) - (b.values[m.code] ?? 0),
          render: (_: unknown, r: PanelRow) => formatFigure(r.values[m.code], m.unit, locale),
        })),
      ]}
    />
  );
}

