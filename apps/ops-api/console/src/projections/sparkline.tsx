import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

/** A small line chart of a series over time (seconds since epoch), drawn by uPlot. */
export function Sparkline({ times, values, label }: { times: number[]; values: number[]; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | undefined>(undefined);
  useEffect(() => {
    chart.current = new uPlot(
      {
        width: 180,
        height: 40,
        class: 'sparkline',
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        axes: [{ show: false }, { show: false }],
        series: [{}, { stroke: '#2f4aa8', fill: 'rgba(47, 74, 168, 0.12)', width: 1.5 }],
      },
      [[], []],
      host.current!,
    );
    return () => chart.current?.destroy();
  }, []);
  useEffect(() => chart.current?.setData([times, values]), [times, values]);
  return <div ref={host} role="img" aria-label={label} />;
}
