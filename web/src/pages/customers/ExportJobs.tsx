import { DownloadOutlined } from '@ant-design/icons';
import { Drawer, Progress, Table, Tag } from 'antd';
import { useApi, type Item } from '../../api/swr';
import { tid } from '../../components/EntityModalForm';
import { formatDateTime } from '../../components/format';
import { useI18n } from '../../i18n';

type ExportJob = Item<'/api/customers/exports'>;

const STATUS_COLOR = { running: 'processing', done: 'success', failed: 'error' } as const;

/**
 * 导出任务: the reader's background exports, newest first — progress while they run (read again every second),
 * a download link when done, until the file expires.
 */
export function ExportJobs({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const { data, isLoading } = useApi('/api/customers/exports', open ? {} : null, {
    refreshInterval: (jobs) => (jobs?.some((j) => j.status === 'running') ? 1000 : 0),
  });
  return (
    <Drawer title={t('customers.export.jobs')} open={open} onClose={onClose} width={720} {...tid('customer-export-jobs')}>
      <Table<ExportJob>
        rowKey="id"
        size="small"
        loading={isLoading}
        dataSource={data ?? []}
        pagination={false}
        locale={{ emptyText: t('customers.export.jobsEmpty') }}
        columns={[
          { title: t('customers.export.file'), dataIndex: 'fileName', ellipsis: true },
          {
            title: t('customers.export.progress'),
            width: 200,
            render: (_, j) =>
              j.status === 'running' ? (
                <div {...tid(`customer-export-progress-${j.id}`)}>
                  <Progress percent={j.rowsTotal ? Math.floor((100 * j.rowsDone) / j.rowsTotal) : 0} size="small" />
                  {t('customers.export.rows', { done: j.rowsDone.toLocaleString(), total: (j.rowsTotal ?? 0).toLocaleString() })}
                </div>
              ) : (
                <Tag color={STATUS_COLOR[j.status]}>{t(`customers.export.status.${j.status}`)}</Tag>
              ),
          },
          { title: t('customers.export.createdAt'), dataIndex: 'createdAt', width: 170, render: (_, j) => formatDateTime(j.createdAt) },
          {
            width: 150,
            render: (_, j) =>
              j.status === 'done' && (
                <a href={`/api/customers/exports/${j.id}/file`} download title={t('customers.export.expiresAt', { time: formatDateTime(j.expiresAt) })} {...tid(`customer-export-download-${j.id}`)}>
                  <DownloadOutlined /> {t('customers.export.download')}
                </a>
              ),
          },
        ]}
      />
    </Drawer>
  );
}
