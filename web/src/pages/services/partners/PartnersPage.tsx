import { PageContainer, ProFormDigit, ProFormSelect, ProFormSwitch, ProFormText, ProFormTextArea, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { Form, Space, Tag } from 'antd';
import { useCallback, useRef } from 'react';
import { Link } from 'react-router-dom';
import { api, call, callList } from '../../../api/client';
import { EntityModalForm, tid, useEditor } from '../../../components/EntityModalForm';
import { activeColumn, createTool, editToggleColumn, listTableProps, useActiveToggle, valueEnumOf } from '../../../components/listTable';
import { usePagedRequest } from '../../../components/pagedRequest';
import { UnitTreeSelect } from '../../../components/units';
import { localName, useI18n } from '../../../i18n';
import { INDUSTRIES, industryName, useBenefitNames, type Industry, type Partner } from './common';

interface PartnerValues {
  code: string;
  name: string;
  nameEn?: string;
  industry: Industry;
  unitId?: number;
  benefits: string[];
  verifyByMemberNo: boolean;
  rateLimitPerMinute: number;
  note?: string;
}

/** 合作伙伴: the partners of the reader's unit and below; register, edit, suspend; a partner's page holds its keys. */
export function PartnersPage() {
  const { t, locale } = useI18n();
  const table = useRef<ActionType>(null);
  const editor = useEditor<Partner>();
  const benefits = useBenefitNames();
  const reload = () => table.current?.reload();

  const load = useCallback(async (query: Record<string, unknown> & { offset: number; limit: number }) => {
    const str = <T extends string>(k: string) => (typeof query[k] === 'string' && query[k] ? (query[k] as T) : undefined);
    return callList(
      api.GET('/api/services/partners', {
        params: { query: { offset: query.offset, limit: query.limit, q: str('q'), industry: str<Industry>('industry'), active: str<'true' | 'false'>('active') } },
      }),
    );
  }, []);
  const request = usePagedRequest<Partner>(load);
  const toggle = useActiveToggle<Partner>((p) => call(api.PATCH('/api/services/partners/{id}', { params: { path: { id: p.id } }, body: { version: p.version, active: !p.active } })), reload);

  const columns: ProColumns<Partner>[] = [
    { title: t('common.keyword'), dataIndex: 'q', hideInTable: true, fieldProps: tid('partners-search-q') },
    { title: t('partners.code'), dataIndex: 'code', search: false, width: 170, copyable: true },
    {
      title: t('partners.name'),
      dataIndex: 'name',
      search: false,
      width: 240,
      render: (_, p) => (
        <Link to={`/services/partners/${p.id}`} {...tid(`partner-open-${p.code}`)}>
          {localName(locale, p)}
        </Link>
      ),
    },
    { title: t('partners.industry'), dataIndex: 'industry', width: 100, valueType: 'select', valueEnum: valueEnumOf(INDUSTRIES, (i) => industryName(t, i)), render: (_, p) => industryName(t, p.industry) },
    { title: t('partners.unit'), dataIndex: 'unitName', search: false, width: 140, render: (_, p) => localName(locale, { name: p.unitName, nameEn: p.unitNameEn }) },
    {
      title: t('partners.benefits'),
      dataIndex: 'benefits',
      search: false,
      render: (_, p) => (
        <Space size={[0, 4]} wrap>
          {p.benefits.map((b) => (
            <Tag key={b}>{benefits.nameOf(b)}</Tag>
          ))}
        </Space>
      ),
    },
    { title: t('partners.verifyByMemberNo'), dataIndex: 'verifyByMemberNo', search: false, width: 120, render: (_, p) => (p.verifyByMemberNo ? t('common.yes') : t('common.no')) },
    { title: t('partners.rateLimit'), dataIndex: 'rateLimitPerMinute', search: false, width: 130, align: 'right', render: (_, p) => t('partners.rateLimitValue', { n: p.rateLimitPerMinute }) },
    { title: t('partners.activeKeys'), dataIndex: 'activeCredentials', search: false, width: 100, align: 'right' },
    { title: t('partners.confirmations30d'), dataIndex: 'confirmations30d', search: false, width: 120, align: 'right' },
    activeColumn<Partner>(t, { names: { active: t('common.active'), inactive: t('partners.suspended') } }),
    editToggleColumn<Partner>(t, {
      width: 150,
      // the table scrolls sideways on a laptop: suspending must not need a scroll
      fixed: 'right',
      testIds: { prefix: 'partner', key: (p) => p.code },
      onEdit: editor.open,
      onToggle: toggle,
      off: { action: t('partners.suspend'), confirm: t('partners.confirmSuspend') },
      on: { action: t('partners.resume'), confirm: t('partners.confirmResume') },
    }),
  ];

  const record = editor.record;
  return (
    <PageContainer title={t('partners.title')} content={t('partners.intro')} {...tid('partners-page')}>
      <ProTable<Partner>
        {...tid('partners-table')}
        rowKey="id"
        actionRef={table}
        columns={columns}
        request={request}
        {...listTableProps(t)}
        scroll={{ x: 1500 }}
        toolBarRender={createTool({ text: t('partners.create'), testId: 'partner-create', onClick: () => editor.open() })}
      />
      <EntityModalForm<PartnerValues>
        open={editor.isOpen}
        onClose={editor.close}
        testId="partner-form"
        width={640}
        title={record ? t('partners.editTitle', { code: record.code }) : t('partners.create')}
        initialValues={
          record
            ? { ...record, nameEn: record.nameEn ?? undefined, note: record.note ?? undefined }
            : { industry: 'airline', benefits: [], verifyByMemberNo: false, rateLimitPerMinute: 600 }
        }
        success={t('common.saved')}
        onConflict={reload}
        onSubmit={async (v) => {
          const fields = {
            name: v.name.trim(),
            nameEn: v.nameEn?.trim() || null,
            industry: v.industry,
            benefits: v.benefits,
            verifyByMemberNo: v.verifyByMemberNo,
            rateLimitPerMinute: v.rateLimitPerMinute,
            note: v.note?.trim() || null,
          };
          if (record) await call(api.PATCH('/api/services/partners/{id}', { params: { path: { id: record.id } }, body: { version: record.version, ...fields } }));
          else await call(api.POST('/api/services/partners', { body: { code: v.code.trim(), ...(v.unitId !== undefined && { unitId: v.unitId }), ...fields } }));
          reload();
        }}
      >
        <PartnerFields editing={!!record} benefitOptions={benefits.options} />
      </EntityModalForm>
    </PageContainer>
  );
}

function PartnerFields({ editing, benefitOptions }: { editing: boolean; benefitOptions: { value: string; label: string }[] }) {
  const { t } = useI18n();
  const required = [{ required: true, whitespace: true, message: t('common.required') }];
  return (
    <>
      <ProFormText
        name="code"
        label={t('partners.code')}
        disabled={editing}
        tooltip={t('partners.codeHint')}
        rules={[...required, { pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{1,39}$/, message: t('partners.codePattern') }]}
        fieldProps={tid('partner-form-code')}
      />
      <ProFormText name="name" label={t('partners.name')} rules={required} fieldProps={{ maxLength: 60, ...tid('partner-form-name') }} />
      <ProFormText name="nameEn" label={t('partners.nameEn')} fieldProps={{ maxLength: 100, ...tid('partner-form-nameEn') }} />
      <ProFormSelect name="industry" label={t('partners.industry')} allowClear={false} options={INDUSTRIES.map((i) => ({ value: i, label: industryName(t, i) }))} fieldProps={tid('partner-form-industry')} />
      {!editing && (
        <Form.Item name="unitId" label={t('partners.unit')} tooltip={t('partners.unitHint')}>
          <UnitTreeSelect data-testid="partner-form-unit" />
        </Form.Item>
      )}
      <ProFormSelect name="benefits" label={t('partners.benefits')} tooltip={t('partners.benefitsHint')} mode="multiple" options={benefitOptions} fieldProps={tid('partner-form-benefits')} />
      <ProFormSwitch name="verifyByMemberNo" label={t('partners.verifyByMemberNo')} tooltip={t('partners.verifyByMemberNoHint')} fieldProps={tid('partner-form-member-no')} />
      <ProFormDigit name="rateLimitPerMinute" label={t('partners.rateLimit')} min={1} max={1_000_000} fieldProps={{ precision: 0, ...tid('partner-form-rate-limit') }} rules={[{ required: true, message: t('common.required') }]} />
      <ProFormTextArea name="note" label={t('partners.note')} fieldProps={{ rows: 2, maxLength: 500 }} />
    </>
  );
}
