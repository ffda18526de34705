import type { Locale } from '../locale.js';
import type { ProblemType } from './problems.js';

/** 客户经理管理 (managers/profiles): problems, notifications and record names of the sub-area. */
export const managersProfiles = {
  entity_manager: { 'zh-CN': '客户经理', 'en-US': 'The account manager' },
  entity_manager_certification: { 'zh-CN': '资格证书', 'en-US': 'The certification' },
  certification_dates_order: { 'zh-CN': '证书到期日须晚于发证日', 'en-US': 'The expiry date must be after the date of issue' },
  portfolio_move_same_manager: { 'zh-CN': '调入经理须与调出经理不同', 'en-US': 'Choose a target manager other than the source manager' },
  portfolio_move_not_manager: { 'zh-CN': '调入人员须为本单位范围内在职的大客户经理', 'en-US': 'The target must be an active account manager of your units' },
  portfolio_move_customers_unavailable: {
    'zh-CN': '有 {count} 位所选客户不属于调出经理、已合并或不在您的管理范围内',
    'en-US': '{count} of the chosen customers are not the source manager’s, were merged or are outside your units',
  },
  manager_started_on_future: { 'zh-CN': '从业起始日不能晚于今天', 'en-US': 'The first day as a manager cannot be later than today' },
  portfolio_move_date_future: { 'zh-CN': '生效日期不能晚于今天', 'en-US': 'The effective date cannot be later than today' },
  portfolio_move_ids_or_filter: { 'zh-CN': '请选择客户或设置筛选条件，二者只能取其一', 'en-US': 'Choose customers or set a filter, not both' },
  user_holds_customers: {
    'zh-CN': '该用户仍是 {count} 位客户的客户经理，请先将其客户调整给其他经理再停用',
    'en-US': 'This user is still the account manager of {count} customers: move them to another manager before deactivating the user',
  },
  portfolio_moved_out: { 'zh-CN': '{by}将您的 {count} 位客户调整给了{to}', 'en-US': '{by} moved {count} of your customers to {to}' },
  portfolio_moved_in: { 'zh-CN': '{by}将{from}的 {count} 位客户调整给了您', 'en-US': '{by} moved {count} customers of {from} to you' },
  portfolio_assigned: { 'zh-CN': '{by}为您分配了 {count} 位客户', 'en-US': '{by} assigned {count} customers to you' },
} as const satisfies Record<string, Record<Locale, string>>;

type Code = keyof typeof managersProfiles;
const type = (status: number, zh: string, en: string): ProblemType => ({ status: [status], advice: { 'zh-CN': zh, 'en-US': en } });

/** The problem pages of the profiles' codes (merged into PROBLEM_TYPES). */
export const managerProfileProblemTypes = {
  certification_dates_order: type(400, '检查发证日与到期日：到期日在后。', 'Check the dates: the expiry comes after the issue.'),
  portfolio_move_same_manager: type(400, '选择另一位经理作为调入经理。', 'Choose another manager to take the customers.'),
  portfolio_move_not_manager: type(400, '选择本单位或下级单位在职、持有“大客户经理”角色的人员。', 'Choose an active user holding the account-manager role in your unit or its sub-units.'),
  portfolio_move_customers_unavailable: type(400, '刷新调出经理的客户清单，重新选择客户。', 'Reload the source manager’s customers and choose again.'),
  manager_started_on_future: type(400, '选择今天或之前的日期。', 'Choose today or an earlier day.'),
  portfolio_move_date_future: type(400, '选择今天或之前的日期。', 'Choose today or an earlier day.'),
  portfolio_move_ids_or_filter: type(400, '按所选客户调整，或按筛选条件调整。', 'Move the chosen customers, or those a filter matches.'),
  user_holds_customers: type(409, '在“经理档案”中用“批量调整客户”把该用户的客户调给其他经理，再停用该用户。', 'Move the user’s customers to other managers (manager profiles → move customers in bulk), then deactivate the user.'),
} as const satisfies Partial<Record<Code, ProblemType>>;
