import { PageContainer } from '@ant-design/pro-components';
import { Card, Col, Empty, List, Progress, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { useApi, type Answer } from '../../../api/swr';
import { Chart, type ChartOption } from '../../../components/Chart';
import { tid } from '../../../components/EntityModalForm';
import { formatDateTime, formatMoney } from '../../../components/format';
import { useI18n, type MessageKey, type Translate } from '../../../i18n';
import { levelLabel } from '../../rules/common';

type Workbench = Answer<'/api/me/workbench'>;

const SLA_COLOURS: Record<string, string> = { ok: 'green', warning: 'orange', breached: 'red' };
const label = (t: Translate, prefix: string, code: string) => t(`${prefix}.${code}` as MessageKey);
/** A list item's date on the right stays on one line, however long the item's text. */
const NO_WRAP = { whiteSpace: 'nowrap' } as const;

/** 经理工作台: what an account manager works on today. Also the first screen of the role (the home page shows it). */
export function WorkbenchPage() {
  const { t } = useI18n();
  return (
    <PageContainer title={t('menu.managers.workbench')}>
      <Workbench />
    </PageContainer>
  );
}

/** The workbench's panels, without a page frame (the home page embeds them). */
export function Workbench() {
  const { t } = useI18n();
  const { data, isLoading } = useApi('/api/me/workbench', {}, { refreshInterval: 60_000 });
  if (!data) return <Card loading={isLoading} />;
  return (
    <div {...tid('workbench')}>
      <Figures wb={data} />
      <Row gutter={[16, 16]}>
        {/* the whole width: the requests' number, customer, type, status, time limit and due time side by side */}
        <Col xs={24}>
          <Requests wb={data} />
        </Col>
        <Col xs={24} xl={12}>
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Reminders wb={data} />
            <Tasks wb={data} />
            <Plan wb={data} />
          </Space>
        </Col>
        <Col xs={24} xl={12}>
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Appointments wb={data} />
            <LevelChanges wb={data} />
          </Space>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('workbench.chart.trend')}>
            <TrendChart wb={data} />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('workbench.chart.levels')}>
            <LevelChart wb={data} />
          </Card>
        </Col>
      </Row>
    </div>
  );
}

function Figures({ wb }: { wb: Workbench }) {
  const { t } = useI18n();
  const card = wb.scorecard;
  const figures: { key: string; title: string; value: string | number; link?: string; danger?: boolean; suffix?: string }[] = [
    { key: 'customers', title: t('workbench.figure.customers'), value: wb.portfolio.customers, link: '/customers/in-network' },
    { key: 'billed', title: wb.portfolio.month ? t('workbench.figure.billedIn', { month: wb.portfolio.month }) : t('workbench.figure.billed'), value: formatMoney(wb.portfolio.billed) },
    { key: 'arrears', title: t('workbench.figure.inArrears'), value: wb.portfolio.inArrears, danger: wb.portfolio.inArrears > 0 },
    { key: 'reminders', title: t('workbench.figure.reminders'), value: wb.reminders.open, link: '/managers/reminders' },
    { key: 'tasks', title: t('workbench.figure.tasks'), value: wb.tasks.open, suffix: wb.tasks.overdue ? t('workbench.figure.overdue', { n: wb.tasks.overdue }) : undefined, danger: wb.tasks.overdue > 0, link: '/managers/tasks' },
    { key: 'requests', title: t('workbench.figure.requests'), value: wb.requests.open, suffix: wb.requests.breached ? t('workbench.figure.breached', { n: wb.requests.breached }) : undefined, danger: wb.requests.breached > 0, link: '/services/requests' },
    { key: 'score', title: card ? t('workbench.figure.scoreOf', { month: card.month }) : t('workbench.figure.score'), value: card ? card.totalScore : '-', suffix: card?.unitRank ? t('workbench.figure.rank', { n: card.unitRank }) : undefined, link: card ? `/managers/scorecards/${card.id}` : undefined },
  ];
  return (
    <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
      {figures.map((f) => {
        const stat = <Statistic title={f.title} value={f.value} suffix={f.suffix && <Typography.Text type={f.danger ? 'danger' : 'secondary'} style={{ fontSize: 13 }}>{f.suffix}</Typography.Text>} />;
        return (
          <Col key={f.key} flex="1 1 130px" {...tid(`workbench-figure-${f.key}`)}>
            <Card size="small">{f.link ? <Link to={f.link}>{stat}</Link> : stat}</Card>
          </Col>
        );
      })}
    </Row>
  );
}

