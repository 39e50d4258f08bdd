// The Liquidity view's live figures: the settlement queue (depth and value) and the day's
// liquidity figures (peak used, the BoF-PSS upper and lower bounds, queue times, value settled
// through offsetting) per currency and per participant, from the engine's own counts
// (src/engine/liquidity/figures.ts liquidityReport, as GET /v1/liquidity reports them), plus what
// the
// dashboard adds: liquidity used now, gridlocks resolved, and samples for the charts.
// Scoped as GET /v1/liquidity: the operator sees everything, a central bank its currencies, any
// other participant itself. The report is computed at most once a second and after a batch,
// whoever asks, so many open dashboards cost one report, not one each.
import { liquidityReport, type LiquidityFigure } from '../service/domain.js';
import { formatAmount } from '../money/amount.js';
import type { CommittedBatch, Network } from '../service/service.js';
import type { QueueFigureWire, QueueHistory, QueueSeriesWire, QueueWire } from './protocol.js';
import { isoDay, STATS_LIMITS, type Viewer } from './stats.js';

const DAY_MS = 86_400_000;
/** The key of a currency's totals in the series ("*|BRL"); a participant's is "id|BRL". */
const TOTAL = '*';

/** A figure before formatting: the engine's, with what the dashboard adds. */
export interface QueueFigure extends LiquidityFigure {
  readonly liquidityUsed: bigint;
  readonly gridlocksResolved: number;
}

export interface QueueReport {
  readonly day: number;
  readonly currencies: readonly QueueFigure[];
  readonly participants: readonly QueueFigure[];
}

/** One sample for the charts: key → [queued count, queued value, used, peak, upper, lower]. */
interface QueueSample {
  readonly t: number;
  readonly values: Map<string, readonly [number, bigint, bigint, bigint, bigint, bigint]>;
}

function max0(value: bigint): bigint {
  return value > 0n ? value : 0n;
}

export function seriesKey(figure: { participant?: string; currency: string }): string {
  return `${figure.participant ?? TOTAL}|${figure.currency}`;
}

/** Whether a viewer may see a figure: the rule of GET /v1/liquidity (src/api/routes/queue.ts). */
export function seesFigure(
  viewer: Viewer,
  figure: { participant?: string; currency: string },
): boolean {
  const { participant } = viewer.caller;
  if (participant.kind === 'operator') return true;
  if (participant.kind === 'central_bank') return viewer.currencies?.has(figure.currency) === true;
  return figure.participant === participant.id;
}

/**
 * Counts gridlocks resolved: a committed batch after which a participant's (and so its
 * currency's) value settled through offsetting today has grown counts one for each. The engine
 * resolves the queue once at the end of a batch, so this counts resolution passes that
 * settled something through offsetting. The engine may already have applied a later batch when
 * one becomes durable: two passes that become durable together count once.
 */
export class GridlockCounter {
  private day = -1;
  /** participant|currency → the day's offset value last seen. */
  private readonly seen = new Map<string, bigint>();
  /** "*|CUR" or "participant|CUR" → passes that settled something of it through offsetting. */
  private readonly counts = new Map<string, number>();

  /** Reads the engine's offset values after a batch; counts what grew since the last one. */
  observe(network: Network, now: number): void {
    const day = Math.floor(now / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.seen.clear();
      this.counts.clear();
    }
    const currencies = new Set<string>();
    for (const [key, account] of network.engine.state.liquidity.accounts) {
      if (account.day !== day) continue;
      const before = this.seen.get(key) ?? 0n;
      if (account.offsetValue === before) continue;
      this.seen.set(key, account.offsetValue);
      if (account.offsetValue < before) continue;
      const name = `${account.participant}|${account.currency}`;
      this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
      currencies.add(account.currency);
    }
    for (const currency of currencies) {
      const name = `${TOTAL}|${currency}`;
      this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    }
  }

  /** Gridlocks resolved today of a currency (participant undefined) or a participant in it. */
  count(day: number, figure: { participant?: string; currency: string }): number {
    return day === this.day ? (this.counts.get(seriesKey(figure)) ?? 0) : 0;
  }
}

/** The day's figures, engine and dashboard together, unscoped. */
export function queueReport(
  network: Network,
  gridlocks: GridlockCounter,
  now: number,
): QueueReport {
  const day = Math.floor(now / DAY_MS);
  const state = network.engine.state;
  const report = liquidityReport(state, now);
  const usedByCurrency = new Map<string, bigint>();
  const participants = report.participants.map((figure): QueueFigure => {
    const account = state.liquidity.accounts.get(`${figure.participant ?? ''}|${figure.currency}`);
    const posted = state.ledger.balance(`${figure.participant ?? ''}:${figure.currency}`)?.posted;
    const used =
      account === undefined || account.day !== day || posted === undefined
        ? 0n
        : max0(account.start - posted);
    usedByCurrency.set(figure.currency, (usedByCurrency.get(figure.currency) ?? 0n) + used);
    return { ...figure, liquidityUsed: used, gridlocksResolved: gridlocks.count(day, figure) };
  });
  const currencies = report.currencies
    .map((figure): QueueFigure => ({
      ...figure,
      liquidityUsed: usedByCurrency.get(figure.currency) ?? 0n,
      gridlocksResolved: gridlocks.count(day, figure),
    }))
    .sort((left, right) => (left.currency < right.currency ? -1 : 1));
  return { day, currencies, participants };
}

