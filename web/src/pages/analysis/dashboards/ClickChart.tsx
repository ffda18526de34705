import { lazy, Suspense } from 'react';
import type { ChartOption } from '../../../components/Chart';
import type { ChartClick } from './ClickableEChart';

export type { ChartClick };

// ECharts in its own chunk, as components/Chart does: fetched when the first chart is drawn
const ClickableEChart = lazy(async () => ({ default: (await import('./ClickableEChart')).ClickableEChart }));

export function ClickChart(props: { option: ChartOption; height?: number; onClick?: (c: ChartClick) => void; testId?: string }) {
  return (
    <Suspense fallback={<div style={{ width: '100%', height: props.height ?? 300 }} />}>
      <ClickableEChart {...props} />
    </Suspense>
  );
}
