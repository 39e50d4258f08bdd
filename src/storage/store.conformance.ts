// The storage conformance suite: one set of cases that every Store must pass, run unchanged
// by each store's test file (sqlite-store.test.ts, postgres-store.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chainEntry, type JournalEntry } from '../journal/hash-chain.js';
import { verifyLedger } from '../journal/verify.js';
import type { BatchOutcome } from '../ledger/engine.js';
import { openLedger } from '../pipeline/ledger-service.js';
import { accountCommand, postedTransfer, transferCommand } from '../testing/ledger-fixtures.js';
import type { LayerMigrations, Store, StoredSnapshot, TableWrite } from './store.js';

/**
 * The table every store under test must have, created by its migrations for an upper layer:
 * conformance_notes (key TEXT PRIMARY KEY, body TEXT NOT NULL, amount INTEGER NOT NULL).
 */
export const CONFORMANCE_TABLE = 'conformance_notes';

export interface ConformanceNote {
  readonly key: string;
  readonly body: string;
  readonly amount: bigint;
}

export interface StoreFactory {
  /** A new, empty store (not yet opened), whose migrations create CONFORMANCE_TABLE. */
  fresh(): Promise<Store>;
  /** A second handle on the same data as `store`, as after a restart (not yet opened). */
  reopen(store: Store): Promise<Store>;
  /** The rows of CONFORMANCE_TABLE, by key; like every read, after the projections caught up. */
  notes(store: Store): Promise<ConformanceNote[]>;
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

function commitAndReadCases(factory: StoreFactory): void {
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
}

function lifecycleCases(factory: StoreFactory): void {
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
}

function verifyCases(factory: StoreFactory): void {
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
}

function manyRowsCase(factory: StoreFactory): void {
  it('applies a write of many rows in order, upserts over earlier rows keeping columns', async () => {
    const store = await factory.fresh();
    await store.addLayer(KEPT_LAYER);
    await store.open();
    const kept = (rows: TableWrite['rows']): TableWrite[] => [{ table: 'conformance_kept',
      columns: ['id', 'position', 'body'], rows, onConflict: 'replace', keep: ['position'] }];
    const id = (index: number): string => `k${String(index).padStart(3, '0')}`;
    const first = await commitWrites(store, undefined,
      kept(Array.from({ length: 37 }, (_, index) => [id(index), index, `first ${index}`])));
    await commitWrites(store, first, kept(Array.from({ length: 41 }, (_, index) =>
      [id(index * 2), 1_000 + index, `second ${index * 2}`])));
    const sql = store.kind === 'sqlite'
      ? 'SELECT id, position, body FROM conformance_kept WHERE id <> ? ORDER BY id'
      : 'SELECT id, position, body FROM conformance_kept WHERE id <> $1 ORDER BY id';
    const rows = (await store.queryProjection(sql, ['none'])).map((row) =>
      [row['id'], Number(row['position']), row['body']]);
    const expected = new Map<string, [string, number, string]>();
    for (let index = 0; index < 37; index++) {
      expected.set(id(index), [id(index), index, `first ${index}`]);
    }
    for (let index = 0; index < 41; index++) {
      const key = id(index * 2);
      expected.set(key, [key, expected.get(key)?.[1] ?? 1_000 + index, `second ${index * 2}`]);
    }
    assert.deepEqual(rows, [...expected.values()].sort((a, b) => a[0].localeCompare(b[0])));
    await store.close();
  });
}

function writesCases(factory: StoreFactory): void {
  it('commit() applies the TableWrite rows of upper layers with the batch, durably', async () => {
    const store = await factory.fresh();
    await store.open();
    const notes = (rows: TableWrite['rows'], onConflict?: 'replace'): TableWrite[] =>
      [{ table: CONFORMANCE_TABLE, columns: ['key', 'body', 'amount'], rows,
        ...(onConflict === undefined ? {} : { onConflict }) }];
    const first = await commitWrites(store, undefined, notes([['a', 'first', 1n],
      ['b', 'second \u{1F4B8}', 2n ** 62n]]));
    assert.deepEqual(await factory.notes(store), [{ key: 'a', body: 'first', amount: 1n },
      { key: 'b', body: 'second \u{1F4B8}', amount: 2n ** 62n }]);
    await commitWrites(store, first, notes([['a', 'replaced', 3n]], 'replace'));
    assert.equal((await factory.notes(store))[0]?.body, 'replaced');
    await store.close();
    const reopened = await factory.reopen(store);
    await reopened.open();
    assert.equal((await factory.notes(reopened)).length, 2);
    const report = await verifyLedger(reopened);
    assert.equal(report.ok, true, JSON.stringify(report.problems));
    await reopened.close();
  });

  it('addLayer() tables take upserts that keep columns; queryProjection() reads them', async () => {
    const store = await factory.fresh();
    await store.addLayer(KEPT_LAYER);
    await store.open();
    const kept = (rows: TableWrite['rows']): TableWrite[] => [{ table: 'conformance_kept',
      columns: ['id', 'position', 'body'], rows, onConflict: 'replace', keep: ['position'] }];
    const first = await commitWrites(store, undefined, kept([['a', 1, 'first'], ['b', 2, 'second']]));
    // Read-your-writes: the rows are there as soon as the commit is acknowledged.
    await commitWrites(store, first, kept([['a', 3, 'changed'], ['c', 4, 'third']]));
    const sql = store.kind === 'sqlite'
      ? 'SELECT id, position, body FROM conformance_kept WHERE id <> ? ORDER BY id'
      : 'SELECT id, position, body FROM conformance_kept WHERE id <> $1 ORDER BY id';
    const rows = (await store.queryProjection(sql, ['none'])).map((row) =>
      [row['id'], Number(row['position']), row['body']]);
    assert.deepEqual(rows, [['a', 1, 'changed'], ['b', 2, 'second'], ['c', 4, 'third']]);
    await store.close();
  });

  it('commit() refuses a TableWrite to a core table or with a short row, journaling nothing', async () => {
    const store = await factory.fresh();
    await store.open();
    const entry = chainEntry(undefined, 1_000, '[]');
    await assert.rejects(store.commit({ entry, ledger: emptyOutcome(1_000),
      writes: [{ table: 'transfers', columns: ['id'], rows: [['x']] }] }));
    assert.equal(await store.journalTail(), undefined);
    await store.close();
    const other = await factory.fresh();
    await other.open();
    await assert.rejects(other.commit({ entry, ledger: emptyOutcome(1_000),
      writes: [{ table: CONFORMANCE_TABLE, columns: ['key', 'body', 'amount'], rows: [['k']] }] }));
    assert.equal(await other.journalTail(), undefined);
    await other.close();
  });
}

/** An upper layer's table in both stores' SQL. */
const KEPT_LAYER: LayerMigrations = {
  owner: 'conformance_layer',
  sqlite: [{ version: 1, sql: 'CREATE TABLE conformance_kept (id TEXT PRIMARY KEY, ' +
    'position INTEGER NOT NULL, body TEXT NOT NULL)' }],
  postgres: [{ version: 1, sql: 'CREATE TABLE conformance_kept (id TEXT PRIMARY KEY, ' +
    'position BIGINT NOT NULL, body TEXT NOT NULL)' }],
};

function snapshotAt(sequence: number, size: number): StoredSnapshot {
  const bytes = new Uint8Array(size);
  for (let index = 0; index < size; index++) bytes[index] = (index * 31 + sequence) & 0xff;
  return { sequence, entryHash: `hash-${sequence}`, createdAt: 1_000 + sequence,
    formatVersion: 1, checksum: `sum-${sequence}`, size, bytes };
}

function snapshotCases(factory: StoreFactory): void {
  it('writeSnapshot() keeps snapshots durably, newest first, bytes exact', async () => {
    const store = await factory.fresh();
    await store.open();
    assert.deepEqual(await store.snapshots(), []);
    assert.equal(await store.readSnapshot(1), undefined);
    // Out of order, and one big enough to need several pages of storage.
    await store.writeSnapshot(snapshotAt(2, 10), 5);
    await store.writeSnapshot(snapshotAt(10, 3 * 1024 * 1024 + 7), 5);
    await store.writeSnapshot(snapshotAt(9, 1), 5);
    await store.close();
    const reopened = await factory.reopen(store);
    await reopened.open();
    const listed = await reopened.snapshots();
    assert.deepEqual(listed.map((info) => info.sequence), [10, 9, 2]);
    const { bytes: _bytes, ...info } = snapshotAt(10, 3 * 1024 * 1024 + 7);
    assert.deepEqual(listed[0], info);
    const read = await reopened.readSnapshot(10);
    assert.ok(read !== undefined);
    const expected = snapshotAt(10, 3 * 1024 * 1024 + 7).bytes;
    assert.ok(Buffer.from(read.bytes).equals(Buffer.from(expected)));
    assert.equal(read.entryHash, 'hash-10');
    await reopened.close();
  });

  it('writeSnapshot() replaces one at the same sequence and prunes to the newest `keep`', async () => {
    const store = await factory.fresh();
    await store.open();
    for (const sequence of [1, 2, 3, 4]) await store.writeSnapshot(snapshotAt(sequence, 8), 3);
    assert.deepEqual((await store.snapshots()).map((info) => info.sequence), [4, 3, 2]);
    await store.writeSnapshot({ ...snapshotAt(4, 16), checksum: 'again' }, 3);
    const [newest] = await store.snapshots();
    assert.equal(newest?.checksum, 'again');
    assert.equal(newest.size, 16);
    assert.equal(await store.pruneSnapshots(1), 2);
    assert.deepEqual((await store.snapshots()).map((info) => info.sequence), [4]);
    await assert.rejects(store.pruneSnapshots(0));
    await store.close();
  });
}

function emptyOutcome(now: number): BatchOutcome {
  return { now, results: [], applied: [], accountsCreated: [], creditLimits: [], transfers: [],
    resolved: [], expired: [] };
}

/** Commits an entry with no ledger commands (its payload replays as nothing) and rows. */
async function commitWrites(
  store: Store,
  previous: JournalEntry | undefined,
  writes: TableWrite[],
): Promise<JournalEntry> {
  const now = (previous?.now ?? 1_000) + 1;
  const entry = chainEntry(previous, now, '[]');
  await store.commit({ entry, ledger: emptyOutcome(now), writes });
  return entry;
}

export function runStoreConformance(name: string, factory: StoreFactory): void {
  describe(`${name} store conformance`, () => {
    commitAndReadCases(factory);
    lifecycleCases(factory);
    verifyCases(factory);
    writesCases(factory);
    manyRowsCase(factory);
    snapshotCases(factory);
  });
}
