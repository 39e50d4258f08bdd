// Payments as the business sees them: ISO 20022 statuses and reason codes, the parties, the
// legs, and a timeline with the time of every status change (time-to-credit is a product figure).
import type { QuoteHop } from '../fx/quotes.js';

/** ISO 20022 ExternalPaymentTransactionStatus1Code values Corridor uses. */
export type PaymentStatus =
  | 'ACTC' // accepted after technical validation
  | 'ACSP' // accepted, settlement in process: legs reserved, waiting for the creditor agent
  | 'BLCK' // held: screening hit; legs reserved until a reviewer releases or rejects
  | 'ACSC' // settlement completed on the debtor side
  | 'ACCC' // settlement completed, creditor agent credited
  | 'RJCT'; // rejected, with a reason; nothing of it is posted

/** ISO 20022 ExternalStatusReason1Code values Corridor uses. */
export const PAYMENT_REASONS = {
  AM04: 'Insufficient funds.',
  AM02: 'The amount is above the maximum the currency allows for one payment.',
  AM14: 'The amount would exceed the participant\'s daily outflow cap in this currency.',
  AM03: 'The currency is not one the network settles.',
  AC01: 'The account does not exist: the participant holds no account in this currency.',
  AC06: 'The account is blocked: the participant is suspended.',
  RR04: 'Regulatory reason: the payment was rejected after sanctions screening.',
  AB03: 'The FX quote expired before the payment used it.',
  AB05: 'The creditor agent did not answer in time.',
  AB01: 'The payment could not settle before its latest settlement time.',
  DS02: 'The order was cancelled by its sender while it waited in the settlement queue.',
  DUPL: 'Duplicate payment.',
  RC01: 'The agent is not a participant of the network.',
  AM09: 'The amount is not the one agreed (quote terms or returnable amount).',
  FOCR: 'Returned following a cancellation request.',
  NARR: 'See the narrative.',
} as const;

export type PaymentReason = keyof typeof PAYMENT_REASONS;

/** ISO 20022 ExternalReturnReason1Code values a creditor agent may give for a return. */
export const RETURN_REASONS = {
  AC01: 'Incorrect account number.',
  AC03: 'Invalid creditor account number.',
  AC04: 'Closed account number.',
  AC06: 'Blocked account.',
  AM09: 'Wrong amount.',
  BE01: 'Inconsistent with end customer.',
  CUST: 'Requested by customer.',
  DUPL: 'Duplicate payment.',
  FOCR: 'Following a cancellation request.',
  FRAD: 'Fraudulent origin.',
  MD06: 'Refund request by end customer.',
  MS02: 'Reason not specified, by the customer.',
  MS03: 'Reason not specified, by the agent.',
  NARR: 'See the narrative.',
  RR04: 'Regulatory reason.',
} as const;

export type ReturnReason = keyof typeof RETURN_REASONS;

export interface Party {
  readonly name: string;
  readonly account?: string;
  /** Identifiers such as LEI, national id or customer number, as type → value. */
  readonly identifiers?: Readonly<Record<string, string>>;
  readonly country?: string;
}

export interface PaymentEvent {
  readonly status: PaymentStatus;
  readonly reason?: PaymentReason;
  /** Corridor's finer-grained code for the reason (for example quote_expired). */
  readonly detail?: string;
  readonly at: number;
}

export interface Fee {
  readonly kind: 'scheme' | 'fx_provider';
  readonly amount: bigint;
  readonly currency: string;
  readonly payee: string;
}

export interface PaymentLeg {
  readonly transferId: string;
  readonly debitAccountId: string;
  readonly creditAccountId: string;
  readonly amount: bigint;
  readonly currency: string;
  readonly role: 'debtor_to_provider' | 'provider_to_creditor' | 'debtor_to_creditor' | 'fee'
    // A route through a third currency: the first FX provider pays the second in the middle.
    | 'provider_to_provider'
    | 'return_creditor_to_provider' | 'return_provider_to_debtor' | 'return_creditor_to_debtor';
}

export type PaymentMode = 'instant' | 'two_phase';

