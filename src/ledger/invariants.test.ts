// Proves the invariant checks do fail on broken state, so their passing elsewhere means something.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkAccountLimits, checkAllInvariants, InvariantError, type CurrencyTotals }
  from './invariants.js';
import { AccountFlags, type Account, type PendingTransfer } from './types.js';

function account(id: string, fields: Partial<Account> = {}): Account {
  return { id, owner: id, currency: 'BRL', flags: AccountFlags.none, creditLimit: 0n,
    debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n, createdAt: 0,
    ...fields };
}

function pending(debitAccountId: string, creditAccountId: string, amount: bigint):
  PendingTransfer {
  return { id: `p-${debitAccountId}-${creditAccountId}`, kind: 'pending', debitAccountId,
    creditAccountId, amount, currency: 'BRL', pendingId: '', timeoutMs: 0, reference: '',
    timestamp: 0, sequence: 1, expiresAt: Infinity };
}

function totals(posted: bigint, pendingAmount = 0n): Map<string, CurrencyTotals> {
  return new Map([['BRL', { debitsPosted: posted, creditsPosted: posted,
    debitsPending: pendingAmount, creditsPending: pendingAmount }]]);
}

describe('checkAccountLimits', () => {
  it('passes for an account exactly at minus its credit limit', () => {
    checkAccountLimits(account('a', { creditLimit: 10n, debitsPosted: 10n }));
  });

  it('throws when a non-issuer account is below minus its credit limit', () => {
    assert.throws(() => checkAccountLimits(account('a', { creditLimit: 10n, debitsPosted: 11n })),
      InvariantError);
    assert.throws(() => checkAccountLimits(account('a', { debitsPending: 1n })), InvariantError);
  });

  it('lets an issuer account go below zero', () => {
    checkAccountLimits(account('cb', { flags: AccountFlags.issuer, debitsPosted: 10n ** 20n }));
  });

  it('throws for a negative total, even on an issuer', () => {
    for (const field of ['debitsPosted', 'creditsPosted', 'debitsPending', 'creditsPending']) {
      assert.throws(() => checkAccountLimits(account('cb', { flags: AccountFlags.issuer,
        [field]: -1n })), /negative totals/);
    }
  });
});

describe('checkAllInvariants', () => {
  it('passes for a balanced ledger with a matching pending transfer', () => {
    const accounts = [
      account('cb', { flags: AccountFlags.issuer, debitsPosted: 100n }),
      account('a', { creditsPosted: 100n, debitsPending: 30n }),
      account('b', { creditsPending: 30n }),
    ];
    checkAllInvariants(accounts, [pending('a', 'b', 30n)], totals(100n, 30n));
  });

  it('throws when posted debits and credits of a currency differ', () => {
    const accounts = [account('cb', { flags: AccountFlags.issuer, debitsPosted: 100n }),
      account('a', { creditsPosted: 99n })];
    assert.throws(() => checkAllInvariants(accounts, [], totals(100n)), /debits and credits/);
  });

  it('throws when the running totals drifted from the accounts', () => {
    const accounts = [account('cb', { flags: AccountFlags.issuer, debitsPosted: 100n }),
      account('a', { creditsPosted: 100n })];
    assert.throws(() => checkAllInvariants(accounts, [], totals(101n)), /drifted/);
    assert.throws(() => checkAllInvariants(accounts, [], new Map()), /drifted/);
  });

  it('throws when reservations do not match the live pending transfers', () => {
    const accounts = [account('cb', { flags: AccountFlags.issuer, debitsPosted: 100n }),
      account('a', { creditsPosted: 100n, debitsPending: 30n }),
      account('b', { creditsPending: 30n })];
    assert.throws(() => checkAllInvariants(accounts, [], totals(100n, 30n)), /reservations/);
    assert.throws(() => checkAllInvariants(accounts, [pending('a', 'b', 29n)], totals(100n, 30n)),
      /reservations/);
  });

  it('throws when an account is below its limit', () => {
    const accounts = [account('a', { debitsPosted: 5n }), account('b', { creditsPosted: 5n })];
    assert.throws(() => checkAllInvariants(accounts, [], totals(5n)), /below its limit/);
  });
});
