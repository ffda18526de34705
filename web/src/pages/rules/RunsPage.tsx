import { PlayCircleOutlined } from '@ant-design/icons';
import { PageContainer, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { Button, Popconfirm, Space, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { api, call, callList } from '../../api/client';
import { useSession } from '../../app/session';
import { tid } from '../../components/EntityModalForm';
import { formatDateTime } from '../../components/format';
import { usePagedRequest } from '../../components/pagedRequest';
import { useAction } from '../../components/useSubmit';
import { useI18n, type MessageKey } from '../../i18n';
import { versionsText, type RuleRun } from './common';
import { MonthPicker, useMonthChoice } from './months';
import { useRunMonth } from './PreviewPage';

const STATUS_COLOR: Record<string, string> = { completed: 'green', rolled_back: 'default', superseded: 'default', failed: 'red', running: 'blue' };

const num = (v: unknown) => (typeof v === 'number' ? v : null);

/** 计算记录: every monthly run with its versions, counts, duration and who ran it; run a month; roll back the latest. */
export function RunsPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const table = useRef<ActionType>(null);
  const act = useAction();
  const runMonth = useRunMonth();
  const [month, setMonth] = useMonthChoice();
  const [running, setRunning] = useState(false);
  // The latest completed run on the page (by month): the only one the server rolls back.
  const [latestId, setLatestId] = useState<number | null>(null);

  const load = useCallback(async (query: { offset: number; limit: number }) => {
    const page = await callList(api.GET('/api/rules/runs', { params: { query: { offset: query.offset, limit: query.limit } } }));
    const latest = page.items.filter((r) => r.status === 'completed').sort((a, b) => b.month.localeCompare(a.month) || b.id - a.id)[0];
    setLatestId(latest?.id ?? null);
    return page;
  }, []);
  const request = usePagedRequest<RuleRun>(load);
  const reload = () => table.current?.reload();

  const label = (prefix: string, code: string) => {
    const key = `${prefix}.${code}` as MessageKey;
    const text = t(key);
    return text === key ? code : text;
  };

  const columns: ProColumns<RuleRun>[] = [
    { title: t('rules.runs.id'), dataIndex: 'id', width: 70 },
    { title: t('rules.month'), dataIndex: 'month', width: 100, render: (_, r) => <span {...tid(`run-month-${r.id}`)}>{r.month}</span> },
    {
      title: t('common.status'),
      dataIndex: 'status',
      width: 110,
      render: (_, r) => (
        <Tooltip title={r.error ?? undefined}>
          <Tag color={STATUS_COLOR[r.status] ?? 'default'} {...tid(`run-status-${r.id}`)} data-status={r.status}>
            {label('rules.runs.status', r.status)}
          </Tag>
        </Tooltip>
      ),
    },
    { title: t('rules.runs.trigger'), dataIndex: 'trigger', width: 90, render: (_, r) => (r.trigger ? label('rules.runs.trigger', r.trigger) : '-') },
    { title: t('rules.runs.versions'), dataIndex: 'versions', ellipsis: true, render: (_, r) => <Typography.Text style={{ fontSize: 12 }}>{versionsText(t, r.versions)}</Typography.Text> },
    {
      title: t('rules.runs.counts'),
      dataIndex: 'counts',
      width: 330,
      render: (_, r) => {
        const c = r.counts ?? {};
        const parts = [
          [t('rules.runs.customers'), num(c.customers)],
          [t('rules.runs.upgraded'), num(c.upgraded)],
          [t('rules.runs.downgraded'), num(c.downgraded)],
          [t('rules.runs.held'), num(c.held)],
          [t('rules.runs.pointsEarned'), num(c.pointsEarned)],
          [t('rules.runs.candidates'), num(c.candidates)],
        ].filter(([, v]) => v !== null);
        return parts.length ? (
          <Space size={[8, 0]} wrap style={{ fontSize: 12 }}>
            {parts.map(([k, v]) => (
              <span key={String(k)}>
                {k} <Typography.Text strong>{v}</Typography.Text>
              </span>
            ))}
          </Space>
        ) : (
          '-'
        );
      },
    },
    { title: t('rules.runs.duration'), dataIndex: 'durationMs', width: 100, align: 'right', render: (_, r) => (r.durationMs === undefined ? '-' : `${(r.durationMs / 1000).toFixed(1)} s`) },
    { title: t('rules.runs.actor'), dataIndex: 'actor', width: 100, render: (_, r) => r.actorName ?? r.actor ?? t('rules.system') },
    { title: t('rules.runs.startedAt'), dataIndex: 'startedAt', width: 170, render: (_, r) => formatDateTime(r.startedAt) },
    {
      title: t('common.actions'),
      valueType: 'option',
      width: 110,
      fixed: 'right',
      hideInTable: !can('rules.run'),
      render: (_, r) =>
        r.id === latestId
          ? [
              <Popconfirm
                key="rollback"
                title={t('rules.runs.rollbackTitle', { month: r.month })}
                description={t('rules.runs.rollbackText')}
                okButtonProps={{ danger: true, ...tid(`run-rollback-confirm-${r.id}`) }}
                onConfirm={() =>
                  act(() => call(api.POST('/api/rules/runs/{id}/rollback', { params: { path: { id: r.id } } })).then(reload), {
                    success: t('rules.runs.rolledBack', { month: r.month }),
                  })
                }
              >
                <Typography.Link type="danger" {...tid(`run-rollback-${r.id}`)}>
                  {t('rules.runs.rollback')}
                </Typography.Link>
              </Popconfirm>,
            ]
          : r.rolledBackAt
            ? [
                <Typography.Text key="at" type="secondary" style={{ fontSize: 12 }}>
                  {formatDateTime(r.rolledBackAt)}
                </Typography.Text>,
              ]
            : [],
    },
  ];

  const m = month.format('YYYY-MM');
  return (
    <PageContainer title={t('rules.runs.title')} content={t('rules.runs.intro')} {...tid('rules-runs-page')}>
      <ProTable<RuleRun>
        {...tid('runs-table')}
        rowKey="id"
        actionRef={table}
        columns={columns}
        request={request}
        search={false}
        pagination={{ defaultPageSize: 20, showSizeChanger: true, showTotal: (total) => t('common.total', { total }) }}
        options={{ reload: true, density: false, setting: false }}
        scroll={{ x: 1300 }}
        toolBarRender={() =>
          can('rules.run')
            ? [
                <MonthPicker key="month" value={month} onChange={setMonth} testId="runs-month" />,
                <Popconfirm
                  key="run"
                  title={t('rules.runs.confirmTitle', { month: m })}
                  description={t('rules.runs.confirmText')}
                  okButtonProps={tid('runs-run-confirm')}
                  onConfirm={async () => {
                    setRunning(true);
                    try {
                      if (await runMonth(m)) reload();
                    } finally {
                      setRunning(false);
                    }
                  }}
                >
                  <Button type="primary" icon={<PlayCircleOutlined />} loading={running} {...tid('runs-run')}>
                    {t('rules.runs.run')}
                  </Button>
                </Popconfirm>,
              ]
            : []
        }
      />
    </PageContainer>
  );
}
