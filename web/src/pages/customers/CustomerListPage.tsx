import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { PageContainer, ProTable, type ActionType, type ProColumns, type ProFormInstance } from '@ant-design/pro-components';
import { Button, Dropdown, Tag } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, callList, download, downloadUrl, type CustomerSummary } from '../../api/client';
import type { paths } from '../../api/schema';
import { useSession } from '../../app/session';
import { tid, useEditor } from '../../components/EntityModalForm';
import { formatDateTime } from '../../components/format';
import { usePagedRequest } from '../../components/pagedRequest';
import { UnitTreeSelect } from '../../components/units';
import { ManagerSelect } from '../../components/ManagerSelect';
import { useI18n } from '../../i18n';
import { BRANDS, INDUSTRIES, KINDS, codeEnum, codeLabel, type Archive } from './codes';
import { CreateCustomerForm } from './CustomerForm';
import { SavedFilters, cleanFilter } from './SavedFilters';

type Query = NonNullable<paths['/api/customers']['get']['parameters']['query']>;

/** 在网档案库 / 保留档案库: one page component, the archive fixed by the route. */
export function CustomerListPage({ archive }: { archive: Archive }) {
  const { t } = useI18n();
  const { can } = useSession();
  const navigate = useNavigate();
  const table = useRef<ActionType>(null);
  const form = useRef<ProFormInstance | undefined>(undefined);
  const creator = useEditor<void>();

  // very large lists come with an estimated total, shown as 约 N 条
  const [estimated, setEstimated] = useState(false);
  const load = useCallback(
    async (query: Record<string, unknown> & { offset: number; limit: number }) => {
      const page = await callList(api.GET('/api/customers', { params: { query: { ...query, archive } as Query } }));
      setEstimated(page.estimated);
      return page;
    },
    [archive],
  );
  const request = usePagedRequest<CustomerSummary>(load);

  const columns: ProColumns<CustomerSummary>[] = [
    {
      title: t('common.keyword'),
      dataIndex: 'q',
      hideInTable: true,
      fieldProps: { ...tid('customers-search-q'), placeholder: t('customers.searchPlaceholder') },
      formItemProps: { tooltip: t('customers.searchHint') },
    },
    { title: t('customers.customerNo'), dataIndex: 'customerNo', search: false, sorter: true, width: 150 },
    {
      title: t('customers.name'),
      dataIndex: 'name',
      search: false,
      sorter: true,
      ellipsis: true,
      width: 260,
      render: (_, c) => (
        <Link to={`/customers/${c.id}`} onClick={(e) => e.stopPropagation()} {...tid(`customer-link-${c.customerNo}`)}>
          {c.name}
        </Link>
      ),
    },
    {
      title: t('customers.kind'),
      dataIndex: 'kind',
      valueType: 'select',
      valueEnum: codeEnum(t, 'kind', KINDS),
      width: 110,
      render: (_, c) => <Tag color={c.kind === 'group' ? 'blue' : 'purple'}>{codeLabel(t, 'kind', c.kind)}</Tag>,
    },
    {
      title: t('customers.region'),
      dataIndex: 'unitId',
      render: (_, c) => c.unitName,
      renderFormItem: () => <UnitTreeSelect {...tid('customers-search-unit')} />,
    },
    {
      title: t('customers.industry'),
      dataIndex: 'industry',
      valueType: 'select',
      valueEnum: codeEnum(t, 'industry', INDUSTRIES),
      fieldProps: { showSearch: true },
      ellipsis: true,
      width: 180,
      render: (_, c) => (c.industry ? codeLabel(t, 'industry', c.industry) : '-'),
    },
    {
      title: t('customers.brand'),
      dataIndex: 'brand',
      valueType: 'select',
      valueEnum: codeEnum(t, 'brand', BRANDS),
      width: 100,
      render: (_, c) => codeLabel(t, 'brand', c.brand),
    },
    {
      title: t('customers.manager'),
      dataIndex: 'managerId',
      render: (_, c) => c.managerName ?? <Tag>{t('customers.unassigned')}</Tag>,
      renderFormItem: () => <ManagerSelect {...tid('customers-search-manager')} />,
    },
    { title: t('customers.contactPhone'), dataIndex: 'contactPhone', search: false, width: 130, render: (_, c) => c.contactPhone ?? '-' },
    { title: t('customers.joinedOn'), dataIndex: 'joinedOn', search: false, sorter: true, width: 120, render: (_, c) => c.joinedOn ?? '-' },
    { title: t('customers.updatedAt'), dataIndex: 'updatedAt', search: false, sorter: true, width: 170, render: (_, c) => formatDateTime(c.updatedAt) },
  ];

  // 导出: the list as filtered now (masked unless the PII variant is chosen, which needs its own permission).
  const exportItems = [
    { key: 'xlsx', label: <span {...tid('customers-export-xlsx')}>{t('customers.export.xlsx')}</span> },
    { key: 'csv', label: <span {...tid('customers-export-csv')}>{t('customers.export.csv')}</span> },
    ...(can('customers.export_pii') ? [{ key: 'xlsx-pii', label: <span {...tid('customers-export-pii')}>{t('customers.export.pii')}</span> }] : []),
  ];
  const exportList = (key: string) => {
    const [format, pii] = key.split('-');
    download(downloadUrl('/api/customers/export', { ...cleanFilter(form.current?.getFieldsValue() ?? {}), archive, format, pii: pii ? 'true' : undefined }));
  };

  const title = archive === 'in_network' ? t('customers.inNetwork') : t('customers.retained');
  return (
    <PageContainer title={title} content={archive === 'in_network' ? t('customers.inNetworkIntro') : t('customers.retainedIntro')}>
      <ProTable<CustomerSummary>
        {...tid(`customers-table-${archive}`)}
        rowKey="id"
        actionRef={table}
        formRef={form}
        columns={columns}
        request={request}
        pagination={{ defaultPageSize: 20, showSizeChanger: true, showTotal: (total) => t(estimated ? 'common.totalEstimated' : 'common.total', { total }) }}
        search={{ labelWidth: 'auto', defaultCollapsed: false }}
        options={{ reload: true, density: false, setting: false }}
        scroll={{ x: 1500 }}
        onRow={(c) => ({ onClick: () => navigate(`/customers/${c.id}`), style: { cursor: 'pointer' } })}
        toolBarRender={() => [
          <SavedFilters
            key="filters"
            current={() => form.current?.getFieldsValue() ?? {}}
            apply={(filter) => {
              form.current?.resetFields();
              form.current?.setFieldsValue(filter);
              form.current?.submit();
            }}
          />,
          can('customers.export') && (
            <Dropdown key="export" menu={{ items: exportItems, onClick: ({ key }) => exportList(key) }}>
              <Button icon={<DownloadOutlined />} {...tid('customers-export')}>
                {t('customers.export')}
              </Button>
            </Dropdown>
          ),
          can('customers.edit') && archive === 'in_network' && (
            <Button key="create" type="primary" icon={<PlusOutlined />} onClick={() => creator.open()} {...tid('customer-create')}>
              {t('customers.create')}
            </Button>
          ),
        ]}
      />
      <CreateCustomerForm editor={creator} onCreated={() => table.current?.reload()} />
    </PageContainer>
  );
}
