import { Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { api, callList, type CustomerSummary } from '../../../api/client';
import { useI18n } from '../../../i18n';

export type CustomerRef = Pick<CustomerSummary, 'id' | 'name' | 'customerNo' | 'kind'>;

/** Finds an in-network customer of the reader's scope by name or number (the first 20 matches as one types). */
export function CustomerSelect({ value, onChange, testId }: { value?: number; onChange?: (id: number, customer: CustomerRef) => void; testId?: string }) {
  const { t } = useI18n();
  const [found, setFound] = useState<CustomerRef[]>([]);
  const [loading, setLoading] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const search = (q: string) => {
    clearTimeout(timer.current);
    if (q.trim().length < 2) return;
    timer.current = setTimeout(() => {
      setLoading(true);
      callList(api.GET('/api/customers', { params: { query: { q: q.trim(), archive: 'in_network', limit: 20 } } }))
        .then((page) => setFound(page.items))
        .catch(() => setFound([]))
        .finally(() => setLoading(false));
    }, 300);
  };

  return (
    <Select<number>
      showSearch
      value={value}
      filterOption={false}
      onSearch={search}
      loading={loading}
      placeholder={t('solutions.customerSearch')}
      notFoundContent={null}
      options={found.map((c) => ({ value: c.id, label: `${c.name}（${c.customerNo}）` }))}
      onChange={(id) => onChange?.(id, found.find((c) => c.id === id)!)}
      data-testid={testId}
    />
  );
}
