import { PageContainer, ProFormDigit, ProFormSlider, ProFormTextArea } from '@ant-design/pro-components';
import { Alert, Button, Card, Col, Descriptions, Empty, Result, Row, Space, Spin, Table, Tag, Timeline, Typography } from 'antd';
import { useParams } from 'react-router-dom';
import { api, call } from '../../../api/client';
import { useApi } from '../../../api/swr';
import { useSession } from '../../../app/session';
import { EntityModalForm, tid, useEditor } from '../../../components/EntityModalForm';
import { formatDateTime } from '../../../components/format';
import { useAction } from '../../../components/useSubmit';
import { localName, localUnit, useI18n } from '../../../i18n';
import { AssignmentStatusTag, DueTag, ProgressBar, TaskStatusTag, targetText, type Assignment, type TaskDetail } from './common';

/** 任务详情: the task, each assignment's progress, the reports and replies, and the steps open to the reader (report, submit; evaluate, reply, cancel). */
export function TaskPage() {
  const { id } = useParams();
  const taskId = Number(id);
  const remote = useApi('/api/managers/tasks/{id}', { path: { id: taskId } });
  const task = remote.data as TaskDetail | undefined;
  const reload = () => void remote.mutate();
  const { me } = useSession();

  if (remote.error?.status === 404) return <Result status="404" title={remote.error.message} />;
  if (!task) return <Spin style={{ margin: 48 }} />;
  const mine = task.assignments.find((a) => a.managerId === me?.id);
  return (
    <PageContainer
      title={
        <Space>
          <span {...tid('task-title')}>{task.title}</span>
          <TaskStatusTag status={task.status} id={task.id} />
        </Space>
      }
      extra={task.canManage && task.status === 'open' ? <CancelTask task={task} onChanged={reload} /> : null}
      {...tid('task-page')}
    >
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <TaskFacts task={task} />
          {mine && <MyAssignment task={task} assignment={mine} onChanged={reload} />}
          {(task.canManage || !mine || task.assignments.length > 1) && <Assignments task={task} onChanged={reload} />}
        </Col>
        <Col xs={24} xl={8}>
          <Reports task={task} />
        </Col>
      </Row>
    </PageContainer>
  );
}

function TaskFacts({ task }: { task: TaskDetail }) {
  const { t, locale } = useI18n();
  return (
    <Card size="small" style={{ marginBottom: 16 }}>
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2 }}
        items={[
          { key: 'due', label: t('tasks.dueOn'), children: <DueTag dueOn={task.dueOn} pending={task.status === 'open' && task.counts.assigned + task.counts.in_progress > 0} /> },
          { key: 'issuer', label: t('tasks.issuedBy'), children: `${task.issuedByName} · ${localName(locale, { name: task.unitName, nameEn: task.unitNameEn })}` },
          { key: 'target', label: t('tasks.target'), span: 2, children: <span {...tid('task-target')}>{targetText(t, task.target)}</span> },
          { key: 'created', label: t('tasks.createdAt'), children: formatDateTime(task.createdAt) },
          { key: 'progress', label: t('tasks.averageProgress'), children: <ProgressBar percent={task.averageProgress} overdue={task.overdue > 0} /> },
          { key: 'expected', label: t('tasks.expectedOutcome'), span: 2, children: <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{task.expectedOutcome || '-'}</Typography.Paragraph> },
          { key: 'description', label: t('tasks.description'), span: 2, children: <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{task.description || '-'}</Typography.Paragraph> },
        ]}
      />
    </Card>
  );
}

