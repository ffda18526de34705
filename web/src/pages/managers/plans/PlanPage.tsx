import { PlusOutlined } from '@ant-design/icons';
import { PageContainer, ProForm, ProFormDatePicker, ProFormSelect, ProFormText } from '@ant-design/pro-components';
import { Alert, Button, Card, Col, Descriptions, Empty, Input, Popconfirm, Result, Row, Space, Spin, Table } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, call } from '../../../api/client';
import { useApi } from '../../../api/swr';
import { useSession } from '../../../app/session';
import { CustomerSelect } from '../../../components/CustomerSelect';
import { EntityModalForm, tid, useEditor } from '../../../components/EntityModalForm';
import { formatDateTime } from '../../../components/format';
import { useAction } from '../../../components/useSubmit';
import { localUnit, useI18n } from '../../../i18n';
import { ItemStatusTag, KindTag, PlanStatusTag, WORK_KINDS, kindName, periodRange, type PlanDetail, type PlanItem } from './common';
import { CommentBox, CommentTimeline } from './comments';

/** 计划详情: the plan's items (each with the log entry that kept it), its manager's edits and submission, the head's review, the comments. */
export function PlanPage() {
  const { id } = useParams();
  const planId = Number(id);
  const remote = useApi('/api/work-plans/{id}', { path: { id: planId } });
  const plan = remote.data as PlanDetail | undefined;
  const reload = () => void remote.mutate();
  const { t, locale } = useI18n();

  if (remote.error?.status === 404) return <Result status="404" title={remote.error.message} />;
  if (!plan) return <Spin style={{ margin: 48 }} />;
  return (
    <PageContainer
      title={
        <Space wrap>
          <span {...tid('plan-title')}>{periodRange(t, plan)}</span>
          <PlanStatusTag plan={plan} />
        </Space>
      }
      content={plan.title ?? undefined}
      {...tid('plan-page')}
    >
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card size="small" style={{ marginBottom: 16 }}>
            <Descriptions
              size="small"
              column={{ xs: 1, md: 2 }}
              items={[
                { key: 'manager', label: t('plans.manager'), children: `${plan.managerName} · ${localUnit(locale, plan)}` },
                { key: 'progress', label: t('plans.progress'), children: t('plans.progressValue', { done: plan.doneCount, total: plan.itemCount, missed: plan.missedCount }) },
                { key: 'submitted', label: t('plans.submittedAt'), children: formatDateTime(plan.submittedAt) },
                { key: 'reviewed', label: t('plans.reviewedAt'), children: plan.reviewedAt ? `${formatDateTime(plan.reviewedAt)} · ${plan.reviewerName ?? ''}` : '-' },
              ]}
            />
          </Card>
          <Items plan={plan} onChanged={reload} />
        </Col>
        <Col xs={24} xl={8}>
          <Actions plan={plan} onChanged={reload} />
          <Comments plan={plan} onChanged={reload} />
        </Col>
      </Row>
    </PageContainer>
  );
}

interface ItemValues {
  customerId: number;
  kind: PlanItem['kind'];
  plannedOn: string;
  goal?: string;
}

