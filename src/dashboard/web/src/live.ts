// The page's one live connection: an EventSource on /v1/stream. EventSource cannot send an
// Authorization header, so each connection first exchanges the key for a single-use token
// (POST /v1/stream/tokens, valid 30 s) and opens the stream with it. On any error the stream is
// closed and reopened after a backoff with a fresh token and the last event sequence seen, so
// the server replays what was missed; if it was too much, views are told to reload (resync).
import type {
  HelloMessage,
  HistoryPoint,
  LiquidityWire,
  PaymentChange,
  PaymentsMessage,
  QueueWire,
  StatsMessage,
  StreamTokenResponse,
} from '../../protocol';
import type { Api } from './api';
import { ApiError } from './api';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'stopped';

/** Points kept for the charts: 10 minutes of seconds, and balances over 30 minutes. */
const HISTORY_MAX = 600;
const LIQUIDITY_MAX = 1_800;

export interface LiquiditySeries {
  readonly times: number[];
  /** "participant|currency|role" → posted balance per time (exact strings). */
  readonly posted: Map<string, (string | null)[]>;
  readonly supply: Map<string, (string | null)[]>;
}

/** The queue and liquidity figures over time, per "*|CUR" (a currency's totals) or, for a
 * viewer who sees no totals, "participant|CUR" (its own). */
export interface QueueSeries {
  readonly times: number[];
  readonly series: Map<string, QueuePoints>;
}

export interface QueuePoints {
  readonly queuedCount: (number | null)[];
  readonly queuedValue: (string | null)[];
  readonly liquidityUsed: (string | null)[];
  readonly peakLiquidityUsed: (string | null)[];
  readonly upperBound: (string | null)[];
  readonly lowerBound: (string | null)[];
}

const QUEUE_FIELDS = [
  'queuedCount',
  'queuedValue',
  'liquidityUsed',
  'peakLiquidityUsed',
  'upperBound',
  'lowerBound',
] as const;

function emptyPoints(length: number): QueuePoints {
  const nulls = <T>(): (T | null)[] => Array.from({ length }, (): T | null => null);
  return {
    queuedCount: nulls<number>(),
    queuedValue: nulls<string>(),
    liquidityUsed: nulls<string>(),
    peakLiquidityUsed: nulls<string>(),
    upperBound: nulls<string>(),
    lowerBound: nulls<string>(),
  };
}

/** "*|CUR" for a currency's totals, "participant|CUR" for a participant's figures. */
export function queueKey(figure: { participant?: string; currency: string }): string {
  return `${figure.participant ?? '*'}|${figure.currency}`;
}

type Listener<T> = (value: T) => void;

export class Live {
  state: LiveState = 'connecting';
  stats: StatsMessage | undefined;
  liquidity: LiquidityWire | undefined;
  queue: QueueWire | undefined;
  readonly queueSeries: QueueSeries = { times: [], series: new Map() };
  history: HistoryPoint[] = [];
  readonly series: LiquiditySeries = { times: [], posted: new Map(), supply: new Map() };
  private sequence: number | undefined;
  private seeded = false;
  private source: EventSource | undefined;
  private retry = 0;
  private timer: number | undefined;
  private readonly changeListeners = new Set<Listener<void>>();
  private readonly paymentListeners = new Set<Listener<readonly PaymentChange[]>>();
  private readonly resyncListeners = new Set<Listener<void>>();

  constructor(
    private readonly api: Api,
    private readonly onRevoked: (message: string) => void,
  ) {}

  start(): void {
    void this.connect();
  }

  stop(): void {
    this.state = 'stopped';
    this.source?.close();
    if (this.timer !== undefined) window.clearTimeout(this.timer);
  }

  onChange(listener: Listener<void>): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  onPayments(listener: Listener<readonly PaymentChange[]>): () => void {
    this.paymentListeners.add(listener);
    return () => this.paymentListeners.delete(listener);
  }

