import dayjs from 'dayjs';
import type { Schemas } from '../../../api/client';
import { ZONE } from '../../../components/format';
import type { MessageKey, Translate } from '../../../i18n';

export type Scorecard = Schemas['Scorecard'];
export type ScorecardDetail = Schemas['ScorecardDetail'];
export type Line = Schemas['ScorecardLine'];
export type ScoreRecord = Schemas['ScorecardRecord'];
export type Weights = Schemas['ScorecardWeights'];
export type Group = Line['group'];
export type Unit = Line['unit'];

export const GROUPS: Group[] = ['business', 'work', 'service'];
export const GROUP_COLOR: Record<Group, string> = { business: '#1677ff', work: '#52c41a', service: '#fa8c16' };

/** The month before the current one (广东): the month the job computes on the 3rd, the list's default. */
export const lastMonth = () => dayjs().tz(ZONE).subtract(1, 'month').format('YYYY-MM');

/** A code's label from the catalogue (`scorecard.code.<code>`), the request types' from theirs; the code itself if none. */
export function codeName(t: Translate, code: string | null | undefined, entity?: string): string {
  if (!code) return '-';
  const key = (entity === 'service_request' || entity === 'survey' ? `sla.type.${code}` : entity === 'lifecycle_event' ? `customers.reason.${code}` : `scorecard.code.${code}`) as MessageKey;
  const text = t(key);
  return text === key ? code : text;
}

/** A figure with its unit (元 with thousands separators and two decimals; percent and scores with up to two). */
export function formatValue(t: Translate, value: string | number | null | undefined, unit: Unit): string {
  if (value === null || value === undefined || value === '') return t('scorecard.noData');
  const n = Number(value);
  if (unit === 'yuan') return `¥${n.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  const text = n.toLocaleString('zh-CN', { maximumFractionDigits: 2 });
  return unit === 'percent' ? `${text}%` : `${text} ${t(`scorecard.unit.${unit}`)}`;
}

/** The most a group can score: its weights × 1.2. */
export const groupMax = (lines: Line[], group: Group) => lines.filter((l) => l.group === group).reduce((s, l) => s + l.weight * 1.2, 0);
export const groupScore = (lines: Line[], group: Group) => lines.filter((l) => l.group === group).reduce((s, l) => s + l.score, 0);
