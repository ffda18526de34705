/**
 * Server-side message catalogue for problem+json titles and field errors (zh-CN first, en-US complete),
 * one file per area under catalogue/ (each entry names both languages, so none can be missing).
 * Placeholders are written {name}.
 */
import { common } from './catalogue/common.js';
import { customers } from './catalogue/customers.js';
import { imports } from './catalogue/imports.js';
import { input } from './catalogue/input.js';
import { rules } from './catalogue/rules.js';
import { security } from './catalogue/security.js';
import { servicesRequests } from './catalogue/services-requests.js';
import { servicesAppointments } from './catalogue/services-appointments.js';
import { servicesSla } from './catalogue/services-sla.js';
import { servicesSolutions } from './catalogue/services-solutions.js';
import { servicesPartners } from './catalogue/services-partners.js';
import { servicesNotices } from './catalogue/services-notices.js';
import { managersProfiles } from './catalogue/managers-profiles.js';
import { managersPlans } from './catalogue/managers-plans.js';
import { managersReminders } from './catalogue/managers-reminders.js';
import { managersTasks } from './catalogue/managers-tasks.js';
import { managersScorecards } from './catalogue/managers-scorecards.js';
import { managersWorkbench } from './catalogue/managers-workbench.js';
import { systemEvents } from './catalogue/system-events.js';
import { systemClients } from './catalogue/system-clients.js';
import { tmf } from './catalogue/tmf.js';
import { systemBackup } from './catalogue/system-backup.js';
import { systemMonitor } from './catalogue/system-monitor.js';
import { analysisStatistics } from './catalogue/analysis-statistics.js';
import { analysisChurn } from './catalogue/analysis-churn.js';
import { analysisQuery } from './catalogue/analysis-query.js';
import { analysisIndicators } from './catalogue/analysis-indicators.js';
import { LOCALES, type Locale } from './locale.js';

export { LOCALES, type Locale };

const catalogue = { ...common, ...analysisQuery, ...customers, ...imports, ...rules, ...security, ...input, ...servicesAppointments, ...servicesSla, ...servicesRequests, ...servicesSolutions, ...servicesPartners, ...servicesNotices, ...managersProfiles, ...managersPlans, ...managersReminders, ...managersTasks, ...managersScorecards, ...managersWorkbench, ...systemEvents, ...systemClients, ...tmf, ...systemBackup, ...systemMonitor, ...analysisStatistics, ...analysisChurn, ...analysisIndicators };

export type MessageCode = keyof typeof catalogue;

export function isMessageCode(code: string): code is MessageCode {
  return Object.hasOwn(catalogue, code);
}

/** A parameter that is itself a message, worded in the same language (a level's name in a rule error). */
export interface MessageRef {
  msg: MessageCode;
  params?: Record<string, unknown>;
}
export const messageRef = (msg: MessageCode, params?: Record<string, unknown>): MessageRef => ({ msg, params });
const isMessageRef = (v: unknown): v is MessageRef => typeof v === 'object' && v !== null && isMessageCode(String((v as MessageRef).msg));

export function translate(code: MessageCode, locale: Locale, params: Record<string, unknown> = {}): string {
  return catalogue[code][locale].replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = params[k];
    if (Array.isArray(v) && v.every(isMessageRef)) return v.map((ref) => translate(ref.msg, locale, ref.params)).join(locale === 'zh-CN' ? '、' : ', ');
    return isMessageRef(v) ? translate(v.msg, locale, v.params) : String(v ?? `{${k}}`);
  });
}

export const isLocale = (v: string): v is Locale => (LOCALES as readonly string[]).includes(v);

/** Picks zh-CN or en-US from an Accept-Language header; Chinese is the default. */
export function localeFrom(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'zh-CN';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en-US' : 'zh-CN';
}
