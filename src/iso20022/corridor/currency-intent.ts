// The currency intent of a pacs.008 or pacs.009 without a Corridor quote: from IntrBkSttlmAmt,
// InstdAmt, XchgRate, ChrgBr and the agents' settlement currencies, whether the payment is
// domestic or cross-currency, which side is fixed, who bears the fees, and the rate the
// message states. The rules are in docs/iso20022.md ("Currency intent"); a quote taken for a
// cross-currency intent is then held against the sender's tolerance (toleranceRejection).
import type { Quote } from '../../service/domain.js';
import { parseRate, type Rate } from '../../service/domain.js';
import type { FeesIncluded } from '../../service/domain.js';
import type { Participant } from '../../service/domain.js';
import type { ChargeBearer } from '../model.js';
import type { Rejection, TransferFields } from './transfers.js';

/** A cross-currency transaction: the quote to ask for, and what it is held against. */
export interface CrossCurrencyIntent {
  readonly source: string;
  readonly target: string;
  readonly fixed: 'send' | 'receive';
  readonly amount: bigint;
  /** The fees taken out of the amount (ChrgBr CRED, SHAR); absent: added to the debit. */
  readonly feesIncluded?: FeesIncluded;
  /** The rate the message states (XchgRate), as target units per source unit. */
  readonly statedRate?: Rate;
  /** XchgRate as written, for messages. */
  readonly statedRateText?: string;
}

export type CurrencyIntent =
  | { readonly kind: 'domestic' }
  | ({ readonly kind: 'cross' } & CrossCurrencyIntent)
  | { readonly kind: 'rejected'; readonly rejection: Rejection };

/** Which Corridor fees ChrgBr takes out of the amount rather than adding to the debit. */
export function feesIncludedOf(bearer: ChargeBearer | undefined): FeesIncluded | undefined {
  switch (bearer) {
    case 'CRED':
      return 'all';
    case 'SHAR':
      return 'fx_provider';
    default:
      // DEBT, SLEV and none (pacs.009): every fee on top of the debited amount.
      return undefined;
  }
}

function ambiguous(message: string): CurrencyIntent {
  return { kind: 'rejected', rejection: { reason: 'CURR', message } };
}

/** The only currency a participant holds other than `except`, if there is exactly one. */
function onlyOtherCurrency(participant: Participant, except: string): string | undefined {
  const others = participant.currencies.filter((currency) => currency !== except);
  return others.length === 1 ? others[0] : undefined;
}

function statedRate(
  text: string | undefined,
  inverse: boolean,
): { statedRate?: Rate; statedRateText?: string } | CurrencyIntent {
  if (text === undefined) return {};
  const parsed = parseRate(text);
  if (!parsed.ok) {
    return {
      kind: 'rejected',
      rejection: { reason: 'FF01', message: `XchgRate: ${parsed.message}` },
    };
  }
  const rate = inverse
    ? { numerator: parsed.rate.denominator, denominator: parsed.rate.numerator }
    : parsed.rate;
  return { statedRate: rate, statedRateText: text };
}

type Fees = { readonly feesIncluded?: FeesIncluded };

/** IntrBkSttlmAmt in the debtor agent's currency: it is converted into the creditor agent's. */
function fromSettlementCurrency(
  fields: TransferFields,
  creditor: Participant,
  fees: Fees,
): CurrencyIntent {
  const settlement = fields.amount;
  const instructed = fields.instructedAmount;
  const source = settlement.currency;
  if (
    instructed !== undefined &&
    instructed.currency !== source &&
    creditor.currencies.includes(instructed.currency)
  ) {
    // InstdAmt in the creditor agent's currency: that amount is delivered (fixed receive).
    // InstdAmt × XchgRate = IntrBkSttlmAmt, so XchgRate is source units per target unit.
    const rate = statedRate(fields.exchangeRate, true);
    if ('kind' in rate) return rate;
    const target = instructed.currency;
    return {
      kind: 'cross',
      source,
      target,
      fixed: 'receive',
      amount: instructed.value,
      ...fees,
      ...rate,
    };
  }
  const account = fields.creditor.account?.currency;
  const target =
    account !== undefined && creditor.currencies.includes(account)
      ? account
      : onlyOtherCurrency(creditor, source);
  if (target === undefined) {
    return ambiguous(
      `The creditor agent ${creditor.id} holds no ${source} and several other currencies: ` +
        'name one in InstdAmt or CdtrAcct/Ccy.',
    );
  }
  // XchgRate is read as target units per source unit unless InstdAmt is in a third
  // currency: then it is the debtor agent's own conversion and not Corridor's to check.
  const third =
    instructed !== undefined && instructed.currency !== source && instructed.currency !== target;
  const rate = statedRate(third ? undefined : fields.exchangeRate, false);
  if ('kind' in rate) return rate;
  return {
    kind: 'cross',
    source,
    target,
    fixed: 'send',
    amount: settlement.value,
    ...fees,
    ...rate,
  };
}

