import { PlusOutlined } from '@ant-design/icons';
import { ProFormDatePicker, ProFormSelect, ProFormText, ProFormTextArea } from '@ant-design/pro-components';
import { App, Button, Card, Col, Descriptions, Empty, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useMemo } from 'react';
import useSWRInfinite from 'swr/infinite';
import { Link } from 'react-router-dom';
import { api, call, type CustomerHistoryEntry, type CustomerView } from '../../api/client';
import { fetchKey, type ApiKey } from '../../api/swr';
import { Chart, type ChartOption } from '../../components/Chart';
import { EntityModalForm, tid, useEditor } from '../../components/EntityModalForm';
import { formatDateTime, formatMoney, today } from '../../components/format';
import { MaskedValue } from '../../components/MaskedValue';
import { reportError } from '../../components/useSubmit';
import { useI18n, type MessageKey } from '../../i18n';
import { KEY_PERSON_ROLES, codeLabel, codeOptions, daysUntil } from './codes';
import { customerRules } from './CustomerForm';

type RevealField = 'idNumber' | 'contactPhone' | 'subscription' | 'keyPersonPhone';
export type Reveal = (field: RevealField, refId?: number) => Promise<string | null>;

interface TabProps {
  customer: CustomerView;
  canReveal: boolean;
  reveal: Reveal;
}

const dash = (v: string | number | null | undefined) => (v === null || v === undefined || v === '' ? '-' : v);

/** 概况: the profile fields; phone and ID number masked with a 显示 button. */
export function ProfileTab({ customer: c, canReveal, reveal }: TabProps) {
  const { t } = useI18n();
  const common = [
    { key: 'contactPhone', label: t('customers.contactPhone'), children: <MaskedValue value={c.contactPhone} canReveal={canReveal} reveal={() => reveal('contactPhone')} testId="customer-contactPhone" /> },
    { key: 'contactChannel', label: t('customers.contactChannel'), children: codeLabel(t, 'channel', c.contactChannel) },
    { key: 'joinedOn', label: t('customers.joinedOn'), children: dash(c.joinedOn) },
    { key: 'address', label: t('customers.address'), children: dash(c.address), span: 3 },
  ];
  const group = [
    { key: 'industry', label: t('customers.industry'), children: c.industry ? codeLabel(t, 'industry', c.industry) : '-' },
    { key: 'creditCode', label: t('customers.creditCode'), children: dash(c.creditCode) },
    { key: 'legalRepresentative', label: t('customers.legalRepresentative'), children: dash(c.legalRepresentative) },
    { key: 'employees', label: t('customers.employees'), children: dash(c.employees) },
    { key: 'registeredCapital', label: t('customers.registeredCapital'), children: formatMoney(c.registeredCapital) },
    { key: 'revenueBand', label: t('customers.revenueBand'), children: dash(c.revenueBand) },
    { key: 'groupMembers', label: t('customers.groupMembers'), children: c.groupMembers },
    { key: 'itNeeds', label: t('customers.itNeeds'), children: dash(c.itNeeds), span: 2 },
  ];
  const individual = [
    { key: 'brand', label: t('customers.brand'), children: codeLabel(t, 'brand', c.brand) },
    { key: 'gender', label: t('customers.gender'), children: codeLabel(t, 'gender', c.gender) },
    { key: 'birthday', label: t('customers.birthday'), children: dash(c.birthday) },
    { key: 'idType', label: t('customers.idType'), children: codeLabel(t, 'idType', c.idType) },
    { key: 'idNumber', label: t('customers.idNumber'), children: <MaskedValue value={c.idNumber} canReveal={canReveal} reveal={() => reveal('idNumber')} testId="customer-idNumber" /> },
    { key: 'realNameVerified', label: t('customers.realNameVerified'), children: c.realNameVerified ? t('common.yes') : t('common.no') },
    { key: 'employer', label: t('customers.employer'), children: dash(c.employer) },
    { key: 'jobTitle', label: t('customers.jobTitle'), children: dash(c.jobTitle) },
  ];
  const archived =
    c.archive === 'retained'
      ? [
          { key: 'archivedReason', label: t('customers.archivedReason'), children: codeLabel(t, 'reason', c.archivedReason) },
          { key: 'archivedOn', label: t('customers.archivedOn'), children: dash(c.archivedOn) },
        ]
      : [];
  return (
    <Descriptions
      {...tid('customer-profile')}
      bordered
      size="small"
      column={{ xs: 1, md: 2, lg: 3 }}
      items={[
        ...common,
        ...(c.kind === 'group' ? group : individual),
        { key: 'preferences', label: t('customers.preferences'), children: dash(c.preferences), span: 3 },
        ...archived,
        { key: 'updatedAt', label: t('customers.updatedAt'), children: formatDateTime(c.updatedAt) },
      ]}
    />
  );
}

