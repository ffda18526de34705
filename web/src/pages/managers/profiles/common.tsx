import { Tag } from 'antd';
import dayjs from 'dayjs';
import type { Schemas } from '../../../api/client';
import { today } from '../../../components/format';
import type { MessageKey, Translate } from '../../../i18n';

export type ManagerSummary = Schemas['ManagerSummary'];
export type ManagerDetail = Schemas['ManagerDetail'];
export type Certification = Schemas['ManagerCertification'];
export type Grade = NonNullable<ManagerSummary['grade']>;
export type Skill = ManagerSummary['skills'][number];

export const GRADES: Grade[] = ['junior', 'intermediate', 'senior', 'expert'];
export const SKILLS: Skill[] = ['ict', 'finance', 'government', 'manufacturing', 'education', 'health', 'retail', 'logistics'];
/** A certification expiring within this many days is highlighted. */
export const EXPIRY_WARN_DAYS = 60;

export const gradeName = (t: Translate, grade: Grade | null | undefined) => t(grade ? (`managerProfiles.grade.${grade}` as MessageKey) : 'managerProfiles.grade.none');
export const skillName = (t: Translate, skill: Skill) => t(`managerProfiles.skill.${skill}` as MessageKey);

const GRADE_COLORS: Record<Grade, string> = { junior: 'default', intermediate: 'blue', senior: 'geekblue', expert: 'gold' };

export function GradeTag({ grade, t }: { grade: Grade | null | undefined; t: Translate }) {
  return <Tag color={grade ? GRADE_COLORS[grade] : undefined}>{gradeName(t, grade)}</Tag>;
}

/** 从业年限 as years and months (null: no start recorded). */
export function tenureText(t: Translate, months: number | null | undefined): string {
  if (months === null || months === undefined) return '-';
  if (months < 12) return t('managerProfiles.tenureMonths', { months });
  return t('managerProfiles.tenureValue', { years: Math.floor(months / 12), months: months % 12 });
}

/** Days from today (Asia/Shanghai calendar, as the server counts) until a day. */
export const daysUntil = (day: string) => dayjs(day).diff(dayjs(today()), 'day');

/** A certification's expiry: red once expired, orange within EXPIRY_WARN_DAYS, green otherwise. */
export function ExpiryTag({ expiresOn, t, testId }: { expiresOn: string | null | undefined; t: Translate; testId?: string }) {
  if (!expiresOn) return <Tag>{t('managerProfiles.cert.noExpiry')}</Tag>;
  const days = daysUntil(expiresOn);
  const props = testId ? { 'data-testid': testId } : {};
  if (days < 0) return <Tag color="red" {...props}>{t('managerProfiles.cert.expiredTag')}</Tag>;
  if (days <= EXPIRY_WARN_DAYS) return <Tag color="orange" {...props}>{t('managerProfiles.cert.expiring', { days })}</Tag>;
  return <Tag color="green" {...props}>{t('managerProfiles.cert.valid')}</Tag>;
}

/** `2026-10-01` → `2026-10`. */
export const monthOf = (monthDate: string | null | undefined) => (monthDate ? monthDate.slice(0, 7) : '');
