import { Select } from 'antd';
import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { api, callList, type CustomerSummary } from '../api/client';

/** What the pickers of other areas need of the customer picked. */
export type CustomerRef = Pick<CustomerSummary, 'id' | 'name' | 'customerNo' | 'kind' | 'contactPhone'>;

/**
 * Finds an in-network key account of the reader's scope by name, customer number or phone number as one types
 * (the first 20 matches of GET /api/customers?q=, asked 300 ms after the last key).
 */
export function CustomerSelect({ value, onChange, placeholder, testId, style, allowClear }: { value?: number; onChange?: (id: number, customer: CustomerRef) => void; placeholder: string; testId?: string; style?: CSSProperties; allowClear?: boolean }) {
  const [found, setFound] = useState<CustomerRef[]>([]);
  const [loading, setLoading] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const search = (text: string) => {
    clearTimeout(timer.current);
    const q = text.trim();
    if (q.length < 2) return;
    timer.current = setTimeout(() => {
      setLoading(true);
      callList(api.GET('/api/customers', { params: { query: { q, archive: 'in_network', limit: 20 } } }))
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
      placeholder={placeholder}
      notFoundContent={null}
      options={found.map((c) => ({ value: c.id, label: [c.name, c.customerNo, c.contactPhone].filter(Boolean).join(' · ') }))}
      onChange={(id) => onChange?.(id, found.find((c) => c.id === id)!)}
      data-testid={testId}
      style={style}
      allowClear={allowClear}
    />
  );
}
