import type { Locale } from '../locale.js';

/** Problems of every area: requests, sign-in, organisation, users, roles, scope. */
export const common = {
  bad_request: { 'zh-CN': '请求无效', 'en-US': 'Bad request' },
  validation_failed: { 'zh-CN': '输入校验未通过', 'en-US': 'The input is not valid' },
  malformed_json: { 'zh-CN': '请求体不是合法的 JSON', 'en-US': 'The request body is not valid JSON' },
  unsupported_media_type: { 'zh-CN': '不支持的内容类型', 'en-US': 'Unsupported content type' },
  payload_too_large: { 'zh-CN': '请求体过大', 'en-US': 'The request body is too large' },
  unauthenticated: { 'zh-CN': '请先登录', 'en-US': 'Please sign in' },
  forbidden: { 'zh-CN': '没有权限执行此操作', 'en-US': 'You do not have permission for this action' },
  csrf_failed: { 'zh-CN': 'CSRF 校验失败，请刷新页面后重试', 'en-US': 'CSRF check failed; reload the page and try again' },
  not_found: { 'zh-CN': '{entity}不存在', 'en-US': '{entity} not found' },
  route_not_found: { 'zh-CN': '接口不存在', 'en-US': 'No such endpoint' },
  version_conflict: {
    'zh-CN': '数据已被他人修改，请刷新后重试',
    'en-US': 'Someone else changed this record; reload it and try again',
  },
  duplicate: { 'zh-CN': '{field}已存在', 'en-US': '{field} already exists' },
  invalid_credentials: {
    'zh-CN': '用户名或密码错误。连续多次失败后账号将被锁定一段时间',
    'en-US': 'Wrong user name or password. After repeated failures an account is locked for a while',
  },
  account_locked: {
    'zh-CN': '密码错误次数过多，账号已锁定至 {until}，所有会话已结束',
    'en-US': 'Too many wrong passwords; the account is locked until {until} and signed out everywhere',
  },
  account_disabled: { 'zh-CN': '账号已停用', 'en-US': 'The account is disabled' },
  rate_limited: { 'zh-CN': '请求过于频繁，请稍后再试', 'en-US': 'Too many requests; try again later' },
  password_policy: { 'zh-CN': '密码不符合安全策略', 'en-US': 'The password does not meet the policy' },
  password_too_short: { 'zh-CN': '密码至少 {min} 位', 'en-US': 'At least {min} characters' },
  password_classes: {
    'zh-CN': '密码需包含大写字母、小写字母、数字、符号中的至少 {min} 类',
    'en-US': 'Use at least {min} of: upper case, lower case, digits, symbols',
  },
  password_same: { 'zh-CN': '新密码不能与当前密码相同', 'en-US': 'The new password must differ from the current one' },
  wrong_current_password: { 'zh-CN': '当前密码不正确', 'en-US': 'The current password is wrong' },
  unit_not_empty: {
    'zh-CN': '该单位下仍有下级单位、用户或业务数据，不能删除，请改为停用',
    'en-US': 'The unit still has sub-units, users or data; deactivate it instead',
  },
  unit_cycle: { 'zh-CN': '不能把单位移动到其自身或下级单位之下', 'en-US': 'A unit cannot move under itself or its descendants' },
  unit_kind_order: {
    'zh-CN': '{child}不能直接隶属于{parent}',
    'en-US': 'A {child} cannot sit directly under a {parent}',
  },
  unit_inactive_parent: { 'zh-CN': '上级单位已停用', 'en-US': 'The parent unit is deactivated' },
  out_of_scope: { 'zh-CN': '超出您的数据权限范围', 'en-US': 'Outside your data scope' },
  job_interrupted: { 'zh-CN': '因服务重启而中断', 'en-US': 'interrupted by a restart' },
  role_in_use: { 'zh-CN': '该角色仍被用户使用，不能删除', 'en-US': 'The role is still assigned to users' },
  role_builtin: { 'zh-CN': '内置角色不能修改权限或删除', 'en-US': 'Built-in roles cannot be changed or deleted' },
  permission_escalation: {
    'zh-CN': '不能授予或操作超出自己权限的角色或用户（缺少权限：{permissions}）',
    'en-US': 'You cannot grant, or act on a user who holds, permissions you do not hold: {permissions}',
  },
  unknown_permission: { 'zh-CN': '未知权限：{permissions}', 'en-US': 'Unknown permissions: {permissions}' },
  self_lockout: { 'zh-CN': '不能停用自己的账号', 'en-US': 'You cannot deactivate your own account' },
  customer_merged: {
    'zh-CN': '该客户已合并到客户 {survivorNo}（{survivorName}），不能再修改，请在该客户上办理',
    'en-US': 'This customer was merged into {survivorNo} ({survivorName}) and can no longer be changed; work on that customer instead',
  },
  internal_error: { 'zh-CN': '服务器内部错误', 'en-US': 'Internal server error' },
} as const satisfies Record<string, Record<Locale, string>>;
