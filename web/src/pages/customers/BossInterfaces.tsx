import { Card, Table, Tabs, Tag, Typography } from 'antd';
import type { Schemas } from '../../api/client';
import { useApi } from '../../api/swr';
import { useSession } from '../../app/session';
import { tid } from '../../components/EntityModalForm';
import { formatDateTime } from '../../components/format';
import { useI18n, type MessageKey } from '../../i18n';

type InboxFile = Schemas['BossInboxFile'];
type ExtractFile = Schemas['BossExtractFile'];

const OUTCOME_COLOR: Record<string, string> = { imported: 'success', duplicate: 'default', rejected: 'warning', failed: 'error', unknown_name: 'error' };

/** BOSS 接口: the files the inbox folder took, and the monthly extracts for BOSS to download (docs/boss-interfaces.md). */
export function BossInterfaces() {
  const { t } = useI18n();
  const { can } = useSession();
  const inbox = useApi('/api/integration/inbox', {}, { refreshInterval: 60_000 });
  const extracts = useApi('/api/integration/extracts', can('customers.export') ? {} : null);
  const kindLabel = (k: string | null) => (k ? t(`imports.kind.${k}` as MessageKey) : '—');
  const tabs = [
    {
      key: 'inbox',
      label: t('boss.inbox'),
      children: (
        <>
          <Typography.Paragraph type="secondary">{t('boss.inbox.hint')}</Typography.Paragraph>
          <Table<InboxFile>
            rowKey="id"
            size="small"
            loading={inbox.isLoading}
            dataSource={inbox.data ?? []}
            pagination={{ pageSize: 10 }}
            columns={[
              { title: t('imports.at'), dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v) },
              { title: t('imports.file'), dataIndex: 'fileName', ellipsis: true },
              { title: t('imports.kind'), dataIndex: 'kind', width: 110, render: kindLabel },
              {
                title: t('boss.outcome'),
                dataIndex: 'status',
                width: 130,
                render: (s: string) => <Tag color={OUTCOME_COLOR[s]}>{t(`boss.outcome.${s}` as MessageKey)}</Tag>,
              },
              { title: t('boss.movedTo'), dataIndex: 'movedTo', ellipsis: true },
            ]}
            {...tid('boss-inbox')}
          />
        </>
      ),
    },
    ...(can('customers.export')
      ? [
          {
            key: 'extracts',
            label: t('boss.extracts'),
            children: (
              <>
                <Typography.Paragraph type="secondary">{t('boss.extracts.hint')}</Typography.Paragraph>
                <Table<ExtractFile>
                  rowKey="name"
                  size="small"
                  loading={extracts.isLoading}
                  dataSource={extracts.data ?? []}
                  pagination={false}
                  columns={[
                    { title: t('boss.month'), dataIndex: 'month', width: 110 },
                    {
                      title: t('imports.file'),
                      dataIndex: 'name',
                      render: (name: string) => (
                        <a href={`/api/integration/extracts/${encodeURIComponent(name)}`} download>
                          {name}
                        </a>
                      ),
                    },
                    { title: t('boss.size'), dataIndex: 'bytes', width: 140, render: (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB` },
                    { title: t('boss.writtenAt'), dataIndex: 'writtenAt', width: 170, render: (v: string) => formatDateTime(v) },
                  ]}
                  {...tid('boss-extracts')}
                />
              </>
            ),
          },
        ]
      : []),
  ];
  return (
    <Card title={t('boss.title')} style={{ marginTop: 16 }}>
      <Tabs items={tabs} />
    </Card>
  );
}