/** ISO 20022 charge bearer (ChrgBr). */
export type ChargeBearer = 'DEBT' | 'CRED' | 'SHAR' | 'SLEV';

/** A charge as the instructing agent declared it (ChrgsInf); Corridor's own fees are `fees`. */
export interface DeclaredCharge {
  readonly amount: bigint;
  readonly currency: string;
  /** The agent taking it: its BIC, else its member id or other id, else its name. */
  readonly agent: string;
}

/**
 * How a payment or return arrived in ISO 20022 (src/iso20022/corridor): what its status
 * reports quote back, and the message id its sender may not use again. Absent otherwise.
 */
export interface IsoOrigin {
  /** GrpHdr/MsgId of the message that carried it. */
  readonly messageId: string;
  /** For example pacs.008.001.08. */
  readonly messageNameId: string;
  readonly creationDateTime?: string;
  /** PmtId/InstrId (pacs.008, pacs.009) or RtrId (pacs.004). */
  readonly instructionId?: string;
  readonly transactionId?: string;
  readonly chargeBearer?: ChargeBearer;
  readonly charges?: readonly DeclaredCharge[];
}

export interface Payment {
  /** The network id (src/engine/payments/ids.ts): unique across the network; what others are
   * shown. */
  readonly id: string;
  /** The id its debtor agent chose (for a return, the returning agent): what the owner is shown. */
  readonly clientId: string;
  readonly kind: 'payment' | 'return';
  readonly mode: PaymentMode;
  readonly debtorAgent: string;
  readonly creditorAgent: string;
  readonly debtor: Party;
  readonly creditor: Party;
  readonly sourceCurrency: string;
  readonly targetCurrency: string;
  /** What leaves the debtor agent for the creditor side, before fees. */
  readonly sendAmount: bigint;
  /** What the creditor agent receives. */
  readonly creditAmount: bigint;
  /** sendAmount plus every fee: what the debtor agent's account is debited. */
  readonly debitAmount: bigint;
  readonly fees: readonly Fee[];
  readonly quoteId?: string;
  readonly fxProvider?: string;
  readonly rate?: string;
  /** The quote's mid (published) rate: what the FX spread is measured against. */
  readonly midRate?: string;
  /**
   * A payment through a third currency: the quote's two hops (fxProvider is the first hop's
   * provider; rate and midRate are for the whole route). Absent: direct.
   */
  readonly route?: readonly QuoteHop[];
  readonly purpose?: string;
  readonly remittanceInformation?: string;
  readonly endToEndId: string;
  readonly uetr: string;
  readonly iso?: IsoOrigin;
  /** Settlement priority, when set or when the payment waited in the queue. */
  priority?: 'urgent' | 'normal';
  /** The latest time a queued payment may settle (ms since the epoch); absent if never queued. */
  latestSettlementAt?: number;
  readonly legs: readonly PaymentLeg[];
  readonly returnOf?: string;
  /** For a return: the ISO 20022 return reason (ExternalReturnReason1Code, e.g. AC04, FOCR). */
  readonly returnReason?: string;
  readonly returns: string[];
  returnedAmount: bigint;
  status: PaymentStatus;
  reason?: PaymentReason;
  detail?: string;
  readonly screening?: ScreeningVerdict;
  readonly events: PaymentEvent[];
  /**
   * When the request arrived (REST request received, ISO message received, library call),
   * journaled on its command: time to credit runs from here. At or before createdAt (the time
   * of the batch that took it in).
   */
  readonly receivedAt: number;
  readonly createdAt: number;
  updatedAt: number;
}

export interface ScreeningMatch {
  readonly party: 'debtor' | 'creditor';
  readonly source: string;
  readonly listId: string;
  readonly matchedName: string;
  readonly score: number;
}

/** Screening happens before a payment enters the engine; its verdict is journaled with it. */
export interface ScreeningVerdict {
  readonly hit: boolean;
  readonly matches: readonly ScreeningMatch[];
  readonly listVersion?: string;
}

export function isFinal(status: PaymentStatus): boolean {
  return status === 'ACCC' || status === 'RJCT';
}
