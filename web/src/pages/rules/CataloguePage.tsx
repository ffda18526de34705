import { PageContainer, ProFormDigit, ProFormText, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { useCallback, useRef } from 'react';
import { api, call, callList } from '../../api/client';
import { useSession } from '../../app/session';
import { changedFields } from '../../components/changes';
import { EntityModalForm, tid, useEditor } from '../../components/EntityModalForm';
import { formatDateTime } from '../../components/format';
import { activeColumn, createTool, editToggleColumn, listTableProps, useActiveToggle } from '../../components/listTable';
import { usePagedRequest } from '../../components/pagedRequest';
import { useI18n } from '../../i18n';
import type { CatalogueItem } from './PointsPanel';

interface ItemValues {
  code: string;
  name: string;
  nameEn?: string;
  points: number;
}

/** 积分兑换目录: the items points are redeemed for; add, edit, withdraw (items are never deleted). */
export function CataloguePage() {
  const { t } = useI18n();
  const { can } = useSession();
  const manage = can('points.catalogue');
  const table = useRef<ActionType>(null);
  const editor = useEditor<CatalogueItem>();
  const reload = () => table.current?.reload();

  const load = useCallback(async (query: Record<string, unknown> & { offset: number; limit: number }) => {
    const active = query.active === 'true' || query.active === 'false' ? query.active : undefined;
    return callList(api.GET('/api/points/catalogue', { params: { query: { offset: query.offset, limit: query.limit, active } } }));
  }, []);
  const request = usePagedRequest<CatalogueItem>(load);
  const toggle = useActiveToggle<CatalogueItem>((i) => call(api.PATCH('/api/points/catalogue/{id}', { params: { path: { id: i.id } }, body: { version: i.version, active: !i.active } })), reload);

  const columns: ProColumns<CatalogueItem>[] = [
    { title: t('rules.catalogue.code'), dataIndex: 'code', search: false, width: 180, copyable: true },
    { title: t('rules.catalogue.name'), dataIndex: 'name', search: false },
    { title: t('rules.catalogue.nameEn'), dataIndex: 'nameEn', search: false, render: (_, i) => i.nameEn ?? '-' },
    { title: t('rules.catalogue.points'), dataIndex: 'points', search: false, width: 120, align: 'right' },
    activeColumn<CatalogueItem>(t, { names: { active: t('rules.catalogue.active'), inactive: t('rules.catalogue.inactive') }, width: 100 }),
    { title: t('rules.catalogue.updatedAt'), dataIndex: 'updatedAt', search: false, width: 170, render: (_, i) => formatDateTime(i.updatedAt) },
    editToggleColumn<CatalogueItem>(t, {
      width: 140,
      hideInTable: !manage,
      testIds: { prefix: 'catalogue', key: (i) => i.code },
      onEdit: editor.open,
      onToggle: toggle,
      off: { action: t('rules.catalogue.deactivate'), confirm: t('rules.catalogue.confirmDeactivate') },
      on: { action: t('rules.catalogue.activate'), confirm: t('rules.catalogue.confirmActivate') },
    }),
  ];

  const record = editor.record;
  return (
    <PageContainer title={t('rules.catalogue.title')} content={t('rules.catalogue.intro')} {...tid('rules-catalogue-page')}>
      <ProTable<CatalogueItem>
        {...tid('catalogue-table')}
        rowKey="id"
        actionRef={table}
        columns={columns}
        request={request}
        {...listTableProps(t)}
        toolBarRender={createTool({ allowed: manage, text: t('rules.catalogue.create'), testId: 'catalogue-create', onClick: () => editor.open() })}
      />
      <EntityModalForm<ItemValues>
        open={editor.isOpen}
        onClose={editor.close}
        testId="catalogue-form"
        title={record ? t('rules.catalogue.editTitle', { code: record.code }) : t('rules.catalogue.create')}
        initialValues={record ? { code: record.code, name: record.name, nameEn: record.nameEn ?? undefined, points: record.points } : undefined}
        success={t('common.saved')}
        onConflict={reload}
        onSubmit={async (v) => {
          if (record) {
            const initial = { name: record.name, nameEn: record.nameEn, points: record.points };
            const changed = changedFields(initial, { name: v.name.trim(), nameEn: v.nameEn?.trim() || null, points: v.points });
            if (Object.keys(changed).length > 0) {
              await call(api.PATCH('/api/points/catalogue/{id}', { params: { path: { id: record.id } }, body: { version: record.version, ...changed } }));
            }
          } else {
            await call(api.POST('/api/points/catalogue', { body: { code: v.code.trim(), name: v.name.trim(), nameEn: v.nameEn?.trim() || null, points: v.points } }));
          }
          reload();
        }}
      >
        <ProFormText
          name="code"
          label={t('rules.catalogue.code')}
          disabled={!!record}
          tooltip={t('rules.catalogue.codeHint')}
          rules={[
            { required: true, message: t('common.required') },
            { pattern: /^[a-z0-9][a-z0-9_-]{1,39}$/, message: t('rules.catalogue.codePattern') },
          ]}
          fieldProps={tid('catalogue-form-code')}
        />
        <ProFormText name="name" label={t('rules.catalogue.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]} fieldProps={{ maxLength: 60, ...tid('catalogue-form-name') }} />
        <ProFormText name="nameEn" label={t('rules.catalogue.nameEn')} fieldProps={{ maxLength: 80, ...tid('catalogue-form-nameEn') }} />
        <ProFormDigit
          name="points"
          label={t('rules.catalogue.points')}
          min={1}
          max={100000}
          fieldProps={{ precision: 0, ...tid('catalogue-form-points') }}
          rules={[{ required: true, message: t('common.required') }]}
        />
      </EntityModalForm>
    </PageContainer>
  );
}
