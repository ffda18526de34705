/**
 * Server-side message catalogue for problem+json titles and field errors (zh-CN first, en-US complete).
 * Placeholders are written {name}.
 */
export type Locale = 'zh-CN' | 'en-US';
export const LOCALES: readonly Locale[] = ['zh-CN', 'en-US'];

const catalogue = {
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
  invalid_credentials: { 'zh-CN': '用户名或密码错误', 'en-US': 'Wrong user name or password' },
  account_locked: {
    'zh-CN': '登录失败次数过多，账号已锁定至 {until}',
    'en-US': 'Too many failed sign-ins; the account is locked until {until}',
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
  // 数据导入 (imports of BOSS extracts): reasons of rejected rows, whole-file errors, kinds; job_interrupted for scheduled jobs
  import_required: { 'zh-CN': '必填', 'en-US': 'required' },
  import_cell_too_long: { 'zh-CN': '单元格过长（{length} 个字符，最多 {max} 个）', 'en-US': 'cell too long ({length} characters, at most {max})' },
  import_nul_character: { 'zh-CN': '含有 NUL 字符', 'en-US': 'contains a NUL character' },
  import_too_many_cells: { 'zh-CN': '该行有 {cells} 个单元格，表头只有 {width} 列', 'en-US': 'the row has {cells} cells, the header {width}' },
  import_too_long: { 'zh-CN': '超过 {max} 个字符', 'en-US': 'longer than {max} characters' },
  import_bad_customer_no: { 'zh-CN': '应为 4 至 32 位字母、数字或 -', 'en-US': 'letters, digits and -, 4 to 32 characters' },
  import_bad_industry: { 'zh-CN': '应为 GB/T 4754 门类字母 A–T', 'en-US': 'a GB/T 4754 section letter A–T' },
  import_bad_phone: { 'zh-CN': '应为 5 至 20 位数字、+、- 或空格', 'en-US': 'digits, +, - and spaces (5 to 20)' },
  import_bad_credit_code: { 'zh-CN': '应为 18 位统一社会信用代码', 'en-US': '18 characters of the unified social credit code' },
  import_bad_id_number: { 'zh-CN': '应为 6 至 30 位字母或数字', 'en-US': 'letters and digits (6 to 30)' },
  import_bad_date: { 'zh-CN': '不是有效日期（YYYY-MM-DD）', 'en-US': 'not a date (YYYY-MM-DD)' },
  import_bad_month: { 'zh-CN': '不是有效月份（YYYY-MM）', 'en-US': 'not a month (YYYY-MM)' },
  import_not_a_number: { 'zh-CN': '不是数字', 'en-US': 'not a number' },
  import_negative_amount: { 'zh-CN': '金额不能为负数', 'en-US': 'negative amount' },
  import_too_many_decimals: { 'zh-CN': '小数超过 2 位', 'en-US': 'more than 2 decimal places' },
  import_amount_too_large: { 'zh-CN': '金额过大', 'en-US': 'amount too large' },
  import_not_whole_number: { 'zh-CN': '不是整数', 'en-US': 'not a whole number' },
  import_negative_number: { 'zh-CN': '不能为负数', 'en-US': 'negative number' },
  import_number_too_large: { 'zh-CN': '数值过大', 'en-US': 'number too large' },
  import_bad_msisdn: { 'zh-CN': '不是有效手机号码（11 位，1[3-9] 开头）', 'en-US': 'not a mobile number (11 digits, 1[3-9]…)' },
  import_not_one_of: { 'zh-CN': '取值无效，应为：{allowed}', 'en-US': 'not one of {allowed}' },
  import_duplicate_in_file: { 'zh-CN': '主键在文件中重复（第 {rows} 行）', 'en-US': 'duplicate key within the file (rows {rows})' },
  import_unknown_subscription: { 'zh-CN': '号码不存在', 'en-US': 'unknown subscription' },
  import_subscription_out_of_scope: { 'zh-CN': '该号码所属客户超出您的数据权限范围', 'en-US': 'the customer of this subscription is outside your data scope' },
  import_unknown_customer: { 'zh-CN': '客户不存在', 'en-US': 'unknown customer' },
  import_customer_out_of_scope: { 'zh-CN': '该客户超出您的数据权限范围', 'en-US': 'the customer is outside your data scope' },
  import_not_group_customer: { 'zh-CN': '不是集团客户', 'en-US': 'not a group customer' },
  import_unknown_unit: { 'zh-CN': '组织单位不存在', 'en-US': 'unknown organisation unit' },
  import_unit_out_of_scope: { 'zh-CN': '该单位超出您的数据权限范围', 'en-US': 'the unit is outside your data scope' },
  import_unknown_manager: { 'zh-CN': '用户不存在', 'en-US': 'unknown user' },
  import_kind_change: { 'zh-CN': '不能通过导入在集团客户与个人客户之间转换', 'en-US': 'cannot change between group and individual by import' },
  import_existing_out_of_scope: { 'zh-CN': '已有客户超出您的数据权限范围', 'en-US': 'the existing customer is outside your data scope' },
  import_duplicate_credit_code: { 'zh-CN': '统一社会信用代码已属于另一客户 {customer}', 'en-US': 'the unified social credit code already belongs to another customer, {customer}' },
  import_duplicate_credit_code_hidden: { 'zh-CN': '统一社会信用代码已属于您数据权限范围外的另一客户', 'en-US': 'the unified social credit code already belongs to another customer, outside your data scope' },
  import_duplicate_credit_code_in_file: { 'zh-CN': '文件中不同客户使用了相同的统一社会信用代码（第 {rows} 行）', 'en-US': 'the same unified social credit code for different customers within the file (rows {rows})' },
  import_duplicate_id_number: { 'zh-CN': '证件号码已属于另一客户 {customer}', 'en-US': 'the ID number already belongs to another customer, {customer}' },
  import_duplicate_id_number_hidden: { 'zh-CN': '证件号码已属于您数据权限范围外的另一客户', 'en-US': 'the ID number already belongs to another customer, outside your data scope' },
  import_duplicate_id_number_in_file: { 'zh-CN': '文件中不同客户使用了相同的证件号码（第 {rows} 行）', 'en-US': 'the same ID number for different customers within the file (rows {rows})' },
  import_duplicate_name_phone: { 'zh-CN': '客户名称和联系电话已属于另一客户 {customer}', 'en-US': 'the name and contact phone already belong to another customer, {customer}' },
  import_duplicate_name_phone_hidden: { 'zh-CN': '客户名称和联系电话已属于您数据权限范围外的另一客户', 'en-US': 'the name and contact phone already belong to another customer, outside your data scope' },
  import_duplicate_name_phone_in_file: { 'zh-CN': '文件中不同客户使用了相同的客户名称和联系电话（第 {rows} 行）', 'en-US': 'the same name and contact phone for different customers within the file (rows {rows})' },
  import_kind_customers: { 'zh-CN': '客户资料', 'en-US': 'customers' },
  import_kind_subscriptions: { 'zh-CN': '号码', 'en-US': 'subscriptions' },
  import_kind_facts: { 'zh-CN': '经营分析月数据', 'en-US': 'facts' },
  import_error_columns: { 'zh-CN': '表头与{kind}的格式不符：{details}', 'en-US': 'the header does not match the {kind} layout: {details}' },
  import_columns_missing: { 'zh-CN': '缺少列：{columns}', 'en-US': 'missing columns: {columns}' },
  import_columns_unknown: { 'zh-CN': '未知列：{columns}', 'en-US': 'unknown columns: {columns}' },
  import_columns_repeated: { 'zh-CN': '重复列：{columns}', 'en-US': 'repeated columns: {columns}' },
  import_error_empty_file: { 'zh-CN': '文件为空或没有表头行', 'en-US': 'the file is empty or has no header row' },
  import_error_unsupported_format: { 'zh-CN': 'Excel 97-2003（.xls）文件：请另存为 .xlsx 或 CSV', 'en-US': 'an Excel 97-2003 (.xls) file: save it as .xlsx or CSV' },
  import_error_csv_syntax: { 'zh-CN': '不是可读取的 CSV 文件：{detail}', 'en-US': 'not a readable CSV file: {detail}' },
  import_error_xlsx_unreadable: { 'zh-CN': '不是可读取的 .xlsx 文件：{detail}', 'en-US': 'not a readable .xlsx file: {detail}' },
  import_error_internal_error: { 'zh-CN': '导入意外失败，详见服务器日志', 'en-US': 'the import failed unexpectedly; see the server log' },
  import_error_interrupted: { 'zh-CN': '导入因服务重启而中断；请重新导入该文件（重复导入同一文件不会产生重复数据）', 'en-US': 'interrupted by a restart; import the file again (re-importing the same file is safe)' },
  job_interrupted: { 'zh-CN': '因服务重启而中断', 'en-US': 'interrupted by a restart' },
  role_in_use: { 'zh-CN': '该角色仍被用户使用，不能删除', 'en-US': 'The role is still assigned to users' },
  role_builtin: { 'zh-CN': '内置角色不能修改权限或删除', 'en-US': 'Built-in roles cannot be changed or deleted' },
  permission_escalation: {
    'zh-CN': '不能授予自己没有的权限：{permissions}',
    'en-US': 'You cannot grant permissions you do not hold: {permissions}',
  },
  unknown_permission: { 'zh-CN': '未知权限：{permissions}', 'en-US': 'Unknown permissions: {permissions}' },
  self_lockout: { 'zh-CN': '不能停用自己的账号', 'en-US': 'You cannot deactivate your own account' },
  customer_merged: {
    'zh-CN': '该客户已合并到其他客户，不能再修改',
    'en-US': 'This customer was merged into another one',
  },
  internal_error: { 'zh-CN': '服务器内部错误', 'en-US': 'Internal server error' },
  // 服务规则 (rules, points, benefits, discounts, candidates)
  rules_invalid: { 'zh-CN': '规则参数未通过校验', 'en-US': 'The rule parameters are not valid' },
  rules_lowest_starts_at_zero: { 'zh-CN': '最低档“{level}”的门槛必须为 0，否则会出现无人覆盖的区间', 'en-US': 'The lowest grade “{level}” must start at 0, or some customers fall in no grade' },
  rules_threshold_order: { 'zh-CN': '“{level}”的门槛不能低于下一档“{lower}”', 'en-US': 'The threshold of “{level}” cannot be below that of “{lower}”' },
  rules_level_order: { 'zh-CN': '此处应为“{expected}”：档位须按从低到高的固定顺序', 'en-US': 'Expected “{expected}” here: grades go in their fixed order, lowest first' },
  rules_weights_sum: { 'zh-CN': '各项权重之和须为 100，当前为 {sum}', 'en-US': 'The weights must add up to 100; they add up to {sum}' },
  rules_score_order: { 'zh-CN': '“{grade}”的最低分须低于上一档“{higher}”', 'en-US': 'The minimum score of “{grade}” must be below that of “{higher}”' },
  rules_grade_duplicate: { 'zh-CN': '等级“{grade}”重复', 'en-US': 'The grade “{grade}” appears twice' },
  rules_benefit_duplicate: { 'zh-CN': '权益代码“{code}”重复', 'en-US': 'The benefit code “{code}” appears twice' },
  rules_percent_range: { 'zh-CN': '折扣百分比不能超过 100', 'en-US': 'A percentage cannot exceed 100' },
  rules_run_busy: { 'zh-CN': '另一次规则计算正在进行，请稍后再试', 'en-US': 'Another rules run is in progress; try again later' },
  rules_month_order: { 'zh-CN': '{latest} 已计算，不能再计算更早的月份', 'en-US': '{latest} has been run; an earlier month cannot be run now' },
  rules_month_future: { 'zh-CN': '{month} 尚未结束，不能计算', 'en-US': '{month} has not ended yet' },
  rules_no_facts: { 'zh-CN': '{month} 没有经营分析数据，请先导入', 'en-US': 'There are no billing facts for {month}; import them first' },
  rules_rerun_points_spent: {
    'zh-CN': '{count} 位客户已使用了本月计算发放的积分，重新计算后其积分余额将为负数，无法重算',
    'en-US': '{count} customers have spent points this rerun would take back; their balances would go below zero',
  },
  rules_points_spent: { 'zh-CN': '{count} 位客户已使用了本次计算发放的积分，无法撤销', 'en-US': '{count} customers have already spent points of this run; it cannot be undone' },
  rules_not_latest_run: { 'zh-CN': '只能回滚最近一次已完成的计算', 'en-US': 'Only the latest completed run can be rolled back' },
  points_insufficient: { 'zh-CN': '积分余额不足（余额 {balance}，需要 {needed}）', 'en-US': 'Not enough points (balance {balance}, {needed} needed)' },
  points_item_inactive: { 'zh-CN': '该兑换项目已停用', 'en-US': 'This catalogue item is no longer offered' },
  benefit_unknown: { 'zh-CN': '没有名为“{code}”的权益', 'en-US': 'There is no benefit “{code}”' },
  benefit_exhausted: { 'zh-CN': '本年度额度不足（剩余 {remaining}）', 'en-US': 'Not enough allowance left this year ({remaining} left)' },
  benefit_not_eligible: { 'zh-CN': '客户当前级别不享有该权益', 'en-US': 'The customer’s level does not include this benefit' },
  discount_wrong_approver: { 'zh-CN': '该优惠金额需由{levelZh}主管审批', 'en-US': 'A discount of this amount needs a {levelEn} head’s approval' },
  discount_not_requester: { 'zh-CN': '只有申请人可以撤回该申请', 'en-US': 'Only the requester can withdraw this request' },
  discount_self_approval: { 'zh-CN': '不能审批自己提交的申请', 'en-US': 'You cannot approve your own request' },
  decision_already_made: { 'zh-CN': '该申请已处理', 'en-US': 'This request has already been decided' },
  points_out_of_range: { 'zh-CN': '积分数额超出账户可记录的范围', 'en-US': 'The points would exceed what an account can hold' },
  benefit_no_level: { 'zh-CN': '客户尚无当前级别（未参与最近一次规则计算）', 'en-US': 'The customer has no current level (not rated in the latest run)' },
  candidate_level_kind: { 'zh-CN': '{kind}客户的级别须为 {levels} 之一', 'en-US': 'The level of {kindEn} customer must be one of {levels}' },
  level_unrated: { 'zh-CN': '准星', 'en-US': 'Unrated' },
  level_1: { 'zh-CN': '一星', 'en-US': '1 star' },
  level_2: { 'zh-CN': '二星', 'en-US': '2 stars' },
  level_3: { 'zh-CN': '三星', 'en-US': '3 stars' },
  level_4: { 'zh-CN': '四星', 'en-US': '4 stars' },
  level_5s: { 'zh-CN': '五星银', 'en-US': '5 stars silver' },
  level_5g: { 'zh-CN': '五星金', 'en-US': '5 stars gold' },
  level_5d: { 'zh-CN': '五星钻', 'en-US': '5 stars diamond' },
  level_A: { 'zh-CN': 'A 类集团', 'en-US': 'Class A group' },
  level_B: { 'zh-CN': 'B 类集团', 'en-US': 'Class B group' },
  level_C: { 'zh-CN': 'C 类集团', 'en-US': 'Class C group' },
  explain_star: {
    'zh-CN': '{level}：近 {window} 个月月均实缴 ¥{avg} ≥ ¥{min}，网龄 {tenure} 个月 ≥ {minTenure} 个月，{realName}，窗口内欠费 {arrearsMonths} 个月（黑名单线 {blacklist}）{next}；星级规则 v{version}',
    'en-US': '{level}: the {window}-month average paid bill was ¥{avg} ≥ ¥{min}, tenure is {tenure} months ≥ {minTenure}, {realName}, {arrearsMonths} months in arrears in the window (blacklist at {blacklist}){next}; star rules v{version}',
  },
  explain_star_next: { 'zh-CN': '；距{level}还需月均 ¥{min}、网龄 {minTenure} 个月', 'en-US': '; {level} needs ¥{min} a month and {minTenure} months of tenure' },
  explain_real_name_yes: { 'zh-CN': '已实名', 'en-US': 'real-name registered' },
  explain_real_name_no: { 'zh-CN': '未实名', 'en-US': 'not real-name registered' },
  explain_unrated_tenure: { 'zh-CN': '准星：网龄 {tenure} 个月，不足 {min} 个月；星级规则 v{version}', 'en-US': 'Unrated: tenure is {tenure} months, under {min}; star rules v{version}' },
  explain_unrated_real_name: { 'zh-CN': '准星：未实名登记；星级规则 v{version}', 'en-US': 'Unrated: not real-name registered; star rules v{version}' },
  explain_unrated_blacklist: {
    'zh-CN': '准星：近 {window} 个月中 {n} 个月欠费，达到欠费黑名单线 {limit} 个月；星级规则 v{version}',
    'en-US': 'Unrated: {n} of the last {window} months ended in arrears, at or above the blacklist line of {limit}; star rules v{version}',
  },
  explain_group: {
    'zh-CN': '{level}：近 {window} 个月月均收入 ¥{revenue}（门槛 ¥{minRevenue}），成员 {members} 个（门槛 {minMembers}）{strategic}；集团分类规则 v{version}',
    'en-US': '{level}: the {window}-month average revenue was ¥{revenue} (threshold ¥{minRevenue}), {members} members (threshold {minMembers}){strategic}; group class rules v{version}',
  },
  explain_group_strategic: { 'zh-CN': '，战略客户', 'en-US': ', a strategic customer' },
  explain_held: {
    'zh-CN': '本月按规则为{computed}，低于现级别{level}：降级宽限期第 {below}/{grace} 个月，保留{level}',
    'en-US': 'This month the rules give {computed}, below the current {level}: month {below} of a {grace}-month grace period, {level} is kept',
  },
  explain_credit: {
    'zh-CN': '信誉度 {score} 分（{grade}）：网龄 {tenureScore}/{tenureWeight}，月均实缴 {billScore}/{billWeight}，缴费记录 {paymentScore}/{paymentWeight}，实名 {realNameScore}/{realNameWeight}，当前欠费 {arrearsScore}/{arrearsWeight}；透支额度 ¥{limit}，欠费停机宽限 {graceDays} 天；信誉度规则 v{version}',
    'en-US': 'Credit score {score} ({grade}): tenure {tenureScore}/{tenureWeight}, average bill {billScore}/{billWeight}, payment record {paymentScore}/{paymentWeight}, real name {realNameScore}/{realNameWeight}, current arrears {arrearsScore}/{arrearsWeight}; overdraft limit ¥{limit}, {graceDays} days before suspension; credit rules v{version}',
  },
  explain_points: {
    'zh-CN': '本月积分 {total}：实缴 ¥{paid} × {multiplier}（{level}）向上取整 = {earned}，赠送 {promo}，到期 {expired}；积分规则 v{version}',
    'en-US': 'Points this month {total}: paid ¥{paid} × {multiplier} ({level}) rounded up = {earned}, promotional {promo}, expired {expired}; points rules v{version}',
  },
} as const satisfies Record<string, Record<Locale, string>>;

export type MessageCode = keyof typeof catalogue;

export function isMessageCode(code: string): code is MessageCode {
  return Object.hasOwn(catalogue, code);
}

/** A parameter that is itself a message, worded in the same language (a level's name in a rule error). */
export interface MessageRef {
  msg: MessageCode;
  params?: Record<string, unknown>;
}
export const messageRef = (msg: MessageCode, params?: Record<string, unknown>): MessageRef => ({ msg, params });
const isMessageRef = (v: unknown): v is MessageRef => typeof v === 'object' && v !== null && isMessageCode(String((v as MessageRef).msg));

export function translate(code: MessageCode, locale: Locale, params: Record<string, unknown> = {}): string {
  return catalogue[code][locale].replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = params[k];
    return isMessageRef(v) ? translate(v.msg, locale, v.params) : String(v ?? `{${k}}`);
  });
}

export const isLocale = (v: string): v is Locale => (LOCALES as readonly string[]).includes(v);

/** Picks zh-CN or en-US from an Accept-Language header; Chinese is the default. */
export function localeFrom(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'zh-CN';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en-US' : 'zh-CN';
}
