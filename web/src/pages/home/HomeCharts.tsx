import { Empty, Spin } from 'antd';
import { useMemo } from 'react';
import useSWR from 'swr';
import { api, callList } from '../../api/client';
import { useApiList } from '../../api/swr';
import { Chart, type ChartOption } from '../../components/Chart';
import { useI18n } from '../../i18n';
import { codeLabel } from '../customers/codes';

const KINDS = ['group', 'individual'] as const;
const ARCHIVES = ['in_network', 'retained'] as const;

type Kind = (typeof KINDS)[number];
type Archive = (typeof ARCHIVES)[number];

/** The four counts (kind × archive), each a list's X-Total-Count with one row asked. */
async function fetchCounts(): Promise<number[][]> {
  const total = async (kind: Kind, archive: Archive) =>
    (await callList(api.GET('/api/customers', { params: { query: { kind, archive, limit: 1 } } }))).total;
  return Promise.all(KINDS.map((kind) => Promise.all(ARCHIVES.map((archive) => total(kind, archive)))));
}

/** How many customers of each kind the scope holds in each archive. */
export function CustomersChart() {
  const { t } = useI18n();
  const { data: counts } = useSWR(['/api/customers', {}, 'kind-archive-counts'] as const, fetchCounts);
  const option: ChartOption | null = useMemo(
    () =>
      counts
        ? {
            tooltip: { trigger: 'axis' },
            legend: { top: 0 },
            grid: { left: 60, right: 16, top: 36, bottom: 28 },
            xAxis: { type: 'category', data: ARCHIVES.map((a) => codeLabel(t, 'archive', a)) },
            yAxis: { type: 'value' },
            series: KINDS.map((kind, i) => ({ name: codeLabel(t, 'kind', kind), type: 'bar' as const, stack: 'kind', data: counts[i] })),
          }
        : null,
    [counts, t],
  );
  return option ? <Chart option={option} height={260} testId="home-customers-chart" /> : <Spin style={{ display: 'block', margin: 48 }} />;
}

const RECENT = 6;

/** The last completed monthly runs: how many customers moved up, down or were held. */
export function RunsChart() {
  const { t } = useI18n();
  const { data } = useApiList('/api/rules/runs', { query: { limit: 24 } });
  const runs = useMemo(
    () =>
      (data?.items ?? [])
        .filter((r) => r.status === 'completed')
        .sort((a, b) => a.month.localeCompare(b.month))
        .slice(-RECENT),
    [data],
  );
  const option: ChartOption = useMemo(() => {
    const num = (v: unknown) => (typeof v === 'number' ? v : 0);
    const series = (name: string, key: string, color: string) => ({ name, type: 'bar' as const, data: runs.map((r) => num(r.counts?.[key])), itemStyle: { color } });
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 60, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: runs.map((r) => r.month) },
      yAxis: { type: 'value' },
      series: [series(t('home.chart.upgraded'), 'upgraded', '#52c41a'), series(t('home.chart.downgraded'), 'downgraded', '#ff4d4f'), series(t('home.chart.held'), 'held', '#faad14')],
    };
  }, [runs, t]);
  if (!data) return <Spin style={{ display: 'block', margin: 48 }} />;
  if (runs.length === 0) return <Empty description={t('home.chart.noRuns')} />;
  return <Chart option={option} height={260} testId="home-runs-chart" />;
}
