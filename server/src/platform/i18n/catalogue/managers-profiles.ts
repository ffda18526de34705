import type { Locale } from '../locale.js';

/** 客户经理管理 (managers/profiles): problems, notifications and record names of the sub-area. */
export const managersProfiles = {
} as const satisfies Record<string, Record<Locale, string>>;