type KeyPerson = CustomerView['keyPersons'][number];
interface KeyPersonValues {
  name: string;
  role: (typeof KEY_PERSON_ROLES)[number];
  title?: string;
  phone?: string;
  birthday?: string;
  preferences?: string;
}

/** 关键人: decision maker, IT and finance contacts; phones masked. */
export function KeyPersonsTab({ customer: c, canReveal, reveal, canEdit, onChanged }: TabProps & { canEdit: boolean; onChanged: (c: CustomerView) => void }) {
  const { t } = useI18n();
  const adder = useEditor<void>();
  const rules = customerRules(t);
  const columns: ColumnsType<KeyPerson> = [
    { title: t('customers.kp.name'), dataIndex: 'name' },
    { title: t('customers.kp.role'), dataIndex: 'role', render: (r: string) => <Tag>{codeLabel(t, 'kpRole', r)}</Tag> },
    { title: t('customers.kp.title'), dataIndex: 'title', render: dash },
    {
      title: t('customers.kp.phone'),
      dataIndex: 'phone',
      render: (_, p) => <MaskedValue value={p.phone} canReveal={canReveal} reveal={() => reveal('keyPersonPhone', p.id)} testId={`kp-phone-${p.id}`} />,
    },
    { title: t('customers.kp.birthday'), dataIndex: 'birthday', render: dash },
    { title: t('customers.kp.preferences'), dataIndex: 'preferences', render: dash, ellipsis: true },
  ];
  return (
    <>
      {canEdit && (
        <Button icon={<PlusOutlined />} onClick={() => adder.open()} style={{ marginBottom: 12 }} {...tid('kp-add')}>
          {t('customers.kp.add')}
        </Button>
      )}
      <Table<KeyPerson> {...tid('kp-table')} rowKey="id" size="small" columns={columns} dataSource={c.keyPersons} pagination={false} />
      <EntityModalForm<KeyPersonValues>
        open={adder.isOpen}
        testId="kp-form"
        title={t('customers.kp.add')}
        onClose={adder.close}
        initialValues={{ role: 'decision_maker' }}
        success={t('common.saved')}
        onSubmit={async (v) =>
          onChanged(
            await call(
              api.POST('/api/customers/{id}/key-persons', {
                params: { path: { id: c.id } },
                body: { name: v.name, role: v.role, title: v.title || null, phone: v.phone || null, birthday: v.birthday || null, preferences: v.preferences || null },
              }),
            ),
          )
        }
      >
        <ProFormText name="name" label={t('customers.kp.name')} rules={rules.required} fieldProps={tid('kp-form-name')} />
        <ProFormSelect name="role" label={t('customers.kp.role')} allowClear={false} options={codeOptions(t, 'kpRole', KEY_PERSON_ROLES)} />
        <ProFormText name="title" label={t('customers.kp.title')} />
        <ProFormText name="phone" label={t('customers.kp.phone')} rules={rules.phone} fieldProps={tid('kp-form-phone')} />
        <ProFormDatePicker name="birthday" label={t('customers.kp.birthday')} />
        <ProFormTextArea name="preferences" label={t('customers.kp.preferences')} fieldProps={{ rows: 2 }} />
      </EntityModalForm>
    </>
  );
}

