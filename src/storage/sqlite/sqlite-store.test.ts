// Proves the SQLite store passes the shared conformance suite and detects tampering on disk.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { verifyLedger } from '../../journal/verify.js';
import { openLedger } from '../../pipeline/ledger-service.js';
import { accountCommand, postedTransfer } from '../../testing/ledger-fixtures.js';
import { runStoreConformance } from '../store.conformance.js';
import { SqliteStore } from './sqlite-store.js';

const directory = mkdtempSync(join(tmpdir(), 'corridor-sqlite-'));
let counter = 0;
const paths = new WeakMap<object, string>();

runStoreConformance('sqlite', {
  async fresh() {
    const path = join(directory, `store-${counter++}.db`);
    const store = new SqliteStore({ path });
    paths.set(store, path);
    return store;
  },
  async reopen(store) {
    const path = paths.get(store);
    if (path === undefined) throw new Error('unknown store');
    return new SqliteStore({ path });
  },
});

async function tamperedStore(sql: string): Promise<SqliteStore> {
  const path = join(directory, `tamper-${counter++}.db`);
  const ledger = await openLedger({ store: new SqliteStore({ path }), batchDelayMs: 0 });
  await ledger.submit([accountCommand('issuer', 'ZAR', { issuer: true }), accountCommand('bank', 'ZAR')]);
  await ledger.submit([postedTransfer('t1', 'issuer', 'bank', 1_000n, 'ZAR')]);
  await ledger.submit([postedTransfer('t2', 'issuer', 'bank', 2_000n, 'ZAR')]);
  await ledger.close();
  const store = new SqliteStore({ path });
  await store.open();
  store.database.exec(sql);
  return store;
}

describe('SqliteStore tampering', () => {
  it('verifyLedger() reports a rewritten journal payload as hash_mismatch', async () => {
    const store = await tamperedStore(
      "UPDATE journal SET payload = replace(payload, '1000', '9000') WHERE sequence = 2");
    const report = await verifyLedger(store);
    assert.equal(report.ok, false);
    assert.equal(report.problems[0]?.code, 'hash_mismatch');
    await store.close();
  });

  it('verifyLedger() reports a deleted journal entry as sequence_gap', async () => {
    const store = await tamperedStore('DELETE FROM journal WHERE sequence = 2');
    const report = await verifyLedger(store);
    assert.equal(report.problems[0]?.code, 'sequence_gap');
    await store.close();
  });

  it('verifyLedger() reports an edited transfer row as balance_mismatch', async () => {
    const store = await tamperedStore("UPDATE transfers SET amount = 5 WHERE id = 't1'");
    const report = await verifyLedger(store);
    assert.deepEqual(report.problems.map((problem) => problem.code), ['balance_mismatch', 'balance_mismatch']);
    await store.close();
  });

  it('openLedger() refuses to start on a corrupt journal', async () => {
    const store = await tamperedStore("UPDATE journal SET hash = 'x' WHERE sequence = 1");
    await store.close();
    const path = store.database.name;
    await assert.rejects(openLedger({ store: new SqliteStore({ path }) }), /journal is corrupt/);
  });
});
