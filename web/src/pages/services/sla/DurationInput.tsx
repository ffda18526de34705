import { InputNumber, Select, Space } from 'antd';
import { forwardRef, useEffect, useRef, useState } from 'react';
import type { MessageKey } from '../../../i18n';
import { useI18n } from '../../../i18n';
import { tid } from '../../../components/EntityModalForm';
import { UNIT_MINUTES, unitFor, unitOnClock, unitsOf, type Clock, type Unit } from './names';

interface Props {
  /** Minutes of the clock (what the API takes). */
  value?: number;
  onChange?: (minutes: number | undefined) => void;
  clock: Clock;
  testId: string;
}

/** A target edited as an amount and a unit (小时 / 天, or 工作小时 / 工作日 on the business clock), kept in minutes. */
export const DurationInput = forwardRef<HTMLSpanElement, Props>(function DurationInput({ value, onChange, clock, testId }, ref) {
  const { t } = useI18n();
  const [unit, setUnit] = useState<Unit>(() => (value ? unitFor(value, clock) : unitsOf(clock)[1]!));
  const amount = value === undefined ? undefined : value / UNIT_MINUTES[unit];
  const emit = (n: number | null | undefined, u: Unit) => onChange?.(n === null || n === undefined ? undefined : Math.round(n * UNIT_MINUTES[u]));

  // a change of clock keeps the number and maps the unit: 2 天 becomes 2 个工作日
  const seenClock = useRef(clock);
  useEffect(() => {
    if (seenClock.current === clock) return;
    seenClock.current = clock;
    const next = unitOnClock(unit, clock);
    setUnit(next);
    emit(amount, next);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [clock]);

  return (
    <span ref={ref}>
      <Space.Compact>
      <InputNumber<number> min={0} style={{ width: 140 }} value={amount} onChange={(n) => emit(n, unit)} {...tid(`${testId}-amount`)} />
      <Select<Unit>
        style={{ width: 120 }}
        value={unit}
        onChange={(u) => {
          setUnit(u);
          emit(amount, u);
        }}
        options={unitsOf(clock).map((u) => ({ value: u, label: t(`sla.unit.${u}` as MessageKey) }))}
        {...tid(`${testId}-unit`)}
      />
    </Space.Compact>
    </span>
  );
});
