import { SafetyOutlined } from '@ant-design/icons';
import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import { Alert, Button, Tag } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useState } from 'react';
import { api, call, callList, type AuditEntry, type Schemas } from '../../api/client';
import { tid } from '../../components/EntityModalForm';
import { formatDateTime, ZONE } from '../../components/format';
import { listTableProps, valueEnumOf } from '../../components/listTable';
import { usePagedRequest } from '../../components/pagedRequest';
import { useAction } from '../../components/useSubmit';
import { catalogues, useI18n, type MessageKey } from '../../i18n';
import { AuditDetails } from './AuditDetails';

/** The codes the catalogue names under `prefix` (a test holds the catalogue to every entity and action the server audits). */
const codesNamed = (prefix: string) =>
  Object.keys(catalogues['zh-CN'])
    .filter((key) => key.startsWith(prefix))
    .map((key) => key.slice(prefix.length));
const ENTITIES = codesNamed('audit.entity.');
const ACTIONS = codesNamed('audit.action.');
/** Entries an auditor looks at first: refusals, failures and alerts. */
const ALARMING = new Set(['login_failed', 'password_change_failed', 'refused', 'alert']);

type Report = Schemas['AuditChainReport'];

export function AuditPage() {
  const { t } = useI18n();
  const act = useAction();
  const [report, setReport] = useState<Report | null>(null);

  /** Known codes get a label; unknown ones (new server actions) show as they are. */
  const label = (prefix: 'audit.entity' | 'audit.action', code: string) => {
    const key = `${prefix}.${code}` as MessageKey;
    const text = t(key);
    return text === key ? code : text;
  };

  const load = useCallback(
    (query: Record<string, unknown> & { offset: number; limit: number }) =>
      callList(api.GET('/api/audit', { params: { query: query as never } })),
    [],
  );
  const request = usePagedRequest<AuditEntry>(load);
  const toIso = (v: string | undefined) => (v ? dayjs.tz(v, ZONE).toISOString() : undefined);

  const columns: ProColumns<AuditEntry>[] = [
    { title: t('audit.seq'), dataIndex: 'seq', search: false, width: 80 },
    { title: t('audit.at'), dataIndex: 'at', search: false, width: 170, render: (_, e) => formatDateTime(e.at) },
    {
      title: t('audit.timeRange'),
      dataIndex: 'timeRange',
      valueType: 'dateTimeRange',
      hideInTable: true,
      search: { transform: (v: [string, string]) => ({ from: toIso(v?.[0]), to: toIso(v?.[1]) }) },
    },
    { title: t('audit.actor'), dataIndex: 'actor', render: (_, e) => e.actorUsername ?? '-', fieldProps: tid('audit-search-actor') },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      valueType: 'select',
      valueEnum: valueEnumOf(ACTIONS, (c) => label('audit.action', c)),
      render: (_, e) => <Tag color={ALARMING.has(e.action) ? 'red' : 'blue'}>{label('audit.action', e.action)}</Tag>,
    },
    {
      title: t('audit.entity'),
      dataIndex: 'entity',
      valueType: 'select',
      valueEnum: valueEnumOf(ENTITIES, (c) => label('audit.entity', c)),
      render: (_, e) => label('audit.entity', e.entity),
    },
    { title: t('audit.entityId'), dataIndex: 'entityId', width: 100 },
    { title: t('audit.requestId'), dataIndex: 'requestId', copyable: true, ellipsis: true },
    { title: t('audit.ip'), dataIndex: 'ip', search: false, width: 130 },
  ];

  return (
    <PageContainer title={t('audit.title')}>
      {report && (
        <Alert
          {...tid('audit-verify-result')}
          style={{ marginBottom: 16 }}
          showIcon
          closable
          onClose={() => setReport(null)}
          type={report.ok ? 'success' : 'error'}
          message={t('audit.verifyTitle')}
          description={<ChainReportText report={report} />}
        />
      )}
      <ProTable<AuditEntry>
        rowKey="id"
        columns={columns}
        request={request}
        // this list pages with a size changer and without the total
        {...listTableProps(t, { showSizeChanger: true, showTotal: undefined })}
        expandable={{ expandedRowRender: (entry) => <AuditDetails entry={entry} /> }}
        toolBarRender={() => [
          <Button
            key="verify"
            icon={<SafetyOutlined />}
            {...tid('audit-verify')}
            onClick={() => act(async () => setReport(await call(api.GET('/api/audit/verify'))))}
          >
            {t('audit.verify')}
          </Button>,
        ]}
      />
    </PageContainer>
  );
}

/** The verification's outcome: intact or where and why broken, then what anchored it outside the database. */
function ChainReportText({ report }: { report: Report }) {
  const { t } = useI18n();
  const { checkpoints } = report;
  return (
    <>
      <div>
        {report.ok
          ? t('audit.verifyOk', { checked: report.checked })
          : report.brokenAt === null && report.brokenEntryId !== null
            ? t('audit.verifyBrokenUnsealed', { id: report.brokenEntryId, checked: report.checked })
            : t('audit.verifyBroken', { seq: report.brokenAt ?? '?', checked: report.checked })}
        {report.problem && ` ${t(`audit.problem.${report.problem}`)}`}
      </div>
      <div>
        {checkpoints.valid ? t('audit.verifyAnchors', { valid: checkpoints.valid, latest: checkpoints.latestSeq ?? '?' }) : t('audit.verifyNoAnchor')}
        {report.legacyEntries > 0 && ` ${t('audit.verifyLegacy', { count: report.legacyEntries })}`}
        {report.unsealed > 0 && ` ${t('audit.verifyUnsealed', { count: report.unsealed })}`}
      </div>
    </>
  );
}
