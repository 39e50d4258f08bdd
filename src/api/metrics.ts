// Prometheus metrics: payments by status, time to credit, the share credited within an hour,
// cost (FX spread plus fees), batch sizes, queue depth and the quote hit rate (quotes used by
// a payment over quotes given). The service figures share their definitions with the
// dashboard (src/engine/payments/figures.ts, src/dashboard/definitions.ts); the dashboard counts
// the UTC day, /metrics counts since this node started.
import type { LiquidityFigure } from '../service/domain.js';
import { formatAmount } from '../money/amount.js';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { SERVICE_DEFINITIONS } from '../dashboard/definitions.js';
import type { PaymentEventRecord } from '../service/domain.js';
import {
  costBps,
  CreditTracker,
  creditDue,
  feeBps,
  midValuesOf,
  timeToCreditMs,
} from '../service/domain.js';
import type { Payment } from '../service/domain.js';
import type { BatchStats } from '../pipeline/commit-pipeline.js';

const CORRIDOR_LABELS = ['source', 'target'] as const;

interface CorridorCost {
  debitedAtMid: bigint;
  creditedAtMid: bigint;
  fees: bigint;
}

export interface MetricsOptions {
  /** The network's clock: when an open payment's hour is up. */
  readonly clock?: () => number;
}

function corridorOf(group: string): { source: string; target: string } {
  const [source = '', target = ''] = group.split('>');
  return { source, target };
}

