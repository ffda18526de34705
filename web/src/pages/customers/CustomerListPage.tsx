import { DownloadOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { PageContainer, ProTable, type ActionType, type ProColumns, type ProFormInstance } from '@ant-design/pro-components';
import { App, Button, Dropdown, Tag } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, call, callList, download, downloadUrl, type CustomerSummary } from '../../api/client';
import type { paths } from '../../api/schema';
import { revalidate, useApi } from '../../api/swr';
import { useSession } from '../../app/session';
import { tid, useEditor } from '../../components/EntityModalForm';
import { formatDateTime } from '../../components/format';
import { createTool, listTableProps, valueEnumOf } from '../../components/listTable';
import { usePagedRequest } from '../../components/pagedRequest';
import { useAction } from '../../components/useSubmit';
import { UnitTreeSelect } from '../../components/units';
import { ManagerSelect } from '../../components/ManagerSelect';
import { localUnit, useI18n, type MessageKey } from '../../i18n';
import { BRANDS, INDUSTRIES, KINDS, codeEnum, codeLabel, type Archive } from './codes';
import { CreateCustomerForm } from './CustomerForm';
import { ExportJobs } from './ExportJobs';
import { SavedFilters, cleanFilter, formValues, type CustomerFilter } from './SavedFilters';

type Query = NonNullable<paths['/api/customers']['get']['parameters']['query']>;

/** 星级 and 集团分类, lowest first, and the default credit grades (DOMAIN.md §4), highest first. */
const LEVELS = ['unrated', '1', '2', '3', '4', '5s', '5g', '5d', 'C', 'B', 'A'] as const;
const CREDIT_GRADES = ['AAA', 'AA', 'A', 'B', 'C'] as const;
/** Exports of more rows than this run in the background (the server's EXPORT_DIRECT_MAX_ROWS by default). */
const DIRECT_EXPORT_MAX = 100_000;

/** What the list last answered: its filter (what an export writes), its total and how sure it is. */
interface Shown {
  filter: CustomerFilter & { archive: Archive };
  total: number;
  estimated: boolean;
  more: boolean;
}

