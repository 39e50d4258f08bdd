// The ledger's invariants, asserted after every batch (touched accounts and currency totals)
// and in full by verify. A failure is a programmer error: it throws, and the writer stops.
import { AccountFlags, type Account, type PendingTransfer } from './types.js';

export interface CurrencyTotals {
  debitsPosted: bigint;
  creditsPosted: bigint;
  debitsPending: bigint;
  creditsPending: bigint;
}

export class InvariantError extends Error {
  override readonly name = 'InvariantError';
}

/** An account's balances respect its limits, and no reservation is negative. */
export function checkAccountLimits(account: Account): void {
  if (account.debitsPending < 0n || account.creditsPending < 0n ||
      account.debitsPosted < 0n || account.creditsPosted < 0n) {
    throw new InvariantError(`invariant: negative totals on account ${account.id}`);
  }
  if ((account.flags & AccountFlags.issuer) !== 0) return;
  const floor = -account.creditLimit;
  if (account.creditsPosted - account.debitsPosted - account.debitsPending < floor) {
    throw new InvariantError(`invariant: account ${account.id} is below its limit`);
  }
}

function sumAccounts(accounts: Iterable<Account>): Map<string, CurrencyTotals> {
  const sums = new Map<string, CurrencyTotals>();
  for (const account of accounts) {
    checkAccountLimits(account);
    let sum = sums.get(account.currency);
    if (sum === undefined) {
      sum = { debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n };
      sums.set(account.currency, sum);
    }
    sum.debitsPosted += account.debitsPosted;
    sum.creditsPosted += account.creditsPosted;
    sum.debitsPending += account.debitsPending;
    sum.creditsPending += account.creditsPending;
  }
  return sums;
}

function checkReservations(accounts: Iterable<Account>, pending: Iterable<PendingTransfer>): void {
  const reserved = new Map<string, bigint>();
  const incoming = new Map<string, bigint>();
  for (const transfer of pending) {
    reserved.set(transfer.debitAccountId,
      (reserved.get(transfer.debitAccountId) ?? 0n) + transfer.amount);
    incoming.set(transfer.creditAccountId,
      (incoming.get(transfer.creditAccountId) ?? 0n) + transfer.amount);
  }
  for (const account of accounts) {
    // Reserved funds are exactly the live pending transfers: none is counted twice or lost.
    if ((reserved.get(account.id) ?? 0n) !== account.debitsPending ||
        (incoming.get(account.id) ?? 0n) !== account.creditsPending) {
      throw new InvariantError(`invariant: reservations of ${account.id} do not match`);
    }
  }
}

/** Per currency, debits equal credits; reservations match pending transfers; limits hold. */
export function checkAllInvariants(
  accounts: Iterable<Account>,
  pending: Iterable<PendingTransfer>,
  totals: ReadonlyMap<string, CurrencyTotals>,
): void {
  const list = [...accounts];
  const sums = sumAccounts(list);
  for (const [currency, sum] of sums) {
    if (sum.debitsPosted !== sum.creditsPosted || sum.debitsPending !== sum.creditsPending) {
      throw new InvariantError(`invariant: debits and credits differ in ${currency}`);
    }
    const kept = totals.get(currency);
    if (kept === undefined || kept.debitsPosted !== sum.debitsPosted ||
        kept.debitsPending !== sum.debitsPending) {
      throw new InvariantError(`invariant: running totals of ${currency} drifted`);
    }
  }
  checkReservations(list, pending);
}
