import type { Locale } from '../locale.js';

/** 数据备份与版本 (Backups and versions): problems, notifications and record names. */
export const systemBackup = {
  entity_backup: { 'zh-CN': '数据备份与版本', 'en-US': 'Backups and versions' },
} as const satisfies Record<string, Record<Locale, string>>;
