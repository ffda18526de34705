import { Drawer, Table } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useApiList } from '../../../api/swr';
import { tid } from '../../../components/EntityModalForm';
import { localUnit, useI18n, type MessageKey } from '../../../i18n';

/** Which figure was clicked: the panel and the keys of its row (plus the indicator), as the drill route takes them. */
export interface DrillTarget {
  dashboard: string;
  panel: string;
  title: string;
  query: Record<string, string | number | undefined>;
  /** What `before` / `after` mean on this panel, when they mean something. */
  figures?: { before?: MessageKey; after?: MessageKey };
}

/** 钻取: the customers behind a figure, a page at a time, each opening the customer's profile. */
export function DrillDrawer({ target, onClose }: { target: DrillTarget | null; onClose: () => void }) {
  const { t, locale } = useI18n();
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const { data, isLoading } = useApiList(
    '/api/analysis/dashboards/{id}/panels/{panel}/customers',
    target ? { path: { id: target.dashboard, panel: target.panel }, query: { ...target.query, offset: (page.current - 1) * page.pageSize, limit: page.pageSize } as never } : null,
  );
  const money = (v: number | null) => (v === null ? '-' : v.toLocaleString(undefined, { maximumFractionDigits: 2 }));
  return (
    <Drawer open={!!target} onClose={onClose} width={900} title={target ? t('dash.drillTitle', { what: target.title }) : ''} destroyOnHidden {...tid('drill-drawer')}>
      <Table
        {...tid('drill-table')}
        data-total={data?.total}
        size="small"
        rowKey="id"
        loading={isLoading}
        dataSource={data?.items ?? []}
        pagination={{ ...page, total: data?.total ?? 0, showSizeChanger: true, onChange: (current, pageSize) => setPage({ current, pageSize }) }}
        columns={[
          { title: t('dash.col.customerNo'), dataIndex: 'customerNo', render: (no: string, c) => <Link to={`/customers/${c.id}`}>{no}</Link> },
          { title: t('dash.col.name'), dataIndex: 'name', render: (name: string, c) => <Link to={`/customers/${c.id}`}>{name}</Link> },
          { title: t('dash.col.unit'), dataIndex: 'unitName', render: (_: string, c) => localUnit(locale, c) },
          { title: t('dash.col.manager'), dataIndex: 'managerName', render: (v: string | null) => v ?? '-' },
          { title: t('dash.col.level'), dataIndex: 'level', render: (v: string | null) => (v ? t(`rules.level.${v}` as MessageKey) : '-') },
          ...(target?.figures?.before ? [{ title: t(target.figures.before), dataIndex: 'before', align: 'right' as const, render: money }] : []),
          ...(target?.figures?.after ? [{ title: t(target.figures.after), dataIndex: 'after', align: 'right' as const, render: money }] : []),
        ]}
      />
    </Drawer>
  );
}
