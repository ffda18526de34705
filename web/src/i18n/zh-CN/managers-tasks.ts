/** 客户经理管理 (managers/tasks). */
export const managersTasks = {
  'menu.managers.tasks': '任务管理',
  'menu.managers.task': '任务详情',
};
