import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Card, Col, Collapse, DatePicker, Drawer, Empty, Form, Input, InputNumber, List, Row, Segmented, Select, Space, Spin, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, call } from '../../../api/client';
import { revalidate, useApi, useApiList } from '../../../api/swr';
import { useSession } from '../../../app/session';
import { CustomerSelect } from '../../../components/CustomerSelect';
import { tid } from '../../../components/EntityModalForm';
import { ManagerSelect } from '../../../components/ManagerSelect';
import { today } from '../../../components/format';
import { reportError } from '../../../components/useSubmit';
import { useI18n } from '../../../i18n';
import { CommentBox, CommentTimeline } from './comments';
import { KindTag, LOG_RESULTS, RESULT_COLOR, WORK_KINDS, kindName, type LogResult, type WorkKind, type WorkLog, type WorkLogDetail } from './common';

type View = 'mine' | 'unit';
const PAGE = 20;

/**
 * 工作日志: the entry form (a manager's, made for a phone: one column, large touch targets) and the list of
 * entries — a manager's own, a head's unit's — filtered by manager, customer, kind and days; an entry opens
 * with its comments (`?log=<id>`, the plan page links there).
 */
export function LogPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const owns = can('work.own');
  const reviews = can('work.review');
  const [view, setView] = useState<View>(() => (owns ? 'mine' : 'unit'));
  const [kind, setKind] = useState<WorkKind | undefined>();
  const [managerId, setManagerId] = useState<number | undefined>();
  const [customerId, setCustomerId] = useState<number | undefined>();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [page, setPage] = useState(1);
  const [params, setParams] = useSearchParams();
  const opened = Number(params.get('log')) || null;
  const open = (id: number | null) => setParams(id ? { log: String(id) } : {}, { replace: true });

  const query = {
    view: owns && reviews ? view : undefined,
    kind,
    managerId: reviews ? managerId : undefined,
    customerId,
    from: range?.[0]?.format('YYYY-MM-DD'),
    to: range?.[1]?.format('YYYY-MM-DD'),
    offset: (page - 1) * PAGE,
    limit: PAGE,
  };
  const list = useApiList('/api/work-logs', { query });
  const filter = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setPage(1);
  };

  return (
    <PageContainer title={t('logs.title')} content={t('logs.intro')} {...tid('logs-page')}>
      <Row gutter={[16, 16]}>
        {owns && (
          <Col xs={24} lg={10}>
            <LogForm onSaved={() => void revalidate('/api/work-logs')} />
          </Col>
        )}
        <Col xs={24} lg={owns ? 14 : 24}>
          <Card size="small" title={t('logs.list')} {...tid('logs-list')}>
            <Space wrap style={{ marginBottom: 12, width: '100%' }}>
              {owns && reviews && <Segmented<View> value={view} onChange={filter(setView)} options={(['mine', 'unit'] as const).map((v) => ({ value: v, label: t(`logs.view.${v}`) }))} />}
              <Select<WorkKind>
                allowClear
                placeholder={t('logs.filter.kind')}
                value={kind}
                onChange={filter(setKind)}
                options={WORK_KINDS.map((k) => ({ value: k, label: kindName(t, k) }))}
                style={{ width: 130 }}
                {...tid('logs-filter-kind')}
              />
              {reviews && <ManagerSelect value={managerId} onChange={filter(setManagerId)} placeholder={t('logs.filter.manager')} style={{ width: 200 }} />}
              <CustomerSelect value={customerId} onChange={filter(setCustomerId)} placeholder={t('logs.filter.customer')} allowClear style={{ width: 200 }} />
              <DatePicker.RangePicker value={range} onChange={filter(setRange)} style={{ maxWidth: 260 }} inputReadOnly />
            </Space>
            <List<WorkLog>
              loading={list.isLoading}
              dataSource={list.data?.items ?? []}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('logs.empty')} /> }}
              pagination={list.data && list.data.total > PAGE ? { current: page, pageSize: PAGE, total: list.data.total, onChange: setPage, simple: true, size: 'small' } : false}
              renderItem={(log) => <LogRow log={log} showManager={view === 'unit' || !owns} onOpen={() => open(log.id)} />}
            />
          </Card>
        </Col>
      </Row>
      <LogDrawer id={opened} onClose={() => open(null)} />
    </PageContainer>
  );
}

