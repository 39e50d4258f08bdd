// Returns: the creditor agent sends a settled payment back, in full or in part, as a new
// payment in the reverse direction linked to the original. Cross-currency returns convert at
// the original quote's rate or at a fresh quote, as the network is configured.
import { convertBack, parseRate } from '../fx/rate.js';
import { findCurrency } from '../../money/currency.js';
import type { NetworkCommand, NetworkResult } from '../commands.js';
import { settlementAccountId } from '../model.js';
import { ownQuoteAt } from '../quoting.js';
import { refuse, type BatchContext, type NetworkState } from '../state.js';
import { arrivalTime } from './figures.js';
import { findPayment, ownPayment, paymentKey } from './ids.js';
import { createLegs, legFailure, legId } from './legs.js';
import { RETURN_REASONS, type Payment, type PaymentLeg } from './model.js';
import { requestFingerprint } from './retention.js';
import { changeStatus } from './status.js';
import { checkIsoOrigin, checkPaymentId, fingerprintRequest, UETR } from './validate.js';

type ReturnPayment = Extract<NetworkCommand, { type: 'return_payment' }>;

/** The return as its sender asked for it: when it arrived is no part of it (a retry differs). */
function requestOf(command: ReturnPayment): Omit<ReturnPayment, 'receivedAt'> {
  const { receivedAt: _arrival, ...request } = command;
  return request;
}

interface ReturnTerms {
  readonly providerId?: string;
  readonly sourceAmount: bigint;
  /** The fresh quote's network id, and the id its asker gave it. */
  readonly quoteId?: string;
  readonly quoteClientId?: string;
  readonly rate?: string;
}

function checkReturn(state: NetworkState, command: ReturnPayment): Payment | NetworkResult {
  const invalid =
    checkPaymentId(command.returnId, 'returnId') ??
    (command.iso === undefined ? undefined : checkIsoOrigin(command.iso));
  if (invalid !== undefined) return invalid;
  if (!UETR.test(command.uetr))
    return refuse('invalid_field', 'The UETR must be a lower-case UUID version 4.', 'uetr');
  const original = findPayment(state, command.actor, command.originalPaymentId);
  if (original === undefined || original.creditorAgent !== command.actor) {
    return refuse(
      'payment_not_found',
      `No payment ${command.originalPaymentId} for you.`,
      'originalPaymentId',
    );
  }
  if (state.participants.get(command.actor)?.status !== 'active') {
    return {
      ...refuse('actor_suspended', 'A suspended participant cannot send.'),
      isoReason: 'AC06',
    };
  }
  if (original.kind !== 'payment' || original.status !== 'ACCC') {
    return refuse(
      'payment_not_returnable',
      'Only a settled payment (ACCC) can be returned.',
      'originalPaymentId',
    );
  }
  // Routes came after returns: no journaled return can name a routed payment.
  if (original.route !== undefined) {
    return refuse(
      'payment_not_returnable',
      'A payment routed through a third currency cannot be returned through its route: ' +
        'send the amount back as a new payment.',
      'originalPaymentId',
    );
  }
  if (!(command.reason in RETURN_REASONS)) {
    return refuse(
      'invalid_field',
      'The reason is not an ISO 20022 return reason Corridor knows.',
      'reason',
    );
  }
  if (command.amount <= 0n)
    return refuse('invalid_field', 'The amount must be positive.', 'amount');
  if (command.amount > original.creditAmount - original.returnedAmount) {
    return {
      ...refuse(
        'return_amount_exceeds_remaining',
        'The amount exceeds what is left to return.',
        'amount',
      ),
      isoReason: 'AM09',
    };
  }
  return original;
}

function returnTerms(
  state: NetworkState,
  original: Payment,
  command: ReturnPayment,
  context: BatchContext,
): ReturnTerms | NetworkResult {
  const now = context.now;
  if (original.fxProvider === undefined) return { sourceAmount: command.amount };
  if (state.settings.returnRate === 'original') {
    const rate = parseRate(original.rate ?? '');
    if (!rate.ok) return refuse('rate_invalid', 'The original rate cannot be read.');
    const exponents = {
      source: findCurrency(original.sourceCurrency)?.exponent ?? 2,
      target: findCurrency(original.targetCurrency)?.exponent ?? 2,
    };
    return {
      providerId: original.fxProvider,
      rate: original.rate ?? '',
      sourceAmount: convertBack(command.amount, rate.rate, exponents, 'floor'),
    };
  }
  const quote = ownQuoteAt(state, context.ids, command.actor, command.quoteId ?? '', now);
  if (quote === undefined || quote.debtorAgent !== command.actor)
    return refuse('quote_not_found', 'A return needs a fresh quote.', 'quoteId');
  if (quote.usedBy !== undefined)
    return refuse('quote_already_used', 'The quote was already used.', 'quoteId');
  if (quote.expiresAt <= now) return refuse('quote_expired', 'The quote has expired.', 'quoteId');
  if (
    quote.route !== undefined ||
    quote.source !== original.targetCurrency ||
    quote.target !== original.sourceCurrency ||
    quote.sendAmount !== command.amount
  ) {
    return refuse('quote_mismatch', 'The quote does not match the return.', 'quoteId');
  }
  return {
    providerId: quote.providerId,
    sourceAmount: quote.creditAmount,
    quoteId: quote.id,
    quoteClientId: quote.clientId,
    rate: quote.rate,
  };
}

