// Proves the PostgreSQL store passes the shared conformance suite against a real server
// (embedded, or DATABASE_URL), keeps amounts up to 2^63-1 exact, and that a writer fenced by a
// newer lease epoch can never commit.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chainEntry } from '../../journal/hash-chain.js';
import { openLedger } from '../../pipeline/ledger-service.js';
import { freshDatabase, stopPostgres, testPostgres } from '../../testing/postgres.js';
import {
  accountCommand, postedTransfer, transferCommand,
} from '../../testing/ledger-fixtures.js';
import { CONFORMANCE_TABLE, runStoreConformance, type ConformanceNote } from '../store.conformance.js';
import type { Store } from '../store.js';
import { PostgresLease } from './lease.js';
import type { PostgresMigrationSet } from './migrations.js';
import { PostgresStore } from './postgres-store.js';

const CONFORMANCE_MIGRATIONS: PostgresMigrationSet = {
  owner: 'conformance',
  migrations: [{ version: 1, sql: `CREATE TABLE ${CONFORMANCE_TABLE} (key TEXT PRIMARY KEY, ` +
    'body TEXT NOT NULL, amount BIGINT NOT NULL)' }],
};

const urls = new WeakMap<object, string>();

function storeOn(url: string): PostgresStore {
  const store = new PostgresStore({ connectionString: url, migrations: [CONFORMANCE_MIGRATIONS] });
  urls.set(store, url);
  return store;
}

before(async () => {
  await testPostgres();
});

after(async () => {
  await stopPostgres();
});

runStoreConformance('postgres', {
  async fresh(): Promise<Store> {
    return storeOn(await freshDatabase());
  },
  async reopen(store: Store): Promise<Store> {
    const url = urls.get(store);
    if (url === undefined) throw new Error('unknown store');
    return storeOn(url);
  },
  async notes(store: Store): Promise<ConformanceNote[]> {
    type Row = { key: string; body: string; amount: string };
    const rows = await (store as PostgresStore).query<Row>(
      `SELECT key, body, amount::text FROM ${CONFORMANCE_TABLE} ORDER BY key`);
    return rows.map((row) => ({ key: row.key, body: row.body, amount: BigInt(row.amount) }));
  },
});

describe('PostgresStore specifics', () => {
  it('keeps amounts up to 2^63-1 exact and sums them without overflow', async () => {
    const store = storeOn(await freshDatabase());
    const ledger = await openLedger({ store, batchDelayMs: 0 });
    const big = 2n ** 62n;
    await ledger.submit([accountCommand('issuer', 'BRL', { issuer: true }),
      accountCommand('bank', 'BRL')]);
    await ledger.submit([postedTransfer('a', 'issuer', 'bank', big, 'BRL'),
      postedTransfer('b', 'issuer', 'bank', big, 'BRL')]);
    assert.equal((await store.transfer('a'))?.amount, big);
    const sums = new Map((await store.postedSums()).map((sum) => [sum.accountId, sum]));
    assert.equal(sums.get('bank')?.credits, 2n * big);
    await ledger.close();
  });

  it('round-trips text with tabs, newlines, backslashes and non-ASCII through COPY', async () => {
    const store = storeOn(await freshDatabase());
    const ledger = await openLedger({ store, batchDelayMs: 0 });
    const odd = 'a\tb\nc\\d\re \\N "q" ü €';
    await ledger.submit([accountCommand(`issuer${odd}`, 'BRL', { issuer: true }),
      accountCommand('bank', 'BRL')]);
    await ledger.submit([transferCommand({ id: `t${odd}`, debitAccountId: `issuer${odd}`,
      creditAccountId: 'bank', amount: 5n, currency: 'BRL', reference: odd })]);
    const transfer = await store.transfer(`t${odd}`);
    assert.equal(transfer?.reference, odd);
    assert.equal(transfer?.debitAccountId, `issuer${odd}`);
    assert.equal((await store.history('bank', { limit: 10 })).transfers[0]?.id, `t${odd}`);
    const [, second] = await store.readJournal(0, 10);
    assert.ok(second?.payload.includes(JSON.stringify(odd).slice(1, -1)));
    await ledger.close();
    // The chain, payloads included, reads back exactly: a reopened ledger replays it.
    const again = await openLedger({ store: storeOn(urls.get(store) ?? ''), batchDelayMs: 0 });
    assert.equal(again.balance('bank')?.posted, 5n);
    await again.close();
  });

  it('reads the journal in sequence order past entry 9 (numeric, not text, order)', async () => {
    const store = storeOn(await freshDatabase());
    await store.open();
    let tail = undefined as ReturnType<typeof chainEntry> | undefined;
    for (let now = 1; now <= 12; now++) {
      tail = chainEntry(tail, now, '[]');
      await store.commit({ entry: tail, ledger: emptyOutcome(now) });
    }
    assert.deepEqual((await store.readJournal(0, 20)).map((entry) => entry.sequence),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.equal((await store.journalTail())?.sequence, 12);
    await store.close();
  });

  it('a writer whose lease epoch was superseded can never commit', async () => {
    const url = await freshDatabase();
    const first = new PostgresLease({ connectionString: url, holder: 'first' });
    await first.acquire();
    const old = new PostgresStore({ connectionString: url, lease: first });
    await old.open();
    await old.commit({ entry: chainEntry(undefined, 1, '[]'), ledger: emptyOutcome(1) });
    // Simulate a lost lease: the lock is released while the old store still runs.
    await first.release();
    const second = new PostgresLease({ connectionString: url, holder: 'second' });
    await second.acquire();
    const next = new PostgresStore({ connectionString: url, lease: second });
    await next.open();
    assert.equal(next.epoch, 2n);
    const tail = await next.journalTail();
    await assert.rejects(old.commit({ entry: chainEntry(tail, 2, '[]'), ledger: emptyOutcome(2) }),
      /writer lease/);
    await next.commit({ entry: chainEntry(tail, 3, '[]'), ledger: emptyOutcome(3) });
    assert.equal((await next.journalTail())?.sequence, 2);
    await old.close();
    await next.close();
    await second.release();
  });

  it('the batch transaction refuses a stale epoch even if the process still believes it holds the lease', async () => {
    const url = await freshDatabase();
    const lease = new PostgresLease({ connectionString: url });
    await lease.acquire();
    const store = new PostgresStore({ connectionString: url, lease });
    await store.open();
    await store.query('UPDATE writer_lease SET epoch = epoch + 1');
    await assert.rejects(store.commit({ entry: chainEntry(undefined, 1, '[]'),
      ledger: emptyOutcome(1) }), /writer lease/);
    assert.equal(await store.journalTail(), undefined);
    await store.close();
    await lease.release();
  });
});

function emptyOutcome(now: number) {
  return { now, results: [], applied: [], accountsCreated: [], creditLimits: [], transfers: [],
    resolved: [], expired: [] };
}
