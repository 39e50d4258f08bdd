// How a payment becomes ledger transfers: one linked chain, so that everything posts or
// nothing does. Leg ids derive from the payment id; the reference is the payment id.
import type { Command, TransferKind } from '../../ledger/types.js';
import type { CommandResult } from '../../ledger/result-codes.js';
import type { Payment, PaymentLeg, PaymentReason } from './model.js';

export const PAYMENT_ID_LENGTH_MAX = 48;

export function legId(paymentId: string, index: number): string {
  return `p:${paymentId}:${index + 1}`;
}

// Transfer specs are written out whole, in transferSpec()'s field order (its defaults, then
// `id`), rather than through it: one object per leg instead of two, on every payment.

export function createLegs(
  paymentId: string,
  legs: readonly PaymentLeg[],
  kind: 'posted' | 'pending',
  timeoutMs: number,
): Command[] {
  const commands: Command[] = new Array<Command>(legs.length);
  const timeout = kind === 'pending' ? timeoutMs : 0;
  const last = legs.length - 1;
  for (let index = 0; index <= last; index++) {
    const leg = legs[index] as PaymentLeg;
    commands[index] = {
      type: 'create_transfer',
      transfer: {
        kind,
        debitAccountId: leg.debitAccountId,
        creditAccountId: leg.creditAccountId,
        amount: leg.amount,
        currency: leg.currency,
        pendingId: '',
        timeoutMs: timeout,
        reference: paymentId,
        linked: index < last,
        id: leg.transferId,
      },
    };
  }
  return commands;
}

/** Posts or voids every reserved leg of a payment, as one chain. */
export function resolveLegs(
  payment: Payment,
  kind: Extract<TransferKind, 'post_pending' | 'void_pending'>,
  suffix: string,
): Command[] {
  const legs = payment.legs;
  const commands: Command[] = new Array<Command>(legs.length);
  const last = legs.length - 1;
  for (let index = 0; index <= last; index++) {
    const leg = legs[index] as PaymentLeg;
    commands[index] = {
      type: 'create_transfer',
      transfer: {
        kind,
        debitAccountId: '',
        creditAccountId: '',
        amount: 0n,
        currency: '',
        pendingId: leg.transferId,
        timeoutMs: 0,
        reference: payment.id,
        linked: index < last,
        id: `${leg.transferId}:${suffix}`,
      },
    };
  }
  return commands;
}

export interface LegFailure {
  readonly reason: PaymentReason;
  readonly detail: string;
}

/** Maps the ledger's answer for a chain of legs to an ISO reason, or undefined if it posted. */
export function legFailure(
  legs: readonly PaymentLeg[],
  results: readonly CommandResult[],
): LegFailure | undefined {
  const index = results.findIndex(
    (result) => result.code !== 'ok' && result.code !== 'linked_event_failed',
  );
  if (index < 0) return undefined;
  const code = results[index]?.code ?? 'ok';
  const leg = legs[index];
  const role = leg?.role;
  if (code === 'insufficient_funds') {
    // A fee leg not paid by the first leg's payer is a route's fee, paid by an FX provider.
    const provider =
      role === 'provider_to_creditor' ||
      role === 'return_provider_to_debtor' ||
      role === 'provider_to_provider' ||
      (role === 'fee' && leg?.debitAccountId !== legs[0]?.debitAccountId);
    return {
      reason: 'AM04',
      detail: provider ? 'fx_provider_insufficient_liquidity' : 'insufficient_funds',
    };
  }
  if (code === 'debit_account_not_found' || code === 'credit_account_not_found') {
    return { reason: 'AC01', detail: code };
  }
  return { reason: 'NARR', detail: `ledger_${code}` };
}
