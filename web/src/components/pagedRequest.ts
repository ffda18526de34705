import { App, type TablePaginationConfig } from 'antd';
import { useCallback, useState } from 'react';
import { useI18n } from '../i18n';
import { reportError } from './useSubmit';

export interface PageParams {
  current?: number;
  pageSize?: number;
  [key: string]: unknown;
}

/** ProTable's column sorter state: `{ name: 'ascend' }`. */
export type SortState = Record<string, 'ascend' | 'descend' | null | undefined>;

/**
 * Adapts a server list (offset/limit in, items + X-Total-Count out) to ProTable's `request`:
 * `load` receives the search form's values plus `offset` and `limit`, and `sort`/`order` when a
 * sortable column is sorted (the column's dataIndex is the server's sort key).
 */
export function usePagedRequest<T>(load: (query: Record<string, unknown> & { offset: number; limit: number }) => Promise<{ items: T[]; total: number }>) {
  const { message } = App.useApp();
  const { t } = useI18n();
  return useCallback(
    async ({ current = 1, pageSize = 20, ...filters }: PageParams, sort?: SortState) => {
      const query: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(filters)) if (v !== undefined && v !== null && v !== '') query[k] = v;
      const sorted = Object.entries(sort ?? {}).find(([, order]) => order);
      if (sorted) {
        query.sort = sorted[0];
        query.order = sorted[1] === 'descend' ? 'desc' : 'asc';
      }
      try {
        const { items, total } = await load({ ...query, offset: (current - 1) * pageSize, limit: pageSize });
        return { data: items, total, success: true };
      } catch (e) {
        reportError(e, { message, t });
        return { data: [] as T[], total: 0, success: false };
      }
    },
    [load, message, t],
  );
}

/** A plain Table's page as the server takes it (offset/limit), and the pagination that moves it. */
export function useOffsetPage(limit: number) {
  const { t } = useI18n();
  const [page, setPage] = useState({ offset: 0, limit });
  const pagination = (total: number): TablePaginationConfig => ({
    current: page.offset / page.limit + 1,
    pageSize: page.limit,
    total,
    showTotal: (n) => t('common.total', { total: n }),
    onChange: (current, pageSize) => setPage({ offset: (current - 1) * pageSize, limit: pageSize }),
  });
  return { page, setPage, pagination };
}
