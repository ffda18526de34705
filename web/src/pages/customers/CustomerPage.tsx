import { PageContainer } from '@ant-design/pro-components';
import { Alert, Button, Card, Col, Descriptions, Result, Row, Spin, Statistic, Tabs, Tag, Tooltip } from 'antd';
import { useCallback, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError, api, call, type CustomerView } from '../../api/client';
import { useApi } from '../../api/swr';
import { useSession } from '../../app/session';
import { tid } from '../../components/EntityModalForm';
import { formatMoney } from '../../components/format';
import { localUnit, useI18n } from '../../i18n';
import { ForbiddenPage, NotFoundPage } from '../errors/ErrorPages';
import { codeLabel } from './codes';
import { CustomerActions } from './CustomerActions';
import { CustomerRulesTab } from './CustomerRulesTab';
import { CustomerRequestsTab } from '../services/requests/CustomerRequestsTab';
import { CustomerSolutionsTab } from '../services/solutions/CustomerSolutionsTab';
import { lazyPage } from '../../app/lazyPage';
import { levelLabel } from '../rules/common';
import { ContractsTab, HistoryTab, KeyPersonsTab, ProfileTab, SubscriptionsTab, TrendTab, type Reveal } from './CustomerTabs';

// its booking forms are fetched with the tab, not with the 360° view
const CustomerAppointmentsTab = lazyPage(() => import('../services/appointments/CustomerAppointmentsTab'), 'CustomerAppointmentsTab');
const CustomerNoticesTab = lazyPage(() => import('../services/notices/CustomerNoticesTab'), 'CustomerNoticesTab');

/** 客户全方位视图 (360°): header card, tabs, and the actions the user's permissions allow. */
export function CustomerPage() {
  const { id: param } = useParams();
  const id = Number(param);
  if (!Number.isSafeInteger(id) || id <= 0) return <NotFoundPage />;
  return <CustomerView360 key={id} id={id} />;
}

