// The corridor map: member countries at their capitals on a low-poly world (equirectangular),
// an arrow for every corridor with payments today, as thick as its current flow and moving
// while payments settle. Drawn as plain SVG; the table beside it carries the same figures.
import type { CorridorStats } from '../../protocol';
import { useMemo } from 'preact/hooks';
import { formatCount } from './format';

const WIDTH = 1000;
const HEIGHT = 510;
const LON = [-85, 145] as const;
const LAT = [72, -45] as const;

function project([lon, lat]: readonly [number, number]): [number, number] {
  return [
    ((lon - LON[0]) / (LON[1] - LON[0])) * WIDTH,
    ((LAT[0] - lat) / (LAT[0] - LAT[1])) * HEIGHT,
  ];
}

type Ring = readonly (readonly [number, number])[];

/** Coastlines, roughly: enough to recognise the world, not to navigate it. */
const LAND: readonly Ring[] = [
  [
    [-80, 9],
    [-72, 12],
    [-62, 10.7],
    [-52, 5],
    [-50, 0],
    [-44, -2.5],
    [-35, -5],
    [-39, -13],
    [-41, -22],
    [-48, -26],
    [-53, -33],
    [-58, -38],
    [-65, -41],
    [-68, -52],
    [-74, -50],
    [-73, -38],
    [-71, -30],
    [-70, -18],
    [-76, -14],
    [-81, -5],
    [-80, 0],
    [-78, 2],
  ],
  [
    [-85, 30],
    [-81, 25],
    [-80, 32],
    [-76, 35],
    [-70, 42],
    [-66, 44],
    [-60, 46],
    [-55, 52],
    [-60, 55],
    [-65, 60],
    [-75, 62],
    [-85, 66],
  ],
  [
    [-45, 60],
    [-40, 65],
    [-22, 70],
    [-20, 72],
    [-60, 72],
    [-58, 68],
    [-52, 64],
  ],
  [
    [-17, 21],
    [-16, 28],
    [-10, 30],
    [-9, 33],
    [-6, 35.8],
    [-1, 35.5],
    [10, 37],
    [11, 33],
    [20, 31],
    [30, 31.5],
    [32.5, 31],
    [34, 28],
    [35, 24],
    [38, 18],
    [43, 12],
    [51, 12],
    [48, 6],
    [41, -2],
    [40, -10],
    [40.5, -15],
    [35, -24],
    [32.5, -28],
    [28, -33],
    [20, -35],
    [18, -34],
    [17, -29],
    [14, -22],
    [12, -17],
    [13, -9],
    [12, -5],
    [9, -1],
    [9.5, 4],
    [5, 6],
    [-4, 5],
    [-8, 4.5],
    [-13, 8],
    [-17, 14],
  ],
  [
    [44, -25],
    [47, -25],
    [50, -15],
    [49, -12],
    [44, -17],
  ],
  [
    [-9, 37],
    [-9, 43],
    [-2, 43.5],
    [-1.5, 46.5],
    [-4.5, 48.5],
    [2, 51],
    [5, 53],
    [8, 54],
    [8, 57],
    [10.5, 57.5],
    [10, 59],
    [5, 59],
    [5, 62],
    [12, 65],
    [17, 69],
    [25, 71],
    [30, 70],
    [40, 67],
    [44, 68.5],
    [55, 68.5],
    [60, 70],
    [70, 72],
    [145, 72],
    [145, 60],
    [140, 54],
    [141, 48],
    [135, 44],
    [129, 41],
    [129, 35],
    [126, 35],
    [126, 38],
    [121, 40],
    [118, 39],
    [122, 37],
    [120, 34],
    [122, 31],
    [120, 26],
    [117, 23.5],
    [110, 21],
    [108, 21.5],
    [106, 20],
    [109, 15],
    [109, 11],
    [105, 9],
    [104, 10.5],
    [100, 13.5],
    [99, 10],
    [100, 7],
    [103, 1.5],
    [101, 3],
    [98.5, 8],
    [98, 16],
    [94, 17],
    [94, 21],
    [92, 22],
    [88, 21.5],
    [87, 21],
    [80, 15.5],
    [80, 12],
    [78, 8.5],
    [76.5, 8.5],
    [73, 16],
    [72.5, 21],
    [70, 22.5],
    [67, 24.5],
    [62, 25],
    [57, 26],
    [56, 27],
    [52, 28],
    [50, 30],
    [48, 30],
    [50, 26],
    [51.5, 24],
    [56, 26],
    [56.5, 24],
    [59.5, 22.5],
    [57, 19],
    [52, 16],
    [45, 13],
    [43, 13],
    [39, 21],
    [35, 28],
    [34.5, 29.5],
    [34, 31.3],
    [35.5, 33.5],
    [36, 36],
    [32, 36.5],
    [28, 36.7],
    [26, 40],
    [23, 40],
    [22, 37],
    [20, 39.5],
    [19, 42],
    [15, 45],
    [13, 45.7],
    [12.5, 44],
    [16, 41],
    [18.5, 40],
    [16, 38],
    [12, 42],
    [10, 44],
    [7, 43.7],
    [3, 43],
    [3, 42],
    [0, 39],
    [-0.5, 38],
    [-2, 36.7],
    [-5.5, 36],
  ],
  [
    [130, 31],
    [132, 34],
    [135, 34],
    [140, 36],
    [141, 41],
    [140, 41.5],
    [136, 37],
    [133, 35.5],
    [130, 33.5],
  ],
  [
    [-5, 50],
    [1.5, 51],
    [0, 53],
    [-3, 56],
    [-5, 58.5],
    [-3, 58.6],
    [-6, 56],
    [-4.5, 54.5],
    [-3, 53.4],
    [-5, 52],
  ],
  [
    [95, 5.5],
    [98, 4],
    [104, -2],
    [106, -6],
    [101, -3],
    [95, 3],
  ],
  [
    [109, 1],
    [111, 2],
    [117, 7],
    [119, 5],
    [116, -3],
    [110, -3],
  ],
  [
    [105, -6],
    [114, -7.5],
    [106, -7.5],
  ],
  [
    [114, -22],
    [122, -17.5],
    [130, -12],
    [136, -12],
    [138, -16],
    [142, -11],
    [145, -15],
    [145, -38],
    [140, -38],
    [135, -34],
    [131, -31.5],
    [124, -33.8],
    [118, -35],
    [115, -33.5],
    [113.5, -26],
  ],
];

