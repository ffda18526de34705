import type { Locale } from '../locale.js';

/** 客户经理管理 (managers/tasks): problems, notifications and record names of the sub-area. */
export const managersTasks = {
} as const satisfies Record<string, Record<Locale, string>>;
