import { Alert, Card, Col, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { Chart, type ChartOption } from '../../components/Chart';
import { tid } from '../../components/EntityModalForm';
import { formatMoney } from '../../components/format';
import { useI18n } from '../../i18n';
import { LEVELS, familyLabel, levelLabel, sortGrades, versionsText, type RulePreview } from './common';


interface CountRow {
  key: string;
  label: string;
  before: number | null;
  after: number;
}

function Delta({ before, after }: { before: number | null; after: number }) {
  if (before === null) return <Typography.Text type="secondary">-</Typography.Text>;
  const d = after - before;
  if (d === 0) return <Typography.Text type="secondary">0</Typography.Text>;
  return <Typography.Text type={d > 0 ? 'success' : 'danger'}>{d > 0 ? `+${d}` : d}</Typography.Text>;
}

/** 试算结果: counts per level and credit grade before and after (table and bars), the migration matrix, a sample. */
export function PreviewResult({ preview: p }: { preview: RulePreview }) {
  const { t } = useI18n();
  const before = p.before;

  const levelRows: CountRow[] = useMemo(
    () =>
      LEVELS.filter((l) => (before?.levels[l] ?? 0) > 0 || (p.after.levels[l] ?? 0) > 0).map((l) => ({
        key: l,
        label: levelLabel(t, l),
        before: before ? (before.levels[l] ?? 0) : null,
        after: p.after.levels[l] ?? 0,
      })),
    [before, p.after, t],
  );
  const grades = sortGrades([...new Set([...Object.keys(before?.creditGrades ?? {}), ...Object.keys(p.after.creditGrades)])]);
  const gradeRows: CountRow[] = grades.map((g) => ({ key: g, label: g, before: before ? (before.creditGrades[g] ?? 0) : null, after: p.after.creditGrades[g] ?? 0 }));

  const countColumns = (kind: 'level' | 'grade'): ColumnsType<CountRow> => [
    { title: kind === 'level' ? t('rules.level') : t('rules.credit.grade'), dataIndex: 'label' },
    {
      title: t('rules.preview.before'),
      dataIndex: 'before',
      align: 'right',
      render: (v: number | null, r) => <span {...tid(`preview-${kind}-before-${r.key}`)}>{v ?? '-'}</span>,
    },
    { title: t('rules.preview.after'), dataIndex: 'after', align: 'right', render: (v: number, r) => <span {...tid(`preview-${kind}-after-${r.key}`)}>{v}</span> },
    { title: t('rules.preview.change'), key: 'delta', align: 'right', render: (_, r) => <Delta before={r.before} after={r.after} /> },
  ];

  const bars: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 50, right: 16, top: 36, bottom: 60 },
      xAxis: { type: 'category', data: levelRows.map((r) => r.label), axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: 'value', name: t('rules.preview.customers') },
      series: [
        ...(before ? [{ name: t('rules.preview.before'), type: 'bar' as const, data: levelRows.map((r) => r.before ?? 0), itemStyle: { color: '#bfbfbf' } }] : []),
        { name: t('rules.preview.after'), type: 'bar' as const, data: levelRows.map((r) => r.after), itemStyle: { color: '#1677ff' } },
      ],
    }),
    [before, levelRows, t],
  );

  const heatmap: ChartOption = useMemo(() => {
    const none = levelLabel(t, null);
    const present = (l: string) => p.matrix.some((m) => m.to === l || m.from === l);
    const axis = LEVELS.filter(present).map((l) => levelLabel(t, l));
    const from = [...(p.matrix.some((m) => m.from === null) ? [none] : []), ...axis];
    const max = Math.max(1, ...p.matrix.map((m) => m.n));
    return {
      tooltip: {
        position: 'top',
        formatter: (params: unknown) => {
          const v = (params as { value: [number, number, number] }).value;
          return t('rules.preview.matrixTip', { from: from[v[1]] ?? '', to: axis[v[0]] ?? '', n: v[2] });
        },
      },
      grid: { left: 100, right: 90, top: 16, bottom: 70 },
      xAxis: { type: 'category', data: axis, name: t('rules.preview.to'), nameLocation: 'middle', nameGap: 50, splitArea: { show: true }, axisLabel: { rotate: 30 } },
      yAxis: { type: 'category', data: from, name: t('rules.preview.from'), splitArea: { show: true } },
      visualMap: { min: 0, max, calculable: true, orient: 'vertical', right: 0, top: 'middle', itemHeight: 160, inRange: { color: ['#e6f4ff', '#1677ff', '#002c8c'] } },
      series: [
        {
          type: 'heatmap',
          name: t('rules.preview.matrix'),
          data: p.matrix.map((m) => [axis.indexOf(levelLabel(t, m.to)), from.indexOf(levelLabel(t, m.from)), m.n]),
          label: { show: true },
          emphasis: { itemStyle: { shadowBlur: 6, shadowColor: 'rgba(0,0,0,0.3)' } },
        },
      ],
    };
  }, [p, t]);

  type Sample = RulePreview['sample'][number];
  const sampleColumns: ColumnsType<Sample> = [
    { title: t('rules.customerNo'), dataIndex: 'customerNo', width: 160 },
    {
      title: t('rules.customerName'),
      dataIndex: 'name',
      render: (name: string, s) => (
        <Link to={`/customers/${s.customerId}`} {...tid(`preview-sample-link-${s.customerId}`)}>
          {name}
        </Link>
      ),
    },
    { title: t('rules.preview.from'), dataIndex: 'from', width: 130, render: (l: string | null) => <Tag>{levelLabel(t, l)}</Tag> },
    {
      title: t('rules.preview.to'),
      dataIndex: 'to',
      width: 130,
      render: (l: string, s) => (
        <Tag color="blue" {...tid(`preview-sample-to-${s.customerId}`)} data-level={l}>
          {levelLabel(t, l)}
        </Tag>
      ),
    },
    { title: t('rules.preview.avgPaid'), dataIndex: 'avgPaid', width: 140, align: 'right', render: formatMoney },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} {...tid('preview-result')}>
      {before ? (
        <Alert type="info" showIcon message={t('rules.preview.comparedWith', { month: p.comparedWith ?? '-' })} {...tid('preview-compared')} />
      ) : (
        <Alert type="warning" showIcon message={t('rules.preview.noBefore')} {...tid('preview-compared')} />
      )}
      <Row gutter={16}>
        <Col xs={12} md={6}>
          <Statistic title={t('rules.preview.customers')} value={p.after.customers} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('rules.preview.pointsEarned')} value={p.after.pointsEarned} suffix={before ? <Small>{t('rules.preview.was', { n: before.pointsEarned.toLocaleString() })}</Small> : null} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('rules.preview.pointsExpired')} value={p.after.pointsExpired} suffix={before ? <Small>{t('rules.preview.was', { n: before.pointsExpired.toLocaleString() })}</Small> : null} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('rules.preview.computeMs')} value={p.computeMs} suffix="ms" />
        </Col>
      </Row>
      <Typography.Text type="secondary">
        {t('rules.preview.versions')}: {versionsText(t, p.versions)}
        {p.drafted.length > 0 && (
          <>
            {' '}
            {p.drafted.map((f) => (
              <Tag key={f} color="orange" {...tid(`preview-drafted-${f}`)}>
                {t('rules.preview.drafted', { family: familyLabel(t, f) })}
              </Tag>
            ))}
          </>
        )}
      </Typography.Text>
      <Row gutter={16}>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('rules.preview.levels')}>
            <Table<CountRow> {...tid('preview-levels')} size="small" rowKey="key" pagination={false} columns={countColumns('level')} dataSource={levelRows} />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('rules.preview.levelsChart')}>
            <Chart option={bars} height={300} testId="preview-levels-chart" />
          </Card>
          <Card size="small" title={t('rules.preview.grades')} style={{ marginTop: 16 }}>
            <Table<CountRow> {...tid('preview-grades')} size="small" rowKey="key" pagination={false} columns={countColumns('grade')} dataSource={gradeRows} />
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('rules.preview.matrix')} extra={<Typography.Text type="secondary">{t('rules.preview.matrixHint')}</Typography.Text>}>
        <Chart option={heatmap} height={Math.max(300, 40 * (LEVELS.length + 1))} testId="preview-matrix" />
      </Card>
      <Card size="small" title={t('rules.preview.sample')} extra={<Typography.Text type="secondary">{before ? t('rules.preview.sampleChanged') : t('rules.preview.sampleAll')}</Typography.Text>}>
        <Table<Sample> {...tid('preview-sample')} size="small" rowKey="customerId" pagination={false} columns={sampleColumns} dataSource={p.sample} />
      </Card>
    </Space>
  );
}

const Small = ({ children }: { children: ReactNode }) => <span style={{ fontSize: 13, color: 'rgba(0,0,0,0.45)', marginLeft: 8 }}>{children}</span>;
