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
  'system.operate': { 'zh-CN': '系统运维（立即执行任务、备份与恢复）', 'en-US': 'Operate the system (run jobs now, backups and restores)' },
  'integrations.manage': { 'zh-CN': '管理接口客户端、事件订阅与死信', 'en-US': 'Manage API clients, event subscriptions and dead letters' },
  'customers.read': { 'zh-CN': '查看客户档案', 'en-US': 'View customer profiles' },
  'customers.read_unit': {
    'zh-CN': '查看本单位全部客户（否则仅本人客户）',
    'en-US': 'See every customer of the unit (else only one’s own portfolio)',
  },
  'customers.read_area': {
    'zh-CN': '查看所在地市（省级单位为全省）全部大客户（营业厅、热线坐席）',
    'en-US': 'See every key account of one’s city (of the province at a province unit): outlet and hotline agents',
  },
  'customers.edit': { 'zh-CN': '维护客户档案', 'en-US': 'Edit customer profiles' },
  'customers.lifecycle': { 'zh-CN': '客户入库/转保留库', 'en-US': 'Move customers between archives' },
  'customers.assign': { 'zh-CN': '分配客户经理', 'en-US': 'Assign account managers' },
  'customers.merge': { 'zh-CN': '合并重复客户', 'en-US': 'Merge duplicate customers' },
  'customers.reveal_pii': { 'zh-CN': '查看完整个人信息', 'en-US': 'Reveal personal data' },
  'customers.export': { 'zh-CN': '导出客户数据', 'en-US': 'Export customer data' },
  'customers.export_pii': { 'zh-CN': '导出含个人信息的数据', 'en-US': 'Export personal data' },
  'customers.import': { 'zh-CN': '导入 BOSS 数据', 'en-US': 'Import BOSS extracts' },
  'rules.read': { 'zh-CN': '查看服务规则与计算记录', 'en-US': 'View service rules and runs' },
  'rules.edit': { 'zh-CN': '编辑服务规则并试算', 'en-US': 'Edit and preview service rules' },
  'rules.run': { 'zh-CN': '执行与回滚月度规则计算', 'en-US': 'Run and roll back the monthly rules' },
  'points.redeem': { 'zh-CN': '积分兑换', 'en-US': 'Redeem points' },
  'points.adjust': { 'zh-CN': '积分调整', 'en-US': 'Adjust points' },
  'points.catalogue': { 'zh-CN': '管理积分兑换目录', 'en-US': 'Manage the redemption catalogue' },
  'benefits.use': { 'zh-CN': '登记权益使用', 'en-US': 'Record benefit use' },
  'discounts.request': { 'zh-CN': '提交优惠申请', 'en-US': 'Request custom discounts' },
  'discounts.approve': { 'zh-CN': '审批优惠申请', 'en-US': 'Approve custom discounts' },
  'candidates.decide': { 'zh-CN': '确认或否决潜在大客户', 'en-US': 'Confirm or reject potential key accounts' },
  'services.read': { 'zh-CN': '查看服务工单', 'en-US': 'View service requests' },
  'services.handle': { 'zh-CN': '受理与处理服务工单', 'en-US': 'Raise and handle service requests' },
  'services.manage': { 'zh-CN': '管理本单位服务工单（分派、关闭、重开）', 'en-US': "Manage the unit's service requests (assign, close, reopen)" },
  'services.sla': { 'zh-CN': '管理服务时限与节假日', 'en-US': 'Manage SLA policies and the holiday calendar' },
  'appointments.book': { 'zh-CN': '预约服务（预约、改约、取消）', 'en-US': 'Book, move and cancel appointments' },
  'appointments.manage': { 'zh-CN': '管理预约资源与时段', 'en-US': 'Manage bookable resources and slots' },
  'solutions.edit': { 'zh-CN': '编制与推进解决方案', 'en-US': 'Draft and follow solutions' },
  'solutions.catalogue': { 'zh-CN': '管理解决方案产品目录', 'en-US': 'Manage the solutions catalogue' },
  'partners.manage': { 'zh-CN': '管理跨行业合作伙伴及其接口密钥', 'en-US': 'Manage cross-industry partners and their API keys' },
  'notices.read': { 'zh-CN': '查看割接/停机通知', 'en-US': 'View planned-work notices' },
  'notices.manage': { 'zh-CN': '编制与发送割接/停机通知', 'en-US': 'Plan and send planned-work notices' },
  'notices.approve': { 'zh-CN': '审批割接/停机通知', 'en-US': 'Approve planned-work notices' },
  'managers.read': { 'zh-CN': '查看本单位客户经理的档案、工作与业绩', 'en-US': "View the unit's account managers: profiles, work and performance" },
  'managers.edit': { 'zh-CN': '维护客户经理档案（职级、技能、证书）', 'en-US': 'Edit account-manager profiles (grade, skills, certifications)' },
  'work.own': { 'zh-CN': '本人的工作计划、日志、提醒、任务与业绩', 'en-US': 'One’s own work plans, logs, reminders, tasks and scorecard' },
  'work.review': { 'zh-CN': '审阅本单位的工作计划与日志', 'en-US': "Review the unit's work plans and logs" },
  'tasks.assign': { 'zh-CN': '下达、跟踪与评价任务', 'en-US': 'Set, follow and evaluate tasks' },
  'reminders.configure': { 'zh-CN': '设置本单位的提醒类型与提前天数', 'en-US': "Set the unit's reminder types and lead times" },
  'scorecards.manage': { 'zh-CN': '设置考核指标权重与目标，计算、关闭与重算月度考核', 'en-US': 'Set scorecard weights and targets; compute, close and recompute monthly scorecards' },
  'analysis.read': { 'zh-CN': '查看分析：指标目录、综合统计、专题分析与流失预警', 'en-US': 'View the analyses: indicator catalogue, statistics, dashboards and churn warnings' },
  'analysis.query': { 'zh-CN': '综合查询，锁定、保存与导出目标客户群', 'en-US': 'Run comprehensive queries; lock, save and export target groups' },
  'analysis.campaigns': { 'zh-CN': '将目标客户群下达为任务或营销活动，登记活动响应', 'en-US': 'Hand target groups to managers as tasks or to campaigns; record campaign responses' },
  'analysis.indicators': { 'zh-CN': '维护指标目录（在已有度量上定义新指标）', 'en-US': 'Maintain the indicator catalogue (new indicators on existing measures)' },
} as const;

export type Permission = keyof typeof PERMISSIONS;
/**
 * What a route declares: a named permission, any signed-in user, nobody needs to sign in, a partner's API key
 * (never a session), or `machine`: an OAuth 2.0 client's bearer token with the route's scope, or a signed-in
 * user holding the route's permission (the route's `config.machine` names both; see platform/http/access.ts).
 */
export type RouteAccess = Permission | 'authenticated' | 'public' | 'partner' | 'machine';

export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(p: string): p is Permission {
  return Object.hasOwn(PERMISSIONS, p);
}
