import type { Locale } from '../locale.js';
import type { ProblemType } from './problems.js';

/** 系统监控 (System monitoring): problems, alerts and the names of the scheduled jobs. */
export const systemMonitor = {
  entity_job_run: { 'zh-CN': '任务运行', 'en-US': 'The job run' },
  entity_job: { 'zh-CN': '定时任务', 'en-US': 'The scheduled job' },
  entity_monitor_thresholds: { 'zh-CN': '告警阈值', 'en-US': 'The alert thresholds' },
  entity_monitor_alert: { 'zh-CN': '系统告警', 'en-US': 'The system alert' },
  job_running: { 'zh-CN': '任务“{job}”正在运行', 'en-US': 'The job “{job}” is running' },

  monitor_alert_raised: { 'zh-CN': '系统告警：{alert}', 'en-US': 'System alert: {alert}' },
  monitor_alert_cleared: { 'zh-CN': '告警已恢复：{alert}', 'en-US': 'Alert cleared: {alert}' },
  alert_disk_low: {
    'zh-CN': '数据目录所在磁盘仅剩 {freePercent}% 可用（阈值 {threshold}%）',
    'en-US': 'Only {freePercent}% of the disk holding the data folder is free (threshold {threshold}%)',
  },
  alert_outbox_lag: {
    'zh-CN': '最早一条待投递事件已等待 {minutes} 分钟（阈值 {threshold} 分钟）',
    'en-US': 'The oldest undelivered event has waited {minutes} minutes (threshold {threshold})',
  },
  alert_dead_letters: { 'zh-CN': '有 {count} 条事件投递失败进入死信（阈值 {threshold}）', 'en-US': '{count} events were given up on as dead letters (threshold {threshold})' },
  alert_job_failed: { 'zh-CN': '定时任务“{job}”最近一次运行失败', 'en-US': 'The last run of the job “{job}” failed' },
  alert_replication_lag: { 'zh-CN': '只读副本落后主库 {seconds} 秒（阈值 {threshold} 秒）', 'en-US': 'The replica is {seconds} s behind the primary (threshold {threshold} s)' },
  alert_error_rate: {
    'zh-CN': '近 5 分钟服务器错误（5xx）占 {percent}%（阈值 {threshold}%，共 {requests} 个请求）',
    'en-US': 'Server errors (5xx) were {percent}% of the last 5 minutes’ {requests} requests (threshold {threshold}%)',
  },
  alert_latency_p95: {
    'zh-CN': '接口 {route} 近 5 分钟 95% 响应时间为 {seconds} 秒（阈值 {threshold} 秒）',
    'en-US': 'The p95 of {route} over the last 5 minutes is {seconds} s (threshold {threshold} s)',
  },

  // the scheduled jobs by name (the alerts name a job so; the console's names are in web/src/i18n/*/system-monitor.ts)
  'job_sessions.purge': { 'zh-CN': '清理过期会话', 'en-US': 'Purge expired sessions' },
  'job_audit.checkpoint': { 'zh-CN': '审计日志签名检查点', 'en-US': 'Audit trail checkpoint' },
  'job_notify.outbound': { 'zh-CN': '发送短信与邮件', 'en-US': 'Send SMS and e-mail' },
  'job_customers.standings': { 'zh-CN': '客户状态刷新', 'en-US': 'Refresh customer standings' },
  'job_rules.monthly': { 'zh-CN': '月度规则计算', 'en-US': 'Monthly rules run' },
  'job_services.sla-clock': { 'zh-CN': '服务时限计时', 'en-US': 'SLA clock' },
  'job_services.request-counts': { 'zh-CN': '工单计数归并', 'en-US': 'Request counts folded' },
  'job_services.appointment-reminders': { 'zh-CN': '预约提醒', 'en-US': 'Appointment reminders' },
  'job_managers.plan-items-missed': { 'zh-CN': '标记未完成的工作计划', 'en-US': 'Mark missed plan items' },
  'job_managers.reminders': { 'zh-CN': '客户经理每日提醒', 'en-US': 'Account managers’ daily reminders' },
  'job_managers.tasks-overdue': { 'zh-CN': '逾期任务督办', 'en-US': 'Escalate overdue tasks' },
  'job_managers.scorecards': { 'zh-CN': '客户经理月度考核', 'en-US': 'Account managers’ monthly scorecards' },
  'job_system.alerts': { 'zh-CN': '系统告警检查', 'en-US': 'Check the alert thresholds' },
  'job_system.backup': { 'zh-CN': '数据备份', 'en-US': 'Back up the data' },
  'job_integration.inbox': { 'zh-CN': 'BOSS 文件收件箱', 'en-US': 'BOSS inbox folder' },
  'job_integration.boss_extract': { 'zh-CN': 'BOSS 月度数据下发', 'en-US': 'Monthly extract for BOSS' },
  'job_events.prune': { 'zh-CN': '清理已投递的事件', 'en-US': 'Prune delivered events' },
  'job_clients.calls_prune': { 'zh-CN': '清理接口调用日志', 'en-US': 'Prune the API call log' },
  'job_analysis.churn': { 'zh-CN': '流失预警月度评分', 'en-US': 'Monthly churn warning scores' },
  'job_analysis.rollups': { 'zh-CN': '重建分析月度汇总', 'en-US': 'Rebuild the analysis rollups' },
} as const satisfies Record<string, Record<Locale, string>>;

const type = (status: number, zh: string, en: string): ProblemType => ({ status: [status], advice: { 'zh-CN': zh, 'en-US': en } });

/** The problem pages of the monitoring console's codes (merged into PROBLEM_TYPES). */
export const monitorProblemTypes = {
  job_running: type(409, '该任务正在运行（可能由定时调度或其他服务器启动）：等它结束后再试，监控页会显示其进度。', 'The job is running (started on schedule or by another server): try again when it ends; the console shows its run.'),
};
