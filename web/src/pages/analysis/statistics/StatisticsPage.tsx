import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Card, Col, DatePicker, Empty, Form, Row, Select, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { api, ApiError, call, type Schemas } from '../../../api/client';
import { useApi } from '../../../api/swr';
import { Chart, type ChartOption } from '../../../components/Chart';
import { tid } from '../../../components/EntityModalForm';
import { useI18n, type MessageKey } from '../../../i18n';
import { dimensionName, formatFigure, formatPct, keyName, unitName } from './labels';

type Statistics = Schemas['AnalysisStatistics'];
type Row = Statistics['rows'][number];
type Line = Row & { lineKey: string; kind: 'row' | 'subtotal' | 'total' };

const DIMENSIONS = ['city', 'county', 'level', 'industry', 'brand', 'manager', 'month', 'archive', 'kind'] as const;
const COMPARES = ['both', 'previous', 'year', 'none'] as const;
const GROUPS = ['customers', 'volume', 'revenue', 'arrears', 'points', 'service', 'marketing', 'managers'] as const;

interface Choice {
  indicators: string[];
  dimensions: string[];
  period: [Dayjs, Dayjs];
  compare: (typeof COMPARES)[number];
}

/** 综合统计: indicators of the catalogue by up to three dimensions, 环比 / 同比, chart and table side by side, export to Excel. */
export function StatisticsPage() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Choice>();
  const { data: catalogue = [] } = useApi('/api/analysis/indicators', {});
  const [result, setResult] = useState<Statistics | null>(null);
  const [asked, setAsked] = useState<ReturnType<typeof bodyOf> | null>(null);
  const [loading, setLoading] = useState(false);
  const [charted, setCharted] = useState<string | undefined>();

  const indicatorOptions = GROUPS.map((g) => ({
    label: t(`analysis.group.${g}` as MessageKey),
    options: catalogue.filter((i) => i.group === g).map((i) => ({ value: i.code, label: `${i.name[locale]}（${unitName(t, i.unit)}）` })),
  })).filter((g) => g.options.length);

  function bodyOf(v: Choice) {
    return { indicators: v.indicators, dimensions: v.dimensions as (typeof DIMENSIONS)[number][], from: v.period[0].format('YYYY-MM'), to: v.period[1].format('YYYY-MM'), compare: v.compare };
  }

  const problem = (e: unknown) => message.error(e instanceof ApiError ? e.message : String(e));

  async function run(v: Choice) {
    const body = bodyOf(v);
    setLoading(true);
    try {
      const s = await call(api.POST('/api/analysis/statistics', { body }));
      setResult(s);
      setAsked(body);
      setCharted(s.indicators[0]?.code);
    } catch (e) {
      problem(e);
    } finally {
      setLoading(false);
    }
  }

  async function exportXlsx() {
    if (!asked) return;
    try {
      const { data, response } = await api.POST('/api/analysis/statistics/export', { body: asked, params: { query: { format: 'xlsx' } }, parseAs: 'blob' });
      if (!response.ok || !data) throw new ApiError(response.status, undefined);
      const url = URL.createObjectURL(data as Blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${t('menu.analysis.statistics')}_${asked.from}_${asked.to}.xlsx`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      problem(e);
    }
  }

  // the default choice answered at once: the page opens with figures, not an empty form
  useEffect(() => form.submit(), [form]);

  // a month's facts arrive after it has ended and been billed: the month before last is the latest complete one
  const lastMonth = dayjs().subtract(2, 'month');
  return (
    <PageContainer title={t('menu.analysis.statistics')}>
      <Card size="small">
        <Form<Choice>
          form={form}
          layout="inline"
          onFinish={run}
          initialValues={{ indicators: ['billed_revenue', 'arpu'], dimensions: ['city'], period: [lastMonth.subtract(2, 'month'), lastMonth], compare: 'both' }}
          {...tid('stats-form')}
        >
          <Form.Item name="indicators" label={t('stats.indicators')} rules={[{ required: true, type: 'array', min: 1, max: 6, message: t('stats.indicatorsHint') }]}>
            <Select mode="multiple" options={indicatorOptions} style={{ minWidth: 320, maxWidth: 560 }} maxCount={6} placeholder={t('stats.indicatorsHint')} optionFilterProp="label" {...tid('stats-indicators')} />
          </Form.Item>
          <Form.Item name="dimensions" label={t('stats.dimensions')} tooltip={t('stats.dimensionsHint')}>
            <Select mode="multiple" maxCount={3} style={{ minWidth: 220 }} options={DIMENSIONS.map((d) => ({ value: d, label: dimensionName(t, d) }))} {...tid('stats-dimensions')} />
          </Form.Item>
          <Form.Item name="period" label={t('stats.period')} rules={[{ required: true }]}>
            <DatePicker.RangePicker picker="month" allowClear={false} {...tid('stats-period')} />
          </Form.Item>
          <Form.Item name="compare" label={t('stats.compare')}>
            <Select style={{ width: 140 }} options={COMPARES.map((c) => ({ value: c, label: t(`stats.compare.${c}` as MessageKey) }))} {...tid('stats-compare')} />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={loading} {...tid('stats-run')}>
              {t('stats.run')}
            </Button>
            <Button disabled={!result} onClick={exportXlsx} {...tid('stats-export')}>
              {t('stats.export')}
            </Button>
          </Space>
        </Form>
      </Card>
      {result && (
        <Space direction="vertical" style={{ width: '100%', marginTop: 16 }}>
          <Typography.Text type="secondary">
            {t('stats.periods', { from: result.from, to: result.to })}
            {result.previousPeriod && ` · ${t('stats.previousPeriod', result.previousPeriod)}`}
            {result.yearPeriod && ` · ${t('stats.yearPeriod', result.yearPeriod)}`}
          </Typography.Text>
          <Row gutter={16}>
            <Col xs={24} xl={9}>
              <Card
                size="small"
                title={t('stats.chart')}
                extra={<Select size="small" value={charted} onChange={setCharted} style={{ width: 180 }} options={result.indicators.map((i) => ({ value: i.code, label: i.name }))} aria-label={t('stats.chartIndicator')} />}
              >
                <StatisticsChart stats={result} code={charted ?? result.indicators[0]!.code} />
              </Card>
            </Col>
            <Col xs={24} xl={15}>
              <Card size="small" title={t('stats.table')}>
                <StatisticsTable stats={result} />
              </Card>
            </Col>
          </Row>
        </Space>
      )}
    </PageContainer>
  );
}

/** A line by month when the month is a dimension (a series per value of another), else bars by the first dimension. */
function StatisticsChart({ stats, code }: { stats: Statistics; code: string }) {
  const { t, locale } = useI18n();
  const option: ChartOption = useMemo(() => {
    const dims = stats.dimensions;
    const ind = stats.indicators.find((i) => i.code === code)!;
    if (!dims.length) return { tooltip: {}, xAxis: { type: 'category', data: [ind.name] }, yAxis: { type: 'value', name: unitName(t, ind.unit) }, series: [{ type: 'bar', data: [stats.total.values[code] ?? null] }] };
    if (dims.includes('month')) {
      const months = [...new Set(stats.rows.map((r) => r.keys.month!.slice(0, 7)))].sort();
      const other = dims.find((d) => d !== 'month');
      const groups = new Map<string, { name: string; values: Map<string, number> }>();
      for (const r of stats.rows) {
        const gk = other ? String(r.keys[other]) : '';
        const g = groups.get(gk) ?? { name: other ? keyName(t, other, r, locale) : ind.name, values: new Map() };
        groups.set(gk, g);
        const m = r.keys.month!.slice(0, 7);
        g.values.set(m, (g.values.get(m) ?? 0) + (r.values[code] ?? 0));
      }
      return {
        tooltip: { trigger: 'axis' },
        legend: { type: 'scroll', top: 0 },
        grid: { top: 36, left: 60, right: 16, bottom: 30 },
        xAxis: { type: 'category', data: months },
        yAxis: { type: 'value', name: unitName(t, ind.unit) },
        series: [...groups.values()].slice(0, 12).map((g) => ({ type: 'line', name: g.name, data: months.map((m) => g.values.get(m) ?? null) })),
      };
    }
    const bars = stats.subtotals.length ? stats.subtotals : stats.rows;
    const first = dims[0]!;
    return {
      tooltip: { trigger: 'axis' },
      grid: { top: 30, left: 60, right: 16, bottom: 70 },
      xAxis: { type: 'category', data: bars.map((r) => keyName(t, first, r, locale)), axisLabel: { rotate: 40 } },
      yAxis: { type: 'value', name: unitName(t, ind.unit) },
      series: [{ type: 'bar', name: ind.name, data: bars.map((r) => r.values[code] ?? null) }],
    };
  }, [stats, code, t, locale]);
  return <Chart option={option} height={420} testId="stats-chart" />;
}

function StatisticsTable({ stats }: { stats: Statistics }) {
  const { t, locale } = useI18n();
  const dims = stats.dimensions;
  const lines: Line[] = useMemo(() => {
    const out: Line[] = [];
    const rowLine = (r: Row, i: number): Line => ({ ...r, lineKey: `r${i}`, kind: 'row' });
    if (stats.subtotals.length) {
      const first = dims[0]!;
      stats.subtotals.forEach((sub, j) => {
        stats.rows.forEach((r, i) => {
          if (r.keys[first] === sub.keys[first]) out.push(rowLine(r, i));
        });
        out.push({ ...sub, lineKey: `s${j}`, kind: 'subtotal' });
      });
    } else out.push(...stats.rows.map(rowLine));
    out.push({ ...stats.total, keys: {}, labels: {}, labelsEn: {}, lineKey: 'total', kind: 'total' });
    return out;
  }, [stats, dims]);

  const dimColumns: ColumnsType<Line> = dims.map((d, i) => ({
    title: dimensionName(t, d),
    key: `d${i}`,
    fixed: i === 0 ? 'left' : undefined,
    render: (_: unknown, l: Line) => {
      if (l.kind === 'total') return i === 0 ? <b>{t('stats.total')}</b> : null;
      if (l.kind === 'subtotal') return i === 0 ? <b>{t('stats.subtotal', { name: keyName(t, d, l, locale) })}</b> : null;
      return keyName(t, d, l, locale);
    },
  }));
  const figure = (unit: string, pick: (l: Line) => number | null | undefined, pct = false) => (_: unknown, l: Line) => {
    const v = pick(l);
    const text = pct ? formatPct(v) : formatFigure(v, unit, locale);
    return l.kind === 'row' ? text : <b>{text}</b>;
  };
  const figureColumns: ColumnsType<Line> = stats.indicators.map((ind) => ({
    title: `${ind.name}（${unitName(t, ind.unit)}）`,
    key: ind.code,
    children: [
      { title: t('stats.value'), key: `${ind.code}.v`, align: 'right' as const, render: figure(ind.unit, (l) => l.values[ind.code]) },
      ...(stats.previousPeriod
        ? [
            { title: t('stats.previous'), key: `${ind.code}.p`, align: 'right' as const, render: figure(ind.unit, (l) => l.previous?.[ind.code]) },
            { title: t('stats.previousPct'), key: `${ind.code}.pp`, align: 'right' as const, render: figure(ind.unit, (l) => l.previousPct?.[ind.code], true) },
          ]
        : []),
      ...(stats.yearPeriod
        ? [
            { title: t('stats.yearAgo'), key: `${ind.code}.y`, align: 'right' as const, render: figure(ind.unit, (l) => l.yearAgo?.[ind.code]) },
            { title: t('stats.yearPct'), key: `${ind.code}.yp`, align: 'right' as const, render: figure(ind.unit, (l) => l.yearPct?.[ind.code], true) },
          ]
        : []),
    ],
  }));
  if (!stats.rows.length) return <Empty description={t('stats.empty')} />;
  return (
    <Table<Line>
      {...tid('stats-table')}
      size="small"
      bordered
      rowKey="lineKey"
      dataSource={lines}
      columns={[...dimColumns, ...figureColumns]}
      scroll={{ x: 'max-content', y: 520 }}
      pagination={false}
    />
  );
}
