import { lazy, Suspense } from 'react';
import type { ChartClick, ChartOption, ChartProps } from './EChart';

export type { ChartClick, ChartOption };

// ECharts is the console's largest library: its own chunk, fetched when a chart is first drawn.
const EChart = lazy(async () => ({ default: (await import('./EChart')).EChart }));

/** A chart of ECharts, loaded on first use; the box keeps its height while the library arrives. */
export function Chart(props: ChartProps) {
  return (
    <Suspense fallback={<div style={{ width: '100%', height: props.height ?? 320 }} />}>
      <EChart {...props} />
    </Suspense>
  );
}
