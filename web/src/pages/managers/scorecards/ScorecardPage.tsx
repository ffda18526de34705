import { PageContainer } from '@ant-design/pro-components';
import { Alert, App, Button, Card, Col, Descriptions, Drawer, Popconfirm, Progress, Result, Row, Space, Spin, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import useSWR from 'swr';
import { api, call, callList, type Schemas } from '../../../api/client';
import { revalidate, useFreshApi } from '../../../api/swr';
import { useSession } from '../../../app/session';
import { Chart, type ChartOption } from '../../../components/Chart';
import { tid } from '../../../components/EntityModalForm';
import { formatDateTime } from '../../../components/format';
import { useAction } from '../../../components/useSubmit';
import { localUnit, useI18n } from '../../../i18n';
import { codeName, formatValue, groupMax, groupScore, GROUPS, type Line, type ScoreRecord } from './common';

type Recomputation = Schemas['ScorecardRecomputation'];

/** 考核详情: a scorecard's lines with achievement bars and a radar of the three groups; each line drills down to its records; a closed card is recomputed on request. */
export function ScorecardPage() {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const act = useAction();
  const id = Number(useParams().id);
  const fresh = useFreshApi('/api/scorecards/{id}', Number.isFinite(id) ? { path: { id } } : null);
  const card = fresh.data;
  const [drill, setDrill] = useState<Line | null>(null);
  const [recomputed, setRecomputed] = useState<Recomputation | null>(null);

  if (fresh.error) return <Result status="404" title={fresh.error.message} />;
  if (!card) return <Spin style={{ display: 'block', margin: 48 }} />;

  const recompute = () =>
    act(async () => {
      const r = await call(api.POST('/api/scorecards/{id}/recompute', { params: { path: { id } } }));
      setRecomputed(r);
      await fresh.mutate(r.scorecard, { revalidate: false });
      await revalidate('/api/scorecards');
      message.success(t('scorecard.recomputed', { before: r.previousTotal.toFixed(2), after: r.scorecard.totalScore.toFixed(2) }));
    });
  const nameOf = (l: Pick<Line, 'name' | 'nameEn'>) => (locale === 'en-US' ? l.nameEn : l.name);
  const lineOf = (code: string) => card.lines.find((l) => l.indicator === code);

  const columns: ColumnsType<Line> = [
    { title: t('scorecardWeights.group'), dataIndex: 'group', width: 100, render: (g: Line['group']) => t(`scorecards.group.${g}`) },
    {
      title: t('scorecard.indicator'),
      key: 'name',
      render: (_, l) => (
        <Space direction="vertical" size={0}>
          <span>{nameOf(l)}</span>
          {l.direction === 'lower' && <Typography.Text type="secondary">{t('scorecard.lowerBetter')}</Typography.Text>}
        </Space>
      ),
    },
    {
      title: t('scorecard.value'),
      key: 'value',
      align: 'right',
      render: (_, l) => (
        <Space direction="vertical" size={0} style={{ alignItems: 'flex-end' }}>
          <span {...tid(`line-value-${l.indicator}`)}>{formatValue(t, l.value, l.unit)}</span>
          {l.previousValue !== null && l.previousValue !== l.value && (
            <Typography.Text type="secondary" delete>
              {t('scorecard.was', { value: formatValue(t, l.previousValue, l.unit) })}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    { title: t('scorecard.target'), key: 'target', align: 'right', render: (_, l) => formatValue(t, l.target, l.unit) },
    { title: t('scorecard.weight'), dataIndex: 'weight', align: 'right', width: 80 },
    {
      title: t('scorecard.achievement'),
      key: 'achievement',
      width: 200,
      render: (_, l) =>
        l.achievement === null ? (
          <Typography.Text type="secondary">{t('scorecard.noData')}</Typography.Text>
        ) : (
          <Tooltip title={`${(l.achievement * 100).toFixed(1)}%`}>
            <Progress
              percent={Math.round((l.credited / 1.2) * 100)}
              format={() => `${(l.credited * 100).toFixed(0)}%`}
              size="small"
              status={l.credited >= 1 ? 'success' : l.credited >= 0.6 ? 'normal' : 'exception'}
            />
          </Tooltip>
        ),
    },
    {
      title: t('scorecard.score'),
      key: 'score',
      align: 'right',
      width: 110,
      render: (_, l) => (
        <Space direction="vertical" size={0} style={{ alignItems: 'flex-end' }}>
          <Typography.Text strong {...tid(`line-score-${l.indicator}`)}>
            {l.score.toFixed(2)}
          </Typography.Text>
          {l.previousScore !== null && l.previousScore !== l.score && (
            <Typography.Text type="secondary" delete>
              {l.previousScore.toFixed(2)}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      key: 'drill',
      width: 80,
      render: (_, l) => (
        <Button size="small" type="link" onClick={() => setDrill(l)} {...tid(`line-drill-${l.indicator}`)}>
          {t('scorecard.drill')}
        </Button>
      ),
    },
  ];

  return (
    <PageContainer
      title={t('scorecard.title', { manager: card.managerName, month: card.month })}
      onBack={() => history.back()}
      {...tid('scorecard-page')}
      extra={
        card.status === 'closed' &&
        can('scorecards.manage') && (
          <Popconfirm title={t('scorecard.recomputeConfirm')} onConfirm={() => void recompute()} okButtonProps={tid('scorecard-recompute-confirm')}>
            <Button {...tid('scorecard-recompute')}>{t('scorecard.recompute')}</Button>
          </Popconfirm>
        )
      }
    >
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={14}>
            <Card size="small">
              <Descriptions column={2} size="small">
                <Descriptions.Item label={t('scorecards.manager')}>{card.managerName}</Descriptions.Item>
                <Descriptions.Item label={t('scorecards.unit')}>{localUnit(locale, card)}</Descriptions.Item>
                <Descriptions.Item label={t('scorecards.month')}>{card.month}</Descriptions.Item>
                <Descriptions.Item label={t('scorecards.status')}>
                  <Tag color={card.status === 'closed' ? 'default' : 'processing'} {...tid('scorecard-status')}>
                    {t(`scorecards.status.${card.status}`)}
                  </Tag>
                </Descriptions.Item>
                <Descriptions.Item label={t('scorecards.total')}>
                  <Typography.Text strong style={{ fontSize: 20 }} {...tid('scorecard-total')}>
                    {card.totalScore.toFixed(2)}
                  </Typography.Text>
                </Descriptions.Item>
                <Descriptions.Item label={t('scorecards.rank')}>{card.unitRank === null ? '-' : t('scorecards.rankOf', { rank: card.unitRank, size: card.unitSize })}</Descriptions.Item>
                <Descriptions.Item label={t('scorecards.computedAt')}>{formatDateTime(card.computedAt)}</Descriptions.Item>
                {card.closedAt && (
                  <Descriptions.Item label={t('scorecards.closedAt')}>
                    {formatDateTime(card.closedAt)} {card.closedByName ?? ''}
                  </Descriptions.Item>
                )}
              </Descriptions>
              <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                {t('scorecard.rules')}
              </Typography.Paragraph>
            </Card>
          </Col>
          <Col xs={24} lg={10}>
            <Card size="small" title={t('scorecard.radar')}>
              <GroupRadar lines={card.lines} />
            </Card>
          </Col>
        </Row>
        {card.revision > 1 && <Alert type="info" showIcon message={t('scorecard.revisionNote', { n: card.revision - 1 })} {...tid('scorecard-revision-note')} />}
        {recomputed && (
          <Card size="small" title={t('scorecard.differences')} {...tid('scorecard-differences')}>
            {recomputed.differences.length === 0 ? (
              t('scorecard.noDifferences')
            ) : (
              <Table
                size="small"
                rowKey="indicator"
                pagination={false}
                dataSource={recomputed.differences}
                columns={[
                  { title: t('scorecard.indicator'), key: 'i', render: (_, d) => (lineOf(d.indicator) ? nameOf(lineOf(d.indicator)!) : d.indicator) },
                  { title: t('scorecard.previousValue'), key: 'pv', align: 'right', render: (_, d) => formatValue(t, d.previousValue, lineOf(d.indicator)?.unit ?? 'points') },
                  { title: t('scorecard.value'), key: 'v', align: 'right', render: (_, d) => formatValue(t, d.value, lineOf(d.indicator)?.unit ?? 'points') },
                  { title: t('scorecard.previousScore'), key: 'ps', align: 'right', render: (_, d) => d.previousScore.toFixed(2) },
                  { title: t('scorecard.score'), key: 's', align: 'right', render: (_, d) => d.score.toFixed(2) },
                ]}
              />
            )}
          </Card>
        )}
        <Card size="small" title={t('scorecard.lines')}>
          <Table<Line> {...tid('scorecard-lines')} rowKey="indicator" size="small" columns={columns} dataSource={card.lines} pagination={false} scroll={{ x: 860 }} />
        </Card>
      </Space>
      {drill && <RecordsDrawer scorecardId={card.id} line={drill} onClose={() => setDrill(null)} />}
    </PageContainer>
  );
}

/** The share of the possible score (weights × 1.2) each group earned. */
function GroupRadar({ lines }: { lines: Line[] }) {
  const { t } = useI18n();
  const option: ChartOption = useMemo(
    () => ({
      tooltip: {},
      radar: { indicator: GROUPS.map((g) => ({ name: t(`scorecards.group.${g}`), max: 100 })), radius: '65%' },
      series: [
        {
          type: 'radar' as const,
          areaStyle: { opacity: 0.25 },
          data: [{ name: t('scorecards.total'), value: GROUPS.map((g) => (groupMax(lines, g) > 0 ? Math.round((groupScore(lines, g) / groupMax(lines, g)) * 1000) / 10 : 0)) }],
        },
      ],
    }),
    [lines, t],
  );
  return <Chart option={option} height={240} testId="scorecard-radar" />;
}

const PAGE = 20;

/** 钻取: the records behind one figure, a page at a time. */
function RecordsDrawer({ scorecardId, line, onClose }: { scorecardId: number; line: Line; onClose: () => void }) {
  const { t, locale } = useI18n();
  const [page, setPage] = useState(1);
  const { data, isLoading } = useSWR(['/api/scorecards/{id}/lines/{indicator}/records', scorecardId, line.indicator, page] as const, () =>
    callList(api.GET('/api/scorecards/{id}/lines/{indicator}/records', { params: { path: { id: scorecardId, indicator: line.indicator }, query: { offset: (page - 1) * PAGE, limit: PAGE } } })),
  );
  const withAmount = ['portfolio_revenue', 'revenue_growth', 'solutions_signed', 'satisfaction'].includes(line.indicator);
  const columns: ColumnsType<ScoreRecord> = [
    { title: t('scorecard.records.kind'), key: 'entity', width: 120, render: (_, r) => t(`scorecard.records.entity.${r.entity}`) },
    {
      title: t('scorecard.records.customer'),
      key: 'customer',
      render: (_, r) => (r.customerId === null ? '-' : <Link to={`/customers/${r.customerId}`}>{`${r.customerName ?? ''} (${r.customerNo ?? ''})`}</Link>),
    },
    { title: t('scorecard.records.title2'), dataIndex: 'title', ellipsis: true, render: (v: string | null) => v ?? '-' },
    { title: t('scorecard.records.on'), dataIndex: 'on', width: 110, render: (v: string | null) => v ?? '-' },
    ...(['tasks_on_time', 'sla_met', 'satisfaction'].includes(line.indicator) ? [{ title: t('scorecard.records.doneOn'), dataIndex: 'doneOn', width: 110, render: (v: string | null) => v ?? '-' }] : []),
    { title: t('scorecard.records.status'), key: 'status', width: 110, render: (_, r) => codeName(t, r.status ?? r.kind, r.status ? undefined : r.entity) },
    ...(withAmount
      ? [
          {
            title: t('scorecard.records.amount'),
            key: 'amount',
            align: 'right' as const,
            render: (_: unknown, r: ScoreRecord) => (r.amount === null ? '-' : line.indicator === 'satisfaction' ? r.amount : formatValue(t, r.amount, 'yuan')),
          },
        ]
      : []),
    ...(line.indicator === 'revenue_growth' ? [{ title: t('scorecard.records.baseAmount'), key: 'base', align: 'right' as const, render: (_: unknown, r: ScoreRecord) => formatValue(t, r.baseAmount, 'yuan') }] : []),
    { title: t('scorecard.records.counted'), key: 'counted', width: 70, render: (_, r) => (r.counted ? <Tag color="green">✓</Tag> : <Tag>✗</Tag>) },
  ];
  return (
    <Drawer open width={920} onClose={onClose} title={t('scorecard.records.title', { indicator: locale === 'en-US' ? line.nameEn : line.name })} {...tid('scorecard-records-drawer')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('scorecard.records.note')}</Typography.Text>
        <Table<ScoreRecord>
          {...tid('scorecard-records')}
          rowKey={(r) => `${r.entity}-${r.recordId}`}
          size="small"
          loading={isLoading}
          columns={columns}
          dataSource={data?.items ?? []}
          pagination={{ current: page, pageSize: PAGE, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
          scroll={{ x: 800 }}
        />
      </Space>
    </Drawer>
  );
}