function Reminders({ wb }: { wb: Workbench }) {
  const { t } = useI18n();
  return (
    <Card size="small" title={t('workbench.reminders')} extra={<Link to="/managers/reminders">{t('workbench.all')}</Link>} {...tid('workbench-reminders')}>
      <List
        size="small"
        dataSource={wb.reminders.items}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('workbench.reminders.none')} /> }}
        renderItem={(r) => (
          <List.Item extra={<Typography.Text type={r.dueOn <= wb.today ? 'danger' : 'secondary'}>{r.dueOn === wb.today ? t('workbench.today') : r.dueOn}</Typography.Text>}>
            <Space>
              <Tag>{label(t, 'reminders.type', r.type)}</Tag>
              {r.customerId ? <Link to={`/customers/${r.customerId}`}>{r.customerName}</Link> : null}
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}

function Tasks({ wb }: { wb: Workbench }) {
  const { t } = useI18n();
  return (
    <Card size="small" title={t('workbench.tasks')} extra={<Link to="/managers/tasks">{t('workbench.all')}</Link>} {...tid('workbench-tasks')}>
      <List
        size="small"
        dataSource={wb.tasks.items}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('workbench.tasks.none')} /> }}
        renderItem={(a) => (
          <List.Item
            extra={
              <Typography.Text type={a.dueOn < wb.today ? 'danger' : 'secondary'} style={NO_WRAP}>
                {t('workbench.dueOn', { day: a.dueOn })}
              </Typography.Text>
            }
          >
            <Space direction="vertical" size={0} style={{ width: '100%' }}>
              <Link to={`/managers/tasks/${a.taskId}`}>{a.title}</Link>
              <Progress percent={a.progress} size="small" status={a.dueOn < wb.today ? 'exception' : 'active'} />
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}

function Plan({ wb }: { wb: Workbench }) {
  const { t } = useI18n();
  const plan = wb.plan;
  return (
    <Card size="small" title={t('workbench.plan')} extra={<Link to={plan ? `/managers/plans/${plan.id}` : '/managers/plans'}>{plan ? t('workbench.open') : t('workbench.plan.make')}</Link>} {...tid('workbench-plan')}>
      {plan ? (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Space>
            <Tag color="blue">{label(t, 'plans.status', plan.status)}</Tag>
            <Typography.Text>{t('workbench.plan.today', { n: plan.today })}</Typography.Text>
          </Space>
          <Progress percent={plan.items ? Math.round((plan.done / plan.items) * 100) : 0} format={() => `${plan.done} / ${plan.items}`} />
        </Space>
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('workbench.plan.none')} />
      )}
    </Card>
  );
}

function Requests({ wb }: { wb: Workbench }) {
  const { t } = useI18n();
  return (
    <Card size="small" title={t('workbench.requests')} extra={<Link to="/services/requests">{t('workbench.all')}</Link>} {...tid('workbench-requests')}>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={wb.requests.items}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('workbench.requests.none') }}
        columns={[
          { title: t('workbench.request.no'), dataIndex: 'requestNo', render: (no: string, r) => <Link to={`/services/requests/${r.id}`}>{no}</Link> },
          { title: t('workbench.request.customer'), dataIndex: 'customerName', ellipsis: true },
          { title: t('workbench.request.type'), dataIndex: 'type', render: (type: string) => label(t, 'sla.type', type) },
          { title: t('workbench.request.status'), dataIndex: 'status', render: (s: string) => label(t, 'requests.status', s) },
          { title: t('workbench.request.sla'), dataIndex: 'slaState', render: (s: string) => <Tag color={SLA_COLOURS[s]}>{label(t, 'requests.sla', s)}</Tag> },
          { title: t('workbench.request.due'), dataIndex: 'resolveDueAt', render: (d: string | null) => formatDateTime(d) },
        ]}
      />
    </Card>
  );
}

function Appointments({ wb }: { wb: Workbench }) {
  const { t } = useI18n();
  return (
    <Card size="small" title={t('workbench.appointments')} extra={<Link to="/services/appointments">{t('workbench.all')}</Link>} {...tid('workbench-appointments')}>
      <List
        size="small"
        dataSource={wb.appointments}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('workbench.appointments.none')} /> }}
        renderItem={(a) => (
          <List.Item extra={<span style={NO_WRAP}>{formatDateTime(a.startsAt)}</span>}>
            <Space wrap>
              <Link to={`/customers/${a.customerId}`}>{a.customerName}</Link>
              <Typography.Text type="secondary">
                {a.resourceName} · {a.purpose}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}

function LevelChanges({ wb }: { wb: Workbench }) {
  const { t } = useI18n();
  const month = wb.levelChanges.month;
  return (
    <Card size="small" title={month ? t('workbench.levels.of', { month }) : t('workbench.levels')} {...tid('workbench-levels')}>
      <List
        size="small"
        dataSource={wb.levelChanges.items}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('workbench.levels.none')} /> }}
        renderItem={(c) => (
          <List.Item>
            <Space wrap>
              <Link to={`/customers/${c.customerId}`}>{c.customerName}</Link>
              <Typography.Text type="secondary">
                {levelLabel(t, c.from)} → {levelLabel(t, c.to)}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}

function TrendChart({ wb }: { wb: Workbench }) {
  const { t } = useI18n();
  const option: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 72, right: 16, top: 16, bottom: 28 },
      xAxis: { type: 'category', data: wb.portfolio.trend.map((p) => p.month) },
      yAxis: { type: 'value', name: t('workbench.chart.yuan') },
      series: [{ type: 'line', smooth: true, areaStyle: {}, data: wb.portfolio.trend.map((p) => Number(p.billed)) }],
    }),
    [wb, t],
  );
  if (!wb.portfolio.trend.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('workbench.chart.noBills')} />;
  return <Chart option={option} height={240} testId="workbench-trend-chart" />;
}

function LevelChart({ wb }: { wb: Workbench }) {
  const { t } = useI18n();
  const option: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'item' },
      series: [{ type: 'pie', radius: ['40%', '70%'], data: wb.portfolio.byLevel.map((l) => ({ name: l.level ? levelLabel(t, l.level) : t('workbench.chart.notRated'), value: l.customers })) }],
    }),
    [wb, t],
  );
  if (!wb.portfolio.customers) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('workbench.chart.noCustomers')} />;
  return <Chart option={option} height={240} testId="workbench-level-chart" />;
}
