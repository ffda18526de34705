import { PageContainer, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { Card, Col, Empty, Popconfirm, Row, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useRef } from 'react';
import { api, call, callList, type Schemas } from '../../../api/client';
import { revalidate, useApi } from '../../../api/swr';
import { tid } from '../../../components/EntityModalForm';
import { formatDateTime } from '../../../components/format';
import { listTableProps } from '../../../components/listTable';
import { usePagedRequest } from '../../../components/pagedRequest';
import { useAction } from '../../../components/useSubmit';
import { useI18n, type MessageKey, type Translate } from '../../../i18n';

type Subscription = Schemas['EventSubscriptionState'];
type DeadLetter = Schemas['EventDeadLetter'];

/** A name from the catalogue when it has one (the TM Forum event types and APIs), else the name itself. */
const named = (t: Translate, key: string, fallback: string) => {
  const text = t(key as MessageKey);
  return text === key ? fallback : text;
};
const apiName = (t: Translate, api: string) => named(t, `events.api.${api}`, api);
const eventTypeName = (t: Translate, type: string) => named(t, `events.type.${type}`, type);
const resourceName = (t: Translate, type: string, id: string) =>
  type === 'Customer' || type === 'TroubleTicket' ? t(`events.resource.${type}`, { id }) : t('events.resource.other', { type, id });

const REFRESH = { refreshInterval: 5000 };

/** 事件订阅与投递: the listeners of the TMF hubs with how far behind they are, and the dead letters to resend. */
export function EventsPage() {
  const { t } = useI18n();
  const health = useApi('/api/system/events/health', {}, REFRESH).data;
  const subs = useApi('/api/system/events/subscriptions', {}, REFRESH);
  const dead = useRef<ActionType>(null);
  const act = useAction();
  const reload = () => {
    void revalidate('/api/system/events/subscriptions', '/api/system/events/health');
    dead.current?.reload();
  };

  const setActive = (s: Subscription, active: boolean) =>
    act(() => call(api.POST(`/api/system/events/subscriptions/{id}/${active ? 'resume' : 'pause'}`, { params: { path: { id: s.id } }, body: { version: s.version } })).then(reload), {
      success: t(active ? 'events.resumed' : 'events.paused'),
      onConflict: reload,
    });
  /** Resends the dead letters listed (`count` of them), or all of the subscription's. */
  const replay = (subscriptionId: number, count: number, ids?: number[]) =>
    act(() => call(api.POST('/api/system/events/subscriptions/{id}/replay', { params: { path: { id: subscriptionId } }, body: { ids } })).then(reload), {
      success: t('events.replayed', { n: count }),
    });
  const remove = (s: Subscription) =>
    act(() => call(api.DELETE('/api/system/events/subscriptions/{id}', { params: { path: { id: s.id } } })).then(reload), { success: t('events.deleted') });

  const stateOf = (s: Subscription) =>
    !s.active ? <Tag>{t('events.statePaused')}</Tag> : s.failures > 0 ? <Tag color="orange">{t('events.stateFailing')}</Tag> : <Tag color="green">{t('events.stateActive')}</Tag>;

  const subColumns: ColumnsType<Subscription> = [
    { title: t('events.id'), dataIndex: 'id', width: 90 },
    { title: t('events.api'), dataIndex: 'api', width: 200, render: (a: string) => apiName(t, a) },
    {
      title: t('events.callback'),
      dataIndex: 'callback',
      width: 320,
      render: (_, s) => (
        <Space direction="vertical" size={0}>
          <Typography.Text copyable style={{ wordBreak: 'break-all' }}>
            {s.callback}
          </Typography.Text>
          {s.query && <Typography.Text type="secondary">{`${t('events.query')}: ${s.query}`}</Typography.Text>}
        </Space>
      ),
    },
    { title: t('events.registeredBy'), width: 150, render: (_, s) => (s.clientId ? t('events.client', { id: s.clientId }) : s.userId ? t('events.user', { id: s.userId }) : t('events.none')) },
    { title: t('events.state'), width: 100, render: (_, s) => <span {...tid(`event-sub-state-${s.id}`)}>{stateOf(s)}</span> },
    { title: t('events.lag'), dataIndex: 'lag', width: 90, align: 'right', render: (n: number, s) => <span {...tid(`event-sub-lag-${s.id}`)}>{n}</span> },
    { title: t('events.delivered'), dataIndex: 'delivered', width: 90, align: 'right' },
    { title: t('events.deadLetters'), dataIndex: 'deadLetters', width: 80, align: 'right', render: (n: number, s) => <span {...tid(`event-sub-dead-${s.id}`)}>{n}</span> },
    { title: t('events.lastDelivered'), dataIndex: 'lastDeliveredAt', width: 170, render: (v: string | null) => formatDateTime(v) },
    {
      title: t('events.lastError'),
      width: 240,
      render: (_, s) =>
        s.lastError ? (
          <Tooltip title={`${formatDateTime(s.lastErrorAt)} · ${t('events.nextAttempt')} ${formatDateTime(s.nextAttemptAt)}`}>
            <Typography.Text type={s.failures > 0 ? 'danger' : 'secondary'} ellipsis style={{ maxWidth: 220 }}>
              {s.failures > 0 ? `${t('events.failures', { n: s.failures })}: ${s.lastError}` : s.lastError}
            </Typography.Text>
          </Tooltip>
        ) : (
          t('events.none')
        ),
    },
    {
      title: t('common.actions'),
      width: 230,
      fixed: 'right',
      render: (_, s) => (
        <Space wrap>
          {s.active ? (
            <Popconfirm title={t('events.confirmPause')} okButtonProps={tid(`event-sub-pause-confirm-${s.id}`)} onConfirm={() => setActive(s, false)}>
              <Typography.Link {...tid(`event-sub-pause-${s.id}`)}>{t('events.pause')}</Typography.Link>
            </Popconfirm>
          ) : (
            <Typography.Link onClick={() => setActive(s, true)} {...tid(`event-sub-resume-${s.id}`)}>
              {t('events.resume')}
            </Typography.Link>
          )}
          {s.deadLetters > 0 && (
            <Popconfirm title={t('events.confirmReplayAll')} okButtonProps={tid(`event-sub-replay-confirm-${s.id}`)} onConfirm={() => replay(s.id, s.deadLetters)}>
              <Typography.Link {...tid(`event-sub-replay-${s.id}`)}>{t('events.replayAll')}</Typography.Link>
            </Popconfirm>
          )}
          <Popconfirm title={t('events.confirmDelete')} okButtonProps={tid(`event-sub-delete-confirm-${s.id}`)} onConfirm={() => remove(s)}>
            <Typography.Link type="danger" {...tid(`event-sub-delete-${s.id}`)}>
              {t('events.delete')}
            </Typography.Link>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  const load = useCallback(async (query: Record<string, unknown> & { offset: number; limit: number }) => {
    const subscriptionId = query.subscriptionId ? Number(query.subscriptionId) : undefined;
    return callList(api.GET('/api/system/events/dead-letters', { params: { query: { offset: query.offset, limit: query.limit, subscriptionId } } }));
  }, []);
  const request = usePagedRequest<DeadLetter>(load);
  const deadColumns: ProColumns<DeadLetter>[] = [
    {
      title: t('events.subscription'),
      dataIndex: 'subscriptionId',
      width: 100,
      valueType: 'select',
      valueEnum: Object.fromEntries((subs.data ?? []).map((s) => [s.id, { text: `${s.id} · ${s.callback}` }])),
      render: (_, d) => d.subscriptionId,
    },
    { title: t('events.eventId'), dataIndex: 'eventId', width: 100, search: false },
    { title: t('events.eventType'), dataIndex: 'eventType', width: 160, search: false, render: (_, d) => eventTypeName(t, d.eventType) },
    { title: t('events.resource'), dataIndex: 'resourceId', width: 140, search: false, render: (_, d) => resourceName(t, d.resourceType, d.resourceId) },
    { title: t('events.eventTime'), dataIndex: 'eventTime', width: 170, search: false, render: (_, d) => formatDateTime(d.eventTime) },
    { title: t('events.attempts'), dataIndex: 'attempts', width: 90, search: false, align: 'right' },
    { title: t('events.lastError'), dataIndex: 'lastError', search: false, ellipsis: true },
    { title: t('events.deadAt'), dataIndex: 'deadAt', width: 170, search: false, render: (_, d) => formatDateTime(d.deadAt) },
    {
      title: t('common.actions'),
      valueType: 'option',
      width: 120,
      render: (_, d) =>
        d.replayRequestedAt ? (
          <Tag color="blue">{t('events.replayPending')}</Tag>
        ) : (
          <Typography.Link key="replay" onClick={() => void replay(d.subscriptionId, 1, [d.id])} {...tid(`event-dead-replay-${d.id}`)}>
            {t('events.replay')}
          </Typography.Link>
        ),
    },
  ];

  return (
    <PageContainer title={t('menu.system.events')} content={t('events.intro')} {...tid('events-page')}>
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Card size="small" loading={!health}>
            <Statistic title={t('events.pending')} value={health?.pending ?? 0} {...tid('events-pending')} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small" loading={!health}>
            <Statistic title={t('events.oldestPending')} value={formatDateTime(health?.oldestPendingAt)} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small" loading={!health}>
            <Statistic title={t('events.deadLetters')} value={health?.deadLetters ?? 0} valueStyle={health?.deadLetters ? { color: '#cf1322' } : undefined} {...tid('events-dead')} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small" loading={!health}>
            <Statistic title={t('events.subscriptions')} value={health?.subscriptions ?? 0} />
          </Card>
        </Col>
        <Col span={24}>
          <Card size="small" title={t('events.subscriptionsTitle')}>
            <Table<Subscription> {...tid('events-subscriptions')} rowKey="id" size="small" columns={subColumns} locale={{ emptyText: <Empty description={t('events.subscriptionsEmpty')} /> }} dataSource={subs.data ?? []} loading={!subs.data && !subs.error} pagination={false} scroll={{ x: 1800 }} />
          </Card>
        </Col>
        <Col span={24}>
          <ProTable<DeadLetter>
            {...tid('events-dead-letters')}
            locale={{ emptyText: <Empty description={t('events.deadLettersEmpty')} /> }}
            headerTitle={t('events.deadLettersTitle')}
            rowKey="id"
            actionRef={dead}
            columns={deadColumns}
            request={request}
            {...listTableProps(t)}
            scroll={{ x: 1200 }}
          />
        </Col>
      </Row>
    </PageContainer>
  );
}