/** 过程控制 for the manager: start, report progress, submit. */
function MyAssignment({ task, assignment: a, onChanged }: { task: TaskDetail; assignment: Assignment; onChanged: () => void }) {
  const { t } = useI18n();
  const { can } = useSession();
  const act = useAction();
  const reporter = useEditor<void>();
  const submitter = useEditor<void>();
  if (!can('work.own')) return null;
  const path = { params: { path: { id: a.id } } };
  const reportable = a.status === 'assigned' || a.status === 'in_progress';
  return (
    <Card size="small" title={t('tasks.myAssignment')} style={{ marginBottom: 16 }} {...tid('task-my-assignment')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <AssignmentStatusTag status={a.status} id={a.id} />
          {a.overdue && <Tag color="red">{t('tasks.overdue')}</Tag>}
          {a.escalatedToName && <Tag color="red">{t('tasks.escalatedTo', { name: a.escalatedToName })}</Tag>}
          {a.score !== null && <Tag color="green">{t('tasks.score')} {a.score}</Tag>}
        </Space>
        <ProgressBar percent={a.progress} overdue={a.overdue} testId="task-my-progress" />
        {a.evaluation && <Alert type="success" message={`${t('tasks.evaluation')}：${a.evaluation}`} />}
        <Space wrap>
          {a.allowedMoves.includes('in_progress') && a.status === 'assigned' && (
            <Button onClick={() => act(() => call(api.POST('/api/managers/task-assignments/{id}/start', { ...path, body: { version: a.version } })).then(onChanged), { success: t('tasks.started'), onConflict: onChanged })} {...tid('task-start')}>
              {t('tasks.start')}
            </Button>
          )}
          {reportable && task.status === 'open' && (
            <Button onClick={() => reporter.open()} {...tid('task-report')}>
              {t('tasks.report')}
            </Button>
          )}
          {a.allowedMoves.includes('submitted') && (
            <Button type="primary" onClick={() => submitter.open()} {...tid('task-submit')}>
              {t('tasks.submit')}
            </Button>
          )}
        </Space>
      </Space>
      <EntityModalForm<{ progress: number; body: string }>
        key={`report-${a.version}`}
        open={reporter.isOpen}
        onClose={reporter.close}
        title={t('tasks.reportTitle')}
        testId="task-report-form"
        initialValues={{ progress: a.progress }}
        onSubmit={(v) => call(api.POST('/api/managers/task-assignments/{id}/reports', { ...path, body: { version: a.version, progress: v.progress, body: v.body } })).then(onChanged)}
        success={t('tasks.reported')}
        onConflict={onChanged}
      >
        <ProFormSlider name="progress" label={t('tasks.progress')} min={0} max={100} step={5} marks={{ 0: '0%', 50: '50%', 100: '100%' }} />
        <ProFormDigit name="progress" label={`${t('tasks.progress')} (%)`} min={0} max={100} fieldProps={{ precision: 0, ...tid('task-report-progress') }} />
        <ProFormTextArea name="body" label={t('tasks.reportBody')} rules={[{ required: true }]} fieldProps={{ rows: 4, maxLength: 5000, ...tid('task-report-body') }} />
      </EntityModalForm>
      <EntityModalForm<{ body?: string }>
        key={`submit-${a.version}`}
        open={submitter.isOpen}
        onClose={submitter.close}
        title={t('tasks.submitTitle')}
        testId="task-submit-form"
        onSubmit={(v) => call(api.POST('/api/managers/task-assignments/{id}/submit', { ...path, body: { version: a.version, body: v.body || null } })).then(onChanged)}
        success={t('tasks.submitted')}
        onConflict={onChanged}
      >
        <ProFormTextArea name="body" label={t('tasks.submitBody')} fieldProps={{ rows: 4, maxLength: 5000, ...tid('task-submit-body') }} />
      </EntityModalForm>
    </Card>
  );
}

/** Every assignment the reader sees, with its progress; a head who follows the task evaluates and replies here. */
function Assignments({ task, onChanged }: { task: TaskDetail; onChanged: () => void }) {
  const { t, locale } = useI18n();
  const evaluator = useEditor<Assignment>();
  const replier = useEditor<Assignment>();
  const a = evaluator.record;
  const r = replier.record;
  return (
    <Card size="small" title={`${t('tasks.assignments')} · ${t('tasks.total', { n: task.total })}`} {...tid('task-assignments')}>
      {!task.canManage && task.assignments.length > 1 && <Alert type="info" showIcon message={t('tasks.readOnlyHint')} style={{ marginBottom: 12 }} />}
      <Table<Assignment>
        size="small"
        rowKey="id"
        dataSource={task.assignments}
        pagination={task.assignments.length > 20 ? { pageSize: 20 } : false}
        scroll={{ x: 820 }}
        onRow={(x) => ({ ...tid(`task-assignment-${x.managerId}`), style: x.overdue ? { background: '#fff1f0' } : undefined })}
        columns={[
          { title: t('tasks.manager'), dataIndex: 'managerName', width: 140, fixed: 'left' as const, render: (_, x) => `${x.managerName} · ${localUnit(locale, x)}` },
          {
            title: t('tasks.status'),
            dataIndex: 'status',
            width: 170,
            render: (_, x) => (
              <Space size={4} wrap>
                <AssignmentStatusTag status={x.status} id={x.id} />
                {x.overdue && <Tag color="red">{t('tasks.overdue')}</Tag>}
                {x.escalatedToName && (
                  <Tag color="volcano" title={x.escalatedAt ? formatDateTime(x.escalatedAt) : undefined}>
                    {t('tasks.escalatedTo', { name: x.escalatedToName })}
                  </Tag>
                )}
              </Space>
            ),
          },
          { title: t('tasks.progress'), dataIndex: 'progress', width: 150, render: (_, x) => <ProgressBar percent={x.progress} overdue={x.overdue} testId={`task-progress-${x.managerId}`} /> },
          { title: t('tasks.submittedAt'), dataIndex: 'submittedAt', width: 110, render: (_, x) => (x.submittedAt ? formatDateTime(x.submittedAt) : '-') },
          {
            title: t('tasks.score'),
            dataIndex: 'score',
            width: 140,
            render: (_, x) =>
              x.score === null ? (
                '-'
              ) : (
                <Space direction="vertical" size={0}>
                  <Typography.Text strong {...tid(`task-score-${x.managerId}`)}>
                    {x.score}
                  </Typography.Text>
                  {x.evaluation && <Typography.Text type="secondary">{x.evaluation}</Typography.Text>}
                </Space>
              ),
          },
          ...(task.canManage
            ? [
                {
                  title: t('tasks.actions'),
                  key: 'actions',
                  width: 130,
                  render: (_: unknown, x: Assignment) => (
                    <Space size={4}>
                      {x.allowedMoves.includes('evaluated') && (
                        <Button size="small" type="primary" onClick={() => evaluator.open(x)} {...tid(`task-evaluate-${x.managerId}`)}>
                          {t('tasks.evaluate')}
                        </Button>
                      )}
                      {x.status !== 'cancelled' && (
                        <Button size="small" onClick={() => replier.open(x)} {...tid(`task-reply-${x.managerId}`)}>
                          {t('tasks.reply')}
                        </Button>
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <EntityModalForm<{ score: number; comment: string }>
        open={evaluator.isOpen}
        onClose={evaluator.close}
        title={a ? t('tasks.evaluateTitle', { name: a.managerName }) : ''}
        testId="task-evaluate-form"
        onSubmit={(v) => call(api.POST('/api/managers/task-assignments/{id}/evaluate', { params: { path: { id: a!.id } }, body: { version: a!.version, score: v.score, comment: v.comment } })).then(onChanged)}
        success={t('tasks.evaluated')}
        onConflict={onChanged}
      >
        <ProFormDigit name="score" label={`${t('tasks.score')} (0–100)`} min={0} max={100} rules={[{ required: true }]} fieldProps={{ precision: 0, ...tid('task-evaluate-score') }} />
        <ProFormTextArea name="comment" label={t('tasks.evaluation')} rules={[{ required: true }]} fieldProps={{ rows: 3, maxLength: 2000, ...tid('task-evaluate-comment') }} />
      </EntityModalForm>
      <EntityModalForm<{ body: string }>
        open={replier.isOpen}
        onClose={replier.close}
        title={r ? t('tasks.replyTitle', { name: r.managerName }) : ''}
        testId="task-reply-form"
        onSubmit={(v) => call(api.POST('/api/managers/task-assignments/{id}/replies', { params: { path: { id: r!.id } }, body: { body: v.body } })).then(onChanged)}
        success={t('tasks.replied')}
      >
        <ProFormTextArea name="body" label={t('tasks.replyBody')} rules={[{ required: true }]} fieldProps={{ rows: 3, maxLength: 5000, ...tid('task-reply-body') }} />
      </EntityModalForm>
    </Card>
  );
}

/** The reports and replies, oldest first. */
function Reports({ task }: { task: TaskDetail }) {
  const { t } = useI18n();
  const managerOf = new Map(task.assignments.map((a) => [a.id, a.managerName]));
  return (
    <Card size="small" title={t('tasks.reports')} {...tid('task-reports')}>
      {task.reports.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tasks.noReports')} />
      ) : (
        <Timeline
          items={task.reports.map((r) => ({
            color: r.byHead ? 'green' : 'blue',
            children: (
              <div {...tid(`task-report-${r.id}`)}>
                <Space size={6} wrap>
                  <Typography.Text strong>{r.authorName}</Typography.Text>
                  {r.byHead ? <Tag color="green">{t('tasks.byHead')}</Tag> : null}
                  {r.byHead && managerOf.get(r.assignmentId) ? <Typography.Text type="secondary">→ {managerOf.get(r.assignmentId)}</Typography.Text> : null}
                  {r.progress !== null && <Tag color="blue">{r.progress}%</Tag>}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatDateTime(r.createdAt)}
                  </Typography.Text>
                </Space>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: '4px 0 0' }}>{r.body}</Typography.Paragraph>
              </div>
            ),
          }))}
        />
      )}
    </Card>
  );
}

function CancelTask({ task, onChanged }: { task: TaskDetail; onChanged: () => void }) {
  const { t } = useI18n();
  const editor = useEditor<void>();
  return (
    <>
      <Button danger onClick={() => editor.open()} {...tid('task-cancel')}>
        {t('tasks.cancel')}
      </Button>
      <EntityModalForm<{ reason?: string }>
        open={editor.isOpen}
        onClose={editor.close}
        title={t('tasks.cancelTitle')}
        testId="task-cancel-form"
        onSubmit={(v) => call(api.POST('/api/managers/tasks/{id}/cancel', { params: { path: { id: task.id } }, body: { version: task.version, reason: v.reason || null } })).then(onChanged)}
        success={t('tasks.cancelled')}
        onConflict={onChanged}
      >
        <Alert type="warning" showIcon message={t('tasks.cancelHint')} style={{ marginBottom: 16 }} />
        <ProFormTextArea name="reason" label={t('tasks.cancelReason')} fieldProps={{ rows: 3, maxLength: 1000 }} />
      </EntityModalForm>
    </>
  );
}