function returnLegs(
  id: string,
  original: Payment,
  command: ReturnPayment,
  terms: ReturnTerms,
): PaymentLeg[] {
  const creditor = settlementAccountId(original.creditorAgent, original.targetCurrency);
  const debtor = settlementAccountId(original.debtorAgent, original.sourceCurrency);
  if (terms.providerId === undefined) {
    return [
      {
        transferId: legId(id, 0),
        debitAccountId: creditor,
        creditAccountId: debtor,
        amount: command.amount,
        currency: original.targetCurrency,
        role: 'return_creditor_to_debtor',
      },
    ];
  }
  return [
    {
      transferId: legId(id, 0),
      debitAccountId: creditor,
      creditAccountId: settlementAccountId(terms.providerId, original.targetCurrency),
      amount: command.amount,
      currency: original.targetCurrency,
      role: 'return_creditor_to_provider',
    },
    {
      transferId: legId(id, 1),
      debitAccountId: settlementAccountId(terms.providerId, original.sourceCurrency),
      creditAccountId: debtor,
      amount: terms.sourceAmount,
      currency: original.sourceCurrency,
      role: 'return_provider_to_debtor',
    },
  ];
}

function returnRecord(
  id: string,
  original: Payment,
  command: ReturnPayment,
  terms: ReturnTerms,
  now: number,
): Payment {
  return {
    id,
    clientId: command.returnId,
    kind: 'return',
    mode: 'instant',
    debtorAgent: original.creditorAgent,
    creditorAgent: original.debtorAgent,
    debtor: original.creditor,
    creditor: original.debtor,
    sourceCurrency: original.targetCurrency,
    targetCurrency: original.sourceCurrency,
    sendAmount: command.amount,
    creditAmount: terms.sourceAmount,
    debitAmount: command.amount,
    fees: [],
    ...(terms.providerId === undefined ? {} : { fxProvider: terms.providerId }),
    ...(terms.rate === undefined ? {} : { rate: terms.rate }),
    ...(terms.quoteClientId === undefined ? {} : { quoteId: terms.quoteClientId }),
    endToEndId: original.endToEndId,
    uetr: command.uetr,
    ...(command.iso === undefined ? {} : { iso: command.iso }),
    legs: returnLegs(id, original, command, terms),
    returnOf: original.id,
    returnReason: command.reason,
    returns: [],
    returnedAmount: 0n,
    status: 'ACTC',
    events: [],
    receivedAt: arrivalTime(command.receivedAt, now),
    createdAt: now,
    updatedAt: now,
  };
}

export function returnPayment(
  state: NetworkState,
  command: ReturnPayment,
  context: BatchContext,
): NetworkResult {
  const existing = ownPayment(state, context.ids, command.actor, command.returnId);
  if (existing !== undefined) {
    return requestFingerprint(state, existing.id) ===
      fingerprintRequest(requestOf(command))
      ? { code: 'ok', replayed: true, payment: existing }
      : refuse(
          'exists_with_different_fields',
          'A payment with this id exists with different fields.',
          'returnId',
        );
  }
  const original = checkReturn(state, command);
  if ('code' in original) return original;
  const terms = returnTerms(state, original, command, context);
  if ('code' in terms) return terms;
  const id = paymentKey(context.ids, command.actor, command.returnId);
  const payment = returnRecord(id, original, command, terms, context.now);
  state.payments.set(payment.id, payment);
  state.paymentRequests.set(payment.id, requestOf(command));
  changeStatus(state, context, payment, { status: 'ACTC' });
  const failure = legFailure(
    payment.legs,
    context.applyLedger(createLegs(payment.id, payment.legs, 'posted', 0)),
  );
  if (failure !== undefined) {
    changeStatus(state, context, payment, { status: 'RJCT', ...failure });
    return { code: 'ok', payment };
  }
  const quote = terms.quoteId === undefined ? undefined : state.quotes.get(terms.quoteId);
  if (quote !== undefined) {
    quote.usedBy = payment.id;
    context.changes.quotes.set(quote.id, quote);
  }
  original.returnedAmount += command.amount;
  original.returns.push(payment.id);
  original.updatedAt = context.now;
  context.touchPayment(original);
  changeStatus(state, context, payment, { status: 'ACSC' });
  changeStatus(state, context, payment, { status: 'ACCC' });
  return { code: 'ok', payment };
}