function Items({ plan, onChanged }: { plan: PlanDetail; onChanged: () => void }) {
  const { t } = useI18n();
  const act = useAction();
  const editor = useEditor<PlanItem>();
  const editing = editor.record;
  const remove = (item: PlanItem) =>
    act(() => call(api.DELETE('/api/work-plan-items/{id}', { params: { path: { id: item.id }, query: { version: item.version } } })).then(onChanged), { success: t('plans.item.removed'), onConflict: onChanged });
  const required = [{ required: true, message: t('common.required') }];
  return (
    <Card
      size="small"
      title={t('plans.items')}
      {...tid('plan-items')}
      extra={
        plan.editable ? (
          <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => editor.open()} {...tid('plan-item-add')}>
            {t('plans.item.add')}
          </Button>
        ) : null
      }
    >
      <Table<PlanItem>
        rowKey="id"
        size="small"
        dataSource={plan.items}
        pagination={false}
        scroll={{ x: 720 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={plan.editable ? t('plans.item.none') : t('common.none')} /> }}
        onRow={(item) => tid(`plan-item-${item.id}`)}
        columns={[
          { title: t('plans.item.plannedOn'), dataIndex: 'plannedOn', width: 110 },
          { title: t('plans.item.customer'), dataIndex: 'customerName', ellipsis: true, render: (_, i) => <Link to={`/customers/${i.customerId}`}>{i.customerName}</Link> },
          { title: t('plans.item.kind'), dataIndex: 'kind', width: 80, render: (_, i) => <KindTag kind={i.kind} /> },
          { title: t('plans.item.goal'), dataIndex: 'goal', ellipsis: true, render: (_, i) => i.goal ?? '-' },
          { title: t('plans.item.status'), dataIndex: 'status', width: 90, render: (_, i) => <ItemStatusTag item={i} /> },
          {
            title: t('plans.item.log'),
            dataIndex: 'logId',
            width: 150,
            render: (_, i) =>
              i.logId ? (
                <Link to={`/managers/logs?log=${i.logId}`} {...tid(`plan-item-log-${i.id}`)}>
                  {t('plans.item.viewLog')}
                </Link>
              ) : plan.editable && i.status !== 'done' ? (
                <Space size={4}>
                  <Button type="link" size="small" onClick={() => editor.open(i)} {...tid(`plan-item-edit-${i.id}`)}>
                    {t('plans.item.edit')}
                  </Button>
                  <Popconfirm title={t('plans.item.removeConfirm')} onConfirm={() => remove(i)}>
                    <Button type="link" size="small" danger {...tid(`plan-item-remove-${i.id}`)}>
                      {t('plans.item.remove')}
                    </Button>
                  </Popconfirm>
                </Space>
              ) : (
                '-'
              ),
          },
        ]}
      />
      <EntityModalForm<ItemValues>
        key={editing?.id ?? 'new'}
        open={editor.isOpen}
        onClose={editor.close}
        testId="plan-item-form"
        title={editing ? t('plans.item.editTitle') : t('plans.item.addTitle')}
        success={editing ? t('plans.item.saved') : t('plans.item.added')}
        onConflict={onChanged}
        initialValues={editing ? { customerId: editing.customerId, kind: editing.kind, plannedOn: editing.plannedOn, goal: editing.goal ?? undefined } : { kind: 'visit', plannedOn: plan.startsOn }}
        onSubmit={async (v) => {
          const plannedOn = dayjs(v.plannedOn).format('YYYY-MM-DD');
          const goal = v.goal?.trim() || null;
          if (editing) await call(api.PATCH('/api/work-plan-items/{id}', { params: { path: { id: editing.id } }, body: { version: editing.version, customerId: v.customerId, kind: v.kind, plannedOn, goal } }));
          else await call(api.POST('/api/work-plans/{id}/items', { params: { path: { id: plan.id } }, body: { customerId: v.customerId, kind: v.kind, plannedOn, goal } }));
          onChanged();
        }}
      >
        <ProForm.Item name="customerId" label={t('plans.item.customer')} rules={required}>
          {editing ? <CustomerPicked name={editing.customerName} /> : <CustomerSelect testId="plan-item-customer" placeholder={t('plans.item.customerPlaceholder')} />}
        </ProForm.Item>
        <ProFormSelect name="kind" label={t('plans.item.kind')} rules={required} options={WORK_KINDS.map((k) => ({ value: k, label: kindName(t, k) }))} fieldProps={tid('plan-item-kind')} />
        <ProFormDatePicker
          name="plannedOn"
          label={t('plans.item.plannedOn')}
          rules={required}
          width="md"
          fieldProps={{ disabledDate: (d: dayjs.Dayjs) => d.isBefore(dayjs(plan.startsOn), 'day') || d.isAfter(dayjs(plan.endsOn), 'day'), ...tid('plan-item-day') }}
        />
        <ProFormText name="goal" label={t('plans.item.goal')} placeholder={t('plans.item.goalPlaceholder')} fieldProps={{ maxLength: 500, ...tid('plan-item-goal') }} />
      </EntityModalForm>
    </Card>
  );
}

/** The customer of an item being changed, shown by name (its id stays the form's value). */
function CustomerPicked({ name }: { name: string; value?: number }) {
  return <Input value={name} disabled />;
}

function Actions({ plan, onChanged }: { plan: PlanDetail; onChanged: () => void }) {
  const { t } = useI18n();
  const act = useAction();
  const [comment, setComment] = useState('');
  const canSubmit = plan.allowedMoves.includes('submitted');
  const canReview = plan.allowedMoves.includes('approved');
  const submit = () => act(() => call(api.POST('/api/work-plans/{id}/submit', { params: { path: { id: plan.id } }, body: { version: plan.version } })).then(onChanged), { success: t('plans.submitted'), onConflict: onChanged });
  const review = (decision: 'approved' | 'returned') =>
    act(
      () =>
        call(api.POST('/api/work-plans/{id}/review', { params: { path: { id: plan.id } }, body: { version: plan.version, decision, comment: comment.trim() || null } })).then(() => {
          setComment('');
          onChanged();
        }),
      { success: t(decision === 'approved' ? 'plans.approved' : 'plans.returned'), onConflict: onChanged },
    );
  const hint = plan.status === 'approved' ? t('plans.final') : plan.status === 'submitted' && !canReview ? t('plans.waitingReview') : null;
  return (
    <Card size="small" title={t('plans.actions')} style={{ marginBottom: 16 }} {...tid('plan-actions')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        {hint && <Alert type="info" showIcon message={hint} />}
        {canSubmit && (
          <Button type="primary" block size="large" disabled={plan.items.length === 0} onClick={submit} {...tid('plan-submit')}>
            {t('plans.submit')}
          </Button>
        )}
        {canReview && (
          <>
            <Input.TextArea rows={3} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} placeholder={t('plans.reviewCommentHint')} {...tid('plan-review-comment')} />
            <Space style={{ width: '100%' }} wrap>
              <Button type="primary" size="large" onClick={() => review('approved')} {...tid('plan-approve')}>
                {t('plans.approve')}
              </Button>
              <Button size="large" danger disabled={!comment.trim()} onClick={() => review('returned')} {...tid('plan-return')}>
                {t('plans.return')}
              </Button>
            </Space>
          </>
        )}
      </Space>
    </Card>
  );
}

function Comments({ plan, onChanged }: { plan: PlanDetail; onChanged: () => void }) {
  const { t } = useI18n();
  const { can } = useSession();
  return (
    <Card size="small" title={t('plans.comments')} {...tid('plan-comments')}>
      <CommentTimeline comments={plan.comments} />
      {(can('work.own') || can('work.review')) && (
        <CommentBox testId="plan-comment" onAdded={onChanged} post={(body) => call(api.POST('/api/work-plans/{id}/comments', { params: { path: { id: plan.id } }, body: { body } }))} />
      )}
    </Card>
  );
}
