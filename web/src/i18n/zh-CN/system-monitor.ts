/** 系统监控. */
export const systemMonitor = {
  'menu.system': '系统运维',
  'menu.system.monitor': '系统监控',
};
