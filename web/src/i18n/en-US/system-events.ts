import type { systemEvents as zh } from '../zh-CN/system-events';

/** Event subscriptions and delivery. */
export const systemEvents: Record<keyof typeof zh, string> = {
  'menu.system.events': 'Event subscriptions',
};