/** 在网档案库 / 保留档案库: one page component, the archive fixed by the route. */
export function CustomerListPage({ archive }: { archive: Archive }) {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const act = useAction();
  const navigate = useNavigate();
  const table = useRef<ActionType>(null);
  const form = useRef<ProFormInstance | undefined>(undefined);
  const creator = useEditor<void>();
  const [jobsOpen, setJobsOpen] = useState(false);

  const [shown, setShown] = useState<Shown | null>(null);
  const load = useCallback(
    async ({ offset, limit, sort, order, ...values }: Record<string, unknown> & { offset: number; limit: number }) => {
      const filter = { ...cleanFilter(values), archive };
      const page = await callList(api.GET('/api/customers', { params: { query: { ...filter, offset, limit, sort, order } as Query } }));
      setShown({ filter, total: page.total, estimated: page.estimated, more: page.more });
      return page;
    },
    [archive],
  );
  const request = usePagedRequest<CustomerSummary>(load);
  // a search with more matches than it lists: their number, counted in the background
  const counted = useApi('/api/customers/count', shown?.more ? { query: shown.filter } : null);

  const levelLabel = (level: string | null) => (level ? t(`rules.level.${level}` as MessageKey) : '-');
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
      width: 150,
      render: (_, c) => <Tag color={c.kind === 'group' ? 'blue' : 'purple'}>{codeLabel(t, 'kind', c.kind)}</Tag>,
    },
    {
      title: t('rules.level'),
      dataIndex: 'level',
      valueType: 'select',
      valueEnum: valueEnumOf(LEVELS, levelLabel),
      fieldProps: { mode: 'multiple', ...tid('customers-search-level') },
      formItemProps: { tooltip: t('customers.standingHint') },
      sorter: true,
      width: 110,
      render: (_, c) => levelLabel(c.level),
    },
    {
      title: t('customers.creditGrade'),
      dataIndex: 'creditGrade',
      valueType: 'select',
      valueEnum: valueEnumOf(CREDIT_GRADES, (g) => g),
      fieldProps: { mode: 'multiple', ...tid('customers-search-credit') },
      sorter: true,
      width: 100,
      render: (_, c) => c.creditGrade ?? '-',
    },
    { title: t('customers.points'), dataIndex: 'points', search: false, sorter: true, width: 100, align: 'right', render: (_, c) => c.points?.toLocaleString() ?? '-' },
    { title: t('customers.pointsMin'), dataIndex: 'pointsMin', valueType: 'digit', hideInTable: true, fieldProps: { min: 0, precision: 0, ...tid('customers-search-points') } },
    { title: t('customers.arrears'), dataIndex: 'arrears', search: false, sorter: true, width: 110, align: 'right', render: (_, c) => c.arrears ?? '-' },
    {
      title: t('customers.arrearsFilter'),
      dataIndex: 'arrears',
      key: 'arrearsFilter',
      hideInTable: true,
      valueType: 'select',
      valueEnum: { yes: { text: t('customers.arrearsFilter.yes') }, no: { text: t('customers.arrearsFilter.no') } },
      fieldProps: tid('customers-search-arrears'),
    },
    {
      title: t('customers.region'),
      dataIndex: 'unitId',
      render: (_, c) => localUnit(locale, c),
      renderFormItem: () => <UnitTreeSelect forCustomers {...tid('customers-search-unit')} />,
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

  const totalText = (total: number) => {
    if (shown?.more) return counted.data ? t('customers.totalMore', { shown: total, total: counted.data.total.toLocaleString() }) : t('customers.totalMoreCounting', { shown: total });
    return t(shown?.estimated ? 'common.totalEstimated' : 'common.total', { total: total.toLocaleString() });
  };

  // 导出: the list as last shown (masked unless the PII variant is chosen, which needs its own permission); more rows
  // than a download takes at once run in the background, followed in 导出任务
  const exportItems = [
    { key: 'xlsx', label: <span {...tid('customers-export-xlsx')}>{t('customers.export.xlsx')}</span> },
    { key: 'csv', label: <span {...tid('customers-export-csv')}>{t('customers.export.csv')}</span> },
    ...(can('customers.export_pii') ? [{ key: 'xlsx-pii', label: <span {...tid('customers-export-pii')}>{t('customers.export.pii')}</span> }] : []),
  ];
  const exportList = (key: string) => {
    const [format, pii] = key.split('-') as ['xlsx' | 'csv', string | undefined];
    const filter = shown?.filter ?? { archive };
    const rows = shown?.more ? counted.data?.total : shown?.estimated ? undefined : shown?.total;
    if (rows !== undefined && rows <= DIRECT_EXPORT_MAX) {
      download(downloadUrl('/api/customers/export', { ...filter, format, pii: pii ? 'true' : undefined }));
      return;
    }
    void act(
      async () => {
        await call(api.POST('/api/customers/exports', { body: { filter, format, pii: !!pii } }));
        await revalidate('/api/customers/exports');
        setJobsOpen(true);
      },
      { success: t('customers.export.started') },
    );
    if (rows !== undefined) message.info(t('customers.export.backgroundHint', { total: rows.toLocaleString(), limit: DIRECT_EXPORT_MAX.toLocaleString() }));
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
        {...listTableProps(t, { showSizeChanger: true, showTotal: totalText })}
        // the filters are this list's way in: shown expanded
        search={{ labelWidth: 'auto', defaultCollapsed: false }}
        scroll={{ x: 1900 }}
        onRow={(c) => ({ onClick: () => navigate(`/customers/${c.id}`), style: { cursor: 'pointer' } })}
        toolBarRender={() => [
          <SavedFilters
            key="filters"
            current={() => form.current?.getFieldsValue() ?? {}}
            apply={(filter) => {
              form.current?.resetFields();
              form.current?.setFieldsValue(formValues(filter));
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
          can('customers.export') && (
            <Button key="jobs" icon={<UnorderedListOutlined />} onClick={() => setJobsOpen(true)} {...tid('customers-export-jobs')}>
              {t('customers.export.jobs')}
            </Button>
          ),
          ...createTool({ text: t('customers.create'), testId: 'customer-create', onClick: () => creator.open(), allowed: can('customers.edit') && archive === 'in_network' })(),
        ]}
      />
      <CreateCustomerForm editor={creator} onCreated={() => table.current?.reload()} />
      <ExportJobs open={jobsOpen} onClose={() => setJobsOpen(false)} />
    </PageContainer>
  );
}
