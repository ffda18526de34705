import { ALL_PERMISSIONS, type Permission } from '../../platform/auth/permissions.js';

// Department heads manage the key-account base of their subtree.
const HEAD_CUSTOMERS: Permission[] = [
  'customers.read',
  'customers.read_unit',
  'customers.edit',
  'customers.lifecycle',
  'customers.assign',
  'customers.merge',
  'customers.reveal_pii',
  'customers.export',
  'customers.export_pii',
  'customers.import',
  'rules.read',
  'points.redeem',
  'points.adjust',
  'benefits.use',
  'discounts.request',
  'discounts.approve',
  'candidates.decide',
  'services.read',
  'services.handle',
  'services.manage',
  'appointments.book',
  'appointments.manage',
  'solutions.edit',
  'notices.read',
  'notices.manage',
  'notices.approve',
];

/** The built-in roles of DOMAIN.md. Their permission sets follow the code on every start (migrations may add permissions). */
export const BUILTIN_ROLES: { code: string; name: string; nameEn: string; permissions: readonly Permission[] }[] = [
  { code: 'sysadmin', name: '系统管理员', nameEn: 'System administrator', permissions: ALL_PERMISSIONS },
  {
    code: 'province_head',
    name: '省公司大客户部主管',
    nameEn: 'Province key-account head',
    permissions: ['org.read', 'users.read', 'roles.read', ...HEAD_CUSTOMERS, 'solutions.catalogue'],
  },
  {
    code: 'city_head',
    name: '地市大客户部主管',
    nameEn: 'City key-account head',
    permissions: ['org.read', 'users.read', 'roles.read', ...HEAD_CUSTOMERS],
  },
  {
    code: 'account_manager',
    name: '大客户经理',
    nameEn: 'Account manager',
    permissions: [
      'org.read',
      'customers.read',
      'customers.edit',
      'customers.reveal_pii',
      'customers.export',
      'rules.read',
      'points.redeem',
      'benefits.use',
      'discounts.request',
      'candidates.decide',
      'services.read',
      'services.handle',
      'appointments.book',
      'solutions.edit',
      'notices.read',
    ],
  },
  {
    code: 'analyst',
    name: '分析员',
    nameEn: 'Analyst',
    permissions: ['org.read', 'customers.read', 'customers.read_unit', 'customers.export', 'rules.read', 'services.read', 'notices.read'],
  },
  {
    code: 'service_agent',
    name: '服务坐席',
    nameEn: 'Service agent',
    // serves any key account of the city its outlet belongs to, read-only and masked (DOMAIN.md), at the counter
    permissions: ['org.read', 'customers.read', 'customers.read_unit', 'customers.read_area', 'points.redeem', 'benefits.use', 'services.read', 'services.handle', 'appointments.book', 'notices.read'],
  },
  {
    code: 'auditor',
    name: '审计员',
    nameEn: 'Auditor',
    permissions: ['org.read', 'users.read', 'roles.read', 'audit.read'],
  },
];