/** Capitals (lon, lat), and where each label sits relative to its dot. */
const PLACES: Readonly<
  Record<string, readonly [number, number, 'above' | 'below' | 'left' | 'right']>
> = {
  BR: [-47.9, -15.8, 'below'],
  RU: [37.6, 55.8, 'above'],
  IN: [77.2, 28.6, 'right'],
  CN: [116.4, 39.9, 'above'],
  ZA: [28.2, -25.7, 'below'],
  EG: [31.2, 30.0, 'left'],
  ET: [38.7, 9.0, 'left'],
  IR: [51.4, 35.7, 'above'],
  AE: [54.4, 24.5, 'below'],
  SA: [46.7, 24.7, 'left'],
  ID: [106.8, -6.2, 'below'],
  AR: [-58.4, -34.6, 'below'],
  MX: [-99.1, 19.4, 'right'],
  TR: [32.9, 39.9, 'above'],
  NG: [7.5, 9.1, 'left'],
  KZ: [71.4, 51.2, 'above'],
  TH: [100.5, 13.8, 'left'],
  MY: [101.7, 3.1, 'left'],
  VN: [105.8, 21.0, 'right'],
  BY: [27.6, 53.9, 'left'],
  UZ: [69.2, 41.3, 'above'],
  UG: [32.6, 0.3, 'right'],
  CU: [-82.4, 23.1, 'right'],
  BO: [-68.1, -16.5, 'left'],
};

export interface Member {
  readonly country: string;
  readonly currency: string;
  readonly name: string;
}

