import { DeleteOutlined, SaveOutlined } from '@ant-design/icons';
import { ProFormText } from '@ant-design/pro-components';
import { Button, Popconfirm, Select, Space, Tooltip } from 'antd';
import { useState } from 'react';
import { api, call } from '../../api/client';
import { EntityModalForm, tid, useEditor } from '../../components/EntityModalForm';
import { useRemote } from '../../components/useRemote';
import { useAction } from '../../components/useSubmit';
import { useI18n } from '../../i18n';

type Saved = NonNullable<Awaited<ReturnType<typeof loadFilters>>>[number];
export type CustomerFilter = Saved['filter'];

const loadFilters = () => call(api.GET('/api/customer-filters'));
const NONE: Saved[] = [];
const FILTER_KEYS = ['q', 'kind', 'unitId', 'industry', 'brand', 'managerId'] as const;

/** Keeps the keys a saved filter may hold, dropping empty values. */
export function cleanFilter(values: Record<string, unknown>): CustomerFilter {
  const out: Record<string, unknown> = {};
  for (const k of FILTER_KEYS) {
    const v = values[k];
    if (v !== undefined && v !== null && v !== '') out[k] = v;
  }
  return out as CustomerFilter;
}

/**
 * 保存的筛选 of the current user: pick one to apply it to the list's search form, save the current
 * form under a name (the same name replaces), delete the picked one.
 */
export function SavedFilters({ current, apply }: { current: () => Record<string, unknown>; apply: (filter: CustomerFilter) => void }) {
  const { t } = useI18n();
  const act = useAction();
  const saved = useRemote(loadFilters, NONE);
  const [picked, setPicked] = useState<number | undefined>();
  const saver = useEditor<void>();
  const selected = saved.data.find((f) => f.id === picked);

  return (
    <Space size={4}>
      <Select<number>
        {...tid('customer-filters')}
        style={{ width: 200 }}
        placeholder={t('customers.filters.pick')}
        allowClear
        value={picked}
        loading={saved.loading}
        options={saved.data.map((f) => ({ value: f.id, label: f.name }))}
        notFoundContent={t('customers.filters.empty')}
        onChange={(id) => {
          setPicked(id);
          const filter = saved.data.find((f) => f.id === id)?.filter;
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
                await saved.reload();
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
          await saved.reload();
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
