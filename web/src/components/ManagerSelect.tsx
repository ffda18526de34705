import { Select, type SelectProps } from 'antd';
import { useApi } from '../api/swr';
import { localUnit, useI18n } from '../i18n';

/**
 * Picks an account manager of the reader's scope (GET /api/customers/managers, needs only
 * customers.read); typing filters by name or unit. `current` names the selected manager up front.
 */
export function ManagerSelect({ current, ...props }: SelectProps<number> & { current?: { id: number; name: string | null } | null; 'data-testid'?: string }) {
  const { t, locale } = useI18n();
  const { data = [], isLoading } = useApi('/api/customers/managers', {});
  const options = data.map((m) => ({ value: m.id, label: t('common.nameInUnit', { name: m.displayName, unit: localUnit(locale, m) }) }));
  if (current?.name && !options.some((o) => o.value === current.id)) options.unshift({ value: current.id, label: current.name });
  return (
    <Select<number>
      showSearch
      allowClear
      optionFilterProp="label"
      loading={isLoading}
      placeholder={t('users.searchPlaceholder')}
      notFoundContent={isLoading ? undefined : t('common.none')}
      options={options}
      style={{ minWidth: 200 }}
      {...props}
    />
  );
}