interface Node extends Member {
  readonly x: number;
  readonly y: number;
  readonly label: 'above' | 'below' | 'left' | 'right';
}

function layout(members: readonly Member[]): Map<string, Node> {
  const nodes = new Map<string, Node>();
  const unplaced = members.filter((member) => PLACES[member.country] === undefined);
  for (const member of members) {
    const place = PLACES[member.country];
    if (place === undefined) continue;
    const [x, y] = project([place[0], place[1]]);
    nodes.set(member.currency, { ...member, x, y, label: place[2] });
  }
  // Countries without a known capital go on a row along the bottom.
  unplaced.forEach((member, index) => {
    nodes.set(member.currency, { ...member, x: 80 + index * 90, y: HEIGHT - 30, label: 'above' });
  });
  return nodes;
}

interface Arc {
  readonly start: readonly [number, number];
  readonly control: readonly [number, number];
  readonly end: readonly [number, number];
}

function arcGeometry(from: Node, to: Node): Arc {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const length = Math.hypot(dx, dy) || 1;
  // Shorten both ends to the dots' edges, and bow to the left of the direction of travel so
  // that A→B and B→A stay apart.
  const trim = 18 / length;
  const bow = Math.min(90, length * 0.2);
  return {
    start: [from.x + dx * trim, from.y + dy * trim],
    control: [(from.x + to.x) / 2 + (dy / length) * bow, (from.y + to.y) / 2 - (dx / length) * bow],
    end: [to.x - dx * (trim + 4 / length), to.y - dy * (trim + 4 / length)],
  };
}

function arc(from: Node, to: Node): string {
  const { start, control, end } = arcGeometry(from, to);
  return `M${start[0]},${start[1]} Q${control[0]},${control[1]} ${end[0]},${end[1]}`;
}

/** Points along an arc, about every 5 units, for the label placement to keep clear of. */
function arcPoints({ start, control, end }: Arc): [number, number][] {
  const length =
    Math.hypot(control[0] - start[0], control[1] - start[1]) +
    Math.hypot(end[0] - control[0], end[1] - control[1]);
  const steps = Math.max(8, Math.ceil(length / 5));
  const points: [number, number][] = [];
  for (let step = 0; step <= steps; step++) {
    const t = step / steps;
    const a = (1 - t) * (1 - t);
    const b = 2 * (1 - t) * t;
    const c = t * t;
    points.push([
      a * start[0] + b * control[0] + c * end[0],
      a * start[1] + b * control[1] + c * end[1],
    ]);
  }
  return points;
}

interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** Where a country's name goes: its baseline point, anchor, box, and a leader line if far. */
export interface LabelPlace {
  readonly x: number;
  readonly y: number;
  readonly anchor: 'start' | 'middle' | 'end';
  readonly box: Box;
  readonly leader?: readonly [number, number, number, number];
}

const LABEL_ASCENT = 13;
const LABEL_DESCENT = 4;
/** Clearance kept around a label: half the widest arrow, and a little air. */
const LABEL_CLEARANCE = 6;
const NODE_RADIUS = 16;
const DIRECTIONS: Readonly<Record<Node['label'], readonly [number, number]>> = {
  above: [0, -1],
  below: [0, 1],
  left: [-1, 0],
  right: [1, 0],
};
const CANDIDATE_DIRECTIONS: readonly (readonly [number, number])[] = [
  [1, 0],
  [-1, 0],
  [0, -1],
  [0, 1],
  [0.8, -0.6],
  [-0.8, -0.6],
  [0.8, 0.6],
  [-0.8, 0.6],
];
const CANDIDATE_RADII = [22, 34, 50, 70, 95, 125];

let measurer: CanvasRenderingContext2D | null | undefined;

/** The width of a label as drawn (15 px, semibold), measured once per name. */
function labelWidth(text: string): number {
  if (measurer === undefined) {
    measurer =
      typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
    if (measurer !== null) {
      const family = getComputedStyle(document.body).fontFamily || 'system-ui, sans-serif';
      measurer.font = `600 15px ${family}`;
    }
  }
  return measurer === null ? text.length * 8.8 : measurer.measureText(text).width;
}

