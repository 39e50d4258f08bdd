// The rate book and quotes. FX providers publish directional rates; a quote is the best
// firm offer across providers for one amount, with every fee and the exact amounts shown
// before the payer commits. Cross rates always come from a provider's direct pair.
import { AMOUNT_MAX } from '../../money/amount.js';
import {
  compareRates, convert, convertBack, floorRate, formatRate, multiplyRate, type Rate,
} from './rate.js';

export interface PublishedRate {
  readonly providerId: string;
  readonly source: string;
  readonly target: string;
  /** As published (mid or bid), for display. */
  readonly published: string;
  readonly spreadBps: number;
  /** What a customer gets: published × (1 − spread), rounded down to 10 decimals. */
  readonly applied: Rate;
  readonly amountMax: bigint;
  readonly fee: bigint;
  readonly publishedAt: number;
  readonly validUntil: number;
}

export interface QuoteFee {
  readonly kind: 'scheme' | 'fx_provider';
  readonly amount: bigint;
  readonly currency: string;
  readonly payee: string;
}

/**
 * One conversion of a quote routed through a third currency: what one provider takes in its
 * source currency and delivers in its target, at its own firm rate. `fee` is the provider's
 * fee in the hop's source currency: the first hop's is paid by the debtor agent on top of the
 * amount sent (it is among the quote's fees); a later hop's is taken out of what the previous
 * hop delivered (`sendAmount` is then what is left to convert).
 */
export interface QuoteHop {
  readonly providerId: string;
  readonly source: string;
  readonly target: string;
  /** The applied rate, exactly as used: target units per source unit. */
  readonly rate: string;
  readonly midRate: string;
  readonly spreadBps: number;
  readonly sendAmount: bigint;
  readonly creditAmount: bigint;
  readonly fee: bigint;
}

export interface Quote {
  /** The network id (src/engine/payments/ids.ts). */
  readonly id: string;
  /** The id the debtor agent chose: what it names the quote by. */
  readonly clientId: string;
  readonly debtorAgent: string;
  readonly providerId: string;
  readonly source: string;
  readonly target: string;
  readonly fixed: 'send' | 'receive';
  /** The applied rate, exactly as used: target units per source unit. */
  readonly rate: string;
  readonly midRate: string;
  readonly spreadBps: number;
  readonly sendAmount: bigint;
  readonly creditAmount: bigint;
  readonly fees: readonly QuoteFee[];
  /** sendAmount plus every fee. */
  readonly debitAmount: bigint;
  /** The fees taken out of the requested amount (see create_quote); absent: none. */
  readonly feesIncluded?: 'all' | 'fx_provider';
  /** With feesIncluded: the amount asked for, before the fees were taken out. */
  readonly requestedAmount?: bigint;
  readonly createdAt: number;
  readonly expiresAt: number;
  /**
   * A quote through a third currency: its two hops, in order (providerId is the first hop's;
   * rate and midRate are the two hops' rates multiplied; spreadBps their combined spread).
   * Absent: one provider converts directly, as every quote did before routes existed.
   */
  readonly route?: readonly QuoteHop[];
  usedBy?: string;
}

export function appliedRate(published: Rate, spreadBps: number): Rate {
  return floorRate(multiplyRate(published, BigInt(10_000 - spreadBps), 10_000n));
}

export interface OfferRequest {
  readonly fixed: 'send' | 'receive';
  readonly amount: bigint;
  readonly exponents: { readonly source: number; readonly target: number };
}

export interface Offer {
  readonly rate: PublishedRate;
  readonly sendAmount: bigint;
  readonly creditAmount: bigint;
}

/**
 * The amounts one published rate gives. Fixed send: credit = floor(send × rate). Fixed
 * receive: send = ceil(credit / rate). Both round in the provider's favour.
 */
export function offerFor(rate: PublishedRate, request: OfferRequest): Offer | undefined {
  // A zero rate delivers nothing and cannot be inverted (fixed receive would divide by zero).
  if (rate.applied.numerator === 0n) return undefined;
  const sendAmount = request.fixed === 'send' ? request.amount
    : convertBack(request.amount, rate.applied, request.exponents, 'ceil');
  const creditAmount = request.fixed === 'send'
    ? convert(request.amount, rate.applied, request.exponents, 'floor')
    : request.amount;
  if (sendAmount <= 0n || creditAmount <= 0n) return undefined;
  // A quote is firm: never offer amounts no ledger transfer can carry.
  if (sendAmount > AMOUNT_MAX || creditAmount > AMOUNT_MAX) return undefined;
  if (rate.amountMax > 0n && sendAmount > rate.amountMax) return undefined;
  return { rate, sendAmount, creditAmount };
}

/**
 * Better for the payer. Fixed receive (same credit): the lower cost, fee included. Fixed send:
 * the most credited per unit debited, the provider's fee included (the scheme fee is the
 * same for every provider). Ties go to the better rate, then the lower provider id.
 */
export function betterOffer(left: Offer, right: Offer): Offer {
  const leftCost = left.sendAmount + left.rate.fee;
  const rightCost = right.sendAmount + right.rate.fee;
  const leftValue = left.creditAmount * rightCost;
  const rightValue = right.creditAmount * leftCost;
  if (leftValue !== rightValue) return leftValue > rightValue ? left : right;
  const byRate = compareRates(left.rate.applied, right.rate.applied);
  if (byRate !== 0) return byRate > 0 ? left : right;
  return left.rate.providerId <= right.rate.providerId ? left : right;
}

export function describeRate(rate: Rate): string {
  return formatRate(rate);
}
