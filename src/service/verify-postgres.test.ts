// Proves that verify on PostgreSQL reads one consistent snapshot: run again and again beside a
// writer under load, it never reports a false mismatch (its journal and projection reads are
// from the same instant), and it neither migrates nor starts a writer (holdsNetwork too).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { configuredStore, holdsNetwork } from '../server/store-config.js';
import { PostgresStore } from '../storage/postgres/postgres-store.js';
import { openTestNetwork, paymentInput } from '../testing/network-fixtures.js';
import { freshDatabase, stopPostgres, testPostgres } from '../testing/postgres.js';
import { verifyNetwork } from './verify.js';

before(async () => {
  await testPostgres();
});

after(async () => {
  await stopPostgres();
});

describe('verify on PostgreSQL beside a live writer', () => {
  it('reports ok every time while payments commit, from one snapshot', async () => {
    const url = await freshDatabase('corridor_verify_live');
    const writer = await openTestNetwork({ store: new PostgresStore({ connectionString: url }) });
    let stop = false;
    let paid = 0;
    const loop = async (lane: number): Promise<void> => {
      for (let index = 0; !stop; index++) {
        const result = await writer.network.pay('br-bank', paymentInput({
          id: `load-${lane}-${index}`, creditorAgent: 'br-other', currency: 'BRL', amount: 100n }));
        assert.equal(result.code, 'ok');
        paid += 1;
      }
    };
    const loops = [0, 1, 2, 3].map(loop);
    try {
      const config = { store: url, dataDir: '' };
      assert.equal(await holdsNetwork(config), true);
      for (let round = 0; round < 6; round++) {
        const store = configuredStore(config, true);
        await store.open();
        try {
          const report = await verifyNetwork(store);
          assert.deepEqual(report.problems, [], `round ${round}`);
          assert.equal(report.ok, true);
        } finally {
          await store.close();
        }
      }
    } finally {
      stop = true;
      await Promise.all(loops);
    }
    assert.ok(paid > 0, 'the writer committed throughout');
    await writer.network.close();
  });

  it('an empty database holds no network, and asking creates nothing', async () => {
    const url = await freshDatabase('corridor_verify_empty');
    assert.equal(await holdsNetwork({ store: url, dataDir: '' }), false);
    assert.equal(await holdsNetwork({ store: url, dataDir: '' }), false);
  });
});
