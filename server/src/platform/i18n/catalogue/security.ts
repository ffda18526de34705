import type { Locale } from '../locale.js';

/** Problems of the security controls: forced password change, weak passwords, role ownership, reveal limits. */
export const security = {
  password_change_required: {
    'zh-CN': '请先修改密码，然后才能继续使用系统',
    'en-US': 'Change your password before you continue',
  },
  password_common: {
    'zh-CN': '该密码过于常见或出现在已泄露的密码中，请换一个不易猜到的密码',
    'en-US': 'This password is too common or known from breaches; choose one that is hard to guess',
  },
  pii_reveal_rate_limited: {
    'zh-CN': '查看完整个人信息过于频繁（每分钟最多 {max} 次），请稍后再试；此情况已记入审计日志',
    'en-US': 'Too many reveals of personal data (at most {max} a minute); try again later. This was recorded in the audit trail',
  },
  role_builtin_root_only: {
    'zh-CN': '内置角色只能由组织根单位的管理员修改',
    'en-US': 'Only an administrator at the root of the organisation can change built-in roles',
  },
  role_owned_elsewhere: {
    'zh-CN': '该角色属于上级或其他单位，不能在此修改或删除',
    'en-US': 'This role belongs to another unit and cannot be changed or deleted here',
  },
  role_not_available: {
    'zh-CN': '角色不适用于该用户所属单位：{roles}',
    'en-US': 'Roles not available to the user’s unit: {roles}',
  },
} as const satisfies Record<string, Record<Locale, string>>;
