/** 客户经理管理 (managers/workbench). */
export const managersWorkbench = {
  'menu.managers': '客户经理管理',
  'menu.managers.workbench': '经理工作台',
  'menu.managers.team': '团队概览',
};
