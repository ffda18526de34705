import type { managersWorkbench as zh } from '../zh-CN/managers-workbench';

/** Account managers (managers/workbench). */
export const managersWorkbench: Record<keyof typeof zh, string> = {
  'menu.managers': 'Account managers',
  'menu.managers.workbench': 'Workbench',
  'menu.managers.team': 'Team view',
};
