// Status changes of a payment: every change is timestamped on the payment and announced to
// the participants entitled to hear of it.
import type { BatchContext, NetworkState } from '../network/state.js';
import type { Payment, PaymentReason, PaymentStatus } from './model.js';

export function audienceOf(state: NetworkState, payment: Payment): string[] {
  const audience = new Set([payment.debtorAgent, payment.creditorAgent]);
  if (payment.fxProvider !== undefined) audience.add(payment.fxProvider);
  for (const currency of [payment.sourceCurrency, payment.targetCurrency]) {
    const issuer = state.currencies.get(currency)?.issuer;
    if (issuer !== undefined) audience.add(issuer);
  }
  return [...audience];
}

/**
 * Each payment's audience, computed at its first status change. The parties of a payment never
 * change, nor does a currency's issuer once the network is configured, so a payment's audience
 * is fixed; its events share one frozen array rather than build a new set per status change.
 */
const audiences = new WeakMap<Payment, readonly string[]>();

function fixedAudienceOf(state: NetworkState, payment: Payment): readonly string[] {
  let audience = audiences.get(payment);
  if (audience === undefined) {
    audience = Object.freeze(audienceOf(state, payment));
    audiences.set(payment, audience);
  }
  return audience;
}

export function changeStatus(
  state: NetworkState,
  context: BatchContext,
  payment: Payment,
  change: { status: PaymentStatus; reason?: PaymentReason; detail?: string },
): void {
  payment.status = change.status;
  // The reason and detail describe the current status; the events keep the history.
  payment.reason = change.reason;
  payment.detail = change.detail;
  payment.updatedAt = context.now;
  const event = {
    status: change.status,
    at: context.now,
    ...(change.reason === undefined ? {} : { reason: change.reason }),
    ...(change.detail === undefined ? {} : { detail: change.detail }),
  };
  payment.events.push(event);
  context.touchPayment(payment);
  context.changes.events.push({
    paymentId: payment.id,
    ...event,
    audience: fixedAudienceOf(state, payment),
  });
}

/** Outflow is counted when funds are reserved or posted, and released when they are voided. */
export function addOutflow(
  state: NetworkState,
  payment: Payment,
  now: number,
  sign: 1n | -1n,
): void {
  const key = `${payment.debtorAgent}|${payment.sourceCurrency}`;
  const day = Math.floor(now / 86_400_000);
  const current = state.outflows.get(key);
  if (
    sign < 0n &&
    (current === undefined || current.day !== Math.floor(payment.createdAt / 86_400_000))
  ) {
    return;
  }
  const base = current !== undefined && current.day === day ? current.amount : 0n;
  const amount = base + sign * payment.debitAmount;
  state.outflows.set(key, { day, amount: amount < 0n ? 0n : amount });
}

export function outflowToday(
  state: NetworkState,
  participantId: string,
  currency: string,
  now: number,
): bigint {
  const current = state.outflows.get(`${participantId}|${currency}`);
  return current !== undefined && current.day === Math.floor(now / 86_400_000)
    ? current.amount
    : 0n;
}