export class CorridorMetrics {
  readonly registry = new Registry();
  private readonly clock: () => number;
  private readonly credit = new CreditTracker();
  private readonly costs = new Map<string, CorridorCost>();
  private readonly paymentStatus = new Counter({
    name: 'corridor_payment_status_changes_total',
    help: 'Payment status changes, by status.',
    labelNames: ['status'],
    registers: [this.registry],
  });
  private readonly settlement = new Histogram({
    name: 'corridor_settlement_latency_seconds',
    help:
      'From acceptance (ACTC) to creditor credited (ACCC): time inside the engine only; ' +
      'see corridor_time_to_credit_seconds for the time a customer waits.',
    registers: [this.registry],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 60, 300, 3600],
  });
  private readonly timeToCredit = new Histogram({
    name: 'corridor_time_to_credit_seconds',
    help: `${SERVICE_DEFINITIONS.timeToCredit} Payments (not returns), by corridor.`,
    labelNames: CORRIDOR_LABELS,
    registers: [this.registry],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 60, 300, 3600, 86400],
  });
  private readonly received = new Counter({
    name: 'corridor_payments_received_total',
    help: 'Payments (not returns) received since this node started, by corridor.',
    labelNames: CORRIDOR_LABELS,
    registers: [this.registry],
  });
  private readonly creditOutcomes = new Counter({
    name: 'corridor_payments_finished_total',
    help:
      'Payments received since this node started that finished: credited within one hour of ' +
      'arrival (outcome="within_hour"), credited later (outcome="late") or rejected ' +
      '(outcome="rejected"), by corridor.',
    labelNames: [...CORRIDOR_LABELS, 'outcome'],
    registers: [this.registry],
  });
  private readonly open = new Gauge({
    name: 'corridor_payments_open',
    help:
      'Payments received since this node started and still open (held for review, queued, ' +
      'waiting for the creditor agent), less (age="under_hour") or more (age="over_hour") ' +
      'than an hour after arrival, by corridor.',
    labelNames: [...CORRIDOR_LABELS, 'age'],
    registers: [this.registry],
  });
  private readonly withinHourRatio = new Gauge({
    name: 'corridor_credited_within_hour_ratio',
    help: `${SERVICE_DEFINITIONS.withinHour} Since this node started, by corridor.`,
    labelNames: CORRIDOR_LABELS,
    registers: [this.registry],
  });
  private readonly cost = new Gauge({
    name: 'corridor_cost_bps',
    help: `${SERVICE_DEFINITIONS.cost} Payments credited since this node started, by corridor.`,
    labelNames: CORRIDOR_LABELS,
    registers: [this.registry],
  });
  private readonly fees = new Gauge({
    name: 'corridor_fee_bps',
    help: `${SERVICE_DEFINITIONS.fees} Payments credited since this node started, by corridor.`,
    labelNames: CORRIDOR_LABELS,
    registers: [this.registry],
  });
  private readonly batchSize = new Histogram({
    name: 'corridor_batch_commands',
    help: 'Commands per committed batch.',
    registers: [this.registry],
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8190],
  });
  private readonly commitSeconds = new Histogram({
    name: 'corridor_batch_commit_seconds',
    help: 'Time to make a batch durable.',
    registers: [this.registry],
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
  });
  readonly queueDepth = new Gauge({
    name: 'corridor_queue_depth',
    help: 'Commands waiting to be batched.',
    registers: [this.registry],
  });
  readonly quotes = new Counter({
    name: 'corridor_quotes_total',
    help: 'Quotes given.',
    registers: [this.registry],
  });
  readonly quotesUsed = new Counter({
    name: 'corridor_quotes_used_total',
    help: 'Quotes used by a payment.',
    registers: [this.registry],
  });
  readonly quoteHitRate = new Gauge({
    name: 'corridor_quote_hit_rate',
    help: 'Quotes used over quotes given.',
    registers: [this.registry],
  });
  /** The day's liquidity figures per currency (docs/liquidity.md), in major units. */
  private readonly liquidity = new Gauge({
    name: 'corridor_liquidity',
    help: "The engine's liquidity figures of the UTC day, per currency, in major units: " +
      'peak_used (largest fall of balances below the day\'s start, summed over participants), ' +
      'upper_bound (the same had every payment settled gross at submission), lower_bound ' +
      '(sum of max(0, outflows - inflows)), offset_value (send amount settled through ' +
      'offsetting), queued_value (what waiting payments would debit).',
    labelNames: ['currency', 'figure'],
    registers: [this.registry],
  });
  private readonly settlementQueue = new Gauge({
    name: 'corridor_settlement_queue_payments',
    help: 'Payments waiting in the settlement queue, by source currency.',
    labelNames: ['currency'],
    registers: [this.registry],
  });
  private readonly queueTime = new Gauge({
    name: 'corridor_settlement_queue_time_seconds',
    help: "Queue time of the day's settled payments (0 when settled at once), per currency: " +
      'p50 and p99 (upper edge of the histogram bucket).',
    labelNames: ['currency', 'quantile'],
    registers: [this.registry],
  });
  private readonly queueWithinHour = new Gauge({
    name: 'corridor_settlement_queue_within_hour_ratio',
    help: "Share of the day's settled payments that settled within one hour of submission.",
    labelNames: ['currency'],
    registers: [this.registry],
  });
  private readonly accepted = new Map<string, number>();
  private quotesGiven = 0;
  private quotesTaken = 0;

  constructor(options: MetricsOptions = {}) {
    this.clock = options.clock ?? Date.now;
    collectDefaultMetrics({ register: this.registry, prefix: 'corridor_process_' });
  }

  onBatch(stats: BatchStats): void {
    this.batchSize.observe(stats.commands);
    this.commitSeconds.observe(stats.commitMs / 1000);
    this.queueDepth.set(stats.queueDepth);
  }

  /**
   * A durable batch's status changes; `paymentOf` looks a payment up (its arrival, corridor and
   * amounts). Without it only the status counts and the engine's settlement latency move.
   */
  onEvents(
    events: readonly PaymentEventRecord[],
    paymentOf?: (id: string) => Payment | undefined,
  ): void {
    for (const event of events) {
      this.paymentStatus.inc({ status: event.status });
      if (event.status === 'ACTC') {
        this.accepted.set(event.paymentId, event.at);
      } else if (event.status === 'ACCC' || event.status === 'RJCT') {
        const started = this.accepted.get(event.paymentId);
        this.accepted.delete(event.paymentId);
        if (started !== undefined && event.status === 'ACCC')
          this.settlement.observe((event.at - started) / 1000);
      }
      const payment = paymentOf?.(event.paymentId);
      if (payment !== undefined && payment.kind === 'payment') this.onPaymentEvent(event, payment);
    }
    // Bound the map: a payment that never finishes must not leak.
    if (this.accepted.size > 1_000_000) this.accepted.clear();
  }

  private onPaymentEvent(event: PaymentEventRecord, payment: Payment): void {
    const group = `${payment.sourceCurrency}>${payment.targetCurrency}`;
    if (event.status === 'ACTC') {
      this.credit.arrived(payment.id, payment.receivedAt, [group], event.at);
    } else if (event.status === 'RJCT') {
      this.credit.finished(payment.id, { credited: false, at: event.at });
    } else if (event.status === 'ACCC') {
      this.credit.finished(payment.id, { credited: true, at: event.at });
      const ms = timeToCreditMs(payment);
      if (ms !== undefined) this.timeToCredit.observe(corridorOf(group), ms / 1000);
      const values = midValuesOf(payment);
      if (values !== undefined) {
        const cost = this.costs.get(group) ?? { debitedAtMid: 0n, creditedAtMid: 0n, fees: 0n };
        cost.debitedAtMid += values.debitedAtMid;
        cost.creditedAtMid += values.creditedAtMid;
        cost.fees += payment.fees.reduce((sum, fee) => sum + fee.amount, 0n);
        this.costs.set(group, cost);
      }
    }
  }

  /** Brings the service figures up to the network's clock: called before each scrape. */
  refresh(): void {
    this.credit.advance(this.clock());
    // Counters rebuilt from the tracker's counts, which only grow (reset, then set again).
    this.received.reset();
    this.creditOutcomes.reset();
    for (const group of this.credit.groups()) {
      const labels = corridorOf(group);
      const counts = this.credit.countsOf(group);
      this.received.inc(labels, counts.received);
      this.creditOutcomes.inc({ ...labels, outcome: 'within_hour' }, counts.withinHour);
      this.creditOutcomes.inc({ ...labels, outcome: 'late' }, counts.creditedLate);
      this.creditOutcomes.inc({ ...labels, outcome: 'rejected' }, counts.rejected);
      this.open.set({ ...labels, age: 'under_hour' }, counts.openUnderHour);
      this.open.set({ ...labels, age: 'over_hour' }, counts.openOverHour);
      const due = creditDue(counts);
      if (due > 0) this.withinHourRatio.set(labels, counts.withinHour / due);
    }
    for (const [group, values] of this.costs) {
      const labels = corridorOf(group);
      const bps = costBps(values);
      const fee = feeBps(values.fees, values.debitedAtMid);
      if (bps !== null) this.cost.set(labels, bps);
      if (fee !== null) this.fees.set(labels, fee);
    }
  }

  /** The liquidity figures per currency (liquidityReport), before each scrape. */
  onLiquidity(figures: readonly LiquidityFigure[]): void {
    for (const figure of figures) {
      const currency = figure.currency;
      const major = (value: bigint): number => Number(formatAmount(value, currency));
      this.liquidity.set({ currency, figure: 'peak_used' }, major(figure.peakLiquidityUsed));
      this.liquidity.set({ currency, figure: 'upper_bound' }, major(figure.upperBound));
      this.liquidity.set({ currency, figure: 'lower_bound' }, major(figure.lowerBound));
      this.liquidity.set({ currency, figure: 'offset_value' }, major(figure.offsetValue));
      this.liquidity.set({ currency, figure: 'queued_value' }, major(figure.queuedValue));
      this.settlementQueue.set({ currency }, figure.queuedCount);
      this.queueTime.set({ currency, quantile: '0.5' }, figure.queueTimeP50Ms / 1000);
      this.queueTime.set({ currency, quantile: '0.99' }, figure.queueTimeP99Ms / 1000);
      this.queueWithinHour.set({ currency }, figure.settledWithinHourShare);
    }
  }

  onQuotes(given: number, used: number): void {
    this.quotesGiven += given;
    this.quotesTaken += used;
    if (given > 0) this.quotes.inc(given);
    if (used > 0) this.quotesUsed.inc(used);
    this.quoteHitRate.set(this.quotesGiven === 0 ? 0 : this.quotesTaken / this.quotesGiven);
  }
}
