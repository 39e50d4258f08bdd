// The network's commands (what the journal records) and their results. Every command names
// its actor: the engine checks rights itself, so the journal shows who did what.
import type { Quote } from './fx/quotes.js';
import type { QueuePriority, QueueSettings } from './liquidity/queue.js';
import type {
  IsoOrigin, Payment, PaymentMode, PaymentReason, Party, ReturnReason, ScreeningVerdict,
} from './payments/model.js';
import type { CurrencyRules, NetworkSettings, ParticipantSpec, ParticipantStatus } from './model.js';

export interface CurrencyDefinition {
  readonly code: string;
  /** The one central bank that issues this currency on the network. */
  readonly issuer: string;
  readonly rules: CurrencyRules;
}

export interface RateSpec {
  readonly providerId: string;
  readonly source: string;
  readonly target: string;
  /** Either a mid rate with a spread, or a bid (the rate applied source → target). */
  readonly rate: string;
  /** Spread in basis points taken from the mid rate against the customer; 0 with a bid. */
  readonly spreadBps: number;
  /** Largest send amount this rate serves, in source minor units. */
  readonly amountMax: bigint;
  /** The provider's own fixed fee per payment, in source minor units. */
  readonly fee: bigint;
  readonly validUntil: number;
}

export interface PaymentRequest {
  readonly id: string;
  readonly mode: PaymentMode;
  readonly debtorAgent: string;
  readonly creditorAgent: string;
  readonly debtor: Party;
  readonly creditor: Party;
  /** Cross-currency: the quote to settle at. Domestic: absent. */
  readonly quoteId?: string;
  /** Domestic: the amount and currency. Cross-currency: must match the quote if present. */
  readonly currency?: string;
  readonly amount?: bigint;
  readonly purpose?: string;
  readonly remittanceInformation?: string;
  readonly endToEndId: string;
  readonly uetr: string;
  /** Set by the ISO 20022 gateway: the message it came in. */
  readonly iso?: IsoOrigin;
  /** Settlement priority (ISO 20022 InstrPrty/SttlmPrty HIGH: urgent); absent: normal. */
  readonly priority?: QueuePriority;
  /**
   * The latest time the payment may settle if it has to wait in the queue (ms since the epoch),
   * never after its quote's expiry; absent: the quote's expiry, or the queue's default wait.
   */
  readonly latestSettlementAt?: number;
}

/** Which fees a quote takes out of its amount rather than adding to the debit. */
export type FeesIncluded = 'all' | 'fx_provider';

/** Whether a quote may route through a third currency (see create_quote). */
export type QuoteRouting = 'direct' | 'best';

/**
 * receivedAt on create_payment and return_payment: when the request arrived (ms since the
 * epoch, the network's clock), set by the service before the command is queued and journaled
 * with it, so that time to credit is the same on replay and on a standby. Absent in entries
 * written before it was recorded: the payment then arrived when its batch was applied.
 */
