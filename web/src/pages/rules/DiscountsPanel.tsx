import { PercentageOutlined } from '@ant-design/icons';
import { ProFormDigit, ProFormTextArea } from '@ant-design/pro-components';
import { App, Button, Card, Popconfirm, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { api, call } from '../../api/client';
import { useApiList } from '../../api/swr';
import { useSession } from '../../app/session';
import { EntityModalForm, tid, useEditor } from '../../components/EntityModalForm';
import { formatDateTime, formatMoney } from '../../components/format';
import { useAction } from '../../components/useSubmit';
import { useI18n } from '../../i18n';
import { DISCOUNT_STATUS_COLOR, type DiscountRequest } from './ApprovalsPage';

interface RequestValues {
  amount: number;
  months: number;
  reason: string;
}

/**
 * 优惠申请: the customer's custom discount requests and their decisions; a new request (discounts.request),
 * and the requester's withdrawal (撤回) of one still pending.
 */
export function DiscountsPanel({ customerId, canChange }: { customerId: number; canChange: boolean }) {
  const { t } = useI18n();
  const { can, me } = useSession();
  const act = useAction();
  const { message } = App.useApp();
  const requester = useEditor<void>();
  const remote = useApiList('/api/customers/{id}/discounts', { path: { id: customerId }, query: { limit: 50 } });
  const requests = remote.data?.items ?? [];
  const reload = () => void remote.mutate();

  const columns: ColumnsType<DiscountRequest> = [
    { title: t('rules.discounts.createdAt'), dataIndex: 'createdAt', width: 170, render: formatDateTime },
    { title: t('rules.discounts.amount'), dataIndex: 'amount', width: 160, align: 'right', render: (_, d) => `¥${formatMoney(d.amount)} × ${t('rules.discounts.monthsN', { n: d.months })}` },
    { title: t('rules.discounts.reason'), dataIndex: 'reason', ellipsis: true },
    { title: t('rules.discounts.approverLevel'), dataIndex: 'approverLevel', width: 110, render: (_, d) => t(`rules.discounts.level.${d.approverLevel}`) },
    {
      title: t('common.status'),
      dataIndex: 'status',
      width: 110,
      render: (_, d) => (
        <Tag color={DISCOUNT_STATUS_COLOR[d.status]} {...tid(`discount-status-${d.id}`)}>
          {t(`rules.discounts.status.${d.status}`)}
        </Tag>
      ),
    },
    {
      title: t('rules.discounts.decision'),
      dataIndex: 'decisionNote',
      render: (_, d) => {
        const by = d.decidedByName ?? d.decidedBy;
        return by ? (d.decisionNote ? t('rules.discounts.decidedWithNote', { by, note: d.decisionNote }) : by) : '-';
      },
    },
    {
      title: '',
      key: 'actions',
      width: 80,
      render: (_, d) =>
        d.status === 'pending' &&
        d.requestedBy === me?.username && (
          <Popconfirm
            title={t('rules.discounts.confirmWithdraw')}
            onConfirm={() =>
              act(() => call(api.POST('/api/discounts/{id}/withdrawal', { params: { path: { id: d.id } }, body: { version: d.version } })).then(reload), {
                success: t('rules.discounts.withdrawn'),
                onConflict: reload,
              })
            }
          >
            <Typography.Link {...tid(`discount-withdraw-${d.id}`)}>{t('rules.discounts.withdraw')}</Typography.Link>
          </Popconfirm>
        ),
    },
  ];

  return (
    <Card
      size="small"
      title={t('rules.discounts.title')}
      {...tid('discounts-panel')}
      extra={
        canChange &&
        can('discounts.request') && (
          <Button size="small" icon={<PercentageOutlined />} onClick={() => requester.open()} {...tid('discount-request')}>
            {t('rules.discounts.request')}
          </Button>
        )
      }
    >
      {requests.length === 0 && !remote.isLoading ? (
        <Typography.Text type="secondary">{t('rules.discounts.none')}</Typography.Text>
      ) : (
        <Table<DiscountRequest> {...tid('discounts-table')} size="small" rowKey="id" loading={remote.isLoading} columns={columns} dataSource={requests} pagination={false} />
      )}
      <EntityModalForm<RequestValues>
        open={requester.isOpen}
        onClose={requester.close}
        testId="discount-form"
        title={t('rules.discounts.request')}
        initialValues={{ months: 12 }}
        onSubmit={async (v) => {
          const created = await call(
            api.POST('/api/customers/{id}/discounts', { params: { path: { id: customerId } }, body: { amount: v.amount.toFixed(2), months: v.months, reason: v.reason.trim() } }),
          );
          message.success(t('rules.discounts.requested', { level: t(`rules.discounts.level.${created.approverLevel}`) }));
          await remote.mutate();
        }}
      >
        <Typography.Paragraph type="secondary">{t('rules.discounts.requestHint')}</Typography.Paragraph>
        <ProFormDigit
          name="amount"
          label={t('rules.discounts.amountPerMonth')}
          min={0.01}
          max={9_999_999_999}
          fieldProps={{ precision: 2, prefix: '¥', ...tid('discount-form-amount') }}
          rules={[{ required: true, message: t('common.required') }]}
        />
        <ProFormDigit name="months" label={t('rules.discounts.months')} min={1} max={36} fieldProps={{ precision: 0, ...tid('discount-form-months') }} rules={[{ required: true, message: t('common.required') }]} />
        <ProFormTextArea
          name="reason"
          label={t('rules.discounts.reason')}
          fieldProps={{ rows: 3, maxLength: 500, showCount: true, ...tid('discount-form-reason') }}
          rules={[{ required: true, whitespace: true, min: 2, message: t('rules.points.reasonRequired') }]}
        />
      </EntityModalForm>
    </Card>
  );
}
