import { PageContainer, ProFormDigit, ProFormSelect, ProFormText, ProFormTextArea, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { Empty, Form, Typography } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { api, call, callList } from '../../../api/client';
import type { paths } from '../../../api/schema';
import { useApiList } from '../../../api/swr';
import { useSession } from '../../../app/session';
import { EntityModalForm, tid, useEditor } from '../../../components/EntityModalForm';
import { formatDateTime } from '../../../components/format';
import { activeColumn, createTool, editToggleColumn, listTableProps, useActiveToggle } from '../../../components/listTable';
import { usePagedRequest } from '../../../components/pagedRequest';
import { UnitTreeSelect } from '../../../components/units';
import { localName, useI18n } from '../../../i18n';
import { ClientDrawer } from './ClientDrawer';
import { ScopeTags, SecretDialog, useScopeNames, type Client, type Issued } from './common';

/** The scope codes the server accepts, as the generated types name them. */
type ScopeCode = NonNullable<paths['/api/system/clients']['post']['requestBody']>['content']['application/json']['scopes'][number];

interface ClientValues {
  name: string;
  description?: string;
  unitId?: number;
  scopes: ScopeCode[];
  partnerId?: number | null;
  rateLimitPerMinute: number;
}

/** 接口客户端: the machine clients acting for the reader's unit and below; register (the secret shown once), edit, deactivate; a drawer holds secrets and calls. */
export function ClientsPage() {
  const { t, locale } = useI18n();
  const table = useRef<ActionType>(null);
  const editor = useEditor<Client>();
  const [issued, setIssued] = useState<Issued | null>(null);
  const [opened, setOpened] = useState<number | null>(null);
  const reload = () => table.current?.reload();

  const load = useCallback(async (query: Record<string, unknown> & { offset: number; limit: number }) => {
    const str = <T extends string>(k: string) => (typeof query[k] === 'string' && query[k] ? (query[k] as T) : undefined);
    return callList(api.GET('/api/system/clients', { params: { query: { offset: query.offset, limit: query.limit, q: str('q'), active: str<'true' | 'false'>('active') } } }));
  }, []);
  const request = usePagedRequest<Client>(load);
  const toggle = useActiveToggle<Client>((c) => call(api.PATCH('/api/system/clients/{id}', { params: { path: { id: c.id } }, body: { version: c.version, active: !c.active } })), reload);

  const columns: ProColumns<Client>[] = [
    { title: t('common.keyword'), dataIndex: 'q', hideInTable: true, fieldProps: tid('clients-search-q') },
    {
      title: t('clients.name'),
      dataIndex: 'name',
      search: false,
      width: 200,
      render: (_, c) => (
        <Typography.Link onClick={() => setOpened(c.id)} {...tid(`client-open-${c.clientId}`)}>
          {c.name}
        </Typography.Link>
      ),
    },
    { title: t('clients.clientId'), dataIndex: 'clientId', search: false, width: 220, copyable: true },
    { title: t('clients.unit'), dataIndex: 'unitName', search: false, width: 140, render: (_, c) => localName(locale, { name: c.unitName, nameEn: c.unitNameEn }) },
    { title: t('clients.scopes'), dataIndex: 'scopes', search: false, render: (_, c) => <ScopeTags scopes={c.scopes} /> },
    { title: t('clients.partner'), dataIndex: 'partnerName', search: false, width: 140, render: (_, c) => c.partnerName ?? '-' },
    { title: t('clients.rateLimit'), dataIndex: 'rateLimitPerMinute', search: false, width: 130, align: 'right', render: (_, c) => t('clients.rateLimitValue', { n: c.rateLimitPerMinute }) },
    { title: t('clients.activeTokens'), dataIndex: 'activeTokens', search: false, width: 90, align: 'right' },
    { title: t('clients.lastCall'), dataIndex: 'lastCallAt', search: false, width: 170, render: (_, c) => formatDateTime(c.lastCallAt) || '-' },
    activeColumn<Client>(t),
    editToggleColumn<Client>(t, {
      width: 150,
      fixed: 'right',
      testIds: { prefix: 'client', key: (c) => c.clientId },
      onEdit: editor.open,
      onToggle: toggle,
      off: { action: t('clients.deactivate'), confirm: t('clients.confirmDeactivate') },
      on: { action: t('clients.activate'), confirm: t('clients.confirmActivate') },
    }),
  ];

  const record = editor.record;
  return (
    <PageContainer title={t('menu.system.clients')} content={t('clients.intro')} {...tid('clients-page')}>
      <ProTable<Client>
        {...tid('clients-table')}
        locale={{ emptyText: <Empty description={t('clients.empty')} /> }}
        rowKey="id"
        actionRef={table}
        columns={columns}
        request={request}
        {...listTableProps(t)}
        scroll={{ x: 1500 }}
        toolBarRender={createTool({ text: t('clients.create'), testId: 'client-create', onClick: () => editor.open() })}
      />
      <EntityModalForm<ClientValues>
        open={editor.isOpen}
        onClose={editor.close}
        testId="client-form"
        width={640}
        title={record ? t('clients.editTitle', { name: record.name }) : t('clients.create')}
        initialValues={record ? { ...record, scopes: record.scopes as ScopeCode[], description: record.description ?? undefined } : { scopes: [], rateLimitPerMinute: 600 }}
        success={record ? t('common.saved') : undefined}
        onConflict={reload}
        onSubmit={async (v) => {
          const fields = {
            name: v.name.trim(),
            description: v.description?.trim() || null,
            scopes: v.scopes,
            partnerId: v.partnerId ?? null,
            rateLimitPerMinute: v.rateLimitPerMinute,
            ...(v.unitId !== undefined && { unitId: v.unitId }),
          };
          if (record) await call(api.PATCH('/api/system/clients/{id}', { params: { path: { id: record.id } }, body: { version: record.version, ...fields } }));
          else setIssued(await call(api.POST('/api/system/clients', { body: fields })));
          reload();
        }}
      >
        <ClientFields />
      </EntityModalForm>
      {issued && <SecretDialog issued={issued} onClose={() => setIssued(null)} />}
      {opened !== null && <ClientDrawer id={opened} onClose={() => setOpened(null)} onChanged={reload} />}
    </PageContainer>
  );
}

function ClientFields() {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const scopes = useScopeNames();
  // the partners an administrator of partners may link; others link none
  const partners = useApiList('/api/services/partners', can('partners.manage') ? { query: { offset: 0, limit: 1000 } } : null);
  const required = [{ required: true, whitespace: true, message: t('common.required') }];
  return (
    <>
      <ProFormText name="name" label={t('clients.name')} rules={required} fieldProps={{ maxLength: 60, ...tid('client-form-name') }} />
      <ProFormTextArea name="description" label={t('clients.description')} fieldProps={{ rows: 2, maxLength: 500 }} />
      <Form.Item name="unitId" label={t('clients.unit')} tooltip={t('clients.unitHint')}>
        <UnitTreeSelect data-testid="client-form-unit" />
      </Form.Item>
      <ProFormSelect name="scopes" label={t('clients.scopes')} tooltip={t('clients.scopesHint')} mode="multiple" options={scopes.options} rules={[{ required: true, message: t('common.required') }]} fieldProps={tid('client-form-scopes')} />
      <ProFormSelect
        name="partnerId"
        label={t('clients.partner')}
        tooltip={t('clients.partnerHint')}
        options={(partners.data?.items ?? []).map((p) => ({ value: p.id, label: localName(locale, p) }))}
        fieldProps={tid('client-form-partner')}
      />
      <ProFormDigit name="rateLimitPerMinute" label={t('clients.rateLimit')} min={1} max={1_000_000} fieldProps={{ precision: 0, ...tid('client-form-rate-limit') }} rules={[{ required: true, message: t('common.required') }]} />
    </>
  );
}
