import type { Locale } from '../locale.js';
import type { ProblemType } from './problems.js';

/** 服务时限 (services/sla): problems of the SLA policies and the holiday calendar, and the names of their records. */
export const servicesSla = {
  entity_sla_policy: { 'zh-CN': '时限策略', 'en-US': 'The SLA policy' },
  entity_holiday: { 'zh-CN': '节假日', 'en-US': 'The holiday' },
  sla_resolve_before_respond: { 'zh-CN': '解决时限不能短于响应时限（{respond} 分钟）', 'en-US': 'The resolution target cannot be shorter than the response target ({respond} minutes)' },
  sla_policy_scope_taken: {
    'zh-CN': '已有相同业务类型、客户级别和区域的时限策略',
    'en-US': 'A policy for this request type, customer level and area already exists',
  },
  sla_workday_not_weekend: { 'zh-CN': '{day} 不是周末：只有周六、周日可以设为调休上班', 'en-US': '{day} is not a weekend day: only a Saturday or Sunday can be marked as worked' },
} as const satisfies Record<string, Record<Locale, string>>;

type Code = keyof typeof servicesSla;
const type = (status: number, zh: string, en: string): ProblemType => ({ status: [status], advice: { 'zh-CN': zh, 'en-US': en } });

/** The problem pages of the SLA codes (merged into PROBLEM_TYPES). */
export const slaProblemTypes = {
  sla_resolve_before_respond: type(400, '把解决时限设为不短于响应时限。', 'Set a resolution target at least as long as the response target.'),
  sla_policy_scope_taken: type(409, '修改已有的那条策略（可在列表中按业务类型筛选找到），或为新策略选择其他客户级别或区域。', 'Change the existing policy (filter the list by request type to find it), or choose another level or area for the new one.'),
  sla_workday_not_weekend: type(400, '工作日本来就上班：调休上班只登记在周六或周日；放假的工作日登记为法定节假日。', 'Weekdays are worked anyway: mark only a Saturday or Sunday as worked; a weekday off is a holiday.'),
} as const satisfies Partial<Record<Code, ProblemType>>;
