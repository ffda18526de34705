import { DownloadOutlined, PlusOutlined, SyncOutlined } from '@ant-design/icons';
import { PageContainer, ProFormDependency, ProFormDigit, ProFormSelect, ProFormText, ProFormTextArea } from '@ant-design/pro-components';
import { Alert, App, Button, DatePicker, Descriptions, Drawer, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { api, ApiError, call, type Schemas } from '../../../api/client';
import { useApi } from '../../../api/swr';
import { useSession } from '../../../app/session';
import { EntityModalForm, tid, useEditor } from '../../../components/EntityModalForm';
import { reportError } from '../../../components/useSubmit';
import { useI18n, type MessageKey, type Translate } from '../../../i18n';
import { ARCHIVES, BRANDS, INDUSTRIES, KINDS } from '../../customers/codes';

type Indicator = Schemas['AnalysisIndicator'];
type Op = 'ratio' | 'sum' | 'difference' | 'filter';

const GROUPS = ['customers', 'volume', 'revenue', 'arrears', 'points', 'service', 'marketing', 'managers'] as const;
const UNITS = ['yuan', 'yuan_per_account', 'accounts', 'percent', 'minutes', 'mb', 'messages', 'points', 'times', 'score'] as const;
const DIRECTIONS = ['higher', 'lower', 'neutral'] as const;
const OPS: Op[] = ['ratio', 'sum', 'difference', 'filter'];
const LEVELS = ['unrated', '1', '2', '3', '4', '5s', '5g', '5d', 'C', 'B', 'A'] as const;
/** The dimensions a fixed filter may name from the page: those whose values the console names from its catalogues. */
const FILTER_VALUES: Record<string, { codes: readonly string[]; prefix: string }> = {
  kind: { codes: KINDS, prefix: 'customers.kind.' },
  archive: { codes: ARCHIVES, prefix: 'customers.archive.' },
  brand: { codes: BRANDS, prefix: 'customers.brand.' },
  industry: { codes: INDUSTRIES, prefix: 'customers.industry.' },
  level: { codes: LEVELS, prefix: 'rules.level.' },
};

const dimName = (t: Translate, d: string) => t(`analysis.dim.${d}` as MessageKey);
const unitName = (t: Translate, u: string) => t(`analysis.unit.${u}` as MessageKey);
const groupName = (t: Translate, g: string) => t(`analysis.group.${g}` as MessageKey);

interface FormValues {
  code: string;
  group: Indicator['group'];
  nameZh: string;
  nameEn: string;
  definitionZh: string;
  definitionEn: string;
  unit: Indicator['unit'];
  direction: Indicator['direction'];
  formula: { op: Op; left: string; right?: string; scale?: number; filterDimension?: string; filterValues?: string[] };
}

/** Downloads an answer as a file (the catalogue as a document). */
async function download(format: 'xlsx' | 'md', name: string) {
  const { data, response } = await api.GET('/api/analysis/indicators/export', { params: { query: { format } }, parseAs: 'blob' });
  if (!response.ok || !data) throw new ApiError(response.status, undefined);
  const url = URL.createObjectURL(data as Blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name}.${format}`;
  a.click();
  URL.revokeObjectURL(url);
}

/** 指标体系: the catalogue to browse and export; administrators add derived indicators and rebuild a month's rollup. */
export function IndicatorsPage() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const { can } = useSession();
  const admin = can('analysis.indicators');
  const { data: catalogue = [], isLoading, mutate } = useApi('/api/analysis/indicators', {});
  const [q, setQ] = useState('');
  const [group, setGroup] = useState<string | undefined>();
  const [reads, setReads] = useState<string | undefined>();
  const [shown, setShown] = useState<Indicator | null>(null);
  const editor = useEditor<Indicator>();
  const [rebuilding, setRebuilding] = useState(false);

  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return catalogue.filter(
      (i) =>
        (!group || i.group === group) &&
        (!reads || i.reads === reads) &&
        (!needle || [i.code, i.name['zh-CN'], i.name['en-US'], i.definition[locale]].some((s) => s.toLowerCase().includes(needle))),
    );
  }, [catalogue, q, group, reads, locale]);

  const problem = (e: unknown) => reportError(e, { message, t });

  const columns: ColumnsType<Indicator> = [
    {
      title: t('indicators.name'),
      key: 'name',
      render: (_, i) => (
        <Typography.Link onClick={() => setShown(i)} {...tid(`indicator-${i.code}`)}>
          {i.name[locale]}
        </Typography.Link>
      ),
    },
    { title: t('indicators.group'), key: 'group', width: 110, render: (_, i) => groupName(t, i.group) },
    { title: t('indicators.unit'), key: 'unit', width: 90, render: (_, i) => unitName(t, i.unit) },
    { title: t('indicators.source'), key: 'source', width: 130, render: (_, i) => t(`indicators.source.${i.source}` as MessageKey) },
    { title: t('indicators.reads'), key: 'reads', width: 120, render: (_, i) => <Tag color={i.reads === 'rollup' ? 'blue' : 'default'}>{t(`indicators.reads.${i.reads}`)}</Tag> },
    { title: t('indicators.dimensions'), key: 'dimensions', render: (_, i) => i.dimensions.map((d) => dimName(t, d)).join('、') },
    { title: t('indicators.kind'), key: 'kind', width: 90, render: (_, i) => (i.derived ? <Tag color="purple">{t('indicators.derived')}</Tag> : t('indicators.builtin')) },
  ];

  async function remove(i: Indicator) {
    try {
      await call(api.DELETE('/api/analysis/indicators/derived/{id}', { params: { path: { id: i.id! }, query: { version: i.version! } } }));
      message.success(t('indicators.deleted'));
      setShown(null);
      await mutate();
    } catch (e) {
      problem(e);
    }
  }

  const extra = (
    <Space wrap>
      <Button icon={<DownloadOutlined />} onClick={() => download('xlsx', t('indicators.title')).catch(problem)} {...tid('indicators-export-xlsx')}>
        {t('indicators.exportXlsx')}
      </Button>
      <Button icon={<DownloadOutlined />} onClick={() => download('md', t('indicators.title')).catch(problem)} {...tid('indicators-export-md')}>
        {t('indicators.exportMd')}
      </Button>
      {(admin || can('system.operate')) && (
        <Button icon={<SyncOutlined />} onClick={() => setRebuilding(true)} {...tid('indicators-rebuild')}>
          {t('indicators.rebuild')}
        </Button>
      )}
      {admin && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => editor.open()} {...tid('indicators-new')}>
          {t('indicators.new')}
        </Button>
      )}
    </Space>
  );

  return (
    <PageContainer title={t('indicators.title')} content={t('indicators.intro')} extra={extra} {...tid('indicators-page')}>
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search allowClear placeholder={t('indicators.search')} style={{ width: 280 }} onChange={(e) => setQ(e.target.value)} {...tid('indicators-search')} />
        <Select
          allowClear
          placeholder={t('indicators.allGroups')}
          style={{ width: 160 }}
          value={group}
          onChange={setGroup}
          options={GROUPS.map((g) => ({ value: g, label: groupName(t, g) }))}
          {...tid('indicators-group')}
        />
        <Select
          allowClear
          placeholder={t('indicators.allReads')}
          style={{ width: 160 }}
          value={reads}
          onChange={setReads}
          options={(['rollup', 'raw'] as const).map((r) => ({ value: r, label: t(`indicators.reads.${r}`) }))}
        />
        <Typography.Text type="secondary">{t('indicators.count', { count: rows.length })}</Typography.Text>
      </Space>
      <Table<Indicator> rowKey="code" size="middle" loading={isLoading} columns={columns} dataSource={rows} pagination={{ pageSize: 50, showSizeChanger: false }} {...tid('indicators-table')} />

      <Drawer open={!!shown} width={560} title={shown?.name[locale]} onClose={() => setShown(null)} {...tid('indicator-drawer')}>
        {shown && (
          <>
            <Descriptions column={1} size="small" bordered>
              <Descriptions.Item label={t('indicators.code')}>{shown.code}</Descriptions.Item>
              <Descriptions.Item label={t('indicators.group')}>{groupName(t, shown.group)}</Descriptions.Item>
              <Descriptions.Item label={t('indicators.definition')}>{shown.definition[locale]}</Descriptions.Item>
              <Descriptions.Item label={t('indicators.formula')}>{shown.formula[locale]}</Descriptions.Item>
              <Descriptions.Item label={t('indicators.unit')}>{unitName(t, shown.unit)}</Descriptions.Item>
              <Descriptions.Item label={t('indicators.dimensions')}>
                {shown.dimensions.map((d) => (
                  <Tag key={d}>{dimName(t, d)}</Tag>
                ))}
              </Descriptions.Item>
              <Descriptions.Item label={t('indicators.source')}>{t(`indicators.source.${shown.source}` as MessageKey)}</Descriptions.Item>
              <Descriptions.Item label={t('indicators.reads')}>{t(`indicators.reads.${shown.reads}`)}</Descriptions.Item>
              <Descriptions.Item label={t('indicators.direction')}>{t(`indicators.direction.${shown.direction}`)}</Descriptions.Item>
              <Descriptions.Item label={t('indicators.kind')}>{shown.derived ? t('indicators.derived') : t('indicators.builtin')}</Descriptions.Item>
            </Descriptions>
            {shown.derived && admin && (
              <Space style={{ marginTop: 16 }}>
                <Button onClick={() => editor.open(shown)} {...tid('indicator-edit')}>
                  {t('indicators.edit')}
                </Button>
                <Popconfirm title={t('indicators.deleteConfirm', { name: shown.name[locale] })} onConfirm={() => remove(shown)}>
                  <Button danger {...tid('indicator-delete')}>
                    {t('indicators.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            )}
          </>
        )}
      </Drawer>

      <DerivedForm
        editor={editor}
        catalogue={catalogue}
        onSaved={async (saved) => {
          await mutate();
          setShown(saved);
        }}
      />
      {rebuilding && <RebuildModal onClose={() => setRebuilding(false)} />}
    </PageContainer>
  );
}

function DerivedForm({ editor, catalogue, onSaved }: { editor: ReturnType<typeof useEditor<Indicator>>; catalogue: Indicator[]; onSaved: (i: Indicator) => Promise<void> }) {
  const { t, locale } = useI18n();
  const record = editor.record;
  const operandOptions = GROUPS.map((g) => ({
    label: groupName(t, g),
    options: catalogue.filter((i) => i.group === g && i.code !== record?.code).map((i) => ({ value: i.code, label: `${i.name[locale]}（${unitName(t, i.unit)}）` })),
  })).filter((g) => g.options.length);
  const defined = record?.definedAs;
  const filterEntry = defined?.filter ? Object.entries(defined.filter)[0] : undefined;
  const initialValues: Partial<FormValues> = record
    ? {
        group: record.group,
        nameZh: record.name['zh-CN'],
        nameEn: record.name['en-US'],
        definitionZh: record.definition['zh-CN'],
        definitionEn: record.definition['en-US'],
        unit: record.unit,
        direction: record.direction,
        formula: { op: defined!.op, left: defined!.left, right: defined!.right, scale: defined!.scale, filterDimension: filterEntry?.[0], filterValues: filterEntry?.[1] as string[] | undefined },
      }
    : { group: 'revenue', unit: 'yuan', direction: 'higher', formula: { op: 'ratio', left: '', scale: 1 } };

  async function submit(v: FormValues) {
    const f = v.formula;
    const formula =
      f.op === 'filter'
        ? { op: f.op, left: f.left, filter: f.filterDimension ? { [f.filterDimension]: f.filterValues ?? [] } : {} }
        : { op: f.op, left: f.left, right: f.right, ...(f.op === 'ratio' && f.scale !== undefined && { scale: f.scale }) };
    const fields = { group: v.group, nameZh: v.nameZh, nameEn: v.nameEn, definitionZh: v.definitionZh, definitionEn: v.definitionEn, unit: v.unit, direction: v.direction, formula };
    const saved = record
      ? await call(api.PATCH('/api/analysis/indicators/derived/{id}', { params: { path: { id: record.id! } }, body: { ...fields, version: record.version! } }))
      : await call(api.POST('/api/analysis/indicators', { body: { ...fields, code: v.code } }));
    await onSaved(saved);
  }

  return (
    <EntityModalForm<FormValues>
      open={editor.isOpen}
      onClose={editor.close}
      title={record ? t('indicators.form.editTitle') : t('indicators.form.newTitle')}
      testId="indicator-form"
      width={640}
      initialValues={initialValues}
      success={t('indicators.saved')}
      onSubmit={submit}
    >
      <Alert type="info" showIcon message={t('indicators.form.hint')} style={{ marginBottom: 16 }} />
      {!record && <ProFormText name="code" label={t('indicators.form.code')} rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{1,62}$/ }]} />}
      <ProFormText name="nameZh" label={t('indicators.form.nameZh')} rules={[{ required: true }]} />
      <ProFormText name="nameEn" label={t('indicators.form.nameEn')} rules={[{ required: true }]} />
      <ProFormTextArea name="definitionZh" label={t('indicators.form.definitionZh')} rules={[{ required: true }]} fieldProps={{ rows: 2 }} />
      <ProFormTextArea name="definitionEn" label={t('indicators.form.definitionEn')} rules={[{ required: true }]} fieldProps={{ rows: 2 }} />
      <Space size="large" wrap>
        <ProFormSelect name="group" label={t('indicators.group')} width="sm" rules={[{ required: true }]} options={GROUPS.map((g) => ({ value: g, label: groupName(t, g) }))} />
        <ProFormSelect name="unit" label={t('indicators.unit')} width="xs" rules={[{ required: true }]} options={UNITS.map((u) => ({ value: u, label: unitName(t, u) }))} />
        <ProFormSelect name="direction" label={t('indicators.direction')} width="sm" rules={[{ required: true }]} options={DIRECTIONS.map((d) => ({ value: d, label: t(`indicators.direction.${d}`) }))} />
      </Space>
      <ProFormSelect name={['formula', 'op']} label={t('indicators.form.op')} rules={[{ required: true }]} options={OPS.map((o) => ({ value: o, label: t(`indicators.form.op.${o}`) }))} />
      <ProFormSelect name={['formula', 'left']} label={t('indicators.form.left')} rules={[{ required: true }]} fieldProps={{ showSearch: true, optionFilterProp: 'label', options: operandOptions }} />
      <ProFormDependency name={['formula']}>
        {({ formula }: { formula?: FormValues['formula'] }) =>
          formula?.op === 'filter' ? (
            <Space size="large" wrap>
              <ProFormSelect
                name={['formula', 'filterDimension']}
                label={t('indicators.form.filterDimension')}
                width="sm"
                rules={[{ required: true }]}
                options={Object.keys(FILTER_VALUES).map((d) => ({ value: d, label: dimName(t, d) }))}
              />
              <ProFormSelect
                name={['formula', 'filterValues']}
                label={t('indicators.form.filterValues')}
                width="md"
                mode="multiple"
                rules={[{ required: true }]}
                options={(FILTER_VALUES[formula.filterDimension ?? ''] ?? { codes: [], prefix: '' }).codes.map((c) => ({
                  value: c,
                  label: t(`${FILTER_VALUES[formula.filterDimension!]!.prefix}${c}` as MessageKey),
                }))}
              />
            </Space>
          ) : (
            <Space size="large" wrap>
              <ProFormSelect name={['formula', 'right']} label={t('indicators.form.right')} width="lg" rules={[{ required: true }]} fieldProps={{ showSearch: true, optionFilterProp: 'label', options: operandOptions }} />
              {formula?.op === 'ratio' && <ProFormDigit name={['formula', 'scale']} label={t('indicators.form.scale')} width="xs" min={0.0001} />}
            </Space>
          )
        }
      </ProFormDependency>
    </EntityModalForm>
  );
}

function RebuildModal({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [month, setMonth] = useState<Dayjs>(dayjs().subtract(1, 'month'));
  const [busy, setBusy] = useState(false);
  async function rebuild() {
    setBusy(true);
    try {
      const m = month.format('YYYY-MM');
      const r = await call(api.POST('/api/analysis/rollups/{month}/refresh', { params: { path: { month: m } } }));
      message.success(t('indicators.rebuild.done', { month: m, rows: r.rows, seconds: (r.durationMs / 1000).toFixed(1) }));
      onClose();
    } catch (e) {
      reportError(e, { message, t });
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal open title={t('indicators.rebuild')} onCancel={onClose} onOk={rebuild} confirmLoading={busy} okButtonProps={tid('indicators-rebuild-ok')}>
      <Typography.Paragraph type="secondary">{t('indicators.rebuild.hint')}</Typography.Paragraph>
      <Space>
        {t('indicators.rebuild.month')}
        <DatePicker picker="month" value={month} allowClear={false} onChange={(d) => d && setMonth(d)} {...tid('indicators-rebuild-month')} />
      </Space>
    </Modal>
  );
}