function candidate(
  node: Node,
  direction: readonly [number, number],
  radius: number,
  width: number,
) {
  const [dx, dy] = direction;
  const px = node.x + dx * radius;
  const py = node.y + dy * radius;
  const anchor: LabelPlace['anchor'] = dx > 0.3 ? 'start' : dx < -0.3 ? 'end' : 'middle';
  const x0 = anchor === 'start' ? px : anchor === 'end' ? px - width : px - width / 2;
  const height = LABEL_ASCENT + LABEL_DESCENT;
  const top = dy < -0.3 ? py - height : dy > 0.3 ? py : py - height / 2;
  const box: Box = { x0, y0: top, x1: x0 + width, y1: top + height };
  const place: LabelPlace = { x: px, y: top + LABEL_ASCENT, anchor, box };
  if (radius <= CANDIDATE_RADII[1]!) return place;
  // Far from its dot: a thin line from the dot's edge to the label's nearest point.
  const nx = Math.min(Math.max(node.x, box.x0), box.x1);
  const ny = Math.min(Math.max(node.y, box.y0), box.y1);
  const length = Math.hypot(nx - node.x, ny - node.y) || 1;
  return {
    ...place,
    leader: [
      node.x + ((nx - node.x) / length) * NODE_RADIUS,
      node.y + ((ny - node.y) / length) * NODE_RADIUS,
      nx,
      ny,
    ] as const,
  };
}

function overlaps(a: Box, b: Box, margin: number): boolean {
  return (
    a.x0 - margin < b.x1 && b.x0 - margin < a.x1 && a.y0 - margin < b.y1 && b.y0 - margin < a.y1
  );
}

function inside(box: Box, [x, y]: readonly [number, number], margin: number): boolean {
  return x > box.x0 - margin && x < box.x1 + margin && y > box.y0 - margin && y < box.y1 + margin;
}

/**
 * Places every country's name clear of the arrows, the dots and the other names: for each
 * (longest names first) it tries 8 directions at growing distances and takes the free spot
 * nearest its dot (its usual side first); a name placed far gets a leader line. When nothing
 * is entirely free, the spot with the fewest arrow points under it wins.
 */
export function placeLabels(nodes: readonly Node[], arcs: readonly Arc[]): Map<string, LabelPlace> {
  const points = arcs.flatMap(arcPoints);
  const placed = new Map<string, LabelPlace>();
  const order = [...nodes].sort((a, b) => labelWidth(b.name) - labelWidth(a.name));
  for (const node of order) {
    const width = labelWidth(node.name);
    const usual = DIRECTIONS[node.label];
    const directions = [
      usual,
      ...CANDIDATE_DIRECTIONS.filter((d) => d[0] !== usual[0] || d[1] !== usual[1]),
    ];
    let best: { place: LabelPlace; cost: number } | undefined;
    CANDIDATE_RADII.forEach((radius, radiusIndex) => {
      directions.forEach((direction, directionIndex) => {
        const place = candidate(node, direction, radius, width);
        const { box } = place;
        if (box.x0 < 2 || box.y0 < 2 || box.x1 > WIDTH - 2 || box.y1 > HEIGHT - 2) return;
        let cost = radiusIndex * 10 + (directionIndex === 0 ? 0 : 3);
        for (const other of placed.values()) if (overlaps(box, other.box, 4)) cost += 100_000;
        for (const dot of nodes) {
          const circle: Box = {
            x0: dot.x - NODE_RADIUS,
            y0: dot.y - NODE_RADIUS,
            x1: dot.x + NODE_RADIUS,
            y1: dot.y + NODE_RADIUS,
          };
          if (overlaps(box, circle, 3)) cost += 100_000;
        }
        for (const point of points) if (inside(box, point, LABEL_CLEARANCE)) cost += 1_000;
        if (best === undefined || cost < best.cost) best = { place, cost };
      });
    });
    if (best !== undefined) placed.set(node.currency, best.place);
  }
  return placed;
}

