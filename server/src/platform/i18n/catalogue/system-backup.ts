import type { Locale } from '../locale.js';
import type { ProblemType } from './problems.js';

/** 数据备份与版本 (Backups and versions): problems, notifications and record names. */
export const systemBackup = {
  entity_backup: { 'zh-CN': '数据备份', 'en-US': 'The backup' },
  backup_incomplete: {
    'zh-CN': '备份“{archive}”不完整：缺少清单文件 manifest.json',
    'en-US': 'The backup “{archive}” is incomplete: it has no manifest.json',
  },
  backup_manifest_invalid: {
    'zh-CN': '备份“{archive}”的清单文件无法读取（已截断或已损坏）',
    'en-US': 'The manifest of the backup “{archive}” cannot be read (truncated or damaged)',
  },
  backup_foreign: {
    'zh-CN': '“{archive}”不是本系统的备份（格式 {format}，系统 {system}）',
    'en-US': '“{archive}” is not a backup of this system (format {format}, system {system})',
  },
  backup_truncated: {
    'zh-CN': '备份“{archive}”的文件 {file} 缺失或被截断',
    'en-US': 'The file {file} of the backup “{archive}” is missing or truncated',
  },
  backup_corrupt: {
    'zh-CN': '备份“{archive}”的文件 {file} 与清单的校验和不符（已被修改或损坏）',
    'en-US': 'The file {file} of the backup “{archive}” does not match its checksum (changed or damaged)',
  },
  backup_newer_schema: {
    'zh-CN': '备份“{archive}”由更新的版本 {version} 制作，含本版本不认识的数据库迁移：{migrations}',
    'en-US': 'The backup “{archive}” was made by the newer version {version}, with migrations this version does not know: {migrations}',
  },
  backup_target_kind: {
    'zh-CN': '该备份须恢复到 {kind} 数据库，目标“{target}”不是',
    'en-US': 'This backup restores into a {kind} database, which “{target}” is not',
  },
  backup_target_not_empty: {
    'zh-CN': '恢复目标“{target}”不是空的：只能恢复到空数据库',
    'en-US': 'The restore target “{target}” is not empty: a backup restores only into an empty database',
  },
  backup_running: { 'zh-CN': '已有一个备份正在进行', 'en-US': 'A backup is running already' },
} as const satisfies Record<string, Record<Locale, string>>;

const type = (status: number, zh: string, en: string): ProblemType => ({ status: [status], advice: { 'zh-CN': zh, 'en-US': en } });
const OTHER_ZH = '改用另一份完好的备份（系统监控 › 数据备份 列出各备份的校验状态），或运行 kam backup verify 检查。';
const OTHER_EN = 'Use another intact backup (System › Backups shows each one’s checksum state), or check one with kam backup verify.';

export const backupProblemTypes = {
  backup_incomplete: type(422, `备份中断时只留下 .partial- 开头的临时目录；没有清单的目录不是完整备份。${OTHER_ZH}`, `An interrupted backup leaves only a .partial- folder; a folder without a manifest is not a complete backup. ${OTHER_EN}`),
  backup_manifest_invalid: type(422, OTHER_ZH, OTHER_EN),
  backup_foreign: type(422, '只能恢复本系统（大客户服务管理系统）制作的备份。检查路径是否指向正确的备份目录。', 'Only backups made by this system restore. Check that the path points at the right backup folder.'),
  backup_truncated: type(422, `备份在复制或传输中被截断：从原处重新复制。${OTHER_ZH}`, `The backup was cut short when copied or transferred: copy it again from its origin. ${OTHER_EN}`),
  backup_corrupt: type(422, `备份的文件在写入后被改动或损坏，恢复前未做任何修改。${OTHER_ZH}`, `A file of the backup changed or was damaged after it was written; nothing was touched. ${OTHER_EN}`),
  backup_newer_schema: type(422, '用制作该备份的版本（或更新的版本）恢复。', 'Restore it with the version that made it, or a newer one.'),
  backup_target_kind: type(422, 'PostgreSQL 备份恢复到 postgres:// 地址，PGlite 备份恢复到一个目录。', 'A PostgreSQL backup restores into a postgres:// URL, a PGlite backup into a folder.'),
  backup_target_not_empty: type(409, '新建一个空数据库（CREATE DATABASE）或指定一个不存在的目录后再恢复；不会覆盖已有数据。', 'Create an empty database (CREATE DATABASE) or name a folder that does not exist, then restore; existing data is never overwritten.'),
  backup_running: type(409, '等当前备份结束（系统监控页显示其进度）后再试。', 'Wait for the running backup to finish (the monitoring page shows it), then try again.'),
} as const;
