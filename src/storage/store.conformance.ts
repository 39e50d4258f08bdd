// The storage conformance suite: one set of cases that every Store must pass, run unchanged
// by each store's test file (sqlite-store.test.ts, postgres-store.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verifyLedger } from '../journal/verify.js';
import { openLedger } from '../pipeline/ledger-service.js';
import { accountCommand, postedTransfer, transferCommand } from '../testing/ledger-fixtures.js';
import type { Store } from './store.js';

export interface StoreFactory {
  /** A new, empty store (not yet opened). */
  fresh(): Promise<Store>;
  /** A second handle on the same data as `store`, as after a restart (not yet opened). */
  reopen(store: Store): Promise<Store>;
}

async function seededLedger(factory: StoreFactory) {
  const store = await factory.fresh();
  const ledger = await openLedger({ store, batchDelayMs: 0 });
  await ledger.submit([
    accountCommand('central-bank', 'BRL', { issuer: true }),
    accountCommand('bank-a', 'BRL'),
    accountCommand('bank-b', 'BRL'),
  ]);
  await ledger.submit([postedTransfer('issue-1', 'central-bank', 'bank-a', 100_000n, 'BRL')]);
  return { store, ledger };
}

export function runStoreConformance(name: string, factory: StoreFactory): void {
  describe(`${name} store conformance`, () => {
    it('open() is idempotent: migrations run once', async () => {
      const store = await factory.fresh();
      await store.open();
      await store.open();
      assert.equal(await store.transferCount(), 0);
      assert.equal(await store.journalTail(), undefined);
      await store.close();
    });

    it('commit() makes journal entries, accounts and transfers readable', async () => {
      const { store, ledger } = await seededLedger(factory);
      const tail = await store.journalTail();
      assert.equal(tail?.sequence, 2);
      const entries = await store.readJournal(0, 10);
      assert.deepEqual(entries.map((entry) => entry.sequence), [1, 2]);
      assert.equal(entries[1]?.previousHash, entries[0]?.hash);
      const account = await store.account('bank-a');
      assert.equal(account?.currency, 'BRL');
      assert.equal((await store.accounts()).length, 3);
      const transfer = await store.transfer('issue-1');
      assert.equal(transfer?.amount, 100_000n);
      assert.equal(transfer?.state, 'posted');
      assert.equal(await store.transfer('missing'), undefined);
      await ledger.close();
    });

    it('history() pages through an account with a cursor, oldest first', async () => {
      const { store, ledger } = await seededLedger(factory);
      for (let index = 0; index < 5; index++) {
        await ledger.submit([postedTransfer(`pay-${index}`, 'bank-a', 'bank-b', 10n, 'BRL')]);
      }
      const first = await store.history('bank-a', { limit: 4 });
      assert.deepEqual(first.transfers.map((t) => t.id), ['issue-1', 'pay-0', 'pay-1', 'pay-2']);
      assert.notEqual(first.next, undefined);
      const second = await store.history('bank-a', { limit: 4, ...(first.next === undefined ? {} : { after: first.next }) });
      assert.deepEqual(second.transfers.map((t) => t.id), ['pay-3', 'pay-4']);
      assert.equal(second.next, undefined);
      const other = await store.history('bank-b', { limit: 10 });
      assert.equal(other.transfers.length, 5);
      await ledger.close();
    });

    it('commit() records how pending transfers end: posted, voided, expired', async () => {
      let now = 1_000_000;
      const store = await factory.fresh();
      const ledger = await openLedger({ store, batchDelayMs: 0, clock: () => now });
      await ledger.submit([accountCommand('issuer', 'INR', { issuer: true }), accountCommand('bank', 'INR')]);
      await ledger.submit([
        transferCommand({ id: 'p1', kind: 'pending', debitAccountId: 'issuer', creditAccountId: 'bank', amount: 5n, currency: 'INR' }),
        transferCommand({ id: 'p2', kind: 'pending', debitAccountId: 'issuer', creditAccountId: 'bank', amount: 6n, currency: 'INR' }),
        transferCommand({ id: 'p3', kind: 'pending', debitAccountId: 'issuer', creditAccountId: 'bank', amount: 7n, currency: 'INR', timeoutMs: 1_000 }),
      ]);
      now += 2_000;
      await ledger.submit([
        transferCommand({ id: 'p1-post', kind: 'post_pending', pendingId: 'p1' }),
        transferCommand({ id: 'p2-void', kind: 'void_pending', pendingId: 'p2' }),
      ]);
      assert.equal((await store.transfer('p1'))?.state, 'posted');
      assert.equal((await store.transfer('p2'))?.state, 'voided');
      assert.equal((await store.transfer('p3'))?.state, 'expired');
      assert.equal((await store.transfer('p1-post'))?.state, 'resolution');
      await ledger.close();
    });

    it('a restart rebuilds balances, pending reservations and idempotency from the journal', async () => {
      const { store, ledger } = await seededLedger(factory);
      await ledger.submit([
        postedTransfer('pay-1', 'bank-a', 'bank-b', 300n, 'BRL'),
        transferCommand({ id: 'hold-1', kind: 'pending', debitAccountId: 'bank-a', creditAccountId: 'bank-b', amount: 200n, currency: 'BRL' }),
      ]);
      const before = ledger.balance('bank-a');
      await ledger.close();
      const reopened = await openLedger({ store: await factory.reopen(store), batchDelayMs: 0 });
      assert.deepEqual(reopened.balance('bank-a'), before);
      const retry = await reopened.submit([postedTransfer('pay-1', 'bank-a', 'bank-b', 300n, 'BRL')]);
      assert.equal(retry[0]?.code, 'ok');
      assert.equal(retry[0]?.replayed, true);
      const post = await reopened.submit([transferCommand({ id: 'hold-1-post', kind: 'post_pending', pendingId: 'hold-1' })]);
      assert.equal(post[0]?.code, 'ok');
      assert.equal(reopened.balance('bank-b')?.posted, 500n);
      await reopened.close();
    });

    it('verifyLedger() re-checks the chain, the invariants and the projections', async () => {
      const { store, ledger } = await seededLedger(factory);
      await ledger.submit([postedTransfer('pay-1', 'bank-a', 'bank-b', 300n, 'BRL')]);
      await ledger.close();
      const reopened = await factory.reopen(store);
      await reopened.open();
      const report = await verifyLedger(reopened);
      assert.equal(report.ok, true, JSON.stringify(report.problems));
      assert.equal(report.entries, 3);
      assert.equal(report.accounts, 3);
      assert.equal(report.transfers, 2);
      await reopened.close();
    });

    it('postedSums() adds posted transfers per account', async () => {
      const { store, ledger } = await seededLedger(factory);
      await ledger.submit([postedTransfer('pay-1', 'bank-a', 'bank-b', 300n, 'BRL')]);
      const sums = new Map((await store.postedSums()).map((sum) => [sum.accountId, sum]));
      assert.equal(sums.get('bank-a')?.credits, 100_000n);
      assert.equal(sums.get('bank-a')?.debits, 300n);
      assert.equal(sums.get('central-bank')?.debits, 100_000n);
      await ledger.close();
    });
  });
}
