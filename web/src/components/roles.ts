import type { Permission, Role } from '../api/client';
import { useApi } from '../api/swr';
import { useSession } from '../app/session';
import { localName, useI18n } from '../i18n';

const NO_ROLES: Role[] = [];
const NO_PERMISSIONS: Permission[] = [];

/** Roles (needs roles.read) with their labels in the current language. */
export function useRoles() {
  const { can } = useSession();
  const { locale } = useI18n();
  const { data = NO_ROLES, isLoading } = useApi('/api/roles', can('roles.read') ? {} : null);
  const label = (role: Role) => localName(locale, role);
  const options = data.map((r) => ({ value: r.id, label: label(r) }));
  return { roles: data, loading: isLoading, label, options };
}

/** The permission catalogue (needs roles.read) with labels in the current language. */
export function usePermissions() {
  const { can } = useSession();
  const { locale } = useI18n();
  const { data = NO_PERMISSIONS } = useApi('/api/permissions', can('roles.read') ? {} : null);
  const byCode = new Map(data.map((p) => [p.code, p]));
  const label = (code: string) => {
    const p = byCode.get(code);
    return p ? localName(locale, p) : code;
  };
  return { permissions: data, label };
}
