import type { managersTasks as zh } from '../zh-CN/managers-tasks';

/** Account managers (managers/tasks). */
export const managersTasks: Record<keyof typeof zh, string> = {
  'menu.managers.tasks': 'Tasks',
  'menu.managers.task': 'Task',
};
