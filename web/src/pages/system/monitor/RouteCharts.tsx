import { Card, Col, Row } from 'antd';
import { useMemo } from 'react';
import { Chart, type ChartOption } from '../../../components/Chart';
import { useI18n } from '../../../i18n';
import type { Snapshot } from './Summary';

type Route = Snapshot['http']['byCount'][number];
const ms = (s: number | null) => (s === null ? 0 : Math.round(s * 1000));
const label = (r: Route) => `${r.method} ${r.route}`;

/** Horizontal bars, one per route, the busiest or slowest on top. */
function bars(routes: Route[], series: { name: string; value: (r: Route) => number; axis?: number }[], twoAxes = false): ChartOption {
  const shown = [...routes].reverse();
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    xAxis: twoAxes ? [{ type: 'value' }, { type: 'value', position: 'top', max: 100 }] : { type: 'value' },
    yAxis: { type: 'category', data: shown.map(label), axisLabel: { width: 260, overflow: 'truncate' } },
    series: series.map((s) => ({ type: 'bar', name: s.name, xAxisIndex: s.axis ?? 0, data: shown.map(s.value) })),
  };
}

/** 接口性能: requests and 5xx share of the busiest routes, p50/p95 of the slowest, since this process started. */
export function RouteCharts({ http }: { http: Snapshot['http'] }) {
  const { t } = useI18n();
  const busiest = useMemo(
    () =>
      bars(
        http.byCount,
        [
          { name: t('monitor.http.count'), value: (r) => r.count },
          { name: t('monitor.http.errorShare'), value: (r) => Number((r.errorRate * 100).toFixed(2)), axis: 1 },
        ],
        true,
      ),
    [http.byCount, t],
  );
  const slowest = useMemo(
    () =>
      bars(http.byP95, [
        { name: t('monitor.http.p50'), value: (r) => ms(r.p50) },
        { name: t('monitor.http.p95'), value: (r) => ms(r.p95) },
      ]),
    [http.byP95, t],
  );
  const height = (n: number) => Math.max(160, 40 + n * 28);
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={12}>
        <Card title={t('monitor.http.byCount')} size="small">
          <Chart option={busiest} height={height(http.byCount.length)} testId="monitor-chart-count" />
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card title={t('monitor.http.byP95')} size="small">
          <Chart option={slowest} height={height(http.byP95.length)} testId="monitor-chart-p95" />
        </Card>
      </Col>
    </Row>
  );
}
