import { DeleteOutlined, SaveOutlined } from '@ant-design/icons';
import { ProFormText } from '@ant-design/pro-components';
import { Button, Popconfirm, Select, Space, Tooltip } from 'antd';
import { useState } from 'react';
import { api, call } from '../../api/client';
import { revalidate, useApi, type Item } from '../../api/swr';
import { EntityModalForm, tid, useEditor } from '../../components/EntityModalForm';
import { useAction } from '../../components/useSubmit';
import { useI18n } from '../../i18n';

export type CustomerFilter = Item<'/api/customer-filters'>['filter'];

const FILTER_KEYS = ['q', 'kind', 'unitId', 'industry', 'brand', 'managerId', 'level', 'creditGrade', 'pointsMin', 'arrears'] as const;
/** Filters that pick several values: a list in the form, comma-separated in the API. */
const LIST_KEYS = new Set<string>(['level', 'creditGrade']);

/** The search form's values as a filter: the keys a saved filter may hold, empty values dropped, lists comma-separated. */
export function cleanFilter(values: Record<string, unknown>): CustomerFilter {
  const out: Record<string, unknown> = {};
  for (const k of FILTER_KEYS) {
    const v = values[k];
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = Array.isArray(v) ? v.join(',') : v;
  }
  return out as CustomerFilter;
}

/** A filter as the search form holds it: comma-separated lists as lists. */
export function formValues(filter: CustomerFilter): Record<string, unknown> {
  return Object.fromEntries(Object.entries(filter).map(([k, v]) => [k, LIST_KEYS.has(k) && typeof v === 'string' ? v.split(',') : v]));
}

/**
 * 保存的筛选 of the current user: pick one to apply it to the list's search form, save the current
 * form under a name (the same name replaces), delete the picked one.
 */
export function SavedFilters({ current, apply }: { current: () => Record<string, unknown>; apply: (filter: CustomerFilter) => void }) {
  const { t } = useI18n();
  const act = useAction();
  const { data = [], isLoading } = useApi('/api/customer-filters', {});
  const [picked, setPicked] = useState<number | undefined>();
  const saver = useEditor<void>();
  const selected = data.find((f) => f.id === picked);

  return (
    <Space size={4}>
      <Select<number>
        {...tid('customer-filters')}
        style={{ width: 200 }}
        placeholder={t('customers.filters.pick')}
        allowClear
        value={picked}
        loading={isLoading}
        options={data.map((f) => ({ value: f.id, label: f.name }))}
        notFoundContent={t('customers.filters.empty')}
        onChange={(id) => {
          setPicked(id);
          const filter = data.find((f) => f.id === id)?.filter;
          apply(filter ?? {});
        }}
      />
      {selected && (
        <Popconfirm
          title={t('customers.filters.confirmDelete', { name: selected.name })}
          onConfirm={() =>
            act(
              async () => {
                await call(api.DELETE('/api/customer-filters/{id}', { params: { path: { id: selected.id } } }));
                setPicked(undefined);
                await revalidate('/api/customer-filters');
              },
              { success: t('common.deleted') },
            )
          }
        >
          <Tooltip title={t('customers.filters.delete')}>
            <Button icon={<DeleteOutlined />} {...tid('customer-filters-delete')} aria-label={t('customers.filters.delete')} />
          </Tooltip>
        </Popconfirm>
      )}
      <Button icon={<SaveOutlined />} onClick={() => saver.open()} {...tid('customer-filters-save')}>
        {t('customers.filters.save')}
      </Button>
      <EntityModalForm<{ name: string }>
        open={saver.isOpen}
        testId="customer-filter-form"
        width={420}
        title={t('customers.filters.save')}
        onClose={saver.close}
        initialValues={{ name: selected?.name }}
        success={t('customers.filters.saved')}
        onSubmit={async ({ name }) => {
          const created = await call(api.POST('/api/customer-filters', { body: { name, filter: cleanFilter(current()) } }));
          await revalidate('/api/customer-filters');
          setPicked(created.id);
        }}
      >
        <ProFormText
          name="name"
          label={t('customers.filters.name')}
          extra={t('customers.filters.nameHint')}
          rules={[{ required: true, message: t('common.required') }, { max: 50 }]}
          fieldProps={tid('customer-filter-name')}
        />
      </EntityModalForm>
    </Space>
  );
}
