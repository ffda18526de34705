import { InboxOutlined } from '@ant-design/icons';
import { PageContainer, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { Alert, Button, Card, Checkbox, Descriptions, Progress, Radio, Result, Space, Steps, Tag, Typography, Upload } from 'antd';
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { Link } from 'react-router-dom';
import { api, call, callList, downloadUrl, type ImportJob, type Locale } from '../../api/client';
import { useApi } from '../../api/swr';
import { tid } from '../../components/EntityModalForm';
import { formatDateTime } from '../../components/format';
import { usePagedRequest } from '../../components/pagedRequest';
import { useAction } from '../../components/useSubmit';
import { useI18n, type MessageKey } from '../../i18n';
import { BossInterfaces } from './BossInterfaces';

type Kind = ImportJob['kind'];
const KINDS: Kind[] = ['customers', 'subscriptions', 'facts'];
const DONE: ImportJob['status'][] = ['succeeded', 'rejected', 'failed'];
const STATUS_COLOR: Record<ImportJob['status'], string> = { queued: 'default', running: 'processing', succeeded: 'success', rejected: 'warning', failed: 'error' };

/** The rejected rows as CSV, its headers and reasons in the console's language. */
const rejectsUrl = (job: ImportJob, lang: Locale) => downloadUrl(`/api/imports/${job.id}/rejects.csv`, { lang });

/** Polls an import every half second until it is done. */
function useImportJob(started: ImportJob | null) {
  const id = started?.id;
  const { data } = useApi('/api/imports/{id}', id === undefined ? null : { path: { id } }, {
    fallbackData: started ?? undefined,
    refreshInterval: (latest) => (latest && DONE.includes(latest.status) ? 0 : 500),
  });
  const job = id === undefined ? null : (data ?? started);
  return { job, done: !job || DONE.includes(job.status) };
}

/** Uploads a file as multipart (kind, dryRun, setAside, then the file); answers the queued job. */
async function startImport(file: File, kind: Kind, dryRun: boolean, setAside: boolean): Promise<ImportJob> {
  const form = new FormData();
  form.append('kind', kind);
  form.append('dryRun', String(dryRun));
  form.append('setAside', String(setAside));
  form.append('file', file, file.name);
  return call(api.POST('/api/imports', { body: form as never, bodySerializer: (b: unknown) => b as FormData }));
}

/** 数据导入 (BOSS extracts): choose a file → dry run → report → import, with a progress bar. */
export function ImportPage() {
  const { t } = useI18n();
  const act = useAction();
  const [kind, setKind] = useState<Kind>('customers');
  const [file, setFile] = useState<File | null>(null);
  const [setAside, setSetAside] = useState(false);
  const [started, setStarted] = useState<ImportJob | null>(null);
  const [busy, setBusy] = useState(false);
  const { job, done } = useImportJob(started);
  const history = useRef<ActionType>(null);

  useEffect(() => {
    if (done && job) history.current?.reload();
  }, [done, job]);

  const run = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    await act(async () => setStarted(await startImport(file, kind, dryRun, setAside)));
    setBusy(false);
  };
  const reset = () => {
    setStarted(null);
    setFile(null);
  };

  const step = !job ? 0 : job.dryRun ? 1 : 2;
  const dryRunPassed = job?.dryRun && job.status === 'succeeded';

  return (
    <PageContainer title={t('imports.title')} content={t('imports.intro')}>
      <Card style={{ marginBottom: 16 }}>
        <Steps
          current={step}
          style={{ marginBottom: 24 }}
          items={[{ title: t('imports.step.file') }, { title: t('imports.step.dryRun') }, { title: t('imports.step.import') }]}
        />
        {!job ? (
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            <Space>
              <Typography.Text>{t('imports.kind')}</Typography.Text>
              <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as Kind)} optionType="button" {...tid('import-kind')}>
                {KINDS.map((k) => (
                  <Radio.Button key={k} value={k}>
                    <span {...tid(`import-kind-${k}`)}>{t(`imports.kind.${k}` as MessageKey)}</span>
                  </Radio.Button>
                ))}
              </Radio.Group>
            </Space>
            <Alert type="info" showIcon message={t(`imports.columns.${kind}` as MessageKey)} description={t('imports.formatHint')} />
            <Upload.Dragger
              accept=".csv,.xlsx"
              maxCount={1}
              multiple={false}
              fileList={file ? [{ uid: '1', name: file.name, size: file.size, status: 'done' }] : []}
              beforeUpload={(f) => {
                setFile(f);
                return false;
              }}
              onRemove={() => setFile(null)}
              {...tid('import-file')}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{t('imports.drop')}</p>
              <p className="ant-upload-hint">{t('imports.dropHint')}</p>
            </Upload.Dragger>
            <Checkbox checked={setAside} onChange={(e) => setSetAside(e.target.checked)}>
              <span {...tid('import-set-aside')}>{t('imports.setAside')}</span>
            </Checkbox>
            <Space>
              <Button type="primary" disabled={!file} loading={busy} onClick={() => void run(true)} {...tid('import-dry-run')}>
                {t('imports.dryRun')}
              </Button>
              <Button disabled={!file} loading={busy} onClick={() => void run(false)} {...tid('import-now')}>
                {t('imports.importNow')}
              </Button>
            </Space>
          </Space>
        ) : (
          <Space direction="vertical" size="middle" style={{ width: '100%' }} {...tid('import-report')}>
            <JobProgress job={job} />
            {done && <JobReport job={job} />}
            {done && (
              <Space>
                {dryRunPassed && file && (
                  <Button type="primary" loading={busy} onClick={() => void run(false)} {...tid('import-commit')}>
                    {t('imports.commit')}
                  </Button>
                )}
                <Button onClick={reset} {...tid('import-again')}>
                  {t('imports.again')}
                </Button>
                {job.committed && <Link to="/customers/in-network">{t('imports.toList')}</Link>}
              </Space>
            )}
          </Space>
        )}
      </Card>
      <ImportHistory actionRef={history} />
      <BossInterfaces />
    </PageContainer>
  );
}

