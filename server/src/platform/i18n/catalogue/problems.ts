import type { Locale } from '../locale.js';
import type { MessageCode } from '../messages.js';
import { appointmentProblemTypes } from './services-appointments.js';
import { requestProblemTypes } from './services-requests.js';
import { slaProblemTypes } from './services-sla.js';
import { solutionProblemTypes } from './services-solutions.js';
import { partnerProblemTypes } from './services-partners.js';
import { bossProblemTypes } from './imports.js';
import { noticeProblemTypes } from './services-notices.js';
import { eventProblemTypes } from './system-events.js';
import { managerProfileProblemTypes } from './managers-profiles.js';
import { scorecardProblemTypes } from './managers-scorecards.js';
import { backupProblemTypes } from './system-backup.js';
import { taskProblemTypes } from './managers-tasks.js';
import { planProblemTypes } from './managers-plans.js';
import { reminderProblemTypes } from './managers-reminders.js';
import { tmfProblemTypes } from './tmf.js';
import { monitorProblemTypes } from './system-monitor.js';
import { clientProblemTypes } from './system-clients.js';
import { statisticsProblemTypes } from './analysis-statistics.js';
import { churnProblemTypes } from './analysis-churn.js';
import { analysisQueryProblemTypes } from './analysis-query.js';
import { indicatorProblemTypes } from './analysis-indicators.js';

/**
 * The problem types of the API (RFC 9457 `type`, `/api/problems/{code}`): for each code a problem answer
 * carries, the HTTP statuses it comes with and what the reader can do about it, in both languages. The
 * title is the code's message in the catalogue. A code a problem carries without an entry here gets
 * `about:blank`; a test finds such codes in the sources.
 */
export interface ProblemType {
  status: readonly number[];
  advice: Record<Locale, string>;
}

const type = (status: number | number[], zh: string, en: string): ProblemType => ({
  status: [status].flat(),
  advice: { 'zh-CN': zh, 'en-US': en },
});

const FIX_FIELDS_ZH = '答复的 errors 列出了每个有问题的字段（field）及原因，改正后重新提交。';
const FIX_FIELDS_EN = 'The answer’s errors name each field (field) and what is wrong with it; correct them and send again.';
const RELOAD_ZH = '刷新页面查看记录的当前状态，再决定下一步。';
const RELOAD_EN = 'Reload to see the record as it is now, then decide what to do.';

