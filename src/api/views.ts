// What the API shows: domain objects with every amount as an exact decimal string in its
// currency (never a float, never a bare bigint).
import type { Quote, QuoteHop } from '../service/domain.js';
import type { Balance } from '../ledger/types.js';
import { formatAmount } from '../money/amount.js';
import type { ApiKeyRecord } from '../service/domain.js';
import type { Participant } from '../service/domain.js';
import type { PaymentEventRecord } from '../service/domain.js';
import { costBps, midValuesOf } from '../service/domain.js';
import type { Payment } from '../service/domain.js';
import type { StoredTransfer } from '../storage/store.js';

export interface Money {
  readonly amount: string;
  readonly currency: string;
}

export function money(amount: bigint, currency: string): Money {
  return { amount: formatAmount(amount, currency), currency };
}

export function participantView(participant: Participant) {
  return {
    id: participant.id,
    name: participant.name,
    kind: participant.kind,
    country: participant.country,
    ...(participant.bic === undefined ? {} : { bic: participant.bic }),
    ...(participant.lei === undefined ? {} : { lei: participant.lei }),
    ...(participant.fxToleranceBps === undefined
      ? {}
      : { fxToleranceBps: participant.fxToleranceBps }),
    currencies: participant.currencies,
    status: participant.status,
    createdAt: new Date(participant.createdAt).toISOString(),
  };
}

export function balanceView(participantId: string, balance: Balance) {
  const currency = balance.currency;
  return {
    participantId,
    accountId: balance.accountId,
    currency,
    posted: formatAmount(balance.posted, currency),
    reserved: formatAmount(balance.pendingDebits, currency),
    incoming: formatAmount(balance.pendingCredits, currency),
    available: formatAmount(balance.available, currency),
    creditLimit: formatAmount(balance.creditLimit, currency),
  };
}

/** A quote as its asker sees it: under the id it chose, with the network's id beside it. */
export function quoteView(quote: Quote) {
  return {
    id: quote.clientId,
    networkId: quote.id,
    debtorAgent: quote.debtorAgent,
    fxProvider: quote.providerId,
    sourceCurrency: quote.source,
    targetCurrency: quote.target,
    fixed: quote.fixed,
    rate: quote.rate,
    midRate: quote.midRate,
    spreadBps: quote.spreadBps,
    sendAmount: money(quote.sendAmount, quote.source),
    creditAmount: money(quote.creditAmount, quote.target),
    fees: quote.fees.map((fee) => ({
      kind: fee.kind,
      payee: fee.payee,
      ...money(fee.amount, fee.currency),
    })),
    debitAmount: money(quote.debitAmount, quote.source),
    createdAt: new Date(quote.createdAt).toISOString(),
    expiresAt: new Date(quote.expiresAt).toISOString(),
    used: quote.usedBy !== undefined,
    ...(quote.route === undefined ? {} : { route: quote.route.map(routeHopView) }),
  };
}

/** One hop of a quote or payment through a third currency. */
export function routeHopView(hop: QuoteHop) {
  return {
    fxProvider: hop.providerId,
    sourceCurrency: hop.source,
    targetCurrency: hop.target,
    rate: hop.rate,
    midRate: hop.midRate,
    spreadBps: hop.spreadBps,
    sendAmount: money(hop.sendAmount, hop.source),
    creditAmount: money(hop.creditAmount, hop.target),
    fee: money(hop.fee, hop.source),
  };
}

/**
 * A payment as `viewer` sees it. Its debtor agent (for a return, the returning agent) sees the
 * id it chose; everyone else the network id, which no other participant's id can take.
 */