  onResync(listener: Listener<void>): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }

  private async connect(): Promise<void> {
    if (this.state === 'stopped') return;
    let token: StreamTokenResponse;
    try {
      token = await this.api.post<StreamTokenResponse>('/v1/stream/tokens');
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        this.onRevoked(error.message);
        return;
      }
      this.reconnectLater();
      return;
    }
    const after = this.sequence === undefined ? '' : `&after=${this.sequence}`;
    const source = new EventSource(`/v1/stream?token=${encodeURIComponent(token.token)}${after}`);
    this.source = source;
    source.addEventListener('hello', (event) => this.hello(JSON.parse(event.data) as HelloMessage));
    source.addEventListener('stats', (event) => this.frame(JSON.parse(event.data) as StatsMessage));
    source.addEventListener('payments', (event) => this.payments(event));
    source.addEventListener('resync', () => this.resync());
    source.addEventListener('revoked', () => {
      this.stop();
      this.onRevoked('The API key was revoked.');
    });
    source.onerror = () => {
      source.close();
      if (this.source === source) this.reconnectLater();
    };
  }

  private reconnectLater(): void {
    if (this.state === 'stopped') return;
    this.state = 'reconnecting';
    this.changed();
    const delay = Math.min(15_000, 1_000 * 2 ** this.retry) * (0.75 + Math.random() * 0.5);
    this.retry += 1;
    this.timer = window.setTimeout(() => void this.connect(), delay);
  }

  private hello(message: HelloMessage): void {
    this.retry = 0;
    this.state = 'live';
    // First connection: the server's history. A reconnection keeps what the page gathered.
    if (!this.seeded) {
      this.seeded = true;
      this.sequence = message.sequence;
      this.history = [...message.history];
      this.series.times.splice(0, this.series.times.length, ...message.liquidity.times);
      for (const [key, values] of Object.entries(message.liquidity.posted))
        this.series.posted.set(key, [...values]);
      for (const [key, values] of Object.entries(message.liquidity.supply))
        this.series.supply.set(key, [...values]);
      this.queueSeries.times.splice(0, this.queueSeries.times.length, ...message.queue.times);
      for (const [key, values] of Object.entries(message.queue.series)) {
        this.queueSeries.series.set(key, {
          queuedCount: [...values.queuedCount],
          queuedValue: [...values.queuedValue],
          liquidityUsed: [...values.liquidityUsed],
          peakLiquidityUsed: [...values.peakLiquidityUsed],
          upperBound: [...values.upperBound],
          lowerBound: [...values.lowerBound],
        });
      }
    }
    this.changed();
  }

  private payments(event: MessageEvent<string>): void {
    const message = JSON.parse(event.data) as PaymentsMessage;
    const last = message.changes[message.changes.length - 1];
    if (last !== undefined) this.sequence = Math.max(this.sequence ?? 0, last.sequence);
    for (const listener of this.paymentListeners) listener(message.changes);
  }

  private resync(): void {
    for (const listener of this.resyncListeners) listener();
  }

  private frame(message: StatsMessage): void {
    this.stats = message;
    this.sequence = Math.max(this.sequence ?? 0, message.sequence);
    if (message.liquidity !== undefined) this.liquidity = message.liquidity;
    const point = message.point;
    const last = this.history[this.history.length - 1];
    if (point.t > 0 && (last === undefined || point.t > last.t)) {
      this.history.push(point);
      if (this.history.length > HISTORY_MAX) this.history.shift();
    }
    if (this.liquidity !== undefined) this.sample(this.liquidity, point.t + 1);
    if (message.queue !== undefined) this.queue = message.queue;
    if (this.queue !== undefined) this.sampleQueue(this.queue, point.t + 1);
    this.changed();
  }

  /** Appends the balances to the chart series (every account gets a value or null). */
  private sample(liquidity: LiquidityWire, t: number): void {
    const { times, posted, supply } = this.series;
    if (times.length > 0 && (times[times.length - 1] ?? 0) >= t) return;
    const length = times.length;
    times.push(t);
    const put = (map: Map<string, (string | null)[]>, key: string, value: string): void => {
      const values = map.get(key) ?? Array.from({ length }, (): string | null => null);
      values.push(value);
      map.set(key, values);
    };
    for (const account of liquidity.accounts) {
      put(posted, `${account.participantId}|${account.currency}|${account.role}`, account.posted);
    }
    for (const item of liquidity.supply) put(supply, item.currency, item.amount);
    for (const values of [...posted.values(), ...supply.values()]) {
      while (values.length < times.length) values.push(null);
      if (times.length > LIQUIDITY_MAX) values.shift();
    }
    if (times.length > LIQUIDITY_MAX) times.shift();
  }

  /** Appends the queue figures to their chart series (every key gets a value or null). */
  private sampleQueue(queue: QueueWire, t: number): void {
    const { times, series } = this.queueSeries;
    if (times.length > 0 && (times[times.length - 1] ?? 0) >= t) return;
    const length = times.length;
    times.push(t);
    // The charts draw the currencies' totals (operator, central banks) or, for anyone else,
    // its own figures: only those are kept over time.
    const charted = queue.currencies.length > 0 ? queue.currencies : queue.participants;
    for (const figure of charted) {
      const key = queueKey(figure);
      const points = series.get(key) ?? emptyPoints(length);
      series.set(key, points);
      points.queuedCount.push(figure.queuedCount);
      for (const field of QUEUE_FIELDS) {
        if (field !== 'queuedCount') points[field].push(figure[field]);
      }
    }
    for (const points of series.values()) {
      for (const field of QUEUE_FIELDS) {
        const values: unknown[] = points[field];
        while (values.length < times.length) values.push(null);
        if (times.length > LIQUIDITY_MAX) values.shift();
      }
    }
    if (times.length > LIQUIDITY_MAX) times.shift();
  }
}