export const PROBLEM_TYPES = {
  // requests
  bad_request: type(400, `请求不符合接口的要求。${FIX_FIELDS_ZH}`, `The request does not fit the endpoint. ${FIX_FIELDS_EN}`),
  validation_failed: type(400, FIX_FIELDS_ZH, FIX_FIELDS_EN),
  malformed_json: type(400, '请求体须为 UTF-8 编码的合法 JSON：检查括号、引号和逗号。', 'The body must be valid JSON in UTF-8: check brackets, quotes and commas.'),
  malformed_url: type(400, '路径中的非 ASCII 字符须先按 UTF-8 编码再百分号编码（encodeURIComponent）。', 'Encode non-ASCII characters of the path as UTF-8, then percent-encode them (encodeURIComponent).'),
  json_too_deep: type(400, '本系统的任何接口都不需要这样深的嵌套：检查生成请求体的程序。', 'No endpoint of this system needs nesting this deep: check the program that builds the body.'),
  json_array_too_long: type(400, '把数据分成几次较小的请求提交；批量数据请使用导入功能。', 'Send the data in several smaller requests; use the imports for bulk data.'),
  json_too_many_keys: type(400, '检查生成请求体的程序：各接口的字段见 /api/docs。', 'Check the program that builds the body: each endpoint’s fields are in /api/docs.'),
  unsupported_media_type: type(
    415,
    '写操作使用 Content-Type: application/json（部分更新也可用 application/merge-patch+json），上传导入文件使用 multipart/form-data。',
    'Send writes as Content-Type: application/json (partial updates also as application/merge-patch+json) and import files as multipart/form-data.',
  ),
  payload_too_large: type(413, '请求体或文件超过服务器的上限（BODY_LIMIT_BYTES，导入文件为 IMPORT_MAX_BYTES）：减小请求或拆分文件。', 'The body or file exceeds the server’s limit (BODY_LIMIT_BYTES; IMPORT_MAX_BYTES for imports): send less, or split the file.'),
  request_timeout: type(408, '网络太慢或请求被中断：检查网络后重试；大文件请使用导入功能上传。', 'The network was too slow or the request stalled: check the connection and try again; upload large files through the imports.'),
  rate_limited: type(429, '请求过于频繁：按 Retry-After 头给出的秒数等待后再试。', 'Too many requests: wait the seconds the Retry-After header gives, then try again.'),
  route_not_found: type(404, '没有这个接口：对照 /api/docs 检查路径和方法。', 'There is no such endpoint: check the path and method against /api/docs.'),
  problem_type_unknown: type(404, '错误代码的完整列表见 /api/problems。', 'Every problem type is listed at /api/problems.'),
  internal_error: type(500, '服务器出现了意外错误，已记入日志。请把答复中的 requestId 告知系统管理员。', 'The server failed unexpectedly and logged it. Give the answer’s requestId to the system administrator.'),
  // sign-in and access
  unauthenticated: type(401, '没有有效的会话：请先登录（POST /api/auth/login）。会话在闲置或到期后结束。', 'There is no valid session: sign in (POST /api/auth/login). Sessions end when idle or expired.'),
  invalid_credentials: type(401, '核对用户名和密码；连续失败会暂时锁定账号。忘记密码请联系管理员重置。', 'Check the user name and password; repeated failures lock the account for a while. An administrator can reset a forgotten password.'),
  account_locked: type(423, '修改密码时当前密码错误次数过多，账号已锁定、会话已结束：等到提示的时间后再登录，或请管理员解锁。', 'Too many wrong current passwords at a password change: the account is locked and signed out; sign in after the time given, or ask an administrator to unlock it.'),
  forbidden: type(403, '您的角色没有此操作所需的权限。如确需办理，请联系系统管理员调整您的角色。', 'Your roles lack the permission this action needs. If you need it, ask the system administrator to change your roles.'),
  csrf_failed: type(403, '写操作须在 X-CSRF-Token 头中带上登录时得到的 csrfToken：刷新页面后重试。', 'A write must carry the csrfToken from sign-in in the X-CSRF-Token header: reload the page and try again.'),
  out_of_scope: type(403, '该记录不在您的数据范围（本单位及下级单位）内；如需办理，请联系其所属单位。', 'The record is outside your data scope (your unit and its sub-units); ask its own unit to handle it.'),
  permission_escalation: type(403, '只能授予或行使您自己拥有的权限；请由拥有这些权限的管理员办理。', 'You can only grant or exercise permissions you hold yourself; ask an administrator who holds them.'),
  password_change_required: type(403, '先修改初始的或被重置的密码（POST /api/me/password），之后即可正常使用。', 'Change the initial or reset password first (POST /api/me/password); everything else works afterwards.'),
  pii_reveal_rate_limited: type(429, '稍后再查看；如确需批量使用个人信息，请走有审批的导出流程。', 'Wait before revealing more; personal data needed in bulk goes through an approved export.'),
  role_builtin_root_only: type(403, '内置角色由组织根单位的管理员维护：请联系省公司系统管理员，或新建本单位的自定义角色。', 'Built-in roles are kept by an administrator at the organisation’s root: ask the province’s administrator, or create a custom role of your unit.'),
  role_owned_elsewhere: type(403, '该角色由其他单位维护：请联系该单位的管理员，或新建本单位的自定义角色。', 'Another unit keeps this role: ask that unit’s administrator, or create a custom role of your unit.'),
  role_not_available: type(400, '答复中列出的角色不适用于该用户所属单位：改选内置角色或该单位可用的自定义角色。', 'The roles the answer lists are not available to the user’s unit: choose built-in roles or custom roles available there.'),
  // records
  not_found: type([404, 400], '记录不存在，或不在您的数据范围内（两种情况答复相同）。检查编号；记录可能已被删除或合并。', 'The record does not exist or is outside your data scope (both answer alike). Check the id; the record may have been deleted or merged.'),
  version_conflict: type(409, '读取之后记录已被他人修改：重新读取（得到新的 version），核对后再提交您的修改。', 'Someone changed the record after you read it: read it again (a new version), check, and send your change again.'),
  duplicate: type(409, '该值已被另一条记录使用（field 指出是哪一项）：换一个值，或找到并使用已有的记录。', 'Another record already uses this value (field names it): choose another value, or use the existing record.'),
  // users, roles, organisation
  password_policy: type(400, '新密码须满足密码策略（长度、字符种类、不在常见密码表中），errors 逐条说明。', 'The new password must meet the policy (length, kinds of characters, not a common password); errors say which rule failed.'),
  password_same: type(400, '新密码须与当前密码不同。', 'Choose a new password different from the current one.'),
  wrong_current_password: type(400, '当前密码输错了：重新输入；忘记时请联系管理员重置。', 'The current password was wrong: type it again, or ask an administrator to reset it.'),
  self_lockout: type(400, '不能停用自己的账号：请由另一位管理员办理。', 'You cannot deactivate your own account: ask another administrator.'),
  visit_version_required: type(400, '走访同时修改客户资料时，带上读取客户时的 version，以免覆盖他人的修改。', 'A visit that also changes the profile carries the version the customer was read at, so nobody’s change is overwritten.'),
  archive_unchanged: type(400, '客户已在目标档案库：刷新页面查看其当前档案库。', 'The customer is already in that archive: reload to see where it is.'),
  reveal_ref_required: type(400, '查看号码或关键人电话时，refId 给出号码或关键人的编号（见客户全方位视图）。', 'To reveal a number or a key person’s phone, refId names the subscription or key person (see the 360° view).'),
  merge_self: type(400, '选择另一位重复客户进行合并。', 'Choose another, duplicate customer to merge.'),
  decision_level_required: type(400, '确认潜在大客户时选择其级别。', 'Choose the level when confirming a potential key account.'),
  decision_reason_required: type(400, '否决时写明理由，申请人会看到它。', 'Write the reason for a rejection; the requester will read it.'),
  points_not_positive: type(400, '填写大于 0 的整数积分。', 'Enter a whole number of points above 0.'),
  unknown_permission: type(400, '权限代码须取自 GET /api/permissions 的列表。', 'Permission codes must come from GET /api/permissions.'),
  role_in_use: type(409, '先把该角色从所有用户移除，再删除角色。', 'Remove the role from every user first, then delete it.'),
  role_builtin: type(409, '内置角色不能修改或删除：复制为自定义角色后再调整。', 'Built-in roles cannot be changed or deleted: create a custom role with the permissions you need.'),
  unit_not_empty: type([409, 400], '单位下仍有下级单位、用户或业务数据：先迁移它们，或改为停用该单位。', 'The unit still has sub-units, users or data: move them first, or deactivate the unit instead.'),
  unit_cycle: type(400, '单位不能移动到其自身或其下级单位之下：选择另一个上级单位。', 'A unit cannot move under itself or one of its sub-units: choose another parent.'),
  unit_kind_order: type(400, '单位层级为 总部 › 省 › 地市 › 区县 › 营业厅：选择相应层级的上级单位。', 'Units nest headquarters › province › city › county › outlet: choose a parent of the right kind.'),
  unit_inactive_parent: type(400, '上级单位已停用：先启用上级单位，或选择其他单位。', 'The parent unit is deactivated: reactivate it first, or choose another unit.'),
  // customers
  customer_merged_hidden: type(409, '该客户已合并到另一客户，但它不在您的数据范围内：请联系其归属单位办理。', 'The customer was merged into another one outside your data scope: ask the unit it belongs to.'),
  customer_merged: type(409, '该客户已合并到另一客户，只能在合并后的客户上办理（答复中给出其编号）。', 'The customer was merged into another one; work on that customer instead (the answer names it).'),
  export_too_large: type(413, '行数超过直接导出的上限：改用后台导出（POST /api/customers/exports），完成后下载文件；或缩小筛选范围。', 'More rows than a direct export allows: start a background export (POST /api/customers/exports) and download its file when done, or narrow the filter.'),
  export_busy: type(429, '您已有导出在进行：等它们完成（见导出列表）后再开始新的导出。', 'Exports of yours are still running: wait for them to finish (see your exports) before starting another.'),
  export_not_ready: type(409, '导出仍在进行：稍后按进度再来下载。', 'The export is still running: download it once its progress says it is done.'),
  export_gone: type(410, '导出文件已过期或导出失败：重新开始导出。', 'The export file has expired or the export failed: start the export again.'),
  // rules, points, benefits, discounts
  rules_invalid: type(400, FIX_FIELDS_ZH, FIX_FIELDS_EN),
  rules_run_busy: type(409, '另一次规则计算正在进行：等它结束（见计算记录）后再试。', 'Another rules run is in progress: wait until it ends (see the runs) and try again.'),
  rules_month_order: type(409, '已计算过更晚的月份：只能重算最近一个月或计算之后的月份。', 'A later month has been run: only the latest month can be rerun, or a later one run.'),
  rules_month_future: type(409, '该月尚未结束：月末之后再计算。', 'The month has not ended yet: run it after its end.'),
  rules_no_facts: type(409, '先导入该月的经营分析数据（数据导入 › 月数据），再计算。', 'Import the month’s billing facts first (imports › facts), then run it.'),
  rules_rerun_points_spent: type(409, '已有客户使用了本次将被收回的积分：不能重算该月；如需更正，请调整相关客户的积分。', 'Customers have spent points the rerun would take back: the month cannot be rerun; adjust those customers’ points instead.'),
  rules_points_spent: type(409, '已有客户使用了本次计算发放的积分：不能回滚；如需更正，请调整相关客户的积分。', 'Customers have spent points this run awarded: it cannot be rolled back; adjust those customers’ points instead.'),
  rules_not_latest_run: type(409, '只能回滚最近一次已完成的计算：先回滚更晚的计算。', 'Only the latest completed run can be rolled back: roll back the later runs first.'),
  points_insufficient: type(409, '积分余额不足：选择所需积分更少的项目。', 'Not enough points: choose an item that needs fewer points.'),
  points_item_inactive: type(409, '该兑换项目已停用：刷新兑换目录后选择其他项目。', 'The item is no longer offered: reload the catalogue and choose another one.'),
  points_out_of_range: type(409, '调整的数额过大：核对数额后分次调整。', 'The adjustment is too large: check the amount and adjust in several steps.'),
  benefit_unknown: type(404, '权益代码须取自当前权益规则（服务规则 › 权益）。', 'Benefit codes come from the benefits rules in force (service rules › benefits).'),
  benefit_exhausted: type(409, '本年度额度已用完或不足：下一年度再使用，或选择其他权益。', 'This year’s allowance is used up or too small: use it next year, or choose another benefit.'),
  benefit_not_eligible: type(409, '客户当前级别不享有该权益：先查看客户的级别与可享权益。', 'The customer’s level does not include this benefit: check the customer’s level and benefits first.'),
  benefit_no_level: type(409, '客户尚无级别：等下一次月度规则计算后再试。', 'The customer has no level yet: try again after the next monthly rules run.'),
  discount_wrong_approver: type(409, '该金额的优惠须由答复中所说层级的主管审批。', 'A discount of this amount needs the head of the level the answer names.'),
  discount_not_requester: type(403, '只有申请人本人可以撤回申请。', 'Only the requester can withdraw the request.'),
  discount_self_approval: type(409, '不能审批自己的申请：请由另一位有审批权限的主管办理。', 'You cannot decide your own request: another head with the approval permission must.'),
  decision_already_made: type(409, RELOAD_ZH, RELOAD_EN),
  ...appointmentProblemTypes,
  ...requestProblemTypes,
  ...slaProblemTypes,
  ...solutionProblemTypes,
  ...partnerProblemTypes,
  ...bossProblemTypes,
  ...noticeProblemTypes,
  ...eventProblemTypes,
  ...managerProfileProblemTypes,
  ...taskProblemTypes,
  ...planProblemTypes,
  ...reminderProblemTypes,
  ...scorecardProblemTypes,
  ...tmfProblemTypes,
  ...backupProblemTypes,
  ...monitorProblemTypes,
  ...clientProblemTypes,
  ...statisticsProblemTypes,
  ...churnProblemTypes,
  ...analysisQueryProblemTypes,
  ...indicatorProblemTypes,
} as const satisfies Partial<Record<MessageCode, ProblemType>>;

export type ProblemCode = keyof typeof PROBLEM_TYPES;

/** The words of the problem pages themselves. */
export const problemPageText = {
  heading: { 'zh-CN': '错误代码', 'en-US': 'Problem types' },
  intro: {
    'zh-CN': 'API 的每个错误答复都是 application/problem+json，其 type 指向本页所列的代码说明；code 字段即代码本身。',
    'en-US': 'Every error answer of the API is application/problem+json whose type points at the page of its code listed here; the code field is the code itself.',
  },
  status: { 'zh-CN': 'HTTP 状态', 'en-US': 'HTTP status' },
  title: { 'zh-CN': '标题', 'en-US': 'Title' },
  advice: { 'zh-CN': '怎么办', 'en-US': 'What to do' },
  placeholders: {
    'zh-CN': '标题中的 {…} 由答复填入具体内容。',
    'en-US': 'A {…} in a title is filled in by the answer.',
  },
  index: { 'zh-CN': '全部错误代码', 'en-US': 'All problem types' },
  docs: { 'zh-CN': 'API 文档', 'en-US': 'API documentation' },
} as const satisfies Record<string, Record<Locale, string>>;