function CustomerView360({ id }: { id: number }) {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const remote = useApi('/api/customers/{id}', { path: { id } });
  const [tab, setTab] = useState('profile');
  // Bumped on every write so that the history tab re-reads.
  const [rev, setRev] = useState(0);
  const { mutate } = remote;
  const reload = useCallback(() => void mutate(), [mutate]);
  const changed = useCallback(
    (c: CustomerView) => {
      void mutate(c, { revalidate: false });
      setRev((r) => r + 1);
    },
    [mutate],
  );
  const reveal: Reveal = useCallback(
    async (field, refId) => (await call(api.POST('/api/customers/{id}/reveal', { params: { path: { id } }, body: { field, refId } }))).value,
    [id],
  );

  if (remote.error && !remote.data) {
    const e = remote.error;
    if (e instanceof ApiError && e.status === 403) return <ForbiddenPage />;
    if (e instanceof ApiError && e.status === 404) return <NotFoundPage />;
    return (
      <Result
        status="error"
        title={t('common.loadFailed')}
        subTitle={e instanceof ApiError ? e.message : t('error.network')}
        extra={<Button onClick={reload}>{t('common.reload')}</Button>}
      />
    );
  }
  const c = remote.data;
  if (!c) return <Spin size="large" style={{ display: 'block', margin: '20vh auto' }} />;

  const canReveal = can('customers.reveal_pii');
  const tabProps = { customer: c, canReveal, reveal };
  const pending = t('customers.pendingRating');
  const ruleValue = (v: string | number | null) => (v === null ? pending : v);

  return (
    <PageContainer
      {...tid('customer-page')}
      title={<span {...tid('customer-name')}>{c.name}</span>}
      tags={[
        <Tag key="archive" color={c.archive === 'in_network' ? 'green' : 'default'} {...tid('customer-archive')}>
          {codeLabel(t, 'archive', c.archive)}
        </Tag>,
        <Tag key="kind" color={c.kind === 'group' ? 'blue' : 'purple'}>
          {codeLabel(t, 'kind', c.kind)}
        </Tag>,
      ]}
      breadcrumb={{
        items: [
          { title: <Link to={c.archive === 'in_network' ? '/customers/in-network' : '/customers/retained'}>{codeLabel(t, 'archive', c.archive)}</Link> },
          { title: c.customerNo },
        ],
      }}
      extra={<CustomerActions customer={c} onChanged={changed} reload={reload} />}
    >
      {c.mergedInto !== null && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={
            <span>
              {t('customers.mergedInto')} <Link to={`/customers/${c.mergedInto}`}>{t('customers.sub.groupLink', { id: c.mergedInto })}</Link>
            </span>
          }
        />
      )}
      <Card {...tid('customer-header')} style={{ marginBottom: 16 }}>
        <Row gutter={24}>
          <Col xs={24} lg={14}>
            <Descriptions
              size="small"
              column={2}
              items={[
                { key: 'no', label: t('customers.customerNo'), children: <span {...tid('customer-no')}>{c.customerNo}</span> },
                { key: 'kind', label: t('customers.kind'), children: codeLabel(t, 'kind', c.kind) },
                { key: 'unit', label: t('customers.unit'), children: localUnit(locale, c) },
                {
                  key: 'manager',
                  label: t('customers.manager'),
                  children: <span {...tid('customer-manager')}>{c.managerName ?? t('customers.unassigned')}</span>,
                },
                c.kind === 'group'
                  ? { key: 'industry', label: t('customers.industry'), children: c.industry ? codeLabel(t, 'industry', c.industry) : '-' }
                  : { key: 'brand', label: t('customers.brand'), children: codeLabel(t, 'brand', c.brand) },
                { key: 'joined', label: t('customers.joinedOn'), children: c.joinedOn ?? '-' },
              ]}
            />
          </Col>
          <Col xs={24} lg={10}>
            <Row gutter={16}>
              <Col span={6}>
                <Tooltip title={t('customers.pendingHint')}>
                  <Statistic title={t('customers.creditGrade')} value={ruleValue(c.rules.creditGrade)} valueStyle={{ fontSize: 18 }} {...tid('customer-credit')} />
                </Tooltip>
              </Col>
              <Col span={6}>
                <Tooltip title={t('customers.pendingHint')}>
                  <Statistic title={t('customers.level')} value={c.rules.level === null ? pending : levelLabel(t, c.rules.level)} valueStyle={{ fontSize: 18 }} {...tid('customer-level')} />
                </Tooltip>
              </Col>
              <Col span={6}>
                <Tooltip title={t('customers.pendingHint')}>
                  <Statistic title={t('customers.points')} value={ruleValue(c.rules.points)} valueStyle={{ fontSize: 18 }} />
                </Tooltip>
              </Col>
              <Col span={6}>
                <Statistic
                  title={t('customers.openServiceRequests')}
                  value={c.openServiceRequests ?? t('customers.pendingService')}
                  valueStyle={{ fontSize: 18 }}
                />
              </Col>
            </Row>
            <Statistic
              style={{ marginTop: 12 }}
              title={t('customers.currentArrears')}
              value={formatMoney(c.currentArrears)}
              valueStyle={{ fontSize: 18, color: Number(c.currentArrears) > 0 ? '#cf1322' : undefined }}
              {...tid('customer-arrears')}
            />
          </Col>
        </Row>
      </Card>
      <Card>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            { key: 'profile', label: <span {...tid('customer-tab-profile')}>{t('customers.tab.profile')}</span>, children: <ProfileTab {...tabProps} /> },
            {
              key: 'keyPersons',
              label: <span {...tid('customer-tab-keyPersons')}>{t('customers.tab.keyPersons', { count: c.keyPersons.length })}</span>,
              children: <KeyPersonsTab {...tabProps} canEdit={can('customers.edit') && c.mergedInto === null} onChanged={changed} />,
            },
            {
              key: 'subscriptions',
              label: <span {...tid('customer-tab-subscriptions')}>{t('customers.tab.subscriptions', { count: c.subscriptions.length })}</span>,
              children: <SubscriptionsTab {...tabProps} />,
            },
            { key: 'contracts', label: <span {...tid('customer-tab-contracts')}>{t('customers.tab.contracts')}</span>, children: <ContractsTab customer={c} /> },
            { key: 'trend', label: <span {...tid('customer-tab-trend')}>{t('customers.tab.trend')}</span>, children: <TrendTab customer={c} /> },
            { key: 'rules', label: <span {...tid('customer-tab-rules')}>{t('rules.customer.tab')}</span>, children: <CustomerRulesTab customer={c} /> },
            ...(can('services.read')
              ? [{ key: 'requests', label: <span {...tid('customer-tab-requests')}>{t('requests.customerTab')}</span>, children: <CustomerRequestsTab customerId={c.id} /> }]
              : []),
            { key: 'solutions', label: <span {...tid('customer-tab-solutions')}>{t('solutions.tab')}</span>, children: <CustomerSolutionsTab customer={c} /> },
            { key: 'appointments', label: <span {...tid('customer-tab-appointments')}>{t('appointments.customerTab')}</span>, children: <CustomerAppointmentsTab customer={c} /> },
            { key: 'notices', label: <span {...tid('customer-tab-notices')}>{t('notices.tab')}</span>, children: <CustomerNoticesTab customerId={c.id} /> },
            { key: 'history', label: <span {...tid('customer-tab-history')}>{t('customers.tab.history')}</span>, children: <HistoryTab key={rev} customerId={c.id} /> },
          ]}
          destroyInactiveTabPane
        />
      </Card>
    </PageContainer>
  );
}
