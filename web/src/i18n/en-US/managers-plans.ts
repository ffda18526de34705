import type { managersPlans as zh } from '../zh-CN/managers-plans';

/** Account managers (managers/plans). */
export const managersPlans: Record<keyof typeof zh, string> = {
  'menu.managers.plans': 'Work plans',
  'menu.managers.plan': 'Work plan',
  'menu.managers.logs': 'Work log',
};
