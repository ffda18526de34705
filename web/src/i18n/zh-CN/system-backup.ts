/** 数据备份与版本. */
export const systemBackup = {
  'menu.system.backups': '数据备份',
};
