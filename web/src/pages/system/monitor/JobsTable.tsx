import { PlayCircleOutlined } from '@ant-design/icons';
import { App, Card, Popconfirm, Table, Tag, Typography } from 'antd';
import { api, call } from '../../../api/client';
import { tid } from '../../../components/EntityModalForm';
import { formatDateTime } from '../../../components/format';
import { useAction } from '../../../components/useSubmit';
import { useI18n } from '../../../i18n';
import type { Snapshot } from './Summary';
import { duration, jobName, schedule } from './words';

type Job = Snapshot['jobs'][number];
const STATUS_COLOR = { running: 'processing', done: 'success', failed: 'error' } as const;

/** 定时任务: every job with its schedule, last and next run, failures; run now for those who operate the system. */
export function JobsTable({ jobs, canRun, onRan }: { jobs: Job[]; canRun: boolean; onRan: () => void }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const act = useAction();
  const run = (job: Job) =>
    act(async () => {
      await call(api.POST('/api/system/jobs/{name}/run', { params: { path: { name: job.name } } }));
      message.success(t('monitor.jobs.started', { job: jobName(t, locale, job.name) }));
      onRan();
    });
  return (
    <Card title={t('monitor.jobs')} size="small">
      <Table<Job>
        {...tid('monitor-jobs')}
        rowKey="name"
        size="small"
        pagination={false}
        dataSource={jobs}
        scroll={{ x: 900 }}
        onRow={(job) => tid(`monitor-job-${job.name}`)}
        columns={[
          { title: t('monitor.jobs.name'), dataIndex: 'name', render: (_, j) => jobName(t, locale, j.name) },
          { title: t('monitor.jobs.schedule'), dataIndex: 'pattern', render: (_, j) => schedule(t, j.pattern) },
          {
            title: t('monitor.jobs.lastRun'),
            dataIndex: 'startedAt',
            render: (_, j) =>
              j.status ? (
                <>
                  <Tag color={STATUS_COLOR[j.status]} {...tid(`monitor-job-status-${j.name}`)}>
                    {t(`monitor.jobs.status.${j.status}`)}
                  </Tag>
                  {formatDateTime(j.startedAt)}
                </>
              ) : (
                <Typography.Text type="secondary">{t('monitor.jobs.never')}</Typography.Text>
              ),
          },
          { title: t('monitor.jobs.duration'), dataIndex: 'durationMs', align: 'right', render: (_, j) => duration(j.durationMs) },
          { title: t('monitor.jobs.nextRun'), dataIndex: 'nextRunAt', render: (_, j) => formatDateTime(j.nextRunAt) },
          {
            title: t('monitor.jobs.failures'),
            dataIndex: 'failures24h',
            align: 'right',
            render: (_, j) => (j.failures24h ? <Typography.Text type="danger">{j.failures24h}</Typography.Text> : 0),
          },
          ...(canRun
            ? [
                {
                  title: t('common.actions'),
                  key: 'run',
                  width: 110,
                  render: (_: unknown, j: Job) => (
                    <Popconfirm title={t('monitor.jobs.confirmRun', { job: jobName(t, locale, j.name) })} okButtonProps={tid(`monitor-run-confirm-${j.name}`)} onConfirm={() => run(j)}>
                      <Typography.Link disabled={j.status === 'running'} {...tid(`monitor-run-${j.name}`)}>
                        <PlayCircleOutlined /> {t('monitor.jobs.runNow')}
                      </Typography.Link>
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}