export interface CorridorMapProps {
  readonly members: readonly Member[];
  readonly corridors: readonly CorridorStats[];
  /** Currencies of the viewer, drawn with a ring. */
  readonly own: readonly string[];
  readonly locale: string;
  readonly summary: string;
}

/** The colour of the arrows paid from `currency`: one per member currency, in member order. */
function colourOf(currency: string, currencies: readonly string[]): string {
  return `var(--chart-${(Math.max(0, currencies.indexOf(currency)) % 8) + 1})`;
}

function Edges({
  crossing,
  nodes,
  locale,
}: {
  crossing: readonly CorridorStats[];
  nodes: Map<string, Node>;
  locale: string;
}) {
  const peakRate = Math.max(0, ...crossing.map((c) => c.perSecond));
  const peakCount = Math.max(1, ...crossing.map((c) => c.settledToday));
  const currencies = [...nodes.keys()];
  return (
    <g class="edges">
      {crossing.map((corridor) => {
        const from = nodes.get(corridor.source) as Node;
        const to = nodes.get(corridor.target) as Node;
        const flow = peakRate > 0 ? corridor.perSecond / peakRate : 0;
        const width = 1 + 2.5 * Math.sqrt(corridor.settledToday / peakCount) + 4 * Math.sqrt(flow);
        return (
          <path
            key={`${corridor.source}>${corridor.target}`}
            d={arc(from, to)}
            class={corridor.perSecond > 0 ? 'edge flowing' : 'edge'}
            stroke={colourOf(corridor.source, currencies)}
            stroke-width={width}
            marker-end="url(#arrow)"
          >
            <title>
              {`${corridor.source} → ${corridor.target}: ${formatCount(corridor.perSecond, locale, 1)} payments/s, ` +
                `${formatCount(corridor.settledToday, locale)} settled today`}
            </title>
          </path>
        );
      })}
    </g>
  );
}

/** What the widths, dashes, dots and rings of the map mean. */
function MarksLegend({ own }: { own: boolean }) {
  return (
    <div class="legend-group">
      <span class="legend-title">Marks</span>
      <ul>
        <li>
          <svg class="swatch" viewBox="0 0 24 10" aria-hidden="true">
            <line x1="1" y1="5" x2="23" y2="5" class="legend-line" stroke-width="1.5" />
          </svg>
          <svg class="swatch" viewBox="0 0 24 10" aria-hidden="true">
            <line x1="1" y1="5" x2="23" y2="5" class="legend-line" stroke-width="6" />
          </svg>
          Width: payments settled today and the flow now
        </li>
        <li>
          <svg class="swatch" viewBox="0 0 24 10" aria-hidden="true">
            <line
              x1="1"
              y1="5"
              x2="23"
              y2="5"
              class="legend-line"
              stroke-width="3"
              stroke-dasharray="6 3"
            />
          </svg>
          Dashed: payments settling now
        </li>
        <li>
          <svg class="swatch" viewBox="0 0 24 24" aria-hidden="true">
            <circle cx="12" cy="12" r="8" class="legend-dot" />
          </svg>
          A member currency, at its capital
        </li>
        {!own ? null : (
          <li>
            <svg class="swatch" viewBox="0 0 24 24" aria-hidden="true">
              <circle cx="12" cy="12" r="8" class="legend-dot own" />
            </svg>
            Ringed: your currency
          </li>
        )}
      </ul>
    </div>
  );
}

