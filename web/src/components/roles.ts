import { api, call, type Permission, type Role } from '../api/client';
import { useSession } from '../app/session';
import { localName, useI18n } from '../i18n';
import { useRemote } from './useRemote';

const NO_ROLES: Role[] = [];
const NO_PERMISSIONS: Permission[] = [];

/** Roles (needs roles.read) with their labels in the current language. */
export function useRoles() {
  const { can } = useSession();
  const { locale } = useI18n();
  const remote = useRemote(() => call(api.GET('/api/roles')), NO_ROLES, can('roles.read'));
  const label = (role: Role) => localName(locale, role);
  const options = remote.data.map((r) => ({ value: r.id, label: label(r) }));
  return { ...remote, roles: remote.data, label, options };
}

/** The permission catalogue with labels in the current language. */
export function usePermissions() {
  const { locale } = useI18n();
  const remote = useRemote(() => call(api.GET('/api/permissions')), NO_PERMISSIONS);
  const byCode = new Map(remote.data.map((p) => [p.code, p]));
  const label = (code: string) => {
    const p = byCode.get(code);
    return p ? (locale === 'en-US' ? p.nameEn : p.name) : code;
  };
  return { ...remote, permissions: remote.data, label };
}
