import { PageContainer, ProForm, ProFormRadio, ProFormText, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { DatePicker, Form, Segmented, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, call, callList } from '../../../api/client';
import { useSession } from '../../../app/session';
import { EntityModalForm, tid, useEditor } from '../../../components/EntityModalForm';
import { formatDateTime } from '../../../components/format';
import { createTool, listTableProps, valueEnumOf } from '../../../components/listTable';
import { usePagedRequest } from '../../../components/pagedRequest';
import { CustomerSelect } from '../../../components/CustomerSelect';
import { ManagerSelect } from '../../../components/ManagerSelect';
import { localUnit, useI18n } from '../../../i18n';
import { PLAN_STATUSES, PlanStatusTag, periodRange, type Plan } from './common';

type View = 'mine' | 'unit';

/** The Monday of a day's week (whatever the locale's first day of the week). */
const mondayOf = (d: Dayjs) => d.subtract((d.day() + 6) % 7, 'day');

/** 工作计划: a manager's own plans, a head's unit's; newest period first; a manager starts a weekly or monthly plan here. */
export function PlanListPage() {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const navigate = useNavigate();
  const table = useRef<ActionType>(null);
  const owns = can('work.own');
  const reviews = can('work.review');
  const [view, setView] = useState<View>(() => (reviews ? 'unit' : 'mine'));
  const creator = useEditor<never>();

  const load = useCallback(
    async (query: Record<string, unknown> & { offset: number; limit: number }) => {
      const str = (k: string) => (typeof query[k] === 'string' && query[k] ? (query[k] as string) : undefined);
      const num = (k: string) => (typeof query[k] === 'number' ? (query[k] as number) : undefined);
      return callList(
        api.GET('/api/work-plans', {
          params: {
            query: {
              offset: query.offset,
              limit: query.limit,
              view,
              status: str('status') as Plan['status'] | undefined,
              period: str('period') as Plan['period'] | undefined,
              managerId: num('managerId'),
              customerId: num('customerId'),
            },
          },
        }),
      );
    },
    [view],
  );
  const request = usePagedRequest<Plan>(load);

  const columns: ProColumns<Plan>[] = [
    {
      title: t('plans.period'),
      dataIndex: 'period',
      width: 260,
      valueType: 'select',
      valueEnum: { week: { text: t('plans.period.week') }, month: { text: t('plans.period.month') } },
      render: (_, p) => (
        <Space direction="vertical" size={0}>
          <Link to={`/managers/plans/${p.id}`} {...tid(`plan-link-${p.id}`)}>
            {periodRange(t, p)}
          </Link>
          {p.title && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {p.title}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    { title: t('plans.manager'), dataIndex: 'managerName', search: false, width: 160, hideInTable: view === 'mine', render: (_, p) => `${p.managerName} · ${localUnit(locale, p)}` },
    {
      title: t('plans.status'),
      dataIndex: 'status',
      width: 110,
      valueType: 'select',
      valueEnum: valueEnumOf(PLAN_STATUSES, (s) => t(`plans.status.${s}`)),
      render: (_, p) => <PlanStatusTag plan={p} />,
    },
    { title: t('plans.progress'), dataIndex: 'itemCount', search: false, width: 220, render: (_, p) => t('plans.progressValue', { done: p.doneCount, total: p.itemCount, missed: p.missedCount }) },
    { title: t('plans.item.customer'), dataIndex: 'customerId', hideInTable: true, renderFormItem: () => <CustomerSelect placeholder={t('plans.item.customerPlaceholder')} allowClear /> },
    ...(reviews ? [{ title: t('plans.manager'), dataIndex: 'managerId', hideInTable: true, renderFormItem: () => <ManagerSelect /> } satisfies ProColumns<Plan>] : []),
    { title: t('plans.submittedAt'), dataIndex: 'submittedAt', search: false, width: 170, render: (_, p) => formatDateTime(p.submittedAt) },
    { title: t('plans.reviewer'), dataIndex: 'reviewerName', search: false, width: 120, render: (_, p) => p.reviewerName ?? '-' },
  ];

  return (
    <PageContainer title={t('plans.listTitle')} content={t('plans.listIntro')} {...tid('plans-page')}>
      <ProTable<Plan>
        {...tid('plans-table')}
        rowKey="id"
        actionRef={table}
        columns={columns}
        request={request}
        params={{ view }}
        {...listTableProps(t, { showSizeChanger: true })}
        scroll={{ x: 900 }}
        locale={{ emptyText: t('plans.empty') }}
        headerTitle={
          owns && reviews ? (
            <Segmented<View> {...tid('plans-view')} value={view} onChange={setView} options={(['mine', 'unit'] as const).map((v) => ({ value: v, label: t(`plans.view.${v}`) }))} />
          ) : (
            t(view === 'mine' ? 'plans.view.mine' : 'plans.view.unit')
          )
        }
        toolBarRender={createTool({ allowed: owns, text: t('plans.create'), testId: 'plans-new', onClick: () => creator.open() })}
      />
      <CreatePlanForm open={creator.isOpen} onClose={creator.close} onCreated={(id) => navigate(`/managers/plans/${id}`)} />
    </PageContainer>
  );
}

interface CreateValues {
  period: Plan['period'];
  day: Dayjs;
  title?: string;
}

function CreatePlanForm({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (id: number) => void }) {
  const { t } = useI18n();
  return (
    <EntityModalForm<CreateValues>
      open={open}
      onClose={onClose}
      testId="plan-create-form"
      title={t('plans.createTitle')}
      success={t('plans.created')}
      initialValues={{ period: 'week', day: dayjs() }}
      onSubmit={async (v) => {
        const startsOn = (v.period === 'week' ? mondayOf(v.day) : v.day.startOf('month')).format('YYYY-MM-DD');
        const plan = await call(api.POST('/api/work-plans', { body: { period: v.period, startsOn, title: v.title?.trim() || null } }));
        onCreated(plan.id);
      }}
    >
      <ProFormRadio.Group
        name="period"
        label={t('plans.period')}
        radioType="button"
        options={[
          { value: 'week', label: t('plans.period.week') },
          { value: 'month', label: t('plans.period.month') },
        ]}
        fieldProps={tid('plan-create-period')}
      />
      <Form.Item noStyle shouldUpdate={(a: CreateValues, b: CreateValues) => a.period !== b.period}>
        {({ getFieldValue }) => {
          const week = getFieldValue('period') === 'week';
          return (
            <ProForm.Item name="day" label={week ? t('plans.weekPick') : t('plans.monthPick')} rules={[{ required: true, message: t('common.required') }]}>
              <DatePicker picker={week ? 'week' : 'month'} style={{ width: '100%' }} {...tid('plan-create-day')} />
            </ProForm.Item>
          );
        }}
      </Form.Item>
      <ProFormText name="title" label={t('plans.title')} placeholder={t('plans.titlePlaceholder')} fieldProps={{ maxLength: 100, ...tid('plan-create-title') }} />
    </EntityModalForm>
  );
}
