import type { managersProfiles as zh } from '../zh-CN/managers-profiles';

/** Account managers (managers/profiles). */
export const managersProfiles: Record<keyof typeof zh, string> = {
  'menu.managers.profiles': 'Manager profiles',
  'menu.managers.profile': 'Manager profile',
};
