import { PageContainer, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { Segmented, Space, Tag, Typography } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, callList } from '../../../api/client';
import { useSession } from '../../../app/session';
import { tid } from '../../../components/EntityModalForm';
import { formatDateTime } from '../../../components/format';
import { createTool, listTableProps, valueEnumOf } from '../../../components/listTable';
import { usePagedRequest } from '../../../components/pagedRequest';
import { localName, useI18n } from '../../../i18n';
import { REQUEST_STATUSES, REQUEST_TYPES, SLA_STATES, SlaTag, StatusTag, typeName, type ServiceRequest } from './common';

type View = 'mine' | 'unit' | 'all';

/** 工单: my requests, my unit's (handled, raised or of its customers), or all I may see; open ones by default, the nearest deadline first. */
export function RequestListPage() {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const navigate = useNavigate();
  const table = useRef<ActionType>(null);
  // a head opens on the unit's requests; an agent or a manager on all they serve (an outlet raises few itself)
  const [view, setView] = useState<View>(() => (can('services.manage') ? 'unit' : 'all'));

  const load = useCallback(
    async (query: Record<string, unknown> & { offset: number; limit: number }) => {
      const str = (k: string) => (typeof query[k] === 'string' && query[k] ? (query[k] as string) : undefined);
      return callList(
        api.GET('/api/services/requests', {
          params: {
            query: {
              offset: query.offset,
              limit: query.limit,
              view,
              open: (str('open') ?? 'true') as 'true' | 'false',
              status: str('status') as ServiceRequest['status'] | undefined,
              type: str('type') as ServiceRequest['type'] | undefined,
              slaState: str('slaState') as ServiceRequest['slaState'] | undefined,
              q: str('requestNo'),
              sort: (str('sort') ?? 'due') as 'due' | 'created',
            },
          },
        }),
      );
    },
    [view],
  );
  const request = usePagedRequest<ServiceRequest>(load);

  const columns: ProColumns<ServiceRequest>[] = [
    {
      title: t('requests.requestNo'),
      dataIndex: 'requestNo',
      width: 190,
      fieldProps: tid('requests-search-no'),
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <Link to={`/services/requests/${r.id}`} {...tid(`request-link-${r.id}`)}>
            {r.requestNo}
          </Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {formatDateTime(r.createdAt)}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('requests.type'),
      dataIndex: 'type',
      width: 100,
      valueType: 'select',
      valueEnum: valueEnumOf(REQUEST_TYPES, (k) => typeName(t, k)),
      render: (_, r) => typeName(t, r.type),
    },
    {
      title: t('requests.title'),
      dataIndex: 'title',
      search: false,
      ellipsis: true,
      render: (_, r) => (
        <Space size={4}>
          {r.priority === 'urgent' && <Tag color="red">{t('requests.priority.urgent')}</Tag>}
          {r.crossRegion && <Tag color="purple">{t('requests.crossRegion')}</Tag>}
          <span>{r.title}</span>
        </Space>
      ),
    },
    { title: t('requests.customer'), dataIndex: 'customerName', search: false, width: 200, ellipsis: true, render: (_, r) => `${r.customerName}${r.customerLevel ? ` · ${t(`rules.level.${r.customerLevel}` as never)}` : ''}` },
    {
      title: t('requests.status'),
      dataIndex: 'status',
      width: 110,
      valueType: 'select',
      valueEnum: valueEnumOf(REQUEST_STATUSES, (k) => t(`requests.status.${k}`)),
      render: (_, r) => <StatusTag request={r} />,
    },
    {
      title: t('requests.slaState'),
      dataIndex: 'slaState',
      width: 150,
      valueType: 'select',
      valueEnum: valueEnumOf(SLA_STATES, (k) => t(`requests.sla.${k}`)),
      render: (_, r) => <SlaTag request={r} />,
    },
    { title: t('requests.owner'), dataIndex: 'ownerName', search: false, width: 100, render: (_, r) => r.ownerName ?? <Typography.Text type="secondary">{t('requests.unassigned')}</Typography.Text> },
    { title: t('requests.handlingUnit'), dataIndex: 'handlingUnitName', search: false, width: 160, ellipsis: true, render: (_, r) => localName(locale, { name: r.handlingUnitName, nameEn: r.handlingUnitNameEn }) },
    {
      title: t('requests.open'),
      dataIndex: 'open',
      hideInTable: true,
      valueType: 'select',
      initialValue: 'true',
      valueEnum: { true: { text: t('requests.openOnly') }, false: { text: `${t('requests.status.resolved')} / ${t('requests.status.closed')}` } },
    },
    {
      title: t('requests.sort'),
      dataIndex: 'sort',
      hideInTable: true,
      valueType: 'select',
      initialValue: 'due',
      fieldProps: { allowClear: false },
      valueEnum: { due: { text: t('requests.sortDue') }, created: { text: t('requests.sortCreated') } },
    },
  ];

  return (
    <PageContainer title={t('requests.listTitle')} content={t('requests.listIntro')} {...tid('requests-page')}>
      <ProTable<ServiceRequest>
        {...tid('requests-table')}
        rowKey="id"
        actionRef={table}
        columns={columns}
        request={request}
        params={{ view }}
        {...listTableProps(t, { showSizeChanger: true })}
        scroll={{ x: 1300 }}
        headerTitle={
          <Segmented<View>
            {...tid('requests-view')}
            value={view}
            onChange={setView}
            options={(['mine', 'unit', 'all'] as const).map((v) => ({ value: v, label: t(`requests.view.${v}`) }))}
          />
        }
        toolBarRender={createTool({ allowed: can('services.handle'), text: t('requests.create'), testId: 'requests-new', onClick: () => navigate('/services/desk') })}
      />
    </PageContainer>
  );
}
