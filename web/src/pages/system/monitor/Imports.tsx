import { Card, Table, Tag } from 'antd';
import { tid } from '../../../components/EntityModalForm';
import { formatDateTime } from '../../../components/format';
import { catalogues, useI18n, type MessageKey } from '../../../i18n';
import type { Snapshot } from './Summary';

type Import = Snapshot['imports'][number];
const COLOR: Record<string, string> = { queued: 'default', running: 'processing', succeeded: 'success', rejected: 'warning', failed: 'error' };

/** 最近的数据导入: the last BOSS imports and their state, worded as the imports page words them. */
export function Imports({ imports }: { imports: Import[] }) {
  const { t, locale } = useI18n();
  const word = (key: string, fallback: string) => (Object.hasOwn(catalogues[locale], key) ? t(key as MessageKey) : fallback);
  return (
    <Card title={t('monitor.imports')} size="small">
      <Table<Import>
        {...tid('monitor-imports')}
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={imports}
        locale={{ emptyText: t('monitor.imports.none') }}
        columns={[
          { title: t('imports.kind'), dataIndex: 'kind', render: (_, i) => word(`imports.kind.${i.kind}`, i.kind) },
          { title: t('monitor.imports.file'), dataIndex: 'fileName', ellipsis: true },
          { title: t('common.status'), dataIndex: 'status', render: (_, i) => <Tag color={COLOR[i.status]}>{word(`imports.status.${i.status}`, i.status)}</Tag> },
          { title: t('monitor.imports.rows'), dataIndex: 'rowsRead', align: 'right' },
          { title: t('monitor.imports.rejected'), dataIndex: 'rowsRejected', align: 'right' },
          { title: t('monitor.imports.createdAt'), dataIndex: 'createdAt', render: (_, i) => formatDateTime(i.createdAt) },
        ]}
      />
    </Card>
  );
}
