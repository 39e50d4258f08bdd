// Inline SVG charts of a simulation report, as plain strings: no DOM, no library, so the same
// code draws report.html and the dashboard's Simulation view. Every text is escaped.
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
  '#393b79',
  '#637939',
];

export function colour(index: number): string {
  return PALETTE[index % PALETTE.length] ?? '#333';
}

/** 1234567 → "1.23m"; for axis labels and tables. */
export function compact(value: number): string {
  const abs = Math.abs(value);
  const units: [number, string][] = [
    [1e12, 'tn'],
    [1e9, 'bn'],
    [1e6, 'm'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    if (abs >= size) return `${(value / size).toPrecision(3)}${suffix}`;
  }
  return abs >= 100 || abs === 0 ? String(Math.round(value)) : value.toPrecision(3);
}

export interface Series {
  readonly name: string;
  readonly values: readonly number[];
}

interface Frame {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly bottom: number;
  readonly top: number;
  readonly right: number;
}

const FRAME: Frame = { width: 640, height: 280, left: 64, bottom: 36, top: 28, right: 140 };

function axes(title: string, max: number, frame: Frame, unit: string): string {
  const plotHeight = frame.height - frame.top - frame.bottom;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((share) => {
    const y = frame.height - frame.bottom - share * plotHeight;
    return `<line x1="${frame.left}" x2="${frame.width - frame.right}" y1="${y}" y2="${y}" stroke="#ddd"/><text x="${frame.left - 6}" y="${y + 4}" text-anchor="end" font-size="10">${escapeXml(compact(max * share))}</text>`;
  });
  return `<text x="${frame.left}" y="16" font-size="13" font-weight="bold">${escapeXml(title)}</text><text x="${frame.left - 6}" y="${frame.top - 6}" text-anchor="end" font-size="10">${escapeXml(unit)}</text>${ticks.join('')}`;
}

function legend(names: readonly string[], frame: Frame): string {
  return names
    .map((name, index) => {
      const y = frame.top + index * 14;
      const x = frame.width - frame.right + 10;
      return `<rect x="${x}" y="${y}" width="10" height="10" fill="${colour(index)}"/><text x="${x + 14}" y="${y + 9}" font-size="10">${escapeXml(name)}</text>`;
    })
    .join('');
}

function svg(body: string, frame: Frame, label: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="${escapeXml(label)}" viewBox="0 0 ${frame.width} ${frame.height}" width="${frame.width}" height="${frame.height}" font-family="sans-serif">${body}</svg>`;
}

/** Lines over x labels (e.g. 24 hours), one per series. */
export function lineChart(
  title: string,
  xLabels: readonly string[],
  series: readonly Series[],
  unit: string,
): string {
  const frame = FRAME;
  const max = Math.max(1, ...series.flatMap((item) => item.values));
  const plotWidth = frame.width - frame.left - frame.right;
  const plotHeight = frame.height - frame.top - frame.bottom;
  const x = (index: number): number =>
    frame.left + (xLabels.length <= 1 ? 0 : (index / (xLabels.length - 1)) * plotWidth);
  const y = (value: number): number => frame.height - frame.bottom - (value / max) * plotHeight;
  const lines = series.map((item, index) => {
    const points = item.values
      .map((value, position) => `${x(position).toFixed(1)},${y(value).toFixed(1)}`)
      .join(' ');
    return `<polyline fill="none" stroke="${colour(index)}" stroke-width="1.8" points="${points}"><title>${escapeXml(item.name)}</title></polyline>`;
  });
  const step = Math.max(1, Math.ceil(xLabels.length / 12));
  const labels = xLabels
    .map((label, index) =>
      index % step === 0
        ? `<text x="${x(index)}" y="${frame.height - frame.bottom + 14}" text-anchor="middle" font-size="10">${escapeXml(label)}</text>`
        : '',
    )
    .join('');
  return svg(
    `${axes(title, max, frame, unit)}${lines.join('')}${labels}${legend(
      series.map((item) => item.name),
      frame,
    )}`,
    frame,
    title,
  );
}

/** Grouped bars: one group per category, one bar per series. */
export function barChart(
  title: string,
  categories: readonly string[],
  series: readonly Series[],
  unit: string,
  reference?: { value: number; label: string },
): string {
  const frame = {
    ...FRAME,
    width: Math.max(
      FRAME.width,
      FRAME.left + FRAME.right + categories.length * (series.length * 9 + 8),
    ),
  };
  const max = Math.max(1, reference?.value ?? 0, ...series.flatMap((item) => item.values));
  const plotWidth = frame.width - frame.left - frame.right;
  const plotHeight = frame.height - frame.top - frame.bottom;
  const group = plotWidth / Math.max(1, categories.length);
  const bar = Math.max(2, (group - 6) / Math.max(1, series.length));
  const bars = series.flatMap((item, seriesIndex) =>
    item.values.map((value, categoryIndex) => {
      const height = (Math.max(0, value) / max) * plotHeight;
      const x = frame.left + categoryIndex * group + 3 + seriesIndex * bar;
      return `<rect class="bar" x="${x.toFixed(1)}" y="${(frame.height - frame.bottom - height).toFixed(1)}" width="${(bar - 1).toFixed(1)}" height="${height.toFixed(1)}" fill="${colour(seriesIndex)}"><title>${escapeXml(`${item.name} ${categories[categoryIndex] ?? ''}: ${compact(value)} ${unit}`)}</title></rect>`;
    }),
  );
  const labels = categories
    .map(
      (category, index) =>
        `<text x="${(frame.left + index * group + group / 2).toFixed(1)}" y="${frame.height - frame.bottom + 14}" text-anchor="middle" font-size="9">${escapeXml(category)}</text>`,
    )
    .join('');
  const line =
    reference === undefined
      ? ''
      : (() => {
          const y = frame.height - frame.bottom - (reference.value / max) * plotHeight;
          return `<line x1="${frame.left}" x2="${frame.width - frame.right}" y1="${y}" y2="${y}" stroke="#000" stroke-dasharray="4 3"/><text x="${frame.width - frame.right - 4}" y="${y - 4}" text-anchor="end" font-size="10">${escapeXml(reference.label)}</text>`;
        })();
  return svg(
    `${axes(title, max, frame, unit)}${bars.join('')}${line}${labels}${legend(
      series.map((item) => item.name),
      frame,
    )}`,
    frame,
    title,
  );
}

/** A matrix as a heat map: rows × columns, darker for larger values. */
export function heatMap(
  title: string,
  rows: readonly string[],
  columns: readonly string[],
  values: readonly (readonly number[])[],
  unit: string,
): string {
  const cell = 34;
  const left = 48;
  const top = 48;
  const width = left + columns.length * cell + 20;
  const height = top + rows.length * cell + 30;
  const max = Math.max(1, ...values.flat());
  const cells = rows.flatMap((row, r) =>
    columns.map((column, c) => {
      const value = values[r]?.[c] ?? 0;
      const shade = value <= 0 ? 0 : Math.sqrt(value / max);
      const fill = value <= 0 ? '#f6f6f6' : `rgba(31,119,180,${(0.08 + 0.92 * shade).toFixed(3)})`;
      return `<rect class="cell" x="${left + c * cell}" y="${top + r * cell}" width="${cell - 2}" height="${cell - 2}" fill="${fill}"><title>${escapeXml(`${row} → ${column}: ${compact(value)} ${unit}`)}</title></rect>${value > 0 ? `<text x="${left + c * cell + cell / 2 - 1}" y="${top + r * cell + cell / 2 + 3}" text-anchor="middle" font-size="8" fill="${shade > 0.5 ? '#fff' : '#000'}">${escapeXml(compact(value))}</text>` : ''}`;
    }),
  );
  const rowLabels = rows.map(
    (row, r) =>
      `<text x="${left - 6}" y="${top + r * cell + cell / 2 + 3}" text-anchor="end" font-size="10">${escapeXml(row)}</text>`,
  );
  const columnLabels = columns.map(
    (column, c) =>
      `<text x="${left + c * cell + cell / 2 - 1}" y="${top - 6}" text-anchor="middle" font-size="10">${escapeXml(column)}</text>`,
  );
  const frame = { ...FRAME, width, height };
  return svg(
    `<text x="4" y="16" font-size="13" font-weight="bold">${escapeXml(title)}</text><text x="4" y="30" font-size="10">rows: exporter, columns: importer (${escapeXml(unit)})</text>${cells.join('')}${rowLabels.join('')}${columnLabels.join('')}`,
    frame,
    title,
  );
}
