import { Col, Descriptions, Empty, Row, Table, Typography } from 'antd';
import type { AuditEntry } from '../../api/client';
import { useI18n, type MessageKey } from '../../i18n';

interface DiffRow {
  field: string;
  old: unknown;
  new: unknown;
}

/** The server's diff is `{ field: [old, new] }`; anything else is shown as no diff. */
export function diffRows(diff: unknown): DiffRow[] {
  if (!diff || typeof diff !== 'object' || Array.isArray(diff)) return [];
  return Object.entries(diff as Record<string, unknown>).map(([field, pair]) =>
    Array.isArray(pair) ? { field, old: pair[0], new: pair[1] } : { field, old: undefined, new: pair },
  );
}

/** A refused access named in words: why, and which route (the record is the entry's entity ID). */
function Refusal({ after }: { after: unknown }) {
  const { t } = useI18n();
  const a = (after ?? {}) as { reason?: string; method?: string; route?: string; count?: number };
  const key = `audit.reason.${a.reason}` as MessageKey;
  const reason = t(key, { count: a.count ?? 0 });
  return (
    <Descriptions size="small" column={1} style={{ marginBottom: 16 }}>
      <Descriptions.Item label={t('audit.reasonLabel')}>{reason === key ? a.reason : reason}</Descriptions.Item>
      {a.route && <Descriptions.Item label={t('audit.routeLabel')}>{`${a.method ?? ''} ${a.route}`}</Descriptions.Item>}
    </Descriptions>
  );
}

const show = (v: unknown) => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <Typography.Text type="secondary">-</Typography.Text>;
  return <pre className="kam-json">{JSON.stringify(value, null, 2)}</pre>;
}

/** The expanded row of the audit table: diff as a small table, then before/after JSON. */
export function AuditDetails({ entry }: { entry: AuditEntry }) {
  const { t } = useI18n();
  const rows = diffRows(entry.diff);
  return (
    <div data-testid={`audit-details-${entry.seq}`}>
      {entry.action === 'refused' && <Refusal after={entry.after} />}
      <Typography.Title level={5}>{t('audit.diff')}</Typography.Title>
      {rows.length ? (
        <Table<DiffRow>
          size="small"
          rowKey="field"
          pagination={false}
          dataSource={rows}
          style={{ maxWidth: 800, marginBottom: 16 }}
          columns={[
            { title: t('audit.field'), dataIndex: 'field', width: 180 },
            { title: t('audit.old'), dataIndex: 'old', render: (v) => <Typography.Text delete>{show(v)}</Typography.Text> },
            { title: t('audit.new'), dataIndex: 'new', render: (v) => <Typography.Text mark>{show(v)}</Typography.Text> },
          ]}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('audit.noDiff')} />
      )}
      <Row gutter={16}>
        <Col span={12}>
          <Typography.Text strong>{t('audit.before')}</Typography.Text>
          <Json value={entry.before} />
        </Col>
        <Col span={12}>
          <Typography.Text strong>{t('audit.after')}</Typography.Text>
          <Json value={entry.after} />
        </Col>
      </Row>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('audit.hash')}: <code>{entry.hash}</code>
      </Typography.Text>
    </div>
  );
}
