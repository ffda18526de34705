import { ProFormTextArea, ProTable, type ProColumns } from '@ant-design/pro-components';
import { PageContainer } from '@ant-design/pro-components';
import { Alert, Button, Card, Col, Descriptions, Popconfirm, Result, Row, Space, Spin, Tag, Typography } from 'antd';
import { useCallback } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, call, callList } from '../../../api/client';
import { useApi } from '../../../api/swr';
import { useSession } from '../../../app/session';
import { EntityModalForm, tid, useEditor } from '../../../components/EntityModalForm';
import { formatDateTime } from '../../../components/format';
import { usePagedRequest } from '../../../components/pagedRequest';
import { useAction } from '../../../components/useSubmit';
import { localName, localUnit, useI18n } from '../../../i18n';
import { kindName, StatusTag, windowText, type OutageAction, type OutageCustomer, type OutageDetail } from './common';
import { NoticeEditor } from './NoticeEditor';

/** 通知详情: the notice, the actions of its flow open to the reader, and the key accounts it affects. */
export function NoticePage() {
  const { id } = useParams();
  const remote = useApi('/api/outages/{id}', { path: { id: Number(id) } });
  const o = remote.data as OutageDetail | undefined;
  const reload = () => void remote.mutate();

  if (remote.error?.status === 404) return <Result status="404" title={remote.error.message} />;
  if (!o) return <Spin style={{ margin: 48 }} />;
  return (
    <PageContainer
      title={
        <Space>
          <span {...tid('notice-title-text')}>{o.title}</span>
          <StatusTag outage={o} />
        </Space>
      }
      {...tid('notice-page')}
    >
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Facts outage={o} />
        </Col>
        <Col xs={24} xl={8}>
          <Actions outage={o} onChanged={reload} />
        </Col>
        <Col span={24}>
          <AffectedCustomers outage={o} />
        </Col>
      </Row>
    </PageContainer>
  );
}

function Facts({ outage: o }: { outage: OutageDetail }) {
  const { t, locale } = useI18n();
  const by = (at: string | null, name: string | null) => (at ? t('notices.byWhom', { at: formatDateTime(at), name: name ?? '-' }) : '-');
  const decided = o.approvedAt !== null;
  return (
    <Card size="small">
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }}
        items={[
          { key: 'kind', label: t('notices.kind'), children: kindName(t, o.kind) },
          { key: 'area', label: t('notices.area'), children: localName(locale, { name: o.areaUnitName, nameEn: o.areaUnitNameEn }) },
          { key: 'window', label: t('notices.window'), span: 2, children: <span {...tid('notice-window')}>{windowText(t, o)}</span> },
          {
            key: 'affected',
            label: t('notices.affected'),
            children: (
              <Space size={4} {...tid('notice-affected')}>
                {o.affectedCount === null ? t('notices.notYetCounted') : t('notices.affectedN', { n: o.affectedCount })}
                {o.affectedCount !== null && <Tag color={o.needsApproval ? 'orange' : 'default'}>{o.needsApproval ? t('notices.needsApproval') : t('notices.noApprovalNeeded')}</Tag>}
              </Space>
            ),
          },
          { key: 'created', label: t('notices.createdBy'), children: by(o.createdAt, o.createdByName) },
          ...(o.submittedAt ? [{ key: 'submitted', label: t('notices.submitted'), children: by(o.submittedAt, o.submittedByName) }] : []),
          ...(decided ? [{ key: 'decision', label: t('notices.decision'), children: by(o.approvedAt, o.approvedByName) }] : []),
          ...(o.decisionNote ? [{ key: 'note', label: t('notices.decisionNote'), span: 2, children: <span {...tid('notice-decision-note')}>{o.decisionNote}</span> }] : []),
          ...(o.notifiedAt
            ? [{ key: 'notified', label: t('notices.notified'), span: 2, children: <span {...tid('notice-notified')}>{t('notices.notifiedSummary', { at: formatDateTime(o.notifiedAt), n: o.notifiedCount, sms: o.smsCount })}</span> }]
            : []),
          ...(o.cancelledAt ? [{ key: 'cancelled', label: t('notices.cancelled'), span: 2, children: `${formatDateTime(o.cancelledAt)} · ${o.cancelReason ?? ''}` }] : []),
          ...(o.completedAt ? [{ key: 'completed', label: t('notices.completedAt'), children: formatDateTime(o.completedAt) }] : []),
          { key: 'description', label: t('notices.description'), span: 2, children: <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{o.description || '-'}</Typography.Paragraph> },
        ]}
      />
    </Card>
  );
}

type ActionPath = '/api/outages/{id}/submit';
/** Runs an action of the flow at the version read (every action takes the same body; cancel its reason). */
const postAction = (o: OutageDetail, action: Exclude<OutageAction, 'cancel'>, note?: string) =>
  call(api.POST(`/api/outages/{id}/${action}` as ActionPath, { params: { path: { id: o.id } }, body: { version: o.version, ...(note && { note }) } }));

const CONFIRM: Partial<Record<OutageAction, 'notices.confirmSubmit' | 'notices.confirmSend' | 'notices.confirmComplete'>> = {
  submit: 'notices.confirmSubmit',
  send: 'notices.confirmSend',
  complete: 'notices.confirmComplete',
};

