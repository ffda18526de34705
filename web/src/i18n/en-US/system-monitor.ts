import type { systemMonitor as zh } from '../zh-CN/system-monitor';

/** System monitoring. */
export const systemMonitor: Record<keyof typeof zh, string> = {
  'menu.system': 'Operations',
  'menu.system.monitor': 'Monitoring',
};
