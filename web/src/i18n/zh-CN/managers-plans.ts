/** 客户经理管理 (managers/plans). */
export const managersPlans = {
  'menu.managers.plans': '工作计划',
  'menu.managers.plan': '计划详情',
  'menu.managers.logs': '工作日志',
};
