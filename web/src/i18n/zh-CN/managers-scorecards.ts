/** 客户经理管理 (managers/scorecards). */
export const managersScorecards = {
  'menu.managers.scorecards': '业绩考核',
  'menu.managers.scorecard': '考核详情',
  'menu.managers.scorecardWeights': '考核方案',
};
