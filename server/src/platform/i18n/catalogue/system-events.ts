import type { Locale } from '../locale.js';

/** 事件订阅与投递 (Event subscriptions and delivery): problems, notifications and record names. */
export const systemEvents = {
  entity_event_subscription: { 'zh-CN': '事件订阅与投递', 'en-US': 'Event subscriptions and delivery' },
} as const satisfies Record<string, Record<Locale, string>>;
