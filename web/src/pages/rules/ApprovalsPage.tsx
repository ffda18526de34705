import { PageContainer, ProFormTextArea, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { Empty, Space, Tag, Typography } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, call, callList, type Schemas } from '../../api/client';
import { EntityModalForm, tid, useEditor } from '../../components/EntityModalForm';
import { formatDateTime, formatMoney } from '../../components/format';
import { listTableProps, valueEnumOf } from '../../components/listTable';
import { usePagedRequest } from '../../components/pagedRequest';
import { localUnit, useI18n } from '../../i18n';
import { DecisionCell } from './DecisionCell';

export type DiscountRequest = Schemas['DiscountRequest'];
type Status = DiscountRequest['status'];
type Decision = 'approve' | 'reject';

export const DISCOUNT_STATUS_COLOR: Record<Status, string> = { pending: 'blue', approved: 'green', rejected: 'red', withdrawn: 'default' };

/** 审批待办: the custom discount requests the user decides (by amount: city or province heads), approve or reject with a note. */
export function ApprovalsPage() {
  const { t, locale } = useI18n();
  const table = useRef<ActionType>(null);
  const editor = useEditor<{ request: DiscountRequest; decision: Decision }>();
  const [status, setStatus] = useState<Status>('pending');
  const reload = () => table.current?.reload();

  const load = useCallback(async (query: Record<string, unknown> & { offset: number; limit: number }) => {
    const s = (typeof query.status === 'string' ? query.status : 'pending') as Status;
    setStatus(s);
    return callList(api.GET('/api/discounts', { params: { query: { offset: query.offset, limit: query.limit, status: s } } }));
  }, []);
  const request = usePagedRequest<DiscountRequest>(load);

  const columns: ProColumns<DiscountRequest>[] = [
    {
      title: t('common.status'),
      dataIndex: 'status',
      hideInTable: true,
      valueType: 'select',
      initialValue: 'pending',
      fieldProps: { allowClear: false, ...tid('approvals-search-status') },
      valueEnum: valueEnumOf(['pending', 'approved', 'rejected', 'withdrawn'] as const, (s) => t(`rules.discounts.status.${s}`)),
    },
    { title: t('rules.discounts.createdAt'), dataIndex: 'createdAt', search: false, width: 170, render: (_, d) => formatDateTime(d.createdAt) },
    {
      title: t('rules.customerName'),
      dataIndex: 'customerName',
      search: false,
      render: (_, d) => (
        <Space direction="vertical" size={0}>
          <Link to={`/customers/${d.customerId}`}>{d.customerName}</Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {d.customerNo} · {localUnit(locale, d)}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('rules.discounts.amount'),
      dataIndex: 'amount',
      search: false,
      width: 150,
      align: 'right',
      render: (_, d) => (
        <span {...tid(`approval-amount-${d.id}`)}>
          ¥{formatMoney(d.amount)} × {t('rules.discounts.monthsN', { n: d.months })}
        </span>
      ),
    },
    { title: t('rules.discounts.reason'), dataIndex: 'reason', search: false, ellipsis: true },
    { title: t('rules.discounts.approverLevel'), dataIndex: 'approverLevel', search: false, width: 110, render: (_, d) => <Tag>{t(`rules.discounts.level.${d.approverLevel}`)}</Tag> },
    { title: t('rules.discounts.requestedBy'), dataIndex: 'requestedBy', search: false, width: 110, render: (_, d) => d.requestedByName ?? d.requestedBy ?? '-' },
    {
      title: t('rules.discounts.decision'),
      dataIndex: 'decidedAt',
      search: false,
      hideInTable: status === 'pending',
      render: (_, d) => <DecisionCell decided={d} tag={<Tag color={DISCOUNT_STATUS_COLOR[d.status]}>{t(`rules.discounts.status.${d.status}`)}</Tag>} />,
    },
    {
      title: t('common.actions'),
      valueType: 'option',
      width: 120,
      fixed: 'right',
      hideInTable: status !== 'pending',
      render: (_, d) =>
        d.status === 'pending'
          ? [
              <Typography.Link key="approve" onClick={() => editor.open({ request: d, decision: 'approve' })} {...tid(`approval-approve-${d.id}`)}>
                {t('rules.discounts.approve')}
              </Typography.Link>,
              <Typography.Link key="reject" type="danger" onClick={() => editor.open({ request: d, decision: 'reject' })} {...tid(`approval-reject-${d.id}`)}>
                {t('rules.discounts.reject')}
              </Typography.Link>,
            ]
          : [],
    },
  ];

  const target = editor.record;
  return (
    <PageContainer title={t('rules.discounts.inboxTitle')} content={t('rules.discounts.inboxIntro')} {...tid('rules-approvals-page')}>
      <ProTable<DiscountRequest>
        {...tid('approvals-table')}
        rowKey="id"
        actionRef={table}
        columns={columns}
        request={request}
        {...listTableProps(t)}
        locale={{ emptyText: <Empty description={t('rules.discounts.inboxEmpty')} /> }}
        scroll={{ x: 1100 }}
      />
      <EntityModalForm<{ note?: string }>
        open={editor.isOpen}
        onClose={editor.close}
        testId="approval-form"
        title={target ? t(target.decision === 'approve' ? 'rules.discounts.approveTitle' : 'rules.discounts.rejectTitle', { name: target.request.customerName }) : ''}
        success={target?.decision === 'approve' ? t('rules.discounts.approved') : t('rules.discounts.rejected')}
        onConflict={reload}
        onSubmit={async (v) => {
          if (!target) return;
          await call(
            api.POST('/api/discounts/{id}/decision', {
              params: { path: { id: target.request.id } },
              body: { version: target.request.version, decision: target.decision, note: v.note?.trim() || null },
            }),
          );
          reload();
        }}
      >
        {target && (
          <Typography.Paragraph>
            {t('rules.discounts.summary', { amount: formatMoney(target.request.amount), months: target.request.months, reason: target.request.reason })}
          </Typography.Paragraph>
        )}
        <ProFormTextArea
          name="note"
          label={target?.decision === 'reject' ? t('rules.discounts.rejectReason') : t('rules.note')}
          fieldProps={{ rows: 3, maxLength: 500, showCount: true, ...tid('approval-form-note') }}
          rules={target?.decision === 'reject' ? [{ required: true, whitespace: true, message: t('common.required') }] : undefined}
        />
      </EntityModalForm>
    </PageContainer>
  );
}