function Actions({ outage: o, onChanged }: { outage: OutageDetail; onChanged: () => void }) {
  const { t } = useI18n();
  const { can } = useSession();
  const act = useAction();
  const decision = useEditor<'approve' | 'reject'>();
  const canceller = useEditor<void>();
  const editor = useEditor<void>();
  const editable = can('notices.manage') && o.allowedActions.length > 0 && ['draft', 'pending_approval', 'approved'].includes(o.status);
  const run = (action: Exclude<OutageAction, 'cancel'>) => act(() => postAction(o, action).then(onChanged), { success: t(`notices.done.${action}`), onConflict: onChanged });
  const resend = o.status === 'notified';

  if (!o.allowedActions.length && !editable) return null;
  return (
    <Card size="small" {...tid('notice-actions')}>
      <Space wrap>
        {o.allowedActions.map((action) => {
          const label = action === 'send' && resend ? t('notices.action.resend') : t(`notices.action.${action}`);
          if (action === 'approve' || action === 'reject') {
            return (
              <Button key={action} type={action === 'approve' ? 'primary' : 'default'} onClick={() => decision.open(action)} {...tid(`notice-${action}`)}>
                {label}
              </Button>
            );
          }
          if (action === 'cancel') {
            return (
              <Button key={action} danger onClick={() => canceller.open()} {...tid('notice-cancel')}>
                {label}
              </Button>
            );
          }
          const confirm = action === 'send' && resend ? 'notices.confirmResend' : CONFIRM[action]!;
          return (
            <Popconfirm key={action} title={t(confirm)} onConfirm={() => run(action)} okButtonProps={tid(`notice-${action}-confirm`)}>
              <Button type={action === 'send' || action === 'submit' ? 'primary' : 'default'} {...tid(`notice-${action}`)}>
                {label}
              </Button>
            </Popconfirm>
          );
        })}
        {editable && (
          <Button onClick={() => editor.open()} {...tid('notice-edit')}>
            {t('common.edit')}
          </Button>
        )}
      </Space>
      <EntityModalForm<{ note?: string }>
        key={`${o.version}-${decision.record ?? ''}`}
        open={decision.isOpen}
        onClose={decision.close}
        title={decision.record ? t(`notices.action.${decision.record}`) : ''}
        testId="notice-decision-form"
        onSubmit={(v) => postAction(o, decision.record!, v.note?.trim()).then(onChanged)}
        success={decision.record ? t(`notices.done.${decision.record}`) : undefined}
        onConflict={onChanged}
      >
        <ProFormTextArea
          name="note"
          label={decision.record === 'reject' ? t('notices.rejectNote') : t('notices.approveNote')}
          rules={decision.record === 'reject' ? [{ required: true, whitespace: true, message: t('common.required') }] : []}
          fieldProps={{ rows: 3, maxLength: 500, ...tid('notice-decision-note-input') }}
        />
      </EntityModalForm>
      <EntityModalForm<{ reason: string }>
        key={`cancel-${o.version}`}
        open={canceller.isOpen}
        onClose={canceller.close}
        title={t('notices.action.cancel')}
        testId="notice-cancel-form"
        onSubmit={(v) => call(api.POST('/api/outages/{id}/cancel', { params: { path: { id: o.id } }, body: { version: o.version, reason: v.reason.trim() } })).then(onChanged)}
        success={t('notices.done.cancel')}
        onConflict={onChanged}
      >
        {o.status === 'notified' && <Alert type="warning" showIcon message={t('notices.cancelWarning')} style={{ marginBottom: 16 }} />}
        <ProFormTextArea name="reason" label={t('notices.cancelReason')} rules={[{ required: true, whitespace: true, message: t('common.required') }]} fieldProps={{ rows: 3, maxLength: 500, ...tid('notice-cancel-reason') }} />
      </EntityModalForm>
      {editor.isOpen && <NoticeEditor outage={o} onClose={editor.close} onSaved={onChanged} />}
    </Card>
  );
}

/** The affected key accounts the reader sees, a page at a time. */
function AffectedCustomers({ outage: o }: { outage: OutageDetail }) {
  const { t, locale } = useI18n();
  const load = useCallback(
    (query: { offset: number; limit: number }) => callList(api.GET('/api/outages/{id}/customers', { params: { path: { id: o.id }, query: { offset: query.offset, limit: query.limit } } })),
    [o.id],
  );
  const request = usePagedRequest<OutageCustomer>(load);
  const columns: ProColumns<OutageCustomer>[] = [
    {
      title: t('notices.customers.customer'),
      dataIndex: 'name',
      render: (_, c) => (
        <Space direction="vertical" size={0}>
          <Link to={`/customers/${c.customerId}`}>{c.name}</Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {c.customerNo}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('notices.customers.level'), dataIndex: 'level', width: 110, render: (_, c) => (c.level ? t(`rules.level.${c.level}` as never) : '-') },
    { title: t('notices.customers.unit'), dataIndex: 'unitName', width: 160, render: (_, c) => localUnit(locale, c) },
    { title: t('notices.customers.manager'), dataIndex: 'managerName', width: 110, render: (_, c) => c.managerName ?? '-' },
    { title: t('notices.customers.phone'), dataIndex: 'contactPhone', width: 130, render: (_, c) => c.contactPhone ?? '-' },
    {
      title: t('notices.customers.notifiedAt'),
      dataIndex: 'notifiedAt',
      width: 170,
      render: (_, c) => (c.notifiedAt ? formatDateTime(c.notifiedAt) : <Typography.Text type="secondary">{t('notices.customers.notNotified')}</Typography.Text>),
    },
  ];
  return (
    <ProTable<OutageCustomer>
      {...tid('notice-customers')}
      // a new version may have a new set of customers
      key={o.version}
      headerTitle={t('notices.customers.title')}
      tooltip={t('notices.customers.basis')}
      rowKey="customerId"
      columns={columns}
      request={request}
      search={false}
      size="small"
      pagination={{ defaultPageSize: 20, showTotal: (total) => t('common.total', { total }) }}
      options={{ reload: true, density: false, setting: false }}
      locale={{ emptyText: t('notices.customers.empty') }}
      scroll={{ x: 900 }}
    />
  );
}
