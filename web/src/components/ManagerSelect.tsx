import { Select, type SelectProps } from 'antd';
import { api, call } from '../api/client';
import { useI18n } from '../i18n';
import { useRemote } from './useRemote';

type Manager = { id: number; displayName: string; unitName: string };
const NONE: Manager[] = [];

/**
 * Picks an account manager of the reader's scope (GET /api/customers/managers, needs only
 * customers.read); typing filters by name or unit. `current` names the selected manager up front.
 */
export function ManagerSelect({ current, ...props }: SelectProps<number> & { current?: { id: number; name: string | null } | null; 'data-testid'?: string }) {
  const { t } = useI18n();
  const { data, loading } = useRemote(() => call(api.GET('/api/customers/managers')), NONE);
  const options = data.map((m) => ({ value: m.id, label: `${m.displayName}（${m.unitName}）` }));
  if (current?.name && !options.some((o) => o.value === current.id)) options.unshift({ value: current.id, label: current.name });
  return (
    <Select<number>
      showSearch
      allowClear
      optionFilterProp="label"
      loading={loading}
      placeholder={t('users.searchPlaceholder')}
      notFoundContent={loading ? undefined : t('common.none')}
      options={options}
      style={{ minWidth: 200 }}
      {...props}
    />
  );
}
