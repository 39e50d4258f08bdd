// A time-series chart with uPlot. The canvas is for the eye: points are placed from floats
// (money.ts plotValue), but the legend shows each value as its exact string when one is given,
// and the figure carries a text summary for screen readers.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useSession } from './session';

export interface ChartSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
  /** Exact values shown in the legend (amounts), aligned with `values`. */
  readonly exact?: readonly (string | null)[];
  /** How a value reads in the legend, when there is no exact string. */
  readonly format?: (value: number) => string;
  readonly dashed?: boolean;
}

export interface ChartProps {
  readonly title: string;
  /** What the chart shows, in words, for those who cannot see it. */
  readonly summary: string;
  /** Epoch seconds. */
  readonly times: readonly number[];
  readonly series: readonly ChartSeries[];
  readonly height?: number;
}

const PALETTE = [
  '--chart-1',
  '--chart-2',
  '--chart-3',
  '--chart-4',
  '--chart-5',
  '--chart-6',
  '--chart-7',
  '--chart-8',
];

function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value === '' ? fallback : value;
}

/** The newest point with a value: what the legend shows while the cursor is elsewhere. */
function lastIndex(values: readonly (number | null)[]): number | undefined {
  for (let index = values.length - 1; index >= 0; index--) if (values[index] !== null) return index;
  return undefined;
}

/**
 * The chart's options. uPlot keeps them for the chart's life (it is rebuilt only when its series
 * change), so the legend reads the series through `latest`, the props of the last render: read
 * from `props` instead, it would show the values of the first render for ever.
 */
function options(
  props: ChartProps,
  latest: { readonly current: ChartProps },
  width: number,
  locale: string,
): uPlot.Options {
  const text = cssVar('--text-muted', '#555');
  const grid = cssVar('--border', '#ddd');
  const axis = {
    stroke: text,
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1 },
    font: '12px system-ui, sans-serif',
  };
  // Tick labels are positions on the axis, so a compact approximate form is right for them.
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 2 });
  return {
    width,
    height: props.height ?? 220,
    series: [
      {},
      ...props.series.map((initial, position): uPlot.Series => ({
        label: initial.label,
        width: 2,
        spanGaps: true,
        stroke: cssVar(PALETTE[position % PALETTE.length] ?? '--chart-1', '#0b4f6c'),
        ...(initial.dashed === true ? { dash: [6, 4] } : {}),
        value: (_self, raw, _seriesIndex, cursor) => {
          const series = latest.current.series[position] ?? initial;
          const index = cursor ?? lastIndex(series.values);
          const exact = index === undefined ? undefined : series.exact?.[index];
          if (exact !== undefined && exact !== null) return exact;
          const value = cursor === null ? (index === undefined ? null : series.values[index]) : raw;
          if (value === null || value === undefined) return '—';
          return series.format === undefined ? compact.format(value) : series.format(value);
        },
      })),
    ],
    axes: [
      { ...axis },
      {
        ...axis,
        size: 64,
        values: (_self, splits) => splits.map((split) => compact.format(split)),
      },
    ],
    scales: { x: { time: true } },
    legend: { show: true, live: true },
    cursor: { drag: { x: false, y: false } },
  };
}

function dataOf(props: ChartProps): uPlot.AlignedData {
  return [
    props.times as number[],
    ...props.series.map((series) => series.values as (number | null)[]),
  ];
}

export function Chart(props: ChartProps) {
  const { locale } = useSession();
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const shape = props.series.map((series) => series.label).join('\u0000');

  useEffect(() => {
    const element = host.current;
    if (element === null) return undefined;
    const chart = new uPlot(
      options(props, latest, Math.max(280, element.clientWidth), locale),
      dataOf(props),
      element,
    );
    plot.current = chart;
    const observer = new ResizeObserver(() => {
      chart.setSize({ width: Math.max(280, element.clientWidth), height: props.height ?? 220 });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
      plot.current = null;
    };
    // The chart is rebuilt when its series change; new points only update its data.
  }, [shape, props.height, locale]);

  useEffect(() => {
    plot.current?.setData(dataOf(props));
  });

  return (
    <figure class="chart">
      <figcaption>
        <span class="chart-title">{props.title}</span>
        <span class="visually-hidden">{props.summary}</span>
      </figcaption>
      <div ref={host} class="chart-canvas" aria-hidden="true" />
    </figure>
  );
}
