import type { analysis as zh } from '../zh-CN/analysis';

/** Analysis: the menu group; each sub-area keeps its own file (analysis-<sub-area>.ts). */
export const analysis: Record<keyof typeof zh, string> = {
  'menu.analysis': 'Analysis',
};
