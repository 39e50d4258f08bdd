// The network's vocabulary: participants, currency rules and settings. Account ids derive
// from participants, so every layer names the same account the same way.
import type { QueueSettings } from './liquidity/queue.js';
import {
  PAYMENT_RETENTION_MS_DEFAULT,
  RETURN_WINDOW_MS_DEFAULT,
  UETR_RETENTION_MS_DEFAULT,
} from './payments/ids.js';

export type ParticipantKind = 'operator' | 'central_bank' | 'bank' | 'fx_provider';
export type ParticipantStatus = 'active' | 'suspended';

export const NETWORK_LIMITS = {
  participantIdLengthMax: 32,
  nameLengthMax: 140,
  participantsMax: 10_000,
  currenciesPerParticipantMax: 32,
  ratesPerProviderMax: 1_000,
  remittanceLengthMax: 140,
  partyIdentifiersMax: 8,
  /**
   * Quotes a participant may hold unused and unexpired at once. Every quote is journaled for
   * ever, so an unbounded stream of quotes nobody uses would grow the journal without end.
   */
  openQuotesPerParticipantMax: 1_000,
} as const;

export interface ParticipantSpec {
  readonly id: string;
  readonly name: string;
  readonly kind: ParticipantKind;
  /** ISO 3166-1 alpha-2; empty for the operator. */
  readonly country: string;
  readonly bic?: string;
  readonly lei?: string;
  /**
   * How far, in basis points, the rate of a quote the ISO 20022 gateway takes for this
   * participant may fall below the provider's reference (mid) rate, or below a rate its
   * message states (XchgRate); past it the payment is rejected, never settled worse. Absent:
   * no limit against the reference rate, and none of a stated rate's shortfall allowed.
   */
  readonly fxToleranceBps?: number;
  /** Currencies this participant holds a settlement account in. */
  readonly currencies: readonly string[];
}

export interface Participant extends ParticipantSpec {
  status: ParticipantStatus;
  readonly createdAt: number;
}

export interface CurrencyRules {
  /** Largest single payment debited in this currency, in minor units; 0n means no limit. */
  readonly paymentAmountMax: bigint;
  /** Most a participant may send in this currency per UTC day, in minor units; 0n: no cap. */
  readonly dailyOutflowMax: bigint;
  /** The scheme fee charged to the debtor agent per payment sent in this currency. */
  readonly schemeFee: bigint;
}

export interface NetworkSettings {
  /** How long a quote stays firm, in ms (default 60 s). */
  readonly quoteTtlMs: number;
  /** How long a two-phase payment waits for the creditor agent, in ms. */
  readonly acceptTimeoutMs: number;
  /** How long a payment blocked by screening stays reserved for review, in ms. */
  readonly reviewTimeoutMs: number;
  /** Returns convert at the original quote's rate, or need a fresh quote. */
  readonly returnRate: 'original' | 'fresh_quote';
  /** The id of the operator participant (holds the scheme fee accounts). */
  readonly operatorId: string;
  /**
   * How long a UETR stays taken once a payment used it, in ms (default 90 days). Absent from
   * networks configured before it existed: they get the default.
   */
  readonly uetrRetentionMs?: number;
  /**
   * The settlement queue and gridlock resolution (src/engine/liquidity). Absent from networks
   * configured before it existed, and by default: payments that cannot be funded are rejected.
   */
  readonly queue?: QueueSettings;
  /**
   * How long a finished payment (ACCC or RJCT) stays in engine memory in full, in ms (default
   * 1 day); after it only a compact record stays, for the return window (src/engine/payments/
   * retention.ts). Absent from networks configured before it existed: they get the default.
   */
  readonly paymentRetentionMs?: number;
  /**
   * How long a finished payment can still be returned, and its client id and end-to-end id
   * stay taken, in ms (default 90 days). Absent from networks configured before it existed:
   * for them nothing is ever forgotten (an old journal replays as it was written).
   */
  readonly returnWindowMs?: number;
}

export const DEFAULT_SETTINGS: NetworkSettings = {
  quoteTtlMs: 60_000,
  acceptTimeoutMs: 30_000,
  reviewTimeoutMs: 24 * 60 * 60 * 1000,
  returnRate: 'original',
  operatorId: 'operator',
  uetrRetentionMs: UETR_RETENTION_MS_DEFAULT,
  paymentRetentionMs: PAYMENT_RETENTION_MS_DEFAULT,
  returnWindowMs: RETURN_WINDOW_MS_DEFAULT,
};

export function settlementAccountId(participantId: string, currency: string): string {
  return `${participantId}:${currency}`;
}

export function issuanceAccountId(participantId: string, currency: string): string {
  return `${participantId}:${currency}:issuance`;
}

export function feeAccountId(participantId: string, currency: string): string {
  return `${participantId}:${currency}:fees`;
}
