// Prometheus metrics: payments by status, settlement latency, batch sizes, queue depth and
// the quote hit rate (quotes used by a payment over quotes given).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BatchStats } from '../pipeline/commit-pipeline.js';
import type { PaymentEventRecord } from '../network/state.js';

export class CorridorMetrics {
  readonly registry = new Registry();
  private readonly paymentStatus = new Counter({
    name: 'corridor_payment_status_changes_total',
    help: 'Payment status changes, by status.',
    labelNames: ['status'],
    registers: [this.registry],
  });
  private readonly settlement = new Histogram({
    name: 'corridor_settlement_latency_seconds',
    help: 'From acceptance (ACTC) to creditor credited (ACCC).',
    registers: [this.registry],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 60, 300, 3600],
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
  private readonly accepted = new Map<string, number>();
  private quotesGiven = 0;
  private quotesTaken = 0;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'corridor_process_' });
  }

  onBatch(stats: BatchStats): void {
    this.batchSize.observe(stats.commands);
    this.commitSeconds.observe(stats.commitMs / 1000);
    this.queueDepth.set(stats.queueDepth);
  }

  onEvents(events: readonly PaymentEventRecord[]): void {
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
    }
    // Bound the map: a payment that never finishes must not leak.
    if (this.accepted.size > 1_000_000) this.accepted.clear();
  }

  onQuotes(given: number, used: number): void {
    this.quotesGiven += given;
    this.quotesTaken += used;
    if (given > 0) this.quotes.inc(given);
    if (used > 0) this.quotesUsed.inc(used);
    this.quoteHitRate.set(this.quotesGiven === 0 ? 0 : this.quotesTaken / this.quotesGiven);
  }
}
