import type { systemBackup as zh } from '../zh-CN/system-backup';

/** Backups and versions. */
export const systemBackup: Record<keyof typeof zh, string> = {
  'menu.system.backups': 'Backups',
};
