// Field checks that need no state, as a ladder of guard clauses in precedence order.
import { AMOUNT_MAX } from '../money/amount.js';
import { isCurrencyCode } from '../money/currency.js';
import type { ResultCode } from './result-codes.js';
import { AccountFlags, LIMITS, type AccountSpec, type TransferSpec } from './types.js';

const ACCOUNT_FLAGS_ALL = AccountFlags.issuer;

function checkId(id: string): ResultCode | undefined {
  if (id.length === 0) return 'id_must_not_be_empty';
  if (id.length > LIMITS.idLengthMax) return 'id_too_long';
  return undefined;
}

export function validateAccountSpec(spec: AccountSpec): ResultCode | undefined {
  const idCode = checkId(spec.id);
  if (idCode !== undefined) return idCode;
  // An over-long owner is reported as id_too_long, so it takes that code's precedence.
  if (spec.owner.length > LIMITS.idLengthMax) return 'id_too_long';
  if (!isCurrencyCode(spec.currency)) return 'currency_unknown';
  if (spec.creditLimit < 0n) return 'credit_limit_must_not_be_negative';
  if (spec.creditLimit > AMOUNT_MAX) return 'amount_too_large';
  // Bitwise operators truncate to 32 bits: 1.5, NaN and 2^32 + 1 would pass the mask alone.
  if (!Number.isSafeInteger(spec.flags) || spec.flags < 0 ||
      (spec.flags & ~ACCOUNT_FLAGS_ALL) !== 0 || spec.flags > ACCOUNT_FLAGS_ALL) {
    return 'flags_invalid';
  }
  if (spec.owner.length === 0) return 'owner_must_not_be_empty';
  return undefined;
}

function checkTimeout(spec: TransferSpec): ResultCode | undefined {
  if (!Number.isSafeInteger(spec.timeoutMs) || spec.timeoutMs < 0) return 'timeout_invalid';
  if (spec.timeoutMs > 0 && spec.kind !== 'pending') return 'timeout_reserved_for_pending';
  if (spec.timeoutMs > LIMITS.pendingTimeoutMsMax) return 'timeout_too_long';
  return undefined;
}

function checkAmount(spec: TransferSpec, resolves: boolean): ResultCode | undefined {
  if (resolves ? spec.amount < 0n : spec.amount <= 0n) return 'amount_must_be_positive';
  if (spec.amount > AMOUNT_MAX) return 'amount_too_large';
  return undefined;
}

export function validateTransferSpec(spec: TransferSpec): ResultCode | undefined {
  const idCode = checkId(spec.id);
  if (idCode !== undefined) return idCode;
  const resolves = spec.kind === 'post_pending' || spec.kind === 'void_pending';
  if (!resolves || spec.currency.length > 0) {
    if (!isCurrencyCode(spec.currency)) return 'currency_unknown';
  }
  const amountCode = checkAmount(spec, resolves);
  if (amountCode !== undefined) return amountCode;
  const timeoutCode = checkTimeout(spec);
  if (timeoutCode !== undefined) return timeoutCode;
  if (spec.reference.length > LIMITS.idLengthMax) return 'reference_too_long';
  if (!resolves && spec.pendingId.length > 0) return 'pending_id_must_be_empty';
  if (resolves && spec.pendingId.length === 0) return 'pending_id_must_not_be_empty';
  if (resolves && spec.pendingId === spec.id) return 'pending_id_must_differ';
  if (!resolves && spec.debitAccountId === spec.creditAccountId) {
    return 'accounts_must_be_different';
  }
  return undefined;
}
