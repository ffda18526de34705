import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { PageContainer, ProFormRadio, ProFormSelect, ProFormText, ProFormTextArea, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { Button, Form, InputNumber, Select, Space, Typography } from 'antd';
import { useCallback, useRef } from 'react';
import { api, call, callList } from '../../../api/client';
import { useApi } from '../../../api/swr';
import { useSession } from '../../../app/session';
import { EntityModalForm, tid, useEditor } from '../../../components/EntityModalForm';
import { formatDateTime, formatMoney } from '../../../components/format';
import { activeColumn, createTool, editToggleColumn, listTableProps, useActiveToggle, valueEnumOf } from '../../../components/listTable';
import { usePagedRequest } from '../../../components/pagedRequest';
import { localName, useI18n } from '../../../i18n';
import { CATEGORIES, categoryName, optionsOf, type ProductCategory, type SolutionProduct } from './common';

type Kind = SolutionProduct['kind'];
const KINDS: Kind[] = ['product', 'bundle'];

interface ProductValues {
  code: string;
  name: string;
  nameEn?: string;
  kind: Kind;
  category: ProductCategory;
  monthlyFee: string;
  description?: string;
  items?: { productId?: number; quantity?: number }[];
}

/** 解决方案产品目录: the products and bundles solutions are drafted from; add, edit, withdraw (never deleted). */
export function SolutionCataloguePage() {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const manage = can('solutions.catalogue');
  const table = useRef<ActionType>(null);
  const editor = useEditor<SolutionProduct>();
  const reload = () => table.current?.reload();

  const load = useCallback(async (query: Record<string, unknown> & { offset: number; limit: number }) => {
    const str = <T extends string>(k: string) => (typeof query[k] === 'string' && query[k] ? (query[k] as T) : undefined);
    return callList(
      api.GET('/api/solution-products', {
        params: { query: { offset: query.offset, limit: query.limit, q: str('q'), kind: str<Kind>('kind'), category: str<ProductCategory>('category'), active: str<'true' | 'false'>('active') } },
      }),
    );
  }, []);
  const request = usePagedRequest<SolutionProduct>(load);
  const toggle = useActiveToggle<SolutionProduct>((p) => call(api.PATCH('/api/solution-products/{id}', { params: { path: { id: p.id } }, body: { version: p.version, active: !p.active } })), reload);
  const kindName = (k: Kind) => t(`solutions.productKind.${k}`);

  const columns: ProColumns<SolutionProduct>[] = [
    { title: t('common.keyword'), dataIndex: 'q', hideInTable: true, fieldProps: tid('catalogue-search-q') },
    { title: t('solutions.catalogue.code'), dataIndex: 'code', search: false, width: 150, copyable: true },
    {
      title: t('solutions.catalogue.name'),
      dataIndex: 'name',
      search: false,
      width: 280,
      render: (_, p) => (
        <Space direction="vertical" size={0}>
          <span>{localName(locale, p)}</span>
          {p.items.length > 0 && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }} {...tid(`catalogue-bundle-${p.code}`)}>
              {p.items.map((i) => `${localName(locale, i)} ×${i.quantity}`).join('、')}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    { title: t('solutions.catalogue.kind'), dataIndex: 'kind', width: 100, valueType: 'select', valueEnum: valueEnumOf(KINDS, kindName), render: (_, p) => kindName(p.kind) },
    {
      title: t('solutions.catalogue.category'),
      dataIndex: 'category',
      width: 130,
      valueType: 'select',
      valueEnum: valueEnumOf(CATEGORIES, (c) => categoryName(t, c)),
      render: (_, p) => categoryName(t, p.category),
    },
    { title: t('solutions.catalogue.fee'), dataIndex: 'monthlyFee', search: false, width: 140, align: 'right', render: (_, p) => formatMoney(p.monthlyFee) },
    { title: t('solutions.catalogue.description'), dataIndex: 'description', search: false, ellipsis: true, render: (_, p) => p.description ?? '-' },
    activeColumn<SolutionProduct>(t),
    { title: t('solutions.catalogue.updatedAt'), dataIndex: 'updatedAt', search: false, width: 170, render: (_, p) => formatDateTime(p.updatedAt) },
    editToggleColumn<SolutionProduct>(t, {
      width: 120,
      hideInTable: !manage,
      testIds: { prefix: 'solution-catalogue', key: (p) => p.code },
      onEdit: editor.open,
      onToggle: toggle,
      off: { action: t('solutions.catalogue.deactivate'), confirm: t('solutions.catalogue.confirmDeactivate') },
      on: { action: t('solutions.catalogue.activate'), confirm: t('solutions.catalogue.confirmActivate') },
    }),
  ];

  const record = editor.record;
  return (
    <PageContainer title={t('solutions.catalogue.title')} content={t('solutions.catalogue.intro')} {...tid('solutions-catalogue-page')}>
      <ProTable<SolutionProduct>
        {...tid('solution-catalogue-table')}
        rowKey="id"
        actionRef={table}
        columns={columns}
        request={request}
        {...listTableProps(t)}
        scroll={{ x: 1300 }}
        toolBarRender={createTool({ allowed: manage, text: t('solutions.catalogue.create'), testId: 'solution-catalogue-create', onClick: () => editor.open() })}
      />
      <EntityModalForm<ProductValues>
        open={editor.isOpen}
        onClose={editor.close}
        testId="solution-catalogue-form"
        width={720}
        title={record ? t('solutions.catalogue.editTitle', { code: record.code }) : t('solutions.catalogue.create')}
        initialValues={
          record
            ? { ...record, nameEn: record.nameEn ?? undefined, description: record.description ?? undefined, items: record.items.map((i) => ({ productId: i.productId, quantity: i.quantity })) }
            : { kind: 'product', category: 'connectivity' }
        }
        success={t('common.saved')}
        onConflict={reload}
        onSubmit={async (v) => {
          const fields = { name: v.name.trim(), nameEn: v.nameEn?.trim() || null, category: v.category, monthlyFee: v.monthlyFee.trim(), description: v.description?.trim() || null };
          const items = v.kind === 'bundle' ? (v.items ?? []).map((i) => ({ productId: i.productId!, quantity: i.quantity! })) : undefined;
          if (record) {
            await call(api.PATCH('/api/solution-products/{id}', { params: { path: { id: record.id } }, body: { version: record.version, ...fields, ...(items && { items }) } }));
          } else {
            await call(api.POST('/api/solution-products', { body: { code: v.code.trim(), kind: v.kind, ...fields, ...(items && { items }) } }));
          }
          reload();
        }}
      >
        <ProductFields editing={!!record} />
      </EntityModalForm>
    </PageContainer>
  );
}

function ProductFields({ editing }: { editing: boolean }) {
  const { t } = useI18n();
  const required = [{ required: true, whitespace: true, message: t('common.required') }];
  const kind = Form.useWatch<Kind | undefined>('kind');
  return (
    <>
      <ProFormText
        name="code"
        label={t('solutions.catalogue.code')}
        disabled={editing}
        tooltip={t('solutions.catalogue.codeHint')}
        rules={[...required, { pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{1,39}$/, message: t('solutions.catalogue.codePattern') }]}
        fieldProps={tid('solution-catalogue-form-code')}
      />
      <ProFormText name="name" label={t('solutions.catalogue.name')} rules={required} fieldProps={{ maxLength: 60, ...tid('solution-catalogue-form-name') }} />
      <ProFormText name="nameEn" label={t('solutions.catalogue.nameEn')} fieldProps={{ maxLength: 100, ...tid('solution-catalogue-form-nameEn') }} />
      <ProFormRadio.Group
        name="kind"
        label={t('solutions.catalogue.kind')}
        disabled={editing}
        options={KINDS.map((k) => ({ value: k, label: t(`solutions.productKind.${k}`) }))}
        fieldProps={tid('solution-catalogue-form-kind')}
      />
      <ProFormSelect name="category" label={t('solutions.catalogue.category')} allowClear={false} options={optionsOf(CATEGORIES, (c) => categoryName(t, c))} fieldProps={tid('solution-catalogue-form-category')} />
      <ProFormText
        name="monthlyFee"
        label={t('solutions.catalogue.fee')}
        rules={[...required, { pattern: /^\d{1,6}(\.\d{1,2})?$/, message: t('solutions.editor.fee') }]}
        fieldProps={tid('solution-catalogue-form-fee')}
      />
      <ProFormTextArea name="description" label={t('solutions.catalogue.description')} fieldProps={{ rows: 2, maxLength: 1000 }} />
      {kind === 'bundle' && <BundleItems />}
    </>
  );
}

/** A bundle's products (not bundles) with their quantities. */
function BundleItems() {
  const { t, locale } = useI18n();
  const { data = [] } = useApi('/api/solution-products', { query: { kind: 'product', limit: 1000 } });
  const options = data.map((p) => ({ value: p.id, label: localName(locale, p) }));
  return (
    <Form.Item label={t('solutions.catalogue.bundleItems')} required>
      <Form.List name="items">
        {(fields, { add, remove }) => (
          <>
            {fields.map((field, index) => (
              <Space key={field.key} align="start">
                <Form.Item name={[field.name, 'productId']} rules={[{ required: true, message: t('common.required') }]} style={{ width: 360 }}>
                  <Select showSearch optionFilterProp="label" options={options} placeholder={t('solutions.editor.productPlaceholder')} {...tid(`solution-catalogue-item-${index}`)} />
                </Form.Item>
                <Form.Item name={[field.name, 'quantity']} rules={[{ required: true, message: t('common.required') }]}>
                  <InputNumber min={1} max={10000} precision={0} placeholder={t('solutions.editor.quantity')} {...tid(`solution-catalogue-item-quantity-${index}`)} />
                </Form.Item>
                <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('common.delete')} />
              </Space>
            ))}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ quantity: 1 })} {...tid('solution-catalogue-item-add')}>
              {t('solutions.editor.addItem')}
            </Button>
          </>
        )}
      </Form.List>
    </Form.Item>
  );
}
