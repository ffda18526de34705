import type { managersScorecards as zh } from '../zh-CN/managers-scorecards';

/** Account managers (managers/scorecards). */
export const managersScorecards: Record<keyof typeof zh, string> = {
  'menu.managers.scorecards': 'Scorecards',
  'menu.managers.scorecard': 'Scorecard',
  'menu.managers.scorecardWeights': 'Scorecard weights',
};
