import type { Locale } from '../locale.js';

/** TM Forum 开放接口 (TM Forum Open APIs): problems, notifications and record names. */
export const tmf = {
  entity_tmf_resource: { 'zh-CN': 'TM Forum 开放接口', 'en-US': 'TM Forum Open APIs' },
} as const satisfies Record<string, Record<Locale, string>>;
