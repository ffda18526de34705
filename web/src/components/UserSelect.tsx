import { Select, type SelectProps } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { api, callList, type User } from '../api/client';
import { useSession } from '../app/session';
import { useI18n } from '../i18n';

type Option = { value: number; label: string };

const label = (u: User) => `${u.displayName}（${u.username} · ${u.unitName}）`;

/**
 * Picks an active user of the reader's scope by typing a fragment of the name (server search,
 * account managers first). Needs users.read; `current` names the selected user before any search.
 */
export function UserSelect({ current, ...props }: SelectProps<number> & { current?: { id: number; name: string | null } | null; 'data-testid'?: string }) {
  const { t } = useI18n();
  const { can } = useSession();
  const allowed = can('users.read');
  const [options, setOptions] = useState<Option[]>([]);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);

  const search = async (q: string) => {
    if (!allowed) return;
    const mine = ++seq.current;
    setLoading(true);
    try {
      const { items } = await callList(api.GET('/api/users', { params: { query: { q: q || undefined, active: 'true', limit: 50 } } }));
      if (mine !== seq.current) return;
      const managersFirst = [...items].sort((a, b) => Number(b.roleCodes.includes('account_manager')) - Number(a.roleCodes.includes('account_manager')));
      setOptions(managersFirst.map((u) => ({ value: u.id, label: label(u) })));
    } catch {
      if (mine === seq.current) setOptions([]);
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  };

  useEffect(() => {
    void search('');
  }, [allowed]);

  const withCurrent =
    current && current.name && !options.some((o) => o.value === current.id) ? [{ value: current.id, label: current.name }, ...options] : options;

  return (
    <Select<number>
      showSearch
      allowClear
      filterOption={false}
      loading={loading}
      placeholder={t('users.searchPlaceholder')}
      notFoundContent={loading ? undefined : t('common.none')}
      onSearch={(q) => void search(q)}
      options={withCurrent}
      style={{ minWidth: 200 }}
      {...props}
    />
  );
}
