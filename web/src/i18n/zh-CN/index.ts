/**
 * The zh-CN catalogue, one file per area; it is the reference: every key here must exist in the en-US
 * file of the same area (the type enforces it).
 */
import { shell } from './shell';
import { admin } from './admin';
import { customers } from './customers';
import { rules } from './rules';
import { home } from './home';
import { audit } from './audit';
import { servicesSolutions } from './services-solutions';
import { servicesSla } from './services-sla';
import { servicesRequests } from './services-requests';
import { servicesAppointments } from './services-appointments';
import { servicesNotices } from './services-notices';
import { servicesPartners } from './services-partners';
import { managersProfiles } from './managers-profiles';
import { managersPlans } from './managers-plans';
import { managersReminders } from './managers-reminders';
import { managersTasks } from './managers-tasks';
import { managersScorecards } from './managers-scorecards';
import { managersWorkbench } from './managers-workbench';
import { systemMonitor } from './system-monitor';
import { systemBackup } from './system-backup';
import { tmf } from './tmf';
import { systemClients } from './system-clients';
import { systemEvents } from './system-events';
import { analysis } from './analysis';
import { analysisChurn } from './analysis-churn';
import { analysisStatistics } from './analysis-statistics';
import { analysisDashboards } from './analysis-dashboards';
import { analysisIndicators } from './analysis-indicators';
import { analysisQuery } from './analysis-query';

export const zhCN = { ...shell, ...admin, ...customers, ...rules, ...home, ...audit, ...servicesSla, ...servicesRequests, ...servicesSolutions, ...servicesAppointments, ...servicesNotices, ...servicesPartners, ...managersProfiles, ...managersPlans, ...managersReminders, ...managersTasks, ...managersScorecards, ...managersWorkbench, ...systemMonitor, ...systemBackup, ...tmf, ...systemClients, ...systemEvents, ...analysis, ...analysisStatistics, ...analysisDashboards, ...analysisChurn, ...analysisIndicators, ...analysisQuery };

export type MessageKey = keyof typeof zhCN;