export function figureWire(figure: QueueFigure): QueueFigureWire {
  const amount = (value: bigint): string => formatAmount(value, figure.currency);
  return {
    currency: figure.currency,
    ...(figure.participant === undefined ? {} : { participant: figure.participant }),
    queuedCount: figure.queuedCount,
    queuedValue: amount(figure.queuedValue),
    liquidityUsed: amount(figure.liquidityUsed),
    peakLiquidityUsed: amount(figure.peakLiquidityUsed),
    upperBound: amount(figure.upperBound),
    lowerBound: amount(figure.lowerBound),
    offsetValue: amount(figure.offsetValue),
    settledCount: figure.settledCount,
    queueTimeP50Ms: figure.queueTimeP50Ms,
    queueTimeP99Ms: figure.queueTimeP99Ms,
    settledWithinHourShare: figure.settledWithinHourShare,
    gridlocksResolved: figure.gridlocksResolved,
  };
}

/** The part of a report a viewer may see (currency totals: operator and central banks). */
export function scopeReport(report: QueueReport, viewer: Viewer, enabled: boolean): QueueWire {
  const kind = viewer.caller.participant.kind;
  const totals = kind === 'operator' || kind === 'central_bank';
  return {
    enabled,
    day: isoDay(report.day),
    currencies: totals
      ? report.currencies.filter((figure) => seesFigure(viewer, figure)).map(figureWire)
      : [],
    participants: report.participants
      .filter((figure) => seesFigure(viewer, figure))
      .map(figureWire),
  };
}

/** The queue figures for every stream: one report per second or batch, samples for charts. */
export class QueueStats {
  private readonly gridlocks = new GridlockCounter();
  private cached: QueueReport | undefined;
  private cachedSecond = -1;
  private readonly samples: QueueSample[] = [];
  private readonly unsubscribe: () => void;

  constructor(
    private readonly network: Network,
    private readonly clock: () => number = network.clock,
  ) {
    this.unsubscribe = network.subscribe((committed) => this.onCommitted(committed));
  }

  close(): void {
    this.unsubscribe();
  }

  private onCommitted({ events }: CommittedBatch): void {
    // Offsetting settles payments (ACSC); a batch without a settlement cannot have resolved one.
    if (this.network.engine.state.settings.queue === undefined) return;
    if (!events.some(({ event }) => event.status === 'ACSC')) return;
    this.gridlocks.observe(this.network, this.clock());
    this.cached = undefined;
  }

  get enabled(): boolean {
    return this.network.engine.state.settings.queue?.enabled === true;
  }

  /** The current report: recomputed after a batch, or once a second at most. */
  report(): QueueReport {
    const second = Math.floor(this.clock() / 1_000);
    if (this.cached === undefined || second !== this.cachedSecond) {
      this.cached = queueReport(this.network, this.gridlocks, this.clock());
      this.cachedSecond = second;
    }
    return this.cached;
  }

  frameFor(viewer: Viewer): QueueWire {
    return scopeReport(this.report(), viewer, this.enabled);
  }

  /** Takes a sample for the charts (the collector calls it every liquidityEverySeconds). */
  sample(): void {
    const report = this.report();
    if (report.participants.length > STATS_LIMITS.liquidityAccountsMax) return;
    const values: QueueSample['values'] = new Map();
    for (const figure of [...report.currencies, ...report.participants]) {
      values.set(seriesKey(figure), [
        figure.queuedCount,
        figure.queuedValue,
        figure.liquidityUsed,
        figure.peakLiquidityUsed,
        figure.upperBound,
        figure.lowerBound,
      ]);
    }
    this.samples.push({ t: Math.floor(this.clock() / 1_000), values });
    if (this.samples.length > STATS_LIMITS.liquiditySamplesMax) this.samples.shift();
  }

  /**
   * The samples a new stream's charts draw: the currencies' totals the viewer may see (operator,
   * central banks), or its own figures (anyone else). Not every participant's: the charts draw
   * one scope, and the per-participant table is live.
   */
  history(viewer: Viewer): QueueHistory {
    const kind = viewer.caller.participant.kind;
    const totals = kind === 'operator' || kind === 'central_bank';
    const keys = new Map<string, string>();
    for (const sample of this.samples) {
      for (const key of sample.values.keys()) {
        if (keys.has(key)) continue;
        const [participant = '', currency = ''] = key.split('|');
        const visible = totals
          ? participant === TOTAL && seesFigure(viewer, { currency })
          : participant !== TOTAL && seesFigure(viewer, { participant, currency });
        if (visible) keys.set(key, currency);
      }
    }
    const series: Record<string, QueueSeriesWire> = {};
    for (const [key, currency] of keys) {
      const rows = this.samples.map((sample) => sample.values.get(key));
      const amounts = (index: 1 | 2 | 3 | 4 | 5): (string | null)[] =>
        rows.map((row) => (row === undefined ? null : formatAmount(row[index], currency)));
      series[key] = {
        queuedCount: rows.map((row) => (row === undefined ? null : row[0])),
        queuedValue: amounts(1),
        liquidityUsed: amounts(2),
        peakLiquidityUsed: amounts(3),
        upperBound: amounts(4),
        lowerBound: amounts(5),
      };
    }
    return { times: this.samples.map((sample) => sample.t), series };
  }
}