function JobProgress({ job }: { job: ImportJob }) {
  const { t } = useI18n();
  // A finished job is complete whatever fraction the server last reported.
  const percent = DONE.includes(job.status) ? 100 : Math.round(job.progress * 100);
  const status = job.status === 'failed' ? 'exception' : job.status === 'succeeded' ? 'success' : job.status === 'rejected' ? 'normal' : 'active';
  return (
    <div>
      <Space style={{ marginBottom: 4 }}>
        <Typography.Text strong>{job.fileName}</Typography.Text>
        {job.dryRun && <Tag>{t('imports.dryRunTag')}</Tag>}
        <Tag color={STATUS_COLOR[job.status]} {...tid('import-status')}>
          {t(`imports.status.${job.status}` as MessageKey)}
        </Tag>
        {job.phase && !DONE.includes(job.status) && <Typography.Text type="secondary">{t(`imports.phase.${job.phase}` as MessageKey)}</Typography.Text>}
      </Space>
      <Progress percent={percent} status={status} {...tid('import-progress')} />
      <Typography.Text type="secondary">{t('imports.rowsRead', { rows: job.rowsRead })}</Typography.Text>
    </div>
  );
}

function JobReport({ job }: { job: ImportJob }) {
  const { t, locale } = useI18n();
  const title =
    job.status === 'succeeded'
      ? job.dryRun
        ? t('imports.result.dryRunOk')
        : t('imports.result.imported')
      : job.status === 'rejected'
        ? t('imports.result.rejected')
        : t('imports.result.failed');
  return (
    <>
      <Result
        status={job.status === 'succeeded' ? 'success' : job.status === 'rejected' ? 'warning' : 'error'}
        title={title}
        subTitle={job.error?.message}
        style={{ padding: '16px 0' }}
      />
      <Descriptions
        bordered
        size="small"
        column={3}
        {...tid('import-counts')}
        items={[
          { key: 'read', label: t('imports.count.read'), children: job.rowsRead },
          { key: 'valid', label: t('imports.count.valid'), children: job.rowsValid },
          { key: 'rejected', label: t('imports.count.rejected'), children: <span {...tid('import-rejected')}>{job.rowsRejected}</span> },
          { key: 'inserted', label: t('imports.count.inserted'), children: job.inserted },
          { key: 'updated', label: t('imports.count.updated'), children: job.updated },
          { key: 'unchanged', label: t('imports.count.unchanged'), children: job.unchanged },
        ]}
      />
      {job.rowsRejected > 0 && (
        <a href={rejectsUrl(job, locale)} download {...tid('import-rejects')}>
          {t('imports.downloadRejects')}
        </a>
      )}
    </>
  );
}

function ImportHistory({ actionRef }: { actionRef: RefObject<ActionType> }) {
  const { t, locale } = useI18n();
  const load = useCallback(
    (query: Record<string, unknown> & { offset: number; limit: number }) =>
      callList(api.GET('/api/imports', { params: { query: { offset: query.offset, limit: query.limit, kind: query.kind as Kind | undefined } } })),
    [],
  );
  const request = usePagedRequest<ImportJob>(load);
  const columns: ProColumns<ImportJob>[] = [
    { title: t('imports.at'), dataIndex: 'createdAt', search: false, width: 170, render: (_, j) => formatDateTime(j.createdAt) },
    {
      title: t('imports.kind'),
      dataIndex: 'kind',
      valueType: 'select',
      valueEnum: Object.fromEntries(KINDS.map((k) => [k, { text: t(`imports.kind.${k}` as MessageKey) }])),
      width: 120,
    },
    { title: t('imports.file'), dataIndex: 'fileName', search: false, ellipsis: true },
    { title: t('imports.by'), dataIndex: 'actorUsername', search: false, width: 110 },
    {
      title: t('common.status'),
      dataIndex: 'status',
      search: false,
      width: 150,
      render: (_, j) => (
        <Space size={4}>
          <Tag color={STATUS_COLOR[j.status]}>{t(`imports.status.${j.status}` as MessageKey)}</Tag>
          {j.dryRun && <Tag>{t('imports.dryRunTag')}</Tag>}
        </Space>
      ),
    },
    { title: t('imports.count.read'), dataIndex: 'rowsRead', search: false, width: 90 },
    { title: t('imports.count.inserted'), dataIndex: 'inserted', search: false, width: 90 },
    { title: t('imports.count.updated'), dataIndex: 'updated', search: false, width: 90 },
    {
      title: t('imports.count.rejected'),
      dataIndex: 'rowsRejected',
      search: false,
      width: 110,
      render: (_, j) => (j.rowsRejected > 0 ? <a href={rejectsUrl(j, locale)} download>{j.rowsRejected}</a> : 0),
    },
  ];
  return (
    <ProTable<ImportJob>
      headerTitle={t('imports.history')}
      rowKey="id"
      actionRef={actionRef}
      columns={columns}
      request={request}
      search={false}
      pagination={{ defaultPageSize: 10 }}
      options={{ reload: true, density: false, setting: false }}
    />
  );
}
