import { CloudUploadOutlined, ReloadOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Alert, App, Button, Card, Descriptions, Space, Table, Tag, Tooltip } from 'antd';
import { api, call, type Schemas } from '../../../api/client';
import { useApi } from '../../../api/swr';
import { useSession } from '../../../app/session';
import { formatBytes, formatDateTime } from '../../../components/format';
import { useAction } from '../../../components/useSubmit';
import { useI18n, type MessageKey } from '../../../i18n';
import { schedule } from '../monitor/words';

type BackupList = Schemas['BackupList'];
type Backup = BackupList['items'][number];

const STATUS_COLOR: Record<Backup['status'], string> = { intact: 'green', damaged: 'red', foreign: 'orange' };

/** 数据备份: the archives with their checksum state, the schedule and retention, and a backup started now. */
export function BackupsPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const act = useAction();
  const { data: list, isLoading: loading, mutate } = useApi('/api/system/backups', {});
  const load = () => mutate();

  const start = () =>
    act(async () => {
      const run = await call(api.POST('/api/system/backups'));
      message.success(t('backup.started', { id: run.runId }));
      await load();
    });

  const columns = [
    { title: t('backup.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string | null) => formatDateTime(v) },
    { title: t('backup.name'), dataIndex: 'name', ellipsis: true },
    { title: t('backup.database'), dataIndex: 'database', width: 130, render: (v: Backup['database']) => (v ? t(`database.${v}`) : '-') },
    { title: t('backup.appVersion'), dataIndex: 'appVersion', width: 100, render: (v: string | null) => v ?? '-' },
    { title: t('backup.rows'), dataIndex: 'rows', width: 120, align: 'right' as const, render: (v: number | null) => (v === null ? '-' : v.toLocaleString('zh-CN')) },
    { title: t('backup.size'), dataIndex: 'bytes', width: 100, align: 'right' as const, render: (v: number) => formatBytes(v) },
    {
      title: t('backup.checksum'),
      dataIndex: 'status',
      width: 110,
      render: (_: unknown, b: Backup) => (
        <Tooltip title={b.problem ? t(`backup.problem.${b.problem}` as MessageKey) : undefined}>
          <Tag color={STATUS_COLOR[b.status]} data-testid={`backup-status-${b.name}`} data-status={b.status}>
            {t(`backup.status.${b.status}`)}
          </Tag>
        </Tooltip>
      ),
    },
    {
      title: t('backup.origin'),
      dataIndex: 'thisInstallation',
      width: 110,
      render: (v: boolean) => (v ? t('backup.thisInstallation') : <Tag color="orange">{t('backup.otherInstallation')}</Tag>),
    },
  ];

  return (
    <PageContainer
      title={t('menu.system.backups')}
      extra={
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => void load()} loading={loading} data-testid="backups-reload" />
          {can('system.operate') && (
            <Button type="primary" icon={<CloudUploadOutlined />} onClick={start} data-testid="backup-now">
              {t('backup.now')}
            </Button>
          )}
        </Space>
      }
    >
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        {list && (
          <Card size="small">
            <Descriptions size="small" column={{ xs: 1, md: 3 }}>
              <Descriptions.Item label={t('backup.directory')}>{list.directory}</Descriptions.Item>
              <Descriptions.Item label={t('backup.schedule')}>{schedule(t, list.schedule)}</Descriptions.Item>
              <Descriptions.Item label={t('backup.keep')}>{list.keep}</Descriptions.Item>
            </Descriptions>
          </Card>
        )}
        <Table<Backup>
          rowKey="name"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={list?.items ?? []}
          pagination={false}
          locale={{ emptyText: t('backup.empty') }}
          data-testid="backups-table"
        />
        <Alert type="info" showIcon message={t('backup.restoreHint')} />
      </Space>
    </PageContainer>
  );
}