export type NetworkCommand =
  | { readonly type: 'configure'; readonly actor: string; readonly settings: NetworkSettings;
      readonly currencies: readonly CurrencyDefinition[] }
  | { readonly type: 'add_participant'; readonly actor: string; readonly participant: ParticipantSpec }
  | { readonly type: 'set_participant_status'; readonly actor: string; readonly participantId: string;
      readonly status: ParticipantStatus }
  | { readonly type: 'set_currency_rules'; readonly actor: string; readonly currency: string;
      readonly rules: CurrencyRules }
  | { readonly type: 'grant_credit'; readonly actor: string; readonly participantId: string;
      readonly currency: string; readonly limit: bigint }
  // Central-bank standing facility (src/engine/facilities.ts): set by the issuer, drawn and
  // repaid by the participant.
  | { readonly type: 'set_facility'; readonly actor: string; readonly participantId: string;
      readonly currency: string; readonly limit: bigint; readonly rateBps: number }
  | { readonly type: 'draw_facility'; readonly actor: string; readonly currency: string;
      readonly amount: bigint }
  | { readonly type: 'repay_facility'; readonly actor: string; readonly currency: string }
  // Bilateral central-bank swap lines (src/engine/swap-lines.ts): set by the issuer of the
  // currency, drawn, lent on to the holder's FX providers and repaid.
  | { readonly type: 'set_swap_line'; readonly actor: string; readonly holder: string;
      readonly currency: string; readonly limit: bigint; readonly rateBps: number;
      readonly tenorDays: number }
  | { readonly type: 'draw_swap_line'; readonly actor: string; readonly currency: string;
      readonly amount: bigint }
  | { readonly type: 'lend_swap_funds'; readonly actor: string; readonly providerId: string;
      readonly currency: string; readonly amount: bigint }
  | { readonly type: 'repay_swap_funds'; readonly actor: string; readonly holder: string;
      readonly currency: string }
  | { readonly type: 'repay_swap_line'; readonly actor: string; readonly currency: string }
  | { readonly type: 'issue' | 'redeem'; readonly actor: string; readonly id: string;
      readonly participantId: string; readonly currency: string; readonly amount: bigint }
  | { readonly type: 'publish_rate'; readonly actor: string; readonly rate: RateSpec }
  | { readonly type: 'create_quote'; readonly actor: string; readonly quoteId: string;
      readonly source: string; readonly target: string; readonly fixed: 'send' | 'receive';
      readonly amount: bigint;
      /**
       * Fees taken out of the amount instead of added to it (ISO ChrgBr CRED: 'all'; SHAR:
       * 'fx_provider'). Absent: every fee is added to the debit, as before it existed.
       */
      readonly feesIncluded?: FeesIncluded;
      /**
       * 'best': a route through a third member currency (never USD) is offered when no
       * provider quotes the pair, or when it gives more for the same cost. 'direct', and
       * absent (every quote journaled before routes existed, so they replay as they were
       * given): one provider's direct offer only.
       */
      readonly routing?: QuoteRouting }
  | { readonly type: 'create_payment'; readonly actor: string; readonly payment: PaymentRequest;
      readonly screening: ScreeningVerdict; readonly receivedAt?: number }
  | { readonly type: 'accept_payment'; readonly actor: string; readonly paymentId: string }
  | { readonly type: 'reject_payment'; readonly actor: string; readonly paymentId: string;
      readonly reason: PaymentReason; readonly detail?: string }
  | { readonly type: 'review_payment'; readonly actor: string; readonly paymentId: string;
      readonly decision: 'release' | 'reject'; readonly note?: string }
  | { readonly type: 'return_payment'; readonly actor: string; readonly returnId: string;
      readonly originalPaymentId: string; readonly amount: bigint; readonly reason: ReturnReason;
      readonly quoteId?: string; readonly uetr: string; readonly iso?: IsoOrigin;
      readonly receivedAt?: number }
  | { readonly type: 'create_api_key'; readonly actor: string; readonly keyId: string;
      readonly participantId: string; readonly hash: string; readonly label: string }
  | { readonly type: 'revoke_api_key'; readonly actor: string; readonly keyId: string }
  /** A tick: runs the queue's deadlines and resolution pass if due; changes nothing itself. */
  | { readonly type: 'run_queue'; readonly actor: string }
  | { readonly type: 'cancel_queued'; readonly actor: string; readonly paymentId: string }
  /** The sender's queued payments named, in the order it wants them among their positions. */
  | { readonly type: 'reorder_queue'; readonly actor: string; readonly paymentIds: readonly string[] }
  | { readonly type: 'set_queue_priority'; readonly actor: string; readonly paymentId: string;
      readonly priority: QueuePriority }
  | { readonly type: 'set_queue_settings'; readonly actor: string; readonly queue: QueueSettings };

/** Refusals: the request changes nothing. Ordered roughly by when they are checked. */
export const NETWORK_CODES = [
  'ok',
  'invalid_field',
  'not_configured',
  'already_configured',
  'not_authorized',
  'actor_suspended',
  'participant_not_found',
  'participant_exists',
  'creditor_agent_is_sender',
  'creditor_agent_is_central_bank',
  'currency_unknown',
  'currency_not_in_network',
  'account_not_found',
  'exists_with_different_fields',
  'rate_invalid',
  'no_offer',
  'too_many_open_quotes',
  'quote_required',
  'quote_not_found',
  'quote_expired',
  'quote_already_used',
  'quote_mismatch',
  'duplicate_end_to_end_id',
  'duplicate_uetr',
  'payment_not_found',
  'payment_not_pending',
  'payment_under_review',
  'payment_not_under_review',
  'payment_not_returnable',
  'return_amount_exceeds_remaining',
  'insufficient_funds',
  'queue_full',
  'payment_not_queued',
  'credit_limit_below_usage',
  'facility_limit_exceeded',
  'swap_line_limit_exceeded',
  'ledger_refused',
  'not_found',
] as const;

export type NetworkCode = (typeof NETWORK_CODES)[number];

export interface NetworkResult {
  readonly code: NetworkCode;
  readonly message?: string;
  /** The field at fault, for invalid_field. */
  readonly field?: string;
  readonly replayed?: boolean;
  readonly payment?: Payment;
  readonly quote?: Quote;
  /** The ISO 20022 reason a refusal maps to, for an answer in ISO terms. */
  readonly isoReason?: PaymentReason;
}
