import type { Locale } from '../locale.js';

/** 系统监控 (System monitoring): problems, notifications and record names. */
export const systemMonitor = {
  entity_job_run: { 'zh-CN': '系统监控', 'en-US': 'System monitoring' },
} as const satisfies Record<string, Record<Locale, string>>;
