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

/** Bytes in the largest unit that keeps the number at one or more: 850 B, 92.5 MB, 1.2 GB ('-' when unknown). */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '-';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  for (; v >= 1024 && i < units.length - 1; i++) v /= 1024;
  return `${v.toFixed(i ? 1 : 0)} ${units[i]}`;
}
