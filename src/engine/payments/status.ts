// Status changes of a payment: every change is timestamped on the payment and announced to
// the participants entitled to hear of it.
import type { BatchContext, NetworkState } from '../state.js';
import type { Payment, PaymentEvent, PaymentReason, PaymentStatus } from './model.js';
import { markFinished } from './retention.js';

/** The participants entitled to hear of a payment, in order: agents, FX provider, issuers. */
export function audienceOf(state: NetworkState, payment: Payment): string[] {
  const audience = [payment.debtorAgent];
  addTo(audience, payment.creditorAgent);
  addTo(audience, payment.fxProvider);
  addTo(audience, state.currencies.get(payment.sourceCurrency)?.issuer);
  addTo(audience, state.currencies.get(payment.targetCurrency)?.issuer);
  return audience;
}

/** Adds `participant` to `audience` unless absent or already there (no closure per call). */
function addTo(audience: string[], participant: string | undefined): void {
  if (participant !== undefined && !audience.includes(participant)) audience.push(participant);
}

/**
 * The audience of the payment whose status changed last. A payment's parties never change, nor
 * does a currency's issuer once the network is configured, so its audience is fixed: the status
 * changes of one command (ACTC, ACSC, ACCC) compute it once and share one frozen array. One
 * entry, not a map of every payment: nothing for the garbage collector to trace.
 */
let lastAudience: { readonly payment: Payment; readonly audience: readonly string[] } | undefined;

function fixedAudienceOf(state: NetworkState, payment: Payment): readonly string[] {
  if (lastAudience?.payment !== payment) {
    lastAudience = { payment, audience: Object.freeze(audienceOf(state, payment)) };
  }
  return lastAudience.audience;
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
  const audience = fixedAudienceOf(state, payment);
  // Most changes carry neither reason nor detail: plain literals for them, no spreads. Either
  // way the fields, and their order, are the same.
  const plain = change.reason === undefined && change.detail === undefined;
  const event: PaymentEvent = plain
    ? { status: change.status, at: context.now }
    : {
        status: change.status,
        at: context.now,
        ...(change.reason === undefined ? {} : { reason: change.reason }),
        ...(change.detail === undefined ? {} : { detail: change.detail }),
      };
  payment.events.push(event);
  if (change.status === 'ACCC' || change.status === 'RJCT') markFinished(state, payment, context.now);
  context.touchPayment(payment);
  context.changes.events.push(
    plain
      ? { paymentId: payment.id, status: change.status, at: context.now, audience }
      : { paymentId: payment.id, ...event, audience },
  );
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
