// The network engine's state and the per-batch context its handlers share. Handlers are plain
// functions over these two, so each domain (admin, quotes, payments) lives in its own module.
import type { PublishedRate, Quote } from './fx/quotes.js';
import type { BatchOutcome, LedgerEngine } from '../ledger/engine.js';
import type { CommandResult } from '../ledger/result-codes.js';
import type { Command } from '../ledger/types.js';
import type { LiquidityFigures } from './liquidity/figures.js';
import type { SettlementQueue } from './liquidity/queue.js';
import type { IdScheme } from './payments/ids.js';
import type { Payment } from './payments/model.js';
import type { SettledRecord } from './payments/retention.js';
import type { CurrencyDefinition, NetworkCode, NetworkResult } from './commands.js';
import type { Facility } from './facilities.js';
import type { ApiKeyRecord } from './keys.js';
import type { SwapLine } from './swap-lines.js';
import type { NetworkSettings, Participant } from './model.js';

export interface NetworkState {
  configured: boolean;
  settings: NetworkSettings;
  readonly currencies: Map<string, CurrencyDefinition>;
  readonly participants: Map<string, Participant>;
  /** Key: provider|source|target. */
  readonly rates: Map<string, PublishedRate>;
  /** Key: the quote's network id (src/engine/payments/ids.ts). */
  readonly quotes: Map<string, Quote>;
  /**
   * Key: the payment's network id (src/engine/payments/ids.ts). Open payments, and finished ones
   * for
   * settings.paymentRetentionMs after they finished (src/engine/payments/retention.ts).
   */
  readonly payments: Map<string, Payment>;
  /**
   * What the client sent for each payment in `payments`, for idempotent retries. Kept as is
   * while the payment is held in full: it is fingerprinted when its id comes again, or once
   * when the payment is compacted, not on the hot path of every payment.
   */
  readonly paymentRequests: Map<string, unknown>;
  /**
   * Finished payments still in `payments` → when they finished, oldest first: what the next
   * batches compact, in order, without a scan.
   */
  readonly finished: Map<string, number>;
  /**
   * Compact records of finished payments past the full retention, for the return window,
   * in the order they finished (src/engine/payments/retention.ts).
   */
  readonly settled: Map<string, SettledRecord>;
  /**
   * debtorAgent|endToEndId → when a payment accepted for processing took it, oldest first;
   * pruned past the id window (src/engine/payments/retention.ts).
   */
  readonly endToEndIds: Map<string, number>;
  /**
   * UETR → when the payment that took it was recorded, oldest first; pruned by batch time
   * past the retention window (settings.uetrRetentionMs), so its size is bounded by it.
   */
  readonly uetrs: Map<string, number>;
  /** participant|currency → outflow of the current UTC day. */
  readonly outflows: Map<string, { day: number; amount: bigint }>;
  readonly apiKeys: Map<string, ApiKeyRecord>;
  /** Central-bank standing facilities, by participant|currency (src/engine/facilities.ts). */
  readonly facilities: Map<string, Facility>;
  /** holder|currency → bilateral central-bank swap line (src/engine/swap-lines.ts). */
  swapLines?: Map<string, SwapLine>;
  readonly ledger: LedgerEngine;
  /** Payments waiting for liquidity (src/engine/liquidity/queue.ts); empty unless the queue is on.
   * */
  readonly queue: SettlementQueue;
  /** The day's liquidity figures (src/engine/liquidity/figures.ts); kept while the queue is set. */
  readonly liquidity: LiquidityFigures;
}

/** What a batch changed, for storage (projections) and for event delivery. */
export interface NetworkChanges {
  readonly participants: Map<string, Participant>;
  readonly payments: Map<string, Payment>;
  readonly quotes: Map<string, Quote>;
  readonly rates: Map<string, PublishedRate>;
  /** Status changes in order: what event feeds and webhooks deliver. */
  readonly events: PaymentEventRecord[];
}

export interface PaymentEventRecord {
  readonly paymentId: string;
  readonly status: Payment['status'];
  readonly reason?: Payment['reason'];
  readonly detail?: string;
  readonly at: number;
  /** Participants entitled to hear about it. */
  readonly audience: readonly string[];
}

export class BatchContext {
  readonly ledgerOutcomes: BatchOutcome[] = [];
  readonly changes: NetworkChanges = {
    participants: new Map(), payments: new Map(), quotes: new Map(), rates: new Map(), events: [],
  };

  /**
   * @param ids how this batch's commands name payments and quotes: "global" only when
   * replaying a journal entry written before ids were scoped per participant.
   */
  constructor(
    readonly now: number,
    private readonly ledger: LedgerEngine,
    readonly ids: IdScheme = 'scoped',
  ) {}

  /** Applies ledger commands now; keeps the outcome for storage. */
  applyLedger(commands: readonly Command[]): CommandResult[] {
    const outcome = this.ledger.apply(commands, this.now);
    this.ledgerOutcomes.push(outcome);
    return outcome.results;
  }

  /**
   * Set when a queue resolution pass ran in this batch: the pass changes state even when it
   * settles nothing, so the batch is journaled (and replays the pass at the same time).
   */
  queueRan = false;

  /** Applies a settlement set now (LedgerEngine.applySet): checked net, all or nothing. */
  applyLedgerSet(commands: readonly Command[]): CommandResult[] {
    const outcome = this.ledger.applySet(commands, this.now);
    this.ledgerOutcomes.push(outcome);
    return outcome.results;
  }

  touchPayment(payment: Payment): void {
    this.changes.payments.set(payment.id, payment);
  }
}

export function refuse(code: NetworkCode, message: string, field?: string): NetworkResult {
  return field === undefined ? { code, message } : { code, message, field };
}

export function dayOf(now: number): number {
  return Math.floor(now / 86_400_000);
}