/** What the colours, widths and marks of the map mean. */
function Legend({
  nodes,
  sources,
  own,
}: {
  nodes: Map<string, Node>;
  sources: ReadonlySet<string>;
  own: readonly string[];
}) {
  const currencies = [...nodes.keys()];
  const paying = currencies.filter((currency) => sources.has(currency));
  return (
    <div class="map-legend" role="group" aria-label="Map legend">
      {paying.length === 0 ? null : (
        <div class="legend-group">
          <span class="legend-title">Arrow colour: the paying currency</span>
          <ul>
            {paying.map((currency) => (
              <li key={currency}>
                <svg class="swatch" viewBox="0 0 24 10" aria-hidden="true">
                  <line
                    x1="1"
                    y1="5"
                    x2="23"
                    y2="5"
                    stroke={colourOf(currency, currencies)}
                    stroke-width="4"
                  />
                </svg>
                {currency} <span class="muted">{nodes.get(currency)?.name}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <MarksLegend own={own.length > 0} />
    </div>
  );
}

/** The head every arrow ends with, in its own colour. */
function ArrowHead() {
  return (
    <defs>
      <marker
        id="arrow"
        viewBox="0 0 10 10"
        refX="6"
        refY="5"
        markerWidth="14"
        markerHeight="14"
        orient="auto-start-reverse"
        markerUnits="userSpaceOnUse"
      >
        <path d="M0,0 L10,5 L0,10 z" class="arrow-head" />
      </marker>
    </defs>
  );
}

/** The member dots, their codes and their names (with a leader line when placed away). */
function Nodes({
  nodes,
  labels,
  own,
  busy,
}: {
  nodes: Map<string, Node>;
  labels: Map<string, LabelPlace>;
  own: readonly string[];
  busy: ReadonlySet<string>;
}) {
  return (
    <g class="nodes">
      {[...nodes.values()].map((node) => {
        const label = labels.get(node.currency);
        return (
          <g
            key={node.currency}
            class={`node${own.includes(node.currency) ? ' own' : ''}${busy.has(node.currency) ? ' busy' : ''}`}
          >
            {label?.leader === undefined ? null : (
              <line
                class="leader"
                x1={label.leader[0]}
                y1={label.leader[1]}
                x2={label.leader[2]}
                y2={label.leader[3]}
              />
            )}
            <circle cx={node.x} cy={node.y} r={NODE_RADIUS} />
            <text x={node.x} y={node.y + 4} class="node-code" text-anchor="middle">
              {node.currency}
            </text>
            {label === undefined ? null : (
              <text
                x={label.x}
                y={label.y}
                class="node-label"
                text-anchor={label.anchor}
                data-currency={node.currency}
              >
                {node.name}
              </text>
            )}
          </g>
        );
      })}
    </g>
  );
}

export function CorridorMap({ members, corridors, own, locale, summary }: CorridorMapProps) {
  const nodes = layout(members);
  const busy = new Set(
    corridors.filter((c) => c.perSecond > 0).flatMap((c) => [c.source, c.target]),
  );
  const crossing = corridors.filter(
    (c) => c.source !== c.target && nodes.has(c.source) && nodes.has(c.target),
  );
  // Labels move only when the set of arrows or members changes, not with every frame.
  const shape = `${members.map((m) => `${m.currency}:${m.name}`).join()}|${crossing
    .map((c) => `${c.source}>${c.target}`)
    .sort()
    .join()}`;
  const labels = useMemo(
    () =>
      placeLabels(
        [...nodes.values()],
        crossing.map((c) => arcGeometry(nodes.get(c.source) as Node, nodes.get(c.target) as Node)),
      ),
    [shape],
  );
  return (
    <div class="corridor-map-wrap">
      <svg
        class="corridor-map"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby="corridor-map-title corridor-map-desc"
      >
        <title id="corridor-map-title">Corridor map</title>
        <desc id="corridor-map-desc">{summary}</desc>
        <ArrowHead />
        <g class="land">
          {LAND.map((ring, index) => (
            <polygon key={index} points={ring.map((point) => project(point).join(',')).join(' ')} />
          ))}
        </g>
        <Edges crossing={crossing} nodes={nodes} locale={locale} />
        <Nodes nodes={nodes} labels={labels} own={own} busy={busy} />
      </svg>
      <Legend nodes={nodes} sources={new Set(crossing.map((c) => c.source))} own={own} />
    </div>
  );
}
