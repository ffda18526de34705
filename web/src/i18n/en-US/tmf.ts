import type { tmf as zh } from '../zh-CN/tmf';

/** TM Forum Open APIs. */
export const tmf: Record<keyof typeof zh, string> = {
  'menu.system.tmf': 'Open APIs',
};