type Subscription = CustomerView['subscriptions'][number];
const STATUS_COLOR: Record<string, string> = { normal: 'green', suspended: 'orange', ported_out: 'red', closed: 'default' };

/** 号码: the customer's subscriptions, numbers masked with a 显示 button each. */
export function SubscriptionsTab({ customer: c, canReveal, reveal }: TabProps) {
  const { t } = useI18n();
  const columns: ColumnsType<Subscription> = [
    {
      title: t('customers.sub.msisdn'),
      dataIndex: 'msisdn',
      render: (_, s) => <MaskedValue value={s.msisdn} canReveal={canReveal} reveal={() => reveal('subscription', s.id)} testId={`sub-msisdn-${s.id}`} />,
    },
    { title: t('customers.sub.plan'), dataIndex: 'plan' },
    { title: t('customers.sub.status'), dataIndex: 'status', render: (s: string) => <Tag color={STATUS_COLOR[s]}>{codeLabel(t, 'subStatus', s)}</Tag> },
    { title: t('customers.sub.openedOn'), dataIndex: 'openedOn' },
    {
      title: t('customers.sub.group'),
      dataIndex: 'groupCustomerId',
      render: (g: number | null) => (g === null ? '-' : g === c.id ? t('customers.sub.thisGroup') : <Link to={`/customers/${g}`}>{t('customers.sub.groupLink', { id: g })}</Link>),
    },
  ];
  return (
    <>
      {c.kind === 'group' && (
        <Typography.Paragraph type="secondary">{t('customers.sub.groupMembers', { count: c.groupMembers })}</Typography.Paragraph>
      )}
      <Table<Subscription> {...tid('sub-table')} rowKey="id" size="small" columns={columns} dataSource={c.subscriptions} pagination={{ pageSize: 20, hideOnSinglePage: true }} />
    </>
  );
}

type Contract = CustomerView['contracts'][number];
type Product = CustomerView['products'][number];

/** 合同与产品: contracts (expired in red, expiring within 90 days in orange), our products, competitors' products. */
export function ContractsTab({ customer: c }: { customer: CustomerView }) {
  const { t } = useI18n();
  const now = today();
  const expiry = (date: string) => {
    const days = daysUntil(date, now);
    if (days < 0) return <Tag color="red">{t('customers.contract.expired')}</Tag>;
    if (days <= 90) return <Tag color="orange">{t('customers.contract.expiresIn', { days })}</Tag>;
    return null;
  };
  const contracts: ColumnsType<Contract> = [
    { title: t('customers.contract.no'), dataIndex: 'contractNo' },
    { title: t('customers.contract.title'), dataIndex: 'title' },
    { title: t('customers.contract.signedOn'), dataIndex: 'signedOn' },
    {
      title: t('customers.contract.expiresOn'),
      dataIndex: 'expiresOn',
      render: (d: string) => (
        <Space size={4}>
          <span>{d}</span>
          {expiry(d)}
        </Space>
      ),
    },
    { title: t('customers.contract.amount'), dataIndex: 'amount', align: 'right', render: formatMoney },
  ];
  const products: ColumnsType<Product> = [
    { title: t('customers.product.name'), dataIndex: 'product' },
    { title: t('customers.product.since'), dataIndex: 'since', render: dash },
    { title: t('customers.product.monthlyFee'), dataIndex: 'monthlyFee', align: 'right', render: formatMoney },
    { title: t('customers.product.note'), dataIndex: 'note', render: dash },
  ];
  const competitors: ColumnsType<Product> = [{ title: t('customers.product.competitor'), dataIndex: 'competitor' }, ...products];
  const soon = (r: Contract) => (daysUntil(r.expiresOn, now) <= 90 ? 'contract-expiring' : '');
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card size="small" title={t('customers.contracts')}>
        <Table<Contract> {...tid('contract-table')} rowKey="id" size="small" columns={contracts} dataSource={c.contracts} pagination={false} rowClassName={soon} />
      </Card>
      <Card size="small" title={t('customers.products.ours')}>
        <Table<Product> {...tid('product-table')} rowKey="id" size="small" columns={products} dataSource={c.products.filter((p) => p.competitor === null)} pagination={false} />
      </Card>
      <Card size="small" title={t('customers.products.competitors')}>
        <Table<Product> {...tid('competitor-table')} rowKey="id" size="small" columns={competitors} dataSource={c.products.filter((p) => p.competitor !== null)} pagination={false} />
      </Card>
    </Space>
  );
}

