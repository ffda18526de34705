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
