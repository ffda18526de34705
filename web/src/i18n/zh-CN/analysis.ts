/** 数据分析 (analysis): the menu group; each sub-area keeps its own file (analysis-<sub-area>.ts). */
export const analysis = {
  'menu.analysis': '数据分析',
};
