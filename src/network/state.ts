// The network engine's state and the per-batch context its handlers share. Handlers are plain
// functions over these two, so each domain (admin, quotes, payments) lives in its own module.
import type { PublishedRate, Quote } from '../fx/quotes.js';
import type { BatchOutcome, LedgerEngine } from '../ledger/engine.js';
import type { CommandResult } from '../ledger/result-codes.js';
import type { Command } from '../ledger/types.js';
import type { IdScheme } from '../payments/ids.js';
import type { Payment } from '../payments/model.js';
import type { CurrencyDefinition, NetworkCode, NetworkResult } from './commands.js';
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
  /** Key: the quote's network id (src/payments/ids.ts). */
  readonly quotes: Map<string, Quote>;
  /** Key: the payment's network id (src/payments/ids.ts). */
  readonly payments: Map<string, Payment>;
  /**
   * What the client sent for each payment, for idempotent retries. Kept as is: it is
   * fingerprinted only when its id comes again, not on the hot path of every payment.
   */
  readonly paymentRequests: Map<string, unknown>;
  /** debtorAgent|endToEndId of every payment accepted for processing. */
  readonly endToEndIds: Set<string>;
  /**
   * UETR → when the payment that took it was recorded, oldest first; pruned by batch time
   * past the retention window (settings.uetrRetentionMs), so its size is bounded by it.
   */
  readonly uetrs: Map<string, number>;
  /** participant|currency → outflow of the current UTC day. */
  readonly outflows: Map<string, { day: number; amount: bigint }>;
  readonly apiKeys: Map<string, ApiKeyRecord>;
  /** holder|currency → bilateral central-bank swap line (src/network/swap-lines.ts). */
  swapLines?: Map<string, SwapLine>;
  readonly ledger: LedgerEngine;
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
