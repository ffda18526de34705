import { PageContainer, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { Space, Typography } from 'antd';
import { useCallback, useMemo, useRef } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { api, callList } from '../../../api/client';
import { useSession } from '../../../app/session';
import { tid, useEditor } from '../../../components/EntityModalForm';
import { formatDateTime, formatMoney } from '../../../components/format';
import { createTool, listTableProps, valueEnumOf } from '../../../components/listTable';
import { ManagerSelect } from '../../../components/ManagerSelect';
import { usePagedRequest } from '../../../components/pagedRequest';
import { UnitTreeSelect } from '../../../components/units';
import { localUnit, useI18n } from '../../../i18n';
import { KINDS, kindName, STATUSES, statusName, StatusTag, type Solution, type SolutionKind, type SolutionStatus } from './common';
import { SolutionDrawer } from './SolutionDrawer';

/** The filters a link brings (the pipeline's figures): `?status=signed&unitId=12`. */
function useLinkedFilters() {
  const { search } = useLocation();
  return useMemo(() => {
    const params = new URLSearchParams(search);
    const numberOf = (k: string) => (params.get(k) && Number.isSafeInteger(Number(params.get(k))) ? Number(params.get(k)) : undefined);
    return {
      key: search,
      status: (STATUSES as string[]).includes(params.get('status') ?? '') ? (params.get('status') as SolutionStatus) : undefined,
      kind: (KINDS as string[]).includes(params.get('kind') ?? '') ? (params.get('kind') as SolutionKind) : undefined,
      unitId: numberOf('unitId'),
      ownerId: numberOf('ownerId'),
      customerId: numberOf('customerId'),
    };
  }, [search]);
}

/** 解决方案: the solutions of the customers in scope, filtered by status, kind, unit, owner or a text; the editor in a drawer. */
export function SolutionListPage() {
  const linked = useLinkedFilters();
  // a new link starts the table afresh with its filters
  return <SolutionTable key={linked.key} linked={linked} />;
}

function SolutionTable({ linked }: { linked: ReturnType<typeof useLinkedFilters> }) {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const table = useRef<ActionType>(null);
  const drawer = useEditor<number>();

  const load = useCallback(
    async (query: Record<string, unknown> & { offset: number; limit: number }) => {
      const num = (k: string) => (query[k] === undefined || query[k] === null || query[k] === '' ? undefined : Number(query[k]));
      const str = <T extends string>(k: string) => (typeof query[k] === 'string' && query[k] ? (query[k] as T) : undefined);
      return callList(
        api.GET('/api/solutions', {
          params: {
            query: {
              offset: query.offset,
              limit: query.limit,
              status: str<SolutionStatus>('status'),
              kind: str<SolutionKind>('kind'),
              unitId: num('unitId'),
              ownerId: num('ownerId'),
              customerId: linked.customerId,
              q: str('q'),
            },
          },
        }),
      );
    },
    [linked.customerId],
  );
  const request = usePagedRequest<Solution>(load);

  const columns: ProColumns<Solution>[] = [
    { title: t('solutions.keyword'), dataIndex: 'q', hideInTable: true, fieldProps: tid('solutions-search-q') },
    {
      title: t('solutions.titleField'),
      dataIndex: 'title',
      search: false,
      render: (_, s) => (
        <Typography.Link onClick={() => drawer.open(s.id)} {...tid(`solution-open-${s.id}`)}>
          {s.title}
        </Typography.Link>
      ),
    },
    {
      title: t('solutions.customer'),
      dataIndex: 'customerName',
      search: false,
      render: (_, s) => (
        <Space direction="vertical" size={0}>
          <Link to={`/customers/${s.customerId}`}>{s.customerName}</Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {s.customerNo} · {localUnit(locale, s)}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('solutions.kind'),
      dataIndex: 'kind',
      width: 130,
      valueType: 'select',
      initialValue: linked.kind,
      valueEnum: valueEnumOf(KINDS, (k) => kindName(t, k)),
      fieldProps: tid('solutions-search-kind'),
      render: (_, s) => kindName(t, s.kind),
    },
    {
      title: t('common.status'),
      dataIndex: 'status',
      width: 110,
      valueType: 'select',
      initialValue: linked.status,
      valueEnum: valueEnumOf(STATUSES, (s) => statusName(t, s)),
      fieldProps: tid('solutions-search-status'),
      render: (_, s) => <StatusTag status={s.status} id={s.id} />,
    },
    {
      title: t('solutions.revenue'),
      dataIndex: 'expectedMonthlyRevenue',
      search: false,
      width: 160,
      align: 'right',
      render: (_, s) => <span {...tid(`solution-revenue-${s.id}`)}>{formatMoney(s.expectedMonthlyRevenue)}</span>,
    },
    {
      title: t('solutions.owner'),
      dataIndex: 'ownerId',
      width: 120,
      initialValue: linked.ownerId,
      renderFormItem: () => <ManagerSelect data-testid="solutions-search-owner" />,
      render: (_, s) => s.ownerName ?? s.owner ?? '-',
    },
    {
      title: t('solutions.unit'),
      dataIndex: 'unitId',
      hideInTable: true,
      initialValue: linked.unitId,
      renderFormItem: () => <UnitTreeSelect forCustomers data-testid="solutions-search-unit" />,
    },
    { title: t('solutions.updatedAt'), dataIndex: 'updatedAt', search: false, width: 170, render: (_, s) => formatDateTime(s.updatedAt) },
  ];

  return (
    <PageContainer title={t('solutions.list.title')} content={t('solutions.list.intro')} {...tid('solutions-list-page')}>
      <ProTable<Solution>
        {...tid('solutions-table')}
        rowKey="id"
        actionRef={table}
        columns={columns}
        request={request}
        {...listTableProps(t)}
        scroll={{ x: 1000 }}
        toolBarRender={createTool({ allowed: can('solutions.edit'), text: t('solutions.create'), testId: 'solution-create', onClick: () => drawer.open() })}
      />
      {drawer.isOpen && <SolutionDrawer solutionId={drawer.record} onClose={drawer.close} onChanged={() => table.current?.reload()} />}
    </PageContainer>
  );
}
