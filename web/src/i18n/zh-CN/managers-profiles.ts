/** 客户经理管理 (managers/profiles). */
export const managersProfiles = {
  'menu.managers.profiles': '经理档案',
  'menu.managers.profile': '经理档案详情',
};