export function paymentView(payment: Payment, viewer?: string) {
  return {
    id: viewer === payment.debtorAgent ? payment.clientId : payment.id,
    networkId: payment.id,
    kind: payment.kind,
    mode: payment.mode,
    status: payment.status,
    ...(payment.reason === undefined ? {} : { reason: payment.reason }),
    ...(payment.detail === undefined ? {} : { detail: payment.detail }),
    debtorAgent: payment.debtorAgent,
    creditorAgent: payment.creditorAgent,
    debtor: payment.debtor,
    creditor: payment.creditor,
    sendAmount: money(payment.sendAmount, payment.sourceCurrency),
    creditAmount: money(payment.creditAmount, payment.targetCurrency),
    debitAmount: money(payment.debitAmount, payment.sourceCurrency),
    fees: payment.fees.map((fee) => ({
      kind: fee.kind,
      payee: fee.payee,
      ...money(fee.amount, fee.currency),
    })),
    ...(payment.quoteId === undefined ? {} : { quoteId: payment.quoteId }),
    ...(payment.fxProvider === undefined ? {} : { fxProvider: payment.fxProvider }),
    ...(payment.rate === undefined ? {} : { rate: payment.rate }),
    ...(payment.midRate === undefined ? {} : { midRate: payment.midRate }),
    ...(payment.route === undefined ? {} : { route: payment.route.map(routeHopView) }),
    ...costView(payment),
    ...(payment.purpose === undefined ? {} : { purpose: payment.purpose }),
    ...(payment.remittanceInformation === undefined
      ? {}
      : { remittanceInformation: payment.remittanceInformation }),
    endToEndId: payment.endToEndId,
    uetr: payment.uetr,
    ...(payment.priority === undefined ? {} : { priority: payment.priority }),
    ...(payment.latestSettlementAt === undefined
      ? {}
      : { latestSettlementTime: new Date(payment.latestSettlementAt).toISOString() }),
    legs: payment.legs.map((leg) => ({
      transferId: leg.transferId,
      role: leg.role,
      debitAccountId: leg.debitAccountId,
      creditAccountId: leg.creditAccountId,
      ...money(leg.amount, leg.currency),
    })),
    ...(payment.returnOf === undefined ? {} : { returnOf: payment.returnOf }),
    ...(payment.returnReason === undefined ? {} : { returnReason: payment.returnReason }),
    returns: [...payment.returns],
    returnedAmount: money(payment.returnedAmount, payment.targetCurrency),
    ...(payment.screening === undefined ? {} : { screening: payment.screening }),
    events: payment.events.map((event) => ({ ...event, at: new Date(event.at).toISOString() })),
    receivedAt: new Date(payment.receivedAt).toISOString(),
    createdAt: new Date(payment.createdAt).toISOString(),
    updatedAt: new Date(payment.updatedAt).toISOString(),
  };
}

/**
 * A payment's cost: the FX spread against the mid rate plus fees, in basis points of the
 * value debited (src/engine/payments/figures.ts). Payments only; a return carries no fee or quote.
 */
function costView(payment: Payment): { costBps?: number } {
  if (payment.kind !== 'payment') return {};
  const values = midValuesOf(payment);
  const bps = values === undefined ? null : costBps(values);
  return bps === null ? {} : { costBps: bps };
}

export function eventView(sequence: number, event: PaymentEventRecord) {
  return {
    sequence,
    type: 'payment.status_changed',
    paymentId: event.paymentId,
    status: event.status,
    ...(event.reason === undefined ? {} : { reason: event.reason }),
    ...(event.detail === undefined ? {} : { detail: event.detail }),
    at: new Date(event.at).toISOString(),
  };
}

export function transferView(transfer: StoredTransfer) {
  return {
    id: transfer.id,
    sequence: transfer.sequence,
    kind: transfer.kind,
    state: transfer.state,
    debitAccountId: transfer.debitAccountId,
    creditAccountId: transfer.creditAccountId,
    ...money(transfer.amount, transfer.currency),
    reference: transfer.reference,
    ...(transfer.pendingId === '' ? {} : { pendingId: transfer.pendingId }),
    timestamp: new Date(transfer.timestamp).toISOString(),
  };
}

export function keyView(key: ApiKeyRecord) {
  return {
    keyId: key.keyId,
    participantId: key.participantId,
    label: key.label,
    createdAt: new Date(key.createdAt).toISOString(),
    ...(key.revokedAt === undefined ? {} : { revokedAt: new Date(key.revokedAt).toISOString() }),
  };
}