function LogRow({ log, showManager, onOpen }: { log: WorkLog; showManager: boolean; onOpen: () => void }) {
  const { t } = useI18n();
  return (
    <List.Item style={{ display: 'block', cursor: 'pointer' }} onClick={onOpen} {...tid(`log-${log.id}`)}>
      <Space size={6} wrap>
        <Typography.Text type="secondary">{log.loggedOn}</Typography.Text>
        <KindTag kind={log.kind} />
        <Typography.Text strong>{log.customerName}</Typography.Text>
        <Tag color={RESULT_COLOR[log.result]}>{t(`logs.result.${log.result}`)}</Tag>
      </Space>
      <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: '4px 0 0', overflowWrap: 'anywhere' }}>
        {log.outcome}
      </Typography.Paragraph>
      {log.nextStep && (
        <Typography.Text type="secondary" style={{ display: 'block', overflowWrap: 'anywhere' }} {...tid(`log-next-${log.id}`)}>
          {log.nextStepOn ? t('logs.nextStepDue', { step: log.nextStep, day: log.nextStepOn }) : t('logs.nextStepOnly', { step: log.nextStep })}
        </Typography.Text>
      )}
      <Space size={8} wrap style={{ fontSize: 12 }}>
        {showManager && <Typography.Text type="secondary">{log.managerName}</Typography.Text>}
        {log.planId && (
          <Link to={`/managers/plans/${log.planId}`} onClick={(e) => e.stopPropagation()}>
            {t('logs.plan')}
          </Link>
        )}
        {log.commentCount > 0 && <Typography.Text type="secondary">{t('logs.comments', { n: log.commentCount })}</Typography.Text>}
      </Space>
    </List.Item>
  );
}

function LogDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t } = useI18n();
  const remote = useApi('/api/work-logs/{id}', id ? { path: { id } } : null);
  const log = remote.data as WorkLogDetail | undefined;
  return (
    <Drawer open={id !== null} onClose={onClose} title={t('logs.detail')} width="min(560px, 100vw)" destroyOnHidden {...tid('log-drawer')}>
      {!log ? (
        remote.error ? <Empty description={remote.error.message} /> : <Spin />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }} size={12}>
          <Space size={6} wrap>
            <Typography.Text>{log.loggedOn}</Typography.Text>
            <KindTag kind={log.kind} />
            <Link to={`/customers/${log.customerId}`}>{log.customerName}</Link>
            <Tag color={RESULT_COLOR[log.result]}>{t(`logs.result.${log.result}`)}</Tag>
            {log.visitId && <Tag color="green">{t('logs.visitRecorded')}</Tag>}
          </Space>
          <Typography.Text type="secondary">{t('logs.by', { name: log.managerName })}</Typography.Text>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{log.outcome}</Typography.Paragraph>
          {log.nextStep && <Typography.Text>{log.nextStepOn ? t('logs.nextStepDue', { step: log.nextStep, day: log.nextStepOn }) : t('logs.nextStepOnly', { step: log.nextStep })}</Typography.Text>}
          {log.planId && <Link to={`/managers/plans/${log.planId}`}>{t('logs.plan')}</Link>}
          <Typography.Title level={5}>{t('plans.comments')}</Typography.Title>
          <CommentTimeline comments={log.comments} />
          <CommentBox
            testId="log-comment"
            onAdded={() => {
              void remote.mutate();
              void revalidate('/api/work-logs');
            }}
            post={(body) => call(api.POST('/api/work-logs/{id}/comments', { params: { path: { id: log.id } }, body: { body } }))}
          />
        </Space>
      )}
    </Drawer>
  );
}

interface LogValues {
  customerId: number;
  kind: WorkKind;
  loggedOn: Dayjs;
  outcome: string;
  result: LogResult;
  nextStep?: string;
  nextStepOn?: Dayjs | null;
  planItemId?: number | null;
  updates?: { contactPhone?: string; address?: string; employees?: number | null; itNeeds?: string; preferences?: string; contactChannel?: string };
}

const CHANNELS = ['phone', 'sms', 'wechat', 'email', 'visit'] as const;

