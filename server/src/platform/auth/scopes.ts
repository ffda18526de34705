import type { Permission } from './permissions.js';

/**
 * The OAuth 2.0 scopes a machine client can hold (platform/auth/clients). A route of access 'machine' names the
 * one it needs (`config.machine.scope`); a client's token carries a subset of its client's scopes.
 */
export const SCOPES = {
  'tmf629.read': { 'zh-CN': '读取客户（TMF629 客户管理）', 'en-US': 'Read customers (TMF629 Customer Management)' },
  'tmf629.write': { 'zh-CN': '创建与修改客户、指定客户经理（TMF629 客户管理）', 'en-US': 'Create and change customers, name their account managers (TMF629 Customer Management)' },
  'tmf632.read': { 'zh-CN': '读取参与方（TMF632 参与方管理）', 'en-US': 'Read parties (TMF632 Party Management)' },
  'tmf621.read': { 'zh-CN': '读取服务工单（TMF621 故障单）', 'en-US': 'Read service requests (TMF621 Trouble Ticket)' },
  'tmf621.write': { 'zh-CN': '创建与更新服务工单（TMF621 故障单）', 'en-US': 'Create and update service requests (TMF621 Trouble Ticket)' },
  'tmf658.read': { 'zh-CN': '读取积分账户与交易（TMF658 忠诚度管理）', 'en-US': 'Read points accounts and transactions (TMF658 Loyalty Management)' },
  pii: { 'zh-CN': '查看完整个人信息（否则脱敏）', 'en-US': 'Personal data in clear (masked otherwise)' },
  partner: { 'zh-CN': '跨行业合作伙伴接口', 'en-US': 'The cross-industry partner API' },
  'boss.billing': { 'zh-CN': 'BOSS 账单数据批量上送', 'en-US': 'BOSS billing batches' },
} as const;

export type Scope = keyof typeof SCOPES;

export const ALL_SCOPES = Object.keys(SCOPES) as Scope[];

export const isScope = (s: string): s is Scope => Object.hasOwn(SCOPES, s);

/**
 * What a client may do with each scope, in one place: its actor holds the union of its scopes' permissions. A
 * client has no portfolio of its own, so reading customers always comes with `customers.read_unit` (the whole of
 * its unit's subtree, as a user of that unit with it). `pii` and `partner` grant no permission: the first lifts the
 * masking of personal data (`caller.pii`), the second opens the partner API as the client's partner.
 */
export const SCOPE_PERMISSIONS: Record<Scope, readonly Permission[]> = {
  'tmf629.read': ['customers.read', 'customers.read_unit'],
  // the operator's CRM creates key accounts with their account manager (relatedParty) as a person does with both permissions
  'tmf629.write': ['customers.read', 'customers.read_unit', 'customers.edit', 'customers.assign'],
  'tmf632.read': ['customers.read', 'customers.read_unit'],
  'tmf621.read': ['services.read'],
  'tmf621.write': ['services.read', 'services.handle'],
  'tmf658.read': ['customers.read', 'customers.read_unit'],
  pii: [],
  partner: [],
  'boss.billing': ['customers.import'],
};

/** The permissions of a client holding `scopes`. */
export const permissionsOfScopes = (scopes: Iterable<string>): Set<Permission> =>
  new Set([...scopes].flatMap((s) => (isScope(s) ? SCOPE_PERMISSIONS[s] : [])));
