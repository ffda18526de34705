import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);

/** The UI shows times in Asia/Shanghai whatever the browser's zone. */
export const ZONE = 'Asia/Shanghai';

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '-';
  return dayjs(value).tz(ZONE).format('YYYY-MM-DD HH:mm:ss');
}

/** Today's calendar date in Asia/Shanghai, `YYYY-MM-DD`. */
export function today(): string {
  return dayjs().tz(ZONE).format('YYYY-MM-DD');
}

/** A decimal string (money from the API) shown with two decimals and thousands separators. */
export function formatMoney(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '-';
  const n = Number(value);
  return Number.isFinite(n) ? n.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : value;
}
