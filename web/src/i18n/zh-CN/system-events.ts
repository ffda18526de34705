/** 事件订阅与投递. */
export const systemEvents = {
  'menu.system.events': '事件订阅',
};