/** 写日志: one column at any width, large controls; a visit or call may update a few profile fields. */
function LogForm({ onSaved }: { onSaved: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<LogValues>();
  const [saving, setSaving] = useState(false);
  const customerId = Form.useWatch('customerId', form);
  const kind = Form.useWatch('kind', form);
  const open = useApi('/api/work-plan-items', customerId ? { query: { customerId } } : null);
  const visitLike = kind === 'visit' || kind === 'call';
  const required = [{ required: true, message: t('common.required') }];

  const save = async (v: LogValues) => {
    const updates = visitLike && v.updates ? Object.fromEntries(Object.entries(v.updates).filter(([, x]) => x !== undefined && x !== null && x !== '')) : {};
    const hasUpdates = Object.keys(updates).length > 0;
    setSaving(true);
    try {
      // the profile's version is read just before the write that changes it
      const customerVersion = hasUpdates ? (await call(api.GET('/api/customers/{id}', { params: { path: { id: v.customerId } } }))).version : undefined;
      await call(
        api.POST('/api/work-logs', {
          body: {
            customerId: v.customerId,
            kind: v.kind,
            loggedOn: v.loggedOn.format('YYYY-MM-DD'),
            outcome: v.outcome.trim(),
            result: v.result,
            nextStep: v.nextStep?.trim() || null,
            nextStepOn: v.nextStepOn ? v.nextStepOn.format('YYYY-MM-DD') : null,
            planItemId: v.planItemId ?? null,
            ...(hasUpdates ? { customerVersion, updates } : {}),
          },
        }),
      );
      message.success(t('logs.saved'));
      form.resetFields();
      form.setFieldsValue({ kind: v.kind, loggedOn: v.loggedOn });
      onSaved();
    } catch (e) {
      reportError(e, { message, t, form });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card size="small" title={t('logs.new')} {...tid('log-form')}>
      <Form<LogValues> form={form} layout="vertical" size="large" initialValues={{ kind: 'visit', result: 'neutral', loggedOn: dayjs(today()) }} onFinish={save} requiredMark={false}>
        <Form.Item name="customerId" label={t('logs.customer')} rules={required}>
          <CustomerSelect testId="log-customer" placeholder={t('logs.customerPlaceholder')} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="kind" label={t('logs.kind')} rules={required}>
          <Segmented<WorkKind> block options={WORK_KINDS.map((k) => ({ value: k, label: kindName(t, k) }))} {...tid('log-kind')} />
        </Form.Item>
        <Form.Item name="loggedOn" label={t('logs.loggedOn')} rules={required}>
          <DatePicker style={{ width: '100%' }} inputReadOnly allowClear={false} disabledDate={(d) => d.isAfter(dayjs(today()), 'day')} {...tid('log-day')} />
        </Form.Item>
        <Form.Item name="outcome" label={t('logs.outcome')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input.TextArea rows={3} maxLength={2000} placeholder={t('logs.outcomePlaceholder')} {...tid('log-outcome')} />
        </Form.Item>
        <Form.Item name="result" label={t('logs.result')}>
          <Segmented<LogResult> block options={LOG_RESULTS.map((r) => ({ value: r, label: t(`logs.result.${r}`) }))} {...tid('log-result')} />
        </Form.Item>
        <Form.Item name="nextStep" label={t('logs.nextStep')}>
          <Input maxLength={500} placeholder={t('logs.nextStepPlaceholder')} {...tid('log-next-step')} />
        </Form.Item>
        <Form.Item name="nextStepOn" label={t('logs.nextStepOn')}>
          <DatePicker style={{ width: '100%' }} inputReadOnly disabledDate={(d) => d.isBefore(dayjs(today()), 'day')} {...tid('log-next-day')} />
        </Form.Item>
        {customerId && (open.data?.length ?? 0) > 0 && (
          <Form.Item name="planItemId" label={t('logs.planItem')}>
            <Select<number>
              allowClear
              placeholder={t('logs.planItemNone')}
              style={{ width: '100%' }}
              options={(open.data ?? []).map((i) => ({
                value: i.id,
                label: t('logs.planItemOption', { period: t(`plans.period.${i.period}`), from: i.planStartsOn, to: i.planEndsOn, kind: kindName(t, i.kind), day: i.plannedOn }),
              }))}
              {...tid('log-plan-item')}
            />
          </Form.Item>
        )}
        <Collapse
          ghost
          style={{ marginBottom: 16 }}
          items={[
            {
              key: 'updates',
              label: t('logs.updates'),
              children: visitLike ? (
                <>
                  <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                    {t('logs.updatesHint')}
                  </Typography.Paragraph>
                  <Form.Item name={['updates', 'contactPhone']} label={t('customers.contactPhone')}>
                    <Input maxLength={20} inputMode="tel" {...tid('log-update-phone')} />
                  </Form.Item>
                  <Form.Item name={['updates', 'address']} label={t('customers.address')}>
                    <Input maxLength={300} />
                  </Form.Item>
                  <Form.Item name={['updates', 'employees']} label={t('customers.employees')}>
                    <InputNumber min={0} max={10_000_000} precision={0} style={{ width: '100%' }} inputMode="numeric" {...tid('log-update-employees')} />
                  </Form.Item>
                  <Form.Item name={['updates', 'contactChannel']} label={t('customers.contactChannel')}>
                    <Select allowClear style={{ width: '100%' }} options={CHANNELS.map((c) => ({ value: c, label: t(`customers.channel.${c}`) }))} />
                  </Form.Item>
                  <Form.Item name={['updates', 'itNeeds']} label={t('customers.itNeeds')}>
                    <Input.TextArea rows={2} maxLength={2000} {...tid('log-update-itneeds')} />
                  </Form.Item>
                  <Form.Item name={['updates', 'preferences']} label={t('customers.preferences')}>
                    <Input.TextArea rows={2} maxLength={2000} />
                  </Form.Item>
                </>
              ) : (
                <Typography.Text type="secondary">{t('logs.updatesVisitOnly')}</Typography.Text>
              ),
            },
          ]}
        />
        <Button type="primary" htmlType="submit" block size="large" loading={saving} {...tid('log-save')}>
          {t('logs.save')}
        </Button>
      </Form>
    </Card>
  );
}
