import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import { Typography } from 'antd';
import { useCallback } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, callList } from '../../../api/client';
import { useSession } from '../../../app/session';
import { tid, useEditor } from '../../../components/EntityModalForm';
import { createTool, listTableProps, valueEnumOf } from '../../../components/listTable';
import { usePagedRequest } from '../../../components/pagedRequest';
import { localName, useI18n } from '../../../i18n';
import { KINDS, kindName, STATUSES, statusName, StatusTag, windowText, type Outage, type OutageKind, type OutageStatus } from './common';
import { NoticeEditor } from './NoticeEditor';

/** 割接/停机通知: the notices of the reader's areas and those touching their customers, by status, kind and window. */
export function NoticeListPage() {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const navigate = useNavigate();
  const editor = useEditor<void>();

  const load = useCallback(async (query: Record<string, unknown> & { offset: number; limit: number }) => {
    const str = <T extends string>(k: string) => (typeof query[k] === 'string' && query[k] ? (query[k] as T) : undefined);
    return callList(
      api.GET('/api/outages', {
        params: { query: { offset: query.offset, limit: query.limit, status: str<OutageStatus>('status'), kind: str<OutageKind>('kind'), upcoming: str<'true' | 'false'>('upcoming'), q: str('q') } },
      }),
    );
  }, []);
  const request = usePagedRequest<Outage>(load);

  const columns: ProColumns<Outage>[] = [
    { title: t('notices.keyword'), dataIndex: 'q', hideInTable: true, fieldProps: tid('notices-search-q') },
    {
      title: t('notices.titleField'),
      dataIndex: 'title',
      search: false,
      ellipsis: true,
      render: (_, o) => (
        <Link to={`/services/notices/${o.id}`} {...tid(`notice-open-${o.id}`)}>
          {o.title}
        </Link>
      ),
    },
    {
      title: t('notices.kind'),
      dataIndex: 'kind',
      width: 110,
      valueType: 'select',
      valueEnum: valueEnumOf(KINDS, (k) => kindName(t, k)),
      fieldProps: tid('notices-search-kind'),
      render: (_, o) => kindName(t, o.kind),
    },
    { title: t('notices.area'), dataIndex: 'areaUnitName', search: false, width: 150, render: (_, o) => localName(locale, { name: o.areaUnitName, nameEn: o.areaUnitNameEn }) },
    { title: t('notices.window'), dataIndex: 'startsAt', search: false, width: 260, render: (_, o) => windowText(t, o) },
    {
      title: t('notices.upcoming'),
      dataIndex: 'upcoming',
      hideInTable: true,
      valueType: 'select',
      valueEnum: { true: { text: t('notices.upcoming.true') }, false: { text: t('notices.upcoming.false') } },
      fieldProps: tid('notices-search-upcoming'),
    },
    {
      title: t('common.status'),
      dataIndex: 'status',
      width: 100,
      valueType: 'select',
      valueEnum: valueEnumOf(STATUSES, (s) => statusName(t, s)),
      fieldProps: tid('notices-search-status'),
      render: (_, o) => <StatusTag outage={o} />,
    },
    {
      title: t('notices.affected'),
      dataIndex: 'affectedCount',
      search: false,
      width: 120,
      align: 'right',
      render: (_, o) => (o.affectedCount === null ? <Typography.Text type="secondary">{t('notices.notYetCounted')}</Typography.Text> : t('notices.affectedN', { n: o.affectedCount })),
    },
    { title: t('notices.createdBy'), dataIndex: 'createdByName', search: false, width: 100, render: (_, o) => o.createdByName ?? '-' },
  ];

  return (
    <PageContainer title={t('notices.list.title')} content={t('notices.list.intro')} {...tid('notices-page')}>
      <ProTable<Outage>
        {...tid('notices-table')}
        rowKey="id"
        columns={columns}
        request={request}
        {...listTableProps(t)}
        scroll={{ x: 1100 }}
        toolBarRender={createTool({ text: t('notices.create'), testId: 'notice-create', onClick: () => editor.open(), allowed: can('notices.manage') })}
      />
      {editor.isOpen && <NoticeEditor onClose={editor.close} onSaved={(o) => navigate(`/services/notices/${o.id}`)} />}
    </PageContainer>
  );
}