/** 趋势: revenue, billing and arrears by month, and usage (voice, SMS, data). */
export function TrendTab({ customer: c }: { customer: CustomerView }) {
  const { t } = useI18n();
  const months = useMemo(() => c.trend.map((p) => p.month.slice(0, 7)), [c.trend]);
  const money: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 60, right: 24, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: months },
      yAxis: { type: 'value', name: t('customers.trend.yuan') },
      series: [
        { name: t('customers.trend.revenue'), type: 'bar', data: c.trend.map((p) => Number(p.revenue)) },
        { name: t('customers.trend.billed'), type: 'line', data: c.trend.map((p) => Number(p.billed)) },
        { name: t('customers.trend.paid'), type: 'line', data: c.trend.map((p) => Number(p.paid)) },
        { name: t('customers.trend.arrears'), type: 'line', data: c.trend.map((p) => Number(p.arrears)), itemStyle: { color: '#cf1322' } },
      ],
    }),
    [c.trend, months, t],
  );
  const usage: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 60, right: 60, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: months },
      yAxis: [
        { type: 'value', name: t('customers.trend.minutesSms') },
        { type: 'value', name: 'MB' },
      ],
      series: [
        { name: t('customers.trend.voiceMinutes'), type: 'line', data: c.trend.map((p) => p.voiceMinutes) },
        { name: t('customers.trend.smsCount'), type: 'line', data: c.trend.map((p) => p.smsCount) },
        { name: t('customers.trend.dataMb'), type: 'bar', yAxisIndex: 1, data: c.trend.map((p) => Number(p.dataMb)) },
      ],
    }),
    [c.trend, months, t],
  );
  const last = c.trend[c.trend.length - 1];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Row gutter={16}>
        <Col span={6}>
          <Statistic title={t('customers.currentArrears')} value={formatMoney(c.currentArrears)} valueStyle={Number(c.currentArrears) > 0 ? { color: '#cf1322' } : undefined} />
        </Col>
        <Col span={6}>
          <Statistic title={t('customers.trend.lastRevenue', { month: last?.month.slice(0, 7) ?? '-' })} value={formatMoney(last?.revenue)} />
        </Col>
        <Col span={6}>
          <Statistic title={t('customers.trend.totalRevenue', { months: c.trend.length })} value={formatMoney(String(c.trend.reduce((s, p) => s + Number(p.revenue), 0)))} />
        </Col>
      </Row>
      {c.trend.length === 0 ? (
        <Empty description={t('customers.trend.empty')} />
      ) : (
        <>
          <Card size="small" title={t('customers.trend.moneyTitle')}>
            <Chart option={money} testId="trend-money-chart" />
          </Card>
          <Card size="small" title={t('customers.trend.usageTitle')}>
            <Chart option={usage} testId="trend-usage-chart" />
          </Card>
        </>
      )}
    </Space>
  );
}

