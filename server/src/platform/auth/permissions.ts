/**
 * The named permissions. A role is a set of these; every route declares one (or `public` /
 * `authenticated`). Later modules add theirs here so that the catalogue stays in one place.
 */
export const PERMISSIONS = {
  'org.read': { 'zh-CN': '查看组织结构', 'en-US': 'View the organisation' },
  'org.manage': { 'zh-CN': '管理组织结构', 'en-US': 'Manage the organisation' },
  'users.read': { 'zh-CN': '查看用户', 'en-US': 'View users' },
  'users.manage': { 'zh-CN': '管理用户', 'en-US': 'Manage users' },
  'roles.read': { 'zh-CN': '查看角色', 'en-US': 'View roles' },
  'roles.manage': { 'zh-CN': '管理角色与权限', 'en-US': 'Manage roles and permissions' },
  'audit.read': { 'zh-CN': '查看审计日志', 'en-US': 'Read the audit trail' },
  'system.monitor': { 'zh-CN': '系统监控', 'en-US': 'Monitor the system' },
} as const;

export type Permission = keyof typeof PERMISSIONS;
/** What a route declares: a named permission, any signed-in user, or nobody needs to sign in. */
export type RouteAccess = Permission | 'authenticated' | 'public';

export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(p: string): p is Permission {
  return Object.hasOwn(PERMISSIONS, p);
}
