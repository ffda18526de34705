import { PageContainer, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { Segmented, Space, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, callList } from '../../../api/client';
import { useSession } from '../../../app/session';
import { tid } from '../../../components/EntityModalForm';
import { createTool, listTableProps, valueEnumOf } from '../../../components/listTable';
import { usePagedRequest } from '../../../components/pagedRequest';
import { useI18n } from '../../../i18n';
import { ASSIGNMENT_STATUSES, AssignmentStatusTag, DueTag, ProgressBar, TASK_STATUSES, TaskStatusTag, targetText, type MyTask, type Task } from './common';
import { CreateTaskForm } from './CreateTaskForm';

type Mode = 'mine' | 'issued';

/** 任务管理: a manager's own tasks (progress and due days, overdue in red); a head's tasks set, with counts by status and 下达任务. */
export function TaskListPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const head = can('tasks.assign');
  const own = can('work.own');
  const [mode, setMode] = useState<Mode>(head ? 'issued' : 'mine');
  const switcher =
    head && own ? (
      <Segmented<Mode> value={mode} onChange={setMode} options={(['issued', 'mine'] as const).map((m) => ({ value: m, label: t(`tasks.mode.${m}`) }))} {...tid('tasks-mode')} />
    ) : null;
  return (
    <PageContainer title={t('tasks.listTitle')} content={t('tasks.listIntro')} extra={switcher} {...tid('tasks-page')}>
      {mode === 'issued' && head ? <IssuedTasks /> : <MyTasks />}
    </PageContainer>
  );
}