/**
 * IntrBkSttlmAmt in the creditor agent's currency, not the debtor agent's: with InstdAmt in a
 * currency the debtor agent holds, S is delivered (fixed receive), converted from InstdAmt's
 * currency; InstdAmt × XchgRate = IntrBkSttlmAmt, so XchgRate is target units per source unit.
 * Without such an InstdAmt nothing says what to pay from: domestic, which the network refuses
 * (AC01) as a payment in a currency the debtor agent does not hold.
 */
function intoSettlementCurrency(
  fields: TransferFields,
  sender: Participant,
  fees: Fees,
): CurrencyIntent {
  const settlement = fields.amount;
  const instructed = fields.instructedAmount;
  const target = settlement.currency;
  if (
    instructed === undefined ||
    instructed.currency === target ||
    !sender.currencies.includes(instructed.currency)
  ) {
    return { kind: 'domestic' };
  }
  const rate = statedRate(fields.exchangeRate, false);
  if ('kind' in rate) return rate;
  const source = instructed.currency;
  return {
    kind: 'cross',
    source,
    target,
    fixed: 'receive',
    amount: settlement.value,
    ...fees,
    ...rate,
  };
}

/**
 * The intent of a transaction without a Corridor quote, sent by `sender` to `creditor`.
 * S is the IntrBkSttlmAmt currency, I the InstdAmt currency.
 */
export function currencyIntent(
  fields: TransferFields,
  sender: Participant,
  creditor: Participant,
): CurrencyIntent {
  const currency = fields.amount.currency;
  const senderHolds = sender.currencies.includes(currency);
  // Both agents settle S, or neither does (the network refuses that: AC01 or AM03).
  if (senderHolds === creditor.currencies.includes(currency)) return { kind: 'domestic' };
  const feesIncluded = feesIncludedOf(fields.chargeBearer);
  const fees = feesIncluded === undefined ? {} : { feesIncluded };
  return senderHolds
    ? fromSettlementCurrency(fields, creditor, fees)
    : intoSettlementCurrency(fields, sender, fees);
}

/** Whether `rate` is below `reference` by more than `toleranceBps` basis points. */
function worseBeyond(rate: Rate, reference: Rate, toleranceBps: number): boolean {
  // rate < reference × (1 − tolerance), in integers.
  return (
    rate.numerator * reference.denominator * 10_000n <
    reference.numerator * rate.denominator * BigInt(10_000 - toleranceBps)
  );
}

/**
 * Why a quote may not be used, or undefined: its rate must not fall below the provider's
 * reference (mid) rate by more than the sender's fxToleranceBps, when it set one, nor below a
 * rate the message states by more than that tolerance (0 when it set none).
 */
export function toleranceRejection(
  quote: Quote,
  intent: CrossCurrencyIntent,
  sender: Participant,
): Rejection | undefined {
  const applied = parseRate(quote.rate);
  const mid = parseRate(quote.midRate);
  if (!applied.ok)
    return { reason: 'NARR', message: `The quote's rate ${quote.rate} is unreadable.` };
  const tolerance = sender.fxToleranceBps;
  const pair = `${quote.source}/${quote.target}`;
  if (tolerance !== undefined && mid.ok && worseBeyond(applied.rate, mid.rate, tolerance)) {
    return {
      reason: 'AM09',
      message:
        `The best ${pair} rate ${quote.rate} is more than ${tolerance} bp below the ` +
        `reference rate ${quote.midRate}.`,
    };
  }
  if (
    intent.statedRate !== undefined &&
    worseBeyond(applied.rate, intent.statedRate, tolerance ?? 0)
  ) {
    return {
      reason: 'AM09',
      message:
        `The best ${pair} rate ${quote.rate} is more than ${tolerance ?? 0} bp below the ` +
        `stated XchgRate ${intent.statedRateText ?? ''}.`,
    };
  }
  return undefined;
}
