import { DatePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useApi } from '../../api/swr';
import { tid } from '../../components/EntityModalForm';
import { currentMonth, previousMonth } from './common';

/** The months with facts (GET /api/rules/months), newest first; undefined while they are read. */
export function useFactsMonths() {
  return useApi('/api/rules/months', {}).data;
}

/**
 * The month a preview or a run takes: the user's pick, else the latest month with facts (a month
 * without them is refused), else, before they are known or when there are none, the last month ended.
 */
export function useMonthChoice(): [Dayjs, (d: Dayjs) => void] {
  const months = useFactsMonths();
  const [picked, setPicked] = useState<Dayjs | null>(null);
  return [picked ?? dayjs(months?.[0]?.month ?? previousMonth(), 'YYYY-MM'), setPicked];
}

/** The month picker of the rules pages: months that have ended and have facts (the server refuses the others). */
export function MonthPicker({ value, onChange, testId }: { value: Dayjs; onChange: (d: Dayjs) => void; testId: string }) {
  const months = useFactsMonths();
  const withFacts = months && new Set(months.map((m) => m.month));
  return (
    <DatePicker
      picker="month"
      format="YYYY-MM"
      allowClear={false}
      value={value}
      onChange={(d) => d && onChange(d)}
      disabledDate={(d) => {
        const m = d.format('YYYY-MM');
        return m >= currentMonth() || (withFacts !== undefined && withFacts.size > 0 && !withFacts.has(m));
      }}
      {...tid(testId)}
    />
  );
}