function MyTasks() {
  const { t } = useI18n();
  const load = useCallback(async (query: Record<string, unknown> & { offset: number; limit: number }) => {
    const open = typeof query.open === 'string' ? (query.open as 'true' | 'false') : 'true';
    return callList(api.GET('/api/managers/tasks/mine', { params: { query: { offset: query.offset, limit: query.limit, open } } }));
  }, []);
  const request = usePagedRequest<MyTask>(load);
  const columns: ProColumns<MyTask>[] = [
    {
      title: t('tasks.title'),
      dataIndex: 'title',
      search: false,
      render: (_, a) => (
        <Space direction="vertical" size={0}>
          <Link to={`/managers/tasks/${a.taskId}`} {...tid(`my-task-link-${a.taskId}`)}>
            {a.title}
          </Link>
          {a.expectedOutcome && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
              {t('tasks.expectedOutcome')}：{a.expectedOutcome}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    { title: t('tasks.issuedBy'), dataIndex: 'issuedByName', search: false, width: 110 },
    { title: t('tasks.dueOn'), dataIndex: 'dueOn', search: false, width: 200, render: (_, a) => <DueTag dueOn={a.dueOn} pending={a.status === 'assigned' || a.status === 'in_progress'} /> },
    { title: t('tasks.progress'), dataIndex: 'progress', search: false, width: 180, render: (_, a) => <ProgressBar percent={a.progress} overdue={a.overdue} testId={`my-task-progress-${a.taskId}`} /> },
    {
      title: t('tasks.status'),
      dataIndex: 'status',
      search: false,
      width: 150,
      render: (_, a) => (
        <Space size={4} wrap>
          <AssignmentStatusTag status={a.status} id={a.id} />
          {a.escalatedAt && <Tag color="red">{t('tasks.escalated')}</Tag>}
          {a.score !== null && <Tag color="green">{t('tasks.score')} {a.score}</Tag>}
        </Space>
      ),
    },
    {
      title: t('tasks.show'),
      dataIndex: 'open',
      hideInTable: true,
      valueType: 'select',
      initialValue: 'true',
      fieldProps: { allowClear: false },
      valueEnum: { true: { text: t('tasks.openOnly') }, false: { text: t('tasks.finished') } },
    },
  ];
  return (
    <ProTable<MyTask>
      {...tid('my-tasks-table')}
      rowKey="id"
      columns={columns}
      request={request}
      rowClassName={(a) => (a.overdue ? 'task-overdue' : '')}
      onRow={(a) => ({ style: a.overdue ? { background: '#fff1f0' } : undefined, 'data-overdue': a.overdue ? 'true' : 'false' }) as never}
      {...listTableProps(t, { showSizeChanger: true })}
    />
  );
}

type View = 'mine' | 'unit';

function IssuedTasks() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const table = useRef<ActionType>(null);
  const [view, setView] = useState<View>('mine');
  const [creating, setCreating] = useState(false);
  const load = useCallback(
    async (query: Record<string, unknown> & { offset: number; limit: number }) => {
      const str = (k: string) => (typeof query[k] === 'string' && query[k] ? (query[k] as string) : undefined);
      return callList(
        api.GET('/api/managers/tasks', {
          params: {
            query: { offset: query.offset, limit: query.limit, view, status: str('status') as Task['status'] | undefined, q: str('title'), overdue: str('overdue') === 'true' ? 'true' : undefined },
          },
        }),
      );
    },
    [view],
  );
  const request = usePagedRequest<Task>(load);
  const columns: ProColumns<Task>[] = [
    {
      title: t('tasks.title'),
      dataIndex: 'title',
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <Link to={`/managers/tasks/${r.id}`} {...tid(`task-link-${r.id}`)}>
            {r.title}
          </Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {targetText(t, r.target)} · {r.issuedByName}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('tasks.dueOn'), dataIndex: 'dueOn', search: false, width: 200, render: (_, r) => <DueTag dueOn={r.dueOn} pending={r.status === 'open' && r.counts.assigned + r.counts.in_progress > 0} /> },
    {
      title: t('tasks.counts'),
      dataIndex: 'counts',
      search: false,
      width: 300,
      render: (_, r) => (
        <Space size={[4, 4]} wrap {...tid(`task-counts-${r.id}`)}>
          {ASSIGNMENT_STATUSES.filter((s) => r.counts[s]).map((s) => (
            <Tooltip key={s} title={t(`tasks.assignment.status.${s}`)}>
              <span>
                <AssignmentStatusTag status={s} /> {r.counts[s]}
              </span>
            </Tooltip>
          ))}
          {r.overdue > 0 && <Tag color="red">{t('tasks.overdueCount', { count: r.overdue })}</Tag>}
        </Space>
      ),
    },
    { title: t('tasks.averageProgress'), dataIndex: 'averageProgress', search: false, width: 170, render: (_, r) => <ProgressBar percent={r.averageProgress} overdue={r.overdue > 0} /> },
    { title: t('tasks.averageScore'), dataIndex: 'averageScore', search: false, width: 90, render: (_, r) => (r.averageScore === null ? '-' : r.averageScore) },
    {
      title: t('tasks.status'),
      dataIndex: 'status',
      width: 100,
      valueType: 'select',
      valueEnum: valueEnumOf(TASK_STATUSES, (s) => t(`tasks.status.${s}`)),
      render: (_, r) => <TaskStatusTag status={r.status} id={r.id} />,
    },
    { title: t('tasks.overdue'), dataIndex: 'overdue', hideInTable: true, valueType: 'select', valueEnum: { true: { text: t('tasks.overdueOnly') } } },
  ];
  return (
    <>
      <ProTable<Task>
        {...tid('tasks-table')}
        rowKey="id"
        actionRef={table}
        columns={columns}
        request={request}
        params={{ view }}
        {...listTableProps(t, { showSizeChanger: true })}
        scroll={{ x: 1100 }}
        headerTitle={<Segmented<View> value={view} onChange={setView} options={(['mine', 'unit'] as const).map((v) => ({ value: v, label: t(`tasks.view.${v}`) }))} {...tid('tasks-view')} />}
        toolBarRender={createTool({ text: t('tasks.create'), testId: 'tasks-new', onClick: () => setCreating(true) })}
      />
      <CreateTaskForm open={creating} onClose={() => setCreating(false)} onCreated={(task) => navigate(`/managers/tasks/${task.id}`)} />
    </>
  );
}
