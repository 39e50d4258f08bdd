// After reservation: the creditor agent accepts or rejects a two-phase payment, a reviewer
// releases or rejects a blocked one, and deadlines void whatever nobody answered.
import type { NetworkCommand, NetworkResult } from '../commands.js';
import { refuse, type BatchContext, type NetworkState } from '../state.js';
import type { PendingTransfer } from '../../ledger/types.js';
import { findPayment } from './ids.js';
import { legFailure, resolveLegs } from './legs.js';
import { PAYMENT_REASONS, type Payment, type PaymentReason } from './model.js';
import { addOutflow, changeStatus } from './status.js';

type Of<T extends NetworkCommand['type']> = Extract<NetworkCommand, { type: T }>;

/** The payment, if `actor` may act on it as `role`; a stranger is told it does not exist. */
function paymentFor(
  state: NetworkState,
  paymentId: string,
  actor: string,
  role: 'creditor' | 'reviewer',
): Payment | NetworkResult {
  const payment = findPayment(state, actor, paymentId);
  const allowed =
    payment !== undefined &&
    (role === 'creditor'
      ? payment.creditorAgent === actor
      : actor === state.settings.operatorId ||
        state.currencies.get(payment.sourceCurrency)?.issuer === actor ||
        state.currencies.get(payment.targetCurrency)?.issuer === actor);
  if (payment === undefined || !allowed)
    return refuse('payment_not_found', `No payment ${paymentId} for you.`, 'paymentId');
  return payment;
}

function postOrVoid(
  state: NetworkState,
  payment: Payment,
  post: boolean,
  context: BatchContext,
): NetworkResult | undefined {
  const results = context.applyLedger(
    resolveLegs(payment, post ? 'post_pending' : 'void_pending', post ? 'post' : 'void'),
  );
  const failure = legFailure(payment.legs, results);
  if (failure !== undefined)
    return refuse('ledger_refused', `The ledger refused: ${failure.detail}.`);
  if (!post) addOutflow(state, payment, context.now, -1n);
  return undefined;
}

export function acceptPayment(
  state: NetworkState,
  command: Of<'accept_payment'>,
  context: BatchContext,
): NetworkResult {
  const payment = paymentFor(state, command.paymentId, command.actor, 'creditor');
  if ('code' in payment) return payment;
  if (payment.status === 'ACCC') return { code: 'ok', replayed: true, payment };
  if (payment.status === 'BLCK')
    return refuse('payment_under_review', 'The payment is held for review.');
  if (payment.status !== 'ACSP' || state.queue.entries.has(payment.id))
    return refuse('payment_not_pending', `The payment is ${payment.status}${
      state.queue.entries.has(payment.id) ? ', waiting in the settlement queue' : ''}.`);
  if (state.participants.get(command.actor)?.status !== 'active')
    return refuse('actor_suspended', 'The participant is suspended.');
  const failed = postOrVoid(state, payment, true, context);
  if (failed !== undefined) return failed;
  changeStatus(state, context, payment, { status: 'ACSC' });
  changeStatus(state, context, payment, { status: 'ACCC' });
  return { code: 'ok', payment };
}

export function rejectPayment(
  state: NetworkState,
  command: Of<'reject_payment'>,
  context: BatchContext,
): NetworkResult {
  const payment = paymentFor(state, command.paymentId, command.actor, 'creditor');
  if ('code' in payment) return payment;
  if (!(command.reason in PAYMENT_REASONS))
    return refuse(
      'invalid_field',
      'The reason is not an ISO 20022 reason Corridor knows.',
      'reason',
    );
  if (payment.status === 'RJCT' && payment.reason === command.reason)
    return { code: 'ok', replayed: true, payment };
  if (payment.status === 'BLCK')
    return refuse('payment_under_review', 'The payment is held for review.');
  if (payment.status !== 'ACSP' || state.queue.entries.has(payment.id))
    return refuse('payment_not_pending', `The payment is ${payment.status}${
      state.queue.entries.has(payment.id) ? ', waiting in the settlement queue' : ''}.`);
  const failed = postOrVoid(state, payment, false, context);
  if (failed !== undefined) return failed;
  changeStatus(state, context, payment, {
    status: 'RJCT',
    reason: command.reason,
    detail: command.detail ?? 'rejected_by_creditor_agent',
  });
  return { code: 'ok', payment };
}

export function reviewPayment(
  state: NetworkState,
  command: Of<'review_payment'>,
  context: BatchContext,
): NetworkResult {
  const payment = paymentFor(state, command.paymentId, command.actor, 'reviewer');
  if ('code' in payment) return payment;
  if (payment.status !== 'BLCK')
    return refuse('payment_not_under_review', `The payment is ${payment.status}.`);
  const release = command.decision === 'release';
  const settleNow = release && payment.mode === 'instant';
  if (!release || settleNow) {
    const failed = postOrVoid(state, payment, release, context);
    if (failed !== undefined) return failed;
  }
  if (!release) {
    changeStatus(state, context, payment, {
      status: 'RJCT',
      reason: 'RR04',
      detail: 'rejected_by_reviewer',
    });
  } else if (settleNow) {
    changeStatus(state, context, payment, { status: 'ACSC', detail: 'released_by_reviewer' });
    changeStatus(state, context, payment, { status: 'ACCC' });
  } else {
    changeStatus(state, context, payment, { status: 'ACSP', detail: 'released_by_reviewer' });
  }
  return { code: 'ok', payment };
}

/** Turns reservations the ledger expired into rejected payments (AB05, or RR04 after review). */
export function expirePayments(
  state: NetworkState,
  expired: readonly PendingTransfer[],
  context: BatchContext,
): void {
  for (const transfer of expired) {
    const payment = state.payments.get(transfer.reference);
    if (payment === undefined || (payment.status !== 'ACSP' && payment.status !== 'BLCK')) continue;
    const reason: PaymentReason = payment.status === 'BLCK' ? 'RR04' : 'AB05';
    addOutflow(state, payment, context.now, -1n);
    changeStatus(state, context, payment, {
      status: 'RJCT',
      reason,
      detail: reason === 'AB05' ? 'creditor_agent_timeout' : 'review_timeout',
    });
  }
}