const PAGE = 50;
const KIND_COLOR: Record<CustomerHistoryEntry['kind'], string> = { change: 'blue', visit: 'green', lifecycle: 'orange', assignment: 'purple' };

/** 历史: field changes with their source, visits, archive moves, manager assignments; newest first. */
export function HistoryTab({ customerId }: { customerId: number }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const pages = useSWRInfinite(
    (index, previous: CustomerHistoryEntry[] | null): ApiKey | null =>
      previous && previous.length < PAGE ? null : ['/api/customers/{id}/history', { path: { id: customerId }, query: { offset: index * PAGE, limit: PAGE } }, 'data'],
    (key: ApiKey) => fetchKey(key) as Promise<CustomerHistoryEntry[]>,
  );
  const rows = useMemo(() => (pages.data ?? []).flat(), [pages.data]);
  const last = pages.data?.[pages.data.length - 1];
  const more = last !== undefined && last.length === PAGE;
  const loading = pages.isValidating;
  useEffect(() => {
    if (pages.error) reportError(pages.error, { message, t });
  }, [pages.error, message, t]);

  const fieldLabel = (field: string | null) => {
    if (!field) return '-';
    const key = `customers.${field === 'managerId' ? 'manager' : field}` as MessageKey;
    const text = t(key);
    return text === key ? field : text;
  };
  const value = (e: CustomerHistoryEntry, v: string | null) => {
    if (v === null || v === '') return <Typography.Text type="secondary">{t('customers.history.empty')}</Typography.Text>;
    if (e.field === 'archive') return codeLabel(t, 'archive', v);
    if (e.field && ['industry', 'brand', 'gender', 'idType', 'contactChannel'].includes(e.field)) {
      const group = e.field === 'contactChannel' ? 'channel' : (e.field as 'industry' | 'brand' | 'gender' | 'idType');
      return codeLabel(t, group, v);
    }
    return v;
  };
  const source = (e: CustomerHistoryEntry) => {
    if (!e.source) return '-';
    if (e.kind === 'lifecycle') return codeLabel(t, 'reason', e.source);
    if (e.kind === 'visit') return codeLabel(t, 'channel', e.source);
    return codeLabel(t, 'source', e.source);
  };
  const columns: ColumnsType<CustomerHistoryEntry> = [
    { title: t('customers.history.at'), dataIndex: 'at', width: 170, render: formatDateTime },
    { title: t('customers.history.kind'), dataIndex: 'kind', width: 100, render: (k: CustomerHistoryEntry['kind']) => <Tag color={KIND_COLOR[k]}>{codeLabel(t, 'historyKind', k)}</Tag> },
    { title: t('customers.history.field'), dataIndex: 'field', width: 130, render: (f: string | null) => fieldLabel(f) },
    {
      title: t('customers.history.change'),
      key: 'change',
      render: (_, e) =>
        e.kind === 'visit' ? (
          e.detail
        ) : (
          <span>
            {value(e, e.oldValue)} <Typography.Text type="secondary">→</Typography.Text> <Typography.Text strong>{value(e, e.newValue)}</Typography.Text>
            {e.detail && <Typography.Text type="secondary"> （{e.detail}）</Typography.Text>}
          </span>
        ),
    },
    { title: t('customers.history.source'), dataIndex: 'source', width: 120, render: (_, e) => source(e) },
    { title: t('customers.history.actor'), dataIndex: 'actorName', width: 120, render: (_, e) => dash(e.actorName) },
  ];
  return (
    <>
      <Table<CustomerHistoryEntry>
        {...tid('history-table')}
        size="small"
        loading={loading}
        columns={columns}
        dataSource={rows.map((r, i) => ({ ...r, key: i }))}
        pagination={false}
      />
      {more && (
        <Button style={{ marginTop: 12 }} loading={loading} onClick={() => void pages.setSize(pages.size + 1)} {...tid('history-more')}>
          {t('customers.history.more')}
        </Button>
      )}
    </>
  );
}
