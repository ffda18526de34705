import { PageContainer, ProCard } from '@ant-design/pro-components';
import { Card, Col, Empty, Flex, Row, Statistic, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { Me } from '../../api/client';
import { useApiList, type GetParams, type GetPath } from '../../api/swr';
import { appRoutes } from '../../app/routes';
import { useSession } from '../../app/session';
import { tid } from '../../components/EntityModalForm';
import { formatDateTime, ZONE } from '../../components/format';
import { localName, localUnit, useI18n, type MessageKey } from '../../i18n';
import { CustomersChart, RunsChart } from './HomeCharts';
import { Workbench } from '../managers/workbench/WorkbenchPage';

/** The main tasks, most frequent first: a shortcut each to the page, shown when the user may open it. */
const TASKS: { route: string; text: MessageKey }[] = [
  { route: 'customers-in-network', text: 'home.task.customers' },
  { route: 'managers-logs', text: 'home.task.logs' },
  { route: 'managers-team', text: 'home.task.team' },
  { route: 'rules-approvals', text: 'home.task.approvals' },
  { route: 'rules-candidates', text: 'home.task.candidates' },
  // an analyst's main work (heads keep their approvals first)
  { route: 'analysis-dashboards', text: 'home.task.dashboards' },
  { route: 'analysis-query', text: 'home.task.query' },
  { route: 'customers-import', text: 'home.task.import' },
  { route: 'rules-preview', text: 'home.task.preview' },
  { route: 'rules-runs', text: 'home.task.runs' },
  { route: 'rules-config', text: 'home.task.rules' },
  { route: 'users', text: 'home.task.users' },
  { route: 'audit', text: 'home.task.audit' },
  { route: 'org', text: 'home.task.org' },
  { route: 'roles', text: 'home.task.roles' },
  { route: 'me', text: 'home.task.me' },
];
const MAX_TASKS = 6;

/** 首页: who one is (roles and permissions by name), the main tasks, the counts and charts of one's scope. */
export function HomePage() {
  const { t, locale } = useI18n();
  const { me, can } = useSession();
  if (!me) return null;
  const roles = me.roles.map((r) => localName(locale, r)).join(t('home.listSeparator'));
  return (
    <PageContainer
      title={t('home.welcome', { name: me.displayName })}
      content={
        <Typography.Text type="secondary" {...tid('home-who')}>
          {localUnit(locale, me)} · {roles} · {t('home.lastLogin')} {formatDateTime(me.lastLoginAt)}
        </Typography.Text>
      }
    >
      <div data-testid="home">
        {/* an account manager's first screen is their workbench; the others see the counts and charts of their scope */}
        {can('work.own') ? <Workbench /> : <Figures />}
        <Tasks />
        {!can('work.own') && (can('customers.read') || can('rules.read')) && (
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            {can('customers.read') && (
              <Col xs={24} xl={12}>
                <Card size="small" title={t('home.chart.customers')}>
                  <CustomersChart />
                </Card>
              </Col>
            )}
            {can('rules.read') && (
              <Col xs={24} xl={12}>
                <Card size="small" title={t('home.chart.runs')}>
                  <RunsChart />
                </Card>
              </Col>
            )}
          </Row>
        )}
        <RolesCard me={me} />
      </div>
    </PageContainer>
  );
}

function Tasks() {
  const { t } = useI18n();
  const { can } = useSession();
  const routes = TASKS.map((task) => ({ task, route: appRoutes.find((r) => r.id === task.route)! }))
    .filter(({ route }) => !route.permission || can(route.permission))
    .slice(0, MAX_TASKS);
  return (
    <ProCard title={t('home.tasks')} bordered style={{ marginBottom: 16 }} {...tid('home-tasks')}>
      <Row gutter={[12, 12]}>
        {routes.map(({ task, route }) => (
          <Col key={route.id} xs={24} sm={12} lg={8} xxl={4}>
            <Link to={route.path} {...tid(`home-task-${route.id}`)}>
              <Card size="small" hoverable style={{ height: '100%' }}>
                <Card.Meta avatar={<span style={{ fontSize: 20, color: '#1677ff' }}>{route.icon}</span>} title={t(route.label)} description={t(task.text)} />
              </Card>
            </Link>
          </Col>
        ))}
      </Row>
    </ProCard>
  );
}

/** The counts of the user's scope, each from a list's X-Total-Count (one row asked), each a link to its list. */
function Figures() {
  const { t } = useI18n();
  const { can } = useSession();
  const wide = can('customers.read_unit') || can('customers.read_area');
  const today = dayjs().tz(ZONE).startOf('day').toISOString();
  const figures: ReactNode[] = [];
  if (can('customers.read')) {
    figures.push(
      <Figure key="customers" id="customers" to="/customers/in-network" label={wide ? 'home.count.scopeCustomers' : 'home.count.myCustomers'} path="/api/customers" params={{ query: { archive: 'in_network', limit: 1 } }} />,
      <Figure key="retained" id="retained" to="/customers/retained" label="home.count.retained" path="/api/customers" params={{ query: { archive: 'retained', limit: 1 } }} />,
    );
  }
  if (can('discounts.approve')) {
    figures.push(<Figure key="approvals" id="approvals" to="/rules/approvals" label="home.count.approvals" path="/api/discounts" params={{ query: { status: 'pending', limit: 1 } }} />);
  }
  if (can('candidates.decide')) {
    figures.push(<Figure key="candidates" id="candidates" to="/rules/candidates" label="home.count.candidates" path="/api/rules/candidates" params={{ query: { status: 'open', limit: 1 } }} />);
  }
  if (can('users.read')) figures.push(<Figure key="users" id="users" to="/users" label="home.count.users" path="/api/users" params={{ query: { active: 'true', limit: 1 } }} />);
  if (can('audit.read')) figures.push(<Figure key="audit" id="audit" to="/audit" label="home.count.auditToday" path="/api/audit" params={{ query: { from: today, limit: 1 } }} />);
  if (figures.length === 0) return null;
  return (
    <ProCard title={t('home.figures')} bordered style={{ marginBottom: 16 }}>
      <Row gutter={[16, 16]}>
        {figures.map((f, i) => (
          <Col key={i} xs={12} md={8} xl={4}>
            {f}
          </Col>
        ))}
      </Row>
    </ProCard>
  );
}

function Figure<P extends GetPath>({ id, to, label, path, params }: { id: string; to: string; label: MessageKey; path: P; params: GetParams<P> }) {
  const { t } = useI18n();
  const { data, isLoading } = useApiList(path, params);
  const value = data === undefined ? '-' : data.estimated ? t('home.more', { count: data.total.toLocaleString() }) : data.total.toLocaleString();
  return (
    <Link to={to} {...tid(`home-count-${id}`)}>
      <Statistic title={t(label)} value={value} loading={isLoading} />
    </Link>
  );
}

/** The user's roles and permissions by name, the tags wrapping on any width. */
function RolesCard({ me }: { me: Me }) {
  const { t, locale } = useI18n();
  return (
    <ProCard
      title={t('home.rolesAndPermissions')}
      extra={<Typography.Text type="secondary">{t('home.permissionsCount', { count: me.permissionLabels.length })}</Typography.Text>}
      bordered
      {...tid('home-roles')}
    >
      <Flex wrap gap={6} style={{ marginBottom: 12 }}>
        {me.roles.map((r) => (
          <Tag key={r.code} color="gold">
            {localName(locale, r)}
          </Tag>
        ))}
      </Flex>
      {me.permissionLabels.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <Flex wrap gap={6} {...tid('home-permissions')}>
          {me.permissionLabels.map((p) => (
            <Tag key={p.code} color="blue" style={{ whiteSpace: 'normal', marginInlineEnd: 0 }}>
              {localName(locale, p)}
            </Tag>
          ))}
        </Flex>
      )}
    </ProCard>
  );
}
